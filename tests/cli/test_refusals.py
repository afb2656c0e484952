"""Every refusal the procedure demands, one test each, driven through the CLI.

Each refused command must exit 1 with a one-line ``Error: ... [rule]`` on stderr,
print nothing on stdout and leave the case's history exactly as it was (the
``unchanged`` fixture checks all of that). Dates are in 2024, where the statutory
Stage 1 deadline of a complaint received on Wednesday 1 May 2024 is Thursday 16 May
(10 working days; Monday 6 May is a bank holiday).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.cli.conftest import Complaints

Unchanged = Callable[..., None]

RECEIVED = "2024-05-01"


def statutory_case(complaints: Complaints, ref: str = "CSC-TEST-1") -> str:
    """A statutory case received (and triaged) on 1 May 2024, Stage 1 open."""
    return complaints.ok("receive", "--ref", ref, "--on", RECEIVED, "--procedure", "statutory")


def at_stage2(complaints: Complaints, ref: str = "CSC-TEST-2") -> str:
    """A statutory case whose Stage 2 was requested on Monday 13 May 2024."""
    statutory_case(complaints, ref)
    complaints.ok("respond", ref, "--on", "2024-05-10", "--outcome", "not-upheld")
    complaints.ok("escalate", ref, "--on", "2024-05-13")
    return ref


# ------------------------------------------------------------------ cases and dates
def test_action_on_an_unknown_case_is_refused(complaints: Complaints) -> None:
    result = complaints.refused("acknowledge", "CSC-2024-9999", "--on", RECEIVED)
    assert "[unknown-case]" in result.stderr
    history = complaints.refused("history", "CSC-2024-9999")
    assert "[unknown-case]" in history.stderr
    complaints.refused("show", "CSC-2024-9999")


def test_step_dated_before_receipt_is_refused(complaints: Complaints, unchanged: Unchanged) -> None:
    ref = statutory_case(complaints)
    unchanged(ref, "acknowledge", ref, "--on", "2024-04-30", rule="date-order")


def test_response_dated_before_the_recorded_acknowledgement_of_its_stage_is_refused(
    complaints: Complaints, unchanged: Unchanged
) -> None:
    ref = statutory_case(complaints)
    complaints.ok("acknowledge", ref, "--on", "2024-05-03")
    unchanged(
        ref, "respond", ref, "--on", "2024-05-02", "--outcome", "upheld", rule="breaks-later-step"
    )


def test_step_dated_in_the_future_is_refused(complaints: Complaints, unchanged: Unchanged) -> None:
    ref = statutory_case(complaints)
    unchanged(ref, "acknowledge", ref, "--on", "2099-01-01", rule="date-order")


def test_receipt_dated_in_the_future_is_refused(complaints: Complaints) -> None:
    result = complaints.refused("receive", "--on", "2099-01-01")
    assert "[date-order]" in result.stderr
    assert complaints.ok("receive", "--on", "2024-05-01") == "CSC-2024-0001"


@pytest.mark.parametrize(
    "bad", ["2024-13-01", "yesterday", "2023-02-29", "2024/05/01", "31/04/2024"]
)
def test_malformed_or_impossible_date_is_bad_data_not_a_usage_error(
    complaints: Complaints, unchanged: Unchanged, bad: str
) -> None:
    ref = statutory_case(complaints)
    unchanged(ref, "acknowledge", ref, "--on", bad, rule="bad-data")


# ---------------------------------------------------------------------- triage
def test_respond_before_triage_is_refused(complaints: Complaints, unchanged: Unchanged) -> None:
    ref = complaints.ok("receive", "--ref", "CSC-TEST-3", "--on", RECEIVED)
    unchanged(ref, "respond", ref, "--on", "2024-05-10", "--outcome", "upheld", rule="not-triaged")


def test_unknown_triage_decision_is_refused(complaints: Complaints, unchanged: Unchanged) -> None:
    ref = complaints.ok("receive", "--ref", "CSC-TEST-3", "--on", RECEIVED)
    unchanged(
        ref, "triage", ref, "--on", "2024-05-02", "--decision", "maybe", rule="unknown-name", code=2
    )


def test_complaint_over_a_year_late_needs_a_late_reason_at_triage(
    complaints: Complaints, unchanged: Unchanged
) -> None:
    ref = complaints.ok(
        "receive", "--ref", "CSC-TEST-4", "--on", RECEIVED, "--matter-on", "2023-04-01"
    )
    unchanged(
        ref,
        "triage",
        ref,
        "--on",
        "2024-05-02",
        "--decision",
        "statutory",
        rule="one-year-time-limit",
    )
    complaints.ok(
        "triage",
        ref,
        "--on",
        "2024-05-02",
        "--decision",
        "statutory",
        "--late-reason",
        "complainant was in hospital",
    )
    stage = complaints.json("show", ref)["stages"][0]
    assert stage["late_reason"] == "complainant was in hospital"


def test_redirected_case_accepts_no_further_steps(
    complaints: Complaints, unchanged: Unchanged
) -> None:
    ref = complaints.ok("receive", "--ref", "CSC-TEST-5", "--on", RECEIVED)
    complaints.ok(
        "triage", ref, "--on", "2024-05-02", "--decision", "not-a-complaint", "--reason", "LADO"
    )
    unchanged(
        ref, "triage", ref, "--on", "2024-05-03", "--decision", "statutory", rule="case-ended"
    )
    unchanged(ref, "acknowledge", ref, "--on", "2024-05-03", rule="case-ended")


# ---------------------------------------------------------------------- stages
def test_escalating_an_open_stage_is_refused(complaints: Complaints, unchanged: Unchanged) -> None:
    ref = statutory_case(complaints)
    unchanged(ref, "escalate", ref, "--on", "2024-05-10", rule="stage-still-open")


def test_corporate_procedure_has_no_stage_3(complaints: Complaints, unchanged: Unchanged) -> None:
    ref = complaints.ok("receive", "--ref", "CORP-1", "--on", RECEIVED, "--procedure", "corporate")
    complaints.ok("respond", ref, "--on", "2024-05-10", "--outcome", "not-upheld")
    complaints.ok("escalate", ref, "--on", "2024-05-13")
    complaints.ok("respond", ref, "--on", "2024-06-03", "--outcome", "not-upheld", "--stage", "2")
    unchanged(ref, "escalate", ref, "--on", "2024-06-05", rule="no-further-stage")


def test_respond_naming_the_wrong_stage_is_refused(
    complaints: Complaints, unchanged: Unchanged
) -> None:
    ref = statutory_case(complaints)
    unchanged(
        ref,
        "respond",
        ref,
        "--on",
        "2024-05-10",
        "--outcome",
        "upheld",
        "--stage",
        "2",
        rule="wrong-stage",
    )


def test_unknown_outcome_is_refused(complaints: Complaints, unchanged: Unchanged) -> None:
    ref = statutory_case(complaints)
    unchanged(
        ref,
        "respond",
        ref,
        "--on",
        "2024-05-10",
        "--outcome",
        "brilliant",
        rule="unknown-name",
        code=2,
    )


def test_late_escalation_needs_a_late_reason(complaints: Complaints, unchanged: Unchanged) -> None:
    ref = statutory_case(complaints)
    complaints.ok("respond", ref, "--on", "2024-05-10", "--outcome", "not-upheld")
    # 20 working days after Friday 10 May 2024 (27 May a bank holiday): Monday 10 June.
    unchanged(ref, "escalate", ref, "--on", "2024-06-11", rule="escalation-time-limit")
    complaints.ok("escalate", ref, "--on", "2024-06-11", "--late-reason", "advocate on leave")
    state = complaints.json("show", ref)
    assert state["status"] == "stage2-open"
    assert state["stages"][1]["late_reason"] == "advocate on leave"


def test_escalation_on_the_last_day_needs_no_late_reason(complaints: Complaints) -> None:
    ref = statutory_case(complaints)
    complaints.ok("respond", ref, "--on", "2024-05-10", "--outcome", "not-upheld")
    complaints.ok("escalate", ref, "--on", "2024-06-10")
    assert complaints.json("show", ref)["stages"][1]["late_reason"] is None


def test_panel_before_a_stage_3_request_is_refused(
    complaints: Complaints, unchanged: Unchanged
) -> None:
    ref = at_stage2(complaints)
    complaints.ok("respond", ref, "--on", "2024-06-03", "--outcome", "upheld", "--stage", "2")
    unchanged(ref, "panel", ref, "--on", "2024-06-05", rule="review-panel")


def test_respond_while_on_hold_is_refused(complaints: Complaints, unchanged: Unchanged) -> None:
    ref = statutory_case(complaints)
    complaints.ok("suspend", ref, "--on", "2024-05-07", "--reason", "police investigation")
    unchanged(ref, "respond", ref, "--on", "2024-05-10", "--outcome", "upheld", rule="case-on-hold")


# ------------------------------------------------------------------ extensions
def test_extension_after_the_deadline_is_refused(
    complaints: Complaints, unchanged: Unchanged
) -> None:
    ref = statutory_case(complaints)
    # Deadline Thursday 16 May 2024; the day after is too late.
    unchanged(
        ref,
        "extend",
        ref,
        "--on",
        "2024-05-17",
        "--reason",
        "complex",
        rule="extension-after-deadline",
    )


def test_extension_on_the_deadline_is_allowed(complaints: Complaints) -> None:
    ref = statutory_case(complaints)
    complaints.ok("extend", ref, "--on", "2024-05-16", "--reason", "complex")
    assert complaints.json("show", ref)["stages"][0]["working_days"] == 20


def test_extension_beyond_the_stage_maximum_is_refused(
    complaints: Complaints, unchanged: Unchanged
) -> None:
    ref = at_stage2(complaints)
    unchanged(
        ref,
        "extend",
        ref,
        "--on",
        "2024-05-20",
        "--reason",
        "complex",
        "--working-days",
        "70",
        rule="extension-maximum",
    )
    complaints.ok(
        "extend", ref, "--on", "2024-05-20", "--reason", "complex", "--working-days", "65"
    )


def test_second_stage_1_extension_is_refused(complaints: Complaints, unchanged: Unchanged) -> None:
    ref = statutory_case(complaints)
    complaints.ok("extend", ref, "--on", "2024-05-10", "--reason", "complex")
    unchanged(
        ref,
        "extend",
        ref,
        "--on",
        "2024-05-13",
        "--reason",
        "still complex",
        rule="single-stage1-extension",
    )


# ------------------------------------------------------------------ ended cases
def test_withdrawn_case_accepts_no_further_steps(
    complaints: Complaints, unchanged: Unchanged
) -> None:
    ref = statutory_case(complaints)
    complaints.ok("withdraw", ref, "--on", "2024-05-08")
    unchanged(ref, "respond", ref, "--on", "2024-05-10", "--outcome", "upheld", rule="case-ended")
    unchanged(ref, "withdraw", ref, "--on", "2024-05-10", rule="case-ended")


def test_case_resolved_by_dispute_resolution_accepts_no_further_steps(
    complaints: Complaints, unchanged: Unchanged
) -> None:
    ref = statutory_case(complaints)
    complaints.ok("adr", "offer", ref, "--on", "2024-05-03", "--method", "mediation")
    complaints.ok("adr", "result", ref, "--on", "2024-05-09", "--resolved")
    unchanged(ref, "respond", ref, "--on", "2024-05-10", "--outcome", "upheld", rule="case-ended")


# -------------------------------------------------------------- names and data
def test_unknown_channel_on_receipt_is_refused_and_writes_nothing(
    complaints: Complaints,
) -> None:
    result = complaints.refused("receive", "--on", RECEIVED, "--channel", "carrier-pigeon", code=2)
    assert "[unknown-name]" in result.stderr
    # Nothing was written, not even the reference number: the next one is still 0001.
    assert complaints.ok("receive", "--on", RECEIVED) == "CSC-2024-0001"


def test_duplicate_reference_is_refused(complaints: Complaints, unchanged: Unchanged) -> None:
    ref = statutory_case(complaints, "LA/2024/17")
    unchanged(
        ref,
        "receive",
        "--ref",
        ref,
        "--on",
        "2024-05-02",
        "--procedure",
        "corporate",
        rule="duplicate-reference",
    )


@pytest.mark.parametrize("amount", ["-5", "0", "0.00", "ten", "12.345"])
def test_amount_not_a_positive_sum_in_pence_is_refused(
    complaints: Complaints, unchanged: Unchanged, amount: str
) -> None:
    ref = statutory_case(complaints)
    unchanged(ref, "compensate", ref, "--on", "2024-05-10", "--amount", amount, rule="bad-data")


def test_duplicate_recommendation_id_is_refused(
    complaints: Complaints, unchanged: Unchanged
) -> None:
    ref = statutory_case(complaints)
    complaints.ok("recommend", ref, "--on", "2024-05-10", "--text", "Call back", "--id", "A")
    unchanged(
        ref,
        "recommend",
        ref,
        "--on",
        "2024-05-10",
        "--text",
        "Write back",
        "--id",
        "A",
        rule="duplicate-recommendation",
    )


def test_completing_a_recommendation_not_accepted_is_refused(
    complaints: Complaints, unchanged: Unchanged
) -> None:
    ref = statutory_case(complaints)
    complaints.ok("recommend", ref, "--on", "2024-05-10", "--text", "Call back")
    unchanged(
        ref,
        "recommendation",
        "complete",
        ref,
        "R1",
        "--on",
        "2024-05-20",
        rule="recommendation-state",
    )
    complaints.ok("recommendation", "reject", ref, "R1", "--on", "2024-05-21")
    unchanged(
        ref,
        "recommendation",
        "complete",
        ref,
        "R1",
        "--on",
        "2024-05-22",
        rule="recommendation-state",
    )


# ------------------------------------------------------------ independence rules
def test_independent_person_who_is_a_council_officer_is_refused(
    complaints: Complaints, unchanged: Unchanged
) -> None:
    ref = at_stage2(complaints)
    unchanged(
        ref,
        "appoint",
        ref,
        "--on",
        "2024-05-14",
        "--role",
        "independent-person",
        "--person",
        "IP-1",
        "--internal",
        rule="independence",
    )


def test_stage_2_independent_person_may_not_sit_on_the_stage_3_panel(
    complaints: Complaints, unchanged: Unchanged
) -> None:
    ref = at_stage2(complaints)
    complaints.ok(
        "appoint", ref, "--on", "2024-05-14", "--role", "independent-person", "--person", "IP-1"
    )
    complaints.ok("respond", ref, "--on", "2024-06-03", "--outcome", "upheld", "--stage", "2")
    complaints.ok("escalate", ref, "--on", "2024-06-05")
    unchanged(
        ref,
        "appoint",
        ref,
        "--on",
        "2024-06-06",
        "--role",
        "panel-member",
        "--person",
        "IP-1",
        rule="independence",
    )


# -------------------------------------------------------------------- Ombudsman
def test_ombudsman_decision_without_an_enquiry_is_refused(
    complaints: Complaints, unchanged: Unchanged
) -> None:
    ref = statutory_case(complaints)
    unchanged(
        ref,
        "ombudsman",
        "decision",
        ref,
        "--on",
        "2024-06-01",
        "--decision",
        "upheld",
        rule="ombudsman",
    )


def test_unknown_ombudsman_decision_is_refused(
    complaints: Complaints, unchanged: Unchanged
) -> None:
    ref = statutory_case(complaints)
    complaints.ok("ombudsman", "enquiry", ref, "--on", "2024-05-20")
    unchanged(
        ref,
        "ombudsman",
        "decision",
        ref,
        "--on",
        "2024-06-01",
        "--decision",
        "maladministration",
        rule="unknown-name",
        code=2,
    )


# ------------------------------------------------------------------- usage
def test_unknown_option_is_a_usage_error(complaints: Complaints) -> None:
    result = complaints("receive", "--on", RECEIVED, "--colour", "blue")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "--colour" in result.stderr
    assert complaints.ok("receive", "--on", RECEIVED) == "CSC-2024-0001"


def test_missing_required_option_is_a_usage_error(complaints: Complaints) -> None:
    ref = statutory_case(complaints)
    before = complaints.history(ref)
    result = complaints("respond", ref, "--on", "2024-05-10")
    assert result.exit_code == 2
    assert complaints.history(ref) == before


@pytest.mark.parametrize(
    ("report_on", "rule"), [("2024-06-19", "dependency-order"), ("2099-01-01", "date-order")]
)
def test_panel_with_a_refused_report_date_writes_nothing(
    complaints: Complaints, unchanged: Unchanged, report_on: str, rule: str
) -> None:
    ref = at_stage2(complaints)
    complaints.ok("respond", ref, "--on", "2024-06-03", "--outcome", "upheld", "--stage", "2")
    complaints.ok("escalate", ref, "--on", "2024-06-05")
    unchanged(ref, "panel", ref, "--on", "2024-06-20", "--report-on", report_on, rule=rule)


def test_non_numeric_stage_is_bad_data(complaints: Complaints, unchanged: Unchanged) -> None:
    ref = statutory_case(complaints)
    args = ("respond", ref, "--on", "2024-05-10", "--outcome", "upheld", "--stage", "two")
    unchanged(ref, *args, rule="bad-data")


def test_rejecting_a_recommendation_takes_no_owner_or_due_date(
    complaints: Complaints, unchanged: Callable[..., None]
) -> None:
    ref = statutory_case(complaints)
    complaints.ok("recommend", ref, "--on", "2024-05-10", "--text", "Call back")
    for option, value in (("--owner", "Locality North"), ("--due", "2024-06-30")):
        result = complaints(
            "recommendation", "reject", ref, "R1", "--on", "2024-05-21", option, value
        )
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith("Error:") and option in result.stderr
    assert complaints.json("show", ref)["recommendations"][0]["status"] == "made"
