"""A case's facts: what its state means on the council's settings.

One pure function per kind of record turns an aggregate's state into its facts: dates,
deadlines, clock starts, on-time flags, outcomes, status. ``complaints show``, the
read-model rows (and so every report and the CSV export of the read models) are all
built from these facts, so they cannot disagree: a deadline or an on-time flag is
worked out here and nowhere else. The rules behind each figure (how a stage's clock
runs, how holds and extensions move it) are the :class:`Complaint`'s own queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from domain.complaint import Complaint
from domain.procedure import STATUTORY, ProcedurePolicy
from domain.representations import (
    AdvocacyReferral,
    Compliment,
    Enquiry,
    InitialFeedback,
    Representation,
)
from domain.state import StageState
from projections.casework import CaseworkFacts, casework_facts

#: The kinds of record the ledger issues references for, as ``list --kind`` names them.
RECORD_KINDS = ("complaint", "compliment", "enquiry", "feedback", "advocacy")


@dataclass(frozen=True)
class AppointmentFacts:
    role: str
    person: str
    internal: bool
    on: date


@dataclass(frozen=True)
class StageFacts:
    stage: int
    procedure: str
    started_on: date
    #: Day 0 of the stage's timescale, as counted (see ``clock_basis``); ``None`` while
    #: it waits on an acknowledgement that is on hold.
    clock_from: date | None
    #: What the clock counts from: ``receipt`` (Stage 1), ``request`` (later stages),
    #: ``statement`` (Stage 2, where the council counts from the agreed statement) or
    #: ``acknowledgement`` (the Complaint Handling Code).
    clock_basis: str
    working_days: int
    extended: bool
    deadline: date | None
    response_due: date | None
    acknowledged_on: date | None
    acknowledgement_due: date | None
    acknowledged_on_time: bool | None
    handler: str | None
    statement_agreed_on: date | None
    points: int
    findings: dict[int, str]
    #: Stage 3 only: whether the panel's findings differ from Stage 2's on any point.
    findings_changed: bool | None
    appointments: tuple[AppointmentFacts, ...]
    panel_met_on: date | None
    panel_reported_on: date | None
    panel_on_time: bool | None
    responded_on: date | None
    outcome: str | None
    remedies: tuple[str, ...]
    on_time: bool | None
    working_days_taken: int | None
    withdrawn_on: date | None
    late_reason: str | None
    #: The day the stage was last re-opened, its clock counted afresh from it.
    reopened_on: date | None = None


@dataclass(frozen=True)
class RecommendationFacts:
    id: str
    stage: str
    made_on: date
    theme: str | None
    status: str
    decision: str | None
    decided_on: date | None
    owner: str | None
    due: date | None
    completed_on: date | None


@dataclass(frozen=True)
class PaymentFacts:
    on: date
    stage: str
    amount: Decimal
    reason: str | None


@dataclass(frozen=True)
class OmbudsmanFacts:
    enquiry_on: date
    ombudsman_ref: str | None
    decided_on: date | None
    decision: str | None
    remedies: tuple[str, ...]
    due: date | None
    complied_on: date | None
    satisfactory_remedy: bool = False


@dataclass(frozen=True)
class AmendmentFacts:
    on: date
    field: str
    old: Any
    new: Any
    reason: str


@dataclass(frozen=True)
class LinkFacts:
    on: date
    ref: str
    kind: str


@dataclass(frozen=True)
class ReopeningFacts:
    stage: int
    on: date
    reason: str
    set_aside_response_on: date | None
    set_aside_outcome: str | None


@dataclass(frozen=True)
class CaseFacts:
    case_id: str
    ref: str
    status: str
    procedure: str | None
    received_on: date
    triage: str | None
    triaged_on: date | None
    channel: str | None
    role: str | None
    direct_from_child: bool
    service_area: str | None
    team: str | None
    reasons: tuple[str, ...]
    matter_on: date | None
    current_stage: int | None
    ended: str | None
    ended_on: date | None
    on_hold: bool
    suspensions: tuple[tuple[date, date | None], ...]
    advocate_offered_on: date | None
    advocate_accepted: bool | None
    dispute_resolution: dict[str, Any]
    from_feedback: str | None
    profile: dict[str, str | None]
    stages: tuple[StageFacts, ...]
    recommendations: tuple[RecommendationFacts, ...]
    payments: tuple[PaymentFacts, ...]
    ombudsman: tuple[OmbudsmanFacts, ...]
    amendments: tuple[AmendmentFacts, ...]
    casework: CaseworkFacts = field(default_factory=CaseworkFacts)
    #: Linked cases, the original a merged duplicate points at, re-opened stages (ADR 0038).
    links: tuple[LinkFacts, ...] = ()
    merged_into: str | None = None
    reopenings: tuple[ReopeningFacts, ...] = ()


def case_status(complaint: Complaint) -> str:
    """``awaiting-triage``, ``stageN-open``, ``stageN-responded``, ``on-hold``, or how
    the case ended (``withdrawn``, ``redirected``, ``resolved``)."""
    if complaint.ended:
        return complaint.ended
    stage = complaint.stage
    if stage is None:
        return "awaiting-triage"
    if complaint.is_suspended:
        return "on-hold"
    return f"stage{stage.number}-{'open' if stage.is_open else 'responded'}"


def _stage_facts(
    complaint: Complaint,
    stage: StageState,
    policy: ProcedurePolicy,
    stage2_findings: dict[int, str],
) -> StageFacts:
    procedure = complaint.procedure
    assert procedure is not None  # a case has stages only once triaged into a procedure
    findings_changed = None
    if procedure == STATUTORY and stage.number == 3 and stage.findings:
        findings_changed = any(
            stage2_findings.get(point) != finding for point, finding in stage.findings.items()
        )
    clock = complaint.stage_clock(stage, policy)
    return StageFacts(
        stage=stage.number,
        procedure=procedure,
        started_on=stage.started_on,
        clock_from=clock.start,
        clock_basis=clock.basis,
        working_days=stage.working_days,
        extended=stage.extensions > 0,
        deadline=clock.deadline,
        response_due=clock.response_due,
        acknowledged_on=stage.acknowledged_on,
        acknowledgement_due=clock.acknowledgement_due,
        acknowledged_on_time=clock.acknowledged_on_time,
        handler=stage.handler,
        statement_agreed_on=stage.statement_agreed_on,
        points=stage.points,
        findings=dict(sorted(stage.findings.items())),
        findings_changed=findings_changed,
        appointments=tuple(
            AppointmentFacts(a.role, a.person, a.internal, a.on) for a in stage.appointments
        ),
        panel_met_on=stage.panel_met_on,
        panel_reported_on=stage.panel_reported_on,
        panel_on_time=clock.panel_on_time,
        responded_on=stage.responded_on,
        outcome=stage.outcome,
        remedies=tuple(stage.remedies),
        on_time=clock.responded_on_time,
        working_days_taken=clock.working_days_to_response,
        withdrawn_on=stage.withdrawn_on,
        late_reason=stage.late_reason,
        reopened_on=stage.reopened_on,
    )


def case_facts(complaint: Complaint, policy: ProcedurePolicy) -> CaseFacts:
    """Everything a complaint's state means under ``policy``: the one place where its
    deadlines, clock starts and on-time flags are worked out for display and reports."""
    stages = []
    stage2_findings: dict[int, str] = {}
    for stage in complaint.stages:
        stages.append(_stage_facts(complaint, stage, policy, stage2_findings))
        if stage.number == 2:
            stage2_findings = dict(stage.findings)
    return CaseFacts(
        case_id=str(complaint.id),
        ref=complaint.ref,
        status=case_status(complaint),
        procedure=complaint.procedure,
        received_on=complaint.received_on,
        triage=complaint.triage_decision,
        triaged_on=complaint.triaged_on,
        channel=complaint.channel,
        role=complaint.role,
        direct_from_child=complaint.direct_from_child,
        service_area=complaint.service_area,
        team=complaint.team,
        reasons=tuple(complaint.reasons),
        matter_on=complaint.matter_on,
        current_stage=complaint.stage.number if complaint.stage else None,
        ended=complaint.ended,
        ended_on=complaint.ended_on,
        on_hold=complaint.is_suspended,
        suspensions=tuple(complaint.suspensions),
        advocate_offered_on=complaint.advocate_offered_on,
        advocate_accepted=complaint.advocate_accepted,
        dispute_resolution=dict(complaint.dispute_resolution),
        from_feedback=complaint.from_feedback,
        profile=dict(complaint.profile),
        stages=tuple(stages),
        recommendations=tuple(
            RecommendationFacts(
                id=r.id,
                stage=r.stage,
                made_on=r.made_on,
                theme=r.theme,
                status=r.status,
                decision=r.decision,
                decided_on=r.decided_on,
                owner=r.owner,
                due=r.due,
                completed_on=r.completed_on,
            )
            for r in complaint.recommendations.values()
        ),
        payments=tuple(PaymentFacts(p.on, p.stage, p.amount, p.reason) for p in complaint.payments),
        ombudsman=tuple(
            OmbudsmanFacts(
                enquiry_on=o.enquiry_on,
                ombudsman_ref=o.ombudsman_ref,
                decided_on=o.decided_on,
                decision=o.decision,
                remedies=tuple(o.remedies),
                due=o.due,
                complied_on=o.complied_on,
                satisfactory_remedy=o.satisfactory_remedy,
            )
            for o in complaint.ombudsman
        ),
        amendments=tuple(
            AmendmentFacts(a.on, a.field, a.old, a.new, a.reason) for a in complaint.amendments
        ),
        casework=casework_facts(complaint.casework),
        links=tuple(LinkFacts(k.on, k.ref, k.kind) for k in complaint.links),
        merged_into=complaint.merged_into,
        reopenings=tuple(
            ReopeningFacts(r.stage, r.on, r.reason, r.set_aside_response_on, r.set_aside_outcome)
            for r in complaint.reopenings
        ),
    )


# ------------------------------------------------------------ other representations
@dataclass(frozen=True)
class RepresentationFacts:
    """A compliment's, enquiry's, feedback's or advocacy referral's facts. Fields that
    do not apply to the kind are ``None``."""

    ref: str
    kind: str  # compliment, enquiry, feedback, advocacy
    status: str
    received_on: date
    service_area: str | None
    team: str | None
    channel: str | None = None
    role: str | None = None
    #: Enquiries: councillor|mp. Feedback: initial-feedback|enquiry.
    source: str | None = None
    working_days: int | None = None
    due: date | None = None
    #: Enquiries: answered. Feedback: resolved without a formal complaint.
    responded_on: date | None = None
    on_time: bool | None = None
    publishable_on: date | None = None
    converted_on: date | None = None
    complaint_ref: str | None = None
    #: Advocacy referrals: when the complaint it led to was linked.
    linked_on: date | None = None
    age_band: str | None = None
    theme: str | None = None
    amendments: tuple[AmendmentFacts, ...] = ()


def answered_on_time(responded_on: date | None, due: date | None) -> bool | None:
    """Whether an enquiry was answered by its due date (``None`` until answered)."""
    if responded_on is None:
        return None
    return due is None or responded_on <= due


def feedback_status(resolved_on: date | None, complaint_ref: str | None) -> str:
    """``became-complaint``, ``resolved`` (without a formal complaint) or ``open``."""
    if complaint_ref is not None:
        return "became-complaint"
    return "resolved" if resolved_on is not None else "open"


def representation_kind(record: Representation) -> str:
    """The name ``list --kind`` and the read models use for a record's kind."""
    for kind, cls in (
        ("compliment", Compliment),
        ("enquiry", Enquiry),
        ("feedback", InitialFeedback),
        ("advocacy", AdvocacyReferral),
    ):
        if isinstance(record, cls):
            return kind
    raise TypeError(f"no facts for {type(record).__name__}")


def representation_facts(record: Representation, policy: ProcedurePolicy) -> RepresentationFacts:
    """Everything a representation's state means under ``policy``."""
    common: dict[str, Any] = {
        "ref": record.ref,
        "kind": representation_kind(record),
        "received_on": record.received_on,
        "service_area": record.service_area,
        "team": record.team,
        "amendments": tuple(
            AmendmentFacts(a.on, a.field, a.old, a.new, a.reason) for a in record.amendments
        ),
    }
    if isinstance(record, Enquiry):
        due = record.due(policy)
        answered = record.responded_on
        return RepresentationFacts(
            **common,
            status="answered" if answered is not None else "open",
            source=record.source,
            working_days=record.working_days,
            due=due,
            responded_on=answered,
            on_time=answered_on_time(answered, due),
        )
    if isinstance(record, Compliment):
        return RepresentationFacts(
            **common,
            status="publishable" if record.publishable_on is not None else "received",
            channel=record.channel,
            role=record.role,
            publishable_on=record.publishable_on,
        )
    if isinstance(record, InitialFeedback):
        return RepresentationFacts(
            **common,
            status=feedback_status(record.resolved_on, record.complaint_ref),
            source=record.kind,
            channel=record.channel,
            responded_on=record.resolved_on,
            converted_on=record.converted_on,
            complaint_ref=record.complaint_ref,
        )
    assert isinstance(record, AdvocacyReferral)
    return RepresentationFacts(
        **common,
        status="led-to-complaint" if record.complaint_ref is not None else "referred",
        age_band=record.age_band,
        theme=record.theme,
        complaint_ref=record.complaint_ref,
        linked_on=record.linked_on,
    )
