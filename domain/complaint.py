"""The Complaint aggregate: one case through the statutory or corporate procedure.

Command methods check the rules of the procedure and raise a specific
:mod:`domain.errors` exception when one is broken; only then do they trigger an event.
Events are past-tense facts and their ``apply`` methods only change state, so replaying
the history never re-runs a rule. Every event carries ``on`` (the effective date of the
action) and ``actor``; the library stamps the recording time (``timestamp``).

No personal data lives here: names, contact details and narratives belong to
:class:`domain.personal.PersonalDetails`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any, ParamSpec, TypeVar, cast
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from domain import errors
from domain.calendar import Pause
from domain.case_links import ALL_LINK_KINDS, MERGED
from domain.casework import (
    CaseworkState,
    Cost,
    JointComplaint,
    Survey,
    check_cost_kind,
    check_joint,
    check_joint_response,
    check_scores,
    check_survey_answer,
    check_survey_sent,
)
from domain.procedure import (
    APPOINTMENT_ROLES,
    CHILD_ROLES,
    CORPORATE,
    DISABILITY_ANSWERS,
    DISPUTE_RESOLUTION_METHODS,
    FINAL_STAGE,
    OMBUDSMAN_DECISIONS,
    OMBUDSMAN_UPHELD,
    PANEL_ROLES,
    POINT_FINDINGS,
    RECEIPT,
    STAGE2_ROLES,
    STAGE_OUTCOMES,
    STATUTORY,
    TRIAGE_DECISIONS,
    TRIAGE_INTO_PROCEDURE,
    ProcedurePolicy,
    Timescales,
    check_name,
)
from domain.registers import PROVIDER
from domain.stage_clock import StageClock
from domain.state import (
    Amendment,
    Appointment,
    Link,
    OmbudsmanState,
    Payment,
    RecommendationState,
    Reopening,
    StageState,
)
from domain.vocabulary import check_text

LEDGER_NAMESPACE = uuid5(NAMESPACE_URL, "https://complaints-ledger.invalid/")

#: Details that an amendment may correct, and the kind of value each takes.
#: A staff register id: what names an officer in a complaint's events (never a name).
OFFICER_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")

AMENDABLE_FIELDS = {
    "service-area": "name",
    "team": "name",
    "channel": "name",
    "role": "name",
    "reasons": "names",
    "received-on": "date",
    "matter-on": "date",
}


def case_id(ref: str) -> UUID:
    """The aggregate id of the case with reference ``ref``: derived, never looked up."""
    return uuid5(LEDGER_NAMESPACE, "complaint:" + ref)


#: No single payment is anywhere near this; larger figures are typing mistakes.
LARGEST_PAYMENT = Decimal("10000000.00")


def check_amount(amount: Decimal) -> Decimal:
    """A payment in pounds and pence: more than zero, at most two decimal places."""
    if amount <= 0:
        raise errors.BadData(f"amount {amount} must be more than zero")
    if amount > LARGEST_PAYMENT:
        raise errors.BadData(f"amount {amount} is larger than any payment ({LARGEST_PAYMENT})")
    pence = amount.quantize(Decimal("0.01"))
    if amount != pence:
        raise errors.BadData(f"amount {amount} has more than two decimal places")
    return pence


P = ParamSpec("P")
T = TypeVar("T")


def step(command: Callable[P, T]) -> Callable[P, T]:
    """A command that records a step of the case on its effective date ``on``.

    A step dated on or after every step already recorded is judged against the case as
    it stands. A step dated earlier (paperwork caught up, a correction re-recorded) is
    judged against the case as it stood on that date, and the steps dated after it are
    judged again with it in place (see :meth:`Complaint._record_late`).
    """

    @functools.wraps(command)
    def recording(*args: P.args, **kwargs: P.kwargs) -> T:
        case: Any = args[0]
        on: date = cast(date, kwargs["on"])
        case._check_date(on, kwargs["policy"])
        if case._plain or not case._steps_after(on):
            return command(*args, **kwargs)
        run = cast(Callable[..., T], command)
        return cast(
            T,
            case._record_late(on, kwargs["policy"], lambda shell: run(shell, *args[1:], **kwargs)),
        )

    return recording


class Complaint(Aggregate):
    """A case: receipt, triage, the stages, recommendations, payments, the Ombudsman.

    Its state is a fold of its steps in order of effective date (``on``, then the order
    of recording), whatever order they were recorded in, leaving out steps that were
    voided. :meth:`_take` is the one place that keeps that bookkeeping: each event's
    ``effect`` only changes the state the step is about.
    """

    #: Shells built to judge a late step run their commands directly.
    _plain = False

    # ----------------------------------------------------------------- events
    class Event(Aggregate.Event):
        on: date
        actor: str

        def apply(self, aggregate: Any) -> None:
            aggregate._take(self)

        def effect(self, c: Complaint) -> None:
            """Change the state this step is about (nothing else)."""

    class Received(Event, Aggregate.Created):
        ref: str
        channel: str | None
        role: str | None
        direct_from_child: bool
        service_area: str | None
        team: str | None
        reasons: list[str]
        matter_on: date | None
        #: The initial feedback this complaint grew from, if any.
        from_feedback: str | None = None

    class Triaged(Event):
        decision: str
        reason: str | None
        late_reason: str | None
        working_days: int
        #: What Stage 1's response timescale counts from, and the days to acknowledge
        #: (events recorded before timescales could change carry neither).
        counts_from: str = RECEIPT
        acknowledge_days: int | None = None

        def effect(self, c: Complaint) -> None:
            c.triage_decision = self.decision
            c.triaged_on = self.on
            if self.decision in TRIAGE_INTO_PROCEDURE:
                c.procedure = self.decision
                c.stages.append(
                    StageState(
                        number=1,
                        started_on=self.on,
                        clock_from=c.received_on,
                        working_days=self.working_days,
                        late_reason=self.late_reason,
                        acknowledged_on=c.acknowledged_before_triage,
                        counts_from=self.counts_from,
                        acknowledge_days=self.acknowledge_days,
                    )
                )
            else:
                c.ended = "redirected"
                c.ended_on = self.on

    class Acknowledged(Event):
        stage: int

        def effect(self, c: Complaint) -> None:
            stage = c.numbered_stage(self.stage)
            if stage is not None:
                stage.acknowledged_on = self.on
            else:
                c.acknowledged_before_triage = self.on

    class AdvocateOffered(Event):
        def effect(self, c: Complaint) -> None:
            c.advocate_offered_on = self.on

    class AdvocateTakenUp(Event):
        accepted: bool

        def effect(self, c: Complaint) -> None:
            c.advocate_accepted = self.accepted

    class Suspended(Event):
        reason: str

        def effect(self, c: Complaint) -> None:
            c.suspensions.append((self.on, None))

    class Resumed(Event):
        def effect(self, c: Complaint) -> None:
            first, _ = c.suspensions[-1]
            c.suspensions[-1] = (first, self.on)

    class Extended(Event):
        stage: int
        working_days: int
        reason: str

        def effect(self, c: Complaint) -> None:
            stage = c.stage_numbered(self.stage)
            stage.working_days = self.working_days
            stage.extensions += 1

    class Responded(Event):
        stage: int
        outcome: str
        remedies: list[str]

        def effect(self, c: Complaint) -> None:
            stage = c.stage_numbered(self.stage)
            stage.responded_on = self.on
            stage.outcome = self.outcome
            stage.remedies = list(self.remedies)

    class EscalationRequested(Event):
        stage: int
        working_days: int
        late_reason: str | None
        report_days: int
        response_days: int
        counts_from: str = RECEIPT
        acknowledge_days: int | None = None

        def effect(self, c: Complaint) -> None:
            c.stages.append(
                StageState(
                    number=self.stage,
                    started_on=self.on,
                    clock_from=self.on,
                    working_days=self.working_days,
                    late_reason=self.late_reason,
                    report_days=self.report_days,
                    response_days=self.response_days,
                    counts_from=self.counts_from,
                    acknowledge_days=self.acknowledge_days,
                )
            )

    class DisputeResolutionOffered(Event):
        method: str

        def effect(self, c: Complaint) -> None:
            c.dispute_resolution = {"offered_on": self.on, "method": self.method}

    class DisputeResolutionConcluded(Event):
        resolved: bool

        def effect(self, c: Complaint) -> None:
            c.dispute_resolution["concluded_on"] = self.on
            c.dispute_resolution["resolved"] = self.resolved
            if self.resolved:
                c.ended = "resolved"
                c.ended_on = self.on

    class PersonAppointed(Event):
        stage: int
        role: str
        person: str
        internal: bool

        def effect(self, c: Complaint) -> None:
            c.stage_numbered(self.stage).appointments.append(
                Appointment(self.role, self.person, self.internal, self.on)
            )

    class HandlerAssigned(Event):
        stage: int
        officer: str

        def effect(self, c: Complaint) -> None:
            c.stage_numbered(self.stage).handler = self.officer

    class StatementAgreed(Event):
        points: int

        def effect(self, c: Complaint) -> None:
            stage = c.stage_numbered(2)
            stage.statement_agreed_on = self.on
            stage.points = self.points

    class PointFound(Event):
        stage: int
        point: int
        finding: str

        def effect(self, c: Complaint) -> None:
            c.stage_numbered(self.stage).findings[self.point] = self.finding

    class PanelMet(Event):
        def effect(self, c: Complaint) -> None:
            c.stage_numbered(3).panel_met_on = self.on

    class PanelReported(Event):
        def effect(self, c: Complaint) -> None:
            c.stage_numbered(3).panel_reported_on = self.on

    class RecommendationMade(Event):
        recommendation_id: str
        stage: str
        theme: str | None

        def effect(self, c: Complaint) -> None:
            c.recommendations[self.recommendation_id] = RecommendationState(
                id=self.recommendation_id, stage=self.stage, made_on=self.on, theme=self.theme
            )

    class RecommendationAccepted(Event):
        recommendation_id: str
        owner: str | None
        due: date | None

        def effect(self, c: Complaint) -> None:
            rec = c.recommendations[self.recommendation_id]
            rec.decision, rec.decided_on = "accepted", self.on
            rec.owner, rec.due = self.owner, self.due

    class RecommendationRejected(Event):
        recommendation_id: str
        reason: str | None

        def effect(self, c: Complaint) -> None:
            rec = c.recommendations[self.recommendation_id]
            rec.decision, rec.decided_on = "rejected", self.on

    class RecommendationCompleted(Event):
        recommendation_id: str
        evidence: str | None

        def effect(self, c: Complaint) -> None:
            rec = c.recommendations[self.recommendation_id]
            rec.completed_on, rec.evidence = self.on, self.evidence

    class CompensationAgreed(Event):
        stage: str
        amount: Decimal
        reason: str | None

        def effect(self, c: Complaint) -> None:
            c.payments.append(Payment(self.on, self.stage, self.amount, self.reason))

    class Withdrawn(Event):
        stage: int
        reason: str | None

        def effect(self, c: Complaint) -> None:
            stage = c.numbered_stage(self.stage)
            if stage is not None:
                stage.withdrawn_on = self.on
            c.ended = "withdrawn"
            c.ended_on = self.on

    class OmbudsmanEnquiryOpened(Event):
        ombudsman_ref: str | None

        def effect(self, c: Complaint) -> None:
            c.ombudsman.append(OmbudsmanState(self.on, self.ombudsman_ref))

    class OmbudsmanDecided(Event):
        decision: str
        remedies: list[str]
        due: date | None
        #: Upheld, but the council had already offered a remedy the Ombudsman found
        #: satisfactory (a figure of the Ombudsman's annual letter to the council).
        satisfactory_remedy: bool = False

        def effect(self, c: Complaint) -> None:
            enquiry = c.ombudsman[-1]
            enquiry.decided_on, enquiry.decision = self.on, self.decision
            enquiry.remedies, enquiry.due = list(self.remedies), self.due
            enquiry.satisfactory_remedy = self.satisfactory_remedy

    class OmbudsmanComplied(Event):
        def effect(self, c: Complaint) -> None:
            c.ombudsman[-1].complied_on = self.on

    class ProfileRecorded(Event):
        """Equality monitoring, recorded only when the complainant gives it."""

        age_band: str | None
        ethnicity: str | None
        disability: str | None

        def effect(self, c: Complaint) -> None:
            c.profile = {
                "age_band": self.age_band,
                "ethnicity": self.ethnicity,
                "disability": self.disability,
            }

    class DetailAmended(Event):
        field: str
        old: Any
        new: Any
        reason: str

        def effect(self, c: Complaint) -> None:
            c._amended(self)

    class StepVoided(Event):
        """The step recorded at ``voided_version`` was recorded in error: the case is
        as if it had not been recorded. Both stay in the history."""

        voided_version: int
        voided_type: str
        reason: str

    class Recorded(Event):
        """Something done with the case's personal data, not a step of the procedure:
        it stays in the history and changes nothing the figures are built from."""

    class Erased(Recorded):
        """A data subject's personal data was erased (their key destroyed): who, when,
        on what basis. It names the subject only by role or register id."""

        subject: str
        basis: str

    class SubjectAccessGiven(Recorded):
        """Everything held about a data subject was exported for them."""

        subject: str

    class HoldPlaced(Recorded):
        """A legal hold: the case's personal data must not be erased until it is lifted."""

        reason: str

    class HoldLifted(Recorded):
        """The legal hold was lifted."""

        reason: str

    # Issue 16 (ADR 0039): who the complaint is about, joint complaints, costs, surveys.
    class ProviderNamed(Event):
        """The complaint is about a commissioned or contracted provider."""

        provider: str

        def effect(self, c: Complaint) -> None:
            c.casework.provider = self.provider

    class JointComplaintRecorded(Event):
        """The complaint is handled jointly with another body, which one leads."""

        body: str
        lead: str

        def effect(self, c: Complaint) -> None:
            c.casework.joint = JointComplaint(self.on, self.body, self.lead)

    class JointResponseAgreed(Event):
        """The council and the other body agreed their joint response."""

        def effect(self, c: Complaint) -> None:
            if c.casework.joint is not None:
                c.casework.joint.response_agreed_on = self.on

    class CostIncurred(Event):
        """A payment of the procedure's costs (an investigator, a panel member...)."""

        kind: str
        stage: str
        amount: Decimal

        def effect(self, c: Complaint) -> None:
            c.casework.costs.append(Cost(self.on, self.kind, self.stage, self.amount))

    class SurveySent(Event):
        """The satisfaction survey was sent to the complainant."""

        def effect(self, c: Complaint) -> None:
            c.casework.survey = Survey(self.on)

    class SurveyAnswered(Event):
        """The survey came back: scores on the stated scale, and a comment (sealed)."""

        scores: dict[str, int]
        comment: str | None

        def effect(self, c: Complaint) -> None:
            if c.casework.survey is not None:
                c.casework.survey.answered_on = self.on
                c.casework.survey.scores = dict(self.scores)
    class CaseLinked(Event):
        """This case was linked to case ``other``: related (same family, same issue), or
        by a merge, a split or a new issue (see :mod:`domain.case_links`)."""

        other: str
        kind: str

        def effect(self, c: Complaint) -> None:
            c.links.append(Link(self.on, self.other, self.kind))

    class MergedInto(Event):
        """This case was a duplicate of ``original`` and was merged into it: it ends, and
        its figures are the original's."""

        original: str
        reason: str

        def effect(self, c: Complaint) -> None:
            c.merged_into = self.original
            c.ended = MERGED
            c.ended_on = self.on

    class StageReopened(Event):
        """Stage ``stage``'s response was found incomplete: the stage is open again and
        its clock (``working_days``) runs again from this day."""

        stage: int
        reason: str
        working_days: int

        def effect(self, c: Complaint) -> None:
            stage = c.stage_numbered(self.stage)
            c.reopenings.append(
                Reopening(self.stage, self.on, self.reason, stage.responded_on, stage.outcome)
            )
            stage.responded_on = None
            stage.outcome = None
            stage.remedies = []
            stage.reopened_on = self.on
            stage.working_days = self.working_days
            stage.extensions = 0

    # ------------------------------------------------------------ bookkeeping
    def _take(self, event: Complaint.Event) -> None:
        """Fold one recorded event into the state: the only place that knows the order.

        A step dated on or after every step folded so far changes the state in place; a
        step dated earlier, or a voiding, refolds every step still in force in order
        of effective date (then recording).
        """
        if isinstance(event, Complaint.Received):
            self._log: list[Complaint.Event] = [event]
            self._voided: dict[int, Complaint.StepVoided] = {}
            self._full_log: list[Complaint.Event] | None = None
            self._expected: object = None
            self._last_key: tuple[date, int] = (event.on, event.originator_version)
            self._reset()
            return
        self._log.append(event)
        if isinstance(event, Complaint.Recorded):
            return
        if isinstance(event, Complaint.StepVoided):
            self._voided[event.voided_version] = event
            self._refold()
            return
        key = _order(event)
        if key >= self._last_key:
            event.effect(self)
            self._last_key = key
        else:
            self._refold()

    def _reset(self) -> None:
        received = self._log[0]
        assert isinstance(received, Complaint.Received)
        self._received(received)
        self._last_key = (received.on, received.originator_version)

    def _refold(self) -> None:
        self._reset()
        for step in self.steps_in_force():
            step.effect(self)
            self._last_key = max(self._last_key, _order(step))

    def steps_in_force(self) -> list[Complaint.Event]:
        """Every recorded step after receipt that was not voided, in effective order."""
        steps = [
            e
            for e in self._log[1:]
            if not isinstance(e, Complaint.StepVoided | Complaint.Recorded)
            and e.originator_version not in self._voided
        ]
        return sorted(steps, key=_order)

    @property
    def recorded(self) -> list[Complaint.Event]:
        """Every event of the case, in recording order (voidings included)."""
        return list(self._log)

    @property
    def voidings(self) -> dict[int, Complaint.StepVoided]:
        """Voided version -> the voiding that says so."""
        return dict(self._voided)

    # ------------------------------------------------------------------ state
    def _received(self, event: Complaint.Received) -> None:
        self.ref = event.ref
        self.received_on = event.on
        self.channel = event.channel
        self.role = event.role
        self.direct_from_child = event.direct_from_child
        self.service_area = event.service_area
        self.team = event.team
        self.reasons = list(event.reasons)
        self.matter_on = event.matter_on
        self.from_feedback = event.from_feedback
        self.profile: dict[str, str | None] = {}
        self.procedure: str | None = None
        self.triage_decision: str | None = None
        self.triaged_on: date | None = None
        self.acknowledged_before_triage: date | None = None
        self.ended: str | None = None
        self.ended_on: date | None = None
        self.stages: list[StageState] = []
        self.suspensions: list[Pause] = []
        self.advocate_offered_on: date | None = None
        self.advocate_accepted: bool | None = None
        self.dispute_resolution: dict[str, Any] = {}
        self.recommendations: dict[str, RecommendationState] = {}
        self.payments: list[Payment] = []
        self.ombudsman: list[OmbudsmanState] = []
        self.amendments: list[Amendment] = []
        self.casework = CaseworkState()
        self.links: list[Link] = []
        self.merged_into: str | None = None
        self.reopenings: list[Reopening] = []

    def _amended(self, event: Complaint.DetailAmended) -> None:
        attribute = event.field.replace("-", "_")
        setattr(self, attribute, list(event.new) if event.field == "reasons" else event.new)
        if event.field == "role":
            self.direct_from_child = event.new in CHILD_ROLES
        if event.field == "received-on" and self.stages:
            self.stages[0].clock_from = event.new
        self.amendments.append(Amendment(event.on, event.field, event.old, event.new, event.reason))

    # --------------------------------------------------------------- queries
    def numbered_stage(self, number: int) -> StageState | None:
        """Stage ``number`` of this case, if it has reached it."""
        for stage in self.stages:
            if stage.number == number:
                return stage
        return None

    def stage_numbered(self, number: int) -> StageState:
        """Stage ``number``, which a recorded step says the case reached."""
        stage = self.numbered_stage(number)
        assert stage is not None, f"no Stage {number}"
        return stage

    @property
    def stage(self) -> StageState | None:
        """The current stage, or ``None`` before triage into a procedure."""
        return self.stages[-1] if self.stages else None

    @property
    def is_suspended(self) -> bool:
        return bool(self.suspensions) and self.suspensions[-1][1] is None

    def pauses_for(self, stage: StageState) -> list[Pause]:
        """The holds that stopped this stage's clock (a hold ends with the stage)."""
        ended = stage.ended_on
        pauses: list[Pause] = []
        for first, resumed in self.suspensions:
            if ended is not None and first >= ended:
                continue
            if resumed is not None and resumed <= stage.clock_from:
                continue
            if resumed is None and ended is not None:
                resumed = ended
            pauses.append((first, resumed))
        return pauses

    def stage_clock(self, stage: StageState, policy: ProcedurePolicy) -> StageClock:
        """The clock of ``stage`` as the case stands: what it counts from, its
        deadlines, whether each was met (each worked out once; :mod:`domain.stage_clock`)."""
        return StageClock(self, stage, policy)

    def stage_deadline(self, stage: StageState, policy: ProcedurePolicy) -> date | None:
        """When the stage's next step is due, as validly extended and paused; ``None``
        while the case is on hold (the clock has stopped).

        Stages 1, 2 and corporate stages: the response. Stage 3: the panel meeting,
        then the panel's report, then the council's response.
        """
        return self.stage_clock(stage, policy).deadline

    def acknowledgement_deadline(self, stage: StageState, policy: ProcedurePolicy) -> date | None:
        """The date by which the stage was to be acknowledged; ``None`` on hold."""
        return self.stage_clock(stage, policy).acknowledgement_due

    def acknowledged_on_time(self, stage: StageState, policy: ProcedurePolicy) -> bool | None:
        """Whether the stage was acknowledged within its days; ``None`` until it is."""
        return self.stage_clock(stage, policy).acknowledged_on_time

    def timescales(self, policy: ProcedurePolicy) -> Timescales:
        """The timescales this case follows: those in force on the day it was received."""
        return policy.timescales_on(self.received_on)

    def clock_basis(self, stage: StageState, policy: ProcedurePolicy) -> str:
        """What the stage's clock counts from (:attr:`StageClock.basis`)."""
        return self.stage_clock(stage, policy).basis

    def clock_start(self, stage: StageState, policy: ProcedurePolicy) -> date | None:
        """Day 0 of the stage's response timescale (see :meth:`clock_basis`); ``None``
        while it waits on an acknowledgement that is on hold."""
        return self.stage_clock(stage, policy).start

    def response_deadline(self, stage: StageState, policy: ProcedurePolicy) -> date | None:
        """The date by which the response ending ``stage`` is due; ``None`` on hold."""
        return self.stage_clock(stage, policy).response_due

    def responded_on_time(self, stage: StageState, policy: ProcedurePolicy) -> bool | None:
        """Whether the stage's response came within its (validly extended) timescale
        (:attr:`StageClock.responded_on_time`)."""
        return self.stage_clock(stage, policy).responded_on_time

    def panel_on_time(self, stage: StageState, policy: ProcedurePolicy) -> bool | None:
        """Whether the review panel met within its timescale of the Stage 3 request."""
        return self.stage_clock(stage, policy).panel_on_time

    def working_days_to_response(self, stage: StageState, policy: ProcedurePolicy) -> int | None:
        return self.stage_clock(stage, policy).working_days_to_response

    # ------------------------------------------------------- late steps, voids
    def _steps_after(self, on: date) -> bool:
        return self._last_key[0] > on

    def _shell(self, steps: list[Complaint.Event]) -> Complaint:
        """A scratch copy of this case holding the receipt and ``steps`` only, whose
        commands run directly (it never records anything)."""
        shell = object.__new__(type(self))
        shell.__base_init__(
            originator_id=self.id, originator_version=self.version, timestamp=self.modified_on
        )
        shell._plain = True
        shell._full_log = self._recorded_steps()
        shell._expected = None
        shell._log = [self._log[0], *steps]
        shell._voided = {}
        shell._refold()
        return shell

    def _recorded_steps(self) -> list[Complaint.Event]:
        return self._log if self._full_log is None else self._full_log

    def trigger_event(self, event_class: type[Any], **kwargs: Any) -> None:
        expected = self._expected
        if expected is None:
            super().trigger_event(event_class, **kwargs)
            return
        self._expected = None
        if expected is _DRY_RUN:
            raise _WouldRecord
        assert isinstance(expected, Complaint.Event)
        if event_class is not type(expected) or any(
            kwargs.get(name) != getattr(expected, name)
            for name in _TARGETS
            if name in kwargs and hasattr(expected, name)
        ):
            raise errors.BreaksLaterStep(f"it would no longer be {_describe(expected)}")
        self._take(expected)

    def _record_late(
        self, on: date, policy: ProcedurePolicy, command: Callable[[Complaint], T]
    ) -> T:
        """Record a step dated before steps already recorded: judged against the case
        as it stood on its date, and refused if a later-dated step would no longer
        stand (each later step's rules are checked again with this one in place)."""
        steps = self.steps_in_force()
        before = [s for s in steps if s.on <= on]
        later = [s for s in steps if s.on > on]
        shell = self._shell(before)
        try:
            result = command(shell)
        except errors.Refused as refusal:
            raise self._dependency(on, before, later, command, refusal) from None
        new_events = cast(list[Complaint.Event], shell.collect_events())
        for step in later:
            try:
                self._check_again(shell, step, policy)
            except errors.Refused as refusal:
                raise errors.BreaksLaterStep(
                    f"a step dated {on.isoformat()} would break the later "
                    f"{_describe(step)}: {refusal.message}"
                ) from None
        for event in new_events:
            self.trigger_event(type(event), **_payload(event))
        return result

    def _dependency(
        self,
        on: date,
        before: list[Complaint.Event],
        later: list[Complaint.Event],
        command: Callable[[Complaint], Any],
        refusal: errors.Refused,
    ) -> errors.Refused:
        """Why a step refused on its own date: the later step it depends on, if taking
        that one into account lets it stand; otherwise the refusal itself."""
        shell = self._shell(before)
        for step in later:
            shell._take(step)
            shell._expected = _DRY_RUN
            try:
                command(shell)
            except _WouldRecord:
                return errors.DependencyOrder(
                    f"{on.isoformat()} is before the {_describe(step)}, which this step depends on"
                )
            except errors.Refused:
                continue
            finally:
                shell._expected = None
        return refusal

    @staticmethod
    def _check_again(shell: Complaint, step: Complaint.Event, policy: ProcedurePolicy) -> None:
        """Run ``step``'s own command on ``shell`` (its rules checked again), folding
        the recorded step itself in; steps with no rules on their order just fold."""
        again = _CHECK_AGAIN.get(type(step))
        if again is None:
            shell._take(step)
            return
        shell._expected = step
        try:
            again(shell, step, policy)
            if shell._expected is not None:
                raise errors.BreaksLaterStep(f"it would no longer be {_describe(step)}")
        finally:
            shell._expected = None

    def void(
        self, *, on: date, actor: str, policy: ProcedurePolicy, version: int, reason: str
    ) -> None:
        """Mark the step recorded at ``version`` as recorded in error; the case is then
        as if it had never been recorded. Refused while later steps depend on it."""
        if not reason.strip():
            raise errors.BadData("a voiding needs a reason")
        _check_not_future(on, policy)
        target = next((e for e in self._log if e.originator_version == version), None)
        if target is None:
            raise errors.UnknownStep(f"case {self.ref} has no step at version {version}")
        if isinstance(target, Complaint.Received):
            raise errors.VoidRefused(
                "the receipt cannot be voided: correct its details with amend, or triage "
                "the case as not a complaint"
            )
        if isinstance(target, Complaint.StepVoided):
            raise errors.VoidRefused("a voiding cannot be voided: record the step again")
        if isinstance(target, Complaint.Recorded):
            raise errors.VoidRefused(
                f"{type(target).__name__} is not a step of the procedure and cannot be voided"
            )
        if version in self._voided:
            raise errors.VoidRefused(
                f"version {version} was already voided on {self._voided[version].on.isoformat()}"
            )
        steps = self.steps_in_force()
        position = steps.index(target)
        shell = self._shell(steps[:position])
        dependents = []
        for step in steps[position + 1 :]:
            try:
                self._check_again(shell, step, policy)
            except errors.Refused:
                dependents.append(step)
        if dependents:
            raise errors.VoidHasDependents(
                f"later steps depend on {_describe(target)}: "
                + "; ".join(_describe(s) for s in dependents)
                + " (void those first)"
            )
        self.trigger_event(
            self.StepVoided,
            on=on,
            actor=actor,
            voided_version=version,
            voided_type=type(target).__name__,
            reason=reason,
        )

    # ----------------------------------------------------------- personal data
    @property
    def erasures(self) -> list[Complaint.Erased]:
        """Every erasure recorded for the case, in recording order."""
        return [e for e in self._log if isinstance(e, Complaint.Erased)]

    def erasure_of(self, subject: str) -> Complaint.Erased | None:
        """The erasure that covers ``subject`` (its own, or ``all``), if recorded."""
        for erasure in self.erasures:
            if erasure.subject in (subject, "all"):
                return erasure
        return None

    @property
    def appointed_people(self) -> list[str]:
        """The register ids of everyone appointed to the case."""
        people = [a.person for stage in self.stages for a in stage.appointments]
        return list(dict.fromkeys(people))

    def erase(
        self, *, on: date, actor: str, policy: ProcedurePolicy, subject: str, basis: str
    ) -> None:
        """Record that ``subject``'s personal data was erased (the ledger destroys the
        key); refused if it already was, or the case has no such subject."""
        from domain.personal import check_subject

        if not basis.strip():
            raise errors.BadData("an erasure needs its basis (the request or schedule it meets)")
        subject = check_subject(subject)
        if subject.startswith("person:") and subject[7:] not in self.appointed_people:
            raise errors.UnknownSubject(
                f"nobody with register id {subject[7:]!r} was appointed to case {self.ref}"
            )
        _check_not_future(on, policy)
        hold = self.legal_hold
        if hold is not None:
            raise errors.UnderLegalHold(
                f"case {self.ref} is under a legal hold placed on {hold.on.isoformat()} by "
                f"{hold.actor}: its personal data cannot be erased until the hold is lifted"
            )
        done = self.erasure_of(subject)
        if done is not None:
            raise errors.AlreadyErased(
                f"{subject} of case {self.ref} was already erased on {done.on.isoformat()} "
                f"by {done.actor}"
                + ("" if done.subject == subject else f" (subject {done.subject})")
            )
        self.trigger_event(self.Erased, on=on, actor=actor, subject=subject, basis=basis)

    @property
    def legal_hold(self) -> Complaint.HoldPlaced | None:
        """The legal hold in force, if one was placed and not lifted since."""
        hold = None
        for event in self._log:
            if isinstance(event, Complaint.HoldPlaced):
                hold = event
            elif isinstance(event, Complaint.HoldLifted):
                hold = None
        return hold

    def place_hold(self, *, on: date, actor: str, policy: ProcedurePolicy, reason: str) -> None:
        """Place a legal hold: erasure is refused until it is lifted."""
        if not reason.strip():
            raise errors.BadData("a legal hold needs its reason")
        _check_not_future(on, policy)
        hold = self.legal_hold
        if hold is not None:
            raise errors.UnderLegalHold(
                f"case {self.ref} is already under a legal hold placed on "
                f"{hold.on.isoformat()} by {hold.actor}"
            )
        self.trigger_event(self.HoldPlaced, on=on, actor=actor, reason=reason)

    def lift_hold(self, *, on: date, actor: str, policy: ProcedurePolicy, reason: str) -> None:
        """Lift the legal hold in force."""
        if not reason.strip():
            raise errors.BadData("lifting a legal hold needs its reason")
        _check_not_future(on, policy)
        hold = self.legal_hold
        if hold is None:
            raise errors.NoLegalHold(f"case {self.ref} is not under a legal hold")
        if on < hold.on:
            raise errors.BadData(
                f"the hold was placed on {hold.on.isoformat()}; it cannot be lifted before"
            )
        self.trigger_event(self.HoldLifted, on=on, actor=actor, reason=reason)

    def give_subject_access(
        self, *, on: date, actor: str, policy: ProcedurePolicy, subject: str
    ) -> None:
        """Record that everything held about ``subject`` was exported for them."""
        from domain.personal import check_subject

        self.trigger_event(
            self.SubjectAccessGiven, on=on, actor=actor, subject=check_subject(subject)
        )

    # ---------------------------------------------------------------- rules
    def _check_date(self, on: date, policy: ProcedurePolicy) -> None:
        if on < self.received_on:
            raise errors.DateOutOfOrder(
                f"{on.isoformat()} is before the complaint was received "
                f"({self.received_on.isoformat()})"
            )
        _check_not_future(on, policy)

    def _check_not_ended(self) -> None:
        if self.ended is not None:
            assert self.ended_on is not None
            raise errors.CaseEnded(
                f"case {self.ref} was {self.ended} on {self.ended_on.isoformat()}"
            )

    def _open_stage(self, action: str) -> StageState:
        self._check_not_ended()
        stage = self.stage
        if stage is None:
            raise errors.NotTriaged(
                f"cannot {action}: case {self.ref} has not been triaged into a procedure"
            )
        if not stage.is_open:
            raise errors.StageAlreadyResponded(
                f"cannot {action}: Stage {stage.number} was responded to on "
                f"{stage.responded_on.isoformat() if stage.responded_on else '?'}"
            )
        return stage

    def _check_not_suspended(self, action: str) -> None:
        if self.is_suspended:
            raise errors.Suspended(
                f"cannot {action}: case {self.ref} is on hold since "
                f"{self.suspensions[-1][0].isoformat()}"
            )

    # -------------------------------------------------------------- commands
    @classmethod
    def receive(
        cls,
        *,
        ref: str,
        on: date,
        actor: str,
        policy: ProcedurePolicy,
        channel: str | None = None,
        role: str | None = None,
        service_area: str | None = None,
        team: str | None = None,
        reasons: list[str] | None = None,
        matter_on: date | None = None,
        from_feedback: str | None = None,
    ) -> Complaint:
        _check_not_future(on, policy)
        taxonomy = policy.taxonomy
        if channel is not None:
            check_name("channel", channel, taxonomy.channels)
        if role is not None:
            check_name("complainant role", role, taxonomy.roles)
        for reason in reasons or []:
            check_name("reason", reason, taxonomy.reasons)
        if matter_on is not None and matter_on > on:
            raise errors.DateOutOfOrder(
                f"the matter complained of ({matter_on.isoformat()}) is after receipt "
                f"({on.isoformat()})"
            )
        service_area = policy.service_area(service_area, on)
        team = policy.team(team, on)
        return cls._create(
            cls.Received,
            id=case_id(ref),
            on=on,
            actor=actor,
            ref=ref,
            channel=channel,
            role=role,
            direct_from_child=role in CHILD_ROLES,
            service_area=service_area,
            team=team,
            reasons=list(dict.fromkeys(reasons or [])),
            matter_on=matter_on,
            from_feedback=from_feedback,
        )

    @step
    def triage(
        self,
        *,
        on: date,
        actor: str,
        policy: ProcedurePolicy,
        decision: str,
        reason: str | None = None,
        late_reason: str | None = None,
    ) -> None:
        self._check_not_ended()
        check_name("triage decision", decision, TRIAGE_DECISIONS)
        if self.triage_decision is not None:
            raise errors.AlreadyTriaged(
                f"case {self.ref} was already triaged ({self.triage_decision})"
            )
        self._check_date(on, policy)
        working_days = 0
        clock: dict[str, Any] = {}
        if decision in TRIAGE_INTO_PROCEDURE:
            if (
                self.matter_on is not None
                and self.received_on
                > _years_after(self.matter_on, self.timescales(policy).time_limit_years)
                and not late_reason
            ):
                raise errors.OutOfTime(
                    f"the complaint was made more than a year after the matter "
                    f"({self.matter_on.isoformat()}); accept it only with --late-reason"
                )
            timescale = self.timescales(policy).for_stage(decision, 1)
            working_days = timescale.working_days
            clock = {
                "counts_from": timescale.counts_from,
                "acknowledge_days": timescale.acknowledge_days
                or self.timescales(policy).acknowledge,
            }
        elif decision == "out-of-time" and not reason:
            reason = "made more than a year after the matter"
        self.trigger_event(
            self.Triaged,
            on=on,
            actor=actor,
            decision=decision,
            reason=reason,
            late_reason=late_reason,
            working_days=working_days,
            **clock,
        )

    @step
    def acknowledge(self, *, on: date, actor: str, policy: ProcedurePolicy) -> None:
        self._check_not_ended()
        self._check_date(on, policy)
        stage = self.stage
        number = stage.number if stage else 1
        already = stage.acknowledged_on if stage else self.acknowledged_before_triage
        if already is not None:
            raise errors.AlreadyAcknowledged(
                f"Stage {number} of case {self.ref} was acknowledged on {already.isoformat()}"
            )
        if stage is not None and not stage.is_open:
            raise errors.StageAlreadyResponded(
                f"Stage {number} of case {self.ref} has already ended"
            )
        self.trigger_event(self.Acknowledged, on=on, actor=actor, stage=number)

    @step
    def offer_advocate(self, *, on: date, actor: str, policy: ProcedurePolicy) -> None:
        self._check_not_ended()
        self._check_date(on, policy)
        if self.advocate_offered_on is not None:
            raise errors.AdvocacyRule(
                f"an advocate was already offered on {self.advocate_offered_on.isoformat()}"
            )
        self.trigger_event(self.AdvocateOffered, on=on, actor=actor)

    @step
    def answer_advocate_offer(
        self, *, on: date, actor: str, policy: ProcedurePolicy, accepted: bool
    ) -> None:
        self._check_not_ended()
        self._check_date(on, policy)
        if self.advocate_offered_on is None:
            raise errors.AdvocacyRule("no advocate has been offered on this case")
        if self.advocate_accepted is not None:
            taken = "accepted" if self.advocate_accepted else "declined"
            raise errors.AdvocacyRule(f"the advocate offer was already {taken}")
        self.trigger_event(self.AdvocateTakenUp, on=on, actor=actor, accepted=accepted)

    @step
    def suspend(
        self,
        *,
        on: date,
        actor: str,
        policy: ProcedurePolicy,
        reason: str,
        until: date | None = None,
    ) -> None:
        """Put the case on hold; with ``until``, a hold that has already ended (its
        resumption recorded with it, as a hold recorded late must be)."""
        if until is not None and until <= on:
            raise errors.DateOutOfOrder(
                f"a hold ends after it starts ({until.isoformat()} is not after {on.isoformat()})"
            )
        self._check_not_ended()
        self._check_date(on, policy)
        if not reason.strip():
            raise errors.BadData("a suspension needs a reason")
        if self.is_suspended:
            raise errors.Suspended(
                f"case {self.ref} is already on hold since {self.suspensions[-1][0].isoformat()}"
            )
        self.trigger_event(self.Suspended, on=on, actor=actor, reason=reason)
        if until is not None:
            self.resume(on=until, actor=actor, policy=policy)

    @step
    def resume(self, *, on: date, actor: str, policy: ProcedurePolicy) -> None:
        self._check_not_ended()
        self._check_date(on, policy)
        if not self.is_suspended:
            raise errors.NotSuspended(f"case {self.ref} is not on hold")
        self.trigger_event(self.Resumed, on=on, actor=actor)

    @step
    def extend(
        self,
        *,
        on: date,
        actor: str,
        policy: ProcedurePolicy,
        reason: str,
        working_days: int | None = None,
    ) -> None:
        stage = self._open_stage("extend")
        self._check_not_suspended("extend")
        self._check_date(on, policy)
        if not reason.strip():
            raise errors.BadData("an extension needs a reason")
        assert self.procedure is not None
        timescale = self.timescales(policy).for_stage(self.procedure, stage.number)
        if self.procedure == STATUTORY and stage.number == 3:
            raise errors.ExtensionRefused("Stage 3 timescales cannot be extended")
        deadline = self.stage_clock(stage, policy).response_due_or_stop
        if on > deadline:
            raise errors.ExtensionAfterDeadline(
                f"Stage {stage.number} deadline {deadline.isoformat()} has already passed; "
                "an extension must be agreed before the deadline"
            )
        if timescale.single_extension and stage.extensions:
            raise errors.AlreadyExtended(
                f"Stage {stage.number} has already been extended to "
                f"{stage.working_days} working days; it may be extended only once"
            )
        if working_days is None:
            working_days = timescale.extended_days or timescale.maximum_days
        if working_days > timescale.maximum_days:
            raise errors.ExtensionBeyondMaximum(
                f"Stage {stage.number} may be extended to at most "
                f"{timescale.maximum_days} working days, not {working_days}"
            )
        if working_days <= stage.working_days:
            raise errors.ExtensionRefused(
                f"an extension must lengthen Stage {stage.number} beyond its current "
                f"{stage.working_days} working days"
            )
        self.trigger_event(
            self.Extended,
            on=on,
            actor=actor,
            stage=stage.number,
            working_days=working_days,
            reason=reason,
        )

    @step
    def respond(
        self,
        *,
        on: date,
        actor: str,
        policy: ProcedurePolicy,
        outcome: str,
        stage: int | None = None,
        remedies: list[str] | None = None,
    ) -> None:
        check_name("outcome", outcome, STAGE_OUTCOMES)
        for remedy in remedies or []:
            check_name("remedy", remedy, policy.taxonomy.remedies)
        current = self._open_stage("respond")
        if stage is not None and stage != current.number:
            raise errors.WrongStage(
                f"case {self.ref} is at Stage {current.number}, not Stage {stage}"
            )
        self._check_not_suspended("respond")
        self._check_date(on, policy)
        if self.procedure == STATUTORY and current.number == 3 and current.panel_met_on is None:
            raise errors.PanelRule(
                "the council responds at Stage 3 only after the review panel has met"
            )
        self.trigger_event(
            self.Responded,
            on=on,
            actor=actor,
            stage=current.number,
            outcome=outcome,
            remedies=list(dict.fromkeys(remedies or [])),
        )

    @step
    def escalate(
        self,
        *,
        on: date,
        actor: str,
        policy: ProcedurePolicy,
        late_reason: str | None = None,
    ) -> None:
        self._check_not_ended()
        stage = self.stage
        if stage is None:
            raise errors.NotTriaged(
                f"cannot escalate: case {self.ref} has not been triaged into a procedure"
            )
        if stage.is_open:
            raise errors.StageStillOpen(
                f"cannot escalate: Stage {stage.number} is still open "
                "(it must be responded to first)"
            )
        assert self.procedure is not None and stage.responded_on is not None
        if stage.number >= FINAL_STAGE[self.procedure]:
            raise errors.NoFurtherStage(
                f"the {self.procedure} procedure has no Stage {stage.number + 1}"
                + (" (next is the Ombudsman)" if self.procedure == CORPORATE else "")
            )
        self._check_not_suspended("escalate")
        self._check_date(on, policy)
        timescales = self.timescales(policy)
        request_by = policy.calendar.add_working_days(
            stage.responded_on, timescales.escalation_request, self.suspensions
        )
        if on > request_by and not late_reason:
            raise errors.LateEscalation(
                f"the request for Stage {stage.number + 1} is late (due by "
                f"{request_by.isoformat()}, {timescales.escalation_request} working days "
                "after the response); accept it only with --late-reason"
            )
        number = stage.number + 1
        timescale = timescales.for_stage(self.procedure, number)
        is_panel = self.procedure == STATUTORY and number == 3
        self.trigger_event(
            self.EscalationRequested,
            on=on,
            actor=actor,
            stage=number,
            working_days=timescale.working_days,
            late_reason=late_reason if on > request_by else None,
            report_days=timescales.panel_report if is_panel else 0,
            response_days=timescales.panel_response if is_panel else 0,
            counts_from=timescale.counts_from,
            acknowledge_days=timescale.acknowledge_days or timescales.acknowledge,
        )

    @step
    def offer_dispute_resolution(
        self, *, on: date, actor: str, policy: ProcedurePolicy, method: str
    ) -> None:
        check_name("dispute resolution method", method, DISPUTE_RESOLUTION_METHODS)
        self._check_not_ended()
        if self.stage is None:
            raise errors.NotTriaged("dispute resolution is offered once the case is triaged")
        self._check_date(on, policy)
        if self.dispute_resolution and "concluded_on" not in self.dispute_resolution:
            raise errors.DisputeResolutionRule("dispute resolution is already under way")
        self.trigger_event(self.DisputeResolutionOffered, on=on, actor=actor, method=method)

    @step
    def conclude_dispute_resolution(
        self, *, on: date, actor: str, policy: ProcedurePolicy, resolved: bool
    ) -> None:
        self._check_not_ended()
        self._check_date(on, policy)
        if not self.dispute_resolution or "concluded_on" in self.dispute_resolution:
            raise errors.DisputeResolutionRule("no dispute resolution is under way")
        self.trigger_event(self.DisputeResolutionConcluded, on=on, actor=actor, resolved=resolved)

    @step
    def assign_handler(
        self, *, on: date, actor: str, policy: ProcedurePolicy, officer: str
    ) -> None:
        """The officer handling the current stage, by their staff register id."""
        if not OFFICER_ID.fullmatch(officer):
            raise errors.BadData(
                f"an officer is recorded by their staff register id (letters, digits and "
                f". _ : -, no spaces), not {officer!r}"
            )
        stage = self._open_stage("assign a handler")
        self._check_date(on, policy)
        if stage.number == 2 and self.timescales(policy).stage2_different_handler:
            first = self.numbered_stage(1)
            if first is not None and first.handler == officer:
                raise errors.HandlerRule(
                    f"{officer} handled Stage 1 of case {self.ref}; under the Complaint "
                    "Handling Code Stage 2 is handled by someone else"
                )
        self.trigger_event(
            self.HandlerAssigned, on=on, actor=actor, stage=stage.number, officer=officer
        )

    @step
    def appoint(
        self,
        *,
        on: date,
        actor: str,
        policy: ProcedurePolicy,
        role: str,
        person: str,
        internal: bool = False,
    ) -> None:
        check_name("appointment role", role, APPOINTMENT_ROLES)
        if not person.strip():
            raise errors.BadData("an appointment needs the person's register id")
        stage = self._open_stage("appoint")
        self._check_date(on, policy)
        wanted = 2 if role in STAGE2_ROLES else 3
        if self.procedure != STATUTORY or stage.number != wanted:
            what = "Stage 2 investigators" if wanted == 2 else "Stage 3 panel members"
            raise errors.WrongStage(
                f"{what} are appointed at statutory Stage {wanted}; case {self.ref} is at "
                f"{self.procedure} Stage {stage.number}"
            )
        if role in ("independent-person", *PANEL_ROLES) and internal:
            raise errors.IndependenceRule(
                f"a {role} must be independent: never a member or officer of the council"
            )
        if any(a.person == person for a in stage.appointments):
            raise errors.BadData(f"{person} is already appointed at Stage {stage.number}")
        if role in PANEL_ROLES:
            if stage.panel_met_on is not None:
                raise errors.PanelRule("the review panel has already met")
            stage2_independent = {
                a.person
                for s in self.stages
                if s.number == 2
                for a in s.appointments
                if a.role == "independent-person"
            }
            if person in stage2_independent:
                raise errors.IndependenceRule(
                    f"{person} was the Stage 2 independent person and may not sit on the "
                    "Stage 3 panel"
                )
            panel = [a for a in stage.appointments if a.role in PANEL_ROLES]
            if len(panel) >= 3:
                raise errors.PanelRule("a review panel has three members")
            if role == "panel-chair" and any(a.role == "panel-chair" for a in panel):
                raise errors.PanelRule("the review panel already has a chair")
        self.trigger_event(
            self.PersonAppointed,
            on=on,
            actor=actor,
            stage=stage.number,
            role=role,
            person=person,
            internal=internal,
        )

    @step
    def agree_statement(
        self, *, on: date, actor: str, policy: ProcedurePolicy, points: int
    ) -> None:
        stage = self._open_stage("agree a statement of complaint")
        self._check_date(on, policy)
        if self.procedure != STATUTORY or stage.number != 2:
            raise errors.WrongStage("the statement of complaint is agreed at statutory Stage 2")
        if stage.statement_agreed_on is not None:
            raise errors.InvestigationRule(
                f"the statement was already agreed on {stage.statement_agreed_on.isoformat()}"
            )
        if points < 1:
            raise errors.BadData("a statement of complaint has at least one point")
        self.trigger_event(self.StatementAgreed, on=on, actor=actor, points=points)

    @step
    def record_finding(
        self, *, on: date, actor: str, policy: ProcedurePolicy, point: int, finding: str
    ) -> None:
        check_name("finding", finding, POINT_FINDINGS)
        stage = self._open_stage("record a finding")
        self._check_date(on, policy)
        if self.procedure != STATUTORY or stage.number not in (2, 3):
            raise errors.WrongStage("point findings are made at statutory Stages 2 and 3")
        stage2 = self.stages[1]
        if stage.number == 2 and stage2.statement_agreed_on is None:
            raise errors.InvestigationRule(
                "findings follow the agreed statement of complaint; agree it first"
            )
        if stage.number == 3 and stage.panel_met_on is None:
            raise errors.PanelRule("the panel's findings come after the panel has met")
        if stage2.points and not 1 <= point <= stage2.points:
            raise errors.BadData(
                f"point {point} is not in the statement of complaint (points 1 to {stage2.points})"
            )
        if point in stage.findings:
            raise errors.InvestigationRule(
                f"point {point} already has a Stage {stage.number} finding "
                f"({stage.findings[point]})"
            )
        self.trigger_event(
            self.PointFound, on=on, actor=actor, stage=stage.number, point=point, finding=finding
        )

    @step
    def hold_panel(self, *, on: date, actor: str, policy: ProcedurePolicy) -> None:
        self._check_not_ended()
        stage = self.stage
        if self.procedure != STATUTORY or stage is None or stage.number != 3:
            raise errors.PanelRule(
                f"a review panel meets only after a Stage 3 request; case {self.ref} has none"
            )
        if not stage.is_open:
            raise errors.StageAlreadyResponded("Stage 3 has already ended")
        if stage.panel_met_on is not None:
            raise errors.PanelRule(
                f"the review panel already met on {stage.panel_met_on.isoformat()}"
            )
        self._check_not_suspended("hold the panel")
        self._check_date(on, policy)
        panel = [a for a in stage.appointments if a.role in PANEL_ROLES]
        if panel and (len(panel) != 3 or not any(a.role == "panel-chair" for a in panel)):
            raise errors.PanelRule(
                "the review panel meets as three independent people, one of them chairing "
                f"({len(panel)} appointed)"
            )
        self.trigger_event(self.PanelMet, on=on, actor=actor)

    @step
    def report_panel(self, *, on: date, actor: str, policy: ProcedurePolicy) -> None:
        self._check_not_ended()
        stage = self.stage
        if stage is None or stage.number != 3 or stage.panel_met_on is None:
            raise errors.PanelRule("the panel reports after it has met")
        if stage.panel_reported_on is not None:
            raise errors.PanelRule(
                f"the panel already reported on {stage.panel_reported_on.isoformat()}"
            )
        if not stage.is_open:
            raise errors.StageAlreadyResponded("Stage 3 has already ended")
        self._check_date(on, policy)
        self.trigger_event(self.PanelReported, on=on, actor=actor)

    @step
    def recommend(
        self,
        *,
        on: date,
        actor: str,
        policy: ProcedurePolicy,
        recommendation_id: str | None = None,
        stage: str | None = None,
        theme: str | None = None,
    ) -> str:
        if theme is not None:
            check_name("learning theme", theme, policy.taxonomy.themes)
        if stage is None:
            stage = str(self.stage.number) if self.stage else None
        if stage == "ombudsman":
            if not any(o.decided_on is not None for o in self.ombudsman):
                raise errors.OmbudsmanRule(
                    "an Ombudsman recommendation follows the Ombudsman's decision; "
                    "no decision is recorded on this case"
                )
        else:
            self._check_not_ended()
            self._check_stage_reached(stage)
        self._check_date(on, policy)
        if recommendation_id is None:
            taken = set(self.recommendations) | {
                e.recommendation_id
                for e in self._recorded_steps()
                if isinstance(e, Complaint.RecommendationMade)
            }
            number = len(self.recommendations) + 1
            while f"R{number}" in taken:
                number += 1
            recommendation_id = f"R{number}"
        elif not recommendation_id.strip():
            raise errors.BadData("a recommendation id must not be blank")
        if recommendation_id in self.recommendations:
            raise errors.DuplicateRecommendation(
                f"case {self.ref} already has a recommendation {recommendation_id}"
            )
        self.trigger_event(
            self.RecommendationMade,
            on=on,
            actor=actor,
            recommendation_id=recommendation_id,
            stage=stage,
            theme=theme,
        )
        return recommendation_id

    def _check_stage_reached(self, stage: str | None) -> None:
        """``stage`` names a stage of this case's procedure that it has reached."""
        if self.stage is None or stage is None:
            raise errors.NotTriaged(f"case {self.ref} has not been triaged into a procedure")
        if not stage.isdigit() or not 1 <= int(stage) <= self.stage.number:
            raise errors.WrongStage(
                f"stage {stage!r} is not one this case has reached "
                f"(1 to {self.stage.number}, or ombudsman)"
            )

    def _recommendation(self, recommendation_id: str) -> RecommendationState:
        try:
            return self.recommendations[recommendation_id]
        except KeyError:
            raise errors.UnknownRecommendation(
                f"case {self.ref} has no recommendation {recommendation_id}"
            ) from None

    @step
    def decide_recommendation(
        self,
        *,
        on: date,
        actor: str,
        policy: ProcedurePolicy,
        recommendation_id: str,
        accepted: bool,
        owner: str | None = None,
        due: date | None = None,
        reason: str | None = None,
    ) -> None:
        rec = self._recommendation(recommendation_id)
        self._check_date(on, policy)
        if rec.decision is not None:
            raise errors.RecommendationState(
                f"recommendation {recommendation_id} was already {rec.decision}"
            )
        if accepted:
            if due is not None and due < on:
                raise errors.DateOutOfOrder(
                    f"due date {due.isoformat()} is before the decision ({on.isoformat()})"
                )
            self.trigger_event(
                self.RecommendationAccepted,
                on=on,
                actor=actor,
                recommendation_id=recommendation_id,
                owner=owner,
                due=due,
            )
        else:
            if owner is not None or due is not None:
                raise errors.RecommendationState(
                    f"recommendation {recommendation_id} is rejected: it has no owner or "
                    "due date to record"
                )
            self.trigger_event(
                self.RecommendationRejected,
                on=on,
                actor=actor,
                recommendation_id=recommendation_id,
                reason=reason,
            )

    @step
    def complete_recommendation(
        self,
        *,
        on: date,
        actor: str,
        policy: ProcedurePolicy,
        recommendation_id: str,
        evidence: str | None = None,
    ) -> None:
        rec = self._recommendation(recommendation_id)
        self._check_date(on, policy)
        if rec.decision != "accepted":
            raise errors.RecommendationState(
                f"recommendation {recommendation_id} is {rec.status}; only an accepted "
                "recommendation becomes an action to complete"
            )
        if rec.completed_on is not None:
            raise errors.RecommendationState(
                f"recommendation {recommendation_id} was completed on "
                f"{rec.completed_on.isoformat()}"
            )
        self.trigger_event(
            self.RecommendationCompleted,
            on=on,
            actor=actor,
            recommendation_id=recommendation_id,
            evidence=evidence,
        )

    @step
    def compensate(
        self,
        *,
        on: date,
        actor: str,
        policy: ProcedurePolicy,
        amount: Decimal,
        reason: str | None = None,
        stage: str | None = None,
    ) -> None:
        if reason is not None:
            check_name("compensation reason", reason, policy.taxonomy.compensation_reasons)
        amount = check_amount(amount)
        decided = any(o.decided_on is not None for o in self.ombudsman)
        if stage is None:
            if decided:
                stage = "ombudsman"
            elif self.stage is not None:
                stage = str(self.stage.number)
        if stage == "ombudsman":
            if not decided:
                raise errors.OmbudsmanRule("no Ombudsman decision is recorded on this case")
        else:
            if self.ended in ("withdrawn", "redirected"):
                self._check_not_ended()
            self._check_stage_reached(stage)
        self._check_date(on, policy)
        self.trigger_event(
            self.CompensationAgreed, on=on, actor=actor, stage=stage, amount=amount, reason=reason
        )

    @step
    def withdraw(
        self, *, on: date, actor: str, policy: ProcedurePolicy, reason: str | None = None
    ) -> None:
        self._check_not_ended()
        stage = self.stage
        if stage is not None and not stage.is_open:
            raise errors.StageAlreadyResponded(
                f"nothing open to withdraw: Stage {stage.number} was responded to on "
                f"{stage.responded_on.isoformat() if stage.responded_on else '?'}"
            )
        self._check_date(on, policy)
        self.trigger_event(
            self.Withdrawn, on=on, actor=actor, stage=stage.number if stage else 0, reason=reason
        )

    @step
    def open_ombudsman_enquiry(
        self,
        *,
        on: date,
        actor: str,
        policy: ProcedurePolicy,
        ombudsman_ref: str | None = None,
    ) -> None:
        self._check_date(on, policy)
        if self.ombudsman and self.ombudsman[-1].decided_on is None:
            raise errors.OmbudsmanRule(
                f"an Ombudsman enquiry is already open since "
                f"{self.ombudsman[-1].enquiry_on.isoformat()}"
            )
        self.trigger_event(
            self.OmbudsmanEnquiryOpened, on=on, actor=actor, ombudsman_ref=ombudsman_ref
        )

    @step
    def record_ombudsman_decision(
        self,
        *,
        on: date,
        actor: str,
        policy: ProcedurePolicy,
        decision: str,
        remedies: list[str] | None = None,
        due: date | None = None,
        satisfactory_remedy: bool = False,
    ) -> None:
        check_name("Ombudsman decision", decision, OMBUDSMAN_DECISIONS)
        if satisfactory_remedy and decision not in OMBUDSMAN_UPHELD:
            raise errors.OmbudsmanRule(
                f"a satisfactory remedy by the council is recorded only on an upheld "
                f"decision, not {decision!r}"
            )
        for remedy in remedies or []:
            check_name("remedy", remedy, policy.taxonomy.remedies)
        if not self.ombudsman or self.ombudsman[-1].decided_on is not None:
            raise errors.OmbudsmanRule(
                "no open Ombudsman enquiry on this case; record the enquiry first"
            )
        self._check_date(on, policy)
        if due is not None and due < on:
            raise errors.DateOutOfOrder(
                f"compliance date {due.isoformat()} is before the decision ({on.isoformat()})"
            )
        self.trigger_event(
            self.OmbudsmanDecided,
            on=on,
            actor=actor,
            decision=decision,
            remedies=list(dict.fromkeys(remedies or [])),
            due=due,
            satisfactory_remedy=satisfactory_remedy,
        )

    @step
    def comply_with_ombudsman(self, *, on: date, actor: str, policy: ProcedurePolicy) -> None:
        if not self.ombudsman or self.ombudsman[-1].decided_on is None:
            raise errors.OmbudsmanRule("no Ombudsman decision to comply with")
        if self.ombudsman[-1].complied_on is not None:
            raise errors.OmbudsmanRule(
                f"compliance was recorded on {self.ombudsman[-1].complied_on.isoformat()}"
            )
        self._check_date(on, policy)
        self.trigger_event(self.OmbudsmanComplied, on=on, actor=actor)

    def record_profile(
        self,
        *,
        on: date,
        actor: str,
        policy: ProcedurePolicy,
        age_band: str | None = None,
        ethnicity: str | None = None,
        disability: str | None = None,
    ) -> None:
        """Record (or replace) the complainant's monitoring profile, as given."""
        if age_band is None and ethnicity is None and disability is None:
            raise errors.BadData("give at least one of age band, ethnicity, disability")
        if age_band is not None:
            check_name("age band", age_band, policy.taxonomy.age_bands)
        if disability is not None:
            check_name("disability answer", disability, DISABILITY_ANSWERS)
        if ethnicity is not None and not ethnicity.strip():
            raise errors.BadData("ethnicity must not be blank")
        _check_not_future(on, policy)
        if on < self.received_on:
            raise errors.DateOutOfOrder(f"{on.isoformat()} is before the complaint was received")
        self.trigger_event(
            self.ProfileRecorded,
            on=on,
            actor=actor,
            age_band=age_band,
            ethnicity=ethnicity,
            disability=disability,
        )

    def amend(
        self,
        *,
        on: date,
        actor: str,
        policy: ProcedurePolicy,
        field: str,
        value: Any,
        reason: str,
    ) -> None:
        """Correct a recorded detail; the original stays in the history."""
        check_name("amendable detail", field, AMENDABLE_FIELDS)
        if not reason or not reason.strip():
            raise errors.AmendmentRule("a correction needs a reason")
        _check_not_future(on, policy)
        if on < self.received_on:
            raise errors.DateOutOfOrder(f"{on.isoformat()} is before the complaint was received")
        taxonomy = policy.taxonomy
        if field == "channel":
            check_name("channel", value, taxonomy.channels)
        elif field == "role":
            check_name("complainant role", value, taxonomy.roles)
        elif field == "reasons":
            value = list(dict.fromkeys(value))
            for reason_name in value:
                check_name("reason", reason_name, taxonomy.reasons)
        elif field in ("service-area", "team"):
            # A name like the receipt's (no control character, at most MAX_NAME; ADR 0044).
            check_text(field, str(value), name=True)
            # Judged on the day the case was received: the detail belongs to receipt.
            value = policy.resolve(field, str(value), self.received_on)
        elif field == "received-on":
            first_step = self._first_step_on()
            if first_step is not None and value > first_step:
                raise errors.DateOutOfOrder(
                    f"receipt cannot move to {value.isoformat()}, after the first step "
                    f"({first_step.isoformat()})"
                )
            if self.matter_on is not None and value < self.matter_on:
                raise errors.DateOutOfOrder(
                    f"receipt cannot move to {value.isoformat()}, before the matter "
                    f"complained of ({self.matter_on.isoformat()})"
                )
            _check_not_future(value, policy)
        elif field == "matter-on" and value > self.received_on:
            raise errors.DateOutOfOrder("the matter cannot be after receipt")
        old = getattr(self, field.replace("-", "_"))
        if old == value:
            raise errors.AmendmentRule(f"{field} is already {value!r}")
        self.trigger_event(
            self.DetailAmended,
            on=on,
            actor=actor,
            field=field,
            old=old,
            new=value,
            reason=reason,
        )

    # ------------------------------------------- issue 16, part 2 (ADR 0039)
    def _check_not_merged(self, what: str) -> None:
        """A merged duplicate's figures are its original's (ADR 0038), so ``what`` is
        recorded on the original (ADR 0044)."""
        if self.ended == MERGED:
            raise errors.CaseEnded(
                f"case {self.ref} was merged into {self.merged_into}: record {what} there"
            )

    @step
    def name_provider(
        self, *, on: date, actor: str, policy: ProcedurePolicy, provider: str
    ) -> None:
        self._check_not_merged("the provider")
        name = policy.resolve(PROVIDER, provider, on)
        assert name is not None
        if name == self.casework.provider:
            raise errors.CaseworkRule(f"the case is already recorded as about {name}")
        self.trigger_event(self.ProviderNamed, on=on, actor=actor, provider=name)

    @step
    def record_joint_complaint(
        self, *, on: date, actor: str, policy: ProcedurePolicy, body: str, lead: str
    ) -> None:
        self._check_not_merged("the joint complaint")
        check_joint(self.casework.joint, body, lead)
        self.trigger_event(self.JointComplaintRecorded, on=on, actor=actor, body=body, lead=lead)

    @step
    def agree_joint_response(self, *, on: date, actor: str, policy: ProcedurePolicy) -> None:
        check_joint_response(self.casework.joint, on)
        self.trigger_event(self.JointResponseAgreed, on=on, actor=actor)

    @step
    def record_cost(
        self,
        *,
        on: date,
        actor: str,
        policy: ProcedurePolicy,
        kind: str,
        amount: Decimal,
        stage: str | None = None,
    ) -> None:
        check_cost_kind(kind)
        amount = check_amount(amount)
        self._check_not_merged("the cost")
        if stage is None and self.stage is not None:
            stage = str(self.stage.number)
        self._check_stage_reached(stage)
        assert stage is not None
        self.trigger_event(
            self.CostIncurred, on=on, actor=actor, kind=kind, stage=stage, amount=amount
        )

    @step
    def send_survey(self, *, on: date, actor: str, policy: ProcedurePolicy) -> None:
        responded = any(s.responded_on is not None and s.responded_on <= on for s in self.stages)
        check_survey_sent(self.casework.survey, responded)
        self.trigger_event(self.SurveySent, on=on, actor=actor)

    @step
    def answer_survey(
        self,
        *,
        on: date,
        actor: str,
        policy: ProcedurePolicy,
        scores: dict[str, int],
        comment: str | None = None,
    ) -> None:
        check_survey_answer(self.casework.survey, on)
        scores = check_scores(scores)
        if comment is not None and not comment.strip():
            comment = None
        self.trigger_event(self.SurveyAnswered, on=on, actor=actor, scores=scores, comment=comment)

    # ------------------------------------------------ linked, merged, re-opened
    def linked_to(self, other: str, kind: str) -> Link | None:
        """The link of ``kind`` to case ``other``, if recorded."""
        return next((k for k in self.links if k.ref == other and k.kind == kind), None)

    @step
    def link(self, *, on: date, actor: str, policy: ProcedurePolicy, other: str, kind: str) -> None:
        """Link this case to case ``other`` (one side of the link: the service records
        the other side in the same unit of work)."""
        check_name("link", kind, ALL_LINK_KINDS)
        if other == self.ref:
            raise errors.LinkRefused(f"case {self.ref} cannot be linked to itself")
        self._check_date(on, policy)
        done = self.linked_to(other, kind)
        if done is not None:
            raise errors.AlreadyLinked(
                f"case {self.ref} was already linked to {other} ({kind}) on {done.on.isoformat()}"
            )
        self.trigger_event(self.CaseLinked, on=on, actor=actor, other=other, kind=kind)

    @step
    def merge_into(
        self, *, on: date, actor: str, policy: ProcedurePolicy, original: Complaint, reason: str
    ) -> None:
        """This case duplicates ``original``: it ends, merged into it. Refused once the
        duplicate has gone further than a Stage 1 not yet answered (link it instead)."""
        if not reason.strip():
            raise errors.BadData("a merge needs a reason")
        if original.ref == self.ref:
            raise errors.MergeRefused(f"case {self.ref} cannot be merged into itself")
        self._check_not_ended()
        if original.merged_into is not None:
            raise errors.MergeRefused(
                f"{original.ref} was itself merged into {original.merged_into}: merge into that"
            )
        if original.ended is not None:
            raise errors.MergeRefused(
                f"the original {original.ref} was {original.ended}: a duplicate is merged "
                "only into a case still in the ledger's figures"
            )
        if (
            self.procedure is not None
            and original.procedure is not None
            and self.procedure != original.procedure
        ):
            raise errors.MergeRefused(
                f"{self.ref} is under the {self.procedure} procedure and {original.ref} under "
                f"the {original.procedure}: split or link them instead"
            )
        progressed = (
            [s for s in self.stages if s.number > 1 or not s.is_open]
            or self.payments
            or self.casework.costs
            or self.recommendations
            or self.ombudsman
        )
        if progressed:
            raise errors.MergeRefused(
                f"{self.ref} has gone beyond an unanswered Stage 1 (responses, payments, "
                "costs, recommendations or the Ombudsman): link it to the original instead"
            )
        self._check_date(on, policy)
        self.trigger_event(
            self.MergedInto, on=on, actor=actor, original=original.ref, reason=reason
        )

    def check_no_duplicates_merged_into_it(self, duplicates: list[str]) -> None:
        """Refuse (:class:`~domain.errors.MergeRefused`) merging this case while
        ``duplicates`` (cases still merged into it) point at it: a chain of merges would
        leave them pointing at a case that is itself merged (ADR 0044)."""
        if duplicates:
            raise errors.MergeRefused(
                f"{', '.join(duplicates)} was merged into {self.ref}: void that merge first, "
                "then merge each case into the original"
            )

    def check_split(self, procedure: str) -> None:
        """Refuse (:class:`~domain.errors.SplitRefused`) a split of this case into a part
        under ``procedure``."""
        check_name("procedure", procedure, TRIAGE_INTO_PROCEDURE)
        self._check_not_ended()
        if self.procedure is None:
            raise errors.NotTriaged(
                f"cannot split: case {self.ref} has not been triaged into a procedure"
            )
        if procedure == self.procedure:
            raise errors.SplitRefused(
                f"case {self.ref} is already under the {procedure} procedure: its part must "
                "go under the other one"
            )
        done = next((k for k in self.links if k.kind == "split-part"), None)
        if done is not None:
            raise errors.SplitRefused(
                f"case {self.ref} was already split on {done.on.isoformat()} (part {done.ref})"
            )
        source = next((k for k in self.links if k.kind == "split-from"), None)
        if source is not None:
            raise errors.SplitRefused(
                f"case {self.ref} is the part split from {source.ref} on "
                f"{source.on.isoformat()}: a part is not split again"
            )

    @step
    def reopen_stage(
        self,
        *,
        on: date,
        actor: str,
        policy: ProcedurePolicy,
        reason: str,
        stage: int | None = None,
    ) -> None:
        """Re-open the current stage, whose response was found incomplete: it is open
        again with its timescale counted afresh from ``on``."""
        if not reason.strip():
            raise errors.BadData("re-opening a stage needs a reason")
        self._check_not_ended()
        current = self.stage
        if current is None:
            raise errors.NotTriaged(
                f"cannot re-open: case {self.ref} has not been triaged into a procedure"
            )
        if stage is not None and stage != current.number:
            raise errors.ReopenRefused(
                f"Stage {stage} is not the current stage of case {self.ref} (Stage "
                f"{current.number}): only the current stage can be re-opened"
            )
        if current.is_open:
            raise errors.ReopenRefused(
                f"Stage {current.number} of case {self.ref} is still open: nothing to re-open"
            )
        assert self.procedure is not None
        if self.procedure == STATUTORY and current.number == 3:
            raise errors.ReopenRefused(
                "Stage 3 follows the review panel and cannot be re-opened: the "
                "complainant may go to the Ombudsman"
            )
        assert current.responded_on is not None
        if on < current.responded_on:
            raise errors.DateOutOfOrder(
                f"{on.isoformat()} is before the Stage {current.number} response "
                f"({current.responded_on.isoformat()}) it re-opens"
            )
        self._check_date(on, policy)
        timescale = self.timescales(policy).for_stage(self.procedure, current.number)
        self.trigger_event(
            self.StageReopened,
            on=on,
            actor=actor,
            stage=current.number,
            reason=reason,
            working_days=timescale.working_days,
        )

    def _first_step_on(self) -> date | None:
        candidates = [
            d for d in (self.triaged_on, self.acknowledged_before_triage, self.ended_on) if d
        ]
        candidates += [s.started_on for s in self.stages]
        if self.advocate_offered_on:
            candidates.append(self.advocate_offered_on)
        candidates += [p[0] for p in self.suspensions]
        candidates += [o.enquiry_on for o in self.ombudsman]
        return min(candidates) if candidates else None


def _years_after(day: date, years: int) -> date:
    """The same calendar day ``years`` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _check_not_future(on: date, policy: ProcedurePolicy) -> None:
    if policy.today is not None and on > policy.today:
        raise errors.DateOutOfOrder(
            f"{on.isoformat()} is in the future (today is {policy.today.isoformat()})"
        )


class _WouldRecord(Exception):
    """A dry run reached the point of recording: every rule passed."""


#: Marks a dry run: the command checks its rules and records nothing.
_DRY_RUN = object()

#: Event fields that say which part of the case a step is about; a step judged again
#: must still be about the same part.
_TARGETS = ("stage", "recommendation_id", "point", "person")


def _order(event: Complaint.Event) -> tuple[date, int]:
    """Effective order: the effective date, then the order of recording."""
    return (event.on, event.originator_version)


def _payload(event: Complaint.Event) -> dict[str, Any]:
    return {
        k: v
        for k, v in vars(event).items()
        if k not in ("originator_id", "originator_version", "timestamp")
    }


def _describe(event: Complaint.Event) -> str:
    """``Responded on 2025-04-30 (version 5)``."""
    return f"{type(event).__name__} on {event.on.isoformat()} (version {event.originator_version})"


def _again(method: str, *fields: str, **fixed: Any) -> Callable[..., None]:
    # Built once, at import: the replay itself is _run_again, so that a mutation check
    # (docs/mutation.md) reaches it when a step is judged again.
    return functools.partial(_run_again, method, fields, fixed)  # pragma: no mutate


def _run_again(
    method: str,
    fields: tuple[str, ...],
    fixed: dict[str, Any],
    shell: Complaint,
    event: Complaint.Event,
    policy: ProcedurePolicy,
) -> None:
    """Run ``method`` on ``shell`` with the recorded ``event``'s own ``fields``."""
    arguments = {name: getattr(event, name) for name in fields}
    arguments.update(fixed)
    getattr(shell, method)(on=event.on, actor=event.actor, policy=policy, **arguments)


def _escalate_again(shell: Complaint, event: Any, policy: ProcedurePolicy) -> None:
    # Lateness was judged when the request was recorded; it is not judged again.
    shell.escalate(
        on=event.on, actor=event.actor, policy=policy, late_reason=event.late_reason or "-"
    )


#: Each step's own command, to judge it again when an earlier-dated step is recorded
#: late or a step before it is voided. Monitoring profiles and corrections of details
#: depend on no other step and are not judged again.
_CHECK_AGAIN: dict[type[Any], Callable[[Complaint, Any, ProcedurePolicy], None]] = {
    Complaint.Triaged: _again("triage", "decision", "reason", "late_reason"),
    Complaint.Acknowledged: _again("acknowledge"),
    Complaint.AdvocateOffered: _again("offer_advocate"),
    Complaint.AdvocateTakenUp: _again("answer_advocate_offer", "accepted"),
    Complaint.Suspended: _again("suspend", "reason"),
    Complaint.Resumed: _again("resume"),
    Complaint.Extended: _again("extend", "reason", "working_days"),
    Complaint.Responded: _again("respond", "outcome", "stage", "remedies"),
    Complaint.EscalationRequested: _escalate_again,
    Complaint.DisputeResolutionOffered: _again("offer_dispute_resolution", "method"),
    Complaint.DisputeResolutionConcluded: _again("conclude_dispute_resolution", "resolved"),
    Complaint.PersonAppointed: _again("appoint", "role", "person", "internal"),
    Complaint.StatementAgreed: _again("agree_statement", "points"),
    Complaint.HandlerAssigned: _again("assign_handler", "officer"),
    Complaint.PointFound: _again("record_finding", "point", "finding"),
    Complaint.PanelMet: _again("hold_panel"),
    Complaint.PanelReported: _again("report_panel"),
    Complaint.RecommendationMade: _again("recommend", "recommendation_id", "stage", "theme"),
    Complaint.RecommendationAccepted: _again(
        "decide_recommendation", "recommendation_id", "owner", "due", accepted=True
    ),
    Complaint.RecommendationRejected: _again(
        "decide_recommendation", "recommendation_id", "reason", accepted=False
    ),
    Complaint.RecommendationCompleted: _again(
        "complete_recommendation", "recommendation_id", "evidence"
    ),
    Complaint.CompensationAgreed: _again("compensate", "amount", "reason", "stage"),
    Complaint.Withdrawn: _again("withdraw", "reason"),
    Complaint.OmbudsmanEnquiryOpened: _again("open_ombudsman_enquiry", "ombudsman_ref"),
    Complaint.OmbudsmanDecided: _again("record_ombudsman_decision", "decision", "remedies", "due"),
    Complaint.OmbudsmanComplied: _again("comply_with_ombudsman"),
    Complaint.ProviderNamed: _again("name_provider", "provider"),
    Complaint.JointComplaintRecorded: _again("record_joint_complaint", "body", "lead"),
    Complaint.JointResponseAgreed: _again("agree_joint_response"),
    Complaint.CostIncurred: _again("record_cost", "kind", "amount", "stage"),
    Complaint.SurveySent: _again("send_survey"),
    Complaint.SurveyAnswered: _again("answer_survey", "scores", "comment"),
    Complaint.StageReopened: _again("reopen_stage", "reason", "stage"),
}
