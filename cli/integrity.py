"""Checking that the ledger has not been rewritten."""

from __future__ import annotations

import click

from cli.base import command
from cli.options import Refusal, emit_json, format_option, ledger, ledger_options


@command()
@ledger_options
@format_option("text", "json")
@click.pass_context
def verify(ctx: click.Context, output_format: str) -> None:
    """Recompute the hash chain over every event and compare it with the stored one.

    Prints how many events were verified and the head hash (publish it: anyone can
    later check the ledger still leads to it), or the first position where an event
    was altered, removed or inserted, and exits 1.

    Example:

    \b
        complaints verify
    """
    verdict = ledger(ctx).verify()
    if output_format == "json":
        emit_json(
            {
                "intact": verdict.intact,
                "verified": verdict.verified,
                "head_position": verdict.head_position,
                "head_hash": verdict.head_hash,
                "problem": verdict.problem,
                "problem_position": verdict.problem_position,
            }
        )
        if not verdict.intact:
            ctx.exit(1)
        return
    if not verdict.intact:
        raise Refusal(
            f"the ledger has been tampered with at position {verdict.problem_position}: "
            f"{verdict.problem} ({verdict.verified} events before it verified) [hash-chain]"
        )
    click.echo(
        f"verified {verdict.verified} events; head {verdict.head_position} hash {verdict.head_hash}"
    )


COMMANDS = [verify]
