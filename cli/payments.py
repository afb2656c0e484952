"""Compensation: financial remedies agreed at a stage or after the Ombudsman."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import click

from cli.base import command
from cli.options import (
    POUNDS,
    STAGE,
    TaxonomyName,
    actor,
    announce_recorded,
    ledger,
    ledger_options,
    on_option,
)


@command()
@ledger_options
@click.argument("ref")
@on_option("Date the payment was agreed.")
@click.option(
    "--amount",
    type=POUNDS,
    required=True,
    help="Pounds and pence, e.g. 250, 1345.50 or £1,345.50.",
)
@click.option(
    "--reason",
    type=TaxonomyName("compensation_reasons"),
    help="time-and-trouble|distress|loss|delay-or-service-failure|other",
)
@click.option(
    "--stage", type=STAGE, help="1, 2, 3 or ombudsman; default the current stage (or ombudsman)."
)
@click.pass_context
def compensate(
    ctx: click.Context,
    ref: str,
    on: date,
    amount: Decimal,
    reason: str | None,
    stage: str | None,
) -> None:
    """Record compensation agreed at the current stage, or the Ombudsman's after a decision.

    Example:

    \b
        complaints compensate CSC-2025-0001 --on 2025-06-30 --amount 250 \\
            --reason distress
    """
    app = ledger(ctx)
    app.compensate(ref, on=on, actor=actor(ctx), amount=amount, reason=reason, stage=stage)
    announce_recorded(ref, app)


COMMANDS = [compensate]
