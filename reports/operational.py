"""Day-to-day views from the read models: open cases, recommendations, case lists.

Nothing here reads personal data: references, dates, stages, teams and taxonomy names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, Table, and_, or_, select
from sqlalchemy.orm import Session

from domain.calendar import WorkingDayCalendar
from projections import tables as t
from projections.facts import answered_on_time, feedback_status

DUE_SOON_WORKING_DAYS = 5


@dataclass(frozen=True)
class CaseFilter:
    procedure: str | None = None
    stage: int | None = None
    service_area: str | None = None
    team: str | None = None
    only_open: bool = False
    only_overdue: bool = False
    received_from: date | None = None
    received_to: date | None = None


def _stage_status(deadline: date | None, as_of: date, soon: date) -> str:
    if deadline is None:
        return "on-hold"
    if deadline < as_of:
        return "overdue"
    if deadline <= soon:
        return "due-soon"
    return "open"


def open_cases(session: Session, as_of: date, calendar: WorkingDayCalendar) -> list[dict[str, Any]]:
    """Every stage open on ``as_of``, by service area, with its deadline and status."""
    s, c = t.stages, t.cases
    soon = calendar.add_working_days(as_of, DUE_SOON_WORKING_DAYS)
    rows = session.execute(
        select(s, c.c.ref, c.c.service_area, c.c.team, c.c.on_hold)
        .join(c, c.c.case_id == s.c.case_id)
        .where(
            and_(
                s.c.started_on <= as_of,
                or_(s.c.responded_on.is_(None), s.c.responded_on > as_of),
                or_(s.c.withdrawn_on.is_(None), s.c.withdrawn_on > as_of),
                or_(c.c.ended_on.is_(None), c.c.ended_on > as_of),
            )
        )
    )
    listing = []
    days_left: dict[date, int] = {}  # many stages share a deadline: counted once each
    for row in rows:
        deadline = row.response_due
        status = _stage_status(deadline, as_of, soon)
        if deadline is None:
            days = None
        elif deadline in days_left:
            days = days_left[deadline]
        elif deadline < as_of:
            days = days_left[deadline] = -calendar.working_days_between(deadline, as_of)
        else:
            days = days_left[deadline] = calendar.working_days_between(as_of, deadline)
        listing.append(
            {
                "service_area": row.service_area or "not recorded",
                "team": row.team or "not recorded",
                "ref": row.ref,
                "procedure": row.procedure,
                "stage": row.stage,
                "started_on": row.started_on.isoformat(),
                "due": deadline.isoformat() if deadline else None,
                "working_days_left": days,
                "status": status,
            }
        )
    listing.sort(key=lambda r: (r["service_area"], r["due"] or "9999", r["ref"]))
    return listing


def recommendations(session: Session, as_of: date, status: str | None) -> list[dict[str, Any]]:
    """Recommendations with their status as of ``as_of``: made, accepted, rejected,
    completed, overdue (accepted, not completed, due date passed)."""
    r = t.recommendations
    query = select(r).where(r.c.made_on <= as_of).where(*_recommendations_chosen(as_of, status))
    listing = []
    for row in session.execute(query):
        decided = row.decided_on is not None and row.decided_on <= as_of
        completed = row.completed_on is not None and row.completed_on <= as_of
        if completed:
            state = "completed"
        elif decided and row.decision == "rejected":
            state = "rejected"
        elif decided and row.due is not None and row.due < as_of:
            state = "overdue"
        elif decided:
            state = "accepted"
        else:
            state = "awaiting-decision"
        is_open = state in ("accepted", "overdue", "awaiting-decision")
        if status == "open" and not is_open:
            continue
        if status in ("overdue", "completed") and state != status:
            continue
        listing.append(
            {
                "ref": row.ref,
                "id": row.recommendation_id,
                "stage": row.stage,
                "theme": row.theme,
                "made_on": row.made_on.isoformat(),
                "owner": row.owner,
                "due": row.due.isoformat() if row.due else None,
                "completed_on": row.completed_on.isoformat() if completed else None,
                "status": state,
            }
        )
    listing.sort(key=lambda x: (x["due"] or "9999", x["ref"], x["id"]))
    return listing


def _recommendations_chosen(as_of: date, status: str | None) -> list[Any]:
    """What the database can tell of the ``status`` asked for, so that only the
    recommendations that may have it are read (each is still judged row by row)."""
    r = t.recommendations
    completed = and_(r.c.completed_on.is_not(None), r.c.completed_on <= as_of)
    not_completed = or_(r.c.completed_on.is_(None), r.c.completed_on > as_of)
    if status == "completed":
        return [completed]
    if status == "overdue":
        return [not_completed, r.c.decided_on <= as_of, r.c.due < as_of]
    if status == "open":
        rejected = and_(r.c.decided_on <= as_of, r.c.decision == "rejected")
        return [not_completed, or_(r.c.decision.is_(None), r.c.decided_on.is_(None), ~rejected)]
    return []


def _cases_chosen(chosen: CaseFilter, as_of: date) -> list[Any]:
    """What the database can tell of the open or overdue cases asked for, so that
    only the cases that may be are read (each is still judged row by row)."""
    c, s = t.cases, t.stages
    if not (chosen.only_open or chosen.only_overdue):
        return []
    not_ended = or_(c.c.ended.is_(None), c.c.ended == "")
    unanswered = [s.c.responded_on.is_(None), s.c.withdrawn_on.is_(None)]
    if chosen.only_overdue:
        return [not_ended, *unanswered, c.c.current_stage.is_not(None), s.c.response_due < as_of]
    return [not_ended, *unanswered]


def _where_chosen(query: Select[Any], table: Table, chosen: CaseFilter) -> Select[Any]:
    """``query`` narrowed to the service area, team and receipt dates ``chosen``."""
    if chosen.service_area:
        query = query.where(table.c.service_area == chosen.service_area)
    if chosen.team:
        query = query.where(table.c.team == chosen.team)
    if chosen.received_from:
        query = query.where(table.c.received_on >= chosen.received_from)
    if chosen.received_to:
        query = query.where(table.c.received_on <= chosen.received_to)
    return query


def case_list(
    session: Session, as_of: date, calendar: WorkingDayCalendar, chosen: CaseFilter
) -> list[dict[str, Any]]:
    """Cases with their current stage, filtered for day-to-day work."""
    c, s = t.cases, t.stages
    query = select(
        c, s.c.started_on, s.c.response_due, s.c.responded_on, s.c.withdrawn_on, s.c.outcome
    ).outerjoin(s, and_(s.c.case_id == c.c.case_id, s.c.stage == c.c.current_stage))
    if chosen.procedure:
        query = query.where(c.c.procedure == chosen.procedure)
    if chosen.stage:
        query = query.where(c.c.current_stage == chosen.stage)
    query = _where_chosen(query, c, chosen).where(*_cases_chosen(chosen, as_of))
    soon = calendar.add_working_days(as_of, DUE_SOON_WORKING_DAYS)
    listing = []
    for row in session.execute(query):
        is_open = (
            row.ended is None
            and row.current_stage is not None
            and row.responded_on is None
            and row.withdrawn_on is None
        )
        status = row.ended or ("awaiting-triage" if row.current_stage is None else None)
        if status is None:
            status = (
                _stage_status(row.response_due, as_of, soon)
                if is_open
                else f"stage{row.current_stage}-responded"
            )
        if chosen.only_open and not (is_open or status == "awaiting-triage"):
            continue
        if chosen.only_overdue and status != "overdue":
            continue
        listing.append(
            {
                "ref": row.ref,
                "procedure": row.procedure,
                "stage": row.current_stage,
                "received_on": row.received_on.isoformat(),
                "service_area": row.service_area,
                "team": row.team,
                "due": row.response_due.isoformat() if is_open and row.response_due else None,
                "outcome": row.outcome,
                "status": status,
            }
        )
    listing.sort(key=lambda x: x["ref"])
    return listing


def representation_list(
    session: Session, kind: str, as_of: date, calendar: WorkingDayCalendar, chosen: CaseFilter
) -> list[dict[str, Any]]:
    """Compliments, enquiries, feedback or advocacy referrals (``kind``), oldest first,
    with the columns that kind has. Enquiries are judged overdue on ``as_of``; ``open``
    means not yet answered (enquiries) or resolved or converted (feedback)."""
    r = t.representations
    query = select(r).where(r.c.kind == kind).order_by(r.c.received_on, r.c.ref)
    query = _where_chosen(query, r, chosen)
    soon = calendar.add_working_days(as_of, DUE_SOON_WORKING_DAYS)
    listing = []
    for row in session.execute(query):
        common = {
            "ref": row.ref,
            "received_on": row.received_on.isoformat(),
            "service_area": row.service_area,
            "team": row.team,
        }
        if kind == "compliment":
            listing.append(
                common | {"channel": row.channel, "role": row.role, "publishable": row.publishable}
            )
        elif kind == "enquiry":
            answered = row.responded_on
            status = "answered" if answered else _stage_status(row.due, as_of, soon)
            if chosen.only_open and answered:
                continue
            if chosen.only_overdue and status != "overdue":
                continue
            listing.append(
                common
                | {
                    "from": row.source,
                    "due": row.due.isoformat() if row.due else None,
                    "responded_on": answered.isoformat() if answered else None,
                    "on_time": answered_on_time(answered, row.due),
                    "status": status,
                }
            )
        elif kind == "feedback":
            status = feedback_status(row.responded_on, row.complaint_ref)
            if chosen.only_open and status != "open":
                continue
            listing.append(
                common
                | {
                    "feedback_kind": row.source,
                    "channel": row.channel,
                    "resolved_on": row.responded_on.isoformat() if row.responded_on else None,
                    "complaint_ref": row.complaint_ref,
                    "status": status,
                }
            )
        else:
            listing.append(
                common
                | {"age_band": row.age_band, "theme": row.theme, "complaint_ref": row.complaint_ref}
            )
    return listing
