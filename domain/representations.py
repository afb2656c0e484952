"""Representations that are not formal complaints, recorded beside them: compliments,
councillor and MP enquiries, initial feedback (resolved quickly, or turned into a
formal complaint) and referrals to the advocacy service.

Like complaints, each is an aggregate of past-tense events, corrected by a new event
that says so. Their words (a compliment's text, a summary) are personal data and live
in :class:`domain.personal.PersonalDetails`, never here.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate

from domain import errors
from domain.complaint import LEDGER_NAMESPACE
from domain.procedure import ProcedurePolicy, check_name
from domain.state import Amendment

ENQUIRY_SOURCES = ("councillor", "mp")
FEEDBACK_KINDS = ("initial-feedback", "enquiry")
COMPLIMENT_PREFIX = "CMP"
ENQUIRY_PREFIX = "ENQ"
FEEDBACK_PREFIX = "FBK"
ADVOCACY_PREFIX = "ADV"
ENQUIRY_WORKING_DAYS = 10


def representation_id(ref: str) -> UUID:
    return uuid5(LEDGER_NAMESPACE, "representation:" + ref)


def _check_on(on: date, policy: ProcedurePolicy) -> None:
    if policy.today is not None and on > policy.today:
        raise errors.DateOutOfOrder(
            f"{on.isoformat()} is in the future (today is {policy.today.isoformat()})"
        )


def _check_after(on: date, earlier: date, what: str) -> None:
    if on < earlier:
        raise errors.DateOutOfOrder(
            f"{on.isoformat()} is before the {what} ({earlier.isoformat()})"
        )


class Representation(Aggregate):
    """What every representation shares: a reference, a date received, a service area
    and team, and corrections by amendment."""

    #: Details an amendment may correct, and the taxonomy (if any) each is checked against.
    AMENDABLE: ClassVar[dict[str, str | None]] = {"service-area": None, "team": None}
    KIND: ClassVar[str] = "representation"

    if TYPE_CHECKING:  # attributes set by events; annotations here would become __init__ args
        ref: str
        received_on: date
        service_area: str | None
        team: str | None
        amendments: list[Amendment]

    class DetailAmended(Aggregate.Event):
        on: date
        actor: str
        field: str
        old: Any
        new: Any
        reason: str

        def apply(self, aggregate: Any) -> None:
            setattr(aggregate, self.field.replace("-", "_"), self.new)
            aggregate.amendments.append(
                Amendment(self.on, self.field, self.old, self.new, self.reason)
            )

    def amend(
        self, *, on: date, actor: str, policy: ProcedurePolicy, field: str, value: Any, reason: str
    ) -> None:
        """Correct a recorded detail; the original stays in the history."""
        check_name(f"amendable detail of a {self.KIND}", field, self.AMENDABLE)
        if not reason or not reason.strip():
            raise errors.AmendmentRule("a correction needs a reason")
        _check_on(on, policy)
        _check_after(on, self.received_on, f"{self.KIND} was received")
        taxonomy = self.AMENDABLE[field]
        if taxonomy is not None:
            check_name(field, value, self._names(taxonomy, policy))
        elif field in ("service-area", "team"):
            # Judged on the day it was received: the detail belongs to receipt.
            value = policy.resolve(field, str(value), self.received_on)
        elif not str(value).strip():
            raise errors.BadData(f"{field} must not be blank")
        old = getattr(self, field.replace("-", "_"))
        if old == value:
            raise errors.AmendmentRule(f"{field} is already {value!r}")
        self.trigger_event(
            self.DetailAmended, on=on, actor=actor, field=field, old=old, new=value, reason=reason
        )

    @staticmethod
    def _names(taxonomy: str, policy: ProcedurePolicy) -> tuple[str, ...]:
        fixed = {"source": ENQUIRY_SOURCES, "kind": FEEDBACK_KINDS}
        if taxonomy in fixed:
            return fixed[taxonomy]
        names: tuple[str, ...] = getattr(policy.taxonomy, taxonomy)
        return names


class Compliment(Representation):
    """A compliment about a team or service."""

    KIND = "compliment"
    AMENDABLE = {"service-area": None, "team": None, "channel": "channels", "role": "roles"}

    if TYPE_CHECKING:
        channel: str | None
        role: str | None
        publishable_on: date | None

    class Received(Aggregate.Created):
        on: date
        actor: str
        ref: str
        service_area: str | None
        team: str | None
        channel: str | None = None
        role: str | None = None

        def apply(self, aggregate: Any) -> None:
            aggregate.ref = self.ref
            aggregate.received_on = self.on
            aggregate.amendments = []
            aggregate.service_area = self.service_area
            aggregate.team = self.team
            aggregate.channel = self.channel
            aggregate.role = self.role
            aggregate.publishable_on = None

    class ApprovedForPublication(Aggregate.Event):
        on: date
        actor: str

        def apply(self, aggregate: Any) -> None:
            aggregate.publishable_on = self.on

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
        channel: str | None = None,
        role: str | None = None,
    ) -> Compliment:
        _check_on(on, policy)
        if channel is not None:
            check_name("channel", channel, policy.taxonomy.channels)
        if role is not None:
            check_name("role", role, policy.taxonomy.roles)
        service_area = policy.service_area(service_area, on)
        team = policy.team(team, on)
        return cls._create(
            cls.Received,
            id=representation_id(ref),
            on=on,
            actor=actor,
            ref=ref,
            service_area=service_area,
            team=team,
            channel=channel,
            role=role,
        )

    def approve_for_publication(self, *, on: date, actor: str, policy: ProcedurePolicy) -> None:
        """The council agreed that an extract (names removed) may be quoted in reports."""
        _check_on(on, policy)
        _check_after(on, self.received_on, "compliment was received")
        if self.publishable_on is not None:
            raise errors.AmendmentRule(
                f"compliment {self.ref} was approved for publication on "
                f"{self.publishable_on.isoformat()}"
            )
        self.trigger_event(self.ApprovedForPublication, on=on, actor=actor)


class Enquiry(Representation):
    """A councillor's or MP's enquiry, due a response in a set number of working days."""

    KIND = "enquiry"
    AMENDABLE = {"service-area": None, "team": None, "source": "source"}

    if TYPE_CHECKING:
        source: str
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
            aggregate.amendments = []
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
        service_area = policy.service_area(service_area, on)
        team = policy.team(team, on)
        return cls._create(
            cls.Received,
            id=representation_id(ref),
            on=on,
            actor=actor,
            ref=ref,
            source=source,
            service_area=service_area,
            team=team,
            working_days=policy.timescales.enquiry_response,
        )

    def respond(self, *, on: date, actor: str, policy: ProcedurePolicy) -> None:
        _check_on(on, policy)
        _check_after(on, self.received_on, "enquiry was received")
        if self.responded_on is not None:
            raise errors.StageAlreadyResponded(
                f"enquiry {self.ref} was answered on {self.responded_on.isoformat()}"
            )
        self.trigger_event(self.Responded, on=on, actor=actor)

    def due(self, policy: ProcedurePolicy) -> date:
        return policy.calendar.add_working_days(self.received_on, self.working_days)


class InitialFeedback(Representation):
    """A concern resolved quickly without a formal complaint, or an enquiry that is not
    a complaint; it may still become one (the complaint's history links back here)."""

    KIND = "feedback"
    AMENDABLE = {"service-area": None, "team": None, "channel": "channels", "kind": "kind"}

    if TYPE_CHECKING:
        kind: str
        channel: str | None
        resolved_on: date | None
        converted_on: date | None
        complaint_ref: str | None

    class Received(Aggregate.Created):
        on: date
        actor: str
        ref: str
        kind: str
        service_area: str | None
        team: str | None
        channel: str | None

        def apply(self, aggregate: Any) -> None:
            aggregate.ref = self.ref
            aggregate.received_on = self.on
            aggregate.amendments = []
            aggregate.kind = self.kind
            aggregate.service_area = self.service_area
            aggregate.team = self.team
            aggregate.channel = self.channel
            aggregate.resolved_on = None
            aggregate.converted_on = None
            aggregate.complaint_ref = None

    class Resolved(Aggregate.Event):
        on: date
        actor: str

        def apply(self, aggregate: Any) -> None:
            aggregate.resolved_on = self.on

    class BecameComplaint(Aggregate.Event):
        on: date
        actor: str
        complaint_ref: str

        def apply(self, aggregate: Any) -> None:
            aggregate.converted_on = self.on
            aggregate.complaint_ref = self.complaint_ref

    @classmethod
    def receive(
        cls,
        *,
        ref: str,
        on: date,
        actor: str,
        policy: ProcedurePolicy,
        kind: str = "initial-feedback",
        service_area: str | None = None,
        team: str | None = None,
        channel: str | None = None,
    ) -> InitialFeedback:
        check_name("kind of feedback", kind, FEEDBACK_KINDS)
        if channel is not None:
            check_name("channel", channel, policy.taxonomy.channels)
        _check_on(on, policy)
        service_area = policy.service_area(service_area, on)
        team = policy.team(team, on)
        return cls._create(
            cls.Received,
            id=representation_id(ref),
            on=on,
            actor=actor,
            ref=ref,
            kind=kind,
            service_area=service_area,
            team=team,
            channel=channel,
        )

    def _check_open(self) -> None:
        if self.converted_on is not None:
            raise errors.CaseEnded(
                f"feedback {self.ref} became complaint {self.complaint_ref} on "
                f"{self.converted_on.isoformat()}"
            )
        if self.resolved_on is not None:
            raise errors.CaseEnded(
                f"feedback {self.ref} was resolved on {self.resolved_on.isoformat()}"
            )

    def resolve(self, *, on: date, actor: str, policy: ProcedurePolicy) -> None:
        self._check_open()
        _check_on(on, policy)
        _check_after(on, self.received_on, "feedback was received")
        self.trigger_event(self.Resolved, on=on, actor=actor)

    def become_complaint(
        self, *, on: date, actor: str, policy: ProcedurePolicy, complaint_ref: str
    ) -> None:
        self._check_open()
        _check_on(on, policy)
        _check_after(on, self.received_on, "feedback was received")
        self.trigger_event(self.BecameComplaint, on=on, actor=actor, complaint_ref=complaint_ref)


class AdvocacyReferral(Representation):
    """A referral to the advocacy service, and the complaint it led to, if any."""

    KIND = "advocacy referral"
    AMENDABLE = {"age-band": "age_bands", "theme": "advocacy_themes", "team": None,
                 "service-area": None}

    if TYPE_CHECKING:
        age_band: str | None
        theme: str | None
        complaint_ref: str | None
        linked_on: date | None

    class Referred(Aggregate.Created):
        on: date
        actor: str
        ref: str
        age_band: str | None
        theme: str | None
        service_area: str | None
        team: str | None
        complaint_ref: str | None

        def apply(self, aggregate: Any) -> None:
            aggregate.ref = self.ref
            aggregate.received_on = self.on
            aggregate.amendments = []
            aggregate.age_band = self.age_band
            aggregate.theme = self.theme
            aggregate.service_area = self.service_area
            aggregate.team = self.team
            aggregate.complaint_ref = self.complaint_ref
            aggregate.linked_on = self.on if self.complaint_ref is not None else None

    class LedToComplaint(Aggregate.Event):
        on: date
        actor: str
        complaint_ref: str

        def apply(self, aggregate: Any) -> None:
            aggregate.complaint_ref = self.complaint_ref
            aggregate.linked_on = self.on

    @classmethod
    def refer(
        cls,
        *,
        ref: str,
        on: date,
        actor: str,
        policy: ProcedurePolicy,
        age_band: str | None = None,
        theme: str | None = None,
        service_area: str | None = None,
        team: str | None = None,
        complaint_ref: str | None = None,
    ) -> AdvocacyReferral:
        _check_on(on, policy)
        if age_band is not None:
            check_name("age band", age_band, policy.taxonomy.age_bands)
        if theme is not None:
            check_name("advocacy theme", theme, policy.taxonomy.advocacy_themes)
        service_area = policy.service_area(service_area, on)
        team = policy.team(team, on)
        return cls._create(
            cls.Referred,
            id=representation_id(ref),
            on=on,
            actor=actor,
            ref=ref,
            age_band=age_band,
            theme=theme,
            service_area=service_area,
            team=team,
            complaint_ref=complaint_ref,
        )

    def link_complaint(
        self, *, on: date, actor: str, policy: ProcedurePolicy, complaint_ref: str
    ) -> None:
        _check_on(on, policy)
        _check_after(on, self.received_on, "referral was made")
        if self.complaint_ref is not None:
            raise errors.AmendmentRule(
                f"referral {self.ref} already led to complaint {self.complaint_ref}"
            )
        self.trigger_event(self.LedToComplaint, on=on, actor=actor, complaint_ref=complaint_ref)


#: The reference prefix of each kind of representation (complaints use the council's).
KINDS_BY_PREFIX: dict[str, type[Representation]] = {
    COMPLIMENT_PREFIX: Compliment,
    ENQUIRY_PREFIX: Enquiry,
    FEEDBACK_PREFIX: InitialFeedback,
    ADVOCACY_PREFIX: AdvocacyReferral,
}


def kind_of_reference(ref: str) -> type[Representation] | None:
    """The kind of representation a reference's prefix names (``CMP-2025-0001``: a
    compliment), or ``None`` for any other reference (a complaint's)."""
    prefix, dash, _ = ref.partition("-")
    return KINDS_BY_PREFIX.get(prefix) if dash else None
