"""Every command of the contract, and the extras, working end to end through the CLI.

Deadlines below are worked out by hand from England's bank holidays (2024: 1 Jan,
29 Mar, 1 Apr, 6 May, 27 May, 26 Aug, 25-26 Dec). Day 0 is the day the clock starts;
the deadline is the Nth working day after it.
"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner, Result

from cli.main import cli
from tests.cli.conftest import Complaints

RECEIVED = "2024-05-01"  # a Wednesday; Monday 6 May 2024 is a bank holiday


def statutory_case(complaints: Complaints, *extra: str) -> str:
    return complaints.ok("receive", "--on", RECEIVED, "--procedure", "statutory", *extra)


def at_stage2(complaints: Complaints, request_on: str = "2024-05-13") -> str:
    ref = statutory_case(complaints)
    complaints.ok("respond", ref, "--on", "2024-05-10", "--outcome", "not-upheld")
    complaints.ok("escalate", ref, "--on", request_on)
    return ref


def at_stage3(complaints: Complaints) -> str:
    """Stage 3 requested on Wednesday 5 June 2024."""
    ref = at_stage2(complaints)
    complaints.ok("respond", ref, "--on", "2024-06-03", "--outcome", "upheld", "--stage", "2")
    complaints.ok("escalate", ref, "--on", "2024-06-05")
    return ref


def run(args: list[str], env: dict[str, str | None] | None = None) -> Result:
    """``complaints`` without the fixture's --db and --actor."""
    return CliRunner().invoke(cli, args, env=env, obj={}, catch_exceptions=False)


def types(history: list[dict[str, Any]]) -> list[str]:
    return [event["type"] for event in history]


# --------------------------------------------------------------------- receipt
def test_receive_prints_the_generated_reference_alone(complaints: Complaints) -> None:
    result = complaints("receive", "--on", RECEIVED, "--channel", "email", "--role", "parent")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "CSC-2024-0001\n"
    assert result.stderr == f"Recorded CSC-2024-0001: Received on {RECEIVED} (version 1)\n"


def test_receive_prints_the_given_reference(complaints: Complaints) -> None:
    result = complaints("receive", "--on", RECEIVED, "--ref", "LA/24/0042")
    assert result.stdout == "LA/24/0042\n"
    assert complaints.json("show", "LA/24/0042")["ref"] == "LA/24/0042"


def test_references_are_numbered_per_year(complaints: Complaints) -> None:
    made = [
        complaints.ok("receive", "--on", on)
        for on in ("2024-03-28", "2024-12-31", "2025-01-02", "2025-01-02")
    ]
    assert made == ["CSC-2024-0001", "CSC-2024-0002", "CSC-2025-0001", "CSC-2025-0002"]


def test_generated_reference_skips_one_given_by_hand(complaints: Complaints) -> None:
    complaints.ok("receive", "--on", RECEIVED, "--ref", "CSC-2024-0001")
    assert complaints.ok("receive", "--on", RECEIVED) == "CSC-2024-0002"


def test_receive_records_its_details(complaints: Complaints) -> None:
    ref = complaints.ok(
        "receive",
        "--on",
        RECEIVED,
        "--channel",
        "online-form",
        "--role",
        "care-leaver",
        "--service-area",
        "Children in Care",
        "--team",
        "Leaving Care",
        "--reason",
        "poor-communication",
        "--reason",
        "delays-in-service",
        "--matter-on",
        "2024-04-15",
        "--summary",
        "Pathway plan not reviewed",
    )
    state = complaints.json("show", ref)
    assert state["channel"] == "online-form"
    assert state["role"] == "care-leaver"
    assert state["direct_from_child"] is True
    assert state["service_area"] == "Children in Care"
    assert state["team"] == "Leaving Care"
    assert state["reasons"] == ["poor-communication", "delays-in-service"]
    assert state["matter_on"] == "2024-04-15"
    assert state["status"] == "awaiting-triage"
    assert state["personal"] == {"summary": "Pathway plan not reviewed"}


def test_receive_with_procedure_triages_on_the_same_date(complaints: Complaints) -> None:
    ref = statutory_case(complaints)
    history = complaints.history(ref)
    assert types(history) == ["Received", "Triaged"]
    assert [e["on"] for e in history] == [RECEIVED, RECEIVED]
    state = complaints.json("show", ref)
    assert state["status"] == "stage1-open"
    assert state["procedure"] == "statutory"
    assert state["triaged_on"] == RECEIVED
    assert state["stages"][0]["deadline"] == "2024-05-16"


def test_receive_into_the_corporate_procedure(complaints: Complaints) -> None:
    ref = complaints.ok("receive", "--on", RECEIVED, "--procedure", "corporate")
    stage = complaints.json("show", ref)["stages"][0]
    # 15 working days from Wednesday 1 May 2024 (6 May a bank holiday): Thursday 23 May.
    assert (stage["working_days"], stage["deadline"]) == (15, "2024-05-23")


def test_triage_later_keeps_the_clock_from_receipt(complaints: Complaints) -> None:
    ref = complaints.ok("receive", "--on", RECEIVED)
    assert types(complaints.history(ref)) == ["Received"]
    complaints.ok("triage", ref, "--on", "2024-05-03", "--decision", "statutory")
    state = complaints.json("show", ref)
    assert state["status"] == "stage1-open"
    assert state["triage"] == "statutory"
    assert state["triaged_on"] == "2024-05-03"
    stage = state["stages"][0]
    assert stage["started_on"] == "2024-05-03"
    assert stage["clock_from"] == RECEIVED
    assert stage["deadline"] == "2024-05-16"


def test_triage_out_of_the_procedure_ends_the_case(complaints: Complaints) -> None:
    ref = complaints.ok("receive", "--on", RECEIVED)
    complaints.ok(
        "triage", ref, "--on", "2024-05-02", "--decision", "excluded", "--reason", "court"
    )
    state = complaints.json("show", ref)
    assert (state["ended"], state["ended_on"], state["stages"]) == ("redirected", "2024-05-02", [])


def test_acknowledge(complaints: Complaints) -> None:
    ref = statutory_case(complaints)
    complaints.ok("acknowledge", ref, "--on", "2024-05-02")
    assert complaints.json("show", ref)["stages"][0]["acknowledged_on"] == "2024-05-02"
    assert types(complaints.history(ref))[-1] == "Acknowledged"


# ------------------------------------------------------------------- extensions
def test_extend_stage_1_to_20_working_days(complaints: Complaints) -> None:
    ref = statutory_case(complaints)
    before = complaints.json("show", ref)["stages"][0]
    assert (before["working_days"], before["deadline"], before["extended"]) == (
        10,
        "2024-05-16",
        False,
    )
    complaints.ok("extend", ref, "--on", "2024-05-10", "--reason", "advocate needed")
    after = complaints.json("show", ref)["stages"][0]
    # 20 working days from 1 May 2024, skipping 6 May and 27 May: Friday 31 May.
    assert (after["working_days"], after["deadline"], after["extended"]) == (
        20,
        "2024-05-31",
        True,
    )


def test_extend_stage_2_to_40_working_days(complaints: Complaints) -> None:
    ref = at_stage2(complaints, request_on="2024-06-03")
    # 25 working days from Monday 3 June 2024: Monday 8 July.
    assert complaints.json("show", ref)["stages"][1]["deadline"] == "2024-07-08"
    complaints.ok(
        "extend", ref, "--on", "2024-06-10", "--reason", "complex", "--working-days", "40"
    )
    stage = complaints.json("show", ref)["stages"][1]
    # 40 working days from 3 June 2024 (no bank holidays in June or July): Monday 29 July.
    assert (stage["working_days"], stage["deadline"]) == (40, "2024-07-29")


def test_extend_stage_2_without_working_days_gives_the_maximum(complaints: Complaints) -> None:
    ref = at_stage2(complaints, request_on="2024-06-03")
    complaints.ok("extend", ref, "--on", "2024-06-10", "--reason", "complex")
    stage = complaints.json("show", ref)["stages"][1]
    # 65 working days from 3 June 2024, skipping 26 August: Tuesday 3 September.
    assert (stage["working_days"], stage["deadline"]) == (65, "2024-09-03")


# -------------------------------------------------------------- responses, stages
def test_respond_with_remedies(complaints: Complaints) -> None:
    ref = statutory_case(complaints)
    complaints.ok(
        "respond",
        ref,
        "--on",
        "2024-05-10",
        "--outcome",
        "partly-upheld",
        "--stage",
        "1",
        "--remedy",
        "apology",
        "--remedy",
        "explanation,change-to-practice",
    )
    state = complaints.json("show", ref)
    assert state["status"] == "stage1-responded"
    stage = state["stages"][0]
    assert stage["responded_on"] == "2024-05-10"
    assert stage["outcome"] == "partly-upheld"
    assert stage["remedies"] == ["apology", "explanation", "change-to-practice"]
    assert stage["on_time"] is True
    assert stage["working_days_taken"] == 6  # 2, 3, 7, 8, 9, 10 May


def test_late_response_is_not_on_time(complaints: Complaints) -> None:
    ref = statutory_case(complaints)
    complaints.ok("respond", ref, "--on", "2024-05-17", "--outcome", "not-upheld")
    stage = complaints.json("show", ref)["stages"][0]
    assert (stage["on_time"], stage["working_days_taken"]) == (False, 11)


def test_escalate_opens_stage_2_from_the_request(complaints: Complaints) -> None:
    ref = at_stage2(complaints)
    state = complaints.json("show", ref)
    assert state["status"] == "stage2-open"
    assert state["current_stage"] == 2
    stage = state["stages"][1]
    assert (stage["started_on"], stage["clock_from"], stage["working_days"]) == (
        "2024-05-13",
        "2024-05-13",
        25,
    )
    # 25 working days from Monday 13 May 2024, skipping 27 May: Tuesday 18 June.
    assert stage["deadline"] == "2024-06-18"


def test_withdraw(complaints: Complaints) -> None:
    ref = statutory_case(complaints)
    complaints.ok("withdraw", ref, "--on", "2024-05-08", "--reason", "resolved informally")
    state = complaints.json("show", ref)
    assert (state["status"], state["ended"], state["ended_on"]) == (
        "withdrawn",
        "withdrawn",
        "2024-05-08",
    )
    assert state["stages"][0]["withdrawn_on"] == "2024-05-08"


def test_stage_3_deadline_runs_from_the_request(complaints: Complaints) -> None:
    ref = at_stage3(complaints)
    stage = complaints.json("show", ref)["stages"][2]
    # Panel within 30 working days of Wednesday 5 June 2024: Wednesday 17 July.
    assert stage["deadline"] == "2024-07-17"


def test_panel_with_its_report_and_the_council_response(complaints: Complaints) -> None:
    ref = at_stage3(complaints)
    complaints.ok("panel", ref, "--on", "2024-06-20", "--report-on", "2024-06-25")
    stage = complaints.json("show", ref)["stages"][2]
    assert (stage["panel_met_on"], stage["panel_reported_on"]) == ("2024-06-20", "2024-06-25")
    # The council responds within 15 working days of the report: Tuesday 16 July.
    assert stage["response_due"] == "2024-07-16"
    complaints.ok("respond", ref, "--on", "2024-07-05", "--outcome", "upheld", "--stage", "3")
    state = complaints.json("show", ref)
    assert state["status"] == "stage3-responded"
    assert state["stages"][2]["on_time"] is True


def test_panel_then_panel_report_separately(complaints: Complaints) -> None:
    ref = at_stage3(complaints)
    complaints.ok("panel", ref, "--on", "2024-06-20")
    stage = complaints.json("show", ref)["stages"][2]
    assert (stage["panel_met_on"], stage["panel_reported_on"]) == ("2024-06-20", None)
    # The report is due 5 working days after the meeting: Thursday 27 June.
    assert stage["deadline"] == "2024-06-27"
    complaints.ok("panel-report", ref, "--on", "2024-06-26")
    stage = complaints.json("show", ref)["stages"][2]
    assert stage["panel_reported_on"] == "2024-06-26"
    assert types(complaints.history(ref))[-2:] == ["PanelMet", "PanelReported"]


# ------------------------------------------------------------ recommendations
def test_recommend_prints_generated_and_given_ids(complaints: Complaints) -> None:
    ref = statutory_case(complaints)
    made = [
        complaints.ok("recommend", ref, "--on", "2024-05-10", "--text", "Call back in 24h"),
        complaints.ok("recommend", ref, "--on", "2024-05-10", "--text", "Update the plan"),
        complaints.ok(
            "recommend", ref, "--on", "2024-05-10", "--text", "Audit files", "--id", "P-7"
        ),
    ]
    assert made == ["R1", "R2", "P-7"]
    recs = complaints.json("show", ref)["recommendations"]
    assert [(r["id"], r["stage"], r["status"]) for r in recs] == [
        ("R1", "1", "made"),
        ("R2", "1", "made"),
        ("P-7", "1", "made"),
    ]


def test_recommendation_accept_reject_and_complete(complaints: Complaints) -> None:
    ref = statutory_case(complaints)
    for text in ("Call back in 24h", "Replace the social worker", "Audit files"):
        complaints.ok("recommend", ref, "--on", "2024-05-10", "--text", text)
    complaints.ok(
        "recommendation",
        "accept",
        ref,
        "R1",
        "--on",
        "2024-05-13",
        "--owner",
        "Front Door",
        "--due",
        "2024-07-31",
    )
    complaints.ok("recommendation", "reject", ref, "R2", "--on", "2024-05-13")
    complaints.ok("recommendation", "accept", ref, "R3", "--on", "2024-05-13", "--owner", "QA")
    complaints.ok(
        "recommendation", "complete", ref, "R3", "--on", "2024-06-28", "--evidence", "audit done"
    )
    recs = {r["id"]: r for r in complaints.json("show", ref)["recommendations"]}
    assert recs["R1"]["status"] == "accepted"
    assert (recs["R1"]["owner"], recs["R1"]["due"], recs["R1"]["decided_on"]) == (
        "Front Door",
        "2024-07-31",
        "2024-05-13",
    )
    assert recs["R2"]["status"] == "rejected"
    assert (recs["R3"]["status"], recs["R3"]["completed_on"]) == ("completed", "2024-06-28")


# ------------------------------------------------------------------ compensation
def test_compensate_amounts_are_strings_with_two_decimals(complaints: Complaints) -> None:
    ref = statutory_case(complaints)
    complaints.ok("respond", ref, "--on", "2024-05-10", "--outcome", "upheld")
    for amount, reason in (("250", "distress"), ("1345.50", "loss"), ("99.9", "time-and-trouble")):
        complaints.ok(
            "compensate", ref, "--on", "2024-05-10", "--amount", amount, "--reason", reason
        )
    payments = complaints.json("show", ref)["compensation"]
    assert [p["amount"] for p in payments] == ["250.00", "1345.50", "99.90"]
    assert [p["stage"] for p in payments] == ["1", "1", "1"]
    assert [p["reason"] for p in payments] == ["distress", "loss", "time-and-trouble"]


# -------------------------------------------------------------------- Ombudsman
def test_ombudsman_enquiry_decision_and_compliance(complaints: Complaints) -> None:
    ref = statutory_case(complaints)
    complaints.ok("respond", ref, "--on", "2024-05-10", "--outcome", "not-upheld")
    complaints.ok(
        "ombudsman", "enquiry", ref, "--on", "2024-07-01", "--ombudsman-ref", "24 001 234"
    )
    complaints.ok(
        "ombudsman",
        "decision",
        ref,
        "--on",
        "2024-10-01",
        "--decision",
        "upheld-no-injustice",
        "--remedy",
        "apology",
        "--due",
        "2024-11-01",
    )
    complaints.ok("compensate", ref, "--on", "2024-10-02", "--amount", "150")
    complaints.ok("ombudsman", "complied", ref, "--on", "2024-10-20")
    state = complaints.json("show", ref)
    assert state["ombudsman"] == [
        {
            "enquiry_on": "2024-07-01",
            "ombudsman_ref": "24 001 234",
            "decided_on": "2024-10-01",
            "decision": "upheld-no-injustice",
            "remedies": ["apology"],
            "due": "2024-11-01",
            "complied_on": "2024-10-20",
            "satisfactory_remedy": False,
        }
    ]
    assert state["compensation"][0]["stage"] == "ombudsman"
    assert types(complaints.history(ref))[-4:] == [
        "OmbudsmanEnquiryOpened",
        "OmbudsmanDecided",
        "CompensationAgreed",
        "OmbudsmanComplied",
    ]


# ---------------------------------------------------------------- show, history
def test_show_json_keys(complaints: Complaints) -> None:
    ref = statutory_case(complaints)
    result = complaints("show", ref, "--format", "json")
    assert result.exit_code == 0
    state = orjson.loads(result.stdout)  # one JSON document and nothing else
    assert {
        "ref",
        "status",
        "procedure",
        "received_on",
        "triage",
        "triaged_on",
        "channel",
        "role",
        "service_area",
        "team",
        "reasons",
        "current_stage",
        "ended",
        "ended_on",
        "on_hold",
        "stages",
        "recommendations",
        "compensation",
        "ombudsman",
        "amendments",
    } <= set(state)
    assert {
        "stage",
        "started_on",
        "working_days",
        "deadline",
        "responded_on",
        "outcome",
        "on_time",
    } <= set(state["stages"][0])


def test_show_text(complaints: Complaints) -> None:
    ref = statutory_case(complaints, "--team", "Locality North")
    text = complaints.ok("show", ref)
    assert ref in text and "stage1-open" in text and "Locality North" in text


def test_history_json_keys(complaints: Complaints) -> None:
    ref = statutory_case(complaints)
    complaints.ok("acknowledge", ref, "--on", "2024-05-02")
    result = complaints("history", ref, "--format", "json")
    history = orjson.loads(result.stdout)
    assert isinstance(history, list) and len(history) == 3
    for event in history:
        assert {"type", "on", "recorded_at", "actor"} <= set(event)
        assert event["actor"] == "tester"
    assert [(e["type"], e["on"]) for e in history] == [
        ("Received", RECEIVED),
        ("Triaged", RECEIVED),
        ("Acknowledged", "2024-05-02"),
    ]
    recorded = [e["recorded_at"] for e in history]
    assert recorded == sorted(recorded)


def test_history_text_lists_every_event(complaints: Complaints) -> None:
    ref = statutory_case(complaints)
    lines = complaints.ok("history", ref).splitlines()
    assert len(lines) == 2
    assert "Received" in lines[0] and "Triaged" in lines[1]


# ------------------------------------------------------------------ corrections
def test_amend_team_keeps_old_and_new_in_history(complaints: Complaints) -> None:
    ref = statutory_case(complaints, "--team", "Locality North")
    complaints.ok(
        "amend",
        ref,
        "--on",
        "2024-05-03",
        "--field",
        "team",
        "--value",
        "Locality South",
        "--reason",
        "recorded against the wrong team",
    )
    state = complaints.json("show", ref)
    assert state["team"] == "Locality South"
    assert state["amendments"][0]["old"] == "Locality North"
    assert state["amendments"][0]["new"] == "Locality South"
    history = complaints.history(ref)
    assert history[0]["data"]["team"] == "Locality North"
    assert history[-1]["type"] == "DetailAmended"
    assert (history[-1]["data"]["old"], history[-1]["data"]["new"]) == (
        "Locality North",
        "Locality South",
    )


# ---------------------------------------------------------------------- holds
def test_suspend_and_resume_move_the_deadline_by_the_paused_working_days(
    complaints: Complaints,
) -> None:
    ref = statutory_case(complaints)
    complaints.ok("suspend", ref, "--on", "2024-05-07", "--reason", "police investigation")
    state = complaints.json("show", ref)
    assert (state["status"], state["on_hold"]) == ("on-hold", True)
    assert state["stages"][0]["deadline"] is None  # the clock has stopped
    complaints.ok("resume", ref, "--on", "2024-05-14")
    state = complaints.json("show", ref)
    assert (state["status"], state["on_hold"]) == ("stage1-open", False)
    assert state["suspensions"] == [{"from": "2024-05-07", "to": "2024-05-14"}]
    # On hold 7-13 May: five working days (7, 8, 9, 10, 13 May), so the deadline moves
    # from Thursday 16 May by five working days to Thursday 23 May.
    assert state["stages"][0]["deadline"] == "2024-05-23"


# ------------------------------------------------------- advocacy, ADR, Stage 2
def test_advocate_offer_and_accept(complaints: Complaints) -> None:
    ref = statutory_case(complaints, "--role", "looked-after-child")
    complaints.ok("advocate", "offer", ref, "--on", "2024-05-02")
    complaints.ok("advocate", "accept", ref, "--on", "2024-05-03")
    assert complaints.json("show", ref)["advocate"] == {
        "offered_on": "2024-05-02",
        "accepted": True,
    }


def test_advocate_offer_declined(complaints: Complaints) -> None:
    ref = statutory_case(complaints)
    complaints.ok("advocate", "offer", ref, "--on", "2024-05-02")
    complaints.ok("advocate", "decline", ref, "--on", "2024-05-03")
    assert complaints.json("show", ref)["advocate"]["accepted"] is False


def test_adr_offer_and_result(complaints: Complaints) -> None:
    ref = statutory_case(complaints)
    complaints.ok("adr", "offer", ref, "--on", "2024-05-02", "--method", "mediation")
    complaints.ok("adr", "result", ref, "--on", "2024-05-07", "--not-resolved")
    state = complaints.json("show", ref)
    assert state["status"] == "stage1-open"
    assert state["dispute_resolution"] == {
        "offered_on": "2024-05-02",
        "method": "mediation",
        "concluded_on": "2024-05-07",
        "resolved": False,
    }
    complaints.ok("adr", "offer", ref, "--on", "2024-05-08")
    complaints.ok("adr", "result", ref, "--on", "2024-05-09", "--resolved")
    state = complaints.json("show", ref)
    assert (state["status"], state["ended_on"]) == ("resolved", "2024-05-09")
    assert state["dispute_resolution"]["method"] == "meeting"


def test_appoint_statement_and_findings_at_stage_2(complaints: Complaints) -> None:
    ref = at_stage2(complaints)
    complaints.ok(
        "appoint",
        ref,
        "--on",
        "2024-05-14",
        "--role",
        "investigating-officer",
        "--person",
        "IO-3",
        "--internal",
    )
    complaints.ok(
        "appoint",
        ref,
        "--on",
        "2024-05-14",
        "--role",
        "independent-person",
        "--person",
        "IP-14",
        "--name",
        "Pat Example",
    )
    complaints.ok("statement", ref, "--on", "2024-05-20", "--points", "2")
    complaints.ok("finding", ref, "--on", "2024-06-10", "--point", "1", "--finding", "upheld")
    complaints.ok(
        "finding", ref, "--on", "2024-06-10", "--point", "2", "--finding", "unable-to-determine"
    )
    state = complaints.json("show", ref)
    stage = state["stages"][1]
    assert [(a["role"], a["person"], a["internal"]) for a in stage["appointments"]] == [
        ("investigating-officer", "IO-3", True),
        ("independent-person", "IP-14", False),
    ]
    assert (stage["statement_agreed_on"], stage["points"]) == ("2024-05-20", 2)
    assert stage["findings"] == {"1": "upheld", "2": "unable-to-determine"}
    assert state["personal"] == {"person:IP-14": "Pat Example"}


# ------------------------------------------------------ other representations
def test_compliment_prints_its_reference(complaints: Complaints) -> None:
    statutory_case(complaints)  # complaints and compliments are numbered apart
    first = complaints(
        "compliment",
        "--on",
        "2024-05-02",
        "--service-area",
        "Children in Care",
        "--team",
        "Fostering",
    )
    assert first.exit_code == 0 and first.stdout == "CMP-2024-0001\n"
    assert complaints.ok("compliment", "--on", "2024-06-02") == "CMP-2024-0002"


def test_councillor_and_mp_enquiries(complaints: Complaints) -> None:
    result = complaints(
        "enquiry", "--on", "2024-05-02", "--from", "councillor", "--team", "Front Door"
    )
    assert result.exit_code == 0 and result.stdout == "ENQ-2024-0001\n"
    complaints.ok("enquiry", "respond", "ENQ-2024-0001", "--on", "2024-05-09")
    # Answered once only: a second answer proves the first was recorded.
    again = complaints.refused("enquiry", "respond", "ENQ-2024-0001", "--on", "2024-05-10")
    assert "ENQ-2024-0001" in again.stderr
    mp = complaints.ok(
        "enquiry", "--on", "2024-05-03", "--from", "mp", "--responded-on", "2024-05-10"
    )
    assert mp == "ENQ-2024-0002"
    complaints.refused("enquiry", "respond", mp, "--on", "2024-05-11")


def test_enquiry_from_an_unknown_source_is_refused(complaints: Complaints) -> None:
    result = complaints.refused("enquiry", "--on", "2024-05-02", "--from", "journalist", code=2)
    assert "[unknown-name]" in result.stderr
    assert complaints.ok("enquiry", "--on", "2024-05-02", "--from", "mp") == "ENQ-2024-0001"


# --------------------------------------------------------- database and actor
def test_db_option_before_and_after_the_command(complaints: Complaints) -> None:
    db = complaints.db
    before = run(["--db", db, "--actor", "a", "receive", "--on", RECEIVED])
    after = run(["receive", "--db", db, "--actor", "a", "--on", RECEIVED])
    assert (before.exit_code, after.exit_code) == (0, 0), (before.stderr, after.stderr)
    assert (before.stdout, after.stdout) == ("CSC-2024-0001\n", "CSC-2024-0002\n")
    assert complaints.json("show", "CSC-2024-0002")["received_on"] == RECEIVED


def test_db_from_the_environment(complaints: Complaints) -> None:
    result = run(
        ["--actor", "a", "receive", "--on", RECEIVED], env={"COMPLAINTS_DB": complaints.db}
    )
    assert result.exit_code == 0, result.stderr
    assert types(complaints.history(result.stdout.strip())) == ["Received"]
    shown = run(["show", "CSC-2024-0001", "--format", "json"], env={"COMPLAINTS_DB": complaints.db})
    assert orjson.loads(shown.stdout)["ref"] == "CSC-2024-0001"


def test_actor_option_is_recorded_on_every_event(complaints: Complaints) -> None:
    ref = complaints.ok("receive", "--on", RECEIVED, "--procedure", "statutory")
    after_command = run(
        ["acknowledge", ref, "--on", "2024-05-02", "--db", complaints.db, "--actor", "clerk"]
    )
    assert after_command.exit_code == 0, after_command.stderr
    as_manager = Complaints(complaints.db, actor="service.manager")
    as_manager.ok("respond", ref, "--on", "2024-05-10", "--outcome", "upheld")
    assert [(e["type"], e["actor"]) for e in complaints.history(ref)] == [
        ("Received", "tester"),
        ("Triaged", "tester"),
        ("Acknowledged", "clerk"),
        ("Responded", "service.manager"),
    ]


def test_actor_from_the_environment_and_by_default(complaints: Complaints) -> None:
    db = complaints.db
    from_env = run(["--db", db, "receive", "--on", RECEIVED], env={"COMPLAINTS_ACTOR": "alice"})
    assert from_env.exit_code == 0, from_env.stderr
    option_wins = run(
        ["--db", db, "--actor", "bob", "receive", "--on", RECEIVED],
        env={"COMPLAINTS_ACTOR": "alice"},
    )
    by_default = run(["--db", db, "receive", "--on", RECEIVED], env={"COMPLAINTS_ACTOR": None})
    assert (option_wins.exit_code, by_default.exit_code) == (0, 0)
    actors = [complaints.history(f"CSC-2024-000{n}")[0]["actor"] for n in (1, 2, 3)]
    assert actors == ["alice", "bob", getpass.getuser()]


# SQLite-only: a bare file path and the default database in the current directory.
def test_bare_file_path_means_sqlite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COMPLAINTS_DB", raising=False)
    path = tmp_path / "council ledger.db"
    ref = Complaints(str(path)).ok("receive", "--on", RECEIVED, "--procedure", "statutory")
    assert path.is_file()
    assert types(Complaints(f"sqlite:///{path}").history(ref)) == ["Received", "Triaged"]
    monkeypatch.chdir(tmp_path)
    relative = Complaints("relative.db")
    assert relative.ok("receive", "--on", RECEIVED) == "CSC-2024-0001"
    assert (tmp_path / "relative.db").is_file()


def test_default_database_is_complaints_db_in_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(
        ["--actor", "a", "receive", "--on", RECEIVED],
        env={"COMPLAINTS_DB": None, "COMPLAINTS_CONFIG": None},
    )
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "complaints.db").is_file()
    assert Complaints(str(tmp_path / "complaints.db")).history("CSC-2024-0001")
