"""The casework of issue 16 counted in the period report (and its public version) and
in the Complaint Handling Code's report (ADR 0043), through the CLI on both engines.

Dates are in 2025: Monday 5 May and Monday 26 May are bank holidays.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.cli.conftest import Complaints


def corporate_case(complaints: Complaints, ref: str, on: str) -> str:
    return complaints.ok(
        "receive", "--ref", ref, "--on", on, "--procedure", "corporate",
        "--reason", "poor-communication",
    )  # fmt: skip


@pytest.fixture
def casework(complaints: Complaints) -> Complaints:
    """A corporate quarter (April to June 2025) with a re-opened Stage 1 response, a
    merged duplicate, a joint complaint with the NHS and a restriction on contact."""
    corporate_case(complaints, "CSC-Q-1", "2025-04-07")
    corporate_case(complaints, "CSC-Q-2", "2025-04-08")
    corporate_case(complaints, "CSC-Q-3", "2025-04-09")
    complaints.ok("respond", "CSC-Q-1", "--on", "2025-04-14", "--outcome", "not-upheld")
    complaints.ok("reopen", "CSC-Q-1", "--on", "2025-04-22", "--reason", "point 2 not answered")
    complaints.ok(
        "merge", "CSC-Q-2", "--into", "CSC-Q-3", "--reason", "same letter twice",
        "--on", "2025-04-10",
    )  # fmt: skip
    complaints.ok(
        "joint", "record", "CSC-Q-3", "--on", "2025-04-11", "--with", "nhs", "--lead", "council"
    )
    complaints.ok(
        "restriction", "decide", "CSC-Q-3", "--on", "2025-06-02", "--kind",
        "written-contact-only", "--scope", "all contact about the complaint",
        "--reason", "abusive calls", "--review-on", "2025-12-02",
    )  # fmt: skip
    return complaints


def period(complaints: Complaints, *extra: str) -> dict[str, Any]:
    report: dict[str, Any] = complaints.json(
        "report", "period", "--from", "2025-04-01", "--to", "2025-06-30",
        "--procedure", "corporate", *extra,
    )  # fmt: skip
    return report


def test_the_period_report_counts_reopened_stages_merged_duplicates_joints_and_restrictions(
    casework: Complaints,
) -> None:
    report = period(casework)
    assert report["case_links"]["reopened"] == {"total": 1, "by_stage": {"1": 1, "2": 0}}
    assert report["case_links"]["merged_duplicates"] == 1
    assert report["stage1"]["received"] == 2  # the duplicate counted once, as its original
    assert report["joint_complaints"]["complaints"] == 1
    assert report["joint_complaints"]["by_body"] == {"nhs": 1}
    assert report["restrictions"]["in_force_at_end"] == 1
    assert report["restrictions"]["decided"] == 1
    assert report["previous"]["case_links"]["reopened"]["total"] == 0
    # A month before the re-opening and the restriction counts neither.
    april_first_week = casework.json(
        "report", "period", "--from", "2025-04-01", "--to", "2025-04-13",
        "--procedure", "corporate",
    )  # fmt: skip
    assert april_first_week["case_links"]["reopened"]["total"] == 0
    assert april_first_week["restrictions"]["in_force_at_end"] == 0
    markdown = casework.ok(
        "report", "period", "--from", "2025-04-01", "--to", "2025-06-30",
        "--procedure", "corporate",
    )  # fmt: skip
    assert "Linked, merged, split and re-opened cases" in markdown
    assert "Unreasonable actions: restrictions" in markdown


def test_the_public_period_report_hides_the_small_casework_counts(casework: Complaints) -> None:
    report = period(casework, "--public")
    assert report["case_links"]["reopened"]["total"] == "<5"
    assert report["case_links"]["merged_duplicates"] == "<5"
    assert report["joint_complaints"]["complaints"] == "<5"
    assert report["restrictions"]["in_force_at_end"] == "<5"


def test_the_code_report_counts_reopened_responses_merged_duplicates_joints_and_restrictions(
    casework: Complaints,
) -> None:
    document = casework.json("report", "code", "--year", "2025")
    assert document["casework"] == {
        "reopened": {"total": 1, "by_stage": {"1": 1, "2": 0}},
        "merged_duplicates": 1,
        "joint_complaints": {
            "complaints": 1,
            "by_body": {"nhs": 1},
            "by_lead": {"council": 1, "other_body": 0},
            "responses_agreed": 0,
        },
        "restrictions": {
            "in_force_at_end": 1,
            "people_restricted_at_end": 1,
            "decided": 1,
            "lifted": 0,
            "review_overdue_at_end": 1,  # due 2 December, not held by 31 March
        },
    }
    assert document["previous"]["casework"]["reopened"]["total"] == 0
    assert document["stage1"]["received"] == 2
    markdown = casework.ok("report", "code", "--year", "2025")
    assert "## Re-opened, merged and joint complaints, and restrictions on contact" in markdown
    assert "| Stage 1 responses found incomplete and re-opened | 1 | 0 |" in markdown
    for output_format in ("csv", "html"):
        shown = casework.ok("report", "code", "--year", "2025", "--format", output_format)
        assert "Re-opened, merged and joint complaints, and restrictions on contact" in shown
    public = casework.json("report", "code", "--year", "2025", "--public")
    assert public["casework"]["merged_duplicates"] == "<5"
