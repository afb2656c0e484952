"""The Complaint Handling Code's self-assessment, the governing body's response and
``report code``, the annual complaints performance and service improvement report
(ADR 0030). ``report code`` is added to the ``report`` group (cli/reporting.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

import click

from cli.base import command, group
from cli.options import (
    COUNT,
    NameChoice,
    actor,
    emit_json,
    format_option,
    ledger,
    ledger_options,
    on_option,
)
from domain.learning import CODE_SECTIONS, COMPLIANCE

YEAR_HELP = "Financial year: 2026, 2026/27 or 2026-27."


def _start_year(year: str) -> int:
    from reports.annual import parse_year

    return parse_year(year).financial_year_start


@group("self-assessment")
def self_assessment() -> None:
    """The council's yearly self-assessment against the Complaint Handling Code.

    SECTIONS

    Example:

    \b
        complaints self-assessment show --year 2025/26
    """


self_assessment.help = (self_assessment.help or "").replace(
    "SECTIONS",
    "One answer per section of the Code: "
    + "; ".join(f"{n} {t}" for n, t in CODE_SECTIONS.items())
    + ".",
)


@self_assessment.command("record")
@ledger_options
@on_option("Date of the answer.")
@click.option("--year", required=True, help=YEAR_HELP)
@click.option("--section", type=int, required=True, help="The Code's section, 1 to 9.")
@click.option("--compliance", type=NameChoice(COMPLIANCE), required=True, help="yes|partly|no")
@click.option("--evidence", required=True, help="What shows it (published with the report).")
@click.option("--explanation", required=True, help="Why, and what will change if not yes.")
@click.pass_context
def record_answer(
    ctx: click.Context,
    on: date,
    year: str,
    section: int,
    compliance: str,
    evidence: str,
    explanation: str,
) -> None:
    """Record the answer for one section of the Code for a year; a later answer for
    the same year and section supersedes it (both stay in the history).

    Example:

    \b
        complaints self-assessment record --year 2025/26 --section 6 \\
            --compliance partly --evidence "Stage 1 on time 72%" \\
            --explanation "extensions agreed late; new tracker from May"
    """
    ledger(ctx).code.answer_section(
        _start_year(year),
        on=on,
        actor=actor(ctx),
        section=section,
        compliance=compliance,
        evidence=evidence,
        explanation=explanation,
    )


@self_assessment.command("show")
@ledger_options
@click.option("--year", required=True, help=YEAR_HELP)
@format_option("text", "json")
@click.pass_context
def show_answers(ctx: click.Context, year: str, output_format: str) -> None:
    """The year's current answers, section by section, and the governing body's response.

    Example:

    \b
        complaints self-assessment show --year 2025/26 --format json
    """
    from domain.learning import year_label

    start = _start_year(year)
    assessment = ledger(ctx).code.assessment(start)
    answers = assessment.answers if assessment is not None else {}
    response = assessment.governing_response if assessment is not None else None
    document: dict[str, Any] = {
        "year": year_label(start),
        "sections": [
            {"section": n, "title": t, **answers.get(n, {"compliance": None})}
            for n, t in CODE_SECTIONS.items()
        ],
        "governing_response": response,
    }
    if output_format == "json":
        emit_json(document)
        return
    click.echo(f"Self-assessment {document['year']}")
    for section in document["sections"]:
        answer = section["compliance"] or "not answered"
        click.echo(f"{section['section']}. {section['title']}: {answer}")
        if section["compliance"]:
            click.echo(f"   evidence: {section['evidence']}")
            click.echo(f"   explanation: {section['explanation']}")
    click.echo(f"Governing body's response: {response['text'] if response else 'not recorded'}")


@group("governing-response")
def governing_response() -> None:
    """The governing body's response to the year's complaints report and self-assessment.

    Example:

    \b
        complaints governing-response record --year 2025/26 \\
            --text "The committee accepts the report and asks for quarterly updates"
    """


@governing_response.command("record")
@ledger_options
@on_option("Date of the response.")
@click.option("--year", required=True, help=YEAR_HELP)
@click.option("--text", required=True, help="The response, as the governing body gave it.")
@click.pass_context
def record_response(ctx: click.Context, on: date, year: str, text: str) -> None:
    """Record the governing body's response for a year (a later one supersedes it).

    Example:

    \b
        complaints governing-response record --year 2025/26 \\
            --text "The committee accepts the report and asks for quarterly updates"
    """
    ledger(ctx).code.governing_response(_start_year(year), on=on, actor=actor(ctx), text=text)


@command("code")
@ledger_options
@click.option("--year", required=True, help=YEAR_HELP)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["md", "html", "json", "csv"]),
    default="md",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--suppress-below",
    type=COUNT,
    default=None,
    help="Public version: show counts below N as <N (and withhold their rates).",
)
@click.option(
    "--public",
    is_flag=True,
    help="The public version: counts below the council's threshold hidden.",
)
@click.pass_context
def code_report(
    ctx: click.Context, year: str, output_format: str, suppress_below: int | None, public: bool
) -> None:
    """The annual complaints performance and service improvement report of the
    Complaint Handling Code (corporate procedure): volumes, outcomes and timeliness per
    stage with last year, complaints not accepted and why, the Ombudsman's decisions and
    annual-letter figures, "you said, we did", the self-assessment beside last year's
    and the governing body's response.

    Quoting approved wordings is written in the access log.

    Example:

    \b
        complaints report code --year 2025/26 --format html
    """
    from reports import code
    from reports.annual import parse_year

    app = ledger(ctx)
    threshold = suppress_below or 0
    if public and not threshold:
        threshold = app.council.public_threshold
    document = app.code.code_report(parse_year(year), threshold)
    quoted = [w["ref"] for w in document["you_said_we_did"]]
    if quoted:
        ledger(ctx, write=True).code.record_access(
            quoted, actor=actor(ctx), purpose="report code (approved wordings)"
        )
    if output_format == "json":
        emit_json(document)
    else:
        labels = app.policy.taxonomy.label
        click.echo(code.render(document, output_format, labels), nl=False)


COMMANDS = [self_assessment, governing_response]
