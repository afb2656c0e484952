"""Looking at any record the ledger issues a reference for: ``show``, ``history`` and
``list`` for complaints, compliments, enquiries, initial feedback and advocacy
referrals; and one set of facts behind ``show``, the read models, their CSV export and
the annual report.

Dates are worked out by hand from England's bank holidays (2024: 6 May, 27 May; 2025:
5 May, 26 May). Day 0 is the day the clock starts; the deadline is the Nth working day
after it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from tests.cli.conftest import Complaints


@dataclass
class CouncilComplaints(Complaints):
    """``complaints`` run with a council's settings file, as its officers would."""

    config: str = ""

    def __call__(self, *args: str, input: str | None = None) -> Result:
        return super().__call__("--config", self.config, *args, input=input)


# ------------------------------------------------ one set of facts, everywhere
STATEMENT_CLOCK = "[timescales]\nstage2_clock = 'statement'\n"


def stage2_with_a_statement_agreed_after_the_request(complaints: Complaints) -> str:
    """Stage 2 requested Monday 13 May 2024, its statement agreed Friday 24 May, the
    adjudication sent Wednesday 26 June 2024."""
    ref = complaints.ok("receive", "--on", "2024-05-01", "--procedure", "statutory")
    complaints.ok("respond", ref, "--on", "2024-05-10", "--outcome", "not-upheld")
    complaints.ok("escalate", ref, "--on", "2024-05-13")
    complaints.ok("statement", ref, "--on", "2024-05-24", "--points", "1")
    complaints.ok("finding", ref, "--on", "2024-06-20", "--point", "1", "--finding", "upheld")
    complaints.ok("respond", ref, "--on", "2024-06-26", "--outcome", "upheld", "--stage", "2")
    return ref


def exported(complaints: Complaints, table: str) -> list[dict[str, str]]:
    """A read model as ``export --format csv`` writes it for analysts."""
    text = complaints.ok("export", "--format", "csv", "--table", table)
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize(
    ("settings", "clock_from", "basis", "deadline", "on_time", "taken"),
    [
        # From the request: 25 working days from 13 May (27 May a holiday) is 18 June,
        # so the adjudication on 26 June is late.
        ("", "2024-05-13", "request", "2024-06-18", False, 31),
        # From the agreed statement: 25 working days from 24 May is 1 July: on time.
        (STATEMENT_CLOCK, "2024-05-24", "statement", "2024-07-01", True, 22),
    ],
    ids=["counted-from-request", "counted-from-statement"],
)
def test_show_the_read_models_their_export_and_the_report_agree_on_stage2(
    db_url: str,
    tmp_path: Path,
    settings: str,
    clock_from: str,
    basis: str,
    deadline: str,
    on_time: bool,
    taken: int,
) -> None:
    config = tmp_path / "council.toml"
    config.write_text(settings, encoding="utf-8")
    complaints = CouncilComplaints(db_url, config=str(config))
    ref = stage2_with_a_statement_agreed_after_the_request(complaints)

    shown = complaints.json("show", ref)["stages"][1]

    (case_id,) = [r["case_id"] for r in exported(complaints, "rm_case") if r["ref"] == ref]
    (row,) = [
        r for r in exported(complaints, "rm_stage") if r["case_id"] == case_id and r["stage"] == "2"
    ]
    assert row["clock_from"] == shown["clock_from"]
    assert row["deadline"] == shown["deadline"]
    assert row["response_due"] == shown["response_due"]
    assert row["on_time"] == ("true" if shown["on_time"] else "false")
    assert int(row["working_days_taken"]) == shown["working_days_taken"]

    report = complaints.json("report", "annual", "--year", "2024")
    assert (report["stage2"]["responded"], report["stage2"]["on_time"]) == (1, int(on_time))

    assert (shown["clock_from"], shown["deadline"], shown["response_due"]) == (
        clock_from,
        deadline,
        deadline,
    )
    assert (shown["on_time"], shown["working_days_taken"]) == (on_time, taken)
    assert shown["clock_basis"] == basis


# ------------------------------------------- show: a complaint keeps its keys
#: Every key ``show --format json`` printed for a complaint before the facts were
#: shared; integrations rely on them, so none may go (adding keys is fine).
CASE_KEYS = {
    "ref", "status", "procedure", "received_on", "triage", "triaged_on", "channel", "role",
    "direct_from_child", "service_area", "team", "reasons", "matter_on", "current_stage",
    "ended", "ended_on", "on_hold", "suspensions", "advocate", "dispute_resolution", "stages",
    "recommendations", "compensation", "ombudsman", "amendments",
}  # fmt: skip
STAGE_KEYS = {
    "stage", "started_on", "clock_from", "working_days", "extended", "deadline",
    "response_due", "acknowledged_on", "statement_agreed_on", "points", "findings",
    "appointments", "panel_met_on", "panel_reported_on", "responded_on", "outcome",
    "remedies", "on_time", "working_days_taken", "withdrawn_on", "late_reason",
}  # fmt: skip
RECOMMENDATION_KEYS = {
    "id", "stage", "made_on", "theme", "status", "decided_on", "owner", "due", "completed_on",
}  # fmt: skip
OMBUDSMAN_KEYS = {
    "enquiry_on", "ombudsman_ref", "decided_on", "decision", "remedies", "due", "complied_on",
}  # fmt: skip


def test_show_json_of_a_complaint_keeps_every_key_it_had(complaints: Complaints) -> None:
    ref = complaints.ok(
        "receive", "--on", "2024-05-01", "--procedure", "statutory", "--team", "North"
    )
    for step in (
        ("suspend", ref, "--on", "2024-05-02", "--reason", "police investigation"),
        ("resume", ref, "--on", "2024-05-03"),
        ("amend", ref, "--on", "2024-05-03", "--field", "team", "--value", "South",
         "--reason", "wrong team"),
        ("respond", ref, "--on", "2024-05-10", "--outcome", "not-upheld"),
        ("escalate", ref, "--on", "2024-05-13"),
        ("appoint", ref, "--on", "2024-05-14", "--role", "investigating-officer",
         "--person", "IO-1", "--internal"),
        ("statement", ref, "--on", "2024-05-20", "--points", "1"),
        ("recommend", ref, "--on", "2024-06-03", "--text", "Train staff", "--id", "R1"),
        ("recommendation", "accept", ref, "R1", "--on", "2024-06-04", "--owner", "North",
         "--due", "2024-07-01"),
        ("compensate", ref, "--on", "2024-06-05", "--amount", "250"),
        ("ombudsman", "enquiry", ref, "--on", "2024-07-01"),
    ):  # fmt: skip
        complaints.ok(*step)
    state = complaints.json("show", ref)
    assert state["ref"] == ref and state["kind"] == "complaint"
    assert set(state) >= CASE_KEYS, sorted(CASE_KEYS - set(state))
    assert {"offered_on", "accepted"} <= set(state["advocate"])
    assert state["suspensions"] == [{"from": "2024-05-02", "to": "2024-05-03"}]
    assert {"on", "field", "old", "new", "reason"} <= set(state["amendments"][0])
    for stage in state["stages"]:
        assert set(stage) >= STAGE_KEYS, sorted(STAGE_KEYS - set(stage))
    assert {"role", "person", "internal", "on"} <= set(state["stages"][1]["appointments"][0])
    assert set(state["recommendations"][0]) >= RECOMMENDATION_KEYS
    assert {"on", "stage", "amount", "reason"} <= set(state["compensation"][0])
    assert set(state["ombudsman"][0]) >= OMBUDSMAN_KEYS
    # Stage 1's clock runs from receipt, Stage 2's from the request (the default).
    assert [(s["clock_from"], s["clock_basis"]) for s in state["stages"]] == [
        ("2024-05-01", "receipt"),
        ("2024-05-13", "request"),
    ]


# ------------------------------------- show and history for every kind of reference
def a_record_of_each_kind(complaints: Complaints) -> dict[str, str]:
    refs = {
        "compliment": complaints.ok(
            "compliment", "--on", "2025-05-02", "--team", "Fostering", "--channel", "email",
            "--text", "Thank you for listening", "--from-name", "Ann Smith",
        ),
        "enquiry": complaints.ok(
            "enquiry", "--on", "2025-05-06", "--from", "councillor", "--team", "Front Door",
        ),
        "feedback": complaints.ok(
            "feedback", "--on", "2025-05-06", "--team", "Front Door", "--summary", "late visit",
        ),
        "advocacy": complaints.ok(
            "advocacy", "--on", "2025-05-07", "--age-band", "12-15", "--theme", "placement",
        ),
    }  # fmt: skip
    assert list(refs.values()) == ["CMP-2025-0001", "ENQ-2025-0001", "FBK-2025-0001",
                                   "ADV-2025-0001"]  # fmt: skip
    return refs


def test_show_json_for_a_compliment(complaints: Complaints) -> None:
    ref = a_record_of_each_kind(complaints)["compliment"]
    state = complaints.json("show", ref)
    assert (state["ref"], state["kind"], state["status"]) == (ref, "compliment", "received")
    assert (state["received_on"], state["team"], state["channel"]) == (
        "2025-05-02",
        "Fostering",
        "email",
    )
    assert (state["publishable"], state["publishable_on"]) == (False, None)
    assert state["personal"] == {"compliment": "Thank you for listening", "from": "Ann Smith"}
    complaints.ok(
        "compliment", "publish", ref, "--on", "2025-05-09", "--extract", "Thank you"
    )  # fmt: skip
    complaints.ok(
        "compliment", "amend", ref, "--on", "2025-05-09", "--field", "team",
        "--value", "Adoption", "--reason", "wrong team",
    )  # fmt: skip
    state = complaints.json("show", ref, "--no-personal")
    assert (state["status"], state["publishable"], state["publishable_on"]) == (
        "publishable",
        True,
        "2025-05-09",
    )
    assert state["team"] == "Adoption"
    assert state["amendments"] == [
        {
            "on": "2025-05-09",
            "field": "team",
            "old": "Fostering",
            "new": "Adoption",
            "reason": "wrong team",
        }
    ]
    assert "personal" not in state


def test_show_an_enquiry_with_its_due_date_and_whether_answered_on_time(
    complaints: Complaints,
) -> None:
    ref = a_record_of_each_kind(complaints)["enquiry"]
    state = complaints.json("show", ref)
    # 10 working days from Tuesday 6 May 2025 is Tuesday 20 May.
    assert (state["kind"], state["from"], state["due"]) == ("enquiry", "councillor", "2025-05-20")
    assert (state["status"], state["responded_on"], state["on_time"]) == ("open", None, None)
    complaints.ok("enquiry", "respond", ref, "--on", "2025-05-21")
    state = complaints.json("show", ref)
    assert (state["status"], state["responded_on"], state["on_time"]) == (
        "answered",
        "2025-05-21",
        False,
    )
    text = complaints.ok("show", ref)
    assert text.splitlines()[0].split() == [ref, "enquiry", "answered"]
    assert "due 2025-05-20" in text and "answered 2025-05-21 (late)" in text


def test_show_feedback_that_became_a_complaint_names_it(complaints: Complaints) -> None:
    ref = a_record_of_each_kind(complaints)["feedback"]
    assert complaints.json("show", ref)["status"] == "open"
    made = complaints.ok(
        "feedback", "convert", ref, "--on", "2025-05-09", "--procedure", "statutory"
    )  # fmt: skip
    state = complaints.json("show", ref)
    assert (state["kind"], state["feedback_kind"], state["status"]) == (
        "feedback",
        "initial-feedback",
        "became-complaint",
    )
    assert (state["complaint_ref"], state["became_complaint_on"]) == (made, "2025-05-09")
    assert state["personal"] == {"summary": "late visit"}
    assert f"became complaint {made} on 2025-05-09" in complaints.ok("show", ref)
    assert complaints.json("show", made)["from_feedback"] == ref


def test_show_an_advocacy_referral_and_the_complaint_it_led_to(complaints: Complaints) -> None:
    ref = a_record_of_each_kind(complaints)["advocacy"]
    state = complaints.json("show", ref)
    assert (state["kind"], state["status"], state["age_band"], state["theme"]) == (
        "advocacy",
        "referred",
        "12-15",
        "placement",
    )
    complaints.ok("receive", "--ref", "CSC-2025-0042", "--on", "2025-05-10")
    complaints.ok("advocacy", "link", ref, "--complaint", "CSC-2025-0042", "--on", "2025-05-20")
    state = complaints.json("show", ref)
    assert (state["status"], state["complaint_ref"], state["linked_on"]) == (
        "led-to-complaint",
        "CSC-2025-0042",
        "2025-05-20",
    )
    assert "led to complaint CSC-2025-0042 (linked 2025-05-20)" in complaints.ok("show", ref)


def test_show_text_for_each_kind_starts_with_reference_kind_and_status(
    complaints: Complaints,
) -> None:
    for kind, ref in a_record_of_each_kind(complaints).items():
        text = complaints.ok("show", ref)
        status = complaints.json("show", ref)["status"]
        assert text.splitlines()[0].split() == [ref, kind, status]


def test_history_of_each_kind_lists_its_events_as_recorded(complaints: Complaints) -> None:
    refs = a_record_of_each_kind(complaints)
    complaints.ok("enquiry", "respond", refs["enquiry"], "--on", "2025-05-14")
    complaints.ok("feedback", "resolve", refs["feedback"], "--on", "2025-05-07")
    expected = {
        "compliment": ["Received"],
        "enquiry": ["Received", "Responded"],
        "feedback": ["Received", "Resolved"],
        "advocacy": ["Referred"],
    }
    for kind, ref in refs.items():
        history = complaints.history(ref)
        assert [e["type"] for e in history] == expected[kind], kind
        for event in history:
            assert {"version", "type", "on", "recorded_at", "actor", "data"} <= set(event)
            assert event["actor"] == "tester"
        lines = complaints.ok("history", ref).splitlines()
        assert len(lines) == len(expected[kind])
        assert expected[kind][-1] in lines[-1]


def test_history_and_show_as_of_give_only_what_was_recorded_by_then(
    complaints: Complaints,
) -> None:
    refs = a_record_of_each_kind(complaints)
    cut = {ref: complaints.history(ref)[-1]["recorded_at"] for ref in refs.values()}
    complaints.ok("enquiry", "respond", refs["enquiry"], "--on", "2025-05-14")
    complaints.ok("feedback", "resolve", refs["feedback"], "--on", "2025-05-07")
    complaints.ok("compliment", "publish", refs["compliment"], "--on", "2025-05-09",
                  "--extract", "Thank you")  # fmt: skip
    complaints.ok("receive", "--ref", "CSC-2025-0042", "--on", "2025-05-10")
    complaints.ok("advocacy", "link", refs["advocacy"], "--complaint", "CSC-2025-0042",
                  "--on", "2025-05-20")  # fmt: skip
    for ref in refs.values():
        assert len(complaints.history(ref)) == 2
        earlier = complaints.json("history", ref, "--as-of", cut[ref])
        assert [e["version"] for e in earlier] == [1], ref
        then = complaints.json("show", ref, "--as-of", cut[ref])
        now = complaints.json("show", ref)
        assert then["status"] != now["status"], ref
        assert "personal" not in then
    assert (
        complaints.json("show", refs["enquiry"], "--as-of", cut[refs["enquiry"]])["responded_on"]
        is None
    )


def test_show_and_history_of_an_unknown_reference_name_its_kind(complaints: Complaints) -> None:
    a_record_of_each_kind(complaints)
    for args, kind in (
        (("show", "CMP-2025-0009"), "compliment"),
        (("history", "ENQ-2025-0009"), "enquiry"),
        (("show", "FBK-2025-0009"), "feedback"),
        (("history", "ADV-2025-0009"), "advocacy referral"),
        (("show", "CSC-2025-0009"), "case"),
    ):
        refused = complaints.refused(*args)
        assert f"no {kind} with reference" in refused.stderr
        assert "[unknown-case]" in refused.stderr


def test_a_complaint_given_a_reference_like_a_compliments_is_still_found(
    complaints: Complaints,
) -> None:
    ref = complaints.ok("receive", "--on", "2025-05-01", "--ref", "CMP-7", "--procedure",
                        "statutory")  # fmt: skip
    assert complaints.json("show", ref)["kind"] == "complaint"
    assert [e["type"] for e in complaints.history(ref)] == ["Received", "Triaged"]


# -------------------------------------------------------------- list --kind
def a_year_of_records(complaints: Complaints) -> None:
    for step in (
        ("compliment", "--on", "2025-04-02", "--team", "Fostering", "--channel", "email"),
        ("compliment", "--on", "2025-06-02", "--team", "Adoption"),
        ("enquiry", "--on", "2025-05-06", "--from", "councillor", "--team", "Front Door",
         "--responded-on", "2025-05-14"),
        ("enquiry", "--on", "2025-05-07", "--from", "mp", "--team", "Front Door"),
        ("enquiry", "--on", "2025-06-16", "--from", "mp", "--team", "Fostering"),
        ("feedback", "--on", "2025-05-06", "--team", "Front Door", "--resolved-on", "2025-05-07"),
        ("feedback", "--on", "2025-05-08", "--team", "Front Door"),
        ("advocacy", "--on", "2025-05-07", "--age-band", "12-15", "--theme", "placement",
         "--team", "Fostering"),
    ):  # fmt: skip
        complaints.ok(*step)
    complaints.ok("receive", "--on", "2025-05-01", "--procedure", "statutory", "--team",
                  "Front Door")  # fmt: skip


def refs_of(rows: list[dict[str, Any]]) -> list[str]:
    return [row["ref"] for row in rows]


def test_list_without_kind_lists_complaints_as_before(complaints: Complaints) -> None:
    a_year_of_records(complaints)
    rows = complaints.json("list")
    assert refs_of(rows) == ["CSC-2025-0001"]
    assert list(rows[0]) == [
        "ref", "procedure", "stage", "received_on", "service_area", "team", "due", "outcome",
        "status",
    ]  # fmt: skip
    assert complaints.json("list", "--kind", "complaint") == rows


def test_list_compliments_by_team_and_date_received(complaints: Complaints) -> None:
    a_year_of_records(complaints)
    rows = complaints.json("list", "--kind", "compliment")
    assert refs_of(rows) == ["CMP-2025-0001", "CMP-2025-0002"]
    assert rows[0] == {
        "ref": "CMP-2025-0001",
        "received_on": "2025-04-02",
        "service_area": None,
        "team": "Fostering",
        "channel": "email",
        "role": None,
        "publishable": False,
    }
    assert refs_of(complaints.json("list", "--kind", "compliment", "--team", "Adoption")) == [
        "CMP-2025-0002"
    ]
    assert refs_of(
        complaints.json("list", "--kind", "compliment", "--received-from", "2025-05-01")
    ) == ["CMP-2025-0002"]
    assert refs_of(
        complaints.json("list", "--kind", "compliment", "--received-to", "2025-05-01")
    ) == ["CMP-2025-0001"]


def test_list_enquiries_open_and_overdue_on_a_day(complaints: Complaints) -> None:
    a_year_of_records(complaints)
    rows = {r["ref"]: r for r in complaints.json("list", "--kind", "enquiry", "--on",
                                                "2025-05-22")}  # fmt: skip
    # ENQ-0002: 10 working days from 7 May 2025 is 21 May, so overdue on 22 May.
    assert {ref: (r["status"], r["due"], r["on_time"]) for ref, r in rows.items()} == {
        "ENQ-2025-0001": ("answered", "2025-05-20", True),
        "ENQ-2025-0002": ("overdue", "2025-05-21", None),
        "ENQ-2025-0003": ("open", "2025-06-30", None),
    }
    assert rows["ENQ-2025-0002"]["from"] == "mp"
    assert refs_of(complaints.json("list", "--kind", "enquiry", "--open")) == [
        "ENQ-2025-0002",
        "ENQ-2025-0003",
    ]
    overdue = complaints.json("list", "--kind", "enquiry", "--overdue", "--on", "2025-05-22")
    assert refs_of(overdue) == ["ENQ-2025-0002"]


def test_list_feedback_and_advocacy_referrals(complaints: Complaints) -> None:
    a_year_of_records(complaints)
    feedback = complaints.json("list", "--kind", "feedback")
    assert [(r["ref"], r["status"], r["resolved_on"]) for r in feedback] == [
        ("FBK-2025-0001", "resolved", "2025-05-07"),
        ("FBK-2025-0002", "open", None),
    ]
    assert refs_of(complaints.json("list", "--kind", "feedback", "--open")) == ["FBK-2025-0002"]
    advocacy = complaints.json("list", "--kind", "advocacy", "--team", "Fostering")
    assert advocacy == [
        {
            "ref": "ADV-2025-0001",
            "received_on": "2025-05-07",
            "service_area": None,
            "team": "Fostering",
            "age_band": "12-15",
            "theme": "placement",
            "complaint_ref": None,
        }
    ]


def test_list_each_kind_as_text_and_csv(complaints: Complaints) -> None:
    a_year_of_records(complaints)
    for kind, count in (("compliment", 2), ("enquiry", 3), ("feedback", 2), ("advocacy", 1)):
        text = complaints.ok("list", "--kind", kind).splitlines()
        assert text[0].split()[:2] == ["ref", "received_on"] and len(text) == 1 + count
        rows = list(csv.DictReader(io.StringIO(complaints.ok("list", "--kind", kind,
                                                             "--format", "csv"))))  # fmt: skip
        assert [r["ref"] for r in rows] == refs_of(complaints.json("list", "--kind", kind))
    assert complaints.ok("list", "--kind", "advocacy", "--team", "Nobody") == (
        "no advocacy records"
    )


@pytest.mark.parametrize(
    "args",
    [
        ("--kind", "compliment", "--stage", "2"),
        ("--kind", "enquiry", "--procedure", "statutory"),
        ("--kind", "compliment", "--open"),
        ("--kind", "feedback", "--overdue"),
    ],
)
def test_list_refuses_a_filter_the_kind_does_not_have(
    complaints: Complaints, args: tuple[str, ...]
) -> None:
    result = complaints("list", *args)
    assert result.exit_code == 2
    assert "does not apply to --kind" in result.stderr


def test_list_an_unknown_kind_is_refused(complaints: Complaints) -> None:
    refused = complaints.refused("list", "--kind", "petition", code=2)
    assert "[unknown-name]" in refused.stderr
