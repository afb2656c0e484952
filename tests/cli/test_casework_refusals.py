"""Refusals the hostile review of 3 December 2026 found missing from the casework of
ADR 0038 (ADR 0044): a split part is not split again (it would make a second copy of
the original's own procedure), and a new issue's reference is checked like a receipt's."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.cli.conftest import Complaints

Unchanged = Callable[..., None]


def statutory_case(complaints: Complaints, ref: str, on: str = "2024-05-01") -> str:
    return complaints.ok(
        "receive", "--ref", ref, "--on", on, "--procedure", "statutory",
        "--reason", "poor-communication",
    )  # fmt: skip


def test_a_split_part_is_not_split_again(
    complaints: Complaints, unchanged: Unchanged
) -> None:
    statutory_case(complaints, "CSC-T-1")
    part = complaints.ok("split", "CSC-T-1", "--procedure", "corporate", "--on", "2024-05-02")
    unchanged(
        part, "split", part, "--procedure", "statutory", "--on", "2024-05-03",
        rule="split-refused",
    )  # fmt: skip
    assert sorted(c["ref"] for c in complaints.json("list")) == sorted(["CSC-T-1", part])


@pytest.mark.parametrize("new_ref", ["", " ", "-CSC", "CSC T 1", "x" * 41])
def test_a_new_issue_with_a_reference_a_receipt_would_refuse_is_refused(
    complaints: Complaints, unchanged: Unchanged, new_ref: str
) -> None:
    statutory_case(complaints, "CSC-T-1")
    unchanged(
        "CSC-T-1", "new-issue", "CSC-T-1", "--on", "2024-05-02", "--new-ref", new_ref,
        rule="bad-data",
    )  # fmt: skip
    assert [c["ref"] for c in complaints.json("list")] == ["CSC-T-1"]


def test_a_case_with_a_merged_duplicate_is_not_merged_into_a_third(
    complaints: Complaints, unchanged: Unchanged
) -> None:
    for ref in ("CSC-T-1", "CSC-T-2", "CSC-T-3"):
        statutory_case(complaints, ref)
    complaints.ok("merge", "CSC-T-1", "--into", "CSC-T-2", "--reason", "dup", "--on", "2024-05-02")
    unchanged(
        "CSC-T-2", "merge", "CSC-T-2", "--into", "CSC-T-3", "--reason", "dup",
        "--on", "2024-05-03", rule="merge-refused",
    )  # fmt: skip
    assert complaints.json("show", "CSC-T-1")["merged_into"] == "CSC-T-2"


def test_a_case_whose_duplicate_was_voided_out_of_its_merge_can_be_merged(
    complaints: Complaints,
) -> None:
    for ref in ("CSC-T-1", "CSC-T-2", "CSC-T-3"):
        statutory_case(complaints, ref)
    complaints.ok("merge", "CSC-T-1", "--into", "CSC-T-2", "--reason", "dup", "--on", "2024-05-02")
    version = complaints.history("CSC-T-1")[-1]["version"]
    complaints.ok("void", "CSC-T-1", str(version), "--reason", "merged into the wrong case")
    complaints.ok("merge", "CSC-T-2", "--into", "CSC-T-3", "--reason", "dup", "--on", "2024-05-03")
    complaints.ok("merge", "CSC-T-1", "--into", "CSC-T-3", "--reason", "dup", "--on", "2024-05-03")
    assert complaints.json("show", "CSC-T-1")["merged_into"] == "CSC-T-3"
