"""Reminders (ADR 0033): who answers for a team or service area, when an owner is told
that a deadline is near or past, and the log of the digests sent on each day.

An :class:`Owner` answers for a team or a service area between two dates: a manager's
address (told of everything due), an escalation contact (told as well of what has been
overdue for a while) and an optional deputy (copied on the manager's digest).

A :class:`ReminderLog` holds the digests sent for one day, one ``DigestSent`` per
address: a digest is recorded right after the mail server accepted it, so running the
reminders twice on a day tells nobody twice, and one stopped part-way sends the rest
next time. A digest names references, stages, steps and dates, never a person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate

from domain.calendar import WorkingDayCalendar
from domain.complaint import LEDGER_NAMESPACE
from domain.errors import BadData

#: The steps a reminder is about, as a digest names them.
ACKNOWLEDGEMENT = "acknowledgement"
RESPONSE = "response"
PANEL = "panel"
RECOMMENDATION = "recommendation"
STEPS = (ACKNOWLEDGEMENT, RESPONSE, PANEL, RECOMMENDATION)

#: What a reminder says of its deadline.
DUE = "due"
OVERDUE = "overdue"
ESCALATED = "escalated"

_ADDRESS = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")


def is_address(text: str) -> bool:
    """Whether ``text`` looks like one e-mail address (``name@example.gov.uk``)."""
    return bool(_ADDRESS.match(text))


def check_address(what: str, text: Any) -> str:
    if not isinstance(text, str) or not is_address(text):
        raise BadData(f"{what} {text!r} is not an e-mail address")
    return text


@dataclass(frozen=True)
class Owner:
    """Who answers for ``team`` (or ``service_area``) from ``valid_from`` to
    ``valid_until`` (inclusive; ``None``: open-ended)."""

    manager: str
    escalation: str
    team: str | None = None
    service_area: str | None = None
    deputy: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None

    def valid_on(self, on: date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_until is None or on <= self.valid_until
        )


@dataclass(frozen=True)
class Owners:
    """The owners of teams and service areas, with their validity dates."""

    entries: tuple[Owner, ...] = ()

    def of_team(self, team: str | None, on: date) -> Owner | None:
        return next((o for o in self.entries if team and o.team == team and o.valid_on(on)), None)

    def of_service_area(self, area: str | None, on: date) -> Owner | None:
        return next(
            (o for o in self.entries if area and o.service_area == area and o.valid_on(on)),
            None,
        )

    def of_case(self, team: str | None, service_area: str | None, on: date) -> Owner | None:
        """A case's owner: its team's, else its service area's."""
        return self.of_team(team, on) or self.of_service_area(service_area, on)

    def of_recommendation(
        self, owner: str | None, team: str | None, service_area: str | None, on: date
    ) -> Owner | None:
        """An accepted recommendation's owner: its ``--owner`` when that is an address
        (escalated to the case's owner's contact) or a team with an owner, else the
        case's owner."""
        case_owner = self.of_case(team, service_area, on)
        if owner and is_address(owner):
            escalation = case_owner.escalation if case_owner else owner
            return Owner(manager=owner, escalation=escalation)
        return self.of_team(owner, on) or case_owner

    @property
    def teams(self) -> tuple[str, ...]:
        return tuple(sorted({o.team for o in self.entries if o.team}))


@dataclass(frozen=True)
class ReminderRules:
    """When an owner is told (``[reminders]`` in the settings)."""

    #: Working days before an acknowledgement is due (1: the day before).
    acknowledgement_before: int = 1
    #: Working days before a response is due.
    response_before: int = 3
    #: Working days overdue after which the escalation contact is told as well.
    escalate_after: int = 5
    #: Calendar days before an accepted recommendation is due.
    recommendation_before: int = 7
    #: Working days before a Stage 3 panel must have met (30 from the request).
    panel_before: int = 5

    def __post_init__(self) -> None:
        for name in (
            "acknowledgement_before",
            "response_before",
            "escalate_after",
            "recommendation_before",
            "panel_before",
        ):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise BadData(f"reminders.{name} must be a whole number of days, not {value!r}")

    def days_before(self, step: str) -> int:
        """How long before ``step`` is due its owner is told (working days; calendar
        days for a recommendation)."""
        return {
            ACKNOWLEDGEMENT: self.acknowledgement_before,
            RESPONSE: self.response_before,
            PANEL: self.panel_before,
            RECOMMENDATION: self.recommendation_before,
        }[step]

    def status(self, step: str, due: date, on: date, calendar: WorkingDayCalendar) -> str | None:
        """``due``, ``overdue``, ``escalated`` (overdue for ``escalate_after`` working
        days or more) or ``None`` (nothing to say yet) on ``on``."""
        if due < on:
            late = calendar.working_days_between(due, on)
            return ESCALATED if late >= self.escalate_after else OVERDUE
        if step == RECOMMENDATION:
            ahead = (due - on).days
        else:
            ahead = calendar.working_days_between(on, due)
        return DUE if ahead <= self.days_before(step) else None


@dataclass(frozen=True, order=True)
class Reminder:
    """One deadline an owner is told of: references, steps and dates only."""

    due: date
    ref: str
    stage: str
    step: str
    status: str = field(compare=False)
    team: str | None = field(default=None, compare=False)

    @property
    def line(self) -> str:
        """``CSC-2025-0001 stage 1 response due 2025-05-01 (overdue)``: as recorded."""
        due = self.due.isoformat()
        return f"{self.ref} stage {self.stage} {self.step} due {due} ({self.status})"


def reminder_log_id(on: date) -> UUID:
    return uuid5(LEDGER_NAMESPACE, f"reminders:{on.isoformat()}")


class ReminderLog(Aggregate):
    """The reminder digests sent for one day, by address."""

    if TYPE_CHECKING:  # attributes set by events; annotations here would become __init__ args
        on: date
        told: dict[str, tuple[str, ...]]

    class Started(Aggregate.Created):
        on: date

        def apply(self, aggregate: Any) -> None:
            aggregate.on = self.on
            aggregate.told = {}

    class DigestSent(Aggregate.Event):
        """The mail server accepted ``address``'s digest of ``items`` (reminder lines)."""

        on: date
        actor: str
        address: str
        items: list[str]

        def apply(self, aggregate: Any) -> None:
            aggregate.told[self.address] = tuple(self.items)

    @classmethod
    def start(cls, on: date) -> ReminderLog:
        return cls._create(cls.Started, id=reminder_log_id(on), on=on)

    def digest_sent(self, *, address: str, items: list[str], actor: str) -> None:
        check_address("address", address)
        if address in self.told:
            raise BadData(f"{address} was already told on {self.on.isoformat()}")
        self.trigger_event(
            self.DigestSent, on=self.on, actor=actor, address=address, items=list(items)
        )
