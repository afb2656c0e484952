"""Looking at a case: its current state and its history as recorded."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import click

from cli.base import command
from cli.options import (
    COUNT,
    DATETIME,
    NameChoice,
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
from domain.procedure import PROCEDURES, ProcedurePolicy


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def case_status(complaint: Complaint) -> str:
    if complaint.ended:
        return complaint.ended
    stage = complaint.stage
    if stage is None:
        return "awaiting-triage"
    if complaint.is_suspended:
        return "on-hold"
    return f"stage{stage.number}-{'open' if stage.is_open else 'responded'}"


def case_view(complaint: Complaint, policy: ProcedurePolicy) -> dict[str, Any]:
    """The case's current state as a document (no personal data)."""
    stages = []
    for stage in complaint.stages:
        stages.append(
            {
                "stage": stage.number,
                "started_on": _iso(stage.started_on),
                "clock_from": _iso(stage.clock_from),
                "working_days": stage.working_days,
                "extended": stage.extensions > 0,
                "deadline": _iso(complaint.stage_deadline(stage, policy)),
                "response_due": _iso(complaint.response_deadline(stage, policy)),
                "acknowledged_on": _iso(stage.acknowledged_on),
                "statement_agreed_on": _iso(stage.statement_agreed_on),
                "points": stage.points,
                "findings": {str(p): f for p, f in sorted(stage.findings.items())},
                "appointments": [
                    {"role": a.role, "person": a.person, "internal": a.internal, "on": _iso(a.on)}
                    for a in stage.appointments
                ],
                "panel_met_on": _iso(stage.panel_met_on),
                "panel_reported_on": _iso(stage.panel_reported_on),
                "responded_on": _iso(stage.responded_on),
                "outcome": stage.outcome,
                "remedies": stage.remedies,
                "on_time": complaint.responded_on_time(stage, policy),
                "working_days_taken": complaint.working_days_to_response(stage, policy),
                "withdrawn_on": _iso(stage.withdrawn_on),
                "late_reason": stage.late_reason,
            }
        )
    return {
        "ref": complaint.ref,
        "status": case_status(complaint),
        "procedure": complaint.procedure,
        "received_on": _iso(complaint.received_on),
        "triage": complaint.triage_decision,
        "triaged_on": _iso(complaint.triaged_on),
        "channel": complaint.channel,
        "role": complaint.role,
        "direct_from_child": complaint.direct_from_child,
        "service_area": complaint.service_area,
        "team": complaint.team,
        "reasons": complaint.reasons,
        "matter_on": _iso(complaint.matter_on),
        "current_stage": complaint.stage.number if complaint.stage else None,
        "ended": complaint.ended,
        "ended_on": _iso(complaint.ended_on),
        "on_hold": complaint.is_suspended,
        "suspensions": [{"from": _iso(a), "to": _iso(b)} for a, b in complaint.suspensions],
        "advocate": {
            "offered_on": _iso(complaint.advocate_offered_on),
            "accepted": complaint.advocate_accepted,
        },
        "dispute_resolution": {
            k: (_iso(v) if isinstance(v, date) else v)
            for k, v in complaint.dispute_resolution.items()
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
            for r in complaint.recommendations.values()
        ],
        "compensation": [
            {"on": _iso(p.on), "stage": p.stage, "amount": f"{p.amount:.2f}", "reason": p.reason}
            for p in complaint.payments
        ],
        "ombudsman": [
            {
                "enquiry_on": _iso(o.enquiry_on),
                "ombudsman_ref": o.ombudsman_ref,
                "decided_on": _iso(o.decided_on),
                "decision": o.decision,
                "remedies": o.remedies,
                "due": _iso(o.due),
                "complied_on": _iso(o.complied_on),
            }
            for o in complaint.ombudsman
        ],
        "amendments": [
            {
                "on": _iso(a.on),
                "field": a.field,
                "old": _plain(a.old),
                "new": _plain(a.new),
                "reason": a.reason,
            }
            for a in complaint.amendments
        ],
    }


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
    if personal:
        lines.append("  personal details (not for statistics):")
        lines.extend(f"    {key}: {text}" for key, text in sorted(personal.items()))
    return "\n".join(lines)


@command()
@ledger_options
@click.argument("ref")
@format_option("text", "json")
@click.option("--as-of", type=DATETIME, help="Show the case as the ledger knew it then.")
@click.option("--no-personal", is_flag=True, help="Leave out personal details.")
@click.pass_context
def show(
    ctx: click.Context, ref: str, output_format: str, as_of: datetime | None, no_personal: bool
) -> None:
    """Show a case's current state: stages, deadlines, recommendations, payments.

    Example:

    \b
        complaints show CSC-2025-0001 --format json
    """
    app = ledger(ctx)
    complaint = app.complaint(ref, as_of=as_of)
    view = case_view(complaint, app._policy())
    personal = {} if no_personal or as_of else app.personal_details(ref)
    if output_format == "json":
        if personal:
            view["personal"] = personal
        emit_json(view)
    else:
        click.echo(_text(view, personal))


@command()
@ledger_options
@click.argument("ref")
@format_option("text", "json")
@click.option("--as-of", type=DATETIME, help="Only what had been recorded by then.")
@click.pass_context
def history(ctx: click.Context, ref: str, output_format: str, as_of: datetime | None) -> None:
    """The case's events in the order they were recorded, with actor and dates.

    Example:

    \b
        complaints history CSC-2025-0001 --format json --as-of 2025-05-01T12:00:00
    """
    app = ledger(ctx)
    events = app.history(ref, as_of=as_of)
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
        line = (
            f"{e.version:>3}  {_iso(e.on)}  {e.type:<26} {e.actor or '-':<12} "
            f"recorded {e.recorded_at.isoformat(timespec='seconds')}  {details}"
        )
        if e.voided is not None:
            # Struck through, and said in words for terminals that cannot strike.
            line = f"{click.style(line, strikethrough=True)}  [VOIDED by version " + (
                f"{e.voided['by_version']}: {e.voided['reason']}]"
            )
        click.echo(line)


def _voiding(voided: dict[str, Any] | None) -> dict[str, Any] | None:
    if voided is None:
        return None
    return {**voided, "on": _iso(voided["on"])}


@command("list")
@ledger_options
@click.option("--procedure", type=NameChoice(PROCEDURES), help="Only this procedure.")
@click.option("--stage", type=COUNT, help="Only cases now at this stage.")
@click.option("--service-area", help="Only this service area.")
@click.option("--team", help="Only this team.")
@click.option("--open", "only_open", is_flag=True, help="Only cases with a stage open.")
@click.option("--overdue", "only_overdue", is_flag=True, help="Only cases past their deadline.")
@judge_on_option()
@as_of_option()
@format_option("text", "json", "csv")
@click.pass_context
def list_cases(
    ctx: click.Context,
    procedure: str | None,
    stage: int | None,
    service_area: str | None,
    team: str | None,
    only_open: bool,
    only_overdue: bool,
    on: date | None,
    as_of: datetime | None,
    output_format: str,
) -> None:
    """List cases with their current stage and status, filtered for day-to-day work.

    Overdue is judged on --on (default today); with --as-of, the cases as they had been
    recorded by then, judged on that day unless --on says otherwise.

    Example:

    \b
        complaints list --open --team "Locality North"
    """
    from reports.operational import CaseFilter, case_list

    app = ledger(ctx)
    chosen = CaseFilter(procedure, stage, service_area, team, only_open, only_overdue)
    day = judging_day(on, as_of)
    rows = recorded_rows(
        app, lambda session: case_list(session, day, app.policy.calendar, chosen), as_of
    )
    emit_rows(rows, output_format, empty="no cases")


COMMANDS = [show, history, list_cases]
