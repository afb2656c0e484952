"""The access log (issue 10, ADR 0021): every command that opens personal notes adds who
read which record and when, as events in the hash chain that `verify` covers; commands
that need no personal data open nothing and add nothing. `complaints access-log` shows
it, by record, reader and day."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.cli.conftest import Complaints

REF = "CSC-2025-0001"
OTHER = "CSC-2025-0002"
BARE = "CSC-2025-0003"


def prepare(complaints: Complaints) -> None:
    complaints.ok(
        "receive", "--ref", REF, "--on", "2025-04-07", "--procedure", "statutory",
        "--complainant", "Yolanda Yak", "--child", "Yuri Yak",
    )  # fmt: skip
    complaints.ok(
        "receive", "--ref", OTHER, "--on", "2025-04-08", "--procedure", "statutory",
        "--complainant", "Olga Other",
    )  # fmt: skip
    complaints.ok("receive", "--ref", BARE, "--on", "2025-04-09", "--procedure", "statutory")


def head(complaints: Complaints) -> str:
    return complaints.ok("verify")


def test_reading_without_personal_data_logs_nothing(complaints: Complaints, tmp_path: Path) -> None:
    prepare(complaints)
    before = head(complaints)
    complaints.ok("report", "annual", "--year", "2025")
    complaints.ok("history", REF)
    complaints.ok("show", REF, "--no-personal")
    complaints.ok("show", BARE)  # a case with no personal notes: nothing to open
    complaints.ok("list")
    complaints.ok("export", "--format", "jsonl", "--out", str(tmp_path / "events.jsonl"))
    complaints.ok("export", "--format", "csv", "--all", "--out", str(tmp_path / "csv"))
    assert complaints.json("access-log") == []
    assert complaints.ok("access-log") == "no personal data was opened"
    assert head(complaints) == before


def test_every_opening_of_personal_data_is_logged_and_verified(
    complaints: Complaints, tmp_path: Path
) -> None:
    prepare(complaints)
    verified_before = head(complaints)
    complaints.ok("show", REF)
    Complaints(complaints.db, actor="dpo").ok("history", REF, "--personal")
    Complaints(complaints.db, actor="dpo").ok(
        "subject-access", REF, "--subject", "child", "--out", str(tmp_path / "sar")
    )
    Complaints(complaints.db, actor="analyst").ok(
        "export", "--include-personal", "--out", str(tmp_path / "all.jsonl")
    )
    log = complaints.json("access-log")
    assert [(e["actor"], e["ref"], e["purpose"]) for e in log] == [
        ("tester", REF, "show"),
        ("dpo", REF, "history --personal"),
        ("dpo", REF, "subject access (child)"),
        ("analyst", REF, "export --include-personal"),
        ("analyst", OTHER, "export --include-personal"),
    ]
    assert {e["on"] for e in log} == {date.today().isoformat()}
    # The subject access export is also a step of the case's own history.
    given = [e for e in complaints.history(REF) if e["type"] == "SubjectAccessGiven"]
    assert [(e["actor"], e["data"]["subject"]) for e in given] == [("dpo", "child")]

    assert [e["purpose"] for e in complaints.json("access-log", OTHER)] == [
        "export --include-personal"
    ]
    assert [e["purpose"] for e in complaints.json("access-log", REF, "--actor", "dpo")] == [
        "history --personal",
        "subject access (child)",
    ]
    assert complaints.json("access-log", "--from", "2099-01-01") == []
    text = complaints.ok("access-log", "--actor", "tester")
    assert text.endswith(f"tester         {REF}   show")

    # The log is in the hash chain: verify counts its entries (each record's log is
    # opened by its first entry) and the SAR step.
    before = int(verified_before.split()[1])
    after = complaints.ok("verify")
    assert after.startswith(f"verified {before + 2 + 5 + 1} events")
    assert complaints.json("verify")["intact"]


def test_an_unknown_record_in_the_access_log_is_refused(complaints: Complaints) -> None:
    prepare(complaints)
    refused = complaints.refused("access-log", "CSC-2025-0099")
    assert "CSC-2025-0099" in refused.stderr


def test_an_annual_report_quoting_an_approved_extract_is_logged(complaints: Complaints) -> None:
    compliment = complaints.ok(
        "compliment", "--on", "2025-05-02", "--team", "Fostering",
        "--text", "Thank you, Kim was wonderful with our son",
    )  # fmt: skip
    complaints.ok("compliment", "publish", compliment, "--extract", "Wonderful with our son")
    assert complaints.json("access-log") == []
    report = complaints.json("report", "annual", "--year", "2025")
    assert report["compliments"]["extracts"][0]["extract"] == "Wonderful with our son"
    log = complaints.json("access-log")
    assert [(e["ref"], e["purpose"]) for e in log] == [
        (compliment, "report annual (approved extracts)")
    ]


def test_opening_an_access_requests_extension_reason_is_logged(complaints: Complaints) -> None:
    """The reason is sealed (ADR 0040); showing it opens it, like a case's (ADR 0044)."""
    ref = complaints.ok(
        "access-request", "receive", "--on", "2025-01-31", "--service-area", "Care Leavers"
    )
    complaints.ok("access-request", "extend", ref, "--on", "2025-02-10", "--reason", "three teams")
    assert complaints.json("access-log") == []
    shown = complaints.json("access-request", "show", ref)
    assert shown["extension_reason"] == "three teams"
    log = complaints.json("access-log")
    assert [(e["actor"], e["ref"], e["purpose"]) for e in log] == [
        ("tester", ref, "access-request show")
    ]
