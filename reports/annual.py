"""The annual report: every figure computed from the read models, with last year beside it.

Counting rules (the contract's): ``received`` by the date a stage was entered (Stage 1:
triage into the procedure; Stages 2 and 3: the request); ``by_*`` over Stage 1 received;
``responded``, ``on_time``, ``response_bands`` and ``outcomes`` by the date the stage
ended (a response, or a withdrawal for ``withdrawn``; ``responded`` excludes
withdrawals); recommendations ``made`` by date made, the rest as they stood at the end
of the period, over the recommendations made in the period.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache, partial
from typing import Any

from sqlalchemy import (
    Date,
    Select,
    and_,
    bindparam,
    case,
    func,
    literal_column,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from domain.errors import BadData
from domain.procedure import FINAL_STAGE, OMBUDSMAN_UPHELD, POINT_FINDINGS, PROCEDURES
from projections import tables as t
from reports.case_links import case_link_figures
from reports.casework import casework_sections
from reports.contact_registers import contact_register_sections
from reports.statements import END, PROCEDURE, START, in_period, in_periods, nth_period, rows

NOT_RECORDED = "not recorded"
#: Asks a question of a second reader of the same snapshot and gives a function that
#: returns its answer (``ledger.store.alongside.Alongside.ask``, ADR 0057).
AskAlongside = Callable[[Callable[[Session], Any]], Callable[[], Any]]
TREND_YEARS = 5


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def is_financial_year(self) -> bool:
        return self == financial_year(self.start.year)

    @property
    def financial_year_start(self) -> int:
        """The year in which the financial year holding the period's first day began."""
        return self.start.year if self.start.month >= 4 else self.start.year - 1

    @property
    def label(self) -> str:
        if self.is_financial_year:
            return f"{self.start.year}/{(self.start.year + 1) % 100:02d}"
        return f"{self.start.isoformat()} to {self.end.isoformat()}"

    def previous(self) -> Period:
        """The same period a year before."""
        if self.is_financial_year:
            return financial_year(self.start.year - 1)
        return Period(_year_before(self.start), _year_before(self.end))

    def contains(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end


def financial_year(start_year: int) -> Period:
    return Period(date(start_year, 4, 1), date(start_year + 1, 3, 31))


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def period_between(start: date, end: date) -> Period:
    """The period from ``start`` to ``end``, both included (a month, a quarter...)."""
    if end < start:
        raise BadData(f"the period ends ({end.isoformat()}) before it starts ({start.isoformat()})")
    if _year_before(end) >= start:
        raise BadData("a period is at most a year long (for longer, report year by year)")
    return Period(start, end)


def parse_year(text: str) -> Period:
    """``2024``, ``2024/25`` and ``2024-25`` all mean 1 April 2024 to 31 March 2025."""
    match = re.fullmatch(r"\s*(\d{4})(?:[/-](\d{2}|\d{4}))?\s*", text)
    if not match:
        raise BadData(f"year {text!r} must look like 2024, 2024/25 or 2024-25")
    start = int(match.group(1))
    if match.group(2):
        following = int(match.group(2))
        if following % 100 != (start + 1) % 100:
            raise BadData(f"year {text!r}: the second year must follow the first")
    return financial_year(start)


def _key(name: str) -> str:
    return name.replace("-", "_")


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"


#: The stages a report counts (a corporate case has no Stage 3: its rows are absent).
ALL_STAGES = (1, 2, 3)
#: The kinds of representation beside complaints, each with its own section.
KINDS = ("compliment", "enquiry", "feedback", "advocacy")
MERIT_FOUND = ("upheld", "partly-upheld")


def _tally(condition: Any) -> Any:
    """How many rows meet ``condition``: ``SUM(CASE WHEN condition THEN 1 ELSE 0 END)``
    (a row where the condition is unknown, NULL, is not counted)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _between(column: Any, start: Any, end: Any) -> Any:
    return and_(column >= start, column <= end)


def _nothing() -> Any:
    """A zero column, for a branch of a ``UNION ALL`` with fewer figures than the rest."""
    return literal_column("0")


def _branches(rows: Iterable[Any], count: int) -> list[list[Any]]:
    """The rows of a ``UNION ALL`` built by ``_union``, split by branch."""
    split: list[list[Any]] = [[] for _ in range(count)]
    for row in rows:
        split[int(row.branch)].append(row)
    return split


def _union(branches: list[Select[Any]]) -> Any:
    """One statement for several ``GROUP BY``s with the same columns: each branch's
    rows carry its number as ``branch``."""
    return union_all(
        *(b.add_columns(literal_column(str(i)).label("branch")) for i, b in enumerate(branches))
    )


def _counted(rows: Iterable[Any]) -> dict[str, int]:
    """Grouped counts (``name``, ``n``) by name, most first, with unrecorded values as
    "not recorded"."""
    counter: Counter[str] = Counter()
    for row in rows:
        counter[row.name or NOT_RECORDED] += int(row.n)
    return dict(sorted(counter.items(), key=lambda item: (-item[1], item[0])))


def _rated(rows: Iterable[tuple[str | None, int, int]]) -> dict[str, dict[str, Any]]:
    """Responses and how many found some merit, by name (``name``, responded, merit),
    most responses first, with that as a rate."""
    responded: Counter[str] = Counter()
    merit: Counter[str] = Counter()
    for name, answered, found in rows:
        responded[name or NOT_RECORDED] += answered
        merit[name or NOT_RECORDED] += found
    return {
        name: {
            "responded": responded[name],
            "some_merit_found": merit[name],
            "uphold_rate_percent": _percent(merit[name], responded[name]),
        }
        for name, _ in sorted(responded.items(), key=lambda item: (-item[1], item[0]))
    }


def _median(days: Counter[int]) -> float | None:
    """The median of the values counted in ``days`` (``statistics.median``'s answer)."""
    total = sum(days.values())
    if not total:
        return None
    ordered = sorted(days.items())

    def at(index: int) -> int:
        seen = 0
        for value, n in ordered:
            seen += n
            if index < seen:
                return value
        raise IndexError(index)

    middle = total // 2
    if total % 2:
        return float(at(middle))
    return float((at(middle - 1) + at(middle)) / 2)


@dataclass(frozen=True)
class _Responses:
    """One stage's responses in a period, grouped by outcome and working days taken."""

    responded: int
    on_time: int
    extended: int
    outcomes: Counter[str]
    days: Counter[int]


# ------------------------------------------------ the statements, built once (ADR 0052)
#: 30 and 90 days before the period's end, for the ages of the stages open at the end.
MONTH_BEFORE_END = bindparam("month_before_end", type_=Date)
QUARTER_BEFORE_END = bindparam("quarter_before_end", type_=Date)
#: The Stage 1 received breakdowns, each a column copied from the case (reasons apart),
#: and the flags tallied: the stages' index by entry holds them (ADR 0054).
RECEIVED_BY = t.STAGE_BREAKDOWNS
FLAGS = t.STAGE_FLAGS
#: The representations' breakdowns, each over the kinds whose section shows it.
REPRESENTATIONS_BY = {
    "team": ("compliment", "enquiry", "feedback"),
    "service_area": ("compliment",),
    "channel": ("compliment",),
    "role": ("compliment",),
    "source": ("feedback",),
    "age_band": ("advocacy",),
    "theme": ("advocacy",),
}
#: The tallies of each kind of representation, in the order of their columns.
REPRESENTATION_TALLIES = (
    "received",
    "publishable",
    "councillor",
    "mp",
    "answered",
    "on_time",
    "complaint",
)
#: The tallies of each stage, as ``_tallies_statement`` numbers its branches.
STAGE_TALLIES = ("withdrawn", "due", "acknowledged", "open", "open", "panels")


def _stage_filter(stage: int, column: str) -> Any:
    s = t.stages
    return and_(s.c.procedure == PROCEDURE, s.c.stage == stage, _between(s.c[column], START, END))


def _stages_in(column: str, start: Any = START, end: Any = END) -> Any:
    """Every stage of the procedure whose ``column`` falls in the period."""
    s = t.stages
    return and_(
        s.c.procedure == PROCEDURE,
        s.c.stage.in_(ALL_STAGES),
        _between(s.c[column], start, end),
    )


@cache
def _entered_statement(periods: int) -> Any:
    """Stages entered, by stage, in each of ``periods`` periods: a count over the
    index's range for each."""
    s = t.stages
    return _union(
        [
            select(s.c.stage, func.count().label("n"))
            .where(_stages_in("started_on", *nth_period(n)))
            .group_by(s.c.stage)
            for n in range(periods)
        ]
    )


@cache
def _responses_statement() -> Any:
    s = t.stages
    return (
        select(
            s.c.stage,
            s.c.outcome,
            s.c.working_days_taken,
            func.count().label("n"),
            _tally(s.c.on_time.is_(True)).label("on_time"),
            _tally(s.c.extended.is_(True)).label("extended"),
        )
        .where(_stages_in("responded_on"))
        .group_by(s.c.stage, s.c.outcome, s.c.working_days_taken)
    )


@cache
def _tallies_statement() -> Any:
    """A branch for each of ``STAGE_TALLIES``, by stage."""
    s = t.stages
    month, quarter = MONTH_BEFORE_END, QUARTER_BEFORE_END
    return _union(
        [
            select(
                s.c.stage,
                func.count().label("n"),
                _nothing().label("a"),
                _nothing().label("b"),
                _nothing().label("c"),
            )
            .where(_stages_in("withdrawn_on"))
            .group_by(s.c.stage),
            select(
                s.c.stage,
                func.count(),
                _tally(and_(s.c.responded_on.is_not(None), s.c.responded_on <= s.c.response_due)),
                _nothing(),
                _nothing(),
            )
            .where(_stages_in("response_due"))
            .group_by(s.c.stage),
            select(
                s.c.stage,
                func.count(),
                _tally(s.c.acknowledged_on_time.is_(True)),
                _nothing(),
                _nothing(),
            )
            .where(_stages_in("acknowledged_on"))
            .group_by(s.c.stage),
            # Open at the end: not answered yet, or answered after the end. Two ranges of
            # the responses' index, so that the stages closed by then are never read; the
            # start is tested in the tallies, not the filter, or the start's index (every
            # stage begun by then) would be chosen.
            *(
                select(
                    s.c.stage,
                    _tally(s.c.started_on <= END),
                    _tally(and_(s.c.started_on > month, s.c.started_on <= END)),
                    _tally(_between(s.c.started_on, quarter, month)),
                    _tally(s.c.started_on < quarter),
                )
                .where(
                    s.c.procedure == PROCEDURE,
                    s.c.stage.in_(ALL_STAGES),
                    answered_when,
                    or_(s.c.withdrawn_on.is_(None), s.c.withdrawn_on > END),
                )
                .group_by(s.c.stage)
                for answered_when in (s.c.responded_on.is_(None), s.c.responded_on > END)
            ),
            select(
                s.c.stage,
                func.count(),
                _tally(s.c.panel_on_time.is_(True)),
                _tally(s.c.findings_changed.is_(True)),
                _nothing(),
            )
            .where(_stages_in("panel_met_on"))
            .group_by(s.c.stage),
        ]
    )


@cache
def _stage1_statement() -> Any:
    """Stage 1 received in the period by each of ``RECEIVED_BY``, then the ``FLAGS``
    (one branch, a tally each), then answered in it by reason and by team, with merit
    found.

    The stages entered or answered in the period are grouped once, by every one of
    ``RECEIVED_BY`` together, with the tallies each branch needs (a materialised
    ``WITH`` of a row per combination of the case's facts: hundreds, where the period
    has tens of thousands of stages); each branch adds up those rows by its own
    column. One sort of the period's rows, where a ``GROUP BY`` per breakdown sorted
    them nine times (ADR 0054)."""
    s, reason = t.stages, t.case_reasons
    columns = (
        s.c.started_on,
        s.c.responded_on,
        s.c.outcome,
        *(s.c[name] for name in (*RECEIVED_BY, *FLAGS)),
    )
    stage1 = union_all(
        select(*columns).where(_stage_filter(1, "started_on")),
        select(*columns).where(
            _stage_filter(1, "responded_on"), ~_between(s.c.started_on, START, END)
        ),
    ).subquery("stage1")
    entered = _between(stage1.c.started_on, START, END)
    answered = _between(stage1.c.responded_on, START, END)
    merit = and_(answered, stage1.c.outcome.in_(MERIT_FOUND))
    by_facts = [stage1.c[name] for name in RECEIVED_BY]
    combinations = (
        select(
            *by_facts,
            _tally(entered).label("entered"),
            *(_tally(and_(entered, stage1.c[flag].is_(True))).label(flag) for flag in FLAGS),
            _tally(answered).label("answered"),
            _tally(merit).label("merit"),
        )
        .group_by(*by_facts)
        .cte("stage1_by_facts")
    )
    # Each reason's Stage 1 is on the reason's row: the same two ranges.
    reason_columns = (
        reason.c.reason,
        reason.c.stage1_started_on.label("started_on"),
        reason.c.stage1_responded_on.label("responded_on"),
        reason.c.stage1_outcome.label("outcome"),
    )
    reason_entered = _between(reason.c.stage1_started_on, START, END)
    reasons = union_all(
        select(*reason_columns).where(reason.c.procedure == PROCEDURE, reason_entered),
        select(*reason_columns).where(
            reason.c.procedure == PROCEDURE,
            _between(reason.c.stage1_responded_on, START, END),
            ~reason_entered,
        ),
    ).subquery("reasons")
    reason_answered = _between(reasons.c.responded_on, START, END)

    def figures(name: Any, *counted: Any) -> Select[Any]:
        padded = [*counted, *(_nothing() for _ in range(3 - len(counted)))]
        return select(
            name.label("name"),
            padded[0].label("n"),
            padded[1].label("responded"),
            padded[2].label("merit"),
        )

    def total(column: Any) -> Any:
        return func.coalesce(func.sum(column), 0)

    c = combinations.c
    branches = [
        figures(c[name], total(c.entered)).where(c.entered > 0).group_by(c[name])
        for name in RECEIVED_BY
    ]
    branches += [
        figures(literal_column("NULL"), *(total(c[flag]) for flag in FLAGS)),
        figures(
            reasons.c.reason,
            _tally(_between(reasons.c.started_on, START, END)),
            _tally(reason_answered),
            _tally(and_(reason_answered, reasons.c.outcome.in_(MERIT_FOUND))),
        ).group_by(reasons.c.reason),
        figures(c.team, _nothing(), total(c.answered), total(c.merit))
        .where(c.answered > 0)
        .group_by(c.team),
    ]
    return _union(branches)


@cache
def _points_statement() -> Any:
    """Stage 2's points answered in the period, by finding."""
    p = t.points
    return (
        select(p.c.finding, func.count().label("n"))
        .where(p.c.procedure == PROCEDURE, p.c.stage == 2, _between(p.c.responded_on, START, END))
        .group_by(p.c.finding)
    )


# ------------------------------------------------ the other sections' statements
@cache
def _enquiries_statement(periods: int) -> Any:
    """Ombudsman enquiries in each of ``periods`` periods."""
    o = t.ombudsman
    return _union(
        [
            select(func.count().label("n")).where(
                o.c.procedure == PROCEDURE, _between(o.c.enquiry_on, *nth_period(n))
            )
            for n in range(periods)
        ]
    )


@cache
def _decisions_statement() -> Any:
    """The Ombudsman's decisions in the period, with compliance and remedies."""
    o = t.ombudsman
    return (
        select(
            o.c.decision,
            func.count().label("n"),
            _tally(o.c.due.is_not(None)).label("with_deadline"),
            _tally(and_(o.c.complied_on.is_not(None), o.c.complied_on <= o.c.due)).label(
                "complied"
            ),
            _tally(o.c.satisfactory_remedy.is_(True)).label("satisfactory"),
        )
        .where(o.c.procedure == PROCEDURE, _between(o.c.decided_on, START, END))
        .group_by(o.c.decision)
    )


@cache
def _remedies_statement() -> Any:
    rm = t.remedies
    return (
        select(rm.c.stage, rm.c.remedy, func.count().label("n"))
        .where(rm.c.procedure == PROCEDURE, _between(rm.c.given_on, START, END))
        .group_by(rm.c.stage, rm.c.remedy)
    )


def _paid() -> Any:
    p = t.payments
    return and_(p.c.procedure == PROCEDURE, _between(p.c.paid_on, START, END))


@cache
def _payments_statement() -> Any:
    """Payments in the period by stage and reason, summed in whole pence (each amount is
    held to two places), so that SQLite's floating point adds exactly what PostgreSQL's
    numeric does."""
    p = t.payments
    pence = func.sum(func.round(p.c.amount * 100))
    return (
        select(p.c.stage, p.c.reason, pence.label("pence"), func.count().label("n"))
        .where(_paid())
        .group_by(p.c.stage, p.c.reason)
    )


@cache
def _paid_cases_statement() -> Any:
    p = t.payments
    return select(func.count(p.c.case_id.distinct())).where(_paid())


@cache
def _recommendations_statement() -> Any:
    r = t.recommendations
    accepted = and_(r.c.decision == "accepted", r.c.decided_on <= END)
    rejected = and_(r.c.decision == "rejected", r.c.decided_on <= END)
    completed = and_(accepted, r.c.completed_on <= END)
    overdue = and_(
        accepted,
        or_(r.c.completed_on.is_(None), r.c.completed_on > END),
        r.c.due.is_not(None),
        r.c.due < END,
    )
    return (
        select(
            r.c.theme.label("name"),
            func.count().label("n"),
            _tally(accepted).label("accepted"),
            _tally(rejected).label("rejected"),
            _tally(completed).label("completed"),
            _tally(overdue).label("overdue"),
        )
        .where(r.c.procedure == PROCEDURE, _between(r.c.made_on, START, END))
        .group_by(r.c.theme)
    )


def _representations_received() -> Any:
    rep = t.representations
    return and_(rep.c.kind.in_(KINDS), _between(rep.c.received_on, START, END))


@cache
def _representation_tallies_statement() -> Any:
    """Each kind's ``REPRESENTATION_TALLIES`` over the representations received in the
    period."""
    rep = t.representations
    answered = rep.c.responded_on.is_not(None)
    return (
        select(
            rep.c.kind,
            func.count().label("received"),
            _tally(rep.c.publishable.is_(True)).label("publishable"),
            _tally(rep.c.source == "councillor").label("councillor"),
            _tally(rep.c.source == "mp").label("mp"),
            _tally(answered).label("answered"),
            _tally(
                and_(answered, or_(rep.c.due.is_(None), rep.c.responded_on <= rep.c.due))
            ).label("on_time"),
            _tally(rep.c.complaint_ref.is_not(None)).label("complaint"),
        )
        .where(_representations_received())
        .group_by(rep.c.kind)
    )


@cache
def _representation_breakdowns_statement() -> Any:
    """Each of ``REPRESENTATIONS_BY`` over the kinds whose section shows it: the
    period's rows grouped once by the kind and every breakdown together (a materialised
    ``WITH``, a row per combination), and a branch each adding those rows up by its own
    column (ADR 0054)."""
    rep = t.representations
    by_facts = [rep.c.kind, *(rep.c[name] for name in REPRESENTATIONS_BY)]
    combinations = (
        select(*by_facts, func.count().label("n"))
        .where(_representations_received())
        .group_by(*by_facts)
        .cte("representations_by_facts")
    )
    c = combinations.c
    return _union(
        [
            select(c.kind, c[name].label("name"), func.sum(c.n).label("n"))
            .where(c.kind.in_(kinds))
            .group_by(c.kind, c[name])
            for name, kinds in REPRESENTATIONS_BY.items()
        ]
    )


class AnnualReport:
    """Builds the report's document from the read models in one session.

    Every figure is counted by the database (``COUNT``, ``SUM(CASE ...)``, ``GROUP BY``)
    over the read models' indexes, in the same number of statements whatever the
    ledger's size; Python only arranges the grouped counts (ADR 0035). Each statement is
    built once per process and executed with the procedure and the period as parameters
    (ADR 0052)."""

    def __init__(self, session: Session, procedure: str) -> None:
        if procedure not in PROCEDURES:
            raise BadData(f"unknown procedure {procedure!r}")
        self.session = session
        self.procedure = procedure
        self._entered_cache: dict[Period, dict[tuple[int, Period], int]] = {}
        self._responses_cache: dict[Period, dict[int, _Responses]] = {}
        self._tallies_cache: dict[Period, dict[tuple[str, int], tuple[int, int, int, int]]] = {}
        self._received_cache: dict[Period, dict[str, Any]] = {}
        self._representations_cache: dict[tuple[str, Period], dict[str, Any]] = {}
        self._enquiries_cache: dict[Period, dict[Period, int]] = {}

    def _rows(self, statement: Any, values: dict[str, Any]) -> list[Any]:
        return rows(self.session, statement, values)

    def _in(self, period: Period) -> dict[str, Any]:
        """The values of a statement about the procedure in ``period``."""
        return in_period(period, self.procedure)

    # ------------------------------------------------------------------ stages
    def _counted_periods(self, period: Period) -> list[Period]:
        """The period, the same period a year before, and the trend's years (each once)."""
        return list(dict.fromkeys([period, period.previous(), *self._trend_years(period)]))

    def _entered(self, period: Period) -> dict[tuple[int, Period], int]:
        """Stages entered, by stage, in the period, a year before and each trend year:
        one statement, a count over the index's range for each of them."""
        if period not in self._entered_cache:
            periods = self._counted_periods(period)
            found = self._rows(
                _entered_statement(len(periods)),
                {"procedure": self.procedure, **in_periods(periods)},
            )
            entered = {(stage, p): 0 for stage in ALL_STAGES for p in periods}
            for p, each in zip(periods, _branches(found, len(periods)), strict=True):
                for row in each:
                    entered[int(row.stage), p] = int(row.n)
            self._entered_cache[period] = entered
        return self._entered_cache[period]

    def _responses(self, period: Period) -> dict[int, _Responses]:
        """Each stage's responses in the period: one statement."""
        if period not in self._responses_cache:
            grouped: dict[int, list[Any]] = {stage: [] for stage in ALL_STAGES}
            for row in self._rows(_responses_statement(), self._in(period)):
                grouped[int(row.stage)].append(row)
            responses = {}
            for stage, each in grouped.items():
                outcomes: Counter[str] = Counter()
                days: Counter[int] = Counter()
                for row in each:
                    if row.outcome is not None:
                        outcomes[_key(row.outcome)] += int(row.n)
                    if row.working_days_taken is not None:
                        days[int(row.working_days_taken)] += int(row.n)
                responses[stage] = _Responses(
                    responded=sum(int(r.n) for r in each),
                    on_time=sum(int(r.on_time) for r in each),
                    extended=sum(int(r.extended) for r in each),
                    outcomes=outcomes,
                    days=days,
                )
            self._responses_cache[period] = responses
        return self._responses_cache[period]

    def _tallies(self, period: Period) -> dict[tuple[str, int], tuple[int, int, int, int]]:
        """Each stage's withdrawals, responses due, acknowledgements, stages open at the
        end of the period (by age) and panels held: one statement."""
        if period not in self._tallies_cache:
            values = {
                **self._in(period),
                "month_before_end": period.end - timedelta(days=30),
                "quarter_before_end": period.end - timedelta(days=90),
            }
            found = self._rows(_tallies_statement(), values)
            names = STAGE_TALLIES
            tallies = {(name, stage): (0, 0, 0, 0) for name in names for stage in ALL_STAGES}
            for name, each in zip(names, _branches(found, len(names)), strict=True):
                for row in each:
                    n, a, b, c = tallies[name, int(row[0])]
                    tallies[name, int(row[0])] = (
                        n + int(row[1]),
                        a + int(row[2]),
                        b + int(row[3]),
                        c + int(row[4]),
                    )
            self._tallies_cache[period] = tallies
        return self._tallies_cache[period]

    def _closed(self, stage: int, period: Period) -> dict[str, Any]:
        responses = self._responses(period)[stage]
        tallies = self._tallies(period)
        withdrawn = tallies["withdrawn", stage][0]
        outcomes = responses.outcomes
        figures: dict[str, Any] = {
            "responded": responses.responded,
            "on_time": responses.on_time,
            "on_time_percent": _percent(responses.on_time, responses.responded),
            "outcomes": {
                "upheld": outcomes["upheld"],
                "partly_upheld": outcomes["partly_upheld"],
                "not_upheld": outcomes["not_upheld"],
                "withdrawn": withdrawn,
            },
        }
        figures["some_merit_found"] = outcomes["upheld"] + outcomes["partly_upheld"]
        figures["extended"] = responses.extended
        figures["median_working_days"] = _median(responses.days)
        due, due_answered_on_time, _, _ = tallies["due", stage]
        figures["due"] = due
        figures["due_answered_on_time"] = due_answered_on_time
        figures["open_at_end"] = self._open_at_end(stage, period)
        acknowledged, on_time, _, _ = tallies["acknowledged", stage]
        figures["acknowledged"] = acknowledged
        figures["acknowledged_on_time"] = on_time
        figures["acknowledged_on_time_percent"] = _percent(on_time, acknowledged)
        return figures

    def _open_at_end(self, stage: int, period: Period) -> dict[str, int]:
        """Stages open at the end of the period, by how long they had been open."""
        count, under_30, up_to_90, over_90 = self._tallies(period)["open", stage]
        return {
            "count": count,
            "under_30_days": under_30,
            "30_to_90_days": up_to_90,
            "over_90_days": over_90,
        }

    def _uphold_by(self, period: Period) -> dict[str, Any]:
        """Stage 1 responses in the period by team and by reason, with how many found
        some merit (upheld or partly upheld) and that as a rate."""
        return self._stage1_in(period)["uphold"]  # type: ignore[no-any-return]

    def _received_in(self, period: Period) -> dict[str, Any]:
        """Stage 1 received in the period, counted by each breakdown, and the child's
        and the advocate's flags."""
        return self._stage1_in(period)["received"]  # type: ignore[no-any-return]

    def _stage1_in(self, period: Period) -> dict[str, Any]:
        """The Stage 1 figures by the case's facts: received in the period by each
        breakdown and flag, and answered in it by team and reason with merit found.
        One statement, over the stages entered or answered in the period, read once (a
        materialised ``WITH``), and the reasons' rows of those stages; the case's facts
        are copied onto both, so nothing is joined to its case (ADR 0045)."""
        if period not in self._received_cache:
            found = self._rows(_stage1_statement(), self._in(period))
            *by_breakdown, [flags], by_reason, by_team = _branches(found, len(RECEIVED_BY) + 3)
            received: dict[str, Any] = {
                name: _counted(each) for name, each in zip(RECEIVED_BY, by_breakdown, strict=True)
            }
            # The flags' branch carries its three tallies in the union's three counts.
            for name, tallied in zip(FLAGS, (flags.n, flags.responded, flags.merit), strict=True):
                received[name] = int(tallied)
            received["advocate_used"] = received.pop("advocate_accepted")
            received["reason"] = _counted(r for r in by_reason if r.n)
            uphold = {
                "by_team": _rated((r.name, int(r.responded), int(r.merit)) for r in by_team),
                "by_reason": _rated(
                    (r.name, int(r.responded), int(r.merit)) for r in by_reason if r.responded
                ),
            }
            self._received_cache[period] = {"received": received, "uphold": uphold}
        return self._received_cache[period]

    def stage1(self, period: Period) -> dict[str, Any]:
        entered = self._entered(period)
        figures: dict[str, Any] = {
            "received": entered[1, period],
            "received_previous": entered[1, period.previous()],
        }
        figures["change_percent"] = _change(figures["received"], figures["received_previous"])
        received = self._received_in(period)
        figures["by_service_area"] = received["service_area"]
        figures["by_team"] = received["team"]
        figures["by_reason"] = received["reason"]
        figures["by_channel"] = received["channel"]
        figures["by_role"] = received["role"]
        figures["direct_from_child"] = received["direct_from_child"]
        figures["advocate_offered"] = received["advocate_offered"]
        figures["advocate_used"] = received["advocate_used"]
        figures.update(self._closed(1, period))
        days = self._responses(period)[1].days
        figures["response_bands"] = {
            "within_10": sum(n for d, n in days.items() if d <= 10),
            "11_to_20": sum(n for d, n in days.items() if 10 < d <= 20),
            "over_20": sum(n for d, n in days.items() if d > 20),
        }
        figures["uphold"] = self._uphold_by(period)
        return figures

    def _long_response_bands(self, stage: int, period: Period) -> dict[str, int]:
        """Stage 2 and 3 responses by working days taken: within 25, 26 to 65, over 65."""
        days = self._responses(period)[stage].days
        return {
            "within_25": sum(n for d, n in days.items() if d <= 25),
            "26_to_65": sum(n for d, n in days.items() if 25 < d <= 65),
            "over_65": sum(n for d, n in days.items() if d > 65),
        }

    def stage2(self, period: Period) -> dict[str, Any]:
        entered = self._entered(period)
        figures: dict[str, Any] = {
            "received": entered[2, period],
            "received_previous": entered[2, period.previous()],
        }
        figures["change_percent"] = _change(figures["received"], figures["received_previous"])
        figures.update(self._closed(2, period))
        findings: Counter[str] = Counter()
        for row in self._rows(_points_statement(), self._in(period)):
            findings[_key(row.finding)] += int(row.n)
        figures["points_by_finding"] = {_key(f): findings[_key(f)] for f in POINT_FINDINGS}
        figures["response_bands"] = self._long_response_bands(2, period)
        return figures

    def stage3(self, period: Period) -> dict[str, Any]:
        entered = self._entered(period)
        panels, on_time, changed, _ = self._tallies(period)["panels", 3]
        figures: dict[str, Any] = {
            "received": entered[3, period],
            "received_previous": entered[3, period.previous()],
            "panels_held": panels,
            "panels_on_time": on_time,
            "panels_changed_stage2_findings": changed,
        }
        figures["change_percent"] = _change(figures["received"], figures["received_previous"])
        figures.update(self._closed(3, period))
        figures["response_bands"] = self._long_response_bands(3, period)
        return figures

    # ------------------------------------------------------------- ombudsman
    def _enquiries_made(self, period: Period) -> dict[Period, int]:
        """Ombudsman enquiries in the period, a year before and each trend year: one
        statement (read once per period, like the stages entered)."""
        if period not in self._enquiries_cache:
            periods = self._counted_periods(period)
            found = self._rows(
                _enquiries_statement(len(periods)),
                {"procedure": self.procedure, **in_periods(periods)},
            )
            self._enquiries_cache[period] = {
                p: int(each[0].n)
                for p, each in zip(periods, _branches(found, len(periods)), strict=True)
            }
        return self._enquiries_cache[period]

    def ombudsman(self, period: Period) -> dict[str, Any]:
        enquiries = self._enquiries_made(period)
        decided = self._rows(_decisions_statement(), self._in(period))
        decisions: Counter[str] = Counter()
        for row in decided:
            decisions[_key(row.decision)] += int(row.n)
        total = sum(int(r.n) for r in decided)
        upheld = sum(decisions[_key(d)] for d in OMBUDSMAN_UPHELD)
        with_deadline = sum(int(r.with_deadline) for r in decided)
        complied = sum(int(r.complied) for r in decided)
        satisfactory = sum(int(r.satisfactory) for r in decided)
        return {
            "enquiries": enquiries[period],
            "enquiries_previous": enquiries[period.previous()],
            "decisions": dict(sorted(decisions.items())),
            "decided": total,
            "upheld": upheld,
            "uphold_rate_percent": _percent(upheld, total),
            "compliance_due": with_deadline,
            "complied_on_time": complied,
            "compliance_percent": _percent(complied, with_deadline),
            "satisfactory_remedy": satisfactory,
            "satisfactory_remedy_percent": _percent(satisfactory, upheld),
        }

    # --------------------------------------------------------------- remedies
    def remedies(self, period: Period) -> dict[str, dict[str, int]]:
        """Remedies given at each stage's response and required by the Ombudsman,
        counted by the date they were given."""
        by_stage: dict[str, Counter[str]] = {}
        for row in self._rows(_remedies_statement(), self._in(period)):
            by_stage.setdefault(row.stage, Counter())[_key(row.remedy)] += int(row.n)
        return {stage: dict(sorted(counts.items())) for stage, counts in sorted(by_stage.items())}

    # ------------------------------------------------------------------ money
    def compensation(self, period: Period) -> dict[str, Any]:
        payments = self._rows(_payments_statement(), self._in(period))
        cases = int(self._rows(_paid_cases_statement(), self._in(period))[0][0])
        stages = [str(n) for n in range(1, FINAL_STAGE[self.procedure] + 1)] + ["ombudsman"]
        if self.procedure == "corporate":
            stages = ["1", "2", "3", "ombudsman"]
        by_stage = {stage: Decimal("0") for stage in stages}
        by_reason: dict[str, Decimal] = {}
        total = Decimal("0")
        for row in sorted(payments, key=lambda r: (r.stage, r.reason or "")):
            amount = Decimal(int(row.pence)) / 100
            by_stage[row.stage] = by_stage.get(row.stage, Decimal("0")) + amount
            reason = row.reason or NOT_RECORDED
            by_reason[reason] = by_reason.get(reason, Decimal("0")) + amount
            total += amount
        return {
            "total": _money(total),
            "cases": cases,
            "payments": sum(int(r.n) for r in payments),
            "by_stage": {k: _money(v) for k, v in by_stage.items()},
            "by_reason": {k: _money(v) for k, v in sorted(by_reason.items())},
        }

    # -------------------------------------------------------- recommendations
    def recommendations(self, period: Period) -> dict[str, Any]:
        rows = self._rows(_recommendations_statement(), self._in(period))
        made = sum(int(x.n) for x in rows)
        rejected_count = sum(int(x.rejected) for x in rows)
        completed_count = sum(int(x.completed) for x in rows)
        themes: Counter[str] = Counter()
        for x in rows:
            themes[x.name or NOT_RECORDED] += int(x.n)
        return {
            "made": made,
            "accepted": sum(int(x.accepted) for x in rows),
            "rejected": rejected_count,
            "completed": completed_count,
            # Neither rejected nor completed by the end of the period (never both).
            "open": made - rejected_count - completed_count,
            "overdue": sum(int(x.overdue) for x in rows),
            "by_theme": dict(sorted(themes.items())),
        }

    # ------------------------------------------------------ representations
    def _representations(self, kind: str, period: Period) -> dict[str, Any]:
        """The figures of every kind of representation received in the period (two
        statements, read once per period): tallies, and counts by each breakdown."""
        if (kind, period) not in self._representations_cache:
            values = in_period(period)
            tallies = {
                row.kind: row for row in self._rows(_representation_tallies_statement(), values)
            }
            grouped = _branches(
                self._rows(_representation_breakdowns_statement(), values),
                len(REPRESENTATIONS_BY),
            )
            for each in KINDS:
                row = tallies.get(each)
                figures: dict[str, Any] = {
                    name: int(getattr(row, name)) if row is not None else 0
                    for name in REPRESENTATION_TALLIES
                }
                for name, rows_by in zip(REPRESENTATIONS_BY, grouped, strict=True):
                    figures[f"by_{name}"] = _counted(r for r in rows_by if r.kind == each)
                self._representations_cache[each, period] = figures
        return self._representations_cache[kind, period]

    def compliments(self, period: Period) -> dict[str, Any]:
        now = self._representations("compliment", period)
        before = self._representations("compliment", period.previous())
        return {
            "received": now["received"],
            "received_previous": before["received"],
            "change_percent": _change(now["received"], before["received"]),
            "by_team": now["by_team"],
            "by_team_previous": before["by_team"],
            "by_service_area": now["by_service_area"],
            "by_channel": now["by_channel"],
            "by_role": now["by_role"],
            "publishable": now["publishable"],
        }

    def enquiries(self, period: Period) -> dict[str, Any]:
        now = self._representations("enquiry", period)
        before = self._representations("enquiry", period.previous())
        return {
            "councillor": now["councillor"],
            "mp": now["mp"],
            "councillor_previous": before["councillor"],
            "mp_previous": before["mp"],
            "by_team": now["by_team"],
            "by_team_previous": before["by_team"],
            "responded": now["answered"],
            "on_time": now["on_time"],
            "on_time_percent": _percent(now["on_time"], now["answered"]),
        }

    def feedback(self, period: Period) -> dict[str, Any]:
        now = self._representations("feedback", period)
        before = self._representations("feedback", period.previous())
        return {
            "received": now["received"],
            "received_previous": before["received"],
            "by_kind": now["by_source"],
            "by_team": now["by_team"],
            "resolved": now["answered"],
            "became_complaints": now["complaint"],
        }

    def advocacy(self, period: Period) -> dict[str, Any]:
        now = self._representations("advocacy", period)
        before = self._representations("advocacy", period.previous())
        return {
            "referrals": now["received"],
            "referrals_previous": before["received"],
            "by_age_band": now["by_age_band"],
            "by_theme": now["by_theme"],
            "led_to_complaint": now["complaint"],
        }

    def profile(self, period: Period) -> dict[str, Any]:
        """Who complained (Stage 1 received), as far as they told us."""
        received = self._received_in(period)
        return {
            "by_age_band": received["age_band"],
            "by_ethnicity": received["ethnicity"],
            "by_disability": received["disability"],
            "direct_from_child": received["direct_from_child"],
        }

    # ------------------------------------------------------------------ whole
    @staticmethod
    def _trend_years(period: Period) -> list[Period]:
        return [
            financial_year(period.financial_year_start - back)
            for back in range(TREND_YEARS - 1, -1, -1)
        ]

    def trend(self, period: Period) -> list[dict[str, Any]]:
        entered = self._entered(period)
        enquiries = self._enquiries_made(period)
        return [
            {
                "label": year.label,
                "stage1": entered[1, year],
                "stage2": entered[2, year],
                "stage3": entered[3, year],
                "ombudsman": enquiries[year],
            }
            for year in self._trend_years(period)
        ]

    def build(
        self, period: Period, with_previous: bool = True, alongside: AskAlongside | None = None
    ) -> dict[str, Any]:
        """The report's figures for ``period``, with last year's beside them
        (``with_previous``).

        With ``alongside``, a second reader of the same snapshot counts last year's
        figures while this one counts this year's (ADR 0057); the document is the same."""
        previous = None
        if with_previous and alongside is not None:
            previous = alongside(partial(_previous_figures, self.procedure, period))
        stage1 = self.stage1(period)
        stage2 = self.stage2(period)
        document: dict[str, Any] = {
            "period": {
                "label": period.label,
                "start": period.start.isoformat(),
                "end": period.end.isoformat(),
            },
            "procedure": self.procedure,
            "stage1": stage1,
            "stage2": stage2,
        }
        if self.procedure == "statutory":
            document["stage3"] = self.stage3(period)
        else:
            document["stage3"] = {
                "received": 0,
                "panels_held": 0,
                "responded": 0,
                "on_time": 0,
                "outcomes": {"upheld": 0, "partly_upheld": 0, "not_upheld": 0, "withdrawn": 0},
            }
        document["escalation_rate_percent"] = _percent(stage2["received"], stage1["received"])
        document["ombudsman"] = self.ombudsman(period)
        document["compensation"] = self.compensation(period)
        document["remedies"] = self.remedies(period)
        document["recommendations"] = self.recommendations(period)
        document["compliments"] = self.compliments(period)
        document["enquiries"] = self.enquiries(period)
        document["feedback"] = self.feedback(period)
        document["advocacy"] = self.advocacy(period)
        document["profile"] = self.profile(period)
        # Providers, joint complaints, expenditure, satisfaction (ADR 0039).
        document.update(casework_sections(self.session, self.procedure, period, with_previous))
        document["trend"] = self.trend(period)
        document["case_links"] = case_link_figures(self.session, self.procedure, period)
        document.update(contact_register_sections(self.session, period))  # ADR 0040
        if with_previous:
            document["previous"] = self.previous(period) if previous is None else previous()
        return document

    def previous(self, period: Period) -> dict[str, Any]:
        """Last year's figures, counted the same way, for every table's comparison."""
        figures = self.build(period.previous(), with_previous=False)
        del figures["trend"]
        return figures


def _previous_figures(procedure: str, period: Period, session: Session) -> dict[str, Any]:
    """:meth:`AnnualReport.previous`, asked of another session (ADR 0057)."""
    return AnnualReport(session, procedure).previous(period)


def _change(now: int, before: int) -> float | None:
    return round(100 * (now - before) / before, 1) if before else None
