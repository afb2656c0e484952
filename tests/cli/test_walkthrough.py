"""One case from receipt through every stage and the Ombudsman, by CLI."""

from __future__ import annotations

from datetime import datetime

from tests.cli.conftest import Complaints


def test_case_through_all_three_stages_and_the_ombudsman(complaints: Complaints) -> None:
    ref = complaints.ok(
        "receive",
        "--on",
        "2024-05-01",
        "--procedure",
        "statutory",
        "--channel",
        "email",
        "--role",
        "parent",
        "--service-area",
        "Children in Need",
        "--team",
        "Locality North",
        "--reason",
        "poor-communication",
        "--complainant",
        "Jane Doe",
    )
    assert ref == "CSC-2024-0001"
    steps = [
        ("acknowledge", ref, "--on", "2024-05-02"),
        ("extend", ref, "--on", "2024-05-10", "--reason", "complex"),
        ("respond", ref, "--on", "2024-05-28", "--outcome", "partly-upheld", "--remedy", "apology"),
        ("escalate", ref, "--on", "2024-06-05"),
        ("appoint", ref, "--on", "2024-06-06", "--role", "independent-person", "--person", "IP-1"),
        ("statement", ref, "--on", "2024-06-10", "--points", "2"),
        ("finding", ref, "--on", "2024-07-01", "--point", "1", "--finding", "upheld"),
        ("respond", ref, "--on", "2024-07-05", "--outcome", "upheld", "--stage", "2"),
        ("escalate", ref, "--on", "2024-07-15"),
        ("panel", ref, "--on", "2024-08-15", "--report-on", "2024-08-20"),
        ("respond", ref, "--on", "2024-09-02", "--outcome", "upheld"),
        ("compensate", ref, "--on", "2024-09-02", "--amount", "250.5", "--reason", "distress"),
        ("ombudsman", "enquiry", ref, "--on", "2024-10-01"),
        ("ombudsman", "decision", ref, "--on", "2024-12-01", "--decision", "upheld"),
        ("compensate", ref, "--on", "2024-12-05", "--amount", "300"),
    ]
    for step in steps:
        complaints.ok(*step)
    assert (
        complaints.ok(
            "recommend", ref, "--on", "2024-12-05", "--text", "Train staff", "--stage", "ombudsman"
        )
        == "R1"
    )
    complaints.ok(
        "recommendation",
        "accept",
        ref,
        "R1",
        "--on",
        "2024-12-06",
        "--owner",
        "LN",
        "--due",
        "2025-01-31",
    )
    complaints.ok("recommendation", "complete", ref, "R1", "--on", "2025-01-20")

    history = complaints.history(ref)
    assert [e["type"] for e in history][:4] == ["Received", "Triaged", "Acknowledged", "Extended"]
    assert all({"type", "on", "recorded_at", "actor"} <= set(e) for e in history)
    assert {e["actor"] for e in history} == {"tester"}
    assert history[-1]["type"] == "RecommendationCompleted"
    assert len(history) == 21

    state = complaints.json("show", ref)
    assert state["status"] == "stage3-responded"
    assert [s["on_time"] for s in state["stages"]] == [True, True, True]
    assert [p["amount"] for p in state["compensation"]] == ["250.50", "300.00"]
    assert [p["stage"] for p in state["compensation"]] == ["3", "ombudsman"]
    assert state["ombudsman"][0]["decision"] == "upheld"
    assert state["personal"] == {"complainant": "Jane Doe", "recommendation:R1": "Train staff"}


def test_history_as_of_shows_only_what_was_recorded_by_then(complaints: Complaints) -> None:
    ref = complaints.ok("receive", "--on", "2024-05-01", "--procedure", "statutory")
    complaints.ok("acknowledge", ref, "--on", "2024-05-02")
    cut = complaints.history(ref)[-1]["recorded_at"]
    complaints.ok("respond", ref, "--on", "2024-05-10", "--outcome", "upheld")
    assert len(complaints.history(ref)) == 4
    earlier = complaints.json("history", ref, "--as-of", cut)
    assert [e["type"] for e in earlier] == ["Received", "Triaged", "Acknowledged"]
    assert datetime.fromisoformat(earlier[-1]["recorded_at"]) <= datetime.fromisoformat(cut)
    then = complaints.json("show", ref, "--as-of", cut)
    assert then["status"] == "stage1-open"
