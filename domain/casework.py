"""Who a complaint is about, joint complaints, the procedure's costs and satisfaction.

The facts of issue 16 (part 2) that a case carries besides the procedure's steps: the
commissioned or contracted provider the complaint is about (a name from the council's
register of providers, like teams), a joint complaint with another body (the NHS, a
school, the police...) with the lead body and the day the joint response was agreed,
the costs of the procedure (independent investigators, independent persons, panel
members, advocacy) by stage, and the satisfaction survey sent and answered.

Pure: the rules live here and in :class:`domain.complaint.Complaint`'s commands; no
personal data is kept in this state (a survey's comment is sealed in its step).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from domain import errors

#: The kinds of body a complaint can be joint with.
JOINT_BODIES = ("nhs", "school", "police", "housing", "other-council", "other")
#: Who leads a joint complaint: the council or the other body.
JOINT_LEADS = ("council", "other-body")
#: What the procedure pays for (ADR 0039).
COST_KINDS = ("independent-investigator", "independent-person", "panel-member", "advocacy")
#: The survey's questions, each scored on :data:`SURVEY_SCALE`.
SURVEY_QUESTIONS = ("overall", "kept-informed", "fairly-treated", "timeliness")
#: The stated scale of every score: 1 (very dissatisfied) to 5 (very satisfied).
SURVEY_SCALE = (1, 5)
#: Scores at or above this count as satisfied.
SATISFIED_FROM = 4


@dataclass
class JointComplaint:
    """A complaint handled jointly with another body."""

    on: date
    body: str
    lead: str
    response_agreed_on: date | None = None


@dataclass(frozen=True)
class Cost:
    """One payment of the procedure's costs."""

    on: date
    kind: str
    stage: str
    amount: Decimal


@dataclass
class Survey:
    sent_on: date
    answered_on: date | None = None
    scores: dict[str, int] = field(default_factory=dict)


@dataclass
class CaseworkState:
    """The case's provider, joint complaint, costs and survey, as folded."""

    provider: str | None = None
    joint: JointComplaint | None = None
    costs: list[Cost] = field(default_factory=list)
    survey: Survey | None = None


def check_joint(joint: JointComplaint | None, body: str, lead: str) -> None:
    if joint is not None:
        raise errors.CaseworkRule(
            f"the case is already recorded as joint with {joint.body} (from {joint.on.isoformat()})"
        )
    if body not in JOINT_BODIES:
        raise errors.UnknownName(f"joint body {body!r} must be one of {', '.join(JOINT_BODIES)}")
    if lead not in JOINT_LEADS:
        raise errors.UnknownName(f"lead {lead!r} must be one of {', '.join(JOINT_LEADS)}")


def check_joint_response(joint: JointComplaint | None, on: date) -> None:
    if joint is None:
        raise errors.CaseworkRule("the case is not recorded as a joint complaint")
    if joint.response_agreed_on is not None:
        raise errors.CaseworkRule(
            f"the joint response was already agreed on {joint.response_agreed_on.isoformat()}"
        )
    if on < joint.on:
        raise errors.DateOutOfOrder(
            f"the joint response cannot be agreed ({on.isoformat()}) before the complaint "
            f"was recorded as joint ({joint.on.isoformat()})"
        )


def check_cost_kind(kind: str) -> str:
    if kind not in COST_KINDS:
        raise errors.UnknownName(f"cost {kind!r} must be one of {', '.join(COST_KINDS)}")
    return kind


def check_scores(scores: dict[str, int]) -> dict[str, int]:
    """Scores on the stated scale, for known questions; ``overall`` is required."""
    low, high = SURVEY_SCALE
    for question, score in scores.items():
        if question not in SURVEY_QUESTIONS:
            raise errors.UnknownName(
                f"survey question {question!r} must be one of {', '.join(SURVEY_QUESTIONS)}"
            )
        if isinstance(score, bool) or not isinstance(score, int) or not low <= score <= high:
            raise errors.BadData(f"score for {question} must be a whole number {low} to {high}")
    if "overall" not in scores:
        raise errors.BadData("a survey answer needs the overall score")
    return {q: scores[q] for q in SURVEY_QUESTIONS if q in scores}


def check_survey_answer(survey: Survey | None, on: date) -> None:
    if survey is None:
        raise errors.CaseworkRule("no satisfaction survey was sent on this case")
    if survey.answered_on is not None:
        raise errors.CaseworkRule(
            f"the survey was already answered on {survey.answered_on.isoformat()}"
        )
    if on < survey.sent_on:
        raise errors.DateOutOfOrder(
            f"the survey cannot be answered ({on.isoformat()}) before it was sent "
            f"({survey.sent_on.isoformat()})"
        )


def check_survey_sent(survey: Survey | None, responded: bool) -> None:
    if survey is not None:
        raise errors.CaseworkRule(f"a survey was already sent on {survey.sent_on.isoformat()}")
    if not responded:
        raise errors.CaseworkRule("a satisfaction survey is sent after a stage response")
