"""The stages: extensions, responses, escalation, investigation, panel, dispute resolution."""

from __future__ import annotations

from datetime import date

import click

from cli.base import command, group
from cli.options import (
    COUNT,
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
from domain.procedure import (
    APPOINTMENT_ROLES,
    DISPUTE_RESOLUTION_METHODS,
    POINT_FINDINGS,
    STAGE_OUTCOMES,
)


@command()
@ledger_options
@click.argument("ref")
@on_option("Date the extension was agreed (on or before the current deadline).")
@click.option("--reason", required=True, help="Why, e.g. complex case, advocate needed.")
@click.option(
    "--working-days",
    type=COUNT,
    help="New timescale. Stage 1: 20 (the default). Stage 2: at most 65 (default 65).",
)
@click.pass_context
def extend(ctx: click.Context, ref: str, on: date, reason: str, working_days: int | None) -> None:
    """Extend the current stage's deadline; the complainant must be told the new date.

    Refused after the current deadline has passed, beyond the stage's maximum, and for a
    second Stage 1 extension.

    Example:

    \b
        complaints extend CSC-2025-0001 --on 2025-04-14 --reason "complex case"
    """
    app = ledger(ctx)
    app.extend(ref, on=on, actor=actor(ctx), reason=reason, working_days=working_days)
    announce_recorded(ref, app)


@command()
@ledger_options
@click.argument("ref")
@on_option("Date of the response (Stage 1 letter, Stage 2 adjudication, Stage 3 response).")
@click.option(
    "--outcome",
    type=FixedName("outcome", STAGE_OUTCOMES),
    required=True,
    help='upheld|partly-upheld|not-upheld (or as words: "Partly upheld").',
)
@click.option("--stage", type=COUNT, help="Must match the current stage if given.")
@click.option(
    "--remedy",
    "remedies",
    type=TaxonomyName("remedies", many=True),
    multiple=True,
    help="Remedy given (repeatable), e.g. apology.",
)
@click.pass_context
def respond(
    ctx: click.Context,
    ref: str,
    on: date,
    outcome: str,
    stage: int | None,
    remedies: tuple[str, ...],
) -> None:
    """Record the response that ends the current stage, with its outcome.

    Example:

    \b
        complaints respond CSC-2025-0001 --on 2025-04-17 --outcome partly-upheld \\
            --remedy apology --remedy explanation
    """
    app = ledger(ctx)
    app.respond(
        ref,
        on=on,
        actor=actor(ctx),
        outcome=outcome,
        stage=stage,
        remedies=split_names(remedies),
    )
    announce_recorded(ref, app)


@command()
@ledger_options
@click.argument("ref")
@on_option("Date the complainant asked for the next stage.")
@click.option("--late-reason", help="Why a request after 20 working days is accepted.")
@click.pass_context
def escalate(ctx: click.Context, ref: str, on: date, late_reason: str | None) -> None:
    """The complainant asks for the next stage (1 to 2, 2 to 3; corporate 1 to 2).

    Refused unless the current stage has been responded to.

    Example:

    \b
        complaints escalate CSC-2025-0001 --on 2025-04-30
    """
    app = ledger(ctx)
    app.escalate(ref, on=on, actor=actor(ctx), late_reason=late_reason)
    announce_recorded(ref, app)


@command()
@ledger_options
@click.argument("ref")
@on_option()
@click.option("--officer", required=True, help="The officer's staff register id (not their name).")
@click.pass_context
def handler(ctx: click.Context, ref: str, on: date, officer: str) -> None:
    """Record the officer handling the complaint's current stage, by register id.

    Under the Complaint Handling Code (settings preset code-2026), Stage 2 must be
    handled by someone other than the Stage 1 handler.

    Example:

    \b
        complaints handler CSC-2025-0001 --on 2025-04-08 --officer OFF-102
    """
    app = ledger(ctx)
    app.assign_handler(ref, on=on, actor=actor(ctx), officer=officer)
    announce_recorded(ref, app)


@command()
@ledger_options
@click.argument("ref")
@on_option()
@click.option(
    "--role",
    type=FixedName("appointment role", APPOINTMENT_ROLES),
    required=True,
    help="|".join(APPOINTMENT_ROLES),
)
@click.option("--person", required=True, help="The person's register id (not their name).")
@click.option("--name", help="The person's name (personal data: never in statistics).")
@click.option("--internal", is_flag=True, help="A council officer (never allowed for IPs/panel).")
@click.pass_context
def appoint(
    ctx: click.Context,
    ref: str,
    on: date,
    role: str,
    person: str,
    name: str | None,
    internal: bool,
) -> None:
    """Appoint a Stage 2 investigator or independent person, or a Stage 3 panel member.

    Example:

    \b
        complaints appoint CSC-2025-0001 --on 2025-05-02 --role independent-person \\
            --person IP-014
    """
    app = ledger(ctx)
    app.appoint(
        ref, on=on, actor=actor(ctx), role=role, person=person, internal=internal, name=name
    )
    announce_recorded(ref, app)


@command()
@ledger_options
@click.argument("ref")
@on_option("Date the statement of complaint was agreed.")
@click.option("--points", type=COUNT, required=True, help="How many numbered points.")
@click.pass_context
def statement(ctx: click.Context, ref: str, on: date, points: int) -> None:
    """Record the agreed Stage 2 statement of complaint and its number of points.

    Example:

    \b
        complaints statement CSC-2025-0001 --on 2025-05-09 --points 4
    """
    app = ledger(ctx)
    app.agree_statement(ref, on=on, actor=actor(ctx), points=points)
    announce_recorded(ref, app)


@command()
@ledger_options
@click.argument("ref")
@on_option()
@click.option("--point", type=COUNT, required=True, help="Point number in the statement.")
@click.option(
    "--finding",
    type=FixedName("finding", POINT_FINDINGS),
    required=True,
    help="|".join(POINT_FINDINGS),
)
@click.pass_context
def finding(ctx: click.Context, ref: str, on: date, point: int, finding: str) -> None:
    """Record the investigation's (Stage 2) or the panel's (Stage 3) finding on a point.

    Example:

    \b
        complaints finding CSC-2025-0001 --on 2025-06-10 --point 1 --finding upheld
    """
    app = ledger(ctx)
    app.record_finding(ref, on=on, actor=actor(ctx), point=point, finding=finding)
    announce_recorded(ref, app)


@command()
@ledger_options
@click.argument("ref")
@on_option("Date the review panel met.")
@click.option("--report-on", type=DATE, help="Date the panel chair issued the panel's report.")
@click.pass_context
def panel(ctx: click.Context, ref: str, on: date, report_on: date | None) -> None:
    """The Stage 3 review panel met (and, with --report-on, issued its report).

    Example:

    \b
        complaints panel CSC-2025-0001 --on 2025-08-01 --report-on 2025-08-06
    """
    app = ledger(ctx)
    app.hold_panel(ref, on=on, actor=actor(ctx), report_on=report_on)
    announce_recorded(ref, app)


@command("panel-report")
@ledger_options
@click.argument("ref")
@on_option("Date the panel's report was issued.")
@click.pass_context
def panel_report(ctx: click.Context, ref: str, on: date) -> None:
    """The review panel's chair issued its report and recommendations.

    Example:

    \b
        complaints panel-report CSC-2025-0001 --on 2025-08-06
    """
    app = ledger(ctx)
    app.report_panel(ref, on=on, actor=actor(ctx))
    announce_recorded(ref, app)


@group()
def adr() -> None:
    """Alternative dispute resolution (mediation, a meeting) and its result.

    Example:

    \b
        complaints adr offer CSC-2025-0001 --on 2025-04-28 --method mediation
    """


@adr.command("offer")
@ledger_options
@click.argument("ref")
@on_option()
@click.option(
    "--method",
    type=FixedName("dispute resolution method", DISPUTE_RESOLUTION_METHODS),
    default="meeting",
    show_default=True,
    help="|".join(DISPUTE_RESOLUTION_METHODS),
)
@click.pass_context
def adr_offer(ctx: click.Context, ref: str, on: date, method: str) -> None:
    """Alternative dispute resolution was offered.

    Example:

    \b
        complaints adr offer CSC-2025-0001 --on 2025-04-28 --method mediation
    """
    app = ledger(ctx)
    app.offer_dispute_resolution(ref, on=on, actor=actor(ctx), method=method)
    announce_recorded(ref, app)


@adr.command("result")
@ledger_options
@click.argument("ref")
@on_option()
@click.option("--resolved/--not-resolved", default=None, help="Whether it resolved the complaint.")
@click.pass_context
def adr_result(ctx: click.Context, ref: str, on: date, resolved: bool | None) -> None:
    """Its result; --resolved ends the case there.

    Example:

    \b
        complaints adr result CSC-2025-0001 --on 2025-05-06 --resolved
    """
    if resolved is None:
        raise click.UsageError("say --resolved or --not-resolved")
    app = ledger(ctx)
    app.conclude_dispute_resolution(ref, on=on, actor=actor(ctx), resolved=resolved)
    announce_recorded(ref, app)


COMMANDS = [
    extend,
    respond,
    escalate,
    handler,
    appoint,
    statement,
    finding,
    panel,
    panel_report,
    adr,
]
