"""What receipt, a correction and a voiding record, as the projections and the history
read it: each detail given is the one recorded, on the event and on the case's state,
and a correction is checked as the detail it corrects. Dates as in
``test_complaint_rules`` (2026; "today" is Monday 23 November 2026).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain import errors
from domain.complaint import Complaint
from domain.procedure import ProcedurePolicy
from domain.registers import SERVICE_AREA, TEAM, Register, RegisterEntry
from domain.state import Amendment
from tests.domain.test_complaint_rules import (
    MANAGER,
    POLICY,
    RECEIVED,
    STAGE1_DUE,
    TODAY,
    TRIAGED,
    at_stage1,
    received,
    refused,
    replay,
)
from tests.domain.test_complaint_rules import TEAM as ACTOR

REGISTERS = ProcedurePolicy(
    today=TODAY,
    teams=Register(
        TEAM,
        (
            RegisterEntry("Children in Need", aliases=("CIN",)),
            RegisterEntry("Duty and Assessment", valid_until=date(2026, 5, 10)),
            RegisterEntry("Front Door", valid_from=date(2026, 5, 11)),
        ),
    ),
    service_areas=Register(
        SERVICE_AREA,
        (
            RegisterEntry("Children's Social Care", aliases=("CSC",)),
            RegisterEntry("Early Help", valid_from=date(2026, 6, 1)),
        ),
    ),
)


# --------------------------------------------------------------------- receipt
def test_receipt_records_every_detail_given_on_the_event_and_the_case() -> None:
    complaint = received(
        channel="email",
        role="parent",
        reasons=["poor-communication", "poor-communication"],
        matter_on=date(2026, 4, 1),
        from_feedback="FB-12",
    )
    (event,) = complaint.pending_events
    assert isinstance(event, Complaint.Received)
    assert (event.actor, event.role, event.channel) == (ACTOR, "parent", "email")
    assert event.from_feedback == "FB-12"
    assert event.direct_from_child is False
    assert event.reasons == ["poor-communication"]
    for case in (complaint, replay(complaint.pending_events)):
        assert (case.role, case.channel, case.from_feedback) == ("parent", "email", "FB-12")
        assert case.reasons == ["poor-communication"]
        assert case.matter_on == date(2026, 4, 1)


def test_a_case_not_yet_triaged_has_no_triage_day() -> None:
    # The projections store it as a date column: nothing, not an empty value.
    assert received().triaged_on is None
    assert at_stage1().triaged_on == TRIAGED


def test_receipt_records_the_service_area_and_team_in_use_on_the_day_received() -> None:
    complaint = received(policy=REGISTERS, service_area="csc", team="cin")
    (event,) = complaint.pending_events
    assert isinstance(event, Complaint.Received)
    assert (event.service_area, event.team) == ("Children's Social Care", "Children in Need")
    with refused(complaint, errors.UnknownServiceArea):
        received(policy=REGISTERS, service_area="Early Help")
    assert received(policy=REGISTERS, on=date(2026, 6, 1), service_area="Early Help")
    with refused(complaint, errors.UnknownTeam):
        received(policy=REGISTERS, team="Duty and Assessment")
    assert received(policy=REGISTERS, on=date(2026, 5, 10), team="Duty and Assessment")


# --------------------------------------------------------------------- corrections
def amended(
    complaint: Complaint, field: str, value: object, policy: ProcedurePolicy = POLICY
) -> Complaint.DetailAmended:
    complaint.amend(
        on=date(2026, 6, 1), actor="officer", policy=policy, field=field, value=value, reason="typo"
    )
    event = complaint.pending_events[-1]
    assert isinstance(event, Complaint.DetailAmended)
    return event


def test_a_correction_records_who_what_and_why_and_is_kept_on_the_case() -> None:
    complaint = received(channel="email")
    event = amended(complaint, "channel", "telephone")
    assert (event.on, event.actor, event.field) == (date(2026, 6, 1), "officer", "channel")
    assert (event.old, event.new, event.reason) == ("email", "telephone", "typo")
    expected = [Amendment(date(2026, 6, 1), "channel", "email", "telephone", "typo")]
    for case in (complaint, replay(complaint.pending_events)):
        assert case.channel == "telephone"
        assert case.amendments == expected


def test_corrected_reasons_are_the_cases_own_list_not_the_recorded_events() -> None:
    complaint = received(reasons=["poor-communication"])
    event = amended(
        complaint, "reasons", ["delays-in-service", "delays-in-service", "poor-communication"]
    )
    assert event.new == ["delays-in-service", "poor-communication"]
    assert complaint.reasons == ["delays-in-service", "poor-communication"]
    assert complaint.reasons is not event.new
    complaint.reasons.append("other")
    assert event.new == ["delays-in-service", "poor-communication"]


def test_correcting_a_channel_or_reason_to_an_unknown_name_is_refused() -> None:
    complaint = received(channel="email")
    with refused(complaint, errors.UnknownName):
        amended(complaint, "channel", "pigeon")
    with refused(complaint, errors.UnknownName):
        amended(complaint, "role", "neighbour")
    with refused(complaint, errors.UnknownName):
        amended(complaint, "reasons", ["weather"])


def test_a_corrected_team_or_service_area_is_its_register_name_on_the_day_received() -> None:
    complaint = received(policy=REGISTERS, team="Front Door", service_area="CSC")
    assert amended(complaint, "team", "cin", REGISTERS).new == "Children in Need"
    with refused(complaint, errors.AmendmentRule):
        amended(complaint, "service-area", "children's  social care", REGISTERS)
    # Judged on the day received (11 May), not the day of the correction (1 June).
    with refused(complaint, errors.UnknownTeam):
        amended(complaint, "team", "Duty and Assessment", REGISTERS)
    with refused(complaint, errors.UnknownServiceArea):
        amended(complaint, "service-area", "Early Help", REGISTERS)
    with refused(complaint, errors.UnknownTeam):
        amended(complaint, "team", "Nobody Team", REGISTERS)


def test_moving_receipt_of_a_triaged_case_moves_its_stage1_clock() -> None:
    complaint = at_stage1()
    stage = complaint.stages[0]
    assert complaint.stage_deadline(stage, POLICY) == STAGE1_DUE
    amended(complaint, "received-on", date(2026, 5, 8))
    # From Fri 8 May 2026 the 10th working day is Fri 22 May.
    for case in (complaint, replay(complaint.pending_events)):
        assert case.received_on == date(2026, 5, 8)
        assert case.stages[0].clock_from == date(2026, 5, 8)
        assert case.stage_deadline(case.stages[0], POLICY) == date(2026, 5, 22)


def test_correcting_another_detail_of_a_triaged_case_leaves_its_clock_alone() -> None:
    complaint = at_stage1(channel="email")
    amended(complaint, "channel", "telephone")
    assert complaint.stages[0].clock_from == RECEIVED
    assert complaint.stage_deadline(complaint.stages[0], POLICY) == STAGE1_DUE


def test_receipt_cannot_move_past_an_advocate_offer_or_the_start_of_a_hold() -> None:
    complaint = received()
    complaint.offer_advocate(on=date(2026, 5, 12), actor=ACTOR, policy=POLICY)
    with refused(complaint, errors.DateOutOfOrder):
        amended(complaint, "received-on", date(2026, 5, 13))
    amended(complaint, "received-on", date(2026, 5, 12))

    complaint = received()
    complaint.suspend(
        on=date(2026, 5, 12), actor=ACTOR, policy=POLICY, reason="ill", until=date(2026, 5, 15)
    )
    with refused(complaint, errors.DateOutOfOrder):
        amended(complaint, "received-on", date(2026, 5, 13))


# --------------------------------------------------------------------- voiding
def test_a_voiding_records_who_voided_which_kind_of_step_and_why() -> None:
    complaint = at_stage1()
    complaint.compensate(on=date(2026, 5, 20), actor=MANAGER, policy=POLICY, amount=Decimal(50))
    version = complaint.version
    complaint.void(
        on=date(2026, 5, 21), actor="auditor", policy=POLICY, version=version, reason="duplicate"
    )
    event = complaint.pending_events[-1]
    assert isinstance(event, Complaint.StepVoided)
    assert (event.on, event.actor, event.voided_version) == (date(2026, 5, 21), "auditor", version)
    assert (event.voided_type, event.reason) == ("CompensationAgreed", "duplicate")
    assert complaint.payments == []


# --------------------------------------------------------------------- stages named
def test_naming_a_stage_on_a_case_not_yet_triaged_is_refused() -> None:
    complaint = received()
    with refused(complaint, errors.NotTriaged):
        complaint.recommend(on=date(2026, 5, 20), actor=MANAGER, policy=POLICY, stage="1")
    with refused(complaint, errors.NotTriaged):
        complaint.compensate(
            on=date(2026, 5, 20), actor=MANAGER, policy=POLICY, amount=Decimal(50), stage="1"
        )
