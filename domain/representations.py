"""Representations that are not complaints: compliments, councillor and MP enquiries."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate

from domain import errors
from domain.complaint import LEDGER_NAMESPACE
from domain.procedure import ProcedurePolicy, check_name

ENQUIRY_SOURCES = ("councillor", "mp")
COMPLIMENT_PREFIX = "CMP"
ENQUIRY_PREFIX = "ENQ"
ENQUIRY_WORKING_DAYS = 10


def representation_id(ref: str) -> UUID:
    return uuid5(LEDGER_NAMESPACE, "representation:" + ref)


def _check_on(on: date, policy: ProcedurePolicy) -> None:
    if policy.today is not None and on > policy.today:
        raise errors.DateOutOfOrder(
            f"{on.isoformat()} is in the future (today is {policy.today.isoformat()})"
        )


class Compliment(Aggregate):
    """A compliment about a team or service."""

    if TYPE_CHECKING:  # attributes set by events; annotations here would become __init__ args
        ref: str
        received_on: date
        service_area: str | None
        team: str | None

    class Received(Aggregate.Created):
        on: date
        actor: str
        ref: str
        service_area: str | None
        team: str | None

        def apply(self, aggregate: Any) -> None:
            aggregate.ref = self.ref
            aggregate.received_on = self.on
            aggregate.service_area = self.service_area
            aggregate.team = self.team

    @classmethod
    def receive(
        cls,
        *,
        ref: str,
        on: date,
        actor: str,
        policy: ProcedurePolicy,
        service_area: str | None = None,
        team: str | None = None,
    ) -> Compliment:
        _check_on(on, policy)
        return cls._create(
            cls.Received,
            id=representation_id(ref),
            on=on,
            actor=actor,
            ref=ref,
            service_area=service_area,
            team=team,
        )


class Enquiry(Aggregate):
    """A councillor's or MP's enquiry, due a response in a set number of working days."""

    if TYPE_CHECKING:  # attributes set by events; annotations here would become __init__ args
        ref: str
        received_on: date
        source: str
        service_area: str | None
        team: str | None
        working_days: int
        responded_on: date | None

    class Received(Aggregate.Created):
        on: date
        actor: str
        ref: str
        source: str
        service_area: str | None
        team: str | None
        working_days: int

        def apply(self, aggregate: Any) -> None:
            aggregate.ref = self.ref
            aggregate.received_on = self.on
            aggregate.source = self.source
            aggregate.service_area = self.service_area
            aggregate.team = self.team
            aggregate.working_days = self.working_days
            aggregate.responded_on = None

    class Responded(Aggregate.Event):
        on: date
        actor: str

        def apply(self, aggregate: Any) -> None:
            aggregate.responded_on = self.on

    @classmethod
    def receive(
        cls,
        *,
        ref: str,
        on: date,
        actor: str,
        policy: ProcedurePolicy,
        source: str,
        service_area: str | None = None,
        team: str | None = None,
    ) -> Enquiry:
        check_name("enquiry source", source, ENQUIRY_SOURCES)
        _check_on(on, policy)
        return cls._create(
            cls.Received,
            id=representation_id(ref),
            on=on,
            actor=actor,
            ref=ref,
            source=source,
            service_area=service_area,
            team=team,
            working_days=ENQUIRY_WORKING_DAYS,
        )

    def respond(self, *, on: date, actor: str, policy: ProcedurePolicy) -> None:
        _check_on(on, policy)
        if on < self.received_on:
            raise errors.DateOutOfOrder(
                f"{on.isoformat()} is before the enquiry was received "
                f"({self.received_on.isoformat()})"
            )
        if self.responded_on is not None:
            raise errors.StageAlreadyResponded(
                f"enquiry {self.ref} was answered on {self.responded_on.isoformat()}"
            )
        self.trigger_event(self.Responded, on=on, actor=actor)

    def due(self, policy: ProcedurePolicy) -> date:
        return policy.calendar.add_working_days(self.received_on, self.working_days)
