"""The rules of providers, joint complaints, costs and surveys (ADR 0039), as the
Complaint aggregate enforces them: each refusal is its own exception and records nothing,
and each step can be voided and recorded late like every other."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain import errors
from domain.complaint import Complaint
from domain.procedure import ProcedurePolicy
from domain.registers import PROVIDER, Register, RegisterEntry
from tests.domain.test_complaint_rules import (
    MANAGER,
    POLICY,
    STAGE1_RESPONSE,
    STAGE2_REQUESTED,
    TEAM,
    at_stage1,
    at_stage2,
    refused,
)

REGISTERED = ProcedurePolicy(
    today=POLICY.today,
    providers=Register(PROVIDER, (RegisterEntry("Brightpath Fostering", ("Brightpath",)),)),
)


def responded() -> Complaint:
    complaint = at_stage1()
    complaint.respond(on=STAGE1_RESPONSE, actor=MANAGER, policy=POLICY, outcome="upheld")
    return complaint


def test_a_provider_is_recorded_by_its_register_name_and_a_stranger_is_refused() -> None:
    complaint = at_stage1(policy=REGISTERED)
    complaint.name_provider(
        on=date(2026, 5, 13), actor=TEAM, policy=REGISTERED, provider="brightpath"
    )
    assert complaint.casework.provider == "Brightpath Fostering"
    with refused(complaint, errors.UnknownProvider):
        complaint.name_provider(
            on=date(2026, 5, 14), actor=TEAM, policy=REGISTERED, provider="Brightside"
        )
    with refused(complaint, errors.CaseworkRule):
        complaint.name_provider(
            on=date(2026, 5, 14), actor=TEAM, policy=REGISTERED, provider="Brightpath Fostering"
        )


def test_a_joint_response_is_agreed_once_after_the_complaint_became_joint() -> None:
    complaint = at_stage1()
    with refused(complaint, errors.CaseworkRule):
        complaint.agree_joint_response(on=date(2026, 5, 20), actor=TEAM, policy=POLICY)
    with refused(complaint, errors.UnknownName):
        complaint.record_joint_complaint(
            on=date(2026, 5, 13), actor=TEAM, policy=POLICY, body="church", lead="council"
        )
    complaint.record_joint_complaint(
        on=date(2026, 5, 13), actor=TEAM, policy=POLICY, body="nhs", lead="council"
    )
    with refused(complaint, errors.CaseworkRule):
        complaint.record_joint_complaint(
            on=date(2026, 5, 14), actor=TEAM, policy=POLICY, body="school", lead="council"
        )
    complaint.agree_joint_response(on=date(2026, 5, 20), actor=TEAM, policy=POLICY)
    joint = complaint.casework.joint
    assert joint is not None and joint.response_agreed_on == date(2026, 5, 20)
    with refused(complaint, errors.CaseworkRule):
        complaint.agree_joint_response(on=date(2026, 5, 21), actor=TEAM, policy=POLICY)


def test_a_cost_is_exact_pence_at_a_stage_reached_and_defaults_to_the_current_stage() -> None:
    complaint = at_stage2()
    complaint.record_cost(
        on=date(2026, 6, 5),
        actor=TEAM,
        policy=POLICY,
        kind="independent-person",
        amount=Decimal("450.5"),
    )
    cost = complaint.casework.costs[0]
    assert (cost.stage, cost.amount, str(cost.amount)) == ("2", Decimal("450.50"), "450.50")
    with refused(complaint, errors.WrongStage):
        complaint.record_cost(
            on=date(2026, 6, 5),
            actor=TEAM,
            policy=POLICY,
            kind="panel-member",
            amount=Decimal("100"),
            stage="3",
        )
    with refused(complaint, errors.BadData):
        complaint.record_cost(
            on=date(2026, 6, 5),
            actor=TEAM,
            policy=POLICY,
            kind="advocacy",
            amount=Decimal("-1"),
        )
    with refused(complaint, errors.UnknownName):
        complaint.record_cost(
            on=date(2026, 6, 5),
            actor=TEAM,
            policy=POLICY,
            kind="catering",
            amount=Decimal("10"),
        )


def test_a_survey_needs_a_response_and_is_answered_once_with_scores_on_the_scale() -> None:
    complaint = at_stage1()
    with refused(complaint, errors.CaseworkRule):
        complaint.send_survey(on=date(2026, 5, 15), actor=TEAM, policy=POLICY)
    complaint = responded()
    with refused(complaint, errors.CaseworkRule):
        complaint.answer_survey(
            on=date(2026, 5, 26), actor=TEAM, policy=POLICY, scores={"overall": 3}
        )
    complaint.send_survey(on=date(2026, 5, 25), actor=TEAM, policy=POLICY)
    for scores in ({"overall": 0}, {"overall": 6}, {"kept-informed": 3}, {"overall": 3, "x": 1}):
        with refused(complaint, errors.BadData if "x" not in scores else errors.UnknownName):
            complaint.answer_survey(on=date(2026, 5, 26), actor=TEAM, policy=POLICY, scores=scores)
    # Dated before it was sent: judged against the case as it stood then (no survey).
    with refused(complaint, errors.CaseworkRule):
        complaint.answer_survey(
            on=date(2026, 5, 24), actor=TEAM, policy=POLICY, scores={"overall": 3}
        )
    complaint.answer_survey(
        on=date(2026, 5, 26), actor=TEAM, policy=POLICY, scores={"overall": 5, "timeliness": 2}
    )
    survey = complaint.casework.survey
    assert survey is not None and survey.scores == {"overall": 5, "timeliness": 2}
    with refused(complaint, errors.CaseworkRule):
        complaint.answer_survey(
            on=date(2026, 5, 27), actor=TEAM, policy=POLICY, scores={"overall": 1}
        )


def test_a_response_cannot_be_voided_while_a_survey_sent_after_it_stands() -> None:
    complaint = responded()
    complaint.send_survey(on=date(2026, 5, 25), actor=TEAM, policy=POLICY)
    response = next(e for e in complaint.recorded if isinstance(e, Complaint.Responded))
    with refused(complaint, errors.VoidHasDependents):
        complaint.void(
            on=date(2026, 5, 26),
            actor=TEAM,
            policy=POLICY,
            version=response.originator_version,
            reason="wrong case",
        )


def test_a_voided_cost_leaves_the_case_as_if_it_was_never_paid() -> None:
    complaint = at_stage2()
    complaint.record_cost(
        on=STAGE2_REQUESTED, actor=TEAM, policy=POLICY, kind="advocacy", amount=Decimal("120")
    )
    cost = complaint.recorded[-1]
    complaint.void(
        on=date(2026, 6, 2),
        actor=TEAM,
        policy=POLICY,
        version=cost.originator_version,
        reason="paid on another case",
    )
    assert complaint.casework.costs == []
