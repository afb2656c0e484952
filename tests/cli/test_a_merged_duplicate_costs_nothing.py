"""A merged duplicate counts as no complaint (ADR 0038), so the procedure's costs are
recorded on the original, never on the duplicate: a cost on a merged duplicate is refused,
a duplicate that has costs is not merged (it is linked), and a cost dated before the
merge but recorded after it stays out of the report's expenditure. Found by the hostile
review of 3 December 2026 (ADR 0044)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.cli.conftest import Complaints

Unchanged = Callable[..., None]


def statutory_case(complaints: Complaints, ref: str, on: str = "2024-05-01") -> str:
    return complaints.ok(
        "receive", "--ref", ref, "--on", on, "--procedure", "statutory",
        "--reason", "poor-communication",
    )  # fmt: skip


def expenditure(complaints: Complaints) -> dict[str, Any]:
    report: dict[str, Any] = complaints.json("report", "annual", "--year", "2024")
    return dict(report["expenditure"])


def merge(complaints: Complaints, duplicate: str, original: str, on: str) -> None:
    complaints.ok("merge", duplicate, "--into", original, "--reason", "dup", "--on", on)


def test_a_cost_on_a_merged_duplicate_is_refused_naming_the_case_ended(
    complaints: Complaints, unchanged: Unchanged
) -> None:
    statutory_case(complaints, "CSC-T-1")
    statutory_case(complaints, "CSC-T-2")
    merge(complaints, "CSC-T-2", "CSC-T-1", "2024-05-03")
    unchanged(
        "CSC-T-2", "cost", "CSC-T-2", "--on", "2024-05-07", "--kind", "advocacy",
        "--amount", "250", rule="case-ended",
    )  # fmt: skip
    assert expenditure(complaints)["cases"] == 0


def test_a_duplicate_with_a_cost_is_not_merged(
    complaints: Complaints, unchanged: Unchanged
) -> None:
    statutory_case(complaints, "CSC-T-1")
    statutory_case(complaints, "CSC-T-2")
    complaints.ok(
        "cost", "CSC-T-2", "--on", "2024-05-02", "--kind", "advocacy", "--amount", "250"
    )
    unchanged(
        "CSC-T-2", "merge", "CSC-T-2", "--into", "CSC-T-1", "--reason", "dup",
        "--on", "2024-05-03", rule="merge-refused",
    )  # fmt: skip


def test_a_cost_recorded_late_on_a_merged_duplicate_is_not_in_the_expenditure(
    complaints: Complaints,
) -> None:
    statutory_case(complaints, "CSC-T-1")
    statutory_case(complaints, "CSC-T-2")
    merge(complaints, "CSC-T-2", "CSC-T-1", "2024-05-03")
    complaints(
        "cost", "CSC-T-2", "--on", "2024-05-02", "--kind", "advocacy", "--amount", "250"
    )
    complaints.ok("projections", "rebuild")
    assert expenditure(complaints)["cases"] == 0
    assert expenditure(complaints)["total"] == "0.00"


def test_a_provider_or_a_joint_complaint_on_a_merged_duplicate_is_refused(
    complaints: Complaints, unchanged: Unchanged
) -> None:
    statutory_case(complaints, "CSC-T-1")
    statutory_case(complaints, "CSC-T-2")
    merge(complaints, "CSC-T-2", "CSC-T-1", "2024-05-03")
    unchanged(
        "CSC-T-2", "provider", "CSC-T-2", "--on", "2024-05-07", "--provider", "Acme Care",
        rule="case-ended",
    )  # fmt: skip
    unchanged(
        "CSC-T-2", "joint", "record", "CSC-T-2", "--on", "2024-05-07", "--with", "nhs",
        "--lead", "council", rule="case-ended",
    )  # fmt: skip
