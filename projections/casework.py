"""The facts and read-model rows of a case's provider, joint complaint, costs and
survey (ADR 0039). Scores and dates only: a survey's comment is personal data and
never leaves its sealed step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from domain.casework import CaseworkState


@dataclass(frozen=True)
class CostFacts:
    on: date
    kind: str
    stage: str
    amount: Decimal


@dataclass(frozen=True)
class CaseworkFacts:
    provider: str | None = None
    joint_body: str | None = None
    joint_lead: str | None = None
    joint_on: date | None = None
    joint_response_on: date | None = None
    costs: tuple[CostFacts, ...] = ()
    survey_sent_on: date | None = None
    survey_answered_on: date | None = None
    scores: tuple[tuple[str, int], ...] = ()


def casework_facts(state: CaseworkState) -> CaseworkFacts:
    joint, survey = state.joint, state.survey
    return CaseworkFacts(
        provider=state.provider,
        joint_body=joint.body if joint else None,
        joint_lead=joint.lead if joint else None,
        joint_on=joint.on if joint else None,
        joint_response_on=joint.response_agreed_on if joint else None,
        costs=tuple(CostFacts(c.on, c.kind, c.stage, c.amount) for c in state.costs),
        survey_sent_on=survey.sent_on if survey else None,
        survey_answered_on=survey.answered_on if survey else None,
        scores=tuple(survey.scores.items()) if survey else (),
    )


def casework_rows(
    case_id: str, procedure: str | None, received_on: date, facts: CaseworkFacts
) -> dict[str, list[dict[str, Any]]]:
    """The rows of ``rm_casework``, ``rm_cost`` and ``rm_survey_score`` of one case."""
    rows: dict[str, list[dict[str, Any]]] = {
        "rm_casework": [],
        "rm_cost": [],
        "rm_survey_score": [],
    }
    if facts == CaseworkFacts():
        return rows
    rows["rm_casework"].append(
        {
            "case_id": case_id,
            "procedure": procedure,
            "received_on": received_on,
            "provider": facts.provider,
            "joint_body": facts.joint_body,
            "joint_lead": facts.joint_lead,
            "joint_on": facts.joint_on,
            "joint_response_on": facts.joint_response_on,
            "survey_sent_on": facts.survey_sent_on,
            "survey_answered_on": facts.survey_answered_on,
        }
    )
    rows["rm_cost"].extend(
        {
            "case_id": case_id,
            "seq": seq,
            "procedure": procedure,
            "paid_on": cost.on,
            "kind": cost.kind,
            "stage": cost.stage,
            "amount": cost.amount,
        }
        for seq, cost in enumerate(facts.costs, start=1)
    )
    if facts.survey_answered_on is not None:
        rows["rm_survey_score"].extend(
            {
                "case_id": case_id,
                "procedure": procedure,
                "answered_on": facts.survey_answered_on,
                "question": question,
                "score": score,
            }
            for question, score in facts.scores
        )
    return rows
