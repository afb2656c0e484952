"""Corrections: a step recorded in error is voided by a new step that says so."""

from __future__ import annotations

from datetime import date

import click

from cli.base import command
from cli.options import COUNT, actor, announce_recorded, ledger, ledger_options, on_option


@command()
@ledger_options
@click.argument("ref")
@click.argument("version", type=COUNT)
@click.option("--reason", required=True, help="Why the step was recorded in error.")
@on_option("Date of the correction (default today).")
@click.pass_context
def void(ctx: click.Context, ref: str, version: int, on: date, reason: str) -> None:
    """Void the step recorded at VERSION (as `history` numbers it): recorded in error.

    The case's state, deadlines and every report are then as if the step had not been
    recorded; the step and its voiding stay in the history, flagged. Refused while later
    steps depend on it (void those first). Record the correct step afterwards.

    \b
    Example:
        complaints void CSC-2025-0001 3 --reason "response recorded on the wrong case"
    """
    app = ledger(ctx)
    app.void(ref, version=version, on=on, actor=actor(ctx), reason=reason)
    announce_recorded(ref, app)


COMMANDS = [void]
