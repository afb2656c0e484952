"""A person's contact register (restrictions under the unreasonable-actions policy and
reasonable adjustments agreed) and subject access requests received by children's
services (ADR 0040)."""

from __future__ import annotations

from datetime import date
from typing import Any

import click

from cli.base import group
from cli.failures import printable_values
from cli.options import (
    DATE,
    FixedName,
    NameChoice,
    actor,
    announce_recorded,
    emit_json,
    emit_rows,
    format_option,
    ledger,
    ledger_options,
    on_option,
)
from domain.contact_registers import (
    ACCESS_OUTCOMES,
    ACCESS_REVIEW_OUTCOMES,
    ADJUSTMENT_KINDS,
    REQUESTERS,
    RESTRICTION_KINDS,
    REVIEW_OUTCOMES,
)


@group()
def restriction() -> None:
    """Restrictions on contact under the council's unreasonable-actions policy, in the
    register of a case's complainant (the scope, reason and review notes are sealed).

    Example:

    \b
        complaints restriction due --on 2026-03-31
    """


@restriction.command("decide")
@ledger_options
@click.argument("case_ref", metavar="REF")
@on_option("Date of the decision.")
@click.option(
    "--kind",
    type=FixedName("restriction", RESTRICTION_KINDS),
    required=True,
    help="What is restricted, e.g. single-point-of-contact, written-contact-only.",
)
@click.option("--scope", required=True, help="What the restriction covers (sealed).")
@click.option("--reason", required=True, help="Why it was decided (sealed).")
@click.option("--review-on", type=DATE, required=True, help="When it is to be reviewed.")
@click.pass_context
def decide(
    ctx: click.Context,
    case_ref: str,
    on: date,
    kind: str,
    scope: str,
    reason: str,
    review_on: date,
) -> None:
    """Record a restriction decided for the complainant of case REF; prints its number
    in their register.

    Example:

    \b
        complaints restriction decide CSC-2025-0001 --on 2025-06-02 \\
            --kind single-point-of-contact --scope "all contact about the complaint" \\
            --reason "daily calls to several teams" --review-on 2025-12-02
    """
    app = ledger(ctx)
    number = app.contact_registers.decide_restriction(
        case_ref,
        on=on,
        actor=actor(ctx),
        kind=kind,
        scope=scope,
        reason=reason,
        review_on=review_on,
    )
    click.echo(number)
    announce_recorded(case_ref, app, app.contact_registers.last_recorded)


@restriction.command("review")
@ledger_options
@click.argument("case_ref", metavar="REF")
@click.argument("number", type=int)
@on_option("Date of the review.")
@click.option(
    "--outcome",
    type=FixedName("review outcome", REVIEW_OUTCOMES),
    required=True,
    help="continued, varied or lifted.",
)
@click.option("--next-review-on", type=DATE, help="The next review (unless lifted).")
@click.option("--notes", required=True, help="What the review found (sealed).")
@click.pass_context
def review(
    ctx: click.Context,
    case_ref: str,
    number: int,
    on: date,
    outcome: str,
    next_review_on: date | None,
    notes: str,
) -> None:
    """Record a review of restriction NUMBER in the register of case REF.

    Example:

    \b
        complaints restriction review CSC-2025-0001 1 --on 2025-12-01 \\
            --outcome continued --next-review-on 2026-06-01 --notes "calls continue"
    """
    app = ledger(ctx)
    app.contact_registers.review_restriction(
        case_ref,
        number,
        on=on,
        actor=actor(ctx),
        outcome=outcome,
        next_review_on=next_review_on,
        notes=notes,
    )
    announce_recorded(case_ref, app, app.contact_registers.last_recorded)


@restriction.command("register")
@ledger_options
@click.argument("case_ref", metavar="REF")
@click.option("--on", "on", type=DATE, default=None, help="Judge review-due on this day.")
@click.option("--no-personal", is_flag=True, help="Leave out the sealed words.")
@format_option("text", "json")
@click.pass_context
def register(
    ctx: click.Context, case_ref: str, on: date | None, no_personal: bool, output_format: str
) -> None:
    """The register of case REF's complainant: restrictions with their reviews, and
    reasonable adjustments. Opening the words is written in the access log.

    Example:

    \b
        complaints restriction register CSC-2025-0001 --format json
    """
    app = ledger(ctx)
    shown = app.contact_registers.register(case_ref, on or app.today(), personal=not no_personal)
    if not no_personal and (shown["restrictions"] or shown["reasonable_adjustments"]):
        ledger(ctx, write=True).record_access(
            [case_ref], actor=actor(ctx), purpose="restriction register"
        )
    if output_format == "json":
        emit_json(shown)
        return
    click.echo("\n".join(register_lines(printable_values(shown)) or ["(empty register)"]))


def register_lines(register: dict[str, Any]) -> list[str]:
    """A register for reading (``show`` prints these under the case too)."""
    lines = []
    for r in register["restrictions"]:
        review = f"lifted {r['lifted_on']}" if r["lifted_on"] else f"review {r['review_on']}"
        lines.append(
            f"  restriction {r['number']}: {r['kind']} from {r['decided_on']}; {review} "
            f"({r['status']})"
        )
        for field in ("scope", "reason"):
            if field in r:
                lines.append(f"    {field}: {r[field]}")
        for rv in r["reviews"]:
            then = f", next {rv['next_review_on']}" if rv["next_review_on"] else ""
            notes = f": {rv['notes']}" if "notes" in rv else ""
            lines.append(f"    reviewed {rv['on']} {rv['outcome']}{then}{notes}")
    for a in register["reasonable_adjustments"]:
        detail = f": {a['detail']}" if "detail" in a else ""
        lines.append(f"  reasonable adjustment {a['kind']} agreed {a['agreed_on']}{detail}")
    return lines


@restriction.command("due")
@ledger_options
@click.option("--on", "on", type=DATE, default=None, help="The day (default today).")
@format_option("text", "json", "csv")
@click.pass_context
def due(ctx: click.Context, on: date | None, output_format: str) -> None:
    """Restrictions in force whose review date has come (no personal data).

    Example:

    \b
        complaints restriction due --on 2026-03-31 --format csv
    """
    from reports.contact_registers import restrictions_due

    app = ledger(ctx)
    day = on or app.today()
    rows = app.query(lambda session: restrictions_due(session, day))
    emit_rows(rows, output_format, empty=f"no restrictions due for review on {day.isoformat()}")


@group()
def adjustment() -> None:
    """Reasonable adjustments agreed for a complainant (shown with their case).

    Example:

    \b
        complaints adjustment agree CSC-2025-0001 --kind large-print --detail "16pt letters"
    """


@adjustment.command("agree")
@ledger_options
@click.argument("case_ref", metavar="REF")
@on_option("Date it was agreed.")
@click.option(
    "--kind",
    type=FixedName("reasonable adjustment", ADJUSTMENT_KINDS),
    required=True,
    help="e.g. large-print, interpreter, advocate-present, extra-time.",
)
@click.option("--detail", required=True, help="What was agreed (sealed: health data).")
@click.pass_context
def agree(ctx: click.Context, case_ref: str, on: date, kind: str, detail: str) -> None:
    """Record a reasonable adjustment agreed with the complainant of case REF.

    Example:

    \b
        complaints adjustment agree CSC-2025-0001 --on 2025-04-09 --kind interpreter \\
            --detail "Polish interpreter at every meeting"
    """
    app = ledger(ctx)
    app.contact_registers.agree_adjustment(
        case_ref, on=on, actor=actor(ctx), kind=kind, detail=detail
    )
    announce_recorded(case_ref, app, app.contact_registers.last_recorded)


@group("access-request")
def access_request() -> None:
    """Subject access requests received by children's services (UK GDPR Art. 15): due
    one calendar month after receipt, three when extended as complex. (Not
    ``subject-access``, which answers a request about the ledger's own records.)

    Example:

    \b
        complaints access-request show SAR-2025-0001
    """


@access_request.command("receive")
@ledger_options
@on_option("Date it was received.")
@click.option("--service-area", required=True, help="The service area holding the records.")
@click.option(
    "--requester",
    type=FixedName("requester", REQUESTERS),
    default="data-subject",
    show_default=True,
    help="data-subject, parent or representative.",
)
@click.pass_context
def receive(ctx: click.Context, on: date, service_area: str, requester: str) -> None:
    """Record a subject access request received; prints its reference.

    Example:

    \b
        complaints access-request receive --on 2025-04-07 \\
            --service-area "Children Looked After" --requester data-subject
    """
    app = ledger(ctx)
    ref = app.contact_registers.receive_access_request(
        on=on, actor=actor(ctx), service_area=service_area, requester=requester
    )
    click.echo(ref)
    announce_recorded(ref, app, app.contact_registers.last_recorded)


@access_request.command("extend")
@ledger_options
@click.argument("ref")
@on_option("Date of the extension (within the first month).")
@click.option("--reason", required=True, help="Why the request is complex (sealed).")
@click.pass_context
def extend(ctx: click.Context, ref: str, on: date, reason: str) -> None:
    """Extend a complex request by two further months.

    Example:

    \b
        complaints access-request extend SAR-2025-0001 --on 2025-04-20 \\
            --reason "records held over fifteen years by three teams"
    """
    app = ledger(ctx)
    app.contact_registers.act_on_request(
        ref, lambda r, policy: r.extend(on=on, actor=actor(ctx), policy=policy, reason=reason)
    )
    announce_recorded(ref, app, app.contact_registers.last_recorded)


@access_request.command("respond")
@ledger_options
@click.argument("ref")
@on_option("Date of the response.")
@click.option(
    "--outcome",
    type=FixedName("outcome", ACCESS_OUTCOMES),
    required=True,
    help="disclosed-in-full, disclosed-in-part, withheld, no-data-held or withdrawn.",
)
@click.pass_context
def respond(ctx: click.Context, ref: str, on: date, outcome: str) -> None:
    """Record the response to a subject access request.

    Example:

    \b
        complaints access-request respond SAR-2025-0001 --on 2025-05-06 \\
            --outcome disclosed-in-part
    """
    app = ledger(ctx)
    app.contact_registers.act_on_request(
        ref, lambda r, policy: r.respond(on=on, actor=actor(ctx), policy=policy, outcome=outcome)
    )
    announce_recorded(ref, app, app.contact_registers.last_recorded)


@access_request.command("review")
@ledger_options
@click.argument("ref")
@on_option("Date of the step.")
@click.option(
    "--outcome",
    type=FixedName("review outcome", ACCESS_REVIEW_OUTCOMES),
    help="Without it: the requester asked for an internal review. With it: the review's "
    "decision (response-upheld, further-disclosure, withdrawn).",
)
@click.pass_context
def review_request(ctx: click.Context, ref: str, on: date, outcome: str | None) -> None:
    """Record that an internal review of the response was asked for; later, the same
    command with --outcome records what the review decided.

    Example:

    \b
        complaints access-request review SAR-2025-0001 --on 2025-05-20
    """
    who = actor(ctx)
    app = ledger(ctx)
    if outcome is None:
        app.contact_registers.act_on_request(
            ref, lambda r, policy: r.request_review(on=on, actor=who, policy=policy)
        )
    else:
        app.contact_registers.act_on_request(
            ref, lambda r, policy: r.decide_review(on=on, actor=who, policy=policy, outcome=outcome)
        )
    announce_recorded(ref, app, app.contact_registers.last_recorded)


@access_request.command("show")
@ledger_options
@click.argument("ref")
@click.option("--on", "on", type=DATE, default=None, help="Judge overdue on this day.")
@format_option("text", "json")
@click.pass_context
def show(ctx: click.Context, ref: str, on: date | None, output_format: str) -> None:
    """One subject access request: its dates, deadline, outcome and review.

    Its extension reason is sealed; opening it is written in the access log.

    Example:

    \b
        complaints access-request show SAR-2025-0001 --format json
    """
    app = ledger(ctx)
    shown = app.contact_registers.access_request(ref, on or app.today())
    if shown["extension_reason"]:  # sealed words opened: logged like a case's (ADR 0044)
        ledger(ctx, write=True).record_access(
            [ref], actor=actor(ctx), purpose="access-request show"
        )
    if output_format == "json":
        emit_json(shown)
        return
    for key, value in printable_values(shown).items():
        click.echo(f"{key.replace('_', ' ')}: {'-' if value is None else value}")


@access_request.command("list")
@ledger_options
@click.option(
    "--status",
    type=NameChoice(["open", "overdue", "answered"]),
    help="Only those open (not yet due), overdue or answered.",
)
@click.option("--on", "on", type=DATE, default=None, help="Judge overdue on this day (today).")
@format_option("text", "json", "csv")
@click.pass_context
def list_requests(
    ctx: click.Context, status: str | None, on: date | None, output_format: str
) -> None:
    """Subject access requests with their service area, deadline and status.

    Example:

    \b
        complaints access-request list --status overdue --format csv
    """
    from reports.contact_registers import access_request_rows

    app = ledger(ctx)
    day = on or app.today()
    rows = app.query(lambda session: access_request_rows(session, day, status))
    emit_rows(rows, output_format, empty="no subject access requests")


COMMANDS = [restriction, adjustment, access_request]
