"""The rest of a complaints team's casework about people (ADR 0040): restrictions on
contact under the council's unreasonable-actions policy and reasonable adjustments
agreed for a complainant, and subject access requests received by children's services.

A :class:`ContactRegister` is the register of one person: the complainant of a case
(the ledger knows a person only through their case; the register is named by the case's
reference). It holds each restriction decided (what kind, its scope, the reason, the
decision date and the date it is to be reviewed) and each review (continued, with the
next review date, or lifted), and each reasonable adjustment agreed. Its words (scope,
reason, review notes, what the adjustment is) are personal data: the ledger seals them
inside the steps under the complainant's key of the case (:data:`REGISTER_TEXT`), so
``erase REF --subject complainant`` shreds them. The kinds and dates are facts, counted
by the reports with no personal data.

An :class:`AccessRequest` is a request for a person's own records (UK GDPR Art. 15)
received by children's services: its service area, due one calendar month after the day
it was received (:func:`add_months`), or three months when extended as complex (the
extension is decided within the first month), its response's outcome, and an internal
review when the requester asks for one.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate

from domain import errors
from domain.complaint import LEDGER_NAMESPACE
from domain.procedure import ProcedurePolicy, check_name

#: What a restriction under the unreasonable-actions policy limits.
RESTRICTION_KINDS = (
    "single-point-of-contact",
    "written-contact-only",
    "limited-telephone-contact",
    "no-face-to-face-meetings",
    "meetings-with-a-witness",
    "set-contact-times",
    "no-response-to-repeated-points",
    "other",
)
#: What a review of a restriction decides.
REVIEW_OUTCOMES = ("continued", "varied", "lifted")
#: Reasonable adjustments agreed for a complainant (Equality Act 2010).
ADJUSTMENT_KINDS = (
    "large-print",
    "easy-read",
    "interpreter",
    "british-sign-language",
    "advocate-present",
    "telephone-instead-of-writing",
    "extra-time",
    "accessible-venue",
    "named-contact",
    "other",
)

ACCESS_REQUEST_PREFIX = "SAR"
#: Who made a subject access request: the data subject, a parent for a child, or a
#: representative (a solicitor, an advocate) with the subject's authority.
REQUESTERS = ("data-subject", "parent", "representative")
#: How a subject access request was answered.
ACCESS_OUTCOMES = (
    "disclosed-in-full",
    "disclosed-in-part",
    "withheld",
    "no-data-held",
    "withdrawn",
)
#: What an internal review of the response decided.
ACCESS_REVIEW_OUTCOMES = ("response-upheld", "further-disclosure", "withdrawn")
#: The statutory month, and the two further months of a complex request (Art. 12(3)).
ACCESS_MONTHS, ACCESS_EXTENSION_MONTHS = 1, 2


def add_months(day: date, months: int) -> date:
    """The same day of the month ``months`` later, or that month's last day when it has
    no such day (received 31 January: due 28 or 29 February), as the ICO counts a month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def contact_register_id(case_ref: str) -> UUID:
    return uuid5(LEDGER_NAMESPACE, "contact-register:" + case_ref)


def access_request_id(ref: str) -> UUID:
    return uuid5(LEDGER_NAMESPACE, "access-request:" + ref)


def _check_on(on: date, policy: ProcedurePolicy) -> None:
    if policy.today is not None and on > policy.today:
        raise errors.DateOutOfOrder(
            f"{on.isoformat()} is in the future (today is {policy.today.isoformat()})"
        )


def _not_before(on: date, earlier: date, what: str) -> None:
    if on < earlier:
        raise errors.DateOutOfOrder(f"{on.isoformat()} is before {what} ({earlier.isoformat()})")


def _said(what: str, text: str | None, error: type[errors.Refused]) -> str:
    if text is None or not text.strip():
        raise error(f"say {what}")
    return text


class ContactRegister(Aggregate):
    """One person's restrictions under the unreasonable-actions policy, and the
    reasonable adjustments agreed for them: the complainant of case ``case_ref``."""

    if TYPE_CHECKING:  # attributes set by events; annotations here would become __init__ args
        case_ref: str
        restrictions: dict[int, dict[str, Any]]
        adjustments: list[dict[str, Any]]

    class Opened(Aggregate.Created):
        case_ref: str

        def apply(self, aggregate: Any) -> None:
            aggregate.case_ref = self.case_ref
            aggregate.restrictions = {}
            aggregate.adjustments = []

    class RestrictionDecided(Aggregate.Event):
        """A restriction on contact was decided (its scope and reason sealed)."""

        on: date
        actor: str
        number: int
        kind: str
        scope: str
        reason: str
        review_on: date

        def apply(self, aggregate: Any) -> None:
            aggregate.restrictions[self.number] = {
                "number": self.number,
                "kind": self.kind,
                "decided_on": self.on,
                "review_on": self.review_on,
                "reviews": 0,
                "last_reviewed_on": None,
                "lifted_on": None,
                "version": self.originator_version,
            }

    class RestrictionReviewed(Aggregate.Event):
        """A restriction was reviewed: continued or varied to the next review, or lifted."""

        on: date
        actor: str
        number: int
        outcome: str
        next_review_on: date | None
        notes: str

        def apply(self, aggregate: Any) -> None:
            restriction = aggregate.restrictions[self.number]
            restriction["reviews"] += 1
            restriction["last_reviewed_on"] = self.on
            if self.outcome == "lifted":
                restriction["lifted_on"] = self.on
                restriction["review_on"] = None
            else:
                restriction["review_on"] = self.next_review_on

    class AdjustmentAgreed(Aggregate.Event):
        """A reasonable adjustment was agreed with the complainant (its detail sealed)."""

        on: date
        actor: str
        kind: str
        detail: str

        def apply(self, aggregate: Any) -> None:
            aggregate.adjustments.append(
                {"kind": self.kind, "agreed_on": self.on, "version": self.originator_version}
            )

    @classmethod
    def open(cls, case_ref: str) -> ContactRegister:
        return cls._create(cls.Opened, id=contact_register_id(case_ref), case_ref=case_ref)

    def decide_restriction(
        self,
        *,
        on: date,
        actor: str,
        policy: ProcedurePolicy,
        kind: str,
        scope: str,
        reason: str,
        review_on: date,
    ) -> int:
        """Decide a restriction; refused without a scope and a reason, or with a review
        date that is not after the decision. Its number in the register."""
        _check_on(on, policy)
        check_name("restriction", kind, RESTRICTION_KINDS)
        if review_on <= on:
            raise errors.RestrictionRule(
                f"the review date {review_on.isoformat()} must be after the decision "
                f"({on.isoformat()})"
            )
        number = max(self.restrictions, default=0) + 1
        self.trigger_event(
            self.RestrictionDecided,
            on=on,
            actor=actor,
            number=number,
            kind=kind,
            scope=_said("the restriction's scope", scope, errors.RestrictionRule),
            reason=_said("the reason for the restriction", reason, errors.RestrictionRule),
            review_on=review_on,
        )
        return number

    def review_restriction(
        self,
        *,
        on: date,
        actor: str,
        policy: ProcedurePolicy,
        number: int,
        outcome: str,
        next_review_on: date | None,
        notes: str,
    ) -> None:
        """Review restriction ``number``: a restriction continued or varied needs its next
        review date (after this one); a lifted one ends, and takes no more reviews."""
        _check_on(on, policy)
        check_name("review outcome", outcome, REVIEW_OUTCOMES)
        restriction = self.restrictions.get(number)
        if restriction is None:
            raise errors.RestrictionRule(
                f"the register of {self.case_ref} has no restriction {number}"
            )
        if restriction["lifted_on"] is not None:
            raise errors.RestrictionEnded(
                f"restriction {number} of {self.case_ref} was lifted on "
                f"{restriction['lifted_on'].isoformat()}"
            )
        _not_before(
            on,
            restriction["last_reviewed_on"] or restriction["decided_on"],
            "the last decision on the restriction",
        )
        if outcome == "lifted":
            if next_review_on is not None:
                raise errors.RestrictionRule("a lifted restriction has no next review date")
        elif next_review_on is None or next_review_on <= on:
            raise errors.RestrictionRule(
                f"a restriction {outcome} needs a next review date after the review "
                f"({on.isoformat()})"
            )
        self.trigger_event(
            self.RestrictionReviewed,
            on=on,
            actor=actor,
            number=number,
            outcome=outcome,
            next_review_on=next_review_on,
            notes=_said("what the review found", notes, errors.RestrictionRule),
        )

    def agree_adjustment(
        self, *, on: date, actor: str, policy: ProcedurePolicy, kind: str, detail: str
    ) -> None:
        _check_on(on, policy)
        check_name("reasonable adjustment", kind, ADJUSTMENT_KINDS)
        self.trigger_event(
            self.AdjustmentAgreed,
            on=on,
            actor=actor,
            kind=kind,
            detail=_said("what was agreed", detail, errors.RestrictionRule),
        )


def restriction_status(restriction: dict[str, Any], on: date) -> str:
    """``lifted`` (by ``on``), ``review-due`` (its review date reached) or ``in-force``."""
    if restriction["lifted_on"] is not None and restriction["lifted_on"] <= on:
        return "lifted"
    review_on = restriction["review_on"]
    return "review-due" if review_on is not None and review_on <= on else "in-force"


#: The words of each register step, sealed by the ledger before they are stored.
REGISTER_TEXT: dict[type, tuple[str, ...]] = {
    ContactRegister.RestrictionDecided: ("scope", "reason"),
    ContactRegister.RestrictionReviewed: ("notes",),
    ContactRegister.AdjustmentAgreed: ("detail",),
}


class AccessRequest(Aggregate):
    """A subject access request received by children's services."""

    if TYPE_CHECKING:
        ref: str
        received_on: date
        service_area: str
        requester: str
        extended_on: date | None
        responded_on: date | None
        outcome: str | None
        review_requested_on: date | None
        reviewed_on: date | None
        review_outcome: str | None

    class Received(Aggregate.Created):
        on: date
        actor: str
        ref: str
        service_area: str
        requester: str

        def apply(self, aggregate: Any) -> None:
            aggregate.ref = self.ref
            aggregate.received_on = self.on
            aggregate.service_area = self.service_area
            aggregate.requester = self.requester
            aggregate.extended_on = None
            aggregate.responded_on = None
            aggregate.outcome = None
            aggregate.review_requested_on = None
            aggregate.reviewed_on = None
            aggregate.review_outcome = None

    class Extended(Aggregate.Event):
        """The request was found complex and its deadline extended by two months."""

        on: date
        actor: str
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.extended_on = self.on

    class Responded(Aggregate.Event):
        on: date
        actor: str
        outcome: str

        def apply(self, aggregate: Any) -> None:
            aggregate.responded_on = self.on
            aggregate.outcome = self.outcome

    class ReviewRequested(Aggregate.Event):
        """The requester asked for an internal review of the response."""

        on: date
        actor: str

        def apply(self, aggregate: Any) -> None:
            aggregate.review_requested_on = self.on

    class ReviewDecided(Aggregate.Event):
        on: date
        actor: str
        outcome: str

        def apply(self, aggregate: Any) -> None:
            aggregate.reviewed_on = self.on
            aggregate.review_outcome = self.outcome

    @property
    def due(self) -> date:
        """One calendar month from receipt; three when extended as complex."""
        months = ACCESS_MONTHS + (ACCESS_EXTENSION_MONTHS if self.extended_on else 0)
        return add_months(self.received_on, months)

    @property
    def on_time(self) -> bool | None:
        return None if self.responded_on is None else self.responded_on <= self.due

    @classmethod
    def receive(
        cls,
        *,
        ref: str,
        on: date,
        actor: str,
        policy: ProcedurePolicy,
        service_area: str,
        requester: str,
    ) -> AccessRequest:
        _check_on(on, policy)
        check_name("requester", requester, REQUESTERS)
        area = policy.service_area(service_area, on)
        assert area is not None
        return cls._create(
            cls.Received,
            id=access_request_id(ref),
            on=on,
            actor=actor,
            ref=ref,
            service_area=area,
            requester=requester,
        )

    def _after(self, on: date, policy: ProcedurePolicy, earlier: date, what: str) -> None:
        _check_on(on, policy)
        _not_before(on, earlier, what)

    def extend(self, *, on: date, actor: str, policy: ProcedurePolicy, reason: str) -> None:
        """Extend as complex: once, before the response, within the first month."""
        self._after(on, policy, self.received_on, "the request was received")
        if self.extended_on is not None:
            raise errors.AccessRequestRule(
                f"{self.ref} was extended on {self.extended_on.isoformat()}"
            )
        if self.responded_on is not None:
            raise errors.AccessRequestRule(f"{self.ref} was answered already")
        first_month = add_months(self.received_on, ACCESS_MONTHS)
        if on > first_month:
            raise errors.AccessRequestExtendedLate(
                f"the extension must be decided by {first_month.isoformat()} (one month "
                "from receipt)"
            )
        self.trigger_event(
            self.Extended,
            on=on,
            actor=actor,
            reason=_said("why the request is complex", reason, errors.AccessRequestRule),
        )

    def respond(self, *, on: date, actor: str, policy: ProcedurePolicy, outcome: str) -> None:
        self._after(on, policy, self.extended_on or self.received_on, "the last step")
        check_name("outcome", outcome, ACCESS_OUTCOMES)
        if self.responded_on is not None:
            raise errors.AccessRequestRule(
                f"{self.ref} was answered on {self.responded_on.isoformat()}"
            )
        self.trigger_event(self.Responded, on=on, actor=actor, outcome=outcome)

    def request_review(self, *, on: date, actor: str, policy: ProcedurePolicy) -> None:
        if self.responded_on is None:
            raise errors.AccessRequestRule(f"{self.ref} has not been answered yet")
        self._after(on, policy, self.responded_on, "the response")
        if self.review_requested_on is not None:
            raise errors.AccessRequestRule(
                f"a review of {self.ref} was asked for on {self.review_requested_on.isoformat()}"
            )
        self.trigger_event(self.ReviewRequested, on=on, actor=actor)

    def decide_review(self, *, on: date, actor: str, policy: ProcedurePolicy, outcome: str) -> None:
        if self.review_requested_on is None:
            raise errors.AccessRequestRule(f"no review of {self.ref} was asked for")
        self._after(on, policy, self.review_requested_on, "the review was asked for")
        check_name("review outcome", outcome, ACCESS_REVIEW_OUTCOMES)
        if self.reviewed_on is not None:
            raise errors.AccessRequestRule(
                f"the review of {self.ref} was decided on {self.reviewed_on.isoformat()}"
            )
        self.trigger_event(self.ReviewDecided, on=on, actor=actor, outcome=outcome)


#: The words of each access request step, sealed before they are stored.
ACCESS_REQUEST_TEXT: dict[type, tuple[str, ...]] = {AccessRequest.Extended: ("reason",)}
