"""Steps recorded late and out of order, and steps voided as recorded in error.

A step may be recorded in any order as long as it is not dated before the steps it
depends on; the case's state, deadlines and figures follow effective dates. Dates as in
``test_complaint_rules`` (2026; "today" is Monday 23 November 2026).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain import errors
from domain.complaint import Complaint
from tests.domain.test_complaint_rules import (
    ADJUDICATION,
    MANAGER,
    POLICY,
    RECEIVED,
    STAGE1_EXTENDED_DUE,
    STAGE1_RESPONSE,
    STAGE2_REQUESTED,
    TEAM,
    TRIAGED,
    appoint_panel,
    at_stage1,
    at_stage2,
    at_stage3,
    refused,
    replay,
    stage2_investigated,
)


def decided_by_ombudsman() -> Complaint:
    complaint = at_stage1()
    complaint.respond(on=STAGE1_RESPONSE, actor=MANAGER, policy=POLICY, outcome="not-upheld")
    complaint.open_ombudsman_enquiry(on=date(2026, 7, 1), actor=TEAM, policy=POLICY)
    complaint.record_ombudsman_decision(
        on=date(2026, 9, 1), actor=TEAM, policy=POLICY, decision="upheld"
    )
    return complaint


def same_state(complaint: Complaint) -> Complaint:
    """The case rebuilt from its recorded events has the same state."""
    rebuilt = replay(complaint.collect_events())
    for name in ("stages", "recommendations", "payments", "ombudsman", "ended", "suspensions"):
        assert getattr(rebuilt, name) == getattr(complaint, name), name
    return rebuilt


# ------------------------------------------------------------- out of order
def test_ombudsman_recommendation_recorded_after_a_later_payment_is_accepted() -> None:
    complaint = decided_by_ombudsman()
    complaint.compensate(
        on=date(2026, 9, 20), actor=TEAM, policy=POLICY, amount=Decimal("300"), stage="ombudsman"
    )
    made = complaint.recommend(on=date(2026, 9, 1), actor=TEAM, policy=POLICY, stage="ombudsman")
    assert complaint.recommendations[made].made_on == date(2026, 9, 1)
    assert [p.amount for p in complaint.payments] == [Decimal("300.00")]
    same_state(complaint)


def test_stage2_recommendation_completed_after_the_stage3_panel_was_recorded() -> None:
    complaint = stage2_investigated()
    complaint.recommend(
        on=date(2026, 7, 20), actor=MANAGER, policy=POLICY, recommendation_id="S2-1", stage="2"
    )
    complaint.decide_recommendation(
        on=date(2026, 7, 24),
        actor=MANAGER,
        policy=POLICY,
        recommendation_id="S2-1",
        accepted=True,
    )
    complaint.respond(on=ADJUDICATION, actor="director", policy=POLICY, outcome="not-upheld")
    complaint.escalate(on=date(2026, 8, 10), actor=TEAM, policy=POLICY)
    appoint_panel(complaint)
    complaint.hold_panel(on=date(2026, 9, 17), actor=TEAM, policy=POLICY)
    complaint.complete_recommendation(
        on=date(2026, 8, 14), actor=TEAM, policy=POLICY, recommendation_id="S2-1"
    )
    assert complaint.recommendations["S2-1"].completed_on == date(2026, 8, 14)
    same_state(complaint)


def test_stage1_extension_recorded_after_stage2_began_extends_stage1() -> None:
    complaint = at_stage1()
    late_response = date(2026, 6, 5)  # after day 10 (26 May), within day 20 (9 Jun)
    complaint.respond(on=late_response, actor=MANAGER, policy=POLICY, outcome="upheld")
    complaint.escalate(on=date(2026, 6, 10), actor=TEAM, policy=POLICY)
    stage1 = complaint.stages[0]
    assert complaint.responded_on_time(stage1, POLICY) is False
    complaint.extend(on=date(2026, 5, 20), actor=MANAGER, policy=POLICY, reason="complex")
    stage1 = complaint.stages[0]
    assert complaint.stage_deadline(stage1, POLICY) == STAGE1_EXTENDED_DUE
    assert complaint.responded_on_time(stage1, POLICY) is True
    assert complaint.stages[1].number == 2 and complaint.stages[1].extensions == 0
    same_state(complaint)


def test_acknowledgement_recorded_after_the_response_is_dated_before_it() -> None:
    complaint = at_stage1()
    complaint.respond(on=STAGE1_RESPONSE, actor=MANAGER, policy=POLICY, outcome="upheld")
    complaint.acknowledge(on=date(2026, 5, 13), actor=TEAM, policy=POLICY)
    assert complaint.stages[0].acknowledged_on == date(2026, 5, 13)


def test_escalation_dated_before_the_response_it_escalates_is_refused() -> None:
    complaint = at_stage1()
    complaint.respond(on=STAGE1_RESPONSE, actor=MANAGER, policy=POLICY, outcome="upheld")
    with refused(complaint, errors.DependencyOrder) as _:
        complaint.escalate(on=date(2026, 5, 20), actor=TEAM, policy=POLICY)


def test_refusal_names_the_step_depended_on() -> None:
    complaint = at_stage1()
    complaint.recommend(on=date(2026, 5, 20), actor=MANAGER, policy=POLICY, recommendation_id="R1")
    with pytest.raises(errors.DependencyOrder, match="RecommendationMade on 2026-05-20"):
        complaint.decide_recommendation(
            on=date(2026, 5, 19),
            actor=MANAGER,
            policy=POLICY,
            recommendation_id="R1",
            accepted=True,
        )


def test_acceptance_dated_before_the_recommendation_was_made_is_refused() -> None:
    complaint = at_stage1()
    complaint.recommend(on=date(2026, 5, 20), actor=MANAGER, policy=POLICY, recommendation_id="R1")
    with refused(complaint, errors.DependencyOrder):
        complaint.decide_recommendation(
            on=date(2026, 5, 19),
            actor=MANAGER,
            policy=POLICY,
            recommendation_id="R1",
            accepted=True,
        )


def test_ombudsman_recommendation_dated_before_the_decision_is_refused() -> None:
    complaint = decided_by_ombudsman()
    with refused(complaint, errors.DependencyOrder):
        complaint.recommend(on=date(2026, 8, 31), actor=TEAM, policy=POLICY, stage="ombudsman")


def test_response_dated_before_a_recorded_extension_of_its_stage_is_refused() -> None:
    complaint = at_stage1()
    complaint.extend(on=date(2026, 5, 20), actor=MANAGER, policy=POLICY, reason="complex")
    with refused(complaint, errors.BreaksLaterStep):
        complaint.respond(on=date(2026, 5, 15), actor=MANAGER, policy=POLICY, outcome="upheld")


def test_hold_recorded_late_stops_the_clock_of_the_stage() -> None:
    complaint = at_stage1()
    complaint.respond(on=date(2026, 6, 5), actor=MANAGER, policy=POLICY, outcome="upheld")
    assert complaint.responded_on_time(complaint.stages[0], POLICY) is False
    with refused(complaint, errors.BreaksLaterStep):
        complaint.suspend(on=date(2026, 5, 13), actor=TEAM, policy=POLICY, reason="court")
    complaint.suspend(
        on=date(2026, 5, 13), actor=TEAM, policy=POLICY, reason="court", until=date(2026, 5, 27)
    )
    assert complaint.responded_on_time(complaint.stages[0], POLICY) is True
    same_state(complaint)


def test_response_recorded_late_inside_a_hold_is_refused() -> None:
    complaint = at_stage1()
    complaint.suspend(on=date(2026, 5, 13), actor=TEAM, policy=POLICY, reason="court")
    complaint.resume(on=date(2026, 5, 27), actor=TEAM, policy=POLICY)
    with refused(complaint, errors.DependencyOrder):
        complaint.respond(on=date(2026, 5, 20), actor=MANAGER, policy=POLICY, outcome="upheld")


def test_step_before_receipt_and_in_the_future_are_still_refused() -> None:
    complaint = at_stage1()
    complaint.acknowledge(on=date(2026, 5, 14), actor=TEAM, policy=POLICY)
    with refused(complaint, errors.DateOutOfOrder):
        complaint.extend(on=date(2026, 5, 1), actor=TEAM, policy=POLICY, reason="x")
    with refused(complaint, errors.DateOutOfOrder):
        complaint.extend(on=date(2026, 12, 1), actor=TEAM, policy=POLICY, reason="x")


def test_generated_recommendation_ids_never_repeat_a_later_dated_one() -> None:
    complaint = at_stage1()
    assert complaint.recommend(on=date(2026, 5, 20), actor=MANAGER, policy=POLICY) == "R1"
    assert complaint.recommend(on=date(2026, 5, 14), actor=MANAGER, policy=POLICY) == "R2"


# ------------------------------------------------------------------- voids
def test_voided_response_reopens_the_stage_for_the_right_one() -> None:
    complaint = at_stage1()
    complaint.respond(on=STAGE1_RESPONSE, actor=MANAGER, policy=POLICY, outcome="upheld")
    version = complaint.version
    complaint.void(on=TRIAGED, actor=TEAM, policy=POLICY, version=version, reason="wrong case")
    assert complaint.stages[0].is_open
    complaint.respond(on=STAGE1_RESPONSE, actor=MANAGER, policy=POLICY, outcome="not-upheld")
    assert complaint.stages[0].outcome == "not-upheld"
    rebuilt = same_state(complaint)
    assert version in rebuilt.voidings


def test_voiding_a_step_later_steps_depend_on_is_refused_naming_them() -> None:
    complaint = at_stage2()
    response = next(
        e.originator_version for e in complaint.recorded if isinstance(e, Complaint.Responded)
    )
    with pytest.raises(errors.VoidHasDependents, match="EscalationRequested on 2026-06-01"):
        complaint.void(on=TRIAGED, actor=TEAM, policy=POLICY, version=response, reason="typo")
    with refused(complaint, errors.VoidHasDependents):
        complaint.void(on=TRIAGED, actor=TEAM, policy=POLICY, version=response, reason="typo")


def test_voiding_in_dependency_order_is_accepted() -> None:
    complaint = at_stage2()
    escalation = complaint.version
    complaint.void(on=STAGE2_REQUESTED, actor=TEAM, policy=POLICY, version=escalation, reason="x")
    complaint.void(
        on=STAGE2_REQUESTED, actor=TEAM, policy=POLICY, version=escalation - 1, reason="x"
    )
    assert [s.number for s in complaint.stages] == [1] and complaint.stages[0].is_open


def test_voiding_a_payment_removes_it_from_the_case() -> None:
    complaint = at_stage3()
    complaint.compensate(on=date(2026, 8, 11), actor=TEAM, policy=POLICY, amount=Decimal("50"))
    complaint.compensate(on=date(2026, 8, 12), actor=TEAM, policy=POLICY, amount=Decimal("70"))
    complaint.void(
        on=date(2026, 8, 13),
        actor=TEAM,
        policy=POLICY,
        version=complaint.version - 1,
        reason="paid on another case",
    )
    assert [p.amount for p in complaint.payments] == [Decimal("70.00")]


def test_receipt_cannot_be_voided() -> None:
    complaint = at_stage1()
    with refused(complaint, errors.VoidRefused):
        complaint.void(on=TRIAGED, actor=TEAM, policy=POLICY, version=1, reason="x")


def test_voiding_twice_and_unknown_versions_are_refused() -> None:
    complaint = at_stage1()
    complaint.acknowledge(on=date(2026, 5, 13), actor=TEAM, policy=POLICY)
    complaint.void(on=TRIAGED, actor=TEAM, policy=POLICY, version=3, reason="not sent")
    with refused(complaint, errors.VoidRefused):
        complaint.void(on=TRIAGED, actor=TEAM, policy=POLICY, version=3, reason="again")
    with refused(complaint, errors.VoidRefused):
        complaint.void(on=TRIAGED, actor=TEAM, policy=POLICY, version=4, reason="void a void")
    with refused(complaint, errors.UnknownStep):
        complaint.void(on=TRIAGED, actor=TEAM, policy=POLICY, version=99, reason="x")
    with refused(complaint, errors.BadData):
        complaint.void(on=TRIAGED, actor=TEAM, policy=POLICY, version=2, reason=" ")


def test_voided_triage_leaves_the_case_waiting_for_triage() -> None:
    complaint = at_stage1()
    complaint.void(on=RECEIVED, actor=TEAM, policy=POLICY, version=2, reason="wrong procedure")
    assert complaint.stage is None and complaint.procedure is None
    complaint.triage(on=TRIAGED, actor=TEAM, policy=POLICY, decision="corporate")
    assert complaint.procedure == "corporate"
