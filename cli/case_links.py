"""Casework that ties complaints together (ADR 0038): link, merge, split, new issue, re-open."""

from __future__ import annotations

from datetime import date

import click

from cli.base import command
from cli.options import (
    COUNT,
    FixedName,
    NameChoice,
    TaxonomyName,
    actor,
    announce_recorded,
    ledger,
    ledger_options,
    on_option,
    split_names,
)
from domain.case_links import LINK_KINDS
from domain.procedure import PROCEDURES


@command()
@ledger_options
@click.argument("ref")
@click.argument("other")
@click.option(
    "--kind",
    type=FixedName("link", LINK_KINDS),
    required=True,
    help="|".join(LINK_KINDS) + ": how the two cases are related.",
)
@on_option("Date the cases were found to be related (default today).")
@click.pass_context
def link(ctx: click.Context, ref: str, other: str, kind: str, on: date) -> None:
    """Link two related cases (the same family, the same issue); each shows the other.

    Refused for a case linked to itself, a second link of the same kind, and a merged
    duplicate (link its original).

    \b
    Example:
        complaints link CSC-2025-0001 CSC-2025-0042 --kind same-family --on 2025-05-12
    """
    app = ledger(ctx)
    app.case_links.link(ref, other, on=on, actor=actor(ctx), kind=kind)
    announce_recorded(ref, app)


@command()
@ledger_options
@click.argument("duplicate")
@click.option("--into", "original", required=True, help="The original case it duplicates.")
@click.option("--reason", required=True, help="Why it is a duplicate.")
@on_option("Date of the merge (default today).")
@click.pass_context
def merge(ctx: click.Context, duplicate: str, original: str, reason: str, on: date) -> None:
    """Merge a DUPLICATE case into its original: the duplicate ends (status `merged`),
    its history points at the original, and every report counts one complaint.

    Refused once the duplicate has gone beyond an unanswered Stage 1 (link it instead),
    across procedures (split or link), and into a case that has ended.

    \b
    Example:
        complaints merge CSC-2025-0042 --into CSC-2025-0001 --on 2025-05-12 \\
            --reason "same letter sent twice"
    """
    app = ledger(ctx)
    app.case_links.merge(duplicate, original, on=on, actor=actor(ctx), reason=reason)
    announce_recorded(duplicate, app)


@command()
@ledger_options
@click.argument("ref")
@click.option(
    "--procedure",
    type=NameChoice(PROCEDURES),
    required=True,
    help="The other procedure, which the split-off part goes under.",
)
@click.option("--part-ref", help="The part's reference; generated if omitted.")
@on_option("Date of the split: the part's receipt and triage, day 0 of its clock.")
@click.pass_context
def split(ctx: click.Context, ref: str, procedure: str, part_ref: str | None, on: date) -> None:
    """Split the part of a complaint that belongs under the other procedure into a new
    linked complaint with its own clock; prints the part's reference.

    Each part then appears once, in its own procedure's report. Refused before triage,
    into the procedure the case is already under, and a second time.

    \b
    Example:
        complaints split CSC-2025-0001 --procedure corporate --on 2025-04-10
    """
    app = ledger(ctx)
    part = app.case_links.split(
        ref, on=on, actor=actor(ctx), procedure=procedure, part_ref=part_ref
    )
    click.echo(part)
    announce_recorded(part, app)


@command("new-issue")
@ledger_options
@click.argument("ref")
@click.option("--new-ref", help="The new complaint's reference; generated if omitted.")
@click.option(
    "--procedure",
    type=NameChoice(PROCEDURES),
    help="Triage the new complaint into this procedure (default: the case's).",
)
@click.option("--service-area", help="Service area complained about (default: the case's).")
@click.option("--team", help="Team complained about (default: the case's).")
@click.option(
    "--reason",
    "reasons",
    type=TaxonomyName("reasons", many=True),
    multiple=True,
    help="Reason for complaint (repeatable; default: the case's).",
)
@on_option("Date the new issue was raised: its receipt.")
@click.pass_context
def new_issue(
    ctx: click.Context,
    ref: str,
    new_ref: str | None,
    procedure: str | None,
    service_area: str | None,
    team: str | None,
    reasons: tuple[str, ...],
    on: date,
) -> None:
    """Record a new issue raised during case REF as a new complaint linked to it;
    prints its reference.

    \b
    Example:
        complaints new-issue CSC-2025-0001 --on 2025-04-20 --reason delays-in-service
    """
    app = ledger(ctx)
    issue = app.case_links.new_issue(
        ref,
        on=on,
        actor=actor(ctx),
        procedure=procedure,
        new_ref=new_ref,
        service_area=service_area,
        team=team,
        reasons=split_names(reasons),
    )
    click.echo(issue)
    announce_recorded(issue, app)


@command()
@ledger_options
@click.argument("ref")
@click.option("--reason", required=True, help="Why the response was found incomplete.")
@click.option("--stage", type=COUNT, help="Must match the current stage if given.")
@on_option("Date the stage was re-opened: day 0 of its new clock.")
@click.pass_context
def reopen(ctx: click.Context, ref: str, reason: str, stage: int | None, on: date) -> None:
    """Re-open the current stage, whose response was found incomplete: it is open again
    and its timescale runs afresh from the re-opening (shown by `show`); the annual
    report counts it as re-opened.

    Refused while the stage is still open, for a stage that is not the current one, and
    for statutory Stage 3.

    \b
    Example:
        complaints reopen CSC-2025-0001 --on 2025-05-06 --reason "point 2 not answered"
    """
    app = ledger(ctx)
    app.case_links.reopen(ref, on=on, actor=actor(ctx), reason=reason, stage=stage)
    announce_recorded(ref, app)


COMMANDS = [link, merge, split, new_issue, reopen]
