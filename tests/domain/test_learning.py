"""The rules of learning statements and the Complaint Handling Code's self-assessment
(ADR 0030), as the aggregates of :mod:`domain.learning` enforce them.

The command-line tests (``tests/cli/test_learning_and_code_report.py``) show the same
rules through ``complaints learning`` and ``complaints code``; these are the fast ones
the mutation check runs. Each refusal checks the exception's class and rule and that
nothing was recorded. "Today" is Monday 23 November 2026.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.domain import Aggregate

from domain import errors
from domain.learning import (
    CODE_SECTIONS,
    LearningStatement,
    SelfAssessment,
    check_public_wording,
    learning_id,
    learning_status,
    self_assessment_id,
    year_label,
)
from domain.procedure import ProcedurePolicy
from domain.registers import TEAM, Register, RegisterEntry

TODAY = date(2026, 11, 23)
POLICY = ProcedurePolicy(today=TODAY)
RECORDED = date(2026, 6, 1)
DUE = date(2026, 9, 30)
REF = "LRN-2026-0001"


@contextmanager
def refused(aggregate: Aggregate | None, exception: type[errors.Refused]) -> Iterator[None]:
    """The block must raise exactly ``exception`` and (given an aggregate) record nothing."""
    pending = list(aggregate.pending_events) if aggregate is not None else []
    version = aggregate.version if aggregate is not None else 0
    with pytest.raises(errors.Refused) as info:
        yield
    assert type(info.value) is exception, f"{type(info.value).__name__}: {info.value}"
    assert info.value.rule == exception.rule
    if aggregate is not None:
        assert aggregate.pending_events == pending
        assert aggregate.version == version


def recorded(policy: ProcedurePolicy = POLICY, **details: Any) -> LearningStatement:
    arguments: dict[str, Any] = {
        "ref": REF,
        "on": RECORDED,
        "actor": "complaints-team",
        "policy": policy,
        "team": "Children in Need",
        "due": DUE,
        "went_wrong": "the letter was late",
        "learnt": "letters need a second reader",
        "action": "add a second reader to the rota",
        "case_ref": "CSC-2026-0001",
    }
    arguments.update(details)
    return LearningStatement.record(**arguments)


def replayed(aggregate: Aggregate) -> Any:
    """The aggregate rebuilt from its own events, as the ledger loads it."""
    state: Any = None
    for event in aggregate.pending_events:
        state = event.mutate(state)
    return state


# --------------------------------------------------------------- identities and labels
def test_a_learning_statements_id_is_fixed_by_its_reference() -> None:
    # Stored ids never change: a statement recorded before an upgrade is found after it.
    assert learning_id(REF) == UUID("5238d498-3666-5e99-8e88-4727e22a5581")
    assert learning_id("LRN-2026-0002") != learning_id(REF)


def test_a_self_assessments_id_is_fixed_by_its_financial_year() -> None:
    assert self_assessment_id(2026) == UUID("ff57ccbf-db2f-5844-b070-581d5ef524ed")
    assert self_assessment_id(2027) != self_assessment_id(2026)


def test_a_financial_year_is_labelled_by_its_two_calendar_years() -> None:
    assert year_label(2026) == "2026/27"
    assert year_label(2009) == "2009/10"
    assert year_label(2099) == "2099/00"


# --------------------------------------------------------------- a learning action's status
def test_an_action_done_by_the_day_is_done_even_when_it_was_overdue() -> None:
    assert learning_status(date(2026, 10, 5), DUE, date(2026, 10, 5)) == "done"
    assert learning_status(date(2026, 9, 1), DUE, date(2026, 12, 1)) == "done"


def test_an_action_done_after_the_day_is_not_yet_done_on_it() -> None:
    assert learning_status(date(2026, 10, 6), DUE, date(2026, 10, 5)) == "overdue"
    assert learning_status(date(2026, 9, 2), DUE, date(2026, 9, 1)) == "open"


def test_an_action_is_open_on_its_due_day_and_overdue_the_day_after() -> None:
    assert learning_status(None, DUE, DUE) == "open"
    assert learning_status(None, DUE, date(2026, 10, 1)) == "overdue"
    assert learning_status(None, DUE, date(2026, 9, 1)) == "open"


# --------------------------------------------------------------- recording a statement
def test_recording_a_statement_keeps_what_was_learnt_and_who_owns_the_action() -> None:
    statement = recorded()
    (event,) = statement.pending_events
    assert isinstance(event, LearningStatement.Recorded)
    assert event.originator_id == learning_id(REF)
    assert (event.on, event.actor, event.ref) == (RECORDED, "complaints-team", REF)
    assert (event.case_ref, event.theme) == ("CSC-2026-0001", None)
    assert (event.team, event.due) == ("Children in Need", DUE)
    assert event.went_wrong == "the letter was late"
    assert event.learnt == "letters need a second reader"
    assert event.action == "add a second reader to the rota"
    for state in (statement, replayed(statement)):
        assert (state.ref, state.recorded_on) == (REF, RECORDED)
        assert (state.case_ref, state.theme) == ("CSC-2026-0001", None)
        assert (state.team, state.due) == ("Children in Need", DUE)
        assert state.done_on is None
        assert state.approved_on is None
        assert state.approved_version is None
        assert state.erased is None


def test_a_statement_may_be_recorded_against_a_theme_alone() -> None:
    statement = recorded(case_ref=None, theme="communication")
    assert (statement.case_ref, statement.theme) == (None, "communication")


def test_a_statement_against_neither_a_case_nor_a_theme_is_refused() -> None:
    with refused(None, errors.LearningRule):
        recorded(case_ref=None, theme=None)


def test_a_statement_against_an_unknown_theme_is_refused() -> None:
    with refused(None, errors.UnknownName):
        recorded(theme="weather")


def test_a_statement_dated_after_today_is_refused_and_today_is_accepted() -> None:
    with pytest.raises(errors.DateOutOfOrder) as info:
        recorded(on=date(2026, 11, 24), due=date(2026, 12, 1))
    assert type(info.value) is errors.DateOutOfOrder
    assert "2026-11-24 is in the future (today is 2026-11-23)" in str(info.value)
    assert recorded(on=TODAY, due=TODAY).recorded_on == TODAY
    # Without a "today" (an import of old records) no day is in the future.
    assert recorded(policy=ProcedurePolicy(), on=date(2030, 1, 1), due=date(2030, 1, 1))


def test_an_action_due_before_its_statement_is_refused_and_due_the_same_day_is_not() -> None:
    with refused(None, errors.LearningDueBeforeStatement):
        recorded(due=date(2026, 5, 31))
    assert recorded(due=RECORDED).due == RECORDED


@pytest.mark.parametrize(
    ("detail", "words"),
    [
        ("team", "which team owns the action"),
        ("went_wrong", "what went wrong"),
        ("learnt", "what was learnt"),
        ("action", "what action is taken"),
    ],
)
def test_a_statement_without_each_of_its_words_is_refused(detail: str, words: str) -> None:
    for blank in ("", "   "):
        with pytest.raises(errors.LearningRule) as info:
            recorded(**{detail: blank})
        assert info.value.message == f"say {words}"


def test_the_owning_team_is_recorded_by_its_register_name_on_the_day() -> None:
    teams = Register(
        TEAM,
        (
            RegisterEntry("Children in Need", aliases=("CIN",)),
            RegisterEntry("Old Team", valid_until=date(2026, 5, 31)),
        ),
    )
    policy = ProcedurePolicy(today=TODAY, teams=teams)
    assert recorded(policy=policy, team="cin").team == "Children in Need"
    with refused(None, errors.UnknownTeam):
        recorded(policy=policy, team="Old Team")
    assert recorded(policy=policy, team="Old Team", on=date(2026, 5, 31)).team == "Old Team"


# --------------------------------------------------------------- the action done
def test_an_action_done_is_recorded_with_its_evidence() -> None:
    statement = recorded()
    statement.done(on=RECORDED, actor="team-manager", policy=POLICY, evidence="rota changed")
    event = statement.pending_events[-1]
    assert isinstance(event, LearningStatement.ActionDone)
    assert (event.on, event.actor, event.evidence) == (RECORDED, "team-manager", "rota changed")
    assert statement.done_on == RECORDED
    assert replayed(statement).done_on == RECORDED


def test_an_action_done_before_its_statement_or_after_today_is_refused() -> None:
    statement = recorded()
    with refused(statement, errors.DateOutOfOrder):
        statement.done(on=date(2026, 5, 31), actor="m", policy=POLICY, evidence="rota")
    with refused(statement, errors.DateOutOfOrder):
        statement.done(on=date(2026, 11, 24), actor="m", policy=POLICY, evidence="rota")


def test_an_action_done_twice_is_refused() -> None:
    statement = recorded()
    statement.done(on=date(2026, 7, 1), actor="m", policy=POLICY, evidence="rota")
    with refused(statement, errors.LearningAlreadyDone):
        statement.done(on=date(2026, 7, 2), actor="m", policy=POLICY, evidence="again")


def test_an_action_done_without_evidence_is_refused() -> None:
    statement = recorded()
    for blank in ("", " "):
        with refused(statement, errors.LearningRule):
            statement.done(on=date(2026, 7, 1), actor="m", policy=POLICY, evidence=blank)


# --------------------------------------------------------------- the public wording
def test_an_approved_wording_is_recorded_with_the_step_that_approved_it() -> None:
    statement = recorded()
    statement.approve_wording(
        on=date(2026, 10, 1), actor="director", policy=POLICY, wording="You said, we did."
    )
    event = statement.pending_events[-1]
    assert isinstance(event, LearningStatement.WordingApproved)
    assert (event.on, event.actor, event.wording) == (
        date(2026, 10, 1),
        "director",
        "You said, we did.",
    )
    for state in (statement, replayed(statement)):
        assert state.approved_on == date(2026, 10, 1)
        assert state.approved_version == 2
    statement.approve_wording(on=date(2026, 10, 2), actor="d", policy=POLICY, wording="Better.")
    assert (statement.approved_on, statement.approved_version) == (date(2026, 10, 2), 3)


def test_a_wording_approved_before_its_statement_or_after_today_is_refused() -> None:
    statement = recorded()
    with refused(statement, errors.DateOutOfOrder):
        statement.approve_wording(on=date(2026, 5, 31), actor="d", policy=POLICY, wording="ok")
    with refused(statement, errors.DateOutOfOrder):
        statement.approve_wording(on=date(2026, 11, 24), actor="d", policy=POLICY, wording="ok")
    statement.approve_wording(on=RECORDED, actor="d", policy=POLICY, wording="ok")
    assert statement.approved_on == RECORDED


def test_a_blank_wording_is_refused() -> None:
    statement = recorded()
    with refused(statement, errors.LearningRule):
        statement.approve_wording(on=RECORDED, actor="d", policy=POLICY, wording=" ")


def test_a_wording_that_names_a_person_recorded_for_the_case_is_refused() -> None:
    statement = recorded()
    with refused(statement, errors.WordingNamesAPerson):
        statement.approve_wording(
            on=RECORDED,
            actor="d",
            policy=POLICY,
            wording="We apologised to Okafor.",
            names="Ada Okafor",
        )


@pytest.mark.parametrize(
    "wording", ["We wrote to Mrs Okafor.", "Dr. Jones agreed.", "Master O'Neill was told."]
)
def test_a_wording_that_names_anyone_by_title_is_refused(wording: str) -> None:
    with pytest.raises(errors.WordingNamesAPerson) as info:
        check_public_wording(wording)
    assert type(info.value) is errors.WordingNamesAPerson
    assert "remove names before it is published" in str(info.value)


def test_a_recorded_name_is_reported_before_a_title_in_the_refusal() -> None:
    with pytest.raises(errors.WordingNamesAPerson) as info:
        check_public_wording("Mrs Smith met Okafor.", names="Okafor")
    assert "'Okafor'" in str(info.value)
    with pytest.raises(errors.WordingNamesAPerson) as info:
        check_public_wording("Mrs Smith met the team.", names="Okafor")
    assert "'Mrs Smith'" in str(info.value)


def test_a_wording_without_names_or_titles_passes() -> None:
    check_public_wording("Mrs and Mr were not names here; the team met.", names="Okafor")
    check_public_wording("We met the family.")


# --------------------------------------------------------------- erasing a statement
def test_a_statement_against_a_theme_alone_may_have_its_words_erased_once() -> None:
    statement = recorded(case_ref=None, theme="communication")
    statement.erase(on=date(2026, 11, 1), actor="dpo", policy=POLICY, basis="request")
    event = statement.pending_events[-1]
    assert isinstance(event, LearningStatement.Erased)
    assert (event.on, event.actor, event.basis) == (date(2026, 11, 1), "dpo", "request")
    expected = {"on": date(2026, 11, 1), "actor": "dpo", "basis": "request"}
    assert statement.erased == expected
    assert replayed(statement).erased == expected
    with refused(statement, errors.AlreadyErased):
        statement.erase(on=date(2026, 11, 2), actor="dpo", policy=POLICY, basis="again")


def test_a_statement_against_a_case_is_erased_only_with_the_case() -> None:
    statement = recorded()
    with refused(statement, errors.LearningRule):
        statement.erase(on=date(2026, 11, 1), actor="dpo", policy=POLICY, basis="request")


def test_an_erasure_without_a_basis_or_after_today_is_refused() -> None:
    statement = recorded(case_ref=None, theme="communication")
    for basis in ("", "  "):
        with refused(statement, errors.LearningRule):
            statement.erase(on=date(2026, 11, 1), actor="dpo", policy=POLICY, basis=basis)
    with refused(statement, errors.DateOutOfOrder):
        statement.erase(on=date(2026, 11, 24), actor="dpo", policy=POLICY, basis="request")


# --------------------------------------------------------------- the self-assessment
def started(year: int = 2026) -> SelfAssessment:
    return SelfAssessment.start(year)


def answer(assessment: SelfAssessment, **details: Any) -> None:
    arguments: dict[str, Any] = {
        "on": date(2026, 10, 1),
        "actor": "complaints-manager",
        "policy": POLICY,
        "section": 5,
        "compliance": "partly",
        "evidence": "audit of 20 cases",
        "explanation": "two letters were late",
    }
    arguments.update(details)
    assessment.answer(**arguments)


def test_a_self_assessment_starts_with_no_answers_for_its_year() -> None:
    assessment = started()
    assert assessment.id == self_assessment_id(2026)
    assert assessment.label == "2026/27"
    for state in (assessment, replayed(assessment)):
        assert state.start_year == 2026
        assert state.answers == {}
        assert state.governing_response is None


def test_an_answer_is_kept_by_section_and_a_later_one_supersedes_it() -> None:
    assessment = started()
    answer(assessment)
    expected = {
        "on": date(2026, 10, 1),
        "actor": "complaints-manager",
        "compliance": "partly",
        "evidence": "audit of 20 cases",
        "explanation": "two letters were late",
        "version": 2,
    }
    assert assessment.answers == {5: expected}
    assert replayed(assessment).answers == {5: expected}
    answer(assessment, on=date(2026, 10, 2), compliance="yes", explanation="fixed")
    assert assessment.answers[5]["compliance"] == "yes"
    assert assessment.answers[5]["version"] == 3
    assert len(assessment.pending_events) == 3


def test_every_section_of_the_code_may_be_answered_and_no_other() -> None:
    assessment = started()
    assert sorted(CODE_SECTIONS) == list(range(1, 10))
    for section in (1, 9):
        answer(assessment, section=section)
    for section in (0, 10):
        with pytest.raises(errors.UnknownCodeSection) as info:
            answer(assessment, section=section)
        assert info.value.message == (
            f"the Complaint Handling Code has no section {section} (sections 1 to 9)"
        )
    assert sorted(assessment.answers) == [1, 9]


def test_an_answer_with_an_unknown_compliance_is_refused() -> None:
    assessment = started()
    with refused(assessment, errors.UnknownName):
        answer(assessment, compliance="mostly")
    for compliance in ("yes", "partly", "no"):
        answer(assessment, compliance=compliance)


def test_an_answer_dated_before_the_financial_year_or_after_today_is_refused() -> None:
    assessment = started()
    with refused(assessment, errors.DateOutOfOrder):
        answer(assessment, on=date(2026, 3, 31))
    with refused(assessment, errors.DateOutOfOrder):
        answer(assessment, on=date(2026, 11, 24))
    answer(assessment, on=date(2026, 4, 1))
    assert assessment.answers[5]["on"] == date(2026, 4, 1)


@pytest.mark.parametrize("missing", ["evidence", "explanation"])
def test_an_answer_without_evidence_or_explanation_is_refused(missing: str) -> None:
    assessment = started()
    for blank in ("", "  "):
        with pytest.raises(errors.SelfAssessmentRule) as info:
            answer(assessment, **{missing: blank})
        assert info.value.message == f"give the {missing} for section 5"
    assert assessment.version == 1


def test_the_governing_bodys_response_is_recorded_and_replayed() -> None:
    assessment = started()
    assessment.respond(on=date(2026, 11, 2), actor="cabinet", policy=POLICY, text="Noted.")
    event = assessment.pending_events[-1]
    assert isinstance(event, SelfAssessment.GoverningBodyResponded)
    expected = {"on": date(2026, 11, 2), "actor": "cabinet", "text": "Noted."}
    assert (event.on, event.actor, event.text) == (date(2026, 11, 2), "cabinet", "Noted.")
    assert assessment.governing_response == expected
    assert replayed(assessment).governing_response == expected


def test_a_blank_or_misdated_governing_body_response_is_refused() -> None:
    assessment = started()
    for text in ("", " "):
        with refused(assessment, errors.SelfAssessmentRule):
            assessment.respond(on=date(2026, 11, 2), actor="cabinet", policy=POLICY, text=text)
    with refused(assessment, errors.DateOutOfOrder):
        assessment.respond(on=date(2026, 3, 31), actor="cabinet", policy=POLICY, text="Noted.")
