"""Compensation: financial remedies agreed at a stage or after the Ombudsman."""

from __future__ import annotations

from datetime import date

import click

from cli.base import command
from cli.options import ledger_options, on_option, record
from domain.complaint import parse_amount


@command()
@ledger_options
@click.argument("ref")
@on_option("Date the payment was agreed.")
@click.option("--amount", required=True, help="Pounds and pence, e.g. 250 or 1345.50.")
@click.option("--reason", help="time-and-trouble|distress|loss|delay-or-service-failure|other")
@click.option("--stage", help="1, 2, 3 or ombudsman; default the current stage (or ombudsman).")
@click.pass_context
def compensate(
    ctx: click.Context, ref: str, on: date, amount: str, reason: str | None, stage: str | None
) -> None:
    """Record compensation agreed at the current stage, or the Ombudsman's after a decision.

    Example:

    \b
        complaints compensate CSC-2025-0001 --on 2025-06-30 --amount 250 \\
            --reason distress
    """
    record(ctx, ref, "compensate", on, amount=parse_amount(amount), reason=reason, stage=stage)


COMMANDS = [compensate]
