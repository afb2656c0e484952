"""The Ombudsman's Complaint Handling Code (from 1 April 2026 in these tests): a
corporate case received under it is acknowledged within 5 working days and answered
within 10 (Stage 1) or 20 (Stage 2) working days of its acknowledgement; a case received
the day before follows the timescales in force then. Easter 2026: Good Friday 3 April
and Easter Monday 6 April are bank holidays."""

from __future__ import annotations

from datetime import date

import pytest

from domain import errors
from domain.complaint import Complaint
from domain.procedure import (
    ACKNOWLEDGEMENT,
    CORPORATE,
    STATUTORY,
    ProcedurePolicy,
    StageTimescale,
    TimescaleChange,
    Timescales,
    complaint_handling_code_2026,
)
from tests.domain.test_complaint_rules import TEAM, TODAY, refused, replay

CODE_FROM = date(2026, 4, 1)
POLICY = ProcedurePolicy(
    today=TODAY,
    timescale_changes=(TimescaleChange(CODE_FROM, complaint_handling_code_2026(Timescales())),),
)


def corporate_case(received: date, procedure: str = CORPORATE) -> Complaint:
    complaint = Complaint.receive(ref="C-1", on=received, actor=TEAM, policy=POLICY)
    complaint.triage(on=received, actor=TEAM, policy=POLICY, decision=procedure)
    return complaint


def test_a_code_case_is_due_its_acknowledgement_first() -> None:
    complaint = corporate_case(date(2026, 4, 1))
    stage = complaint.stages[0]
    assert complaint.clock_basis(stage, POLICY) == "acknowledgement"
    assert complaint.stage_deadline(stage, POLICY) == date(2026, 4, 10)
    assert complaint.acknowledgement_deadline(stage, POLICY) == date(2026, 4, 10)
    # Until it is acknowledged, the response counts from the day it should have been.
    assert complaint.response_deadline(stage, POLICY) == date(2026, 4, 24)


def test_a_code_case_counts_its_stage1_response_from_the_acknowledgement() -> None:
    complaint = corporate_case(date(2026, 4, 1))
    complaint.acknowledge(on=date(2026, 4, 13), actor=TEAM, policy=POLICY)
    stage = complaint.stages[0]
    assert complaint.clock_start(stage, POLICY) == date(2026, 4, 13)
    assert complaint.stage_deadline(stage, POLICY) == date(2026, 4, 27)
    assert complaint.acknowledged_on_time(stage, POLICY) is False
    complaint.respond(on=date(2026, 4, 27), actor=TEAM, policy=POLICY, outcome="upheld")
    assert complaint.responded_on_time(stage, POLICY) is True
    assert complaint.working_days_to_response(stage, POLICY) == 10


def test_a_case_received_the_day_before_the_code_follows_the_old_timescales() -> None:
    complaint = corporate_case(date(2026, 3, 31))
    complaint.acknowledge(on=date(2026, 4, 2), actor=TEAM, policy=POLICY)
    stage = complaint.stages[0]
    assert complaint.clock_basis(stage, POLICY) == "receipt"
    # 15 working days from receipt, whenever it was acknowledged.
    assert complaint.stage_deadline(stage, POLICY) == date(2026, 4, 23)
    assert complaint.acknowledged_on_time(stage, POLICY) is True  # within 2 working days


def test_the_code_leaves_the_statutory_procedure_as_the_regulations_set_it() -> None:
    complaint = corporate_case(date(2026, 4, 1), procedure=STATUTORY)
    stage = complaint.stages[0]
    assert complaint.clock_basis(stage, POLICY) == "receipt"
    assert stage.working_days == 10


def test_a_code_extension_adds_at_most_10_working_days() -> None:
    complaint = corporate_case(date(2026, 4, 1))
    complaint.acknowledge(on=date(2026, 4, 2), actor=TEAM, policy=POLICY)
    with refused(complaint, errors.ExtensionBeyondMaximum):
        complaint.extend(
            on=date(2026, 4, 8), actor=TEAM, policy=POLICY, reason="complex", working_days=25
        )
    complaint.extend(on=date(2026, 4, 8), actor=TEAM, policy=POLICY, reason="complex")
    stage = complaint.stages[0]
    assert stage.working_days == 20
    # 20 working days from the acknowledgement on 2 April.
    assert complaint.stage_deadline(stage, POLICY) == date(2026, 5, 5)


def test_a_code_stage2_is_acknowledged_within_5_and_answered_within_20_of_it() -> None:
    complaint = corporate_case(date(2026, 4, 1))
    complaint.acknowledge(on=date(2026, 4, 2), actor=TEAM, policy=POLICY)
    complaint.respond(on=date(2026, 4, 10), actor=TEAM, policy=POLICY, outcome="not-upheld")
    complaint.escalate(on=date(2026, 4, 20), actor=TEAM, policy=POLICY)
    stage = complaint.stages[1]
    assert complaint.stage_deadline(stage, POLICY) == date(2026, 4, 27)
    complaint.acknowledge(on=date(2026, 4, 22), actor=TEAM, policy=POLICY)
    assert complaint.acknowledged_on_time(stage, POLICY) is True
    assert complaint.stage_deadline(stage, POLICY) == date(2026, 5, 21)


def test_the_clock_a_case_follows_is_kept_in_its_events() -> None:
    """Replayed under settings without the Code, a Code case keeps its own clock."""
    complaint = corporate_case(date(2026, 4, 1))
    complaint.acknowledge(on=date(2026, 4, 13), actor=TEAM, policy=POLICY)
    rebuilt = replay(complaint.collect_events())
    stage = rebuilt.stages[0]
    plain = ProcedurePolicy(today=TODAY)
    assert rebuilt.stage_deadline(stage, plain) == date(2026, 4, 27)


def code_case_at_stage2(officer_at_stage1: str = "OFF-1") -> Complaint:
    complaint = corporate_case(date(2026, 4, 1))
    complaint.acknowledge(on=date(2026, 4, 2), actor=TEAM, policy=POLICY)
    complaint.assign_handler(
        on=date(2026, 4, 2), actor=TEAM, policy=POLICY, officer=officer_at_stage1
    )
    complaint.respond(on=date(2026, 4, 10), actor=TEAM, policy=POLICY, outcome="not-upheld")
    complaint.escalate(on=date(2026, 4, 20), actor=TEAM, policy=POLICY)
    return complaint


def test_under_the_code_the_stage1_handler_may_not_handle_stage2() -> None:
    complaint = code_case_at_stage2("OFF-1")
    with refused(complaint, errors.HandlerRule):
        complaint.assign_handler(on=date(2026, 4, 21), actor=TEAM, policy=POLICY, officer="OFF-1")
    complaint.assign_handler(on=date(2026, 4, 21), actor=TEAM, policy=POLICY, officer="OFF-2")
    assert [s.handler for s in complaint.stages] == ["OFF-1", "OFF-2"]


def test_before_the_code_the_same_officer_may_handle_both_stages() -> None:
    complaint = corporate_case(date(2026, 3, 2))
    complaint.assign_handler(on=date(2026, 3, 2), actor=TEAM, policy=POLICY, officer="OFF-1")
    complaint.respond(on=date(2026, 3, 10), actor=TEAM, policy=POLICY, outcome="not-upheld")
    complaint.escalate(on=date(2026, 3, 20), actor=TEAM, policy=POLICY)
    complaint.assign_handler(on=date(2026, 3, 23), actor=TEAM, policy=POLICY, officer="OFF-1")
    assert complaint.stages[1].handler == "OFF-1"


def test_a_stage1_handler_recorded_late_may_not_be_the_stage2_handler() -> None:
    complaint = corporate_case(date(2026, 4, 1))
    complaint.respond(on=date(2026, 4, 10), actor=TEAM, policy=POLICY, outcome="not-upheld")
    complaint.escalate(on=date(2026, 4, 20), actor=TEAM, policy=POLICY)
    complaint.assign_handler(on=date(2026, 4, 21), actor=TEAM, policy=POLICY, officer="OFF-1")
    with refused(complaint, errors.BreaksLaterStep):
        complaint.assign_handler(on=date(2026, 4, 2), actor=TEAM, policy=POLICY, officer="OFF-1")


def test_an_officer_is_recorded_by_register_id_never_by_name() -> None:
    complaint = corporate_case(date(2026, 4, 1))
    with refused(complaint, errors.BadData):
        complaint.assign_handler(
            on=date(2026, 4, 2), actor=TEAM, policy=POLICY, officer="Jane Smith"
        )


def test_the_code_sets_the_corporate_timescales_counted_from_the_acknowledgement() -> None:
    """Built inside the test (not at import), so a change to the Code's numbers shows."""
    before = Timescales(time_limit_years=2)
    code = complaint_handling_code_2026(before)
    assert code.corporate_stage1 == StageTimescale(10, 20, True, 20, ACKNOWLEDGEMENT, 5)
    assert code.corporate_stage2 == StageTimescale(20, 40, True, 40, ACKNOWLEDGEMENT, 5)
    assert code.time_limit_years == 1
    assert code.stage2_different_handler is True
    # The statutory procedure is the regulations' and is left as it was.
    for stage in (1, 2, 3):
        assert code.for_stage(STATUTORY, stage) == before.for_stage(STATUTORY, stage)
    assert code.acknowledge == before.acknowledge


def test_a_timescale_counted_from_an_unknown_event_is_refused() -> None:
    with pytest.raises(errors.UnknownName, match="clock basis 'panel'"):
        StageTimescale(10, 20, True, counts_from="panel")


def test_a_stage2_clock_counted_from_an_unknown_event_is_refused() -> None:
    with pytest.raises(errors.UnknownName, match="Stage 2 clock basis 'panel'"):
        ProcedurePolicy(timescales=Timescales(stage2_clock="panel"))


def test_timescale_changes_out_of_date_order_are_refused() -> None:
    code = complaint_handling_code_2026(Timescales())
    later = TimescaleChange(date(2027, 4, 1), code)
    with pytest.raises(errors.BadData, match="in date order, one a day"):
        ProcedurePolicy(timescale_changes=(later, TimescaleChange(CODE_FROM, code)))
    with pytest.raises(errors.BadData, match="in date order, one a day"):
        ProcedurePolicy(timescale_changes=(later, later))
