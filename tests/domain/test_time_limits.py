"""Every time rule of the procedure at its edge: exactly on the limit is within it, one
day past is not. Dates as in ``test_complaint_rules`` (2026; bank holidays Mon 25 May and
Mon 31 Aug): received Mon 11 May, Stage 1 due Tue 26 May, extended due Tue 9 Jun;
responded Fri 22 May, a Stage 2 request due by Mon 22 Jun; Stage 2 requested Mon 1 Jun,
day 65 Tue 1 Sep; Stage 3 requested Mon 10 Aug, the panel due by Tue 22 Sep."""

from __future__ import annotations

from datetime import date

from domain import errors
from domain.complaint import Complaint
from domain.procedure import STATUTORY
from tests.domain.test_complaint_rules import (
    MANAGER,
    POLICY,
    RECEIVED,
    STAGE1_RESPONSE,
    TEAM,
    TRIAGED,
    appoint_panel,
    at_stage1,
    at_stage2,
    at_stage3,
    received,
    refused,
)


# ------------------------------------------------------------------ one year
def test_a_complaint_made_exactly_a_year_after_the_matter_is_in_time() -> None:
    complaint = received(matter_on=date(2025, 5, 11))
    complaint.triage(on=TRIAGED, actor=TEAM, policy=POLICY, decision=STATUTORY)
    assert complaint.procedure == STATUTORY


def test_a_complaint_made_a_year_and_a_day_after_the_matter_is_out_of_time() -> None:
    complaint = received(matter_on=date(2025, 5, 10))
    with refused(complaint, errors.OutOfTime):
        complaint.triage(on=TRIAGED, actor=TEAM, policy=POLICY, decision=STATUTORY)


def test_the_one_year_limit_is_a_calendar_year_across_a_leap_day() -> None:
    """29 Feb 2024 to 28 Feb 2025 is one year (366 days); 1 Mar 2025 is a day past."""
    on_time = Complaint.receive(
        ref="L-1", on=date(2025, 2, 28), actor=TEAM, policy=POLICY, matter_on=date(2024, 2, 29)
    )
    on_time.triage(on=date(2025, 2, 28), actor=TEAM, policy=POLICY, decision=STATUTORY)
    late = Complaint.receive(
        ref="L-2", on=date(2025, 3, 1), actor=TEAM, policy=POLICY, matter_on=date(2024, 2, 29)
    )
    with refused(late, errors.OutOfTime):
        late.triage(on=date(2025, 3, 1), actor=TEAM, policy=POLICY, decision=STATUTORY)


# ---------------------------------------------------------------- extensions
def test_stage1_extended_on_its_deadline_day_is_accepted() -> None:
    complaint = at_stage1()
    complaint.extend(on=date(2026, 5, 26), actor=MANAGER, policy=POLICY, reason="complex")
    assert complaint.stages[0].working_days == 20


def test_stage1_extended_the_day_after_its_deadline_is_refused() -> None:
    complaint = at_stage1()
    with refused(complaint, errors.ExtensionAfterDeadline):
        complaint.extend(on=date(2026, 5, 27), actor=MANAGER, policy=POLICY, reason="complex")


def test_stage1_extended_to_20_working_days_but_not_21() -> None:
    complaint = at_stage1()
    with refused(complaint, errors.ExtensionBeyondMaximum):
        complaint.extend(
            on=date(2026, 5, 20), actor=MANAGER, policy=POLICY, reason="x", working_days=21
        )
    complaint.extend(
        on=date(2026, 5, 20), actor=MANAGER, policy=POLICY, reason="x", working_days=20
    )


def test_stage2_extended_to_65_working_days_but_not_66() -> None:
    complaint = at_stage2()
    with refused(complaint, errors.ExtensionBeyondMaximum):
        complaint.extend(
            on=date(2026, 6, 20), actor=MANAGER, policy=POLICY, reason="x", working_days=66
        )
    complaint.extend(
        on=date(2026, 6, 20), actor=MANAGER, policy=POLICY, reason="x", working_days=65
    )
    stage = complaint.stages[1]
    assert complaint.stage_deadline(stage, POLICY) == date(2026, 9, 1)


# ---------------------------------------------------------------- escalation
def test_stage2_requested_on_the_last_day_of_its_window_is_in_time() -> None:
    complaint = at_stage1()
    complaint.respond(on=STAGE1_RESPONSE, actor=MANAGER, policy=POLICY, outcome="not-upheld")
    complaint.escalate(on=date(2026, 6, 22), actor=TEAM, policy=POLICY)
    assert complaint.stages[1].late_reason is None


def test_stage2_requested_the_day_after_its_window_needs_a_late_reason() -> None:
    complaint = at_stage1()
    complaint.respond(on=STAGE1_RESPONSE, actor=MANAGER, policy=POLICY, outcome="not-upheld")
    with refused(complaint, errors.LateEscalation):
        complaint.escalate(on=date(2026, 6, 23), actor=TEAM, policy=POLICY)


# ------------------------------------------------------------ on-time flags
def test_stage1_answered_on_its_deadline_is_on_time_and_a_day_later_is_not() -> None:
    for day, on_time in ((date(2026, 5, 26), True), (date(2026, 5, 27), False)):
        complaint = at_stage1()
        complaint.respond(on=day, actor=MANAGER, policy=POLICY, outcome="upheld")
        assert complaint.responded_on_time(complaint.stages[0], POLICY) is on_time, day


def test_the_stage3_panel_on_its_30th_working_day_is_on_time_and_a_day_later_is_not() -> None:
    for day, on_time in ((date(2026, 9, 22), True), (date(2026, 9, 23), False)):
        complaint = at_stage3()
        appoint_panel(complaint)
        complaint.hold_panel(on=day, actor=TEAM, policy=POLICY)
        assert complaint.panel_on_time(complaint.stages[2], POLICY) is on_time, day


def test_acknowledged_on_its_2nd_working_day_is_on_time_and_the_3rd_is_not() -> None:
    for day, on_time in ((date(2026, 5, 13), True), (date(2026, 5, 14), False)):
        complaint = at_stage1()
        complaint.acknowledge(on=day, actor=TEAM, policy=POLICY)
        assert complaint.acknowledged_on_time(complaint.stages[0], POLICY) is on_time, day
    assert date(2026, 5, 11) == RECEIVED
