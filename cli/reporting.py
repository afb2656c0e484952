"""Reports and the read models behind them."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from typing import TYPE_CHECKING, Any

import click

from cli.base import group
from cli.options import (
    COUNT,
    DATE,
    DATETIME,
    NameChoice,
    actor,
    as_of_option,
    emit_json,
    emit_rows,
    format_option,
    judge_on_option,
    judging_day,
    ledger,
    ledger_options,
    read_text_file,
    recorded_rows,
)
from domain.procedure import PROCEDURES

if TYPE_CHECKING:
    from reports.annual import Period


@group()
def report() -> None:
    """Reports built from the read models (caught up first, never stale).

    Example:

    \b
        complaints report annual --year 2024/25
    """


def _report_options(command: Callable[..., None]) -> Callable[..., None]:
    """The options the annual report and a period's report share."""
    for option in reversed(
        [
            click.option(
                "--procedure", type=NameChoice(PROCEDURES), default="statutory", show_default=True
            ),
            click.option(
                "--format",
                "output_format",
                type=click.Choice(["md", "json", "html", "csv"]),
                default="md",
                show_default=True,
                help="Output format.",
            ),
            click.option(
                "--suppress-below",
                type=COUNT,
                default=None,
                help="Public version: show counts below N as <N (and withhold their rates).",
            ),
            click.option(
                "--public",
                is_flag=True,
                help="The public version: counts below the council's threshold "
                "(council.public_threshold, default 5) hidden, their rates withheld.",
            ),
            click.option(
                "--narrative",
                type=click.Path(dir_okay=False),
                help="A Markdown file of the council's own commentary, printed after the summary.",
            ),
            click.option(
                "--as-of",
                type=DATETIME,
                help="The report exactly as the ledger stood then, ignoring everything "
                "recorded later.",
            ),
        ]
    ):
        command = option(command)
    return command


def _print_report(ctx: click.Context, period: Period, choices: dict[str, Any]) -> None:
    from reports import render

    app = ledger(ctx)
    threshold = choices["suppress_below"] or 0
    if choices["public"] and not threshold:
        threshold = app.council.public_threshold
    document = app.annual_report(period, choices["procedure"], threshold, as_of=choices["as_of"])
    quoted = [e["ref"] for e in document.get("compliments", {}).get("extracts", [])]
    if quoted:
        # The approved extracts are opened from their sealed notes: the reading is logged.
        ledger(ctx, write=True).record_access(
            quoted, actor=actor(ctx), purpose=f"report {ctx.info_name} (approved extracts)"
        )
    said = [w["ref"] for w in document.get("you_said_we_did", [])]
    if said:  # the approved learning wordings are opened from their sealed steps too
        ledger(ctx, write=True).code.record_access(
            said, actor=actor(ctx), purpose=f"report {ctx.info_name} (approved wordings)"
        )
    if choices["narrative"]:
        document["narrative"] = read_text_file(choices["narrative"], "--narrative")
    output_format = choices["output_format"]
    if output_format == "json":
        emit_json(document)
    else:
        labels = ledger(ctx).policy.taxonomy.label
        click.echo(render.render(document, output_format, labels), nl=False)


@report.command("annual")
@ledger_options
@click.option("--year", required=True, help="Financial year: 2024, 2024/25 or 2024-25.")
@_report_options
@click.pass_context
def annual(ctx: click.Context, /, year: str, **choices: Any) -> None:
    """The annual report for the financial year starting 1 April of YEAR.

    Example:

    \b
        complaints report annual --year 2024/25 --format json
    """
    from reports.annual import parse_year

    _print_report(ctx, parse_year(year), choices)


@report.command("period")
@ledger_options
@click.option("--from", "start", type=DATE, required=True, help="First day of the period.")
@click.option("--to", "end", type=DATE, required=True, help="Last day of the period.")
@_report_options
@click.pass_context
def period_report(ctx: click.Context, /, start: date, end: date, **choices: Any) -> None:
    """The annual report's figures for any period (a month, a quarter), beside the same
    period a year before: for the regular updates to the member for complaints.

    Example:

    \b
        complaints report period --from 2025-04-01 --to 2025-06-30 --format json
    """
    from reports.annual import period_between

    _print_report(ctx, period_between(start, end), choices)


@report.command("open")
@ledger_options
@judge_on_option("open, due-soon and overdue")
@as_of_option()
@format_option("text", "json", "csv")
@click.option(
    "--restrictions",
    is_flag=True,
    help="List the unreasonable-actions restrictions due for review instead (the text "
    "list shows them after the cases).",
)
@click.pass_context
def open_cases(
    ctx: click.Context,
    on: date | None,
    as_of: datetime | None,
    output_format: str,
    restrictions: bool,
) -> None:
    """The weekly list: cases open on a day, by service area, with what is due in the
    next five working days (due-soon), what is overdue and what is on hold.

    The day is --on (default today); with --as-of, the cases as they had been recorded
    by then, judged on that day unless --on says otherwise. The text list ends with the
    unreasonable-actions restrictions due for review (--restrictions: only those).

    Example:

    \b
        complaints report open --as-of 2025-06-06
    """
    from reports.contact_registers import restrictions_due, with_adjustments
    from reports.operational import open_cases as listing

    app = ledger(ctx)
    day = judging_day(on, as_of)
    if restrictions:
        due = recorded_rows(app, lambda session: restrictions_due(session, day), as_of)
        emit_rows(due, output_format, empty=f"no restrictions due for review on {day}")
        return
    rows = recorded_rows(
        app,
        lambda session: with_adjustments(session, listing(session, day, app.policy.calendar)),
        as_of,
    )
    emit_rows(rows, output_format, empty=f"no cases open on {day.isoformat()}")
    if output_format == "text":  # by the register's reference, no personal data
        question = partial(restrictions_due, day=day)
        due = app.query(question) if as_of is None else app.query_as_of(question, as_of)[0]
        if due:
            click.echo(f"\nrestrictions due for review on {day.isoformat()} (ADR 0040):")
            emit_rows(due, output_format)


@report.command("recommendations")
@ledger_options
@click.option(
    "--status",
    type=NameChoice(["open", "overdue", "completed"]),
    help="Only those open (accepted or awaiting a decision), overdue or completed.",
)
@judge_on_option()
@as_of_option()
@format_option("text", "json", "csv")
@click.pass_context
def recommendations_report(
    ctx: click.Context,
    status: str | None,
    on: date | None,
    as_of: datetime | None,
    output_format: str,
) -> None:
    """Recommendation tracking: each recommendation with its owner, due date and status.

    Overdue is judged on --on (default today); with --as-of, the recommendations as they
    had been recorded by then, judged on that day unless --on says otherwise.

    Example:

    \b
        complaints report recommendations --status overdue
    """
    from reports.operational import recommendations

    day = judging_day(on, as_of)
    rows = recorded_rows(ledger(ctx), lambda session: recommendations(session, day, status), as_of)
    emit_rows(rows, output_format, empty="no recommendations")


@group()
def projections() -> None:
    """The read models: their position in the event log, and rebuilding them.

    Example:

    \b
        complaints projections rebuild
    """


@projections.command("status")
@ledger_options
@click.pass_context
def status(ctx: click.Context) -> None:
    """Each projection's position, the log's head and the lag between them.

    Example:

    \b
        complaints projections status
    """
    state = ledger(ctx).projection_status()
    stale = " (settings or code changed: rebuilds on next use)" if state.stale else ""
    click.echo(
        f"{state.projection}: position {state.position} of {state.head}, "
        f"lag {state.lag}, version {state.version}{stale}"
    )


@projections.command("rebuild")
@ledger_options
@click.pass_context
def rebuild(ctx: click.Context) -> None:
    """Rebuild every read model from the first event, in committed batches.

    Stopping it part way loses nothing: the next catch-up carries on from the last batch.

    Example:

    \b
        complaints projections rebuild
    """
    app = ledger(ctx)
    head = app.projection_status().head
    with click.progressbar(length=head, label="Rebuilding", file=sys.stderr) as bar:
        total = app.rebuild_projections(progress=bar.update)
    click.echo(f"rebuilt from {total} events")


def _code_report() -> None:
    from cli.code import code_report

    report.add_command(code_report)


_code_report()
COMMANDS = [report, projections]
