"""The ``complaints`` program: one group, each command group in its own module."""

from __future__ import annotations

import click

from cli.base import LedgerGroup
from cli.options import ledger_options


@click.group(cls=LedgerGroup, context_settings={"help_option_names": ["-h", "--help"]})
@ledger_options
@click.version_option(package_name="complaints-ledger")
def cli() -> None:
    """Record and report children's social care complaints as an immutable ledger.

    Every action is an event with its effective date (--on) and its actor; nothing is
    changed in place. The database is an SQLite file (default complaints.db) or a
    PostgreSQL URL, created on first use.

    Example:

        complaints receive --on 2025-04-07 --procedure statutory --channel email
    """


def _register() -> None:
    from cli import (
        batch,
        intake,
        ombudsman,
        payments,
        recommendations,
        reporting,
        representations,
        stages,
        views,
    )

    for module in (
        intake,
        stages,
        recommendations,
        payments,
        ombudsman,
        views,
        representations,
        reporting,
        batch,
    ):
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def main() -> None:
    cli(obj={})
