"""The annual report's sections on unreasonable-actions restrictions and on subject
access requests received by children's services, and the list of restrictions due for
review (ADR 0040). Every figure is counted in SQL from the read models (kinds, service
areas, outcomes and dates: never a word of a register, never a person).

``restrictions``: restrictions in force at the end of the period by kind, decided and
lifted in it, reviews held in it. ``subject_access_requests``: requests received in the
period by service area; those answered in it by outcome, on time (by their deadline: one
calendar month from receipt, three when extended as complex) and extended; those open
and overdue at the period's end; internal reviews asked for and decided, by outcome.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from projections import tables
from reports.statements import END, START, in_period, rows

if TYPE_CHECKING:
    from reports.annual import Period


def _between(column: Any) -> Any:
    return and_(column >= START, column <= END)


def _counted(session: Session, statement: Any, period: Period) -> dict[str, int]:
    return {str(name): int(n) for name, n in rows(session, statement, in_period(period))}


def _counted_statement(column: Any, *where: Any) -> Any:
    return select(column, func.count()).where(*where).group_by(column).order_by(column)


def _tally(condition: Any) -> Any:
    """How many rows meet ``condition`` (none where it is unknown, NULL)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


# The sections' statements, built once (ADR 0052).
def _in_force() -> tuple[Any, Any]:
    """Restrictions in force at the period's end."""
    t = tables.restrictions
    return t.c.decided_on <= END, or_(t.c.lifted_on.is_(None), t.c.lifted_on > END)


@cache
def _in_force_by_kind_statement() -> Any:
    return _counted_statement(tables.restrictions.c.kind, *_in_force())


@cache
def _restriction_counts_statement() -> Any:
    t = tables.restrictions
    in_force = _in_force()
    return select(
        _tally(_between(t.c.decided_on)).label("decided"),
        _tally(_between(t.c.lifted_on)).label("lifted"),
        _tally(and_(*in_force, t.c.review_on < END)).label("review_overdue"),
        func.count(func.distinct(case((and_(*in_force), t.c.ref)))).label("people"),
    )


@cache
def _request_counts_statement() -> Any:
    """Every count of the subject access requests in one statement (a register's few
    rows a year)."""
    t = tables.access_requests
    answered = _between(t.c.responded_on)
    open_at_end = and_(
        t.c.received_on <= END,
        or_(t.c.responded_on.is_(None), t.c.responded_on > END),
    )
    return select(
        _tally(_between(t.c.received_on)).label("received"),
        _tally(answered).label("responded"),
        _tally(and_(answered, t.c.responded_on <= t.c.due)).label("on_time"),
        _tally(_between(t.c.extended_on)).label("extended"),
        _tally(open_at_end).label("open_at_end"),
        _tally(and_(open_at_end, t.c.due < END)).label("overdue_at_end"),
        _tally(_between(t.c.review_requested_on)).label("reviews_requested"),
        _tally(_between(t.c.reviewed_on)).label("reviews_decided"),
    )


@cache
def _requests_by_statement(column: str, dated_by: str) -> Any:
    t = tables.access_requests
    return _counted_statement(t.c[column], _between(t.c[dated_by]))


def _requests_by(session: Session, period: Period, column: str, dated_by: str) -> dict[str, int]:
    """The requests whose ``dated_by`` falls in the period, counted by ``column``."""
    return _counted(session, _requests_by_statement(column, dated_by), period)


@cache
def _answered_by_area_and_outcome_statement() -> Any:
    t = tables.access_requests
    return (
        select(t.c.service_area, t.c.outcome, func.count())
        .where(_between(t.c.responded_on))
        .group_by(t.c.service_area, t.c.outcome)
        .order_by(t.c.service_area, t.c.outcome)
    )


def restrictions(session: Session, period: Period) -> dict[str, Any]:
    """Restrictions on contact: in force at the period's end (by kind), decided, lifted
    and reviewed in the period."""
    by_kind = _counted(session, _in_force_by_kind_statement(), period)
    [counts] = rows(session, _restriction_counts_statement(), in_period(period))
    return {
        "in_force_at_end": sum(by_kind.values()),
        "in_force_by_kind": by_kind,
        "decided": int(counts.decided),
        "lifted": int(counts.lifted),
        "review_overdue_at_end": int(counts.review_overdue),
        "people_restricted_at_end": int(counts.people),
    }


def subject_access_requests(session: Session, period: Period) -> dict[str, Any]:
    """Subject access requests received by children's services, as seed reports publish
    them beside complaints."""
    [counts] = rows(session, _request_counts_statement(), in_period(period))
    on_time, responded = int(counts.on_time), int(counts.responded)
    return {
        "received": int(counts.received),
        "by_service_area": _requests_by(session, period, "service_area", "received_on"),
        "by_requester": _requests_by(session, period, "requester", "received_on"),
        "responded": responded,
        "by_outcome": _requests_by(session, period, "outcome", "responded_on"),
        "by_service_area_and_outcome": {
            f"{area}: {outcome}": int(n)
            for area, outcome, n in rows(
                session, _answered_by_area_and_outcome_statement(), in_period(period)
            )
        },
        "on_time": on_time,
        "on_time_percent": None if not responded else round(100 * on_time / responded, 1),
        "extended": int(counts.extended),
        "open_at_end": int(counts.open_at_end),
        "overdue_at_end": int(counts.overdue_at_end),
        "reviews_requested": int(counts.reviews_requested),
        "reviews_decided": int(counts.reviews_decided),
        "review_outcomes": _requests_by(session, period, "review_outcome", "reviewed_on"),
    }


def contact_register_sections(session: Session, period: Period) -> dict[str, Any]:
    """The new sections of the annual report's document, by their keys."""
    return {
        "restrictions": restrictions(session, period),
        "subject_access_requests": subject_access_requests(session, period),
    }


def restrictions_due(session: Session, day: date) -> list[dict[str, Any]]:
    """Restrictions in force on ``day`` whose review date has come: the register's case
    reference, the restriction's number and kind, and dates (no personal data)."""
    t = tables.restrictions
    query = (
        select(t.c.ref, t.c.number, t.c.kind, t.c.decided_on, t.c.review_on, t.c.reviews)
        .where(t.c.decided_on <= day, t.c.lifted_on.is_(None), t.c.review_on <= day)
        .order_by(t.c.review_on, t.c.ref, t.c.number)
    )
    return [
        {
            "register": row.ref,
            "restriction": row.number,
            "kind": row.kind,
            "decided_on": row.decided_on.isoformat(),
            "review_on": row.review_on.isoformat(),
            "days_overdue": (day - row.review_on).days,
            "reviews": row.reviews,
        }
        for row in session.execute(query)
    ]


#: What ``access-request list --status`` selects on a day.
ACCESS_REQUEST_STATUSES = ("open", "overdue", "answered")


def access_request_rows(
    session: Session, day: date, status: str | None = None
) -> list[dict[str, Any]]:
    """Subject access requests received by ``day`` with their deadline and status on it
    (``open``: not answered, not yet due; ``overdue``; ``answered``), oldest first."""
    t = tables.access_requests
    query = select(t).where(t.c.received_on <= day).order_by(t.c.received_on, t.c.ref)
    answered = and_(t.c.responded_on.is_not(None), t.c.responded_on <= day)
    if status == "answered":
        query = query.where(answered)
    elif status is not None:
        query = query.where(~answered, (t.c.due < day) if status == "overdue" else t.c.due >= day)
    rows = []
    for row in session.execute(query):
        done = row.responded_on is not None and row.responded_on <= day
        rows.append(
            {
                "ref": row.ref,
                "service_area": row.service_area,
                "received_on": row.received_on.isoformat(),
                "due": row.due.isoformat(),
                "extended": row.extended_on is not None and row.extended_on <= day,
                "status": "answered" if done else ("overdue" if row.due < day else "open"),
                "responded_on": row.responded_on.isoformat() if done else None,
                "outcome": row.outcome if done else None,
            }
        )
    return rows


def with_adjustments(session: Session, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The open list's rows (by case ``ref``) with the kinds of reasonable adjustment
    agreed for each case's complainant (``adjustments``, comma-separated; ``None``)."""
    t = tables.adjustments
    refs = sorted({str(row["ref"]) for row in rows})
    kinds: dict[str, list[str]] = {}
    for offset in range(0, len(refs), 500):
        query = (
            select(t.c.ref, t.c.kind)
            .where(t.c.ref.in_(refs[offset : offset + 500]))
            .order_by(t.c.ref, t.c.number)
        )
        for ref, kind in session.execute(query):
            kinds.setdefault(ref, []).append(kind)
    return [
        {**row, "adjustments": ", ".join(dict.fromkeys(kinds.get(row["ref"], []))) or None}
        for row in rows
    ]


def contact_register_tables(
    report: dict[str, Any],
) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The sections' tables for Markdown, CSV and HTML (with last year beside)."""
    found: list[tuple[str, list[str], list[list[Any]]]] = []
    prev = report.get("previous") or {}
    now, before = report.get("restrictions"), prev.get("restrictions") or {}
    if now is not None:
        rows: list[list[Any]] = [
            [label, now[key], before.get(key, "-")]
            for key, label in (
                ("in_force_at_end", "in force at the end of the year"),
                ("people_restricted_at_end", "people under a restriction at year end"),
                ("decided", "decided in the year"),
                ("lifted", "lifted in the year"),
                ("review_overdue_at_end", "review overdue at year end"),
            )
        ]
        rows += [
            [f"in force: {kind}", n, (before.get("in_force_by_kind") or {}).get(kind, 0)]
            for kind, n in now["in_force_by_kind"].items()
        ]
        found.append(
            ("Unreasonable actions: restrictions", ["measure", "count", "last year"], rows)
        )
    now, before = report.get("subject_access_requests"), prev.get("subject_access_requests") or {}
    if now is not None:
        rows = [
            [label, now[key], before.get(key, "-")]
            for key, label in (
                ("received", "received"),
                ("responded", "answered"),
                ("on_time", "answered within the deadline"),
                ("extended", "extended as complex"),
                ("open_at_end", "open at year end"),
                ("overdue_at_end", "overdue at year end"),
                ("reviews_requested", "internal reviews asked for"),
                ("reviews_decided", "internal reviews decided"),
            )
        ]
        rows += [
            [f"received: {area}", n, (before.get("by_service_area") or {}).get(area, 0)]
            for area, n in now["by_service_area"].items()
        ]
        rows += [
            [f"outcome: {outcome}", n, (before.get("by_outcome") or {}).get(outcome, 0)]
            for outcome, n in now["by_outcome"].items()
        ]
        rows += [
            [f"review: {outcome}", n, (before.get("review_outcomes") or {}).get(outcome, 0)]
            for outcome, n in now["review_outcomes"].items()
        ]
        found.append(("Subject access requests", ["measure", "count", "last year"], rows))
    return found
