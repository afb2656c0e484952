"""Checking that the ledger has not been rewritten."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from cli.base import command
from cli.options import Refusal, emit_json, format_option, ledger, ledger_options
from ledger.store.integrity import PublishedHead


class PublishedHeadType(click.ParamType):  # type: ignore[type-arg]
    """``HASH`` or ``POSITION:HASH``, as a report printed it."""

    name = "HEAD"

    def convert(self, value: Any, param: Any, ctx: Any) -> PublishedHead:
        if isinstance(value, PublishedHead):
            return value
        try:
            return PublishedHead.parse(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)


def read_expect_file(path: Path) -> list[PublishedHead]:
    """Published heads, one a line: ``POSITION HASH`` (blank lines and # comments skipped)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise Refusal(f"cannot read {path}: {error} [bad-data]") from None
    heads = []
    for number, line in enumerate(lines, 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        try:
            head = PublishedHead.parse(line)
        except ValueError as error:
            raise Refusal(f"{path} line {number}: {error} [bad-data]") from None
        if head.position is None:
            raise Refusal(
                f"{path} line {number}: write each published head as POSITION HASH [bad-data]"
            )
        heads.append(head)
    return heads


@command()
@ledger_options
@click.option(
    "--expect",
    "expected",
    type=PublishedHeadType(),
    multiple=True,
    help="A head published earlier, POSITION:HASH (or a bare HASH, searched for): "
    "exit 1 unless the chain still has that hash at that position.",
)
@click.option(
    "--expect-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Heads published earlier, one a line: POSITION HASH.",
)
@click.option(
    "--key",
    "key_path",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="COMPLAINTS_CHECKPOINT_KEY",
    help="The checkpoint key (the signing key's file or its .pub): every checkpoint "
    "must be signed by it. Default: $COMPLAINTS_CHECKPOINT_KEY.",
)
@format_option("text", "json")
@click.pass_context
def verify(
    ctx: click.Context,
    expected: tuple[PublishedHead, ...],
    expect_file: Path | None,
    key_path: Path | None,
    output_format: str,
) -> None:
    """Recompute the hash chain over every event and compare it with the stored one.

    Prints how many events were verified and the head hash (publish it: anyone can
    later check the ledger still leads to it), or the first position where an event
    was altered, removed or inserted, and exits 1. With --expect (or --expect-file),
    also proves the chain still contains a head published earlier (the annual
    report prints its position and hash): a chain rewritten since, even one whose
    every hash was recomputed, no longer does. Last, the read models are rebuilt in
    memory and compared with the stored ones: rows changed behind the projection's
    back exit 1 too.

    Example:

    \b
        complaints verify
        complaints verify --expect \\
            0:0000000000000000000000000000000000000000000000000000000000000000
    """
    published = list(expected) + (read_expect_file(expect_file) if expect_file else [])
    trusted = None
    if key_path is not None:
        from ledger.store.checkpoints import trusted_public_key

        trusted = trusted_public_key(key_path)
    anchoring = ledger(ctx).verify_anchored(published, trusted)
    verdict, missing = anchoring.verdict, anchoring.missing
    if output_format == "json":
        emit_json(
            {
                "intact": anchoring.intact,
                "verified": verdict.verified,
                "head_position": verdict.head_position,
                "head_hash": verdict.head_hash,
                "problem": verdict.problem or missing or anchoring.read_models,
                "problem_position": verdict.problem_position,
                "expected": [str(head) for head in published],
                "checkpoints": anchoring.checkpoints,
                "read_models": anchoring.read_models or "agree with a rebuild",
            }
        )
        if not anchoring.intact:
            ctx.exit(1)
        return
    if not verdict.intact:
        raise Refusal(
            f"the ledger has been tampered with at position {verdict.problem_position}: "
            f"{verdict.problem} ({verdict.verified} events before it verified) [hash-chain]"
        )
    if missing:
        raise Refusal(f"{missing} [anchor]")
    if anchoring.read_models:
        raise Refusal(f"{anchoring.read_models} [read-models]")
    click.echo(
        f"verified {verdict.verified} events; head {verdict.head_position} hash {verdict.head_hash}"
    )
    if anchoring.checkpoints:
        click.echo(f"contains all {anchoring.checkpoints} signed checkpoints")
    for head in published:
        click.echo(f"contains the published head {head}")


@command()
@ledger_options
@click.option(
    "--key",
    "key_path",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="COMPLAINTS_CHECKPOINT_KEY",
    help="The Ed25519 signing key's file, kept apart from the ledger (created on first "
    "use, with its public key beside it as FILE.pub). Default: $COMPLAINTS_CHECKPOINT_KEY.",
)
@format_option("text", "json")
@click.pass_context
def checkpoint(ctx: click.Context, key_path: Path | None, output_format: str) -> None:
    """Sign the chain's head as it stands now (position, hash, time) and store it.

    The whole chain is verified first. From then on `complaints verify` checks every
    checkpoint's signature and that the chain still has that hash at that position,
    so a later rewrite of the chain, even with every hash recomputed, is caught.
    Keep the key away from the database (and its backups): whoever holds it can sign.

    Example:

    \b
        complaints checkpoint --key checkpoint.key
    """
    if key_path is None:
        raise click.UsageError(
            "give the signing key's file with --key FILE or COMPLAINTS_CHECKPOINT_KEY"
        )
    from ledger.store.checkpoints import Signer, fingerprint, public_path

    signer = Signer.load_or_create(key_path)
    if signer.created:
        click.echo(
            f"Created a new checkpoint signing key in {key_path} (public key "
            f"{public_path(key_path)}, fingerprint {fingerprint(signer.public_key)}): keep it "
            "apart from the ledger.",
            err=True,
        )
    made = ledger(ctx).checkpoint(signer)
    if output_format == "json":
        emit_json(
            {
                "checkpoint": made.number,
                "head_position": made.position,
                "head_hash": made.head_hash,
                "made_at": made.made_at,
                "key_fingerprint": made.key_fingerprint,
            }
        )
        return
    click.echo(
        f"checkpoint {made.number}: head {made.position} hash {made.head_hash} at "
        f"{made.made_at}, signed by key {made.key_fingerprint}"
    )


COMMANDS = [verify, checkpoint]
