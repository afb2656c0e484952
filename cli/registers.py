"""The team and service-area names in use, with counts, so that a typo is seen."""

from __future__ import annotations

from typing import Any

import click

from cli.base import command
from cli.options import emit_rows, format_option, ledger, ledger_options
from domain.registers import SERVICE_AREA, TEAM


def _rows(ctx: click.Context, kind: str, column: str, output_format: str) -> list[dict[str, Any]]:
    app = ledger(ctx)
    register = app.policy.register(kind)
    rows: list[dict[str, Any]] = []
    for used in app.names_in_use(kind):
        row: dict[str, Any] = {
            column: used.name,
            "complaints": used.complaints,
            "others": used.others,
            "total": used.total,
        }
        if register is not None:
            entry = register.entry(used.name)
            listed = entry is not None and entry.name == used.name
            row["in_register"] = listed if output_format != "text" else ("yes" if listed else "NO")
            row["register_name"] = entry.name if entry is not None else None
        rows.append(row)
    return rows


@command("teams")
@ledger_options
@format_option("text", "json", "csv")
@click.pass_context
def teams(ctx: click.Context, output_format: str) -> None:
    """List the teams recorded, with how many complaints and other records (compliments,
    enquiries, feedback, advocacy referrals) name each.

    When the settings file has a register of teams, in_register says whether each name
    is in it (register_name: the name it stands for, when it is an alias).

    Example:

        complaints teams --format csv
    """
    emit_rows(_rows(ctx, TEAM, "team", output_format), output_format, empty="no teams recorded")


@command("service-areas")
@ledger_options
@format_option("text", "json", "csv")
@click.pass_context
def service_areas(ctx: click.Context, output_format: str) -> None:
    """List the service areas recorded, with how many complaints and other records
    (compliments, enquiries, feedback, advocacy referrals) name each.

    When the settings file has a register of service areas, in_register says whether
    each name is in it (register_name: the name it stands for, when it is an alias).

    Example:

        complaints service-areas --format json
    """
    emit_rows(
        _rows(ctx, SERVICE_AREA, "service_area", output_format),
        output_format,
        empty="no service areas recorded",
    )


COMMANDS = [teams, service_areas]
