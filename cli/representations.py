"""Compliments and councillor or MP enquiries."""

from __future__ import annotations

from datetime import date

import click

from cli.base import LedgerGroup, command
from cli.options import DATE, NameChoice, actor, ledger, ledger_options, on_option
from domain.representations import ENQUIRY_SOURCES


@command()
@ledger_options
@on_option("Date the compliment was received.")
@click.option("--service-area", help="Service area complimented.")
@click.option("--team", help="Team complimented.")
@click.pass_context
def compliment(ctx: click.Context, on: date, service_area: str | None, team: str | None) -> None:
    """Record a compliment; prints its reference.

    Example:

        complaints compliment --on 2025-05-02 --service-area "Children in Care"
        --team "Fostering"
    """
    ref = ledger(ctx).record_compliment(
        on=on, actor=actor(ctx), service_area=service_area, team=team
    )
    click.echo(ref)


class EnquiryGroup(LedgerGroup):
    """``enquiry --on ...`` records an enquiry; ``enquiry respond REF`` answers one."""


@click.group(cls=EnquiryGroup, invoke_without_command=True)
@ledger_options
@click.option("--on", "on", type=DATE, default=None, help="Date the enquiry was received.")
@click.option("--from", "source", type=NameChoice(ENQUIRY_SOURCES), help="councillor|mp")
@click.option("--service-area", help="Service area asked about.")
@click.option("--team", help="Team asked about.")
@click.option("--responded-on", type=DATE, help="Date it was answered, if already.")
@click.pass_context
def enquiry(
    ctx: click.Context,
    on: date | None,
    source: str | None,
    service_area: str | None,
    team: str | None,
    responded_on: date | None,
) -> None:
    """Record a councillor's or MP's enquiry; prints its reference.

    Example:

        complaints enquiry --on 2025-05-06 --from councillor --team "Front Door"
        --responded-on 2025-05-14

    Answer a recorded one later with: complaints enquiry respond ENQ-2025-0001 --on DATE
    """
    if ctx.invoked_subcommand is not None:
        return
    if source is None:
        raise click.UsageError("say who the enquiry is from: --from councillor|mp")
    ref = ledger(ctx).record_enquiry(
        on=on or date.today(),
        actor=actor(ctx),
        source=source,
        service_area=service_area,
        team=team,
        responded_on=responded_on,
    )
    click.echo(ref)


@enquiry.command("respond")
@ledger_options
@click.argument("ref")
@on_option("Date the enquiry was answered.")
@click.pass_context
def enquiry_respond(ctx: click.Context, ref: str, on: date) -> None:
    """Record the answer to a councillor's or MP's enquiry.

    Example:

        complaints enquiry respond ENQ-2025-0001 --on 2025-05-14
    """
    ledger(ctx).respond_to_enquiry(ref, on=on, actor=actor(ctx))


COMMANDS = [compliment, enquiry]
