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
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from domain.errors import BadData
from domain.procedure import FINAL_STAGE, OMBUDSMAN_UPHELD, POINT_FINDINGS, PROCEDURES
from projections import tables as t
from reports.contact_registers import contact_register_sections

NOT_RECORDED = "not recorded"
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


class AnnualReport:
    """Builds the report's document from the read models in one session."""

    def __init__(self, session: Session, procedure: str) -> None:
        if procedure not in PROCEDURES:
            raise BadData(f"unknown procedure {procedure!r}")
        self.session = session
        self.procedure = procedure
        self._cache: dict[tuple[int, date, date, str], list[Any]] = {}

    def _rows(self, query: Any) -> list[Any]:
        return list(self.session.execute(query))

    # ------------------------------------------------------------------ stages
    def _stage_filter(self, stage: int, start: date, end: date, column: str) -> Any:
        s = t.stages
        return and_(
            s.c.procedure == self.procedure,
            s.c.stage == stage,
            s.c[column] >= start,
            s.c[column] <= end,
        )

    def _stage_rows(self, stage: int, start: date, end: date, column: str) -> list[Any]:
        key = (stage, start, end, column)
        if key not in self._cache:
            s, c = t.stages, t.cases
            self._cache[key] = self._rows(
                select(
                    s,
                    c.c.service_area,
                    c.c.team,
                    c.c.channel,
                    c.c.role,
                    c.c.direct_from_child,
                    c.c.advocate_offered,
                    c.c.advocate_accepted,
                    c.c.age_band,
                    c.c.ethnicity,
                    c.c.disability,
                )
                .join(c, c.c.case_id == s.c.case_id)
                .where(self._stage_filter(stage, start, end, column))
            )
        return self._cache[key]

    def received(self, stage: int, period: Period) -> int:
        query = (
            select(func.count())
            .select_from(t.stages)
            .where(self._stage_filter(stage, period.start, period.end, "started_on"))
        )
        return int(self.session.execute(query).scalar_one())

    def _closed(self, stage: int, period: Period) -> dict[str, Any]:
        responded = self._stage_rows(stage, period.start, period.end, "responded_on")
        withdrawn = self._stage_rows(stage, period.start, period.end, "withdrawn_on")
        outcomes = Counter(_key(r.outcome) for r in responded)
        figures: dict[str, Any] = {
            "responded": len(responded),
            "on_time": sum(1 for r in responded if r.on_time),
            "on_time_percent": _percent(sum(1 for r in responded if r.on_time), len(responded)),
            "outcomes": {
                "upheld": outcomes["upheld"],
                "partly_upheld": outcomes["partly_upheld"],
                "not_upheld": outcomes["not_upheld"],
                "withdrawn": len(withdrawn),
            },
        }
        figures["some_merit_found"] = outcomes["upheld"] + outcomes["partly_upheld"]
        figures["extended"] = sum(1 for r in responded if r.extended)
        taken = sorted(r.working_days_taken for r in responded if r.working_days_taken is not None)
        figures["median_working_days"] = float(statistics.median(taken)) if taken else None
        due = self._stage_rows(stage, period.start, period.end, "response_due")
        figures["due"] = len(due)
        figures["due_answered_on_time"] = sum(
            1 for r in due if r.responded_on is not None and r.responded_on <= r.response_due
        )
        figures["open_at_end"] = self._open_at_end(stage, period)
        acknowledged = self._stage_rows(stage, period.start, period.end, "acknowledged_on")
        on_time = sum(1 for r in acknowledged if r.acknowledged_on_time)
        figures["acknowledged"] = len(acknowledged)
        figures["acknowledged_on_time"] = on_time
        figures["acknowledged_on_time_percent"] = _percent(on_time, len(acknowledged))
        return figures

    def _open_at_end(self, stage: int, period: Period) -> dict[str, int]:
        """Stages open at the end of the period, by how long they had been open."""
        s = t.stages
        rows = self._rows(
            select(s.c.started_on).where(
                s.c.procedure == self.procedure,
                s.c.stage == stage,
                s.c.started_on <= period.end,
                or_(s.c.responded_on.is_(None), s.c.responded_on > period.end),
                or_(s.c.withdrawn_on.is_(None), s.c.withdrawn_on > period.end),
            )
        )
        ages = [(period.end - r.started_on).days for r in rows]
        return {
            "count": len(ages),
            "under_30_days": sum(1 for a in ages if a < 30),
            "30_to_90_days": sum(1 for a in ages if 30 <= a <= 90),
            "over_90_days": sum(1 for a in ages if a > 90),
        }

    def _uphold_by(self, responded: list[Any], period: Period) -> dict[str, Any]:
        """Stage 1 responses in the period by team and by reason, with how many found
        some merit (upheld or partly upheld) and that as a rate."""

        def rated(counter: Counter[str], merit: Counter[str]) -> dict[str, dict[str, Any]]:
            return {
                name: {
                    "responded": counter[name],
                    "some_merit_found": merit[name],
                    "uphold_rate_percent": _percent(merit[name], counter[name]),
                }
                for name, _ in sorted(counter.items(), key=lambda item: (-item[1], item[0]))
            }

        merit_found = {"upheld", "partly-upheld"}
        teams: Counter[str] = Counter()
        team_merit: Counter[str] = Counter()
        for r in responded:
            teams[r.team or NOT_RECORDED] += 1
            team_merit[r.team or NOT_RECORDED] += r.outcome in merit_found
        reasons: Counter[str] = Counter()
        reason_merit: Counter[str] = Counter()
        if responded:
            outcome = {r.case_id: r.outcome for r in responded}
            reason = t.case_reasons
            for row in self._rows(
                select(reason.c.case_id, reason.c.reason)
                .join(t.stages, t.stages.c.case_id == reason.c.case_id)
                .where(self._stage_filter(1, period.start, period.end, "responded_on"))
            ):
                if row.case_id not in outcome:
                    continue  # answered since the responses were read (PostgreSQL reads
                    # each statement afresh): counted next time, with its response
                reasons[row.reason] += 1
                reason_merit[row.reason] += outcome[row.case_id] in merit_found
        return {"by_team": rated(teams, team_merit), "by_reason": rated(reasons, reason_merit)}

    def _breakdowns(self, rows: list[Any], period: Period) -> dict[str, dict[str, int]]:
        def count(field: str) -> dict[str, int]:
            counter = Counter((getattr(r, field) or NOT_RECORDED) for r in rows)
            return dict(sorted(counter.items(), key=lambda item: (-item[1], item[0])))

        reasons: Counter[str] = Counter()
        if rows:
            for row in self._rows(
                select(t.case_reasons.c.reason)
                .join(t.stages, t.stages.c.case_id == t.case_reasons.c.case_id)
                .where(self._stage_filter(1, period.start, period.end, "started_on"))
            ):
                reasons[row.reason] += 1
        return {
            "by_service_area": count("service_area"),
            "by_team": count("team"),
            "by_reason": dict(sorted(reasons.items(), key=lambda item: (-item[1], item[0]))),
            "by_channel": count("channel"),
            "by_role": count("role"),
        }

    def stage1(self, period: Period) -> dict[str, Any]:
        rows = self._stage_rows(1, period.start, period.end, "started_on")
        figures: dict[str, Any] = {
            "received": len(rows),
            "received_previous": self.received(1, period.previous()),
        }
        figures["change_percent"] = _change(figures["received"], figures["received_previous"])
        figures.update(self._breakdowns(rows, period))
        figures["direct_from_child"] = sum(1 for r in rows if r.direct_from_child)
        figures["advocate_offered"] = sum(1 for r in rows if r.advocate_offered)
        figures["advocate_used"] = sum(1 for r in rows if r.advocate_accepted)
        figures.update(self._closed(1, period))
        responded = self._stage_rows(1, period.start, period.end, "responded_on")
        taken = [r.working_days_taken for r in responded]
        figures["response_bands"] = {
            "within_10": sum(1 for d in taken if d <= 10),
            "11_to_20": sum(1 for d in taken if 10 < d <= 20),
            "over_20": sum(1 for d in taken if d > 20),
        }
        figures["uphold"] = self._uphold_by(responded, period)
        return figures

    def _long_response_bands(self, stage: int, period: Period) -> dict[str, int]:
        """Stage 2 and 3 responses by working days taken: within 25, 26 to 65, over 65."""
        responded = self._stage_rows(stage, period.start, period.end, "responded_on")
        taken = [r.working_days_taken for r in responded if r.working_days_taken is not None]
        return {
            "within_25": sum(1 for d in taken if d <= 25),
            "26_to_65": sum(1 for d in taken if 25 < d <= 65),
            "over_65": sum(1 for d in taken if d > 65),
        }

    def stage2(self, period: Period) -> dict[str, Any]:
        figures: dict[str, Any] = {
            "received": self.received(2, period),
            "received_previous": self.received(2, period.previous()),
        }
        figures["change_percent"] = _change(figures["received"], figures["received_previous"])
        figures.update(self._closed(2, period))
        responded = self._stage_rows(2, period.start, period.end, "responded_on")
        findings: Counter[str] = Counter()
        if responded:
            for row in self._rows(
                select(t.points.c.finding)
                .join(t.stages, t.stages.c.case_id == t.points.c.case_id)
                .where(t.points.c.stage == 2)
                .where(self._stage_filter(2, period.start, period.end, "responded_on"))
            ):
                findings[_key(row.finding)] += 1
        figures["points_by_finding"] = {_key(f): findings[_key(f)] for f in POINT_FINDINGS}
        figures["response_bands"] = self._long_response_bands(2, period)
        return figures

    def stage3(self, period: Period) -> dict[str, Any]:
        s = t.stages
        panels = self._rows(
            select(s.c.findings_changed, s.c.panel_on_time).where(
                and_(
                    s.c.procedure == self.procedure,
                    s.c.stage == 3,
                    s.c.panel_met_on >= period.start,
                    s.c.panel_met_on <= period.end,
                )
            )
        )
        figures: dict[str, Any] = {
            "received": self.received(3, period),
            "received_previous": self.received(3, period.previous()),
            "panels_held": len(panels),
            "panels_on_time": sum(1 for p in panels if p.panel_on_time),
            "panels_changed_stage2_findings": sum(1 for p in panels if p.findings_changed),
        }
        figures["change_percent"] = _change(figures["received"], figures["received_previous"])
        figures.update(self._closed(3, period))
        figures["response_bands"] = self._long_response_bands(3, period)
        return figures

    # ------------------------------------------------------------- ombudsman
    def ombudsman(self, period: Period) -> dict[str, Any]:
        o = t.ombudsman
        mine = o.c.procedure == self.procedure
        enquiries = self._rows(
            select(o.c.case_id).where(
                and_(mine, o.c.enquiry_on >= period.start, o.c.enquiry_on <= period.end)
            )
        )
        previous = period.previous()
        enquiries_previous = self._rows(
            select(o.c.case_id).where(
                and_(mine, o.c.enquiry_on >= previous.start, o.c.enquiry_on <= previous.end)
            )
        )
        decided = self._rows(
            select(o).where(
                and_(mine, o.c.decided_on >= period.start, o.c.decided_on <= period.end)
            )
        )
        decisions = Counter(_key(r.decision) for r in decided)
        upheld = sum(decisions[_key(d)] for d in OMBUDSMAN_UPHELD)
        with_deadline = [r for r in decided if r.due is not None]
        complied = sum(
            1 for r in with_deadline if r.complied_on is not None and r.complied_on <= r.due
        )
        satisfactory = sum(1 for r in decided if r.satisfactory_remedy)
        return {
            "enquiries": len(enquiries),
            "enquiries_previous": len(enquiries_previous),
            "decisions": dict(sorted(decisions.items())),
            "decided": len(decided),
            "upheld": upheld,
            "uphold_rate_percent": _percent(upheld, len(decided)),
            "compliance_due": len(with_deadline),
            "complied_on_time": complied,
            "compliance_percent": _percent(complied, len(with_deadline)),
            "satisfactory_remedy": satisfactory,
            "satisfactory_remedy_percent": _percent(satisfactory, upheld),
        }

    # --------------------------------------------------------------- remedies
    def remedies(self, period: Period) -> dict[str, dict[str, int]]:
        """Remedies given at each stage's response and required by the Ombudsman,
        counted by the date they were given."""
        rm, c = t.remedies, t.cases
        rows = self._rows(
            select(rm.c.stage, rm.c.remedy)
            .join(c, c.c.case_id == rm.c.case_id)
            .where(
                and_(
                    c.c.procedure == self.procedure,
                    rm.c.given_on >= period.start,
                    rm.c.given_on <= period.end,
                )
            )
        )
        by_stage: dict[str, Counter[str]] = {}
        for row in rows:
            by_stage.setdefault(row.stage, Counter())[_key(row.remedy)] += 1
        return {stage: dict(sorted(counts.items())) for stage, counts in sorted(by_stage.items())}

    # ------------------------------------------------------------------ money
    def compensation(self, period: Period) -> dict[str, Any]:
        p = t.payments
        rows = self._rows(
            select(p).where(
                and_(
                    p.c.procedure == self.procedure,
                    p.c.paid_on >= period.start,
                    p.c.paid_on <= period.end,
                )
            )
        )
        stages = [str(n) for n in range(1, FINAL_STAGE[self.procedure] + 1)] + ["ombudsman"]
        if self.procedure == "corporate":
            stages = ["1", "2", "3", "ombudsman"]
        by_stage = {stage: Decimal("0") for stage in stages}
        by_reason: dict[str, Decimal] = {}
        for row in rows:
            amount = Decimal(row.amount)
            by_stage[row.stage] = by_stage.get(row.stage, Decimal("0")) + amount
            reason = row.reason or NOT_RECORDED
            by_reason[reason] = by_reason.get(reason, Decimal("0")) + amount
        total = sum((Decimal(r.amount) for r in rows), Decimal("0"))
        return {
            "total": _money(total),
            "cases": len({r.case_id for r in rows}),
            "payments": len(rows),
            "by_stage": {k: _money(v) for k, v in by_stage.items()},
            "by_reason": {k: _money(v) for k, v in sorted(by_reason.items())},
        }

    # -------------------------------------------------------- recommendations
    def recommendations(self, period: Period) -> dict[str, Any]:
        r = t.recommendations
        rows = self._rows(
            select(r).where(
                and_(
                    r.c.procedure == self.procedure,
                    r.c.made_on >= period.start,
                    r.c.made_on <= period.end,
                )
            )
        )
        end = period.end

        def by_end(day: date | None) -> bool:
            return day is not None and day <= end

        accepted = [x for x in rows if x.decision == "accepted" and by_end(x.decided_on)]
        rejected = [x for x in rows if x.decision == "rejected" and by_end(x.decided_on)]
        completed = [x for x in accepted if by_end(x.completed_on)]
        still_open = [
            x
            for x in rows
            if not (x.decision == "rejected" and by_end(x.decided_on))
            and not (x.decision == "accepted" and by_end(x.decided_on) and by_end(x.completed_on))
        ]
        overdue = [
            x for x in accepted if not by_end(x.completed_on) and x.due is not None and x.due < end
        ]
        themes = Counter(x.theme or NOT_RECORDED for x in rows)
        return {
            "made": len(rows),
            "accepted": len(accepted),
            "rejected": len(rejected),
            "completed": len(completed),
            "open": len(still_open),
            "overdue": len(overdue),
            "by_theme": dict(sorted(themes.items())),
        }

    # ------------------------------------------------------ representations
    def _representations(self, kind: str, period: Period) -> list[Any]:
        rep = t.representations
        return self._rows(
            select(rep).where(
                and_(
                    rep.c.kind == kind,
                    rep.c.received_on >= period.start,
                    rep.c.received_on <= period.end,
                )
            )
        )

    def compliments(self, period: Period) -> dict[str, Any]:
        rows = self._representations("compliment", period)
        before = self._representations("compliment", period.previous())
        return {
            "received": len(rows),
            "received_previous": len(before),
            "change_percent": _change(len(rows), len(before)),
            "by_team": _count(r.team for r in rows),
            "by_team_previous": _count(r.team for r in before),
            "by_service_area": _count(r.service_area for r in rows),
            "by_channel": _count(r.channel for r in rows),
            "by_role": _count(r.role for r in rows),
            "publishable": sum(1 for r in rows if r.publishable),
        }

    def enquiries(self, period: Period) -> dict[str, Any]:
        rows = self._representations("enquiry", period)
        before = self._representations("enquiry", period.previous())
        answered = [r for r in rows if r.responded_on is not None]
        on_time = sum(1 for r in answered if r.due is None or r.responded_on <= r.due)
        return {
            "councillor": sum(1 for r in rows if r.source == "councillor"),
            "mp": sum(1 for r in rows if r.source == "mp"),
            "councillor_previous": sum(1 for r in before if r.source == "councillor"),
            "mp_previous": sum(1 for r in before if r.source == "mp"),
            "by_team": _count(r.team for r in rows),
            "by_team_previous": _count(r.team for r in before),
            "responded": len(answered),
            "on_time": on_time,
            "on_time_percent": _percent(on_time, len(answered)),
        }

    def feedback(self, period: Period) -> dict[str, Any]:
        rows = self._representations("feedback", period)
        before = self._representations("feedback", period.previous())
        return {
            "received": len(rows),
            "received_previous": len(before),
            "by_kind": _count(r.source for r in rows),
            "by_team": _count(r.team for r in rows),
            "resolved": sum(1 for r in rows if r.responded_on is not None),
            "became_complaints": sum(1 for r in rows if r.complaint_ref is not None),
        }

    def advocacy(self, period: Period) -> dict[str, Any]:
        rows = self._representations("advocacy", period)
        before = self._representations("advocacy", period.previous())
        return {
            "referrals": len(rows),
            "referrals_previous": len(before),
            "by_age_band": _count(r.age_band for r in rows),
            "by_theme": _count(r.theme for r in rows),
            "led_to_complaint": sum(1 for r in rows if r.complaint_ref is not None),
        }

    def profile(self, period: Period) -> dict[str, Any]:
        """Who complained (Stage 1 received), as far as they told us."""
        rows = self._stage_rows(1, period.start, period.end, "started_on")
        profiles = rows
        return {
            "by_age_band": _count(p.age_band for p in profiles),
            "by_ethnicity": _count(p.ethnicity for p in profiles),
            "by_disability": _count(p.disability for p in profiles),
            "direct_from_child": sum(1 for r in rows if r.direct_from_child),
        }

    # ------------------------------------------------------------------ whole
    def trend(self, period: Period) -> list[dict[str, Any]]:
        years = []
        for back in range(TREND_YEARS - 1, -1, -1):
            year = financial_year(period.financial_year_start - back)
            years.append(
                {
                    "label": year.label,
                    "stage1": self.received(1, year),
                    "stage2": self.received(2, year),
                    "stage3": self.received(3, year),
                    "ombudsman": len(
                        self._rows(
                            select(t.ombudsman.c.case_id).where(
                                and_(
                                    t.ombudsman.c.procedure == self.procedure,
                                    t.ombudsman.c.enquiry_on >= year.start,
                                    t.ombudsman.c.enquiry_on <= year.end,
                                )
                            )
                        )
                    ),
                }
            )
        return years

    def build(self, period: Period, with_previous: bool = True) -> dict[str, Any]:
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
        document["trend"] = self.trend(period)
        document.update(contact_register_sections(self.session, period))  # ADR 0040
        if with_previous:
            # Last year's figures, counted the same way, for every table's comparison.
            previous = self.build(period.previous(), with_previous=False)
            del previous["trend"]
            document["previous"] = previous
        return document


def _count(names: Iterable[str | None]) -> dict[str, int]:
    """Counts by name, most first, with unrecorded values as "not recorded"."""
    counter = Counter(name or NOT_RECORDED for name in names)
    return dict(sorted(counter.items(), key=lambda item: (-item[1], item[0])))


def _change(now: int, before: int) -> float | None:
    return round(100 * (now - before) / before, 1) if before else None
