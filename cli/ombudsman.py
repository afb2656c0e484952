"""The Local Government and Social Care Ombudsman: enquiries, decisions, compliance."""

from __future__ import annotations

from datetime import date

import click

from cli.base import group
from cli.options import (
    DATE,
    FixedName,
    TaxonomyName,
    actor,
    announce_recorded,
    ledger,
    ledger_options,
    on_option,
    split_names,
)
from domain.procedure import OMBUDSMAN_DECISIONS


@group()
def ombudsman() -> None:
    """The Ombudsman's enquiry about a case, its decision, and the council's compliance.

    Example:

    \b
        complaints ombudsman decision CSC-2025-0001 --on 2026-01-15 \\
            --decision not-upheld
    """


@ombudsman.command("enquiry")
@ledger_options
@click.argument("ref")
@on_option("Date the Ombudsman opened the enquiry.")
@click.option("--ombudsman-ref", help="The Ombudsman's own reference.")
@click.pass_context
def enquiry(ctx: click.Context, ref: str, on: date, ombudsman_ref: str | None) -> None:
    """The Ombudsman opened an enquiry about this case.

    Example:

    \b
        complaints ombudsman enquiry CSC-2025-0001 --on 2025-10-01 \\
            --ombudsman-ref "25 001 234"
    """
    app = ledger(ctx)
    app.open_ombudsman_enquiry(ref, on=on, actor=actor(ctx), ombudsman_ref=ombudsman_ref)
    announce_recorded(ref, app)


@ombudsman.command("decision")
@ledger_options
@click.argument("ref")
@on_option("Date of the Ombudsman's decision.")
@click.option(
    "--decision",
    type=FixedName("Ombudsman decision", OMBUDSMAN_DECISIONS),
    required=True,
    help="|".join(OMBUDSMAN_DECISIONS),
)
@click.option(
    "--remedy",
    "remedies",
    type=TaxonomyName("remedies", many=True),
    multiple=True,
    help="Remedy required (repeatable).",
)
@click.option("--due", type=DATE, help="Date by which the council must comply.")
@click.option(
    "--satisfactory-remedy",
    is_flag=True,
    help="Upheld, but the council had already offered a remedy the Ombudsman found "
    "satisfactory (the annual letter's figure).",
)
@click.pass_context
def decision(
    ctx: click.Context,
    ref: str,
    on: date,
    decision: str,
    remedies: tuple[str, ...],
    due: date | None,
    satisfactory_remedy: bool,
) -> None:
    """Record the Ombudsman's decision.

    Example:

    \b
        complaints ombudsman decision CSC-2025-0001 --on 2026-01-15 \\
            --decision upheld --remedy apology --due 2026-02-12
    """
    app = ledger(ctx)
    app.record_ombudsman_decision(
        ref,
        on=on,
        actor=actor(ctx),
        decision=decision,
        remedies=split_names(remedies),
        due=due,
        satisfactory_remedy=satisfactory_remedy,
    )
    announce_recorded(ref, app)


@ombudsman.command("complied")
@ledger_options
@click.argument("ref")
@on_option("Date the council complied with the decision's remedies.")
@click.pass_context
def complied(ctx: click.Context, ref: str, on: date) -> None:
    """The council complied with the Ombudsman's decision.

    Example:

    \b
        complaints ombudsman complied CSC-2025-0001 --on 2026-02-10
    """
    app = ledger(ctx)
    app.comply_with_ombudsman(ref, on=on, actor=actor(ctx))
    announce_recorded(ref, app)


COMMANDS = [ombudsman]
