"""Linked, merged, split and re-opened cases, and new issues (issue 16, ADR 0038), driven
through the CLI on SQLite and PostgreSQL.

Dates are in 2024: Monday 6 May and Monday 27 May are bank holidays.
"""

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


def annual(complaints: Complaints, procedure: str = "statutory") -> dict[str, Any]:
    report: dict[str, Any] = complaints.json(
        "report", "annual", "--year", "2024", "--procedure", procedure
    )
    return report


# ------------------------------------------------------------------------- merge
def test_a_merged_duplicate_ends_points_at_its_original_and_is_counted_once(
    complaints: Complaints,
) -> None:
    statutory_case(complaints, "CSC-T-1")
    statutory_case(complaints, "CSC-T-2", on="2024-05-02")
    assert annual(complaints)["stage1"]["received"] == 2

    complaints.ok(
        "merge", "CSC-T-2", "--into", "CSC-T-1", "--reason", "same letter twice",
        "--on", "2024-05-03",
    )  # fmt: skip

    report = annual(complaints)
    assert report["stage1"]["received"] == 1
    assert report["case_links"]["merged_duplicates"] == 1
    duplicate = complaints.json("show", "CSC-T-2")
    assert duplicate["status"] == "merged"
    assert duplicate["merged_into"] == "CSC-T-1"
    assert duplicate["ended_on"] == "2024-05-03"
    merged = [e for e in complaints.history("CSC-T-2") if e["type"] == "MergedInto"]
    assert len(merged) == 1 and merged[0]["data"]["original"] == "CSC-T-1"
    original = complaints.json("show", "CSC-T-1")
    assert {"on": "2024-05-03", "ref": "CSC-T-2", "kind": "merged-duplicate"} in original["links"]
    assert "duplicate merged into it: CSC-T-2" in complaints.ok("show", "CSC-T-1")
    assert "merged into CSC-T-1" in complaints.ok("show", "CSC-T-2")


def test_a_step_on_a_merged_duplicate_is_refused(
    complaints: Complaints, unchanged: Unchanged
) -> None:
    statutory_case(complaints, "CSC-T-1")
    statutory_case(complaints, "CSC-T-2")
    complaints.ok("merge", "CSC-T-2", "--into", "CSC-T-1", "--reason", "dup", "--on", "2024-05-03")
    unchanged(
        "CSC-T-2", "respond", "CSC-T-2", "--on", "2024-05-07", "--outcome", "upheld",
        rule="case-ended",
    )  # fmt: skip


def test_merging_a_case_into_itself_is_refused(
    complaints: Complaints, unchanged: Unchanged
) -> None:
    statutory_case(complaints, "CSC-T-1")
    unchanged(
        "CSC-T-1", "merge", "CSC-T-1", "--into", "CSC-T-1", "--reason", "x", "--on", "2024-05-02",
        rule="merge-refused",
    )  # fmt: skip


def test_merging_a_duplicate_already_answered_is_refused(
    complaints: Complaints, unchanged: Unchanged
) -> None:
    statutory_case(complaints, "CSC-T-1")
    statutory_case(complaints, "CSC-T-2")
    complaints.ok("respond", "CSC-T-2", "--on", "2024-05-03", "--outcome", "not-upheld")
    unchanged(
        "CSC-T-2", "merge", "CSC-T-2", "--into", "CSC-T-1", "--reason", "dup",
        "--on", "2024-05-07", rule="merge-refused",
    )  # fmt: skip
    assert annual(complaints)["stage1"]["received"] == 2


def test_merging_across_procedures_is_refused(complaints: Complaints, unchanged: Unchanged) -> None:
    statutory_case(complaints, "CSC-T-1")
    complaints.ok("receive", "--ref", "CSC-T-2", "--on", "2024-05-01", "--procedure", "corporate")
    unchanged(
        "CSC-T-2", "merge", "CSC-T-2", "--into", "CSC-T-1", "--reason", "dup",
        "--on", "2024-05-02", rule="merge-refused",
    )  # fmt: skip


def test_merging_into_a_merged_duplicate_is_refused(
    complaints: Complaints, unchanged: Unchanged
) -> None:
    for ref in ("CSC-T-1", "CSC-T-2", "CSC-T-3"):
        statutory_case(complaints, ref)
    complaints.ok("merge", "CSC-T-2", "--into", "CSC-T-1", "--reason", "dup", "--on", "2024-05-02")
    unchanged(
        "CSC-T-3", "merge", "CSC-T-3", "--into", "CSC-T-2", "--reason", "dup",
        "--on", "2024-05-02", rule="merge-refused",
    )  # fmt: skip
    assert complaints.history("CSC-T-2")[-1]["type"] == "MergedInto"


# ------------------------------------------------------------------------- split
def test_a_split_complaint_appears_once_in_each_procedures_report_with_its_own_clock(
    complaints: Complaints,
) -> None:
    statutory_case(complaints, "CSC-T-1")
    part = complaints.ok(
        "split", "CSC-T-1", "--procedure", "corporate", "--part-ref", "CSC-T-1A",
        "--on", "2024-05-03",
    )  # fmt: skip
    assert part == "CSC-T-1A"

    statutory, corporate = annual(complaints), annual(complaints, "corporate")
    assert statutory["stage1"]["received"] == 1
    assert corporate["stage1"]["received"] == 1
    assert statutory["case_links"]["split_into_other_procedure"] == 1
    assert corporate["case_links"]["split_from_other_procedure"] == 1
    shown = complaints.json("show", "CSC-T-1A")
    assert shown["procedure"] == "corporate"
    assert shown["reasons"] == ["poor-communication"]
    assert {"on": "2024-05-03", "ref": "CSC-T-1", "kind": "split-from"} in shown["links"]
    # Corporate Stage 1: 15 working days from the split (6 and 27 May bank holidays).
    assert shown["stages"][0]["clock_from"] == "2024-05-03"
    assert shown["stages"][0]["response_due"] == "2024-05-28"
    original = complaints.json("show", "CSC-T-1")
    assert original["stages"][0]["response_due"] == "2024-05-16"
    assert {"on": "2024-05-03", "ref": "CSC-T-1A", "kind": "split-part"} in original["links"]


def test_splitting_into_the_procedure_the_case_is_under_is_refused(
    complaints: Complaints, unchanged: Unchanged
) -> None:
    statutory_case(complaints, "CSC-T-1")
    unchanged(
        "CSC-T-1", "split", "CSC-T-1", "--procedure", "statutory", "--on", "2024-05-02",
        rule="split-refused",
    )  # fmt: skip


def test_splitting_a_case_twice_is_refused(complaints: Complaints, unchanged: Unchanged) -> None:
    statutory_case(complaints, "CSC-T-1")
    complaints.ok("split", "CSC-T-1", "--procedure", "corporate", "--on", "2024-05-02")
    unchanged(
        "CSC-T-1", "split", "CSC-T-1", "--procedure", "corporate", "--on", "2024-05-03",
        rule="split-refused",
    )  # fmt: skip
    assert annual(complaints, "corporate")["stage1"]["received"] == 1


def test_splitting_a_case_not_yet_triaged_is_refused(
    complaints: Complaints, unchanged: Unchanged
) -> None:
    complaints.ok("receive", "--ref", "CSC-T-1", "--on", "2024-05-01")
    unchanged(
        "CSC-T-1", "split", "CSC-T-1", "--procedure", "corporate", "--on", "2024-05-02",
        rule="not-triaged",
    )  # fmt: skip


# ----------------------------------------------------------------------- re-open
def test_a_reopened_stage_is_counted_and_its_new_deadline_counted_from_the_reopening(
    complaints: Complaints,
) -> None:
    statutory_case(complaints, "CSC-T-1")
    complaints.ok("respond", "CSC-T-1", "--on", "2024-05-10", "--outcome", "not-upheld")
    complaints.ok("reopen", "CSC-T-1", "--on", "2024-05-20", "--reason", "point 2 not answered")

    stage = complaints.json("show", "CSC-T-1")["stages"][0]
    assert stage["responded_on"] is None
    assert stage["clock_basis"] == "re-opening"
    assert stage["reopened_on"] == "2024-05-20"
    # 10 working days from Monday 20 May, 27 May a bank holiday: Tuesday 4 June.
    assert stage["response_due"] == "2024-06-04"
    shown = complaints.json("show", "CSC-T-1")
    assert shown["status"] == "stage1-open"
    assert shown["reopenings"][0]["set_aside_response_on"] == "2024-05-10"
    assert "Stage 1 re-opened 2024-05-20" in complaints.ok("show", "CSC-T-1")
    assert any(e["type"] == "StageReopened" for e in complaints.history("CSC-T-1"))

    complaints.ok("respond", "CSC-T-1", "--on", "2024-06-04", "--outcome", "partly-upheld")
    report = annual(complaints)
    assert report["case_links"]["reopened"] == {"total": 1, "by_stage": {"1": 1, "2": 0}}
    assert report["stage1"]["received"] == 1
    assert report["stage1"]["responded"] == 1
    assert report["stage1"]["on_time"] == 1
    assert report["stage1"]["outcomes"]["partly_upheld"] == 1
    markdown = complaints.ok("report", "annual", "--year", "2024")
    assert "| Stage 1 re-opened (response found incomplete) | 1 | 0 |" in markdown


def test_reopening_a_stage_still_open_is_refused(
    complaints: Complaints, unchanged: Unchanged
) -> None:
    statutory_case(complaints, "CSC-T-1")
    unchanged(
        "CSC-T-1", "reopen", "CSC-T-1", "--on", "2024-05-03", "--reason", "x",
        rule="reopen-refused",
    )  # fmt: skip


def test_reopening_a_stage_that_is_no_longer_the_current_one_is_refused(
    complaints: Complaints, unchanged: Unchanged
) -> None:
    statutory_case(complaints, "CSC-T-1")
    complaints.ok("respond", "CSC-T-1", "--on", "2024-05-10", "--outcome", "not-upheld")
    complaints.ok("escalate", "CSC-T-1", "--on", "2024-05-13")
    unchanged(
        "CSC-T-1", "reopen", "CSC-T-1", "--stage", "1", "--on", "2024-05-14", "--reason", "x",
        rule="reopen-refused",
    )  # fmt: skip


def test_reopening_dated_before_the_response_is_refused_as_the_stage_was_then_open(
    complaints: Complaints, unchanged: Unchanged
) -> None:
    statutory_case(complaints, "CSC-T-1")
    complaints.ok("respond", "CSC-T-1", "--on", "2024-05-10", "--outcome", "not-upheld")
    unchanged(
        "CSC-T-1", "reopen", "CSC-T-1", "--on", "2024-05-09", "--reason", "x",
        rule="reopen-refused",
    )  # fmt: skip


def test_voiding_a_reopening_brings_back_the_response_it_set_aside(
    complaints: Complaints,
) -> None:
    statutory_case(complaints, "CSC-T-1")
    complaints.ok("respond", "CSC-T-1", "--on", "2024-05-10", "--outcome", "not-upheld")
    complaints.ok("reopen", "CSC-T-1", "--on", "2024-05-20", "--reason", "x")
    version = complaints.history("CSC-T-1")[-1]["version"]
    complaints.ok("void", "CSC-T-1", str(version), "--reason", "wrong case")
    assert complaints.json("show", "CSC-T-1")["stages"][0]["responded_on"] == "2024-05-10"
    assert annual(complaints)["case_links"]["reopened"]["total"] == 0


# ------------------------------------------------------------- link, new issue
def test_linked_cases_show_each_other_and_a_second_link_of_that_kind_is_refused(
    complaints: Complaints, unchanged: Unchanged
) -> None:
    statutory_case(complaints, "CSC-T-1")
    statutory_case(complaints, "CSC-T-2")
    complaints.ok("link", "CSC-T-1", "CSC-T-2", "--kind", "same-family", "--on", "2024-05-02")
    assert complaints.json("show", "CSC-T-2")["links"] == [
        {"on": "2024-05-02", "ref": "CSC-T-1", "kind": "same-family"}
    ]
    assert "same family as CSC-T-2" in complaints.ok("show", "CSC-T-1")
    assert annual(complaints)["case_links"]["linked_cases"] == 2
    unchanged(
        "CSC-T-1", "link", "CSC-T-1", "CSC-T-2", "--kind", "same-family", "--on", "2024-05-03",
        rule="already-linked",
    )  # fmt: skip
    assert complaints.json("show", "CSC-T-2")["links"][0]["kind"] == "same-family"


def test_linking_a_case_to_itself_or_to_an_unknown_case_is_refused(
    complaints: Complaints, unchanged: Unchanged
) -> None:
    statutory_case(complaints, "CSC-T-1")
    unchanged(
        "CSC-T-1", "link", "CSC-T-1", "CSC-T-1", "--kind", "same-issue", "--on", "2024-05-02",
        rule="link-refused",
    )  # fmt: skip
    unchanged(
        "CSC-T-1", "link", "CSC-T-1", "CSC-T-9", "--kind", "same-issue", "--on", "2024-05-02",
        rule="unknown-case",
    )  # fmt: skip


def test_a_new_issue_raised_during_a_case_is_a_new_linked_complaint(
    complaints: Complaints,
) -> None:
    statutory_case(complaints, "CSC-T-1")
    issue = complaints.ok(
        "new-issue", "CSC-T-1", "--on", "2024-05-08", "--reason", "delays-in-service"
    )
    shown = complaints.json("show", issue)
    assert shown["procedure"] == "statutory"
    assert shown["received_on"] == "2024-05-08"
    assert shown["reasons"] == ["delays-in-service"]
    assert shown["links"] == [{"on": "2024-05-08", "ref": "CSC-T-1", "kind": "raised-during"}]
    assert complaints.json("show", "CSC-T-1")["links"][0] == {
        "on": "2024-05-08", "ref": issue, "kind": "new-issue",
    }  # fmt: skip
    report = annual(complaints)
    assert report["stage1"]["received"] == 2
    assert report["case_links"]["new_issues"] == 1


def test_reopening_statutory_stage_3_is_refused(
    complaints: Complaints, unchanged: Unchanged
) -> None:
    statutory_case(complaints, "CSC-T-1")
    for line in (
        "respond CSC-T-1 --on 2024-05-10 --outcome not-upheld",
        "escalate CSC-T-1 --on 2024-05-13",
        "respond CSC-T-1 --on 2024-06-20 --outcome not-upheld",
        "escalate CSC-T-1 --on 2024-06-24",
        "panel CSC-T-1 --on 2024-07-15",
        "respond CSC-T-1 --on 2024-07-30 --outcome not-upheld",
    ):
        complaints.ok(*line.split())
    unchanged(
        "CSC-T-1", "reopen", "CSC-T-1", "--on", "2024-08-01", "--reason", "x",
        rule="reopen-refused",
    )  # fmt: skip


def test_a_reopened_stage_may_be_extended_from_its_new_clock(complaints: Complaints) -> None:
    statutory_case(complaints, "CSC-T-1")
    complaints.ok("respond", "CSC-T-1", "--on", "2024-05-10", "--outcome", "upheld")
    complaints.ok("reopen", "CSC-T-1", "--on", "2024-05-13", "--reason", "x")
    complaints.ok("extend", "CSC-T-1", "--on", "2024-05-20", "--reason", "complex")
    # 20 working days from Monday 13 May, 27 May a bank holiday: Tuesday 11 June.
    assert complaints.json("show", "CSC-T-1")["stages"][0]["response_due"] == "2024-06-11"


def test_voiding_a_merge_counts_the_duplicate_again(complaints: Complaints) -> None:
    statutory_case(complaints, "CSC-T-1")
    statutory_case(complaints, "CSC-T-2")
    complaints.ok("merge", "CSC-T-2", "--into", "CSC-T-1", "--reason", "dup", "--on", "2024-05-03")
    version = complaints.history("CSC-T-2")[-1]["version"]
    complaints.ok("void", "CSC-T-2", str(version), "--reason", "not a duplicate after all")
    assert complaints.json("show", "CSC-T-2")["status"] == "stage1-open"
    report = annual(complaints)
    assert report["stage1"]["received"] == 2
    assert report["case_links"]["merged_duplicates"] == 0


def test_linking_to_a_merged_duplicate_is_refused(
    complaints: Complaints, unchanged: Unchanged
) -> None:
    for ref in ("CSC-T-1", "CSC-T-2", "CSC-T-3"):
        statutory_case(complaints, ref)
    complaints.ok("merge", "CSC-T-2", "--into", "CSC-T-1", "--reason", "dup", "--on", "2024-05-02")
    unchanged(
        "CSC-T-3", "link", "CSC-T-3", "CSC-T-2", "--kind", "same-issue", "--on", "2024-05-03",
        rule="link-refused",
    )  # fmt: skip


def test_merging_into_a_withdrawn_case_is_refused(
    complaints: Complaints, unchanged: Unchanged
) -> None:
    statutory_case(complaints, "CSC-T-1")
    statutory_case(complaints, "CSC-T-2")
    complaints.ok("withdraw", "CSC-T-1", "--on", "2024-05-02")
    unchanged(
        "CSC-T-2", "merge", "CSC-T-2", "--into", "CSC-T-1", "--reason", "dup",
        "--on", "2024-05-03", rule="merge-refused",
    )  # fmt: skip


def test_a_new_issue_on_a_withdrawn_case_is_refused(
    complaints: Complaints, unchanged: Unchanged
) -> None:
    statutory_case(complaints, "CSC-T-1")
    complaints.ok("withdraw", "CSC-T-1", "--on", "2024-05-02")
    unchanged("CSC-T-1", "new-issue", "CSC-T-1", "--on", "2024-05-03", rule="case-ended")
