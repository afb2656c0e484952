"""How ``show`` prints a case's provider, joint complaint, costs and survey (ADR 0039):
scores and dates only; the survey's comment is shown with the personal details."""

from __future__ import annotations

from typing import Any

from projections.casework import CaseworkFacts


def casework_document(facts: CaseworkFacts) -> dict[str, Any]:
    """The ``casework`` key of ``show --format json``."""
    return {
        "provider": facts.provider,
        "joint": None
        if facts.joint_body is None
        else {
            "with": facts.joint_body,
            "lead": facts.joint_lead,
            "on": facts.joint_on.isoformat() if facts.joint_on else None,
            "response_agreed_on": facts.joint_response_on.isoformat()
            if facts.joint_response_on
            else None,
        },
        "costs": [
            {"on": c.on.isoformat(), "kind": c.kind, "stage": c.stage, "amount": f"{c.amount:.2f}"}
            for c in facts.costs
        ],
        "survey": None
        if facts.survey_sent_on is None
        else {
            "sent_on": facts.survey_sent_on.isoformat(),
            "answered_on": facts.survey_answered_on.isoformat()
            if facts.survey_answered_on
            else None,
            "scores": dict(facts.scores),
        },
    }


def casework_lines(document: dict[str, Any]) -> list[str]:
    """The lines of ``show``'s text for the ``casework`` key."""
    lines: list[str] = []
    if document["provider"]:
        lines.append(f"  about provider: {document['provider']}")
    joint = document["joint"]
    if joint:
        agreed = joint["response_agreed_on"] or "not yet agreed"
        lines.append(
            f"  joint with {joint['with']} from {joint['on']} (lead: {joint['lead']}); "
            f"joint response: {agreed}"
        )
    for cost in document["costs"]:
        lines.append(f"  cost £{cost['amount']} {cost['kind']} at stage {cost['stage']}")
    survey = document["survey"]
    if survey:
        scores = ", ".join(f"{q} {s}" for q, s in survey["scores"].items()) or "no answer yet"
        lines.append(f"  survey sent {survey['sent_on']}: {scores}")
    return lines
