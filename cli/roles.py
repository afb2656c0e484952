"""Database roles for a shared PostgreSQL ledger."""

from __future__ import annotations

import click

from cli.base import group
from cli.options import ledger, ledger_options


@group()
def roles() -> None:
    """PostgreSQL roles: a writer for the application, a read-only auditor.

    Example:

    \b
        complaints --db postgresql://admin@db/complaints roles grant \\
            --writer complaints_app --auditor complaints_audit
    """


@roles.command("grant")
@ledger_options
@click.option(
    "--writer", help="Role the application connects as: may add events, never change them."
)
@click.option("--auditor", help="Role auditors connect as: may read everything, change nothing.")
@click.option("--show-sql", is_flag=True, help="Print the statements that were run.")
@click.pass_context
def grant(ctx: click.Context, writer: str | None, auditor: str | None, show_sql: bool) -> None:
    """Create the roles if missing and grant them their rights on this ledger's schema.

    Run it as the ledger's owner (the role that created the tables).

    Example:

    \b
        complaints roles grant --writer complaints_app --auditor complaints_audit
    """
    from ledger.store.roles import grant_roles

    if not writer and not auditor:
        raise click.UsageError("name a --writer, an --auditor or both")
    statements = grant_roles(ledger(ctx).engine, writer, auditor)
    if show_sql:
        for statement in statements:
            click.echo(statement + ";")
    click.echo(f"granted: writer {writer or '-'}, auditor {auditor or '-'}")


COMMANDS = [roles]
