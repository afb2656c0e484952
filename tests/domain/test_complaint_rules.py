"""The rules of the procedure, as the Complaint aggregate enforces them.

Each refusal test checks the specific exception class from :mod:`domain.errors` and that
nothing was recorded: no new pending event and no change of version.

Dates are in 2026 ("today" is Monday 23 November 2026). England's bank holidays that
matter here: Mon 25 May (spring) and Mon 31 Aug (late summer). Hand-worked deadlines:

* received Mon 11 May: day 10 is Tue 26 May (25 May is a bank holiday); day 20 is
  Tue 9 Jun.
* Stage 1 response Fri 22 May: a Stage 2 request is due by Mon 22 Jun (20 days).
* Stage 2 requested Mon 1 Jun: day 25 is Mon 6 Jul, day 40 Mon 27 Jul, day 65 Tue 1 Sep.
* statement agreed Mon 15 Jun: day 25 is Mon 20 Jul.
* adjudication Fri 24 Jul: a Stage 3 request is due by Fri 21 Aug.
* Stage 3 requested Mon 10 Aug: the panel is due by Tue 22 Sep (31 Aug is a holiday).
* panel met Thu 17 Sep: its report is due Thu 24 Sep.
* panel reported Tue 22 Sep: the council's response is due Tue 13 Oct.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from domain import errors
from domain.complaint import LARGEST_PAYMENT, Complaint, case_id
from domain.procedure import CORPORATE, STATUTORY, ProcedurePolicy, Timescales
from domain.vocabulary import parse_amount

TODAY = date(2026, 11, 23)
POLICY = ProcedurePolicy(today=TODAY)
TEAM = "complaints-team"
MANAGER = "service-manager"

# A few dates used over and over (see the module docstring).
RECEIVED = date(2026, 5, 11)  # Monday
TRIAGED = date(2026, 5, 12)
STAGE1_DUE = date(2026, 5, 26)
STAGE1_EXTENDED_DUE = date(2026, 6, 9)
STAGE1_RESPONSE = date(2026, 5, 22)
STAGE2_REQUEST_BY = date(2026, 6, 22)
STAGE2_REQUESTED = date(2026, 6, 1)
STAGE2_DUE = date(2026, 7, 6)
STATEMENT_AGREED = date(2026, 6, 15)
ADJUDICATION = date(2026, 7, 24)


# --------------------------------------------------------------------- helpers
@contextmanager
def refused(complaint: Complaint, exception: type[errors.Refused]) -> Iterator[None]:
    """The block must raise exactly ``exception`` and record nothing."""
    pending = list(complaint.pending_events)
    version = complaint.version
    with pytest.raises(errors.Refused) as info:
        yield
    assert type(info.value) is exception, f"{type(info.value).__name__}: {info.value}"
    assert info.value.rule == exception.rule
    assert complaint.pending_events == pending
    assert complaint.version == version


def received(
    ref: str = "CSC-2026-0001",
    on: date = RECEIVED,
    policy: ProcedurePolicy = POLICY,
    **details: Any,
) -> Complaint:
    return Complaint.receive(ref=ref, on=on, actor=TEAM, policy=policy, **details)


def at_stage1(
    procedure: str = STATUTORY, policy: ProcedurePolicy = POLICY, **details: Any
) -> Complaint:
    complaint = received(policy=policy, **details)
    complaint.triage(on=TRIAGED, actor=TEAM, policy=policy, decision=procedure)
    return complaint


def at_stage2(policy: ProcedurePolicy = POLICY) -> Complaint:
    complaint = at_stage1(policy=policy)
    complaint.respond(on=STAGE1_RESPONSE, actor=MANAGER, policy=policy, outcome="not-upheld")
    complaint.escalate(on=STAGE2_REQUESTED, actor=TEAM, policy=policy)
    return complaint


def stage2_investigated(policy: ProcedurePolicy = POLICY) -> Complaint:
    complaint = at_stage2(policy)
    complaint.appoint(
        on=date(2026, 6, 3),
        actor=TEAM,
        policy=policy,
        role="investigating-officer",
        person="IO-1",
        internal=True,
    )
    complaint.appoint(
        on=date(2026, 6, 3), actor=TEAM, policy=policy, role="independent-person", person="IP-7"
    )
    complaint.agree_statement(on=STATEMENT_AGREED, actor=TEAM, policy=policy, points=2)
    return complaint


def at_stage3(policy: ProcedurePolicy = POLICY) -> Complaint:
    complaint = stage2_investigated(policy)
    complaint.respond(on=ADJUDICATION, actor="director", policy=policy, outcome="not-upheld")
    complaint.escalate(on=date(2026, 8, 10), actor=TEAM, policy=policy)
    return complaint


def appoint_panel(complaint: Complaint, on: date = date(2026, 8, 12)) -> None:
    for role, person in (
        ("panel-chair", "PANEL-1"),
        ("panel-member", "PANEL-2"),
        ("panel-member", "PANEL-3"),
    ):
        complaint.appoint(on=on, actor=TEAM, policy=POLICY, role=role, person=person)


def replay(events: Any) -> Complaint:
    aggregate: Any = None
    for event in events:
        aggregate = event.mutate(aggregate)
    assert isinstance(aggregate, Complaint)
    return aggregate


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Raise TimeoutError if the block runs longer than ``seconds`` (POSIX only)."""

    def expire(signum: int, frame: Any) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# ------------------------------------------------------------- receipt, triage
def test_case_id_is_derived_from_the_reference() -> None:
    complaint = received(ref="CSC-2026-0007")
    assert complaint.id == case_id("CSC-2026-0007")
    assert complaint.ref == "CSC-2026-0007"


def test_receipt_in_the_future_is_refused() -> None:
    with pytest.raises(errors.DateOutOfOrder):
        received(on=date(2026, 11, 24))


def test_receipt_with_unknown_channel_is_refused() -> None:
    with pytest.raises(errors.UnknownName):
        received(channel="carrier-pigeon")


def test_matter_after_receipt_is_refused() -> None:
    with pytest.raises(errors.DateOutOfOrder):
        received(matter_on=date(2026, 5, 12))


def test_matter_on_the_day_of_receipt_is_accepted() -> None:
    assert received(matter_on=RECEIVED).received_on == RECEIVED


def test_child_role_marks_the_complaint_as_direct_from_the_child() -> None:
    assert received(role="looked-after-child").direct_from_child
    assert not received(role="parent").direct_from_child


def test_respond_before_triage_is_refused() -> None:
    complaint = received()
    with refused(complaint, errors.NotTriaged):
        complaint.respond(on=TRIAGED, actor=MANAGER, policy=POLICY, outcome="upheld")


def test_escalating_before_triage_is_refused() -> None:
    complaint = received()
    with refused(complaint, errors.NotTriaged):
        complaint.escalate(on=TRIAGED, actor=TEAM, policy=POLICY)


def test_triaging_twice_is_refused() -> None:
    complaint = at_stage1()
    with refused(complaint, errors.AlreadyTriaged):
        complaint.triage(on=TRIAGED, actor=TEAM, policy=POLICY, decision=CORPORATE)


def test_unknown_triage_decision_is_refused() -> None:
    complaint = received()
    with refused(complaint, errors.UnknownName):
        complaint.triage(on=TRIAGED, actor=TEAM, policy=POLICY, decision="maybe")


def test_out_of_time_complaint_needs_late_reason() -> None:
    # The matter was on 1 Mar 2025, more than a year before receipt on 11 May 2026.
    complaint = received(matter_on=date(2025, 3, 1))
    with refused(complaint, errors.OutOfTime):
        complaint.triage(on=TRIAGED, actor=TEAM, policy=POLICY, decision=STATUTORY)
    complaint.triage(
        on=TRIAGED,
        actor=TEAM,
        policy=POLICY,
        decision=STATUTORY,
        late_reason="young person was in hospital; can still be considered fairly",
    )
    assert complaint.stage is not None
    assert complaint.stage.late_reason == (
        "young person was in hospital; can still be considered fairly"
    )


def test_complaint_within_the_year_needs_no_late_reason() -> None:
    complaint = received(matter_on=date(2025, 6, 1))
    complaint.triage(on=TRIAGED, actor=TEAM, policy=POLICY, decision=STATUTORY)
    assert complaint.procedure == STATUTORY


def test_complaint_made_exactly_one_year_after_the_matter_is_in_time() -> None:
    # 1 Mar 2023 to 1 Mar 2024 is one year, but 366 days (29 Feb 2024).
    complaint = Complaint.receive(
        ref="CSC-2024-0001",
        on=date(2024, 3, 1),
        actor=TEAM,
        policy=POLICY,
        matter_on=date(2023, 3, 1),
    )
    complaint.triage(on=date(2024, 3, 1), actor=TEAM, policy=POLICY, decision=STATUTORY)
    assert complaint.procedure == STATUTORY


def test_out_of_time_triage_redirects_with_a_default_reason() -> None:
    complaint = received(matter_on=date(2024, 1, 10))
    complaint.triage(on=TRIAGED, actor=TEAM, policy=POLICY, decision="out-of-time")
    assert complaint.ended == "redirected"
    assert complaint.stage is None
    event = complaint.pending_events[-1]
    assert isinstance(event, Complaint.Triaged)
    assert event.reason == "made more than a year after the matter"


def test_redirected_case_refuses_further_steps() -> None:
    complaint = received()
    complaint.triage(
        on=TRIAGED, actor=TEAM, policy=POLICY, decision="excluded", reason="court proceedings"
    )
    assert complaint.ended == "redirected"
    assert complaint.ended_on == TRIAGED
    later = date(2026, 5, 13)
    with refused(complaint, errors.CaseEnded):
        complaint.respond(on=later, actor=MANAGER, policy=POLICY, outcome="upheld")
    with refused(complaint, errors.CaseEnded):
        complaint.triage(on=later, actor=TEAM, policy=POLICY, decision=STATUTORY)
    with refused(complaint, errors.CaseEnded):
        complaint.acknowledge(on=later, actor=TEAM, policy=POLICY)
    with refused(complaint, errors.CaseEnded):
        complaint.escalate(on=later, actor=TEAM, policy=POLICY)
    with refused(complaint, errors.CaseEnded):
        complaint.suspend(on=later, actor=TEAM, policy=POLICY, reason="court")
    with refused(complaint, errors.CaseEnded):
        complaint.withdraw(on=later, actor=TEAM, policy=POLICY)
    with refused(complaint, errors.CaseEnded):
        complaint.compensate(on=later, actor=TEAM, policy=POLICY, amount=Decimal("50.00"))


# ------------------------------------------------------------- acknowledgement
def test_acknowledgement_before_triage_carries_into_stage1() -> None:
    complaint = received()
    complaint.acknowledge(on=RECEIVED, actor=TEAM, policy=POLICY)
    complaint.triage(on=TRIAGED, actor=TEAM, policy=POLICY, decision=STATUTORY)
    assert complaint.stage is not None
    assert complaint.stage.acknowledged_on == RECEIVED
    with refused(complaint, errors.AlreadyAcknowledged):
        complaint.acknowledge(on=TRIAGED, actor=TEAM, policy=POLICY)


# -------------------------------------------------------------------- dates
def test_response_dated_before_the_stage_began_is_refused_naming_the_triage() -> None:
    complaint = at_stage1()  # triaged on 12 May
    with refused(complaint, errors.DependencyOrder):
        complaint.respond(on=RECEIVED, actor=MANAGER, policy=POLICY, outcome="upheld")


def test_date_before_receipt_is_refused() -> None:
    complaint = received()
    with refused(complaint, errors.DateOutOfOrder):
        complaint.acknowledge(on=date(2026, 5, 8), actor=TEAM, policy=POLICY)


def test_date_in_the_future_is_refused() -> None:
    complaint = at_stage1()
    with refused(complaint, errors.DateOutOfOrder):
        complaint.respond(on=date(2026, 11, 24), actor=MANAGER, policy=POLICY, outcome="upheld")


def test_same_day_as_previous_step_is_allowed() -> None:
    complaint = at_stage1()
    complaint.acknowledge(on=TRIAGED, actor=TEAM, policy=POLICY)
    assert complaint.stage is not None
    assert complaint.stage.acknowledged_on == TRIAGED


# ------------------------------------------------------------------- Stage 1
def test_stage1_deadline_is_ten_working_days_from_receipt() -> None:
    complaint = at_stage1()
    assert complaint.stage is not None
    assert complaint.stage.clock_from == RECEIVED
    assert complaint.stage_deadline(complaint.stage, POLICY) == STAGE1_DUE


def test_corporate_stage1_deadline_is_fifteen_working_days() -> None:
    # From Mon 11 May 2026: 26 May is day 10, 2 Jun day 15.
    complaint = at_stage1(procedure=CORPORATE)
    assert complaint.stage is not None
    assert complaint.stage_deadline(complaint.stage, POLICY) == date(2026, 6, 2)


def test_stage1_response_on_the_deadline_is_on_time() -> None:
    complaint = at_stage1()
    complaint.respond(on=STAGE1_DUE, actor=MANAGER, policy=POLICY, outcome="upheld")
    stage = complaint.stages[0]
    assert complaint.responded_on_time(stage, POLICY) is True
    assert complaint.working_days_to_response(stage, POLICY) == 10


def test_stage1_response_the_day_after_the_deadline_is_late() -> None:
    complaint = at_stage1()
    complaint.respond(on=date(2026, 5, 27), actor=MANAGER, policy=POLICY, outcome="upheld")
    stage = complaint.stages[0]
    assert complaint.responded_on_time(stage, POLICY) is False
    assert complaint.working_days_to_response(stage, POLICY) == 11


def test_responding_twice_is_refused() -> None:
    complaint = at_stage1()
    complaint.respond(on=STAGE1_RESPONSE, actor=MANAGER, policy=POLICY, outcome="upheld")
    with refused(complaint, errors.StageAlreadyResponded):
        complaint.respond(on=STAGE1_RESPONSE, actor=MANAGER, policy=POLICY, outcome="upheld")


def test_responding_to_the_wrong_stage_is_refused() -> None:
    complaint = at_stage1()
    with refused(complaint, errors.WrongStage):
        complaint.respond(
            on=STAGE1_RESPONSE, actor=MANAGER, policy=POLICY, outcome="upheld", stage=2
        )


def test_unknown_outcome_and_remedy_are_refused() -> None:
    complaint = at_stage1()
    with refused(complaint, errors.UnknownName):
        complaint.respond(on=STAGE1_RESPONSE, actor=MANAGER, policy=POLICY, outcome="sort-of")
    with refused(complaint, errors.UnknownName):
        complaint.respond(
            on=STAGE1_RESPONSE,
            actor=MANAGER,
            policy=POLICY,
            outcome="upheld",
            remedies=["a-nice-cake"],
        )


def test_stage1_extension_after_deadline_is_refused() -> None:
    complaint = at_stage1()
    with refused(complaint, errors.ExtensionAfterDeadline):
        complaint.extend(on=date(2026, 5, 27), actor=MANAGER, policy=POLICY, reason="complex")


def test_stage1_extension_on_the_deadline_day_is_allowed() -> None:
    complaint = at_stage1()
    complaint.extend(on=STAGE1_DUE, actor=MANAGER, policy=POLICY, reason="advocate needed")
    stage = complaint.stages[0]
    assert stage.working_days == 20
    assert stage.extensions == 1
    assert complaint.stage_deadline(stage, POLICY) == STAGE1_EXTENDED_DUE


def test_stage1_can_be_extended_only_once() -> None:
    complaint = at_stage1()
    complaint.extend(
        on=date(2026, 5, 20), actor=MANAGER, policy=POLICY, reason="complex", working_days=15
    )
    with refused(complaint, errors.AlreadyExtended):
        complaint.extend(on=date(2026, 5, 21), actor=MANAGER, policy=POLICY, reason="still complex")


def test_stage1_extension_beyond_20_working_days_is_refused() -> None:
    complaint = at_stage1()
    with refused(complaint, errors.ExtensionBeyondMaximum):
        complaint.extend(
            on=date(2026, 5, 20), actor=MANAGER, policy=POLICY, reason="complex", working_days=21
        )


def test_extension_that_does_not_lengthen_the_stage_is_refused() -> None:
    complaint = at_stage1()
    with refused(complaint, errors.ExtensionRefused):
        complaint.extend(
            on=date(2026, 5, 20), actor=MANAGER, policy=POLICY, reason="complex", working_days=10
        )


def test_extension_needs_a_reason() -> None:
    complaint = at_stage1()
    with refused(complaint, errors.BadData):
        complaint.extend(on=date(2026, 5, 20), actor=MANAGER, policy=POLICY, reason="  ")


def test_extension_makes_late_looking_response_on_time() -> None:
    # Fri 5 Jun 2026 is working day 18 after receipt: late against 10, on time against 20.
    response = date(2026, 6, 5)
    plain = at_stage1()
    plain.respond(on=response, actor=MANAGER, policy=POLICY, outcome="partly-upheld")
    assert plain.responded_on_time(plain.stages[0], POLICY) is False

    extended = at_stage1()
    extended.extend(on=date(2026, 5, 20), actor=MANAGER, policy=POLICY, reason="complex")
    extended.respond(on=response, actor=MANAGER, policy=POLICY, outcome="partly-upheld")
    stage = extended.stages[0]
    assert extended.response_deadline(stage, POLICY) == STAGE1_EXTENDED_DUE
    assert extended.responded_on_time(stage, POLICY) is True
    assert extended.working_days_to_response(stage, POLICY) == 18


# ---------------------------------------------------------------- suspension
def test_suspension_stops_the_clock() -> None:
    complaint = at_stage1()
    stage = complaint.stages[0]
    assert complaint.stage_deadline(stage, POLICY) == STAGE1_DUE
    # On hold from Mon 18 May, resumed Mon 25 May (a bank holiday): the five working
    # days 18-22 May do not count, so Tue 26 May moves on by five working days.
    complaint.suspend(on=date(2026, 5, 18), actor=TEAM, policy=POLICY, reason="police enquiry")
    assert complaint.is_suspended
    complaint.resume(on=date(2026, 5, 25), actor=TEAM, policy=POLICY)
    assert not complaint.is_suspended
    assert complaint.stage_deadline(stage, POLICY) == date(2026, 6, 2)
    complaint.respond(on=date(2026, 6, 2), actor=MANAGER, policy=POLICY, outcome="not-upheld")
    assert complaint.responded_on_time(stage, POLICY) is True
    assert complaint.working_days_to_response(stage, POLICY) == 10


def test_stage1_put_on_hold_on_its_last_day_has_no_deadline_until_resumed() -> None:
    """On hold from Tue 26 May, day 10: the hold's first day does not count, so while
    the case is on hold it has no deadline; resumed Wed 27 May, day 10 is that day."""
    complaint = at_stage1()
    stage = complaint.stages[0]
    complaint.suspend(on=STAGE1_DUE, actor=TEAM, policy=POLICY, reason="police enquiry")
    assert complaint.stage_deadline(stage, POLICY) is None
    complaint.resume(on=date(2026, 5, 27), actor=TEAM, policy=POLICY)
    assert complaint.stage_deadline(stage, POLICY) == date(2026, 5, 27)


def test_steps_that_need_the_clock_running_are_refused_while_on_hold() -> None:
    complaint = at_stage1()
    complaint.suspend(on=date(2026, 5, 18), actor=TEAM, policy=POLICY, reason="court")
    later = date(2026, 5, 19)
    with refused(complaint, errors.Suspended):
        complaint.respond(on=later, actor=MANAGER, policy=POLICY, outcome="upheld")
    with refused(complaint, errors.Suspended):
        complaint.extend(on=later, actor=MANAGER, policy=POLICY, reason="complex")
    with refused(complaint, errors.Suspended):
        complaint.suspend(on=later, actor=TEAM, policy=POLICY, reason="court again")


def test_resuming_a_case_not_on_hold_is_refused() -> None:
    complaint = at_stage1()
    with refused(complaint, errors.NotSuspended):
        complaint.resume(on=date(2026, 5, 18), actor=TEAM, policy=POLICY)


def test_suspension_needs_a_reason() -> None:
    complaint = at_stage1()
    with refused(complaint, errors.BadData):
        complaint.suspend(on=date(2026, 5, 18), actor=TEAM, policy=POLICY, reason=" ")


def test_no_deadline_is_given_while_the_case_is_on_hold() -> None:
    complaint = at_stage1()
    stage = complaint.stages[0]
    complaint.suspend(on=date(2026, 5, 18), actor=TEAM, policy=POLICY, reason="court")
    with time_limit(5):
        assert complaint.stage_deadline(stage, POLICY) is None
        assert complaint.response_deadline(stage, POLICY) is None
    complaint.resume(on=date(2026, 5, 25), actor=TEAM, policy=POLICY)
    assert complaint.stage_deadline(stage, POLICY) == date(2026, 6, 2)


def test_hold_starting_after_the_deadline_leaves_the_deadline_alone() -> None:
    complaint = at_stage1()
    complaint.suspend(on=date(2026, 5, 28), actor=TEAM, policy=POLICY, reason="court")
    with time_limit(5):
        assert complaint.stage_deadline(complaint.stages[0], POLICY) == STAGE1_DUE


def test_stage1_timeliness_can_be_judged_while_the_case_is_on_hold_at_stage2() -> None:
    # Regression: an open hold used to pause every later day, so the Stage 1 deadline
    # (nominally Tue 26 May) was never reached and the calculation never returned.
    complaint = at_stage1()
    complaint.respond(on=date(2026, 5, 13), actor=MANAGER, policy=POLICY, outcome="upheld")
    complaint.escalate(on=date(2026, 5, 14), actor=TEAM, policy=POLICY)
    complaint.suspend(on=date(2026, 5, 15), actor=TEAM, policy=POLICY, reason="court")
    stage1, stage2 = complaint.stages
    with time_limit(5):
        assert complaint.stage_deadline(stage1, POLICY) == STAGE1_DUE
        assert complaint.responded_on_time(stage1, POLICY) is True
        assert complaint.working_days_to_response(stage1, POLICY) == 2
        assert complaint.stage_deadline(stage2, POLICY) is None


def test_hold_after_a_response_does_not_move_that_stage_deadline() -> None:
    complaint = at_stage1()
    complaint.respond(on=date(2026, 5, 13), actor=MANAGER, policy=POLICY, outcome="upheld")
    complaint.escalate(on=date(2026, 5, 14), actor=TEAM, policy=POLICY)
    complaint.suspend(on=date(2026, 5, 15), actor=TEAM, policy=POLICY, reason="court")
    complaint.resume(on=date(2026, 6, 1), actor=TEAM, policy=POLICY)
    stage1, stage2 = complaint.stages
    assert complaint.stage_deadline(stage1, POLICY) == STAGE1_DUE
    # Stage 2 was requested Thu 14 May and was on hold from Fri 15 to Sun 31 May, so
    # Mon 1 Jun is its working day 1 and Fri 3 Jul its 25th.
    assert complaint.stage_deadline(stage2, POLICY) == date(2026, 7, 3)


def test_escalating_a_case_on_hold_is_refused() -> None:
    # Regression: this used to loop for ever computing the request window.
    complaint = at_stage1()
    complaint.respond(on=STAGE1_RESPONSE, actor=MANAGER, policy=POLICY, outcome="upheld")
    complaint.suspend(on=date(2026, 5, 26), actor=TEAM, policy=POLICY, reason="advocate")
    with time_limit(5), refused(complaint, errors.Suspended):
        complaint.escalate(on=date(2026, 5, 27), actor=TEAM, policy=POLICY)


def test_hold_after_a_response_lengthens_the_window_to_escalate() -> None:
    complaint = at_stage1()
    complaint.respond(on=STAGE1_RESPONSE, actor=MANAGER, policy=POLICY, outcome="upheld")
    # On hold Tue 26 May to Mon 1 Jun: four working days (26-29 May) do not count, so
    # the request window closes four working days after Mon 22 Jun, on Fri 26 Jun.
    complaint.suspend(on=date(2026, 5, 26), actor=TEAM, policy=POLICY, reason="advocate")
    complaint.resume(on=date(2026, 6, 1), actor=TEAM, policy=POLICY)
    with refused(complaint, errors.LateEscalation):
        complaint.escalate(on=date(2026, 6, 29), actor=TEAM, policy=POLICY)
    complaint.escalate(on=date(2026, 6, 26), actor=TEAM, policy=POLICY)
    assert complaint.stages[1].late_reason is None


# ------------------------------------------------------------------ escalation
def test_escalating_an_open_stage_is_refused() -> None:
    complaint = at_stage1()
    with refused(complaint, errors.StageStillOpen):
        complaint.escalate(on=STAGE1_RESPONSE, actor=TEAM, policy=POLICY)


def test_stage2_request_on_the_last_day_needs_no_reason() -> None:
    complaint = at_stage1()
    complaint.respond(on=STAGE1_RESPONSE, actor=MANAGER, policy=POLICY, outcome="upheld")
    complaint.escalate(on=STAGE2_REQUEST_BY, actor=TEAM, policy=POLICY)
    stage = complaint.stages[1]
    assert stage.number == 2
    assert stage.late_reason is None


def test_late_escalation_needs_a_reason() -> None:
    complaint = at_stage1()
    complaint.respond(on=STAGE1_RESPONSE, actor=MANAGER, policy=POLICY, outcome="upheld")
    late = date(2026, 6, 23)  # the day after the 20th working day
    with refused(complaint, errors.LateEscalation):
        complaint.escalate(on=late, actor=TEAM, policy=POLICY)
    complaint.escalate(
        on=late, actor=TEAM, policy=POLICY, late_reason="letter went to an old address"
    )
    stage = complaint.stages[1]
    assert stage.number == 2
    assert stage.late_reason == "letter went to an old address"
    assert stage.clock_from == late


def test_late_reason_is_not_recorded_for_an_in_time_request() -> None:
    complaint = at_stage1()
    complaint.respond(on=STAGE1_RESPONSE, actor=MANAGER, policy=POLICY, outcome="upheld")
    complaint.escalate(on=STAGE2_REQUESTED, actor=TEAM, policy=POLICY, late_reason="not late")
    assert complaint.stages[1].late_reason is None


def test_corporate_procedure_has_no_stage3() -> None:
    complaint = at_stage1(procedure=CORPORATE)
    complaint.respond(on=date(2026, 5, 29), actor=MANAGER, policy=POLICY, outcome="not-upheld")
    complaint.escalate(on=date(2026, 6, 1), actor=TEAM, policy=POLICY)
    stage = complaint.stages[1]
    assert stage.number == 2
    assert stage.working_days == 20
    # From Mon 1 Jun 2026, the 20th working day is Mon 29 Jun.
    assert complaint.stage_deadline(stage, POLICY) == date(2026, 6, 29)
    complaint.respond(on=date(2026, 6, 26), actor=MANAGER, policy=POLICY, outcome="not-upheld")
    with refused(complaint, errors.NoFurtherStage):
        complaint.escalate(on=date(2026, 6, 29), actor=TEAM, policy=POLICY)


def test_corporate_case_has_no_stage2_investigators() -> None:
    complaint = at_stage1(procedure=CORPORATE)
    with refused(complaint, errors.WrongStage):
        complaint.appoint(
            on=TRIAGED, actor=TEAM, policy=POLICY, role="investigating-officer", person="IO-1"
        )


def test_statutory_procedure_has_no_stage4() -> None:
    complaint = at_stage3()
    appoint_panel(complaint)
    complaint.hold_panel(on=date(2026, 9, 17), actor=TEAM, policy=POLICY)
    complaint.report_panel(on=date(2026, 9, 22), actor="panel-chair", policy=POLICY)
    complaint.respond(on=date(2026, 10, 9), actor="director", policy=POLICY, outcome="upheld")
    with refused(complaint, errors.NoFurtherStage):
        complaint.escalate(on=date(2026, 10, 12), actor=TEAM, policy=POLICY)


# ------------------------------------------------------------------- Stage 2
def test_stage2_deadline_runs_from_the_request() -> None:
    complaint = at_stage2()
    stage = complaint.stages[1]
    assert stage.clock_from == STAGE2_REQUESTED
    assert complaint.stage_deadline(stage, POLICY) == STAGE2_DUE


def test_stage2_may_be_extended_more_than_once_up_to_65_working_days() -> None:
    complaint = at_stage2()
    stage = complaint.stages[1]
    complaint.extend(
        on=date(2026, 7, 3), actor=MANAGER, policy=POLICY, reason="complex", working_days=40
    )
    assert complaint.stage_deadline(stage, POLICY) == date(2026, 7, 27)
    complaint.extend(on=date(2026, 7, 24), actor=MANAGER, policy=POLICY, reason="more evidence")
    assert stage.working_days == 65
    assert stage.extensions == 2
    assert complaint.stage_deadline(stage, POLICY) == date(2026, 9, 1)


def test_stage2_extension_beyond_65_working_days_is_refused() -> None:
    complaint = at_stage2()
    with refused(complaint, errors.ExtensionBeyondMaximum):
        complaint.extend(
            on=date(2026, 7, 3), actor=MANAGER, policy=POLICY, reason="complex", working_days=66
        )
    complaint.extend(on=date(2026, 7, 3), actor=MANAGER, policy=POLICY, reason="complex")
    with refused(complaint, errors.ExtensionBeyondMaximum):
        complaint.extend(
            on=date(2026, 7, 6), actor=MANAGER, policy=POLICY, reason="complex", working_days=70
        )


def test_stage2_extension_after_deadline_is_refused() -> None:
    complaint = at_stage2()
    with refused(complaint, errors.ExtensionAfterDeadline):
        complaint.extend(on=date(2026, 7, 7), actor=MANAGER, policy=POLICY, reason="complex")


def test_stage2_clock_from_statement_when_configured() -> None:
    statement_policy = ProcedurePolicy(today=TODAY, timescales=Timescales(stage2_clock="statement"))
    complaint = stage2_investigated(statement_policy)
    stage = complaint.stages[1]
    assert stage.clock_from == STAGE2_REQUESTED
    assert stage.statement_agreed_on == STATEMENT_AGREED
    assert complaint.stage_deadline(stage, POLICY) == STAGE2_DUE
    assert complaint.stage_deadline(stage, statement_policy) == date(2026, 7, 20)
    complaint.respond(
        on=date(2026, 7, 15), actor="director", policy=statement_policy, outcome="upheld"
    )
    # The same facts, judged on the two bases.
    assert complaint.responded_on_time(stage, statement_policy) is True
    assert complaint.responded_on_time(stage, POLICY) is False


def test_unknown_stage2_clock_basis_is_refused() -> None:
    with pytest.raises(errors.UnknownName):
        ProcedurePolicy(timescales=Timescales(stage2_clock="whenever"))


def test_independent_person_may_not_be_internal() -> None:
    complaint = at_stage2()
    on = date(2026, 6, 3)
    with refused(complaint, errors.IndependenceRule):
        complaint.appoint(
            on=on,
            actor=TEAM,
            policy=POLICY,
            role="independent-person",
            person="IP-1",
            internal=True,
        )
    # The Investigating Officer may be internal.
    complaint.appoint(
        on=on, actor=TEAM, policy=POLICY, role="investigating-officer", person="IO-1", internal=True
    )
    assert complaint.stages[1].appointments[0].internal is True


def test_panel_member_may_not_be_internal() -> None:
    complaint = at_stage3()
    with refused(complaint, errors.IndependenceRule):
        complaint.appoint(
            on=date(2026, 8, 12),
            actor=TEAM,
            policy=POLICY,
            role="panel-member",
            person="OFFICER-9",
            internal=True,
        )


def test_same_person_appointed_twice_at_a_stage_is_refused() -> None:
    complaint = stage2_investigated()
    with refused(complaint, errors.BadData):
        complaint.appoint(
            on=date(2026, 6, 16),
            actor=TEAM,
            policy=POLICY,
            role="investigating-officer",
            person="IP-7",
        )


def test_findings_before_the_statement_are_refused() -> None:
    complaint = at_stage2()
    with refused(complaint, errors.InvestigationRule):
        complaint.record_finding(
            on=date(2026, 6, 10), actor="IO-1", policy=POLICY, point=1, finding="upheld"
        )


def test_finding_for_a_point_not_in_the_statement_is_refused() -> None:
    complaint = stage2_investigated()  # two points
    with refused(complaint, errors.BadData):
        complaint.record_finding(
            on=date(2026, 7, 1), actor="IO-1", policy=POLICY, point=3, finding="upheld"
        )


def test_second_finding_on_a_point_is_refused() -> None:
    complaint = stage2_investigated()
    complaint.record_finding(
        on=date(2026, 7, 1), actor="IO-1", policy=POLICY, point=1, finding="upheld"
    )
    with refused(complaint, errors.InvestigationRule):
        complaint.record_finding(
            on=date(2026, 7, 1), actor="IO-1", policy=POLICY, point=1, finding="not-upheld"
        )


def test_statement_agreed_twice_is_refused() -> None:
    complaint = stage2_investigated()
    with refused(complaint, errors.InvestigationRule):
        complaint.agree_statement(on=date(2026, 6, 16), actor=TEAM, policy=POLICY, points=3)


# ------------------------------------------------------------------- Stage 3
def test_panel_before_stage3_request_is_refused() -> None:
    complaint = at_stage2()
    with refused(complaint, errors.PanelRule):
        complaint.hold_panel(on=date(2026, 6, 10), actor=TEAM, policy=POLICY)


def test_panel_appointed_before_stage3_is_refused() -> None:
    complaint = at_stage2()
    with refused(complaint, errors.WrongStage):
        complaint.appoint(
            on=date(2026, 6, 10), actor=TEAM, policy=POLICY, role="panel-chair", person="P-1"
        )


def test_stage2_independent_person_may_not_sit_on_panel() -> None:
    complaint = at_stage3()
    with refused(complaint, errors.IndependenceRule):
        complaint.appoint(
            on=date(2026, 8, 12), actor=TEAM, policy=POLICY, role="panel-member", person="IP-7"
        )
    with refused(complaint, errors.IndependenceRule):
        complaint.appoint(
            on=date(2026, 8, 12), actor=TEAM, policy=POLICY, role="panel-chair", person="IP-7"
        )


def test_stage2_investigating_officer_is_not_barred_like_the_independent_person() -> None:
    # The bar is on the Stage 2 Independent Person; the Stage 2 Investigating Officer
    # appointed (not as internal) to the panel is not refused by that rule.
    complaint = at_stage3()
    complaint.appoint(
        on=date(2026, 8, 12), actor=TEAM, policy=POLICY, role="panel-member", person="IO-1"
    )
    assert complaint.stages[2].appointments[0].person == "IO-1"


def test_panel_has_three_members_and_one_chair() -> None:
    complaint = at_stage3()
    on = date(2026, 8, 12)
    complaint.appoint(on=on, actor=TEAM, policy=POLICY, role="panel-chair", person="PANEL-1")
    with refused(complaint, errors.PanelRule):
        complaint.appoint(on=on, actor=TEAM, policy=POLICY, role="panel-chair", person="PANEL-2")
    complaint.appoint(on=on, actor=TEAM, policy=POLICY, role="panel-member", person="PANEL-2")
    with refused(complaint, errors.PanelRule):
        complaint.hold_panel(on=date(2026, 9, 17), actor=TEAM, policy=POLICY)
    complaint.appoint(on=on, actor=TEAM, policy=POLICY, role="panel-member", person="PANEL-3")
    with refused(complaint, errors.PanelRule):
        complaint.appoint(on=on, actor=TEAM, policy=POLICY, role="panel-member", person="PANEL-4")


def test_stage3_cannot_be_extended() -> None:
    complaint = at_stage3()
    with refused(complaint, errors.ExtensionRefused):
        complaint.extend(on=date(2026, 8, 11), actor=TEAM, policy=POLICY, reason="diaries")


def test_stage3_response_before_the_panel_is_refused() -> None:
    complaint = at_stage3()
    with refused(complaint, errors.PanelRule):
        complaint.respond(on=date(2026, 8, 20), actor="director", policy=POLICY, outcome="upheld")


def test_panel_report_before_the_panel_met_is_refused() -> None:
    complaint = at_stage3()
    with refused(complaint, errors.PanelRule):
        complaint.report_panel(on=date(2026, 8, 20), actor="panel-chair", policy=POLICY)


def test_stage3_response_in_time_after_a_late_panel_is_not_on_time() -> None:
    """The panel was due by Tue 22 Sep; it met Wed 23 Sep. The council's response on
    Fri 25 Sep is well before its own deadline, but Stage 3 is late because the panel was."""
    complaint = at_stage3()
    appoint_panel(complaint)
    complaint.hold_panel(on=date(2026, 9, 23), actor=TEAM, policy=POLICY)
    complaint.report_panel(on=date(2026, 9, 24), actor="panel-chair", policy=POLICY)
    complaint.respond(on=date(2026, 9, 25), actor="director", policy=POLICY, outcome="upheld")
    stage = complaint.stages[2]
    assert complaint.panel_on_time(stage, POLICY) is False
    assert stage.responded_on is not None
    deadline = complaint.response_deadline(stage, POLICY)
    assert deadline is not None and stage.responded_on <= deadline
    assert complaint.responded_on_time(stage, POLICY) is False


def test_stage3_response_in_time_after_a_late_panel_report_is_not_on_time() -> None:
    """The panel met Thu 17 Sep, so its report was due Thu 24 Sep; it came Fri 25 Sep."""
    complaint = at_stage3()
    appoint_panel(complaint)
    complaint.hold_panel(on=date(2026, 9, 17), actor=TEAM, policy=POLICY)
    complaint.report_panel(on=date(2026, 9, 25), actor="panel-chair", policy=POLICY)
    complaint.respond(on=date(2026, 9, 28), actor="director", policy=POLICY, outcome="upheld")
    stage = complaint.stages[2]
    assert complaint.panel_on_time(stage, POLICY) is True
    assert complaint.responded_on_time(stage, POLICY) is False


def test_stage3_with_every_step_in_time_is_on_time() -> None:
    complaint = at_stage3()
    appoint_panel(complaint)
    complaint.hold_panel(on=date(2026, 9, 17), actor=TEAM, policy=POLICY)
    complaint.report_panel(on=date(2026, 9, 24), actor="panel-chair", policy=POLICY)
    complaint.respond(on=date(2026, 9, 28), actor="director", policy=POLICY, outcome="upheld")
    assert complaint.responded_on_time(complaint.stages[2], POLICY) is True


def test_panel_meeting_twice_is_refused() -> None:
    complaint = at_stage3()
    appoint_panel(complaint)
    complaint.hold_panel(on=date(2026, 9, 17), actor=TEAM, policy=POLICY)
    with refused(complaint, errors.PanelRule):
        complaint.hold_panel(on=date(2026, 9, 18), actor=TEAM, policy=POLICY)
    with refused(complaint, errors.PanelRule):
        complaint.appoint(
            on=date(2026, 9, 18), actor=TEAM, policy=POLICY, role="panel-member", person="P-9"
        )


def test_stage3_deadlines_follow_the_panel_steps() -> None:
    complaint = at_stage3()
    stage = complaint.stages[2]
    assert stage.report_days == 5
    assert stage.response_days == 15
    assert complaint.stage_deadline(stage, POLICY) == date(2026, 9, 22)  # panel meets
    # Before the panel: the response is due 30 + 5 + 15 working days from the request.
    # 22 Sep + 5 = Tue 29 Sep; + 15 = Tue 20 Oct.
    assert complaint.response_deadline(stage, POLICY) == date(2026, 10, 20)
    appoint_panel(complaint)
    complaint.hold_panel(on=date(2026, 9, 17), actor=TEAM, policy=POLICY)
    assert complaint.stage_deadline(stage, POLICY) == date(2026, 9, 24)  # panel reports
    complaint.report_panel(on=date(2026, 9, 22), actor="panel-chair", policy=POLICY)
    assert complaint.stage_deadline(stage, POLICY) == date(2026, 10, 13)  # council responds
    assert complaint.response_deadline(stage, POLICY) == date(2026, 10, 13)


# ----------------------------------------------------------- withdrawal, ADR
def test_action_on_withdrawn_case_is_refused() -> None:
    complaint = at_stage1()
    complaint.withdraw(on=date(2026, 5, 15), actor=TEAM, policy=POLICY, reason="resolved")
    assert complaint.ended == "withdrawn"
    assert complaint.stages[0].withdrawn_on == date(2026, 5, 15)
    later = date(2026, 5, 18)
    with refused(complaint, errors.CaseEnded):
        complaint.respond(on=later, actor=MANAGER, policy=POLICY, outcome="upheld")
    with refused(complaint, errors.CaseEnded):
        complaint.extend(on=later, actor=MANAGER, policy=POLICY, reason="complex")
    with refused(complaint, errors.CaseEnded):
        complaint.escalate(on=later, actor=TEAM, policy=POLICY)
    with refused(complaint, errors.CaseEnded):
        complaint.withdraw(on=later, actor=TEAM, policy=POLICY)
    with refused(complaint, errors.CaseEnded):
        complaint.recommend(on=later, actor=TEAM, policy=POLICY)
    with refused(complaint, errors.CaseEnded):
        complaint.compensate(on=later, actor=TEAM, policy=POLICY, amount=Decimal("25.00"))


def test_withdrawal_before_triage_is_allowed() -> None:
    complaint = received()
    complaint.withdraw(on=TRIAGED, actor=TEAM, policy=POLICY)
    assert complaint.ended == "withdrawn"
    with refused(complaint, errors.CaseEnded):
        complaint.triage(on=TRIAGED, actor=TEAM, policy=POLICY, decision=STATUTORY)


def test_dispute_resolution_that_resolves_ends_the_case() -> None:
    complaint = at_stage1()
    complaint.respond(on=STAGE1_RESPONSE, actor=MANAGER, policy=POLICY, outcome="not-upheld")
    complaint.offer_dispute_resolution(
        on=date(2026, 5, 27), actor=TEAM, policy=POLICY, method="meeting"
    )
    with refused(complaint, errors.DisputeResolutionRule):
        complaint.offer_dispute_resolution(
            on=date(2026, 5, 27), actor=TEAM, policy=POLICY, method="mediation"
        )
    complaint.conclude_dispute_resolution(
        on=date(2026, 6, 3), actor=TEAM, policy=POLICY, resolved=True
    )
    assert complaint.ended == "resolved"
    with refused(complaint, errors.CaseEnded):
        complaint.escalate(on=date(2026, 6, 4), actor=TEAM, policy=POLICY)


# ------------------------------------------------------------ recommendations
def test_duplicate_recommendation_id_is_refused() -> None:
    complaint = at_stage1()
    on = date(2026, 5, 20)
    assert complaint.recommend(on=on, actor=MANAGER, policy=POLICY, recommendation_id="A") == "A"
    with refused(complaint, errors.DuplicateRecommendation):
        complaint.recommend(on=on, actor=MANAGER, policy=POLICY, recommendation_id="A")


def test_generated_recommendation_ids_skip_taken_ones() -> None:
    complaint = at_stage1()
    on = date(2026, 5, 20)
    assert complaint.recommend(on=on, actor=MANAGER, policy=POLICY, recommendation_id="R2") == "R2"
    assert complaint.recommend(on=on, actor=MANAGER, policy=POLICY) == "R3"
    assert complaint.recommend(on=on, actor=MANAGER, policy=POLICY) == "R4"


def test_recommendation_for_a_stage_not_reached_is_refused() -> None:
    complaint = at_stage1()
    with refused(complaint, errors.WrongStage):
        complaint.recommend(on=date(2026, 5, 20), actor=MANAGER, policy=POLICY, stage="2")


def test_ombudsman_recommendation_needs_a_decision() -> None:
    complaint = at_stage1()
    with refused(complaint, errors.OmbudsmanRule):
        complaint.recommend(on=date(2026, 5, 20), actor=TEAM, policy=POLICY, stage="ombudsman")
    complaint.open_ombudsman_enquiry(on=date(2026, 5, 20), actor=TEAM, policy=POLICY)
    with refused(complaint, errors.OmbudsmanRule):
        complaint.recommend(on=date(2026, 5, 21), actor=TEAM, policy=POLICY, stage="ombudsman")


def test_only_accepted_recommendation_can_be_completed() -> None:
    complaint = at_stage1()
    on = date(2026, 5, 20)
    for rec in ("R1", "R2"):
        complaint.recommend(on=on, actor=MANAGER, policy=POLICY, recommendation_id=rec)
    with refused(complaint, errors.RecommendationState):
        complaint.complete_recommendation(
            on=on, actor=MANAGER, policy=POLICY, recommendation_id="R1"
        )
    complaint.decide_recommendation(
        on=on, actor=MANAGER, policy=POLICY, recommendation_id="R2", accepted=False
    )
    with refused(complaint, errors.RecommendationState):
        complaint.complete_recommendation(
            on=on, actor=MANAGER, policy=POLICY, recommendation_id="R2"
        )
    complaint.decide_recommendation(
        on=on,
        actor=MANAGER,
        policy=POLICY,
        recommendation_id="R1",
        accepted=True,
        owner="CIC East",
        due=date(2026, 6, 30),
    )
    complaint.complete_recommendation(
        on=date(2026, 6, 1), actor=MANAGER, policy=POLICY, recommendation_id="R1", evidence="memo"
    )
    assert complaint.recommendations["R1"].status == "completed"
    assert complaint.recommendations["R2"].status == "rejected"
    with refused(complaint, errors.RecommendationState):
        complaint.complete_recommendation(
            on=date(2026, 6, 2), actor=MANAGER, policy=POLICY, recommendation_id="R1"
        )


def test_deciding_a_recommendation_twice_is_refused() -> None:
    complaint = at_stage1()
    on = date(2026, 5, 20)
    complaint.recommend(on=on, actor=MANAGER, policy=POLICY, recommendation_id="R1")
    complaint.decide_recommendation(
        on=on, actor=MANAGER, policy=POLICY, recommendation_id="R1", accepted=True
    )
    with refused(complaint, errors.RecommendationState):
        complaint.decide_recommendation(
            on=on, actor=MANAGER, policy=POLICY, recommendation_id="R1", accepted=False
        )


def test_unknown_recommendation_is_refused() -> None:
    complaint = at_stage1()
    with refused(complaint, errors.UnknownRecommendation):
        complaint.decide_recommendation(
            on=date(2026, 5, 20),
            actor=MANAGER,
            policy=POLICY,
            recommendation_id="R9",
            accepted=True,
        )


def test_action_due_before_the_decision_is_refused() -> None:
    complaint = at_stage1()
    on = date(2026, 5, 20)
    complaint.recommend(on=on, actor=MANAGER, policy=POLICY, recommendation_id="R1")
    with refused(complaint, errors.DateOutOfOrder):
        complaint.decide_recommendation(
            on=on,
            actor=MANAGER,
            policy=POLICY,
            recommendation_id="R1",
            accepted=True,
            due=date(2026, 5, 19),
        )


# ------------------------------------------------------------------- money
@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("250", Decimal("250.00")),
        ("1345.50", Decimal("1345.50")),
        (" 75.5 ", Decimal("75.50")),
        ("0.01", Decimal("0.01")),
    ],
)
def test_compensation_amount_parsing(text: str, amount: Decimal) -> None:
    parsed = parse_amount(text)
    assert parsed == amount
    assert str(parsed) == str(amount)
    assert parsed.as_tuple().exponent == -2


@pytest.mark.parametrize("text", ["-5", "0", "0.00", "abc", "1.234", "NaN", "Infinity", ""])
def test_compensation_amount_parsing_refuses_bad_amounts(text: str) -> None:
    with pytest.raises(errors.BadData):
        parse_amount(text)


def test_compensation_amount_parsing_refuses_absurdly_large_amounts_as_bad_data() -> None:
    with pytest.raises(errors.BadData):
        parse_amount("1e30")


def test_compensation_of_zero_is_refused() -> None:
    complaint = at_stage1()
    with refused(complaint, errors.BadData):
        complaint.compensate(on=date(2026, 5, 20), actor=MANAGER, policy=POLICY, amount=Decimal(0))


def test_compensation_in_fractions_of_a_penny_is_refused() -> None:
    complaint = at_stage1()
    with refused(complaint, errors.BadData):
        complaint.compensate(
            on=date(2026, 5, 20), actor=MANAGER, policy=POLICY, amount=Decimal("1.234")
        )


def test_compensation_of_a_penny_and_of_the_largest_payment_is_recorded() -> None:
    complaint = at_stage1()
    for amount in (Decimal("0.01"), Decimal("1.00"), LARGEST_PAYMENT):
        complaint.compensate(on=date(2026, 5, 20), actor=MANAGER, policy=POLICY, amount=amount)
    with refused(complaint, errors.BadData):
        complaint.compensate(
            on=date(2026, 5, 20),
            actor=MANAGER,
            policy=POLICY,
            amount=LARGEST_PAYMENT + Decimal("0.01"),
        )


def test_compensation_for_a_stage_not_reached_is_refused() -> None:
    complaint = at_stage1()
    with refused(complaint, errors.WrongStage):
        complaint.compensate(
            on=date(2026, 5, 20), actor=MANAGER, policy=POLICY, amount=Decimal("10"), stage="3"
        )


def test_compensation_before_triage_is_refused() -> None:
    complaint = received()
    with refused(complaint, errors.NotTriaged):
        complaint.compensate(on=TRIAGED, actor=MANAGER, policy=POLICY, amount=Decimal("10"))


def test_compensation_with_unknown_reason_is_refused() -> None:
    complaint = at_stage1()
    with refused(complaint, errors.UnknownName):
        complaint.compensate(
            on=date(2026, 5, 20),
            actor=MANAGER,
            policy=POLICY,
            amount=Decimal("10"),
            reason="goodwill-biscuits",
        )


# ---------------------------------------------------------------- Ombudsman
def test_ombudsman_decision_needs_enquiry() -> None:
    complaint = at_stage1()
    with refused(complaint, errors.OmbudsmanRule):
        complaint.record_ombudsman_decision(
            on=date(2026, 5, 20), actor=TEAM, policy=POLICY, decision="upheld"
        )
    with refused(complaint, errors.OmbudsmanRule):
        complaint.compensate(
            on=date(2026, 5, 20),
            actor=TEAM,
            policy=POLICY,
            amount=Decimal("100"),
            stage="ombudsman",
        )
    with refused(complaint, errors.OmbudsmanRule):
        complaint.comply_with_ombudsman(on=date(2026, 5, 20), actor=TEAM, policy=POLICY)


def test_second_open_ombudsman_enquiry_is_refused() -> None:
    complaint = at_stage1()
    complaint.open_ombudsman_enquiry(on=date(2026, 5, 20), actor=TEAM, policy=POLICY)
    with refused(complaint, errors.OmbudsmanRule):
        complaint.open_ombudsman_enquiry(on=date(2026, 5, 21), actor=TEAM, policy=POLICY)


def test_unknown_ombudsman_decision_is_refused() -> None:
    complaint = at_stage1()
    complaint.open_ombudsman_enquiry(on=date(2026, 5, 20), actor=TEAM, policy=POLICY)
    with refused(complaint, errors.UnknownName):
        complaint.record_ombudsman_decision(
            on=date(2026, 5, 21), actor=TEAM, policy=POLICY, decision="maladministration-ish"
        )


def test_satisfactory_remedy_by_the_council_is_recorded_only_on_an_upheld_decision() -> None:
    complaint = at_stage1()
    complaint.open_ombudsman_enquiry(on=date(2026, 5, 20), actor=TEAM, policy=POLICY)
    with refused(complaint, errors.OmbudsmanRule):
        complaint.record_ombudsman_decision(
            on=date(2026, 6, 20),
            actor=TEAM,
            policy=POLICY,
            decision="not-upheld",
            satisfactory_remedy=True,
        )
    complaint.record_ombudsman_decision(
        on=date(2026, 6, 20), actor=TEAM, policy=POLICY, decision="upheld", satisfactory_remedy=True
    )
    assert complaint.ombudsman[-1].satisfactory_remedy is True


def test_ombudsman_compliance_date_before_decision_is_refused() -> None:
    complaint = at_stage1()
    complaint.open_ombudsman_enquiry(on=date(2026, 5, 20), actor=TEAM, policy=POLICY)
    with refused(complaint, errors.DateOutOfOrder):
        complaint.record_ombudsman_decision(
            on=date(2026, 6, 20),
            actor=TEAM,
            policy=POLICY,
            decision="upheld",
            due=date(2026, 6, 19),
        )


def test_ombudsman_enquiry_allowed_on_a_withdrawn_case() -> None:
    # The complainant may go to the Ombudsman at any point.
    complaint = at_stage1()
    complaint.withdraw(on=date(2026, 5, 15), actor=TEAM, policy=POLICY)
    complaint.open_ombudsman_enquiry(
        on=date(2026, 6, 1), actor=TEAM, policy=POLICY, ombudsman_ref="26 001 234"
    )
    assert complaint.ombudsman[0].ombudsman_ref == "26 001 234"


# ----------------------------------------------------------------- amendments
def test_amendment_keeps_original_in_history() -> None:
    complaint = at_stage1(service_area="Children in Care", team="CIC East")
    complaint.collect_events()
    complaint.amend(
        on=date(2026, 5, 14),
        actor=TEAM,
        policy=POLICY,
        field="service-area",
        value="Fostering",
        reason="logged against the wrong service",
    )
    pending = complaint.pending_events
    assert len(pending) == 1
    event = pending[0]
    assert isinstance(event, Complaint.DetailAmended)
    assert event.field == "service-area"
    assert event.old == "Children in Care"
    assert event.new == "Fostering"
    assert event.reason == "logged against the wrong service"
    assert complaint.service_area == "Fostering"
    assert complaint.amendments[0].old == "Children in Care"


@pytest.mark.parametrize("field", ["team", "service-area"])
@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("CIC\x07East", "team contains a control character (U+0007)"),
        ("x" * 201, "is 201 characters long; a name has at most 200"),
    ],
)
def test_an_amended_team_or_service_area_is_checked_as_a_name(
    field: str, name: str, problem: str
) -> None:
    complaint = at_stage1(service_area="Children in Care", team="CIC East")
    pending = list(complaint.pending_events)
    with pytest.raises(errors.BadData) as info:
        complaint.amend(
            on=date(2026, 5, 14), actor=TEAM, policy=POLICY, field=field, value=name, reason="x"
        )
    assert complaint.pending_events == pending
    assert str(info.value).startswith(f"{field} ")
    assert problem.split(" ", 1)[1] in str(info.value)


def test_a_step_dated_today_is_accepted() -> None:
    assert received(on=TODAY).received_on == TODAY


def test_amendment_on_the_day_of_receipt_is_accepted() -> None:
    complaint = received(channel="email")
    complaint.amend(
        on=RECEIVED, actor=TEAM, policy=POLICY, field="channel", value="letter", reason="typo"
    )
    assert complaint.channel == "letter"


def test_amended_role_to_a_child_marks_the_complaint_as_direct_from_the_child() -> None:
    complaint = received(role="parent")
    assert not complaint.direct_from_child
    complaint.amend(
        on=TRIAGED,
        actor=TEAM,
        policy=POLICY,
        field="role",
        value="looked-after-child",
        reason="the child complained",
    )
    assert complaint.role == "looked-after-child"
    assert complaint.direct_from_child
    with refused(complaint, errors.UnknownName):
        complaint.amend(
            on=TRIAGED, actor=TEAM, policy=POLICY, field="role", value="uncle-bob", reason="x"
        )


def test_amended_reasons_are_checked_and_kept_once_each_in_order() -> None:
    complaint = received(reasons=["poor-communication"])
    complaint.amend(
        on=TRIAGED,
        actor=TEAM,
        policy=POLICY,
        field="reasons",
        value=["delays-in-service", "poor-communication", "delays-in-service"],
        reason="two reasons",
    )
    assert complaint.reasons == ["delays-in-service", "poor-communication"]
    with refused(complaint, errors.UnknownName):
        complaint.amend(
            on=TRIAGED, actor=TEAM, policy=POLICY, field="reasons", value=["moon"], reason="x"
        )


def test_receipt_date_amended_to_the_first_step_or_the_matters_date_is_accepted() -> None:
    complaint = received(matter_on=date(2026, 5, 4))
    complaint.triage(on=TRIAGED, actor=TEAM, policy=POLICY, decision=STATUTORY)
    complaint.amend(
        on=TRIAGED, actor=TEAM, policy=POLICY, field="received-on", value=TRIAGED, reason="a"
    )
    assert complaint.received_on == TRIAGED
    complaint.amend(
        on=TRIAGED,
        actor=TEAM,
        policy=POLICY,
        field="received-on",
        value=date(2026, 5, 4),
        reason="b",
    )
    assert complaint.received_on == date(2026, 5, 4)


def test_matter_amended_to_the_day_of_receipt_is_accepted() -> None:
    complaint = received()
    complaint.amend(
        on=TRIAGED, actor=TEAM, policy=POLICY, field="matter-on", value=RECEIVED, reason="a"
    )
    assert complaint.matter_on == RECEIVED


def test_amended_receipt_date_moves_the_stage1_clock_and_survives_replay() -> None:
    complaint = received()
    complaint.acknowledge(on=date(2026, 5, 13), actor=TEAM, policy=POLICY)
    complaint.amend(
        on=date(2026, 5, 13),
        actor=TEAM,
        policy=POLICY,
        field="received-on",
        value=date(2026, 5, 12),
        reason="email arrived after hours on 11 May; logged next day",
    )
    complaint.triage(on=date(2026, 5, 13), actor=TEAM, policy=POLICY, decision=STATUTORY)
    assert complaint.received_on == date(2026, 5, 12)
    # From Tue 12 May 2026: day 10 is Wed 27 May.
    assert complaint.stage_deadline(complaint.stages[0], POLICY) == date(2026, 5, 27)
    copy = replay(complaint.collect_events())
    assert copy.received_on == date(2026, 5, 12)
    assert copy.stages[0].clock_from == date(2026, 5, 12)
    assert copy.amendments[0].old == RECEIVED


def test_amendment_with_a_blank_reason_is_refused() -> None:
    complaint = at_stage1(channel="email")
    with refused(complaint, errors.AmendmentRule):
        complaint.amend(
            on=date(2026, 5, 14),
            actor=TEAM,
            policy=POLICY,
            field="channel",
            value="letter",
            reason="   ",
        )


def test_amendment_refusals() -> None:
    complaint = at_stage1(channel="email")
    on = date(2026, 5, 14)
    with refused(complaint, errors.AmendmentRule):
        complaint.amend(
            on=on, actor=TEAM, policy=POLICY, field="channel", value="letter", reason=""
        )
    with refused(complaint, errors.AmendmentRule):
        complaint.amend(
            on=on, actor=TEAM, policy=POLICY, field="channel", value="email", reason="same"
        )
    with refused(complaint, errors.UnknownName):
        complaint.amend(on=on, actor=TEAM, policy=POLICY, field="ref", value="X", reason="typo")
    with refused(complaint, errors.DateOutOfOrder):
        complaint.amend(
            on=on,
            actor=TEAM,
            policy=POLICY,
            field="received-on",
            value=date(2026, 5, 13),
            reason="after triage",
        )


def test_receipt_cannot_move_after_a_withdrawal() -> None:
    complaint = received()
    complaint.withdraw(on=date(2026, 5, 12), actor=TEAM, policy=POLICY)
    with refused(complaint, errors.DateOutOfOrder):
        complaint.amend(
            on=date(2026, 5, 20),
            actor=TEAM,
            policy=POLICY,
            field="received-on",
            value=date(2026, 5, 14),
            reason="wrong date typed",
        )


def test_receipt_cannot_move_before_the_matter() -> None:
    complaint = received(matter_on=date(2026, 5, 1))
    with refused(complaint, errors.DateOutOfOrder):
        complaint.amend(
            on=date(2026, 5, 11),
            actor=TEAM,
            policy=POLICY,
            field="received-on",
            value=date(2026, 4, 30),
            reason="wrong date typed",
        )


def test_matter_cannot_move_after_receipt() -> None:
    complaint = received(matter_on=date(2026, 5, 1))
    with refused(complaint, errors.DateOutOfOrder):
        complaint.amend(
            on=date(2026, 5, 11),
            actor=TEAM,
            policy=POLICY,
            field="matter-on",
            value=date(2026, 5, 12),
            reason="wrong date typed",
        )


# -------------------------------------------------------------- a whole case
def test_full_walk_through_stages_1_2_3_and_the_ombudsman() -> None:
    p = POLICY
    c = Complaint.receive(
        ref="CSC-2026-0042",
        on=RECEIVED,
        actor=TEAM,
        policy=p,
        channel="email",
        role="looked-after-child",
        service_area="Children in Care",
        team="CIC East",
        reasons=["poor-communication", "delays-in-service", "poor-communication"],
        matter_on=date(2026, 4, 20),
    )
    assert c.reasons == ["poor-communication", "delays-in-service"]
    assert c.direct_from_child

    # Stage 1: local resolution.
    c.acknowledge(on=date(2026, 5, 12), actor=TEAM, policy=p)
    c.triage(on=date(2026, 5, 13), actor=TEAM, policy=p, decision=STATUTORY)
    c.offer_advocate(on=date(2026, 5, 13), actor=TEAM, policy=p)
    c.answer_advocate_offer(on=date(2026, 5, 14), actor=TEAM, policy=p, accepted=True)
    s1 = c.stages[0]
    assert s1.acknowledged_on == date(2026, 5, 12)
    assert c.stage_deadline(s1, p) == STAGE1_DUE
    c.respond(
        on=STAGE1_RESPONSE,
        actor=MANAGER,
        policy=p,
        outcome="partly-upheld",
        remedies=["apology", "explanation"],
    )
    r1 = c.recommend(on=STAGE1_RESPONSE, actor=MANAGER, policy=p, theme="communication")
    assert r1 == "R1"
    assert c.responded_on_time(s1, p) is True
    assert c.working_days_to_response(s1, p) == 9

    # Stage 2: investigation.
    c.escalate(on=STAGE2_REQUESTED, actor=TEAM, policy=p)
    s2 = c.stages[1]
    assert c.stage_deadline(s2, p) == STAGE2_DUE
    c.acknowledge(on=date(2026, 6, 2), actor=TEAM, policy=p)
    c.appoint(
        on=date(2026, 6, 3),
        actor=TEAM,
        policy=p,
        role="investigating-officer",
        person="IO-1",
        internal=True,
    )
    c.appoint(on=date(2026, 6, 3), actor=TEAM, policy=p, role="independent-person", person="IP-7")
    c.agree_statement(on=STATEMENT_AGREED, actor=TEAM, policy=p, points=3)
    c.extend(on=date(2026, 7, 3), actor=MANAGER, policy=p, reason="complex", working_days=40)
    assert c.stage_deadline(s2, p) == date(2026, 7, 27)
    for point, finding in ((1, "upheld"), (2, "not-upheld"), (3, "unable-to-determine")):
        c.record_finding(on=date(2026, 7, 20), actor="IO-1", policy=p, point=point, finding=finding)
    c.recommend(
        on=date(2026, 7, 20),
        actor="IO-1",
        policy=p,
        recommendation_id="S2-1",
        theme="service-failure",
    )
    c.recommend(
        on=date(2026, 7, 20),
        actor="IO-1",
        policy=p,
        recommendation_id="S2-2",
        theme="policy-and-procedure",
    )
    c.respond(on=ADJUDICATION, actor="director", policy=p, outcome="partly-upheld", stage=2)
    assert c.responded_on_time(s2, p) is True
    c.decide_recommendation(
        on=ADJUDICATION,
        actor="director",
        policy=p,
        recommendation_id="S2-1",
        accepted=True,
        owner="CIC East",
        due=date(2026, 9, 30),
    )
    c.decide_recommendation(
        on=ADJUDICATION,
        actor="director",
        policy=p,
        recommendation_id="S2-2",
        accepted=False,
        reason="already policy",
    )
    c.compensate(
        on=ADJUDICATION,
        actor="director",
        policy=p,
        amount=parse_amount("250"),
        reason="time-and-trouble",
    )

    # Stage 3: review panel.
    c.escalate(on=date(2026, 8, 10), actor=TEAM, policy=p)
    s3 = c.stages[2]
    assert c.stage_deadline(s3, p) == date(2026, 9, 22)
    appoint_panel(c)
    c.hold_panel(on=date(2026, 9, 17), actor=TEAM, policy=p)
    c.record_finding(on=date(2026, 9, 17), actor="PANEL-1", policy=p, point=3, finding="upheld")
    c.report_panel(on=date(2026, 9, 22), actor="PANEL-1", policy=p)
    assert c.stage_deadline(s3, p) == date(2026, 10, 13)
    c.recommend(on=date(2026, 9, 22), actor="PANEL-1", policy=p, recommendation_id="P-1")
    c.respond(on=date(2026, 10, 9), actor="director", policy=p, outcome="upheld")
    assert c.responded_on_time(s3, p) is True
    c.decide_recommendation(
        on=date(2026, 10, 9),
        actor="director",
        policy=p,
        recommendation_id="P-1",
        accepted=True,
        owner="Quality Assurance",
        due=date(2026, 11, 30),
    )
    c.complete_recommendation(
        on=date(2026, 10, 12),
        actor="CIC East",
        policy=p,
        recommendation_id="S2-1",
        evidence="new contact log in use",
    )
    with refused(c, errors.NoFurtherStage):
        c.escalate(on=date(2026, 10, 12), actor=TEAM, policy=p)

    # The Ombudsman.
    c.open_ombudsman_enquiry(on=date(2026, 10, 19), actor=TEAM, policy=p, ombudsman_ref="26 001")
    c.record_ombudsman_decision(
        on=date(2026, 11, 16),
        actor=TEAM,
        policy=p,
        decision="upheld",
        remedies=["apology", "financial-remedy"],
        due=date(2026, 12, 14),
    )
    c.compensate(
        on=date(2026, 11, 16), actor=TEAM, policy=p, amount=parse_amount("300"), reason="distress"
    )
    c.recommend(
        on=date(2026, 11, 16), actor=TEAM, policy=p, recommendation_id="O-1", stage="ombudsman"
    )
    c.comply_with_ombudsman(on=date(2026, 11, 20), actor=TEAM, policy=p)

    # What the case now says.
    assert [s.number for s in c.stages] == [1, 2, 3]
    assert [s.outcome for s in c.stages] == ["partly-upheld", "partly-upheld", "upheld"]
    assert s1.remedies == ["apology", "explanation"]
    assert s2.findings == {1: "upheld", 2: "not-upheld", 3: "unable-to-determine"}
    assert s2.statement_agreed_on == STATEMENT_AGREED
    assert s3.findings == {3: "upheld"}
    assert [a.person for a in s3.appointments] == ["PANEL-1", "PANEL-2", "PANEL-3"]
    assert {r.id: r.status for r in c.recommendations.values()} == {
        "R1": "made",
        "S2-1": "completed",
        "S2-2": "rejected",
        "P-1": "accepted",
        "O-1": "made",
    }
    assert c.recommendations["R1"].stage == "1"
    assert c.recommendations["P-1"].stage == "3"
    assert c.recommendations["O-1"].stage == "ombudsman"
    assert [(pay.stage, pay.amount) for pay in c.payments] == [
        ("2", Decimal("250.00")),
        ("ombudsman", Decimal("300.00")),
    ]
    assert sum(pay.amount for pay in c.payments) == Decimal("550.00")
    enquiry = c.ombudsman[0]
    assert enquiry.decision == "upheld"
    assert enquiry.remedies == ["apology", "financial-remedy"]
    assert enquiry.complied_on == date(2026, 11, 20)
    assert enquiry.complied_on <= enquiry.due  # type: ignore[operator]
    assert c.advocate_offered_on == date(2026, 5, 13)
    assert c.advocate_accepted is True
    assert c.ended is None

    # The history replays to the same case, without re-running any rule.
    events = c.collect_events()
    assert all(isinstance(e, Complaint.Event) for e in events)
    assert events[0].originator_version == 1
    assert [e.originator_version for e in events] == list(range(1, len(events) + 1))
    copy = replay(events)
    assert copy.version == c.version
    assert copy.ref == "CSC-2026-0042"
    assert [s.outcome for s in copy.stages] == [s.outcome for s in c.stages]
    assert copy.stages[1].findings == s2.findings
    assert {k: r.status for k, r in copy.recommendations.items()} == {
        k: r.status for k, r in c.recommendations.items()
    }
    assert copy.payments == c.payments
    assert copy.ombudsman == c.ombudsman
    assert copy.responded_on_time(copy.stages[2], p) is True


def test_a_rejected_recommendation_has_no_owner_or_due_date() -> None:
    complaint = at_stage1()
    complaint.recommend(on=date(2026, 5, 20), actor=TEAM, policy=POLICY)
    with refused(complaint, errors.RecommendationState):
        complaint.decide_recommendation(
            on=date(2026, 5, 21),
            actor=TEAM,
            policy=POLICY,
            recommendation_id="R1",
            accepted=False,
            owner="Locality North",
        )
