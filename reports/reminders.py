"""Open deadlines by owner, the reminder digests and the deadline calendar (ADR 0033).

The deadlines are those of ``report open`` and ``report recommendations``
(:mod:`reports.operational`), with the acknowledgements still to send and the Stage 3
panels still to meet. Nothing here reads personal data: references, stages, teams,
steps and dates only.
"""

from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.calendar import WorkingDayCalendar
from domain.reminders import (
    ACKNOWLEDGEMENT,
    ESCALATED,
    PANEL,
    RECOMMENDATION,
    RESPONSE,
    Owner,
    Owners,
    Reminder,
    ReminderRules,
)
from projections import tables as t
from reports.operational import open_cases, recommendations


@dataclass(frozen=True)
class Deadline:
    """An open deadline: a case's step (or a recommendation) due on a day."""

    ref: str
    stage: str
    step: str
    due: date
    team: str | None
    service_area: str | None
    #: A recommendation's ``--owner``, as recorded.
    owner: str | None = None
    #: A recommendation's identifier (its UID needs it: a stage may have several).
    key: str | None = None

    @property
    def uid(self) -> str:
        return f"{self.ref}-{self.key or self.stage}-{self.step}@complaints-ledger"


def open_deadlines(session: Session, on: date, calendar: WorkingDayCalendar) -> list[Deadline]:
    """Every deadline open on ``on``: acknowledgements not sent, responses not given
    (a Stage 3 of the statutory procedure: the panel's meeting until it has met), accepted
    recommendations not completed."""
    s, c = t.stages, t.cases
    found: list[Deadline] = []
    extra = {
        (row.ref, row.stage): row
        for row in session.execute(
            select(
                c.c.ref,
                s.c.stage,
                s.c.acknowledgement_due,
                s.c.acknowledged_on,
                s.c.panel_met_on,
                s.c.clock_from,
                s.c.working_days,
            ).join(c, c.c.case_id == s.c.case_id)
        )
    }
    for row in open_cases(session, on, calendar):
        team = None if row["team"] == "not recorded" else row["team"]
        area = None if row["service_area"] == "not recorded" else row["service_area"]
        more = extra.get((row["ref"], row["stage"]))
        if (
            more is not None
            and more.acknowledgement_due is not None
            and (more.acknowledged_on is None or more.acknowledged_on > on)
        ):
            found.append(
                Deadline(
                    row["ref"],
                    str(row["stage"]),
                    ACKNOWLEDGEMENT,
                    more.acknowledgement_due,
                    team,
                    area,
                )
            )
        if row["due"] is None:
            continue  # on hold: no deadline runs
        step, due = RESPONSE, date.fromisoformat(row["due"])
        if row["procedure"] == "statutory" and row["stage"] == 3 and more is not None:
            met = more.panel_met_on is not None and more.panel_met_on <= on
            if not met and more.clock_from is not None:
                # The panel meets within its working days of the request (the stage's
                # clock); the council's response is due after the panel's report.
                step = PANEL
                due = calendar.add_working_days(more.clock_from, more.working_days)
        found.append(Deadline(row["ref"], str(row["stage"]), step, due, team, area))
    teams = {
        r.case_id: (r.team, r.service_area)
        for r in session.execute(select(c.c.case_id, c.c.team, c.c.service_area))
    }
    ids = {
        (r.ref, r.recommendation_id): r.case_id
        for r in session.execute(
            select(
                t.recommendations.c.ref,
                t.recommendations.c.recommendation_id,
                t.recommendations.c.case_id,
            )
        )
    }
    for rec in recommendations(session, on, "open"):
        if rec["status"] not in ("accepted", "overdue") or rec["due"] is None:
            continue
        team, area = teams.get(ids.get((rec["ref"], rec["id"])), (None, None))
        found.append(
            Deadline(
                rec["ref"],
                str(rec["stage"]),
                RECOMMENDATION,
                date.fromisoformat(rec["due"]),
                team,
                area,
                owner=rec["owner"],
                key=str(rec["id"]),
            )
        )
    found.sort(key=lambda d: (d.due, d.ref, d.stage, d.step))
    return found


def owner_of(deadline: Deadline, owners: Owners, on: date) -> Owner | None:
    if deadline.step == RECOMMENDATION:
        return owners.of_recommendation(deadline.owner, deadline.team, deadline.service_area, on)
    return owners.of_case(deadline.team, deadline.service_area, on)


@dataclass
class Digest:
    """What one address is told on a day."""

    address: str
    reminders: list[Reminder] = field(default_factory=list)
    copy_to: set[str] = field(default_factory=set)

    @property
    def lines(self) -> list[str]:
        return [r.line for r in sorted(self.reminders)]


@dataclass
class Digests:
    """The digests of a day, by address, and the deadlines that have no owner."""

    on: date
    by_address: dict[str, Digest] = field(default_factory=dict)
    unowned: list[Reminder] = field(default_factory=list)


def digests(
    deadlines: list[Deadline],
    owners: Owners,
    rules: ReminderRules,
    on: date,
    calendar: WorkingDayCalendar,
) -> Digests:
    """Who is told what on ``on``: the owner's manager of every deadline near or past
    (the deputy copied), the escalation contact too of one overdue too long."""
    found = Digests(on)

    def digest(address: str) -> Digest:
        return found.by_address.setdefault(address, Digest(address))

    for deadline in deadlines:
        status = rules.status(deadline.step, deadline.due, on, calendar)
        if status is None:
            continue
        reminder = Reminder(
            deadline.due, deadline.ref, deadline.stage, deadline.step, status, deadline.team
        )
        owner = owner_of(deadline, owners, on)
        if owner is None:
            found.unowned.append(reminder)
            continue
        told = digest(owner.manager)
        told.reminders.append(reminder)
        if owner.deputy:
            told.copy_to.add(owner.deputy)
        if status == ESCALATED and owner.escalation != owner.manager:
            digest(owner.escalation).reminders.append(reminder)
    return found


def digest_message(digest: Digest, on: date, sender: str) -> EmailMessage:
    """The digest as an e-mail: plain text and HTML, grouped by due date."""
    by_day: dict[date, list[Reminder]] = defaultdict(list)
    for reminder in sorted(digest.reminders):
        by_day[reminder.due].append(reminder)
    subject = f"Complaints due: {len(digest.reminders)} on {on.isoformat()}"
    text = [f"Complaints deadlines for {digest.address} on {on.isoformat()}", ""]
    rows = []
    for day, items in sorted(by_day.items()):
        text.append(f"Due {day.isoformat()}")
        rows.append(f"<h2>Due {day.isoformat()}</h2><ul>")
        for item in items:
            where = f" [{item.team}]" if item.team else ""
            text.append(f"- {item.ref} stage {item.stage} {item.step}: {item.status}{where}")
            rows.append(
                f"<li><strong>{html.escape(item.ref)}</strong> stage {html.escape(item.stage)} "
                f"{html.escape(item.step)}: {html.escape(item.status)}"
                f"{html.escape(where)}</li>"
            )
        rows.append("</ul>")
        text.append("")
    text.append("Open the case in the complaints ledger for its details.")
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = digest.address
    if digest.copy_to:
        message["Cc"] = ", ".join(sorted(digest.copy_to))
    message.set_content("\n".join(text) + "\n")
    message.add_alternative(
        "<html><body>"
        f"<h1>Complaints deadlines on {on.isoformat()}</h1>" + "".join(rows) + "<p>Open the "
        "case in the complaints ledger for its details.</p></body></html>\n",
        subtype="html",
    )
    return message


def calendar_file(deadlines: list[Deadline], stamp: date) -> bytes:
    """The deadlines as an iCalendar file: one all-day event each, with a UID that stays
    the same from one export to the next (a re-import updates, never duplicates)."""
    from datetime import datetime, time, timedelta

    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//complaints-ledger//deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Complaints deadlines")
    stamped = datetime.combine(stamp, time(0, 0), tzinfo=UTC)
    for deadline in deadlines:
        event = Event()
        event.add("uid", deadline.uid)
        event.add("dtstamp", stamped)
        event.add("dtstart", deadline.due)
        event.add("dtend", deadline.due + timedelta(days=1))
        event.add("summary", f"{deadline.ref} stage {deadline.stage} {deadline.step} due")
        if deadline.team:
            event.add("categories", [deadline.team])
        calendar.add_component(event)
    return bytes(calendar.to_ical())


def only_for(
    deadlines: list[Deadline],
    owners: Owners,
    on: date,
    team: str | None = None,
    owner: str | None = None,
) -> list[Deadline]:
    """The deadlines of the cases of ``team``, or those whose owner's manager, deputy or escalation
    contact is ``owner``."""
    if team is not None:
        return [d for d in deadlines if d.team == team]
    if owner is not None:
        found = []
        for deadline in deadlines:
            who = owner_of(deadline, owners, on)
            if who is not None and owner in (who.manager, who.deputy, who.escalation):
                found.append(deadline)
        return found
    return deadlines


__all__ = [
    "Deadline",
    "Digest",
    "Digests",
    "calendar_file",
    "digest_message",
    "digests",
    "only_for",
    "open_deadlines",
]
