"""The rules of linked, merged, split and re-opened cases (ADR 0038), as the Complaint
aggregate enforces them: each refusal is its own exception and records nothing.

Dates are in 2026: Monday 25 May is a bank holiday.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from domain import errors
from domain.case_links import MERGED, REOPENING, SAME_FAMILY
from domain.complaint import Complaint
from domain.procedure import CORPORATE, STATUTORY, ProcedurePolicy

POLICY = ProcedurePolicy(today=date(2026, 11, 23))
TEAM = "complaints-team"


def case(ref: str, procedure: str = STATUTORY, on: date = date(2026, 5, 11)) -> Complaint:
    complaint = Complaint.receive(ref=ref, on=on, actor=TEAM, policy=POLICY)
    complaint.triage(on=on, actor=TEAM, policy=POLICY, decision=procedure)
    return complaint


def records_nothing(
    complaint: Complaint, exception: type[errors.Refused], method: str, kwargs: dict[str, Any]
) -> None:
    """Run ``method`` with ``kwargs`` and check it is refused with exactly ``exception``,
    no event pending beyond those before."""
    before = len(complaint.pending_events)
    with pytest.raises(errors.Refused) as info:
        getattr(complaint, method)(**kwargs)
    assert type(info.value) is exception, info.value
    assert len(complaint.pending_events) == before


def test_a_reopened_stage_runs_its_timescale_afresh_from_the_reopening() -> None:
    complaint = case("A")
    complaint.respond(on=date(2026, 5, 15), actor=TEAM, policy=POLICY, outcome="not-upheld")
    complaint.reopen_stage(on=date(2026, 5, 18), actor=TEAM, policy=POLICY, reason="gap")
    stage = complaint.stage_numbered(1)
    assert stage.is_open and stage.reopened_on == date(2026, 5, 18)
    assert complaint.clock_basis(stage, POLICY) == REOPENING
    # 10 working days from Monday 18 May, 25 May a bank holiday: Tuesday 2 June.
    assert complaint.response_deadline(stage, POLICY) == date(2026, 6, 2)
    assert complaint.reopenings[0].set_aside_response_on == date(2026, 5, 15)


def test_a_corporate_stage_reopens_with_the_corporate_timescale() -> None:
    complaint = case("A", CORPORATE)
    complaint.respond(on=date(2026, 5, 15), actor=TEAM, policy=POLICY, outcome="upheld")
    complaint.reopen_stage(on=date(2026, 5, 18), actor=TEAM, policy=POLICY, reason="gap")
    assert complaint.stage_numbered(1).working_days == 15


def test_reopening_without_a_reason_or_while_open_is_refused() -> None:
    complaint = case("A")
    records_nothing(
        complaint, errors.ReopenRefused, "reopen_stage",
        {"on": date(2026, 5, 12), "actor": TEAM, "policy": POLICY, "reason": "gap"},
    )  # fmt: skip
    complaint.respond(on=date(2026, 5, 15), actor=TEAM, policy=POLICY, outcome="upheld")
    records_nothing(
        complaint, errors.BadData, "reopen_stage",
        {"on": date(2026, 5, 18), "actor": TEAM, "policy": POLICY, "reason": " "},
    )  # fmt: skip


def test_a_merged_duplicate_ends_and_names_its_original() -> None:
    original, duplicate = case("A"), case("B")
    duplicate.merge_into(
        on=date(2026, 5, 12), actor=TEAM, policy=POLICY, original=original, reason="twice"
    )
    assert duplicate.ended == MERGED and duplicate.merged_into == "A"


def test_merging_into_itself_across_procedures_or_after_an_answer_is_refused() -> None:
    original, duplicate = case("A"), case("B")
    on = {"on": date(2026, 5, 20), "actor": TEAM, "policy": POLICY, "reason": "twice"}
    records_nothing(duplicate, errors.MergeRefused, "merge_into", {**on, "original": duplicate})
    records_nothing(
        case("C", CORPORATE), errors.MergeRefused, "merge_into", {**on, "original": original}
    )
    duplicate.respond(on=date(2026, 5, 15), actor=TEAM, policy=POLICY, outcome="upheld")
    records_nothing(duplicate, errors.MergeRefused, "merge_into", {**on, "original": original})


def test_a_split_goes_only_into_the_other_procedure() -> None:
    complaint = case("A")
    with pytest.raises(errors.SplitRefused):
        complaint.check_split(STATUTORY)
    complaint.check_split(CORPORATE)


def test_a_link_to_itself_or_made_twice_is_refused() -> None:
    complaint = case("A")
    on = {"on": date(2026, 5, 12), "actor": TEAM, "policy": POLICY, "kind": SAME_FAMILY}
    records_nothing(complaint, errors.LinkRefused, "link", {**on, "other": "A"})
    complaint.link(on=date(2026, 5, 12), actor=TEAM, policy=POLICY, other="B", kind=SAME_FAMILY)
    records_nothing(complaint, errors.AlreadyLinked, "link", {**on, "other": "B"})
    assert [(k.ref, k.kind) for k in complaint.links] == [("B", SAME_FAMILY)]


def test_a_case_linked_to_one_case_can_be_linked_to_another_and_the_same_case_another_way() -> None:
    complaint = case("A")
    complaint.link(on=date(2026, 5, 12), actor=TEAM, policy=POLICY, other="B", kind=SAME_FAMILY)
    complaint.link(on=date(2026, 5, 12), actor=TEAM, policy=POLICY, other="C", kind=SAME_FAMILY)
    complaint.link(on=date(2026, 5, 12), actor=TEAM, policy=POLICY, other="B", kind="same-issue")
    assert [(k.ref, k.kind) for k in complaint.links] == [
        ("B", SAME_FAMILY),
        ("C", SAME_FAMILY),
        ("B", "same-issue"),
    ]
    records_nothing(
        complaint,
        errors.AlreadyLinked,
        "link",
        dict(on=date(2026, 5, 13), actor=TEAM, policy=POLICY, other="C", kind=SAME_FAMILY),
    )


def test_a_case_with_only_related_links_can_still_be_split() -> None:
    complaint = case("A")
    complaint.link(on=date(2026, 5, 12), actor=TEAM, policy=POLICY, other="B", kind=SAME_FAMILY)
    complaint.check_split(CORPORATE)  # no refusal


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("split-part", "case A was already split on 2026-05-12 (part P)"),
        ("split-from", "case A is the part split from P on 2026-05-12: a part is not split again"),
    ],
)
def test_a_split_case_or_a_split_part_is_not_split_again(kind: str, words: str) -> None:
    complaint = case("A")
    complaint.link(on=date(2026, 5, 12), actor=TEAM, policy=POLICY, other="P", kind=kind)
    with pytest.raises(errors.SplitRefused) as info:
        complaint.check_split(CORPORATE)
    assert str(info.value) == f"{words} [split-refused]"


def test_a_case_with_duplicates_merged_into_it_is_not_merged_itself() -> None:
    original = case("A")
    original.check_no_duplicates_merged_into_it([])  # none: no refusal
    with pytest.raises(errors.MergeRefused) as info:
        original.check_no_duplicates_merged_into_it(["B", "C"])
    assert str(info.value).startswith("B, C was merged into A: void that merge first")
