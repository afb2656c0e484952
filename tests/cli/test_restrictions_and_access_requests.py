"""Unreasonable-actions restrictions and reasonable adjustments in a complainant's
register, and subject access requests received by children's services, through the
command line on both engines (ADR 0040)."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from tests.cli.conftest import Complaints


@pytest.fixture
def case(complaints: Complaints) -> str:
    return complaints.ok(
        "receive", "--on", "2025-04-07", "--procedure", "corporate", "--service-area",
        "Children in Need",
    )  # fmt: skip


def restrict(complaints: Complaints, case: str, *extra: str) -> str:
    return complaints.ok(
        "restriction", "decide", case, "--on", "2025-06-02", "--kind",
        "single-point-of-contact", "--scope", "all contact about the complaint",
        "--reason", "daily calls from Mr Okafor to five teams", "--review-on", "2025-12-02",
        *extra,
    )  # fmt: skip


def test_a_restriction_is_decided_reviewed_and_lifted_with_its_words_sealed(
    complaints: Complaints, case: str
) -> None:
    assert restrict(complaints, case) == "1"
    complaints.ok(
        "restriction", "review", case, "1", "--on", "2025-12-01", "--outcome", "continued",
        "--next-review-on", "2026-06-01", "--notes", "calls continue",
    )  # fmt: skip
    register = complaints.json("restriction", "register", case, "--on", "2026-01-10")
    [restriction] = register["restrictions"]
    assert restriction["kind"] == "single-point-of-contact"
    assert restriction["reason"] == "daily calls from Mr Okafor to five teams"
    assert restriction["review_on"] == "2026-06-01"
    assert restriction["status"] == "in-force"
    assert [r["notes"] for r in restriction["reviews"]] == ["calls continue"]
    complaints.ok(
        "restriction", "review", case, "1", "--on", "2026-05-20", "--outcome", "lifted",
        "--notes", "contact is normal again",
    )  # fmt: skip
    register = complaints.json("restriction", "register", case, "--on", "2026-06-10")
    assert register["restrictions"][0]["status"] == "lifted"
    assert register["restrictions"][0]["lifted_on"] == "2026-05-20"
    assert "restriction register" in [e["purpose"] for e in complaints.json("access-log")]


def test_a_restrictions_words_are_stored_sealed_and_shredded_with_the_complainant(
    complaints: Complaints, case: str
) -> None:
    restrict(complaints, case)
    from sqlalchemy import create_engine, text

    url = complaints.db if "://" in complaints.db else f"sqlite:///{complaints.db}"
    with create_engine(url).connect() as connection:
        stored = connection.execute(text("SELECT state FROM ledger_events")).scalars().all()
    assert not any(b"Okafor" in bytes(state) for state in stored)
    complaints.ok(
        "erase", case, "--subject", "complainant", "--basis", "request under Art. 17", "--yes"
    )
    register = complaints.json("restriction", "register", case)
    assert register["restrictions"][0]["reason"] == "[erased]"
    assert register["restrictions"][0]["kind"] == "single-point-of-contact"


def test_a_restriction_is_refused_without_a_review_after_its_decision(
    complaints: Complaints, case: str
) -> None:
    result = complaints.refused(
        "restriction", "decide", case, "--on", "2025-06-02", "--kind", "written-contact-only",
        "--scope", "letters only", "--reason", "abusive calls", "--review-on", "2025-06-01",
    )  # fmt: skip
    assert "[restriction-rule]" in result.stderr
    assert complaints.json("restriction", "register", case)["restrictions"] == []
    complaints.refused(
        "restriction", "decide", "CSC-2025-0099", "--on", "2025-06-02", "--kind", "other",
        "--scope", "x", "--reason", "y", "--review-on", "2025-09-01",
    )  # fmt: skip


def test_a_lifted_restriction_takes_no_more_reviews(complaints: Complaints, case: str) -> None:
    restrict(complaints, case)
    complaints.ok(
        "restriction", "review", case, "1", "--on", "2025-09-01", "--outcome", "lifted",
        "--notes", "no longer needed",
    )  # fmt: skip
    result = complaints.refused(
        "restriction", "review", case, "1", "--on", "2025-10-01", "--outcome", "continued",
        "--next-review-on", "2026-01-01", "--notes", "again",
    )  # fmt: skip
    assert "[restriction-ended]" in result.stderr


def test_report_open_lists_restrictions_due_for_review_by_reference_only(
    complaints: Complaints, case: str
) -> None:
    restrict(complaints, case)
    assert complaints.json("report", "open", "--on", "2025-11-30", "--restrictions") == []
    [due] = complaints.json("report", "open", "--on", "2025-12-10", "--restrictions")
    assert due == {
        "register": case,
        "restriction": 1,
        "kind": "single-point-of-contact",
        "decided_on": "2025-06-02",
        "review_on": "2025-12-02",
        "days_overdue": 8,
        "reviews": 0,
    }
    text = complaints.ok("report", "open", "--on", "2025-12-10")
    assert "restrictions due for review on 2025-12-10" in text
    assert "Okafor" not in text and "daily calls" not in text


def test_reasonable_adjustments_are_shown_wherever_the_case_is_shown(
    complaints: Complaints, case: str
) -> None:
    complaints.ok(
        "adjustment", "agree", case, "--on", "2025-04-09", "--kind", "interpreter",
        "--detail", "Polish interpreter at every meeting",
    )  # fmt: skip
    shown = complaints.json("show", case)
    assert shown["reasonable_adjustments"] == [
        {
            "kind": "interpreter",
            "agreed_on": "2025-04-09",
            "detail": "Polish interpreter at every meeting",
        }
    ]
    assert complaints.json("show", case, "--no-personal")["reasonable_adjustments"] == [
        {"kind": "interpreter", "agreed_on": "2025-04-09"}
    ]
    assert "reasonable adjustment interpreter agreed 2025-04-09" in complaints.ok("show", case)
    history = complaints.ok("history", case)
    assert "reasonable adjustment interpreter agreed 2025-04-09" in history
    assert "Polish" not in history
    assert "Polish interpreter" in complaints.ok("history", case, "--personal")
    [open_row] = complaints.json("report", "open", "--on", "2025-04-10")
    assert (open_row["ref"], open_row["adjustments"]) == (case, "interpreter")


def test_the_annual_report_counts_restrictions_in_force_by_kind(
    complaints: Complaints, case: str
) -> None:
    restrict(complaints, case)
    other = complaints.ok("receive", "--on", "2025-05-01", "--procedure", "corporate")
    complaints.ok(
        "restriction", "decide", other, "--on", "2025-07-01", "--kind", "written-contact-only",
        "--scope", "letters", "--reason", "threats", "--review-on", "2025-10-01",
    )  # fmt: skip
    complaints.ok(
        "restriction", "review", other, "1", "--on", "2025-10-01", "--outcome", "lifted",
        "--notes", "ended",
    )  # fmt: skip
    report = complaints.json("report", "annual", "--year", "2025", "--procedure", "corporate")
    assert report["restrictions"] == {
        "in_force_at_end": 1,
        "in_force_by_kind": {"single-point-of-contact": 1},
        "decided": 2,
        "lifted": 1,
        "review_overdue_at_end": 1,
        "people_restricted_at_end": 1,
    }
    assert report["previous"]["restrictions"]["decided"] == 0
    md = complaints.ok("report", "annual", "--year", "2025", "--procedure", "corporate",
                       "--format", "md")  # fmt: skip
    assert "## Unreasonable actions: restrictions" in md
    assert "threats" not in md and "Okafor" not in md


def sar(complaints: Complaints, on: str, area: str = "Children in Need") -> str:
    return complaints.ok("access-request", "receive", "--on", on, "--service-area", area)


def test_a_subject_access_request_is_due_in_a_month_and_three_when_complex(
    complaints: Complaints,
) -> None:
    ref = sar(complaints, "2025-01-31")
    assert ref == "SAR-2025-0001"
    shown = complaints.json("access-request", "show", ref, "--on", "2025-03-01")
    assert (shown["due"], shown["overdue"]) == ("2025-02-28", True)
    complaints.refused(
        "access-request", "extend", ref, "--on", "2025-03-01", "--reason", "many files"
    )
    complaints.ok("access-request", "extend", ref, "--on", "2025-02-20", "--reason", "15 years")
    shown = complaints.json("access-request", "show", ref, "--on", "2025-03-01")
    assert (shown["due"], shown["overdue"], shown["extension_reason"]) == (
        "2025-04-30",
        False,
        "15 years",
    )
    complaints.ok("access-request", "respond", ref, "--on", "2025-04-30", "--outcome",
                  "disclosed-in-part")  # fmt: skip
    complaints.ok("access-request", "review", ref, "--on", "2025-05-10")
    complaints.ok("access-request", "review", ref, "--on", "2025-06-01", "--outcome",
                  "further-disclosure")  # fmt: skip
    shown = complaints.json("access-request", "show", ref)
    assert shown["on_time"] is True
    assert (shown["review_requested_on"], shown["review_outcome"]) == (
        "2025-05-10",
        "further-disclosure",
    )


def test_a_subject_access_request_step_out_of_turn_is_refused(complaints: Complaints) -> None:
    ref = sar(complaints, "2025-04-07")
    result = complaints.refused("access-request", "review", ref, "--on", "2025-04-20")
    assert "[access-request-rule]" in result.stderr
    complaints.refused("access-request", "respond", ref, "--on", "2025-04-01", "--outcome",
                       "withheld")  # fmt: skip
    complaints.refused("access-request", "respond", ref, "--on", "2025-04-20", "--outcome",
                       "maybe", code=2)  # fmt: skip
    complaints.refused("access-request", "show", "SAR-2025-0009")
    assert complaints.json("access-request", "show", ref)["responded_on"] is None


def test_the_annual_report_counts_subject_access_requests_by_service_area_and_outcome(
    complaints: Complaints,
) -> None:
    late = sar(complaints, "2025-04-07")
    complaints.ok("access-request", "respond", late, "--on", "2025-05-08", "--outcome",
                  "disclosed-in-full")  # fmt: skip
    prompt = sar(complaints, "2025-05-01", "Children Looked After")
    complaints.ok("access-request", "respond", prompt, "--on", "2025-05-20", "--outcome",
                  "no-data-held")  # fmt: skip
    sar(complaints, "2026-02-01")  # open, overdue at 31 March
    report = complaints.json("report", "annual", "--year", "2025")
    found = report["subject_access_requests"]
    assert found["received"] == 3
    assert found["by_service_area"] == {"Children Looked After": 1, "Children in Need": 2}
    assert found["by_service_area_and_outcome"] == {
        "Children Looked After: no-data-held": 1,
        "Children in Need: disclosed-in-full": 1,
    }
    assert (found["responded"], found["on_time"], found["on_time_percent"]) == (2, 1, 50.0)
    assert (found["open_at_end"], found["overdue_at_end"]) == (1, 1)
    csv_text = complaints.ok("report", "annual", "--year", "2025", "--format", "csv")
    assert "Subject access requests" in csv_text


def test_access_requests_are_listed_open_overdue_and_answered_on_a_day(
    complaints: Complaints,
) -> None:
    answered = sar(complaints, "2025-04-01")
    complaints.ok("access-request", "respond", answered, "--on", "2025-04-20", "--outcome",
                  "withheld")  # fmt: skip
    overdue = sar(complaints, "2025-04-02")
    still_open = sar(complaints, "2025-05-20")
    listed = complaints.json("access-request", "list", "--on", "2025-06-01")
    assert [(r["ref"], r["status"]) for r in listed] == [
        (answered, "answered"),
        (overdue, "overdue"),
        (still_open, "open"),
    ]
    [row] = complaints.json("access-request", "list", "--on", "2025-06-01", "--status", "overdue")
    assert (row["ref"], row["due"]) == (overdue, "2025-05-02")


def test_a_subject_access_export_for_the_complainant_holds_their_register(
    complaints: Complaints, case: str, tmp_path: Path
) -> None:
    restrict(complaints, case)
    complaints.ok("subject-access", case, "--subject", "complainant", "--out", str(tmp_path))
    stem = tmp_path / f"{case}-complainant"
    document = orjson.loads(stem.with_suffix(".json").read_bytes())
    assert document["register"]["restrictions"][0]["scope"] == "all contact about the complaint"
    assert "restriction 1: single-point-of-contact" in stem.with_suffix(".md").read_text()
    complaints.ok("subject-access", case, "--subject", "child", "--out", str(tmp_path))
    assert orjson.loads((tmp_path / f"{case}-child.json").read_bytes())["register"] is None


def test_show_as_of_shows_the_register_as_recorded_by_then_without_its_words(
    complaints: Complaints, case: str
) -> None:
    complaints.ok(
        "adjustment", "agree", case, "--on", "2025-04-09", "--kind", "interpreter",
        "--detail", "Polish interpreter at every meeting",
    )  # fmt: skip
    complaints.ok("acknowledge", case, "--on", "2025-04-10")
    cut = str(complaints.history(case)[-1]["recorded_at"])
    restrict(complaints, case)
    other = complaints.ok("receive", "--on", "2025-04-11", "--procedure", "corporate")
    complaints.ok("link", case, other, "--kind", "same-family", "--on", "2025-06-03")

    then = complaints.json("show", case, "--as-of", cut)
    assert then["reasonable_adjustments"] == [{"kind": "interpreter", "agreed_on": "2025-04-09"}]
    assert then["restrictions"] == []
    assert then["links"] == []
    now = complaints.json("show", case)
    assert [r["kind"] for r in now["restrictions"]] == ["single-point-of-contact"]
    assert len(now["links"]) == 1
    text = complaints.ok("show", case, "--as-of", cut)
    assert "reasonable adjustment interpreter agreed 2025-04-09" in text
    assert "Polish" not in text and "single-point-of-contact" not in text
    history = complaints.ok("history", case, "--as-of", cut)
    assert "reasonable adjustment interpreter agreed 2025-04-09" in history
    assert "single-point-of-contact" not in history
