"""Looking at a case: its current state and its history as recorded."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any, TypeVar

import click

from cli.base import command
from cli.case_links_views import case_link_keys, case_link_lines
from cli.casework_view import casework_document, casework_lines
from cli.failures import printable, printable_values
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
    note_recorded_later,
    recorded_rows,
)
from domain.complaint import Complaint
from domain.personal import marked_note, shown_marker
from domain.procedure import PROCEDURES, ProcedurePolicy
from projections.facts import (
    RECORD_KINDS,
    AmendmentFacts,
    CaseFacts,
    RepresentationFacts,
    case_facts,
    representation_facts,
)

T = TypeVar("T")


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def case_view(complaint: Complaint, policy: ProcedurePolicy) -> dict[str, Any]:
    """The case's current state as a document (no personal data: text sealed in a step
    is shown by its note's key)."""
    return unseal(case_document(case_facts(complaint, policy)), {})[0]


def case_document(facts: CaseFacts) -> dict[str, Any]:
    """A complaint's facts as ``show --format json`` prints them."""
    stages = []
    for stage in facts.stages:
        stages.append(
            {
                "stage": stage.stage,
                "started_on": _iso(stage.started_on),
                "clock_from": _iso(stage.clock_from),
                "clock_basis": stage.clock_basis,
                "working_days": stage.working_days,
                "extended": stage.extended,
                "deadline": _iso(stage.deadline),
                "response_due": _iso(stage.response_due),
                "acknowledged_on": _iso(stage.acknowledged_on),
                "acknowledgement_due": _iso(stage.acknowledgement_due),
                "acknowledged_on_time": stage.acknowledged_on_time,
                "handler": stage.handler,
                "statement_agreed_on": _iso(stage.statement_agreed_on),
                "points": stage.points,
                "findings": {str(p): f for p, f in stage.findings.items()},
                "appointments": [
                    {"role": a.role, "person": a.person, "internal": a.internal, "on": _iso(a.on)}
                    for a in stage.appointments
                ],
                "panel_met_on": _iso(stage.panel_met_on),
                "panel_reported_on": _iso(stage.panel_reported_on),
                "panel_on_time": stage.panel_on_time,
                "responded_on": _iso(stage.responded_on),
                "outcome": stage.outcome,
                "remedies": list(stage.remedies),
                "on_time": stage.on_time,
                "working_days_taken": stage.working_days_taken,
                "withdrawn_on": _iso(stage.withdrawn_on),
                "late_reason": stage.late_reason,
                "reopened_on": _iso(stage.reopened_on),
            }
        )
    return {
        "ref": facts.ref,
        "kind": "complaint",
        "status": facts.status,
        "procedure": facts.procedure,
        "received_on": _iso(facts.received_on),
        "triage": facts.triage,
        "triaged_on": _iso(facts.triaged_on),
        "channel": facts.channel,
        "role": facts.role,
        "direct_from_child": facts.direct_from_child,
        "service_area": facts.service_area,
        "team": facts.team,
        "reasons": list(facts.reasons),
        "matter_on": _iso(facts.matter_on),
        "current_stage": facts.current_stage,
        "ended": facts.ended,
        "ended_on": _iso(facts.ended_on),
        "on_hold": facts.on_hold,
        "suspensions": [{"from": _iso(a), "to": _iso(b)} for a, b in facts.suspensions],
        "advocate": {
            "offered_on": _iso(facts.advocate_offered_on),
            "accepted": facts.advocate_accepted,
        },
        "dispute_resolution": {
            k: (_iso(v) if isinstance(v, date) else v) for k, v in facts.dispute_resolution.items()
        },
        "stages": stages,
        "recommendations": [
            {
                "id": r.id,
                "stage": r.stage,
                "made_on": _iso(r.made_on),
                "theme": r.theme,
                "status": r.status,
                "decided_on": _iso(r.decided_on),
                "owner": r.owner,
                "due": _iso(r.due),
                "completed_on": _iso(r.completed_on),
            }
            for r in facts.recommendations
        ],
        "compensation": [
            {"on": _iso(p.on), "stage": p.stage, "amount": f"{p.amount:.2f}", "reason": p.reason}
            for p in facts.payments
        ],
        "ombudsman": [
            {
                "enquiry_on": _iso(o.enquiry_on),
                "ombudsman_ref": o.ombudsman_ref,
                "decided_on": _iso(o.decided_on),
                "decision": o.decision,
                "remedies": list(o.remedies),
                "due": _iso(o.due),
                "complied_on": _iso(o.complied_on),
                "satisfactory_remedy": o.satisfactory_remedy,
            }
            for o in facts.ombudsman
        ],
        "from_feedback": facts.from_feedback,
        "amendments": _amendments(facts.amendments),
        "casework": casework_document(facts.casework),
        **case_link_keys(facts),
    }


def _amendments(amendments: tuple[AmendmentFacts, ...]) -> list[dict[str, Any]]:
    return [
        {
            "on": _iso(a.on),
            "field": a.field,
            "old": _plain(a.old),
            "new": _plain(a.new),
            "reason": a.reason,
        }
        for a in amendments
    ]


def representation_document(facts: RepresentationFacts) -> dict[str, Any]:
    """A compliment's, enquiry's, feedback's or advocacy referral's facts as
    ``show --format json`` prints them: what they share, then what their kind adds."""
    document: dict[str, Any] = {
        "ref": facts.ref,
        "kind": facts.kind,
        "status": facts.status,
        "received_on": _iso(facts.received_on),
        "service_area": facts.service_area,
        "team": facts.team,
    }
    if facts.kind == "compliment":
        document.update(
            channel=facts.channel,
            role=facts.role,
            publishable=facts.publishable_on is not None,
            publishable_on=_iso(facts.publishable_on),
        )
    elif facts.kind == "enquiry":
        document.update(
            {
                "from": facts.source,
                "working_days": facts.working_days,
                "due": _iso(facts.due),
                "responded_on": _iso(facts.responded_on),
                "on_time": facts.on_time,
            }
        )
    elif facts.kind == "feedback":
        document.update(
            feedback_kind=facts.source,
            channel=facts.channel,
            resolved_on=_iso(facts.responded_on),
            became_complaint_on=_iso(facts.converted_on),
            complaint_ref=facts.complaint_ref,
        )
    else:
        document.update(
            age_band=facts.age_band,
            theme=facts.theme,
            complaint_ref=facts.complaint_ref,
            linked_on=_iso(facts.linked_on),
        )
    document["amendments"] = _amendments(facts.amendments)
    return document


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _text(view: dict[str, Any], personal: dict[str, str]) -> str:
    lines = [f"{view['ref']}  {view['status']}  ({view['procedure'] or 'not triaged'})"]
    facts = [
        f"received {view['received_on']}",
        f"channel {view['channel'] or '-'}",
        f"role {view['role'] or '-'}",
        f"service area {view['service_area'] or '-'}",
        f"team {view['team'] or '-'}",
    ]
    lines.append("  " + "; ".join(facts))
    if view["reasons"]:
        lines.append("  reasons: " + ", ".join(view["reasons"]))
    if view["ended"]:
        lines.append(f"  ended: {view['ended']} on {view['ended_on']}")
    for stage in view["stages"]:
        state = (
            f"responded {stage['responded_on']} {stage['outcome']} "
            f"({'on time' if stage['on_time'] else 'late'}, {stage['working_days_taken']} wd)"
            if stage["responded_on"]
            else ("withdrawn " + stage["withdrawn_on"] if stage["withdrawn_on"] else "open")
        )
        lines.append(
            f"  Stage {stage['stage']}: from {stage['started_on']}, "
            f"{stage['working_days']} working days{' (extended)' if stage['extended'] else ''}, "
            f"due {stage['response_due']}; {state}"
        )
        if stage["panel_met_on"]:
            reported = stage["panel_reported_on"] or "-"
            lines.append(f"    panel met {stage['panel_met_on']}, reported {reported}")
        if stage["findings"]:
            lines.append(
                "    findings: " + ", ".join(f"{p}: {f}" for p, f in stage["findings"].items())
            )
    for rec in view["recommendations"]:
        lines.append(
            f"  recommendation {rec['id']} (stage {rec['stage']}): {rec['status']}"
            + (f", owner {rec['owner']}, due {rec['due']}" if rec["owner"] or rec["due"] else "")
        )
    for payment in view["compensation"]:
        lines.append(f"  compensation £{payment['amount']} at stage {payment['stage']}")
    for enquiry in view["ombudsman"]:
        lines.append(
            f"  Ombudsman enquiry {enquiry['enquiry_on']}: "
            f"{enquiry['decision'] or 'awaiting decision'}"
        )
    lines.extend(casework_lines(view["casework"]))
    lines.extend(case_link_lines(view))
    lines.extend(_personal_lines(personal))
    return "\n".join(lines)


def _personal_lines(personal: dict[str, str]) -> list[str]:
    if not personal:
        return []
    return ["  personal details (not for statistics):"] + [
        f"    {key}: {text}" for key, text in sorted(personal.items())
    ]


def _representation_text(view: dict[str, Any], personal: dict[str, str]) -> str:
    """A compliment, enquiry, feedback or advocacy referral for reading."""
    kind = view["kind"]
    details = [f"received {view['received_on']}"]
    if kind == "enquiry":
        details.append(f"from {view['from']}")
    elif kind == "feedback":
        details.append(f"kind {view['feedback_kind']}")
    elif kind == "advocacy":
        details += [f"age band {view['age_band'] or '-'}", f"theme {view['theme'] or '-'}"]
    if kind in ("compliment", "feedback"):
        details.append(f"channel {view['channel'] or '-'}")
    if kind == "compliment":
        details.append(f"role {view['role'] or '-'}")
    details += [f"service area {view['service_area'] or '-'}", f"team {view['team'] or '-'}"]
    lines = [f"{view['ref']}  {kind}  {view['status']}", "  " + "; ".join(details)]
    if kind == "compliment" and view["publishable"]:
        lines.append(f"  approved for publication {view['publishable_on']}")
    elif kind == "enquiry":
        answer = (
            f"answered {view['responded_on']} ({'on time' if view['on_time'] else 'late'})"
            if view["responded_on"]
            else "not answered yet"
        )
        lines.append(f"  due {view['due']} ({view['working_days']} working days); {answer}")
    elif kind == "feedback" and view["became_complaint_on"]:
        lines.append(f"  became complaint {view['complaint_ref']} on {view['became_complaint_on']}")
    elif kind == "feedback" and view["resolved_on"]:
        lines.append(f"  resolved {view['resolved_on']} without a formal complaint")
    elif kind == "advocacy" and view["complaint_ref"]:
        linked = f" (linked {view['linked_on']})" if view["linked_on"] else ""
        lines.append(f"  led to complaint {view['complaint_ref']}{linked}")
    for amendment in view["amendments"]:
        lines.append(
            f"  corrected {amendment['field']} on {amendment['on']}: {amendment['old']!r} "
            f"to {amendment['new']!r} ({amendment['reason']})"
        )
    lines.extend(_personal_lines(personal))
    return "\n".join(lines)


@command()
@ledger_options
@click.argument("ref")
@format_option("text", "json")
@click.option("--as-of", type=DATETIME, help="Show it as the ledger knew it then.")
@click.option("--no-personal", is_flag=True, help="Leave out personal details.")
@click.pass_context
def show(
    ctx: click.Context, ref: str, output_format: str, as_of: datetime | None, no_personal: bool
) -> None:
    """Show a record's current state: a complaint's stages, deadlines, recommendations
    and payments, or a compliment, enquiry, feedback or advocacy referral (the
    reference's prefix tells which).

    Example:

    \b
        complaints show CSC-2025-0001 --format json
        complaints show ENQ-2025-0001
    """
    app = ledger(ctx)
    found = app.record(ref, as_of=as_of)
    policy = app.policy_for_today()
    if isinstance(found, Complaint):
        view = case_document(case_facts(found, policy))
        render = _text
    else:
        view = representation_document(representation_facts(found, policy))
        render = _representation_text
    personal = {} if no_personal or as_of else app.personal_details(ref, found)
    if personal:
        ledger(ctx, write=True).record_access([ref], actor=actor(ctx), purpose="show")
    view, personal = unseal(view, personal)
    # Typed text the view has no place for (a suspension's reason, ...): its own key,
    # by the note that holds it, so "personal" keeps the notes it always had.
    typed = {k: v for k, v in personal.items() if k.startswith("text:")}
    personal = {k: v for k, v in personal.items() if k not in typed}
    register = _register(ctx, found, ref, as_of, opened=not no_personal)
    if output_format == "json":
        if personal:
            view["personal"] = personal
        if typed:
            view["typed_text"] = typed
        view.update(register)
        emit_json(view)
    else:
        # Text a user typed is printed with its control characters escaped: a newline
        # in a reason cannot make a line of its own (an ``Error:`` line, say).
        lines = [f"    {key}: {text}" for key, text in sorted(printable_values(typed).items())]
        typed_lines = "\n  typed text (opened; not for statistics):\n" + "\n".join(lines)
        click.echo(
            render(printable_values(view), printable_values(personal))
            + (typed_lines if typed else "")
        )
        if register:
            from cli.contact_registers import register_lines

            click.echo("\n".join(register_lines(printable_values(register))))


def _register(
    ctx: click.Context, found: Any, ref: str, as_of: datetime | None, opened: bool
) -> dict[str, Any]:
    """The case's complainant's contact register (restrictions, reasonable adjustments:
    ADR 0040) for ``show`` and ``history``; empty for another record or when the
    complainant has none. Its words are opened (and logged) when ``opened``; as of a
    moment, it is the register as recorded by then, judged on that day and, like the
    case's personal details then, without its words (ADR 0043)."""
    if not isinstance(found, Complaint):
        return {}
    app = ledger(ctx)
    if as_of is not None:
        opened = False
        day = judging_day(None, as_of)
    else:
        day = app.today()
    register = app.contact_registers.register(ref, day, personal=opened, as_of=as_of)
    if not register["restrictions"] and not register["reasonable_adjustments"]:
        return {}
    if opened:
        ledger(ctx, write=True).record_access([ref], actor=actor(ctx), purpose="register")
    return register


@command()
@ledger_options
@click.argument("ref")
@format_option("text", "json")
@click.option("--as-of", type=DATETIME, help="Only what had been recorded by then.")
@click.option(
    "--personal",
    is_flag=True,
    help="Show the free text of each step (reasons, evidence), opened with the key store; "
    "without it a step shows which sealed note holds its text.",
)
@click.pass_context
def history(
    ctx: click.Context, ref: str, output_format: str, as_of: datetime | None, personal: bool
) -> None:
    """A record's events in the order they were recorded, with actor and dates: a
    complaint's, or a compliment's, enquiry's, feedback's or advocacy referral's.

    Example:

    \b
        complaints history CSC-2025-0001 --format json --as-of 2025-05-01T12:00:00
        complaints history FBK-2025-0001
    """
    app = ledger(ctx)
    events = app.history(ref, as_of=as_of)
    if personal:
        notes = app.personal_details(ref)
        if notes:
            ledger(ctx, write=True).record_access(
                [ref], actor=actor(ctx), purpose="history --personal"
            )
        events = [
            replace(e, data=unseal(e.data, notes)[0], voided=unseal(e.voided, notes)[0])
            for e in events
        ]
    if as_of is not None and not events:
        later = sum(1 for e in app.history(ref) if e.recorded_at > as_of)
        note_recorded_later(as_of, later)
    if output_format == "json":
        emit_json(
            [
                {
                    "version": e.version,
                    "type": e.type,
                    "on": _iso(e.on),
                    "recorded_at": e.recorded_at.isoformat(),
                    "actor": e.actor,
                    "data": e.data,
                    "voided": _voiding(e.voided),
                }
                for e in events
            ]
        )
        return
    for e in events:
        details = ", ".join(
            f"{k}={_plain(v)}" for k, v in e.data.items() if v not in (None, [], "")
        )
        line = printable(
            f"{e.version:>3}  {_iso(e.on)}  {e.type:<26} {e.actor or '-':<12} "
            f"recorded {e.recorded_at.isoformat(timespec='seconds')}  {details}"
        )
        if e.voided is not None:
            # Struck through, and said in words for terminals that cannot strike.
            line = f"{click.style(line, strikethrough=True)}  [VOIDED by version " + printable(
                f"{e.voided['by_version']}: {e.voided['reason']}]"
            )
        click.echo(line)
    if events:
        register = _register(ctx, app.record(ref, as_of=as_of), ref, as_of, opened=personal)
        if register:
            from cli.contact_registers import register_lines

            click.echo("register of the complainant (ADR 0040):")
            click.echo("\n".join(register_lines(printable_values(register))))


def unseal(value: T, personal: dict[str, str]) -> tuple[T, dict[str, str]]:
    """``value`` with each sealed-note marker replaced by the note's text (or what says it
    was erased), and the notes left that no marker named. A marker whose note is not
    among ``personal`` is shown by the note's key alone (never its sealed data)."""
    used: set[str] = set()

    def walk(item: Any) -> Any:
        if isinstance(item, dict):
            return {k: walk(v) for k, v in item.items()}
        if isinstance(item, list | tuple):
            return type(item)(walk(v) for v in item)
        key = marked_note(item)
        if key is not None and key in personal:
            used.add(key)
            return personal[key]
        return shown_marker(item)

    opened = walk(value)
    return opened, {k: v for k, v in personal.items() if k not in used}


def _voiding(voided: dict[str, Any] | None) -> dict[str, Any] | None:
    if voided is None:
        return None
    return {**voided, "on": _iso(voided["on"])}


@command("list")
@ledger_options
@click.option(
    "--kind",
    type=NameChoice(RECORD_KINDS),
    default="complaint",
    show_default=True,
    help="What to list: " + "|".join(RECORD_KINDS) + ".",
)
@click.option("--procedure", type=NameChoice(PROCEDURES), help="Only this procedure.")
@click.option("--stage", type=COUNT, help="Only cases now at this stage.")
@click.option("--service-area", help="Only this service area.")
@click.option("--team", help="Only this team.")
@click.option("--received-from", type=DATE, help="Only those received on or after this day.")
@click.option("--received-to", type=DATE, help="Only those received on or before this day.")
@click.option(
    "--open",
    "only_open",
    is_flag=True,
    help="Only cases with a stage open (enquiries: not answered; feedback: not closed).",
)
@click.option(
    "--overdue", "only_overdue", is_flag=True, help="Only cases (or enquiries) past their deadline."
)
@judge_on_option()
@as_of_option()
@format_option("text", "json", "csv")
@click.pass_context
def list_cases(
    ctx: click.Context,
    kind: str,
    procedure: str | None,
    stage: int | None,
    service_area: str | None,
    team: str | None,
    received_from: date | None,
    received_to: date | None,
    only_open: bool,
    only_overdue: bool,
    on: date | None,
    as_of: datetime | None,
    output_format: str,
) -> None:
    """List cases with their current stage and status, filtered for day-to-day work;
    with --kind, compliments, enquiries, initial feedback or advocacy referrals.

    Overdue is judged on --on (default today); with --as-of, the cases as they had been
    recorded by then, judged on that day unless --on says otherwise.

    Example:

    \b
        complaints list --open --team "Locality North"
        complaints list --kind enquiry --overdue --format csv
        complaints list --kind compliment --received-from 2025-04-01 --received-to 2026-03-31
    """
    from reports.operational import CaseFilter, case_list, representation_list

    not_for = {
        "--procedure": procedure and kind != "complaint",
        "--stage": stage and kind != "complaint",
        "--open": only_open and kind not in ("complaint", "enquiry", "feedback"),
        "--overdue": only_overdue and kind not in ("complaint", "enquiry"),
    }
    for option, misused in not_for.items():
        if misused:
            raise click.UsageError(f"{option} does not apply to --kind {kind}")
    app = ledger(ctx)
    chosen = CaseFilter(
        procedure,
        stage,
        service_area,
        team,
        only_open,
        only_overdue,
        received_from=received_from,
        received_to=received_to,
    )
    day = judging_day(on, as_of)
    if kind == "complaint":
        rows = recorded_rows(
            app, lambda session: case_list(session, day, app.policy.calendar, chosen), as_of
        )
        emit_rows(rows, output_format, empty="no cases")
        return
    rows = recorded_rows(
        app,
        lambda session: representation_list(session, kind, day, app.policy.calendar, chosen),
        as_of,
    )
    emit_rows(rows, output_format, empty=f"no {kind} records")


COMMANDS = [show, history, list_cases]
