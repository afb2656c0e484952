"""A hold stops a stage's clock: every deadline of the stage counts the holds that fall
inside it, at every step of Stage 3 (panel, report, response) and for the
acknowledgement, and a hold outside the stage counts for nothing.

Dates as in ``test_complaint_rules`` (2026; bank holidays Mon 25 May and Mon 31 Aug).
Each hold below runs Monday to Monday or Wednesday to Wednesday: five working days.
Unheld, Stage 3 requested Mon 10 Aug has its panel due Tue 22 Sep.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from domain.complaint import Complaint
from domain.procedure import ProcedurePolicy, Timescales
from tests.domain.test_complaint_rules import (
    MANAGER,
    POLICY,
    STAGE1_DUE,
    STAGE1_RESPONSE,
    STAGE2_REQUESTED,
    TEAM,
    appoint_panel,
    at_stage1,
    at_stage2,
    at_stage3,
    replay,
    time_limit,
)


@pytest.fixture(autouse=True)
def _a_clock_that_never_restarts_fails_rather_than_hangs() -> Iterator[None]:
    with time_limit(10):
        yield


def held(complaint: Complaint, first: date, resumed: date | None = None) -> None:
    complaint.suspend(
        on=first, actor=TEAM, policy=POLICY, reason="child in hospital", until=resumed
    )


# --------------------------------------------------------------- Stage 3, step by step
def test_every_stage3_deadline_counts_the_holds_before_it() -> None:
    complaint = at_stage3()
    held(complaint, date(2026, 8, 17), date(2026, 8, 24))
    # Panel due Tue 29 Sep (22 Sep + 5); its report 5 days later, Tue 6 Oct; the
    # response 15 days after that, Tue 27 Oct.
    assert complaint.stage_deadline(complaint.stages[2], POLICY) == date(2026, 9, 29)
    assert complaint.response_deadline(complaint.stages[2], POLICY) == date(2026, 10, 27)

    appoint_panel(complaint, on=date(2026, 8, 25))
    complaint.hold_panel(on=date(2026, 9, 29), actor=TEAM, policy=POLICY)
    assert complaint.panel_on_time(complaint.stages[2], POLICY) is True
    held(complaint, date(2026, 9, 30), date(2026, 10, 7))
    # The report is due 5 days after the meeting, plus the hold: Tue 13 Oct; the
    # response 15 days after that: Tue 3 Nov.
    assert complaint.stage_deadline(complaint.stages[2], POLICY) == date(2026, 10, 13)
    assert complaint.response_deadline(complaint.stages[2], POLICY) == date(2026, 11, 3)

    complaint.report_panel(on=date(2026, 10, 13), actor="panel-chair", policy=POLICY)
    held(complaint, date(2026, 10, 14), date(2026, 10, 21))
    # The response: 15 days after the report, plus the hold: Tue 10 Nov.
    assert complaint.stage_deadline(complaint.stages[2], POLICY) == date(2026, 11, 10)
    assert complaint.response_deadline(complaint.stages[2], POLICY) == date(2026, 11, 10)

    complaint.respond(on=date(2026, 11, 10), actor="director", policy=POLICY, outcome="upheld")
    assert complaint.responded_on_time(complaint.stages[2], POLICY) is True
    again = replay(complaint.pending_events)
    assert again.responded_on_time(again.stages[2], POLICY) is True


def test_a_stage3_panel_met_late_projects_its_response_through_every_hold() -> None:
    complaint = at_stage3()
    held(complaint, date(2026, 8, 17), date(2026, 8, 24))
    held(complaint, date(2026, 9, 30), date(2026, 10, 7))
    held(complaint, date(2026, 10, 14), date(2026, 10, 21))
    # Panel due Tue 29 Sep; its report Tue 13 Oct (5 days and the second hold); the
    # response Tue 10 Nov (15 days and the third hold).
    assert complaint.stage_deadline(complaint.stages[2], POLICY) == date(2026, 9, 29)
    assert complaint.response_deadline(complaint.stages[2], POLICY) == date(2026, 11, 10)
    appoint_panel(complaint, on=date(2026, 8, 25))
    complaint.hold_panel(on=date(2026, 9, 29), actor=TEAM, policy=POLICY)
    complaint.report_panel(on=date(2026, 10, 13), actor="panel-chair", policy=POLICY)
    complaint.respond(on=date(2026, 11, 10), actor="director", policy=POLICY, outcome="upheld")
    assert complaint.panel_on_time(complaint.stages[2], POLICY) is True
    assert complaint.responded_on_time(complaint.stages[2], POLICY) is True


def test_a_stage3_report_on_time_only_because_of_a_hold_is_on_time() -> None:
    complaint = at_stage3()
    appoint_panel(complaint)
    complaint.hold_panel(on=date(2026, 9, 17), actor=TEAM, policy=POLICY)
    held(complaint, date(2026, 9, 21), date(2026, 9, 28))
    # Met Thu 17 Sep: the report was due Thu 24 Sep; with the hold, Thu 1 Oct.
    complaint.report_panel(on=date(2026, 10, 1), actor="panel-chair", policy=POLICY)
    complaint.respond(on=date(2026, 10, 2), actor="director", policy=POLICY, outcome="upheld")
    assert complaint.responded_on_time(complaint.stages[2], POLICY) is True


def test_a_stage3_report_a_day_past_its_held_deadline_is_late() -> None:
    complaint = at_stage3()
    appoint_panel(complaint)
    complaint.hold_panel(on=date(2026, 9, 17), actor=TEAM, policy=POLICY)
    held(complaint, date(2026, 9, 21), date(2026, 9, 28))
    complaint.report_panel(on=date(2026, 10, 2), actor="panel-chair", policy=POLICY)
    complaint.respond(on=date(2026, 10, 5), actor="director", policy=POLICY, outcome="upheld")
    assert complaint.responded_on_time(complaint.stages[2], POLICY) is False


def test_a_stage3_panel_on_time_only_because_of_a_hold_is_on_time() -> None:
    complaint = at_stage3()
    held(complaint, date(2026, 8, 17), date(2026, 8, 24))
    appoint_panel(complaint, on=date(2026, 8, 25))
    complaint.hold_panel(on=date(2026, 9, 29), actor=TEAM, policy=POLICY)
    assert complaint.panel_on_time(complaint.stages[2], POLICY) is True


def test_a_stage3_response_with_no_panel_report_is_judged_from_the_meeting() -> None:
    complaint = at_stage3()
    appoint_panel(complaint)
    complaint.hold_panel(on=date(2026, 9, 17), actor=TEAM, policy=POLICY)
    # Met Thu 17 Sep: report due Thu 24 Sep, the response 15 days later, Thu 15 Oct.
    complaint.respond(on=date(2026, 10, 15), actor="director", policy=POLICY, outcome="upheld")
    assert complaint.responded_on_time(complaint.stages[2], POLICY) is True


# --------------------------------------------------------------- which holds count
def test_a_hold_that_starts_the_day_a_stage_ended_is_not_in_that_stage() -> None:
    complaint = at_stage1()
    complaint.respond(on=date(2026, 5, 20), actor=MANAGER, policy=POLICY, outcome="upheld")
    held(complaint, date(2026, 5, 20), date(2026, 5, 27))
    assert complaint.pauses_for(complaint.stages[0]) == []
    assert complaint.stage_deadline(complaint.stages[0], POLICY) == STAGE1_DUE


def test_a_hold_in_an_earlier_stage_does_not_hide_a_hold_in_this_one() -> None:
    complaint = at_stage1()
    held(complaint, date(2026, 5, 13), date(2026, 5, 15))
    complaint.respond(on=STAGE1_RESPONSE, actor=MANAGER, policy=POLICY, outcome="not-upheld")
    complaint.escalate(on=STAGE2_REQUESTED, actor=TEAM, policy=POLICY)
    held(complaint, date(2026, 6, 8), date(2026, 6, 15))
    stage = complaint.stages[1]
    assert complaint.pauses_for(stage) == [(date(2026, 6, 8), date(2026, 6, 15))]
    # Stage 2 due Mon 6 Jul, and five working days later for the hold: Mon 13 Jul.
    assert complaint.stage_deadline(stage, POLICY) == date(2026, 7, 13)


def test_a_hold_still_open_when_the_case_ended_counts_until_the_end() -> None:
    complaint = at_stage1()
    held(complaint, date(2026, 5, 18))
    complaint.withdraw(on=date(2026, 5, 25), actor=TEAM, policy=POLICY)
    stage = complaint.stages[0]
    assert complaint.pauses_for(stage) == [(date(2026, 5, 18), date(2026, 5, 25))]
    # Due Tue 26 May, and the five working days held (Mon 18 to Fri 22): Tue 2 Jun.
    assert complaint.stage_deadline(stage, POLICY) == date(2026, 6, 2)


# --------------------------------------------------------------- acknowledgement
def test_the_acknowledgement_deadline_counts_a_hold_before_it() -> None:
    complaint = at_stage1()
    held(complaint, date(2026, 5, 12), date(2026, 5, 14))
    # Two working days from Mon 11 May is Wed 13 May; held Tue 12 and Wed 13: Fri 15.
    stage = complaint.stages[0]
    assert complaint.acknowledgement_deadline(stage, POLICY) == date(2026, 5, 15)
    complaint.acknowledge(on=date(2026, 5, 15), actor=TEAM, policy=POLICY)
    assert complaint.acknowledged_on_time(stage, POLICY) is True


def test_a_stage_recorded_without_its_own_acknowledgement_days_takes_the_procedures() -> None:
    # A triage recorded before the stage carried its acknowledgement days (an older
    # stored event) is acknowledged within the procedure's days.
    policy = ProcedurePolicy(today=POLICY.today, timescales=Timescales(acknowledge=3))
    complaint = at_stage1(policy=policy)
    receipt, triage = complaint.pending_events
    assert isinstance(triage, Complaint.Triaged)
    older = type(triage)(**{**vars(triage), "acknowledge_days": None})
    case = replay([receipt, older])
    stage = case.stages[0]
    assert stage.acknowledge_days is None
    # Three working days from Mon 11 May: Thu 14 May.
    assert case.acknowledgement_deadline(stage, policy) == date(2026, 5, 14)


# --------------------------------------------------------------- what a clock counts from
def test_stage2_counts_from_the_request_where_the_council_does_not_count_from_the_statement() -> (
    None
):
    complaint = at_stage2()
    assert complaint.clock_basis(complaint.stages[1], POLICY) == "request"
    assert complaint.clock_basis(complaint.stages[0], POLICY) == "receipt"


def test_working_days_to_a_response_are_counted_only_once_it_is_given() -> None:
    complaint = at_stage2()
    stage1, stage2 = complaint.stages
    # Mon 11 May to Fri 22 May is 9 working days (Mon 25 May is not reached).
    assert complaint.working_days_to_response(stage1, POLICY) == 9
    assert complaint.working_days_to_response(stage2, POLICY) is None
    complaint.respond(on=date(2026, 6, 29), actor=MANAGER, policy=POLICY, outcome="upheld")
    # Mon 1 Jun to Mon 29 Jun: 20 working days.
    assert complaint.working_days_to_response(stage2, POLICY) == 20
