"""Build a ledger from a compact, table-driven description of cases.

A :class:`Case` describes one complaint as the annual report sees it: when it was
received, where it belongs (service area, team, channel, role, reasons), and what
happened at each stage (:class:`Stage`), at the Ombudsman (:class:`Ombudsman`), to its
recommendations (:class:`Rec`) and payments (:class:`Pay`). :func:`build_case` turns the
description into a real :class:`Complaint` aggregate by running the domain commands, so
every rule of the procedure is checked; :func:`build_ledger` saves many of them in one
transaction with :meth:`Ledger.record_many`.

Dates are either given or counted in working days with the policy's calendar (England's
bank holidays; the day a stage starts is day 0). A Stage 1 response ``days=10`` is on
time, ``days=11`` is late unless the stage was extended (``extend_to=20``), and so on:
the on-time figures of a report follow from the dates, never from a flag.

The commands of one case are run in date order (ties in the order the description
implies: a stage's response before its recommendations, a recommendation before its
acceptance, and so on), so a Stage 1 action can be completed while Stage 2 runs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from eventsourcing.domain import Aggregate

from domain.complaint import Complaint
from domain.procedure import ProcedurePolicy, Taxonomy
from domain.representations import Compliment, Enquiry
from ledger.application import Ledger
from reports.annual import parse_year

TODAY = date(2026, 11, 23)
ACTOR = "seed-builder"


def make_policy(**taxonomy: Iterable[str]) -> ProcedurePolicy:
    """The default statutory policy ("today" is 23 Nov 2026) with a council's own names
    added to the taxonomies, e.g. ``make_policy(reasons=["service-failure"])``."""
    extra = {kind: list(names) for kind, names in taxonomy.items()}
    return ProcedurePolicy(today=TODAY, taxonomy=Taxonomy().extended(extra))


POLICY = make_policy()


def working_day(start: date, n: int, policy: ProcedurePolicy = POLICY) -> date:
    """The ``n``-th working day after ``start`` (``start`` is day 0)."""
    return policy.calendar.add_working_days(start, n)


def spread(counts: Mapping[str, int]) -> list[str]:
    """Expand a published table into one name per case: ``{"a": 2, "b": 1}`` ->
    ``["a", "a", "b"]`` (in the table's order)."""
    names: list[str] = []
    for name, count in counts.items():
        if count < 0:
            raise ValueError(f"negative count for {name!r}")
        names.extend([name] * count)
    return names


def remaining(counts: Mapping[str, int], used: Iterable[str]) -> dict[str, int]:
    """The published counts less the names already given to hand-made cases."""
    left = Counter(dict(counts))
    left.subtract(Counter(used))
    negative = {k: v for k, v in left.items() if v < 0}
    if negative:
        raise ValueError(f"hand-made cases use more than the table allows: {negative}")
    return {k: left[k] for k in counts}


# --------------------------------------------------------------------- the specs
@dataclass(frozen=True)
class Rec:
    """A recommendation. ``made`` defaults to the date of the stage's response (the
    Ombudsman's: the decision); the other dates may be given as a number of working
    days after ``made``."""

    made: date | None = None
    accepted: date | int | None = None
    rejected: date | int | None = None
    due: date | int | None = None
    completed: date | int | None = None
    owner: str | None = None
    theme: str | None = None


@dataclass(frozen=True)
class Pay:
    """A payment agreed at the stage it is listed under. ``on`` defaults to the stage's
    response (or, for an open stage, the day it started; the Ombudsman's: the decision)."""

    amount: str
    reason: str | None = None
    on: date | None = None


@dataclass(frozen=True)
class Stage:
    """What happened at one stage.

    Clock start (day 0): Stage 1, receipt; Stages 2 and 3, the request, which is
    ``requested`` or ``after`` working days after the previous stage's response.
    The stage ends with a response (``outcome`` plus ``days`` or ``responded``), a
    withdrawal (``withdrawn`` or ``withdrawn_days``), or not at all (still open).
    ``days`` and ``withdrawn_days`` count working days from the clock start; an
    extension (``extend_to`` working days) is agreed on day 0 unless ``extended_on``.
    Stage 3 always holds its panel (``panel_days`` after the request) and the panel
    reports ``report_days`` later; the council responds on day ``days`` (default: 10
    working days after the report).
    """

    outcome: str | None = None
    days: int | None = None
    responded: date | None = None
    extend_to: int | None = None
    extended_on: date | None = None
    withdrawn: date | None = None
    withdrawn_days: int | None = None
    requested: date | None = None
    after: int = 5
    late_request_reason: str | None = None
    #: Stage 2: the finding on each point of the agreed statement (recorded on the
    #: adjudication date). Stage 3: the panel's findings on the same points.
    points: tuple[str, ...] = ()
    #: Stage 3: the panel meets ``panel_days`` after the request and reports
    #: ``report_days`` after it meets.
    panel_days: int = 20
    report_days: int = 3
    remedies: tuple[str, ...] = ()
    recommendations: tuple[Rec, ...] = ()
    compensation: tuple[Pay, ...] = ()


@dataclass(frozen=True)
class Ombudsman:
    enquiry: date
    decision: str | None = None
    decided: date | None = None
    recommendations: tuple[Rec, ...] = ()
    compensation: tuple[Pay, ...] = ()


@dataclass(frozen=True)
class Amend:
    on: date
    field: str
    value: Any
    reason: str = "recorded wrongly at receipt"


@dataclass(frozen=True)
class Case:
    ref: str
    received: date
    service_area: str | None = None
    team: str | None = None
    channel: str | None = None
    role: str | None = None
    reasons: tuple[str, ...] = ()
    procedure: str | None = "statutory"
    triaged: date | None = None
    stage1: Stage | None = None
    stage2: Stage | None = None
    stage3: Stage | None = None
    ombudsman: tuple[Ombudsman, ...] = ()
    amendments: tuple[Amend, ...] = ()
    #: Holds: (suspended on, resumed on or ``None`` while still on hold).
    holds: tuple[tuple[date, date | None], ...] = ()


# ---------------------------------------------------------------- the timeline
Command = Callable[[Complaint, ProcedurePolicy], Any]


@dataclass
class _Timeline:
    """The case's commands, to be run in date order (stable for ties)."""

    steps: list[tuple[date, int, Command]] = field(default_factory=list)

    def add(self, on: date, command: Command) -> None:
        self.steps.append((on, len(self.steps), command))

    def run(self, complaint: Complaint, policy: ProcedurePolicy) -> None:
        for _, _, command in sorted(self.steps, key=lambda step: (step[0], step[1])):
            command(complaint, policy)


def _when(value: date | int | None, base: date, policy: ProcedurePolicy) -> date | None:
    """A date, or a number of working days after ``base``."""
    if value is None or isinstance(value, date):
        return value
    return working_day(base, value, policy)


def _recommendations(
    line: _Timeline,
    recs: Sequence[Rec],
    stage: str,
    default_made: date,
    policy: ProcedurePolicy,
) -> None:
    for number, rec in enumerate(recs, start=1):
        rec_id = f"S{stage}-R{number}" if stage != "ombudsman" else f"LGSCO-R{number}"
        made = rec.made or default_made
        line.add(
            made,
            lambda c, p, on=made, rec=rec, rec_id=rec_id: c.recommend(
                on=on,
                actor=ACTOR,
                policy=p,
                recommendation_id=rec_id,
                stage=stage,
                theme=rec.theme,
            ),
        )
        if rec.accepted is not None and rec.rejected is not None:
            raise ValueError(f"recommendation {rec_id} both accepted and rejected")
        decided = _when(rec.accepted, made, policy)
        if decided is None:
            decided = _when(rec.rejected, made, policy)
        if decided is not None:
            line.add(
                decided,
                lambda c, p, on=decided, rec=rec, rec_id=rec_id, made=made: c.decide_recommendation(
                    on=on,
                    actor=ACTOR,
                    policy=p,
                    recommendation_id=rec_id,
                    accepted=rec.accepted is not None,
                    owner=rec.owner,
                    due=_when(rec.due, made, p),
                ),
            )
        completed = _when(rec.completed, made, policy)
        if completed is not None:
            line.add(
                completed,
                lambda c, p, on=completed, rec_id=rec_id: c.complete_recommendation(
                    on=on, actor=ACTOR, policy=p, recommendation_id=rec_id, evidence="done"
                ),
            )


def _payments(line: _Timeline, pays: Sequence[Pay], stage: str, default_on: date) -> None:
    for pay in pays:

        def compensate(c: Complaint, p: ProcedurePolicy, pay: Pay = pay) -> None:
            c.compensate(
                on=pay.on or default_on,
                actor=ACTOR,
                policy=p,
                amount=Decimal(pay.amount),
                reason=pay.reason,
                stage=stage,
            )

        line.add(pay.on or default_on, compensate)


def _stage(
    line: _Timeline,
    number: int,
    spec: Stage,
    start: date,
    policy: ProcedurePolicy,
) -> date | None:
    """Schedule one stage that starts (day 0) on ``start``; returns its response date."""
    if spec.extend_to is not None:
        extended_on = spec.extended_on or start
        line.add(
            extended_on,
            lambda c, p, n=spec.extend_to, on=extended_on: c.extend(
                on=on, actor=ACTOR, policy=p, reason="complex case", working_days=n
            ),
        )
    if number == 2 and spec.points:
        points = len(spec.points)
        line.add(
            start,
            lambda c, p: c.agree_statement(on=start, actor=ACTOR, policy=p, points=points),
        )
    panel_on = None
    if number == 3:
        panel_on = working_day(start, spec.panel_days, policy)
        reported_on = working_day(panel_on, spec.report_days, policy)
        line.add(panel_on, lambda c, p: c.hold_panel(on=panel_on, actor=ACTOR, policy=p))
        for point, finding in enumerate(spec.points, start=1):
            line.add(
                panel_on,
                lambda c, p, point=point, finding=finding: c.record_finding(
                    on=panel_on, actor=ACTOR, policy=p, point=point, finding=finding
                ),
            )
        line.add(reported_on, lambda c, p: c.report_panel(on=reported_on, actor=ACTOR, policy=p))

    responded = spec.responded
    if responded is None and spec.days is not None:
        responded = working_day(start, spec.days, policy)
    if number == 3 and responded is None and spec.outcome is not None:
        responded = working_day(start, spec.panel_days + spec.report_days + 10, policy)
    withdrawn = spec.withdrawn
    if withdrawn is None and spec.withdrawn_days is not None:
        withdrawn = working_day(start, spec.withdrawn_days, policy)

    if spec.outcome is not None:
        if responded is None:
            raise ValueError(f"Stage {number} has an outcome but no response date")
        if number == 2:
            for point, finding in enumerate(spec.points, start=1):
                line.add(
                    responded,
                    lambda c, p, point=point, finding=finding: c.record_finding(
                        on=responded, actor=ACTOR, policy=p, point=point, finding=finding
                    ),
                )
        line.add(
            responded,
            lambda c, p: c.respond(
                on=responded,
                actor=ACTOR,
                policy=p,
                outcome=spec.outcome,
                stage=number,
                remedies=list(spec.remedies),
            ),
        )
    elif withdrawn is not None:
        line.add(
            withdrawn,
            lambda c, p: c.withdraw(on=withdrawn, actor=ACTOR, policy=p, reason="withdrawn"),
        )
        responded = None
    _recommendations(line, spec.recommendations, str(number), responded or start, policy)
    _payments(line, spec.compensation, str(number), responded or start)
    return responded if spec.outcome is not None else None


def _request_date(spec: Stage, previous_response: date | None, policy: ProcedurePolicy) -> date:
    if spec.requested is not None:
        return spec.requested
    if previous_response is None:
        raise ValueError("a later stage needs the previous stage's response (or `requested`)")
    return working_day(previous_response, spec.after, policy)


def build_case(case: Case, policy: ProcedurePolicy = POLICY) -> Complaint:
    """Run the case's commands on a new aggregate; every rule of the procedure applies."""
    complaint = Complaint.receive(
        ref=case.ref,
        on=case.received,
        actor=ACTOR,
        policy=policy,
        channel=case.channel,
        role=case.role,
        service_area=case.service_area,
        team=case.team,
        reasons=list(case.reasons),
    )
    line = _Timeline()
    if case.procedure is not None:
        triaged = case.triaged or case.received
        line.add(
            triaged,
            lambda c, p: c.triage(on=triaged, actor=ACTOR, policy=p, decision=case.procedure),
        )
    response = None
    if case.stage1 is not None:
        response = _stage(line, 1, case.stage1, case.received, policy)
    for number, spec in ((2, case.stage2), (3, case.stage3)):
        if spec is None:
            continue
        requested = _request_date(spec, response, policy)
        line.add(
            requested,
            lambda c, p, on=requested, why=spec.late_request_reason: c.escalate(
                on=on, actor=ACTOR, policy=p, late_reason=why
            ),
        )
        response = _stage(line, number, spec, requested, policy)
    for enquiry in case.ombudsman:
        line.add(
            enquiry.enquiry,
            lambda c, p, e=enquiry: c.open_ombudsman_enquiry(
                on=e.enquiry, actor=ACTOR, policy=p, ombudsman_ref=None
            ),
        )
        if enquiry.decision is not None:
            decided = enquiry.decided or enquiry.enquiry
            line.add(
                decided,
                lambda c, p, e=enquiry, on=decided: c.record_ombudsman_decision(
                    on=on, actor=ACTOR, policy=p, decision=e.decision
                ),
            )
            _recommendations(line, enquiry.recommendations, "ombudsman", decided, policy)
            _payments(line, enquiry.compensation, "ombudsman", decided)
    for suspended, resumed in case.holds:
        line.add(
            suspended,
            lambda c, p, on=suspended: c.suspend(
                on=on, actor=ACTOR, policy=p, reason="court proceedings"
            ),
        )
        if resumed is not None:
            line.add(resumed, lambda c, p, on=resumed: c.resume(on=on, actor=ACTOR, policy=p))
    for amendment in case.amendments:
        line.add(
            amendment.on,
            lambda c, p, a=amendment: c.amend(
                on=a.on, actor=ACTOR, policy=p, field=a.field, value=a.value, reason=a.reason
            ),
        )
    try:
        line.run(complaint, policy)
    except Exception as error:
        raise AssertionError(f"case {case.ref}: {error}") from error
    return complaint


def compliments(
    dates: Sequence[date],
    teams: Sequence[str | None] | None = None,
    prefix: str = "CMP",
    policy: ProcedurePolicy = POLICY,
) -> list[Compliment]:
    teams = teams if teams is not None else [None] * len(dates)
    if len(teams) != len(dates):
        raise ValueError("one team per compliment")
    return [
        Compliment.receive(
            ref=f"{prefix}-{on.year}-{number:04d}", on=on, actor=ACTOR, policy=policy, team=team
        )
        for number, (on, team) in enumerate(zip(dates, teams, strict=True), start=1)
    ]


def enquiry(
    ref: str,
    on: date,
    source: str,
    team: str | None = None,
    responded_on: date | None = None,
    policy: ProcedurePolicy = POLICY,
) -> Enquiry:
    record = Enquiry.receive(ref=ref, on=on, actor=ACTOR, policy=policy, source=source, team=team)
    if responded_on is not None:
        record.respond(on=responded_on, actor=ACTOR, policy=policy)
    return record


def build_ledger(
    url: str,
    cases: Iterable[Case] = (),
    others: Iterable[Aggregate] = (),
    policy: ProcedurePolicy = POLICY,
) -> Ledger:
    """A ledger at ``url`` holding the cases (and compliments/enquiries), saved in bulk."""
    aggregates: list[Aggregate] = [build_case(case, policy) for case in cases]
    aggregates.extend(others)
    refs = [getattr(a, "ref", None) for a in aggregates]
    duplicates = [ref for ref, n in Counter(refs).items() if n > 1]
    if duplicates:
        raise ValueError(f"duplicate references: {duplicates}")
    ledger = Ledger(url, policy=policy)
    try:
        ledger.record_many(aggregates)
    except BaseException:
        ledger.close()
        raise
    return ledger


@contextmanager
def seeded(
    url: str,
    cases: Iterable[Case] = (),
    others: Iterable[Aggregate] = (),
    policy: ProcedurePolicy = POLICY,
) -> Iterator[Ledger]:
    ledger = build_ledger(url, cases, others, policy)
    try:
        yield ledger
    finally:
        ledger.close()


def annual(ledger: Ledger, year: str, procedure: str = "statutory") -> dict[str, Any]:
    """The annual report document for the financial year ``year`` (e.g. ``"2024/25"``)."""
    return ledger.annual_report(parse_year(year), procedure)
