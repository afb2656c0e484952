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

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from domain import errors
from domain.calendar import ClockStopped, Pause
from domain.procedure import (
    APPOINTMENT_ROLES,
    CHILD_ROLES,
    CORPORATE,
    DISABILITY_ANSWERS,
    DISPUTE_RESOLUTION_METHODS,
    FINAL_STAGE,
    OMBUDSMAN_DECISIONS,
    PANEL_ROLES,
    POINT_FINDINGS,
    STAGE2_ROLES,
    STAGE_OUTCOMES,
    STATUTORY,
    TRIAGE_DECISIONS,
    TRIAGE_INTO_PROCEDURE,
    ProcedurePolicy,
    check_name,
)
from domain.state import (
    Amendment,
    Appointment,
    OmbudsmanState,
    Payment,
    RecommendationState,
    StageState,
)

LEDGER_NAMESPACE = uuid5(NAMESPACE_URL, "https://complaints-ledger.invalid/")

#: Details that an amendment may correct, and the kind of value each takes.
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


def parse_amount(text: str) -> Decimal:
    """Pounds and pence from text such as ``250`` or ``1345.50``."""
    try:
        amount = Decimal(text.strip())
    except (InvalidOperation, AttributeError):
        raise errors.BadData(f"amount {text!r} is not a number of pounds") from None
    if not amount.is_finite():
        raise errors.BadData(f"amount {text!r} is not a number of pounds")
    return check_amount(amount)


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


class Complaint(Aggregate):
    """A case: receipt, triage, the stages, recommendations, payments, the Ombudsman."""

    # ----------------------------------------------------------------- events
    class Event(Aggregate.Event):
        on: date
        actor: str

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

        def apply(self, aggregate: Any) -> None:
            aggregate._received(self)

    class Triaged(Event):
        decision: str
        reason: str | None
        late_reason: str | None
        working_days: int

        def apply(self, aggregate: Any) -> None:
            c: Complaint = aggregate
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
                    )
                )
            else:
                c.ended = "redirected"
                c.ended_on = self.on
            c.last_on = self.on

    class Acknowledged(Event):
        stage: int

        def apply(self, aggregate: Any) -> None:
            c: Complaint = aggregate
            if c.stages and c.stages[-1].number == self.stage:
                c.stages[-1].acknowledged_on = self.on
            else:
                c.acknowledged_before_triage = self.on
            c.last_on = self.on

    class AdvocateOffered(Event):
        def apply(self, aggregate: Any) -> None:
            aggregate.advocate_offered_on = self.on
            aggregate.last_on = self.on

    class AdvocateTakenUp(Event):
        accepted: bool

        def apply(self, aggregate: Any) -> None:
            aggregate.advocate_accepted = self.accepted
            aggregate.last_on = self.on

    class Suspended(Event):
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.suspensions.append((self.on, None))
            aggregate.last_on = self.on

    class Resumed(Event):
        def apply(self, aggregate: Any) -> None:
            first, _ = aggregate.suspensions[-1]
            aggregate.suspensions[-1] = (first, self.on)
            aggregate.last_on = self.on

    class Extended(Event):
        stage: int
        working_days: int
        reason: str

        def apply(self, aggregate: Any) -> None:
            stage: StageState = aggregate.stages[-1]
            stage.working_days = self.working_days
            stage.extensions += 1
            aggregate.last_on = self.on

    class Responded(Event):
        stage: int
        outcome: str
        remedies: list[str]

        def apply(self, aggregate: Any) -> None:
            stage: StageState = aggregate.stages[-1]
            stage.responded_on = self.on
            stage.outcome = self.outcome
            stage.remedies = list(self.remedies)
            aggregate.last_on = self.on

    class EscalationRequested(Event):
        stage: int
        working_days: int
        late_reason: str | None
        report_days: int
        response_days: int

        def apply(self, aggregate: Any) -> None:
            aggregate.stages.append(
                StageState(
                    number=self.stage,
                    started_on=self.on,
                    clock_from=self.on,
                    working_days=self.working_days,
                    late_reason=self.late_reason,
                    report_days=self.report_days,
                    response_days=self.response_days,
                )
            )
            aggregate.last_on = self.on

    class DisputeResolutionOffered(Event):
        method: str

        def apply(self, aggregate: Any) -> None:
            aggregate.dispute_resolution = {"offered_on": self.on, "method": self.method}
            aggregate.last_on = self.on

    class DisputeResolutionConcluded(Event):
        resolved: bool

        def apply(self, aggregate: Any) -> None:
            aggregate.dispute_resolution["concluded_on"] = self.on
            aggregate.dispute_resolution["resolved"] = self.resolved
            if self.resolved:
                aggregate.ended = "resolved"
                aggregate.ended_on = self.on
            aggregate.last_on = self.on

    class PersonAppointed(Event):
        stage: int
        role: str
        person: str
        internal: bool

        def apply(self, aggregate: Any) -> None:
            aggregate.stages[-1].appointments.append(
                Appointment(self.role, self.person, self.internal, self.on)
            )
            aggregate.last_on = self.on

    class StatementAgreed(Event):
        points: int

        def apply(self, aggregate: Any) -> None:
            stage: StageState = aggregate.stages[-1]
            stage.statement_agreed_on = self.on
            stage.points = self.points
            aggregate.last_on = self.on

    class PointFound(Event):
        stage: int
        point: int
        finding: str

        def apply(self, aggregate: Any) -> None:
            aggregate.stages[-1].findings[self.point] = self.finding
            aggregate.last_on = self.on

    class PanelMet(Event):
        def apply(self, aggregate: Any) -> None:
            aggregate.stages[-1].panel_met_on = self.on
            aggregate.last_on = self.on

    class PanelReported(Event):
        def apply(self, aggregate: Any) -> None:
            aggregate.stages[-1].panel_reported_on = self.on
            aggregate.last_on = self.on

    class RecommendationMade(Event):
        recommendation_id: str
        stage: str
        theme: str | None

        def apply(self, aggregate: Any) -> None:
            aggregate.recommendations[self.recommendation_id] = RecommendationState(
                id=self.recommendation_id, stage=self.stage, made_on=self.on, theme=self.theme
            )
            aggregate.last_on = self.on

    class RecommendationAccepted(Event):
        recommendation_id: str
        owner: str | None
        due: date | None

        def apply(self, aggregate: Any) -> None:
            rec: RecommendationState = aggregate.recommendations[self.recommendation_id]
            rec.decision, rec.decided_on = "accepted", self.on
            rec.owner, rec.due = self.owner, self.due
            aggregate.last_on = self.on

    class RecommendationRejected(Event):
        recommendation_id: str
        reason: str | None

        def apply(self, aggregate: Any) -> None:
            rec: RecommendationState = aggregate.recommendations[self.recommendation_id]
            rec.decision, rec.decided_on = "rejected", self.on
            aggregate.last_on = self.on

    class RecommendationCompleted(Event):
        recommendation_id: str
        evidence: str | None

        def apply(self, aggregate: Any) -> None:
            rec: RecommendationState = aggregate.recommendations[self.recommendation_id]
            rec.completed_on, rec.evidence = self.on, self.evidence
            aggregate.last_on = self.on

    class CompensationAgreed(Event):
        stage: str
        amount: Decimal
        reason: str | None

        def apply(self, aggregate: Any) -> None:
            aggregate.payments.append(Payment(self.on, self.stage, self.amount, self.reason))
            aggregate.last_on = self.on

    class Withdrawn(Event):
        stage: int
        reason: str | None

        def apply(self, aggregate: Any) -> None:
            if aggregate.stages:
                aggregate.stages[-1].withdrawn_on = self.on
            aggregate.ended = "withdrawn"
            aggregate.ended_on = self.on
            aggregate.last_on = self.on

    class OmbudsmanEnquiryOpened(Event):
        ombudsman_ref: str | None

        def apply(self, aggregate: Any) -> None:
            aggregate.ombudsman.append(OmbudsmanState(self.on, self.ombudsman_ref))
            aggregate.last_on = self.on

    class OmbudsmanDecided(Event):
        decision: str
        remedies: list[str]
        due: date | None

        def apply(self, aggregate: Any) -> None:
            enquiry: OmbudsmanState = aggregate.ombudsman[-1]
            enquiry.decided_on, enquiry.decision = self.on, self.decision
            enquiry.remedies, enquiry.due = list(self.remedies), self.due
            aggregate.last_on = self.on

    class OmbudsmanComplied(Event):
        def apply(self, aggregate: Any) -> None:
            aggregate.ombudsman[-1].complied_on = self.on
            aggregate.last_on = self.on

    class ProfileRecorded(Event):
        """Equality monitoring, recorded only when the complainant gives it."""

        age_band: str | None
        ethnicity: str | None
        disability: str | None

        def apply(self, aggregate: Any) -> None:
            aggregate.profile = {
                "age_band": self.age_band,
                "ethnicity": self.ethnicity,
                "disability": self.disability,
            }

    class DetailAmended(Event):
        field: str
        old: Any
        new: Any
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate._amended(self)

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
        self.last_on = event.on

    def _amended(self, event: Complaint.DetailAmended) -> None:
        attribute = event.field.replace("-", "_")
        setattr(self, attribute, list(event.new) if event.field == "reasons" else event.new)
        if event.field == "role":
            self.direct_from_child = event.new in CHILD_ROLES
        if event.field == "received-on" and self.stages:
            self.stages[0].clock_from = event.new
        self.amendments.append(Amendment(event.on, event.field, event.old, event.new, event.reason))

    # --------------------------------------------------------------- queries
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

    def stage_deadline(self, stage: StageState, policy: ProcedurePolicy) -> date | None:
        """When the stage's next step is due, as validly extended and paused; ``None``
        while the case is on hold (the clock has stopped).

        Stages 1, 2 and corporate stages: the response. Stage 3: the panel meeting,
        then the panel's report, then the council's response.
        """
        try:
            return self._stage_deadline(stage, policy)
        except ClockStopped:
            return None

    def _stage_deadline(self, stage: StageState, policy: ProcedurePolicy) -> date:
        add = policy.calendar.add_working_days
        pauses = self.pauses_for(stage)
        if self.procedure == STATUTORY and stage.number == 3:
            if stage.panel_reported_on is not None:
                return add(stage.panel_reported_on, stage.response_days, pauses)
            if stage.panel_met_on is not None:
                return add(stage.panel_met_on, stage.report_days, pauses)
            return add(stage.clock_from, stage.working_days, pauses)
        return add(self.clock_start(stage, policy), stage.working_days, pauses)

    def clock_start(self, stage: StageState, policy: ProcedurePolicy) -> date:
        """Day 0 of the stage's timescale: receipt for Stage 1, the request for later
        stages, or the agreed statement at Stage 2 where the council counts from it."""
        if (
            stage.number == 2
            and policy.timescales.stage2_clock == "statement"
            and stage.statement_agreed_on is not None
        ):
            return stage.statement_agreed_on
        return stage.clock_from

    def response_deadline(self, stage: StageState, policy: ProcedurePolicy) -> date | None:
        """The date by which the response ending ``stage`` is due; ``None`` on hold."""
        if not (self.procedure == STATUTORY and stage.number == 3):
            return self.stage_deadline(stage, policy)
        add = policy.calendar.add_working_days
        pauses = self.pauses_for(stage)
        try:
            if stage.panel_reported_on is not None:
                return add(stage.panel_reported_on, stage.response_days, pauses)
            panel_due = stage.panel_met_on or add(stage.clock_from, stage.working_days, pauses)
            report_due = add(panel_due, stage.report_days, pauses)
            return add(report_due, stage.response_days, pauses)
        except ClockStopped:
            return None

    def responded_on_time(self, stage: StageState, policy: ProcedurePolicy) -> bool | None:
        """Whether the stage's response came within its (validly extended) timescale.

        Stage 3 is on time only if every step was: the panel met within its timescale
        of the request, reported within its days of meeting, and the council responded
        within its days of the report.
        """
        if stage.responded_on is None:
            return None
        if self.procedure == STATUTORY and stage.number == 3:
            panel = self.panel_on_time(stage, policy)
            if panel is False:
                return False
            if stage.panel_reported_on is not None and stage.panel_met_on is not None:
                report_due = policy.calendar.add_working_days(
                    stage.panel_met_on, stage.report_days, self.pauses_for(stage)
                )
                if stage.panel_reported_on > report_due:
                    return False
        deadline = self.response_deadline(stage, policy)
        return deadline is not None and stage.responded_on <= deadline

    def panel_on_time(self, stage: StageState, policy: ProcedurePolicy) -> bool | None:
        """Whether the review panel met within its timescale of the Stage 3 request."""
        if stage.panel_met_on is None:
            return None
        due = policy.calendar.add_working_days(
            stage.clock_from, stage.working_days, self.pauses_for(stage)
        )
        return stage.panel_met_on <= due

    def working_days_to_response(self, stage: StageState, policy: ProcedurePolicy) -> int | None:
        if stage.responded_on is None:
            return None
        return policy.calendar.working_days_between(
            self.clock_start(stage, policy), stage.responded_on, self.pauses_for(stage)
        )

    # ---------------------------------------------------------------- rules
    def _check_date(self, on: date, policy: ProcedurePolicy) -> None:
        if on < self.received_on:
            raise errors.DateOutOfOrder(
                f"{on.isoformat()} is before the complaint was received "
                f"({self.received_on.isoformat()})"
            )
        if on < self.last_on:
            raise errors.DateOutOfOrder(
                f"{on.isoformat()} is before the previous step ({self.last_on.isoformat()})"
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
        if decision in TRIAGE_INTO_PROCEDURE:
            if (
                self.matter_on is not None
                and self.received_on
                > _years_after(self.matter_on, policy.timescales.time_limit_years)
                and not late_reason
            ):
                raise errors.OutOfTime(
                    f"the complaint was made more than a year after the matter "
                    f"({self.matter_on.isoformat()}); accept it only with --late-reason"
                )
            working_days = policy.timescales.for_stage(decision, 1).working_days
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
        )

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

    def offer_advocate(self, *, on: date, actor: str, policy: ProcedurePolicy) -> None:
        self._check_not_ended()
        self._check_date(on, policy)
        if self.advocate_offered_on is not None:
            raise errors.AdvocacyRule(
                f"an advocate was already offered on {self.advocate_offered_on.isoformat()}"
            )
        self.trigger_event(self.AdvocateOffered, on=on, actor=actor)

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

    def suspend(self, *, on: date, actor: str, policy: ProcedurePolicy, reason: str) -> None:
        self._check_not_ended()
        self._check_date(on, policy)
        if not reason.strip():
            raise errors.BadData("a suspension needs a reason")
        if self.is_suspended:
            raise errors.Suspended(
                f"case {self.ref} is already on hold since {self.suspensions[-1][0].isoformat()}"
            )
        self.trigger_event(self.Suspended, on=on, actor=actor, reason=reason)

    def resume(self, *, on: date, actor: str, policy: ProcedurePolicy) -> None:
        self._check_not_ended()
        self._check_date(on, policy)
        if not self.is_suspended:
            raise errors.NotSuspended(f"case {self.ref} is not on hold")
        self.trigger_event(self.Resumed, on=on, actor=actor)

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
        timescale = policy.timescales.for_stage(self.procedure, stage.number)
        if self.procedure == STATUTORY and stage.number == 3:
            raise errors.ExtensionRefused("Stage 3 timescales cannot be extended")
        deadline = self._stage_deadline(stage, policy)
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
        timescales = policy.timescales
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
        )

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

    def conclude_dispute_resolution(
        self, *, on: date, actor: str, policy: ProcedurePolicy, resolved: bool
    ) -> None:
        self._check_not_ended()
        self._check_date(on, policy)
        if not self.dispute_resolution or "concluded_on" in self.dispute_resolution:
            raise errors.DisputeResolutionRule("no dispute resolution is under way")
        self.trigger_event(self.DisputeResolutionConcluded, on=on, actor=actor, resolved=resolved)

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
            if not self.ombudsman:
                raise errors.OmbudsmanRule("no Ombudsman enquiry is recorded on this case")
        else:
            self._check_not_ended()
            self._check_stage_reached(stage)
        self._check_date(on, policy)
        if recommendation_id is None:
            number = len(self.recommendations) + 1
            while f"R{number}" in self.recommendations:
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
            self.trigger_event(
                self.RecommendationRejected,
                on=on,
                actor=actor,
                recommendation_id=recommendation_id,
                reason=reason,
            )

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

    def record_ombudsman_decision(
        self,
        *,
        on: date,
        actor: str,
        policy: ProcedurePolicy,
        decision: str,
        remedies: list[str] | None = None,
        due: date | None = None,
    ) -> None:
        check_name("Ombudsman decision", decision, OMBUDSMAN_DECISIONS)
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
        )

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
