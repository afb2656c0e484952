"""The annual report's sections of issue 16, part 2 (ADR 0039): complaints by provider,
joint complaints, the procedure's expenditure (with last year beside it) and
satisfaction with how complaints were handled.

Every figure is one SQL aggregate over the read models (``COUNT``/``SUM``/``AVG``
``GROUP BY``); no row is looped over in Python. Counting rules: providers over Stage 1
received (the date the case entered Stage 1); joint complaints by the date recorded as
joint, agreed responses by the date agreed; costs by the date paid; surveys sent by the
date sent, the response rate over the surveys sent in the period, and scores by the date
answered.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, case, distinct, func, select
from sqlalchemy.orm import Session

from domain.casework import COST_KINDS, JOINT_LEADS, SATISFIED_FROM, SURVEY_QUESTIONS, SURVEY_SCALE
from domain.procedure import FINAL_STAGE
from projections import tables as t
from reports.statements import END, PROCEDURE, START, in_period, rows

if TYPE_CHECKING:
    from reports.annual import Period

NO_PROVIDER = "no provider recorded"


def _money(amount: Any) -> str:
    return f"{Decimal(amount or 0):.2f}"


def _within(column: Any) -> Any:
    return and_(column >= START, column <= END)


# The sections' statements, built once (ADR 0052).
@cache
def _providers_statement() -> Any:
    s = t.stages
    return (
        select(s.c.provider, func.count())
        .where(and_(s.c.procedure == PROCEDURE, s.c.stage == 1, _within(s.c.started_on)))
        .group_by(s.c.provider)
    )


def _joint_in_period() -> Any:
    w = t.casework
    return and_(w.c.procedure == PROCEDURE, _within(w.c.joint_on))


@cache
def _joint_bodies_statement() -> Any:
    w = t.casework
    return (
        select(w.c.joint_body, func.count())
        .where(_joint_in_period())
        .group_by(w.c.joint_body)
        .order_by(w.c.joint_body)
    )


@cache
def _joint_leads_statement() -> Any:
    w = t.casework
    return select(w.c.joint_lead, func.count()).where(_joint_in_period()).group_by(w.c.joint_lead)


@cache
def _responses_agreed_statement() -> Any:
    w = t.casework
    return select(func.count()).where(
        and_(w.c.procedure == PROCEDURE, _within(w.c.joint_response_on))
    )


def _costs_in_period() -> Any:
    c = t.costs
    return and_(c.c.procedure == PROCEDURE, _within(c.c.paid_on))


@cache
def _costs_statement() -> Any:
    c = t.costs
    return select(func.sum(c.c.amount), func.count(distinct(c.c.case_id)), func.count()).where(
        _costs_in_period()
    )


@cache
def _costs_by_statement(column: str) -> Any:
    c = t.costs
    return (
        select(c.c[column], func.sum(c.c.amount)).where(_costs_in_period()).group_by(c.c[column])
    )


@cache
def _surveys_sent_statement() -> Any:
    w = t.casework
    return select(func.count(), func.count(w.c.survey_answered_on)).where(
        and_(w.c.procedure == PROCEDURE, _within(w.c.survey_sent_on))
    )


@cache
def _surveys_answered_statement() -> Any:
    w = t.casework
    return select(func.count()).where(
        and_(w.c.procedure == PROCEDURE, _within(w.c.survey_answered_on))
    )


@cache
def _scores_statement() -> Any:
    sc = t.survey_scores
    satisfied = func.sum(case((sc.c.score >= SATISFIED_FROM, 1), else_=0))
    return (
        select(sc.c.question, func.count(), func.avg(sc.c.score), satisfied)
        .where(and_(sc.c.procedure == PROCEDURE, _within(sc.c.answered_on)))
        .group_by(sc.c.question)
    )


class CaseworkSections:
    """The four sections for one procedure, from the read models in one session."""

    def __init__(self, session: Session, procedure: str) -> None:
        self.session = session
        self.procedure = procedure

    def _rows(self, statement: Any, period: Period) -> list[Any]:
        return rows(self.session, statement, in_period(period, self.procedure))

    def providers(self, period: Period) -> dict[str, Any]:
        counts = {row[0]: int(row[1]) for row in self._rows(_providers_statement(), period)}
        about = {name: n for name, n in counts.items() if name is not None}
        return {
            "about_a_provider": sum(about.values()),
            "by_provider": dict(sorted(about.items(), key=lambda item: (-item[1], item[0]))),
        }

    def joint(self, period: Period) -> dict[str, Any]:
        by_body = {
            str(body): int(n) for body, n in self._rows(_joint_bodies_statement(), period)
        }
        by_lead = {lead: 0 for lead in JOINT_LEADS}
        for lead, n in self._rows(_joint_leads_statement(), period):
            by_lead[str(lead)] = int(n)
        [(agreed,)] = self._rows(_responses_agreed_statement(), period)
        return {
            "complaints": sum(by_body.values()),
            "by_body": by_body,
            "by_lead": {k.replace("-", "_"): v for k, v in by_lead.items()},
            "responses_agreed": int(agreed),
        }

    def expenditure(self, period: Period, with_previous: bool = True) -> dict[str, Any]:
        [(total, cases, payments)] = self._rows(_costs_statement(), period)
        by_kind = {kind: _money(0) for kind in COST_KINDS}
        for kind, amount in self._rows(_costs_by_statement("kind"), period):
            by_kind[str(kind)] = _money(amount)
        stages = [str(n) for n in range(1, FINAL_STAGE[self.procedure] + 1)]
        by_stage = {stage: _money(0) for stage in stages}
        for stage, amount in self._rows(_costs_by_statement("stage"), period):
            by_stage[str(stage)] = _money(amount)
        section: dict[str, Any] = {
            "total": _money(total),
            "cases": int(cases),
            "payments": int(payments),
            "by_kind": {k.replace("-", "_"): v for k, v in by_kind.items()},
            "by_stage": by_stage,
        }
        if with_previous:
            section["last_year_total"] = self.expenditure(period.previous(), False)["total"]
        return section

    def satisfaction(self, period: Period) -> dict[str, Any]:
        [(sent, answered)] = self._rows(_surveys_sent_statement(), period)
        [(answered_in_period,)] = self._rows(_surveys_answered_statement(), period)
        by_question: dict[str, dict[str, Any]] = {}
        for question, n, average, content in self._rows(_scores_statement(), period):
            by_question[str(question)] = {
                "answers": int(n),
                "average_score": round(float(average), 2),
                "satisfied_percent": round(100 * int(content) / int(n), 1),
            }
        low, high = SURVEY_SCALE
        return {
            "scale": f"{low} to {high}",
            "satisfied": f"{SATISFIED_FROM} or more",
            "surveys_sent": int(sent),
            "surveys_returned": int(answered),
            "response_rate_percent": round(100 * int(answered) / int(sent), 1) if sent else None,
            "answered_in_period": int(answered_in_period),
            "by_question": {
                q.replace("-", "_"): by_question[q] for q in SURVEY_QUESTIONS if q in by_question
            },
        }

    def build(self, period: Period, with_previous: bool = True) -> dict[str, Any]:
        return {
            "providers": self.providers(period),
            "joint_complaints": self.joint(period),
            "expenditure": self.expenditure(period, with_previous),
            "satisfaction": self.satisfaction(period),
        }


def casework_sections(
    session: Session, procedure: str, period: Period, with_previous: bool = True
) -> dict[str, Any]:
    """The report document's ``providers``, ``joint_complaints``, ``expenditure`` and
    ``satisfaction`` sections."""
    return CaseworkSections(session, procedure).build(period, with_previous)


def casework_tables(report: dict[str, Any]) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The sections as tables (title, header, rows), last year beside this year."""
    from reports.render import _change_of, _money_change, _pounds

    prev: dict[str, Any] = report.get("previous") or {}
    found: list[tuple[str, list[str], list[list[Any]]]] = []
    providers = report.get("providers")
    if providers is None:
        return found
    before = prev.get("providers", {}).get("by_provider", {})
    names = list(providers["by_provider"]) + [
        n for n in before if n not in providers["by_provider"]
    ]
    found.append(
        (
            "Complaints about commissioned providers (Stage 1)",
            ["provider", "this year", "last year", "change"],
            [
                [
                    name,
                    providers["by_provider"].get(name, 0),
                    before.get(name, 0),
                    _change_of(providers["by_provider"].get(name, 0), before.get(name, 0)),
                ]
                for name in names
            ]
            + [
                [
                    "total",
                    providers["about_a_provider"],
                    prev.get("providers", {}).get("about_a_provider", "-"),
                    "-",
                ]
            ],
        )
    )
    joint, joint_before = report["joint_complaints"], prev.get("joint_complaints", {})
    bodies_before: dict[str, Any] = joint_before.get("by_body", {})
    found.append(
        (
            "Joint complaints with other bodies",
            ["", "this year", "last year"],
            [
                [f"with {body}", joint["by_body"].get(body, 0), bodies_before.get(body, 0)]
                for body in list(joint["by_body"])
                + [b for b in bodies_before if b not in joint["by_body"]]
            ]
            + [
                [
                    f"led by {lead.replace('_', ' ')}",
                    n,
                    joint_before.get("by_lead", {}).get(lead, "-"),
                ]
                for lead, n in joint["by_lead"].items()
            ]
            + [
                [
                    "joint responses agreed",
                    joint["responses_agreed"],
                    joint_before.get("responses_agreed", "-"),
                ]
            ],
        )
    )
    spent, spent_before = report["expenditure"], prev.get("expenditure", {})
    kinds_before = spent_before.get("by_kind", {})
    found.append(
        (
            "Expenditure on the procedure",
            ["", "amount", "last year", "change"],
            [
                [
                    k.replace("_", " "),
                    _pounds(v),
                    _pounds(kinds_before.get(k, "0.00")),
                    _money_change(v, kinds_before.get(k)),
                ]
                for k, v in spent["by_kind"].items()
            ]
            + [
                [
                    f"stage {k}",
                    _pounds(v),
                    _pounds(spent_before.get("by_stage", {}).get(k, "0.00")),
                    _money_change(v, spent_before.get("by_stage", {}).get(k)),
                ]
                for k, v in spent["by_stage"].items()
            ]
            + [
                [
                    "total",
                    _pounds(spent["total"]),
                    _pounds(spent.get("last_year_total", "-")),
                    _money_change(spent["total"], spent.get("last_year_total")),
                ],
                [
                    "cases",
                    spent["cases"],
                    spent_before.get("cases", "-"),
                    _change_of(spent["cases"], spent_before.get("cases")),
                ],
            ],
        )
    )
    happy, happy_before = report["satisfaction"], prev.get("satisfaction", {})
    rate = happy["response_rate_percent"]
    rate_before = happy_before.get("response_rate_percent")
    found.append(
        (
            f"Satisfaction with how complaints were handled (scores {happy['scale']}; "
            f"satisfied: {happy['satisfied']})",
            ["", "this year", "last year"],
            [
                ["surveys sent", happy["surveys_sent"], happy_before.get("surveys_sent", "-")],
                [
                    "surveys returned",
                    happy["surveys_returned"],
                    happy_before.get("surveys_returned", "-"),
                ],
                [
                    "response rate",
                    "-" if rate is None else f"{rate}%",
                    "-" if rate_before is None else f"{rate_before}%",
                ],
            ]
            + [
                [
                    f"{q.replace('_', ' ')}: average (satisfied)",
                    f"{v['average_score']} ({v['satisfied_percent']}%)",
                    _score(happy_before.get("by_question", {}).get(q)),
                ]
                for q, v in happy["by_question"].items()
            ],
        )
    )
    return found


def _score(figures: dict[str, Any] | None) -> str:
    if not figures:
        return "-"
    return f"{figures['average_score']} ({figures['satisfied_percent']}%)"


def provider_counts(session: Session) -> dict[str, int]:
    """How many complaints name each provider (every procedure, every year)."""
    w = t.casework
    return {
        str(name): int(n)
        for name, n in session.execute(
            select(w.c.provider, func.count())
            .where(w.c.provider.is_not(None))
            .group_by(w.c.provider)
            .order_by(w.c.provider)
        )
    }
