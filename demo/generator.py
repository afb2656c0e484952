"""A realistic multi-year demo ledger, generated from a seeded random generator.

:func:`generate` yields chunks of *new* aggregates (complaints, compliments, councillor
and MP enquiries, and at the end the reference sequences) with their pending events.
Every step goes through the domain's command methods, so every rule of the procedure is
checked exactly as it is for a user: nothing here writes an event directly.

The volumes and proportions follow published annual reports (two London boroughs,
2023/24 and 2024/25): most complaints are triaged into the statutory procedure at
receipt, a few into the corporate one and a few out; about one in eight Stage 1
complaints goes to Stage 2 and about a third of those to a Stage 3 review panel; about
two thirds of Stage 1 responses are on time; a few per cent reach the Ombudsman.

The same seed, size and first year give the same ledger, event for event (only the
recording timestamps differ): the only source of chance is ``random.Random(seed)``,
from which every case draws its own generator in a fixed order.

:func:`build_demo_ledger` records the chunks in a ledger, one transaction per chunk.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from eventsourcing.domain import Aggregate

from demo import case_links, casework
from domain import errors
from domain.complaint import Complaint
from domain.procedure import CHILD_ROLES, CORPORATE, STATUTORY, ProcedurePolicy
from domain.references import ReferenceSequence, format_reference
from domain.representations import COMPLIMENT_PREFIX, ENQUIRY_PREFIX, Compliment, Enquiry

if TYPE_CHECKING:
    from ledger.application import Ledger

T = TypeVar("T")
Weighted = Sequence[tuple[T, float]]

#: Aggregates per chunk: each chunk is one transaction when recorded.
CHUNK_SIZE = 250

# ------------------------------------------------------------------- who records what
TEAM = "complaints-team"
MANAGER = "service-manager"
DIRECTOR = "director"
INVESTIGATOR = "investigating-officer"
PANEL = "panel-chair"

# ------------------------------------------------------------ services and their teams
#: (service area, weight of complaints, weight of compliments, teams)
SERVICE_AREAS: tuple[tuple[str, float, float, tuple[str, ...]], ...] = (
    (
        "Children in Need",
        28,
        14,
        ("Assessment and Intervention", "Locality North", "Locality South"),
    ),
    ("Child Protection", 20, 8, ("Family Support and Safeguarding", "Front Door (MASH)")),
    ("Children in Care", 15, 16, ("Children in Care 1", "Children in Care 2", "Placements")),
    ("Disabled Children", 11, 10, ("Disabled Children's Team", "Short Breaks")),
    ("Care Leavers", 9, 12, ("Leaving Care Team", "Personal Advisers")),
    ("Early Help", 7, 20, ("Early Help East", "Early Help West", "Family Hubs")),
    ("Fostering", 6, 12, ("Fostering Recruitment", "Fostering Support")),
    ("Adoption", 4, 8, ("Adoption Team", "Special Guardianship Support")),
)

ROLES: dict[str, Weighted[str]] = {
    "default": (
        ("parent", 66),
        ("person-with-parental-responsibility", 8),
        ("sufficient-interest", 9),
        ("child-or-young-person", 5),
        ("child-in-need", 3),
        ("other", 9),
    ),
    "Children in Care": (
        ("parent", 48),
        ("looked-after-child", 28),
        ("person-with-parental-responsibility", 6),
        ("foster-carer", 8),
        ("sufficient-interest", 10),
    ),
    "Care Leavers": (
        ("care-leaver", 72),
        ("parent", 10),
        ("sufficient-interest", 10),
        ("other", 8),
    ),
    "Fostering": (("foster-carer", 70), ("parent", 15), ("looked-after-child", 8), ("other", 7)),
    "Adoption": (
        ("adopter", 30),
        ("adoptive-family", 20),
        ("prospective-adopter", 15),
        ("special-guardian", 25),
        ("parent", 10),
    ),
    "Disabled Children": (
        ("parent", 78),
        ("person-with-parental-responsibility", 8),
        ("child-in-need", 6),
        ("sufficient-interest", 8),
    ),
}

REASONS: Weighted[str] = (
    ("challenge-to-support-provided", 34),
    ("poor-communication", 20),
    ("challenge-to-assessment-outcome", 12),
    ("inaccurate-recording", 7),
    ("delays-in-service", 6),
    ("staff-behaviour", 5),
    ("service-quality", 4),
    ("policy-or-procedure", 3),
    ("breakdown-in-service", 2),
    ("payments-or-charges", 3),
    ("foster-carer-issues", 1),
    ("other", 3),
)
#: Reasons more common in some service areas.
REASON_BOOSTS: dict[str, dict[str, float]] = {
    "Fostering": {"foster-carer-issues": 30, "payments-or-charges": 12},
    "Adoption": {"payments-or-charges": 15},
    "Care Leavers": {"challenge-to-support-provided": 20, "delays-in-service": 6},
    "Disabled Children": {"challenge-to-assessment-outcome": 8, "delays-in-service": 6},
}

CHANNELS: Weighted[str] = (
    ("email", 40),
    ("online-form", 20),
    ("telephone", 10),
    ("complaint-form", 8),
    ("letter", 6),
    ("via-councillor-mp", 6),
    ("via-advocate", 5),
    ("participation-app", 3),
    ("in-person", 2),
)
CHILD_CHANNELS: Weighted[str] = (
    ("via-advocate", 40),
    ("participation-app", 15),
    ("email", 20),
    ("telephone", 10),
    ("online-form", 10),
    ("in-person", 5),
)

#: How a complaint is triaged at receipt (decided when it arrives).
FATES: Weighted[str] = (
    (STATUTORY, 87.5),
    (CORPORATE, 6.5),
    ("not-a-complaint", 3.0),
    ("excluded", 2.2),
    ("out-of-time", 0.8),
)
TRIAGE_OUT_REASONS = {
    "not-a-complaint": (
        "a request for a service, passed to the team",
        "a general enquiry, answered by the service",
        "feedback only, no response sought",
    ),
    "excluded": (
        "subject to care proceedings in court",
        "a matter for the LADO",
        "an education matter, passed to the school",
        "a police investigation is under way",
    ),
    "out-of-time": ("made more than a year after the matter, no good reason given",),
}
LATE_REASONS = (
    "the young person was in care at the time and could not complain earlier",
    "the complainant only recently received the records",
)
SUSPENSION_REASONS = (
    "care proceedings under way",
    "police investigation under way",
    "waiting for an advocate to be found",
    "complainant asked for time to gather evidence",
)
EXTENSION_REASONS = (
    "complex case",
    "advocate needed to meet the young person",
    "several services involved",
    "key worker on leave",
)
WITHDRAWAL_REASONS = (
    "resolved informally with the social worker",
    "complainant no longer wishes to pursue",
    "matter now before the court",
)
LATE_ESCALATION_REASONS = (
    "complainant was unwell",
    "advocate asked for more time",
    "the response was sent to an old address",
)

STAGE_OUTCOME_WEIGHTS: dict[int, Weighted[str]] = {
    1: (("not-upheld", 55), ("partly-upheld", 32), ("upheld", 13)),
    2: (("not-upheld", 33), ("partly-upheld", 52), ("upheld", 15)),
    3: (("not-upheld", 55), ("partly-upheld", 35), ("upheld", 10)),
}
#: Chance that the complainant asks for the next stage, by the outcome of this one.
ESCALATION: dict[tuple[str, int], dict[str, float]] = {
    (STATUTORY, 1): {"not-upheld": 0.15, "partly-upheld": 0.11, "upheld": 0.03},
    (STATUTORY, 2): {"not-upheld": 0.45, "partly-upheld": 0.30, "upheld": 0.08},
    (CORPORATE, 1): {"not-upheld": 0.13, "partly-upheld": 0.09, "upheld": 0.03},
}
#: Chance that the complainant goes to the Ombudsman after the last response.
TO_OMBUDSMAN: dict[tuple[str, int], float] = {
    (STATUTORY, 1): 0.015,
    (STATUTORY, 2): 0.14,
    (STATUTORY, 3): 0.45,
    (CORPORATE, 1): 0.015,
    (CORPORATE, 2): 0.12,
}
#: Timeliness, extensions, holds and withdrawals by stage.
ON_TIME = {(STATUTORY, 1): 0.66, (STATUTORY, 2): 0.55, (CORPORATE, 1): 0.72, (CORPORATE, 2): 0.7}
EXTENDED = {(STATUTORY, 1): 0.14, (STATUTORY, 2): 0.45, (CORPORATE, 1): 0.08, (CORPORATE, 2): 0.1}
SUSPENDED = {(STATUTORY, 1): 0.03, (STATUTORY, 2): 0.05, (CORPORATE, 1): 0.01, (CORPORATE, 2): 0}
WITHDRAWN = {
    (STATUTORY, 1): 0.045,
    (STATUTORY, 2): 0.05,
    (CORPORATE, 1): 0.04,
    (CORPORATE, 2): 0.04,
}
COMPENSATED = {1: 0.035, 2: 0.35, 3: 0.3}

FINDINGS_FOR: dict[str, Weighted[str]] = {
    "upheld": (("upheld", 75), ("partly-upheld", 25)),
    "partly-upheld": (
        ("upheld", 25),
        ("partly-upheld", 15),
        ("not-upheld", 48),
        ("unable-to-determine", 12),
    ),
    "not-upheld": (("not-upheld", 85), ("unable-to-determine", 15)),
}
REMEDIES_FOR: dict[str, Weighted[str]] = {
    "upheld": (
        ("change-to-practice", 30),
        ("service-improvement", 30),
        ("information-provided", 20),
        ("change-to-assessment", 10),
    ),
    "partly-upheld": (
        ("explanation", 40),
        ("information-provided", 25),
        ("change-to-practice", 20),
        ("service-improvement", 15),
    ),
    "not-upheld": (
        ("explanation", 60),
        ("information-provided", 25),
        ("no-further-action", 15),
    ),
}
THEMES: Weighted[str] = (
    ("communication", 45),
    ("service-failure", 25),
    ("policy-and-procedure", 20),
    ("other", 10),
)
COMPENSATION_REASONS: Weighted[str] = (
    ("time-and-trouble", 40),
    ("distress", 25),
    ("delay-or-service-failure", 25),
    ("loss", 8),
    ("other", 2),
)
#: Pounds: (lowest, highest) by stage; amounts are multiples of £25.
COMPENSATION_RANGE = {"1": (100, 1500), "2": (100, 800), "3": (150, 500), "ombudsman": (150, 1500)}

OMBUDSMAN_AFTER_STAGE1: Weighted[str] = (
    ("premature", 35),
    ("closed-after-initial-enquiries", 30),
    ("referred-back", 20),
    ("invalid", 8),
    ("advice-given", 4),
    ("out-of-jurisdiction", 3),
)
OMBUDSMAN_AFTER_REVIEW: Weighted[str] = (
    ("closed-after-initial-enquiries", 38),
    ("upheld", 27),
    ("upheld-no-injustice", 5),
    ("not-upheld", 15),
    ("out-of-jurisdiction", 5),
    ("invalid", 4),
    ("advice-given", 3),
    ("referred-back", 3),
)

MONTH_WEIGHTS = {
    4: 1.0,
    5: 1.05,
    6: 1.05,
    7: 1.0,
    8: 0.8,
    9: 1.05,
    10: 1.1,
    11: 1.05,
    12: 0.75,
    1: 1.1,
    2: 1.0,
    3: 1.05,
}
#: Compliments and enquiries per complaint received.
COMPLIMENTS_PER_COMPLAINT = 0.55
ENQUIRIES_PER_COMPLAINT = 0.2

INVESTIGATORS = tuple(f"IO-{n:03d}" for n in range(1, 13))
#: Independent people: they serve as Stage 2 independent persons and on Stage 3 panels.
INDEPENDENT = tuple(f"IND-{n:03d}" for n in range(1, 21))


def _pick(rng: random.Random, weighted: Weighted[T]) -> T:
    return rng.choices([item for item, _ in weighted], [w for _, w in weighted])[0]


def _sample(rng: random.Random, weighted: Weighted[T], k: int) -> list[T]:
    """``k`` different items, drawn by weight."""
    pool = list(weighted)
    chosen: list[T] = []
    while pool and len(chosen) < k:
        item = _pick(rng, pool)
        chosen.append(item)
        pool = [(i, w) for i, w in pool if i != item]
    return chosen


def _amount(rng: random.Random, stage: str) -> Decimal:
    low, high = COMPENSATION_RANGE[stage]
    return Decimal(rng.randrange(low, high + 1, 25))


def financial_year_end(first_year: int, years: int) -> date:
    """The last day of the last financial year generated."""
    return date(first_year + years, 3, 31)


def default_first_year(years: int, today: date) -> int:
    """The first of ``years`` full financial years ending with the last complete one."""
    last = today.year - 1 if (today.month, today.day) >= (4, 1) else today.year - 2
    return last - years + 1


# --------------------------------------------------------------------------- the world
@dataclass
class _World:
    """What every case shares: the policy (with the demo's fixed today) and the calendar."""

    policy: ProcedurePolicy
    today: date
    #: Who every event is recorded as acting; ``None``: the role that would act.
    actor: str | None = None
    #: The next complaint reference for a day, and the complaints a case's casework
    #: created (duplicates, split parts, new issues: see :mod:`demo.case_links`).
    issue: Callable[[date], str] | None = None
    extra: list[Aggregate] = field(default_factory=list)

    def who(self, role: str) -> str:
        return self.actor or role

    def add(self, day: date, working_days: int) -> date:
        return self.policy.calendar.add_working_days(day, max(working_days, 0))

    def between(self, day: date, end: date) -> int:
        return self.policy.calendar.working_days_between(day, end)

    def working_day(self, day: date) -> date:
        """``day`` if it is a working day, else the next one."""
        while not self.policy.calendar.is_working_day(day):
            day += timedelta(days=1)
        return day


# ---------------------------------------------------------------------------- one case
Step = tuple[date, int, Callable[[date], None]]
#: How a stage ended: the day and outcome of its response, or ``None`` if withdrawn.
Closed = tuple[date, str] | None


class _Case:
    """One complaint, simulated in date order.

    The case's main line (triage, the stages, the Ombudsman) is a generator that yields
    the date of its next step; side tasks (answers to an advocate offer, recommendation
    decisions and actions, payments) are scheduled for later dates. A queue runs both in
    date order, so every command is dated on or after the case's previous step; the
    simulation stops at the demo's today, leaving later steps undone (the case open).
    """

    def __init__(
        self,
        world: _World,
        rng: random.Random,
        ref: str,
        received: date,
        area: str,
        team: str,
    ) -> None:
        self.world = world
        self.policy = world.policy
        self.rng = rng
        self.ref = ref
        self.received = received
        self.area = area
        self.team = team
        self.queue: list[Step] = []
        self.sequence = 0
        self.now = received
        self.fate = _pick(rng, FATES)
        #: Draws for its links, merges, splits and re-openings (demo.case_links).
        self.link_rng = random.Random(f"casework {ref} {received} {area} {team}")
        role_table = ROLES.get(area, ROLES["default"])
        self.role = _pick(rng, role_table)
        is_child = self.role in CHILD_ROLES
        channel = _pick(rng, CHILD_CHANNELS if is_child else CHANNELS)
        boosts = REASON_BOOSTS.get(area, {})
        reason_weights = [(r, w + boosts.get(r, 0)) for r, w in REASONS]
        reasons = _sample(rng, reason_weights, _pick(rng, ((1, 55), (2, 33), (3, 12))))
        self.late_reason: str | None = None
        matter_on: date | None = None
        if self.fate == "out-of-time":
            matter_on = received - timedelta(days=rng.randint(400, 1500))
        elif self.fate == STATUTORY and rng.random() < 0.02:
            matter_on = received - timedelta(days=rng.randint(380, 900))
            self.late_reason = rng.choice(LATE_REASONS)
        elif rng.random() < 0.7:
            matter_on = received - timedelta(days=rng.randint(2, 200))
        self.c = Complaint.receive(
            ref=ref,
            on=received,
            actor=self.world.who(TEAM),
            policy=self.policy,
            channel=channel,
            role=self.role,
            service_area=area,
            team=team,
            reasons=reasons,
            matter_on=matter_on,
        )
        self.casework_rng = casework.casework_rng(ref)  # ADR 0039: its own generator
        casework.plan_on_receipt(self)

    # -------------------------------------------------------------- running
    def at(self, day: date, action: Callable[[date], None]) -> None:
        if day < self.now:
            raise AssertionError(f"{self.ref}: step on {day} scheduled after {self.now}")
        heapq.heappush(self.queue, (day, self.sequence, action))
        self.sequence += 1

    def _follow(self, line: Iterator[date]) -> None:
        try:
            day = next(line)
        except StopIteration:
            return
        self.at(day, lambda _day: self._follow(line))

    def run(self) -> Complaint:
        self._follow(self._main_line())
        while self.queue:
            day, _, action = heapq.heappop(self.queue)
            if day > self.world.today:
                break
            self.now = day
            action(day)
        return self.c

    # ------------------------------------------------------------ main line
    def _main_line(self) -> Generator[date, None, None]:
        rng, c, policy = self.rng, self.c, self.policy
        day = self.world.add(self.received, _pick(rng, ((0, 70), (1, 22), (2, 8))))
        yield day
        if self.fate not in (STATUTORY, CORPORATE):
            c.triage(
                on=day,
                actor=self.world.who(TEAM),
                policy=policy,
                decision=self.fate,
                reason=rng.choice(TRIAGE_OUT_REASONS[self.fate]),
            )
            return
        procedure = self.fate
        c.triage(
            on=day,
            actor=self.world.who(TEAM),
            policy=policy,
            decision=procedure,
            late_reason=self.late_reason,
        )
        case_links.plan_casework(self, procedure, day)
        if rng.random() < 0.01:
            self.at(self.world.add(day, rng.randint(2, 10)), self._amend)
        day = yield from self._acknowledge(day)
        if self.role in CHILD_ROLES:
            c.offer_advocate(on=day, actor=self.world.who(TEAM), policy=policy)
            self.at(self.world.add(day, rng.randint(1, 4)), self._answer_advocate)
        number = 1
        while True:
            if number == 3:
                closed = yield from self._review_panel(day)
            else:
                closed = yield from self._stage(procedure, number, day)
            if closed is None:
                return
            day, outcome = closed
            day, outcome = yield from case_links.reopen(self, procedure, number, day, outcome)
            chance = ESCALATION.get((procedure, number), {}).get(outcome, 0.0)
            if rng.random() < chance:
                day = yield from self._escalate(day)
                number += 1
                day = yield from self._acknowledge(day)
                continue
            if rng.random() < TO_OMBUDSMAN[(procedure, number)]:
                yield from self._ombudsman(day, number)
            return

    def _acknowledge(self, day: date) -> Generator[date, None, date]:
        day = self.world.add(day, _pick(self.rng, ((0, 30), (1, 35), (2, 24), (3, 8), (5, 3))))
        yield day
        self.c.acknowledge(on=day, actor=self.world.who(TEAM), policy=self.policy)
        return day

    def _escalate(self, day: date) -> Generator[date, None, date]:
        late = self.rng.random() < 0.05
        day = self.world.add(day, self.rng.randint(22, 40) if late else self.rng.randint(2, 19))
        yield day
        self.c.escalate(
            on=day,
            actor=self.world.who(TEAM),
            policy=self.policy,
            late_reason=self.rng.choice(LATE_ESCALATION_REASONS) if late else None,
        )
        return day

    def _stage(self, procedure: str, number: int, day: date) -> Generator[date, None, Closed]:
        """Stage 1 or 2 (either procedure): from acknowledgement to response or withdrawal.

        Returns ``(day, outcome)`` of the response, or ``None`` when withdrawn.
        """
        rng, c, policy, world = self.rng, self.c, self.policy, self.world
        key = (procedure, number)
        points = 0
        if procedure == STATUTORY and number == 2:
            day = world.add(day, rng.randint(2, 8))
            yield day
            c.appoint(
                on=day,
                actor=self.world.who(TEAM),
                policy=policy,
                role="investigating-officer",
                person=rng.choice(INVESTIGATORS),
                internal=rng.random() < 0.4,
            )
            c.appoint(
                on=day,
                actor=self.world.who(TEAM),
                policy=policy,
                role="independent-person",
                person=rng.choice(INDEPENDENT),
            )
            day = world.add(day, rng.randint(3, 10))
            yield day
            points = _pick(rng, ((2, 15), (3, 30), (4, 25), (5, 18), (6, 12)))
            c.agree_statement(on=day, actor=self.world.who(TEAM), policy=policy, points=points)
        if rng.random() < SUSPENDED[key]:
            day = world.add(day, rng.randint(1, 5))
            yield day
            c.suspend(
                on=day,
                actor=self.world.who(TEAM),
                policy=policy,
                reason=rng.choice(SUSPENSION_REASONS),
            )
            day = world.add(day, rng.randint(8, 45))
            yield day
            c.resume(on=day, actor=self.world.who(TEAM), policy=policy)
        deadline = self._deadline()
        if rng.random() < WITHDRAWN[key]:
            span = world.between(day, deadline)
            day = world.add(day, rng.randint(min(1, span), max(span, 1)))
            yield day
            c.withdraw(
                on=day,
                actor=self.world.who(TEAM),
                policy=policy,
                reason=rng.choice(WITHDRAWAL_REASONS),
            )
            return None
        if rng.random() < EXTENDED[key] and day <= deadline:
            span = world.between(day, deadline)
            day = world.add(day, rng.randint(max(0, span - 6), span))
            yield day
            working_days = None
            if procedure == STATUTORY and number == 2:
                working_days = rng.choice((35, 40, 45, 50, 55, 60, 65))
            c.extend(
                on=day,
                actor=self.world.who(TEAM),
                policy=policy,
                reason=rng.choice(EXTENSION_REASONS),
                working_days=working_days,
            )
            deadline = self._deadline()
        extended = c.stage is not None and c.stage.extensions > 0
        day = self._response_day(day, deadline, ON_TIME[key] + (0.15 if extended else 0))
        yield day
        if points:
            outcome = _pick(rng, STAGE_OUTCOME_WEIGHTS[2])
            self._find(day, points, outcome, stage_actor=self.world.who(INVESTIGATOR))
        else:
            outcome = _pick(rng, STAGE_OUTCOME_WEIGHTS[1])
        self._respond(day, number, outcome, actor=MANAGER if number == 1 else DIRECTOR)
        if procedure == STATUTORY and number == 2:
            self._recommendations(day, "2", outcome)
        return day, outcome

    def _review_panel(self, day: date) -> Generator[date, None, Closed]:
        """Stage 3: the panel is appointed, meets, reports; the council responds."""
        rng, c, policy, world = self.rng, self.c, self.policy, self.world
        day = world.add(day, rng.randint(3, 10))
        yield day
        stage2_independent = {
            a.person for a in c.stages[1].appointments if a.role == "independent-person"
        }
        eligible = [p for p in INDEPENDENT if p not in stage2_independent]
        chair, *members = rng.sample(eligible, 3)
        c.appoint(
            on=day, actor=self.world.who(TEAM), policy=policy, role="panel-chair", person=chair
        )
        for member in members:
            c.appoint(
                on=day,
                actor=self.world.who(TEAM),
                policy=policy,
                role="panel-member",
                person=member,
            )
        deadline = self._deadline()
        if rng.random() < 0.04:
            day = world.add(day, rng.randint(1, max(1, world.between(day, deadline))))
            yield day
            c.withdraw(
                on=day,
                actor=self.world.who(TEAM),
                policy=policy,
                reason=rng.choice(WITHDRAWAL_REASONS),
            )
            return None
        day = self._response_day(world.add(day, 1), deadline, 0.8)
        yield day
        c.hold_panel(on=day, actor=self.world.who(TEAM), policy=policy)
        stage2 = c.stages[1]
        panel_findings: list[str] = []
        if rng.random() < 0.7:
            for point in range(1, stage2.points + 1):
                finding = stage2.findings.get(point, "not-upheld")
                if rng.random() < 0.15:
                    finding = _pick(rng, FINDINGS_FOR["partly-upheld"])
                panel_findings.append(finding)
                c.record_finding(
                    on=day, actor=self.world.who(PANEL), policy=policy, point=point, finding=finding
                )
        day = world.add(day, rng.randint(1, 5) if rng.random() < 0.9 else rng.randint(6, 12))
        yield day
        c.report_panel(on=day, actor=self.world.who(PANEL), policy=policy)
        if rng.random() < 0.8:
            self._recommendations(day, "3", "partly-upheld")
        day = world.add(day, rng.randint(3, 15) if rng.random() < 0.75 else rng.randint(16, 30))
        yield day
        if panel_findings:
            outcome = _outcome_of(panel_findings)
        else:
            outcome = _pick(rng, STAGE_OUTCOME_WEIGHTS[3])
        self._respond(day, 3, outcome, actor=self.world.who(DIRECTOR))
        return day, outcome

    def _ombudsman(self, day: date, stage_reached: int) -> Generator[date, None, None]:
        rng, c, policy, world = self.rng, self.c, self.policy, self.world
        day = world.working_day(day + timedelta(days=rng.randint(15, 120)))
        yield day
        ombudsman_ref = f"{day.year % 100:02d} {rng.randint(0, 999):03d} {rng.randint(0, 999):03d}"
        c.open_ombudsman_enquiry(
            on=day, actor=self.world.who(TEAM), policy=policy, ombudsman_ref=ombudsman_ref
        )
        table = OMBUDSMAN_AFTER_STAGE1 if stage_reached == 1 else OMBUDSMAN_AFTER_REVIEW
        decision = _pick(rng, table)
        investigated = decision in ("upheld", "upheld-no-injustice", "not-upheld")
        wait = rng.randint(60, 240) if investigated else rng.randint(15, 70)
        day = world.working_day(day + timedelta(days=wait))
        yield day
        if decision not in ("upheld", "upheld-no-injustice"):
            c.record_ombudsman_decision(
                on=day, actor=self.world.who(TEAM), policy=policy, decision=decision
            )
            return
        remedies = ["apology"] if rng.random() < 0.9 else []
        pays = decision == "upheld" and rng.random() < 0.55
        if pays:
            remedies.append("financial-remedy")
        improves = rng.random() < 0.5
        if improves:
            remedies.append("service-improvement")
        due = day + timedelta(days=rng.randint(20, 90))
        c.record_ombudsman_decision(
            on=day,
            actor=self.world.who(TEAM),
            policy=policy,
            decision=decision,
            remedies=remedies,
            due=due,
        )
        if improves:
            self._recommend(day, "ombudsman", always_accept=True)
        if pays:
            paid = day + timedelta(days=rng.randint(5, max(6, (due - day).days)))
            self.at(paid, lambda on: self._compensate(on, "ombudsman"))
        if rng.random() < 0.85:
            complied = day + timedelta(days=rng.randint(5, max(6, (due - day).days)))
        else:
            complied = due + timedelta(days=rng.randint(1, 40))
        self.at(
            complied,
            lambda on: c.comply_with_ombudsman(on=on, actor=self.world.who(TEAM), policy=policy),
        )

    # ------------------------------------------------------------- pieces
    def _deadline(self) -> date:
        stage = self.c.stage
        assert stage is not None
        deadline = self.c.stage_deadline(stage, self.policy)
        assert deadline is not None, "no deadline while on hold"
        return deadline

    def _response_day(self, day: date, deadline: date, on_time: float) -> date:
        """A day on or before ``deadline`` with chance ``on_time``, else after it."""
        rng, world = self.rng, self.world
        if rng.random() < on_time and day <= deadline:
            span = world.between(day, deadline)
            return world.add(day, rng.randint(max(0, span - max(2, span // 2)), span))
        late = _pick(rng, (((1, 5), 60), ((6, 15), 30), ((16, 40), 10)))
        return world.add(max(day, deadline), rng.randint(*late))

    def _find(self, day: date, points: int, outcome: str, stage_actor: str) -> None:
        findings = [_pick(self.rng, FINDINGS_FOR[outcome]) for _ in range(points)]
        if outcome == "upheld" and "upheld" not in findings:
            findings[0] = "upheld"
        if outcome == "partly-upheld":
            if not set(findings) & {"upheld", "partly-upheld"}:
                findings[0] = "partly-upheld"
            if points > 1 and not set(findings) & {"not-upheld", "unable-to-determine"}:
                findings[-1] = "not-upheld"
        for point, finding in enumerate(findings, start=1):
            self.c.record_finding(
                on=day,
                actor=self.world.who(stage_actor),
                policy=self.policy,
                point=point,
                finding=finding,
            )

    def _respond(self, day: date, number: int, outcome: str, actor: str) -> None:
        rng = self.rng
        remedies: list[str] = []
        if outcome != "not-upheld":
            remedies.append("apology")
        remedies += _sample(rng, REMEDIES_FOR[outcome], _pick(rng, ((1, 60), (2, 40))))
        pays = outcome != "not-upheld" and rng.random() < COMPENSATED[number]
        if pays:
            remedies.append("financial-remedy")
        self.c.respond(
            on=day,
            actor=self.world.who(actor),
            policy=self.policy,
            outcome=outcome,
            remedies=remedies,
        )
        if pays:
            paid = self.world.add(day, rng.randint(0, 15))
            self.at(paid, lambda on: self._compensate(on, str(number)))
        casework.after_response(self, day, number)

    def _recommendations(self, day: date, stage: str, outcome: str) -> None:
        if outcome == "not-upheld":
            count = 1 if self.rng.random() < 0.15 else 0
        else:
            count = _pick(self.rng, ((1, 20), (2, 30), (3, 25), (4, 15), (5, 10)))
        for _ in range(count):
            self._recommend(day, stage)

    def _recommend(self, day: date, stage: str, always_accept: bool = False) -> None:
        rng, c, policy = self.rng, self.c, self.policy
        rec = c.recommend(
            on=day,
            actor=self.world.who(DIRECTOR),
            policy=policy,
            stage=stage,
            theme=_pick(rng, THEMES),
        )
        decided = self.world.add(day, rng.randint(2, 15))
        if not always_accept and rng.random() < 0.1:
            self.at(
                decided,
                lambda on: c.decide_recommendation(
                    on=on,
                    actor=self.world.who(DIRECTOR),
                    policy=policy,
                    recommendation_id=rec,
                    accepted=False,
                    reason="already in place",
                ),
            )
            return
        due = decided + timedelta(days=rng.randint(20, 120))
        owner = self.team
        self.at(
            decided,
            lambda on: c.decide_recommendation(
                on=on,
                actor=self.world.who(DIRECTOR),
                policy=policy,
                recommendation_id=rec,
                accepted=True,
                owner=owner,
                due=due,
            ),
        )
        chance = rng.random()
        if chance < 0.72:
            done: date | None = decided + timedelta(days=rng.randint(5, (due - decided).days))
        elif chance < 0.88:
            done = due + timedelta(days=rng.randint(1, 120))
        else:
            done = None
        if done is not None:
            self.at(
                done,
                lambda on: c.complete_recommendation(
                    on=on,
                    actor=self.world.who(MANAGER),
                    policy=policy,
                    recommendation_id=rec,
                    evidence="action plan signed off",
                ),
            )

    def _compensate(self, day: date, stage: str) -> None:
        if self.c.ended in ("withdrawn", "redirected"):
            return  # withdrawn in the meantime: the offer lapsed
        self.c.compensate(
            on=day,
            actor=self.world.who(TEAM),
            policy=self.policy,
            amount=_amount(self.rng, stage),
            reason=_pick(self.rng, COMPENSATION_REASONS),
            stage=stage,
        )

    def _answer_advocate(self, day: date) -> None:
        if self.c.ended is None:
            self.c.answer_advocate_offer(
                on=day,
                actor=self.world.who(TEAM),
                policy=self.policy,
                accepted=self.rng.random() < 0.55,
            )

    def _amend(self, day: date) -> None:
        teams = next(t for a, _, _, t in SERVICE_AREAS if a == self.area)
        others = [t for t in teams if t != self.c.team]
        self.c.amend(
            on=day,
            actor=self.world.who(TEAM),
            policy=self.policy,
            field="team",
            value=self.rng.choice(others),
            reason="recorded against the wrong team",
        )


def _outcome_of(findings: Sequence[str]) -> str:
    merit = [f for f in findings if f in ("upheld", "partly-upheld")]
    if not merit:
        return "not-upheld"
    if len(merit) == len(findings) and "upheld" in merit:
        return "upheld"
    return "partly-upheld"


# ------------------------------------------------------------------------ the ledger
@dataclass(frozen=True)
class _Arrival:
    day: date
    kind: str  # "complaint", "compliment" or "enquiry"
    order: int


def _year_sizes(rng: random.Random, years: int, cases_per_year: int) -> list[int]:
    """Complaints per year: a gentle upward trend with noise, ``years * cases_per_year``
    in all."""
    weights = [1 + 0.06 * (i - (years - 1) / 2) + rng.uniform(-0.05, 0.05) for i in range(years)]
    total = years * cases_per_year
    sizes = [round(total * w / sum(weights)) for w in weights]
    sizes[-1] += total - sum(sizes)
    return sizes


def _arrivals(
    rng: random.Random, world: _World, first_year: int, years: int, cases_per_year: int
) -> list[_Arrival]:
    arrivals: list[_Arrival] = []
    for index, size in enumerate(_year_sizes(rng, years, cases_per_year)):
        start = date(first_year + index, 4, 1)
        end = min(date(first_year + index + 1, 3, 31), world.today)
        days = []
        day = start
        while day <= end:
            if world.policy.calendar.is_working_day(day):
                days.append(day)
            day += timedelta(days=1)
        weights = [MONTH_WEIGHTS[d.month] for d in days]
        for kind, count in (
            ("complaint", size),
            ("compliment", round(size * COMPLIMENTS_PER_COMPLAINT * rng.uniform(0.8, 1.2))),
            ("enquiry", round(size * ENQUIRIES_PER_COMPLAINT * rng.uniform(0.8, 1.2))),
        ):
            for picked in rng.choices(days, weights, k=count):
                arrivals.append(_Arrival(picked, kind, len(arrivals)))
    arrivals.sort(key=lambda a: (a.day, a.order))
    return arrivals


def _team(rng: random.Random, for_compliment: bool = False) -> tuple[str, str]:
    weights = [row[2] if for_compliment else row[1] for row in SERVICE_AREAS]
    name, _, _, teams = rng.choices(SERVICE_AREAS, weights)[0]
    return name, rng.choice(teams)


def generate(
    seed: int,
    years: int,
    cases_per_year: int,
    first_year: int,
    policy: ProcedurePolicy,
    chunk_size: int = CHUNK_SIZE,
    actor: str | None = None,
) -> Iterator[list[Aggregate]]:
    """New aggregates with their pending events, in chunks, in order of receipt.

    ``years`` financial years from 1 April ``first_year``, about ``cases_per_year``
    complaints a year (exactly ``years * cases_per_year`` arrivals, and the duplicates,
    split parts, new issues and relatives' complaints their casework adds, a few per
    cent: :mod:`demo.case_links`), with compliments and councillor and MP enquiries beside
    them. Nothing is dated after 31 March of the last
    year (the demo's today), so cases received near the end are still open. The last
    chunk ends with the reference sequences, so that references issued later by the
    ledger carry on from the demo's. Events are recorded as done by ``actor``, or by
    default by the role that acts (complaints-team, service-manager, director, ...).
    """
    if years < 1 or cases_per_year < 1 or chunk_size < 1:
        raise errors.BadData("years, cases per year and chunk size must be at least 1")
    today = financial_year_end(first_year, years)
    world = _World(replace(policy, today=today), today, actor)
    rng = random.Random(seed)
    prefixes = {
        "complaint": policy.reference_prefix,
        "compliment": COMPLIMENT_PREFIX,
        "enquiry": ENQUIRY_PREFIX,
    }
    issued: dict[tuple[str, int], int] = {}
    chunk: list[Aggregate] = []

    def issue(day: date) -> str:
        prefix = policy.reference_prefix
        number = issued.get((prefix, day.year), 0) + 1
        issued[(prefix, day.year)] = number
        return format_reference(prefix, day.year, number)

    world.issue = issue
    for arrival in _arrivals(rng, world, first_year, years, cases_per_year):
        prefix = prefixes[arrival.kind]
        number = issued.get((prefix, arrival.day.year), 0) + 1
        issued[(prefix, arrival.day.year)] = number
        ref = format_reference(prefix, arrival.day.year, number)
        # Each record draws its own generator, so one case's steps never shift another's.
        local = random.Random(rng.getrandbits(64))
        chunk.append(_record(world, local, arrival, ref))
        chunk.extend(world.extra)
        world.extra.clear()
        if len(chunk) >= chunk_size:
            yield chunk
            chunk = []
    for (prefix, year), number in issued.items():
        sequence = ReferenceSequence.start(prefix, year)
        sequence.issue(number)
        chunk.append(sequence)
    yield chunk


def _record(world: _World, rng: random.Random, arrival: _Arrival, ref: str) -> Aggregate:
    policy = world.policy
    if arrival.kind == "complaint":
        area, team = _team(rng)
        return _Case(world, rng, ref, arrival.day, area, team).run()
    area, team = _team(rng, for_compliment=arrival.kind == "compliment")
    if arrival.kind == "compliment":
        return Compliment.receive(
            ref=ref,
            on=arrival.day,
            actor=world.who(TEAM),
            policy=policy,
            service_area=area,
            team=team,
        )
    enquiry = Enquiry.receive(
        ref=ref,
        on=arrival.day,
        actor=world.who(TEAM),
        policy=policy,
        source="councillor" if rng.random() < 0.72 else "mp",
        service_area=area,
        team=team,
    )
    answered = world.add(
        arrival.day, rng.randint(2, 10) if rng.random() < 0.8 else rng.randint(11, 25)
    )
    if answered <= world.today:
        enquiry.respond(on=answered, actor=world.who(MANAGER), policy=policy)
    return enquiry


def build_demo_ledger(
    ledger: Ledger,
    seed: int,
    years: int,
    cases_per_year: int,
    first_year: int | None = None,
    progress: Callable[[int], None] | None = None,
    actor: str | None = None,
    code: bool = False,
) -> int:
    """Fill an empty ledger with the demo; returns how many events were written.

    Each chunk is one transaction (with the read models caught up). ``progress`` is
    told how many complaints each chunk recorded. ``first_year`` defaults to the
    ``years`` full financial years ending with the last complete one before today.
    With ``code``, cases received in the last year follow the Complaint Handling Code
    (:func:`code_policy`), and learning statements and the self-assessment are recorded
    after them (:func:`record_code_demo`).
    """
    if first_year is None:
        first_year = default_first_year(years, date.today())
    existing = ledger.read(ledger.last_position)
    if existing:
        raise errors.BadData(
            f"the ledger already holds {existing} events; the demo needs an empty ledger"
        )
    policy = ledger.policy
    if code:
        policy = code_policy(policy, first_year + years - 1)
    for chunk in generate(seed, years, cases_per_year, first_year, policy, actor=actor):
        ledger.record_many(chunk)
        if progress is not None:
            progress(sum(1 for aggregate in chunk if isinstance(aggregate, Complaint)))
    if code:
        record_code_demo(ledger, seed, first_year, years, actor)
    from demo.contact_registers import (
        record_contact_register_demo,  # registers, subject access (ADR 0040)
    )

    record_contact_register_demo(ledger, seed, first_year, years, actor or TEAM)
    # Every event stored (typed reasons are sealed inside their steps, ADR 0028).
    return ledger.read(ledger.last_position)


# ------------------------------------------------ the Complaint Handling Code's demo
#: What a learning statement says, by theme: what went wrong, what was learnt, the
#: action, the evidence it was done and the wording approved for publication. None of
#: them names anybody.
LEARNING_TEXTS: dict[str, tuple[str, str, str, str, str]] = {
    "communication": (
        "the family were not told when the plan changed",
        "updates were left until the end of the assessment",
        "social workers send a written update after every visit",
        "audit of 20 case files: updates sent in 18",
        "You told us you were not kept informed; social workers now send a written "
        "update after every visit",
    ),
    "service-failure": (
        "agreed support did not start on time",
        "referrals waited for a panel that met once a month",
        "the panel meets every two weeks; urgent cases are agreed by a manager",
        "panel minutes and the waiting-time report for the quarter",
        "You told us support took too long to start; the panel now meets every two weeks",
    ),
    "policy-and-procedure": (
        "the charging policy was applied differently by different teams",
        "staff were using an old version of the policy",
        "the policy was reissued and every team trained",
        "training record: 96% of staff completed the session",
        "You told us charges were applied unfairly; we reissued the policy and trained "
        "every team",
    ),
    "other": (
        "our letters used words the family did not understand",
        "letter templates had never been reviewed with families",
        "letters rewritten with the parents' forum",
        "new templates in use in every team",
        "You told us our letters were hard to understand; parents helped us rewrite them",
    ),
}
#: The self-assessment's evidence and explanation for each section of the Code.
ASSESSMENT_TEXTS: dict[int, tuple[str, str]] = {
    1: ("complaints policy, section 2", "the Code's definition of a complaint is used"),
    2: ("exclusions listed in the policy", "each exclusion is explained to the complainant"),
    3: ("website, leaflets, easy-read and online form", "reasonable adjustments are recorded"),
    4: ("complaints team of four; training records", "a named lead reports to the director"),
    5: ("acknowledged within 5 working days", "triage is done on the day received"),
    6: ("Stage 1 and 2 response times in this report", "extensions are agreed in writing"),
    7: ("remedies and payments in this report", "remedies follow the Ombudsman's guidance"),
    8: ("this report and the self-assessment", "published on the council's website"),
    9: ("learning statements and the governing body's response", "reviewed each quarter"),
}
#: How a council judges itself (weights), before and after working on it.
COMPLIANCE_WEIGHTS: Weighted[str] = (("yes", 60), ("partly", 30), ("no", 10))


def code_policy(policy: ProcedurePolicy, start_year: int) -> ProcedurePolicy:
    """``policy`` with cases received from 1 April ``start_year`` on following the
    Complaint Handling Code (the ``code-2026`` preset), unless its settings already
    change the timescales on a date."""
    from domain.procedure import TIMESCALE_PRESETS, TimescaleChange

    if policy.timescale_changes:
        return policy
    effective = date(start_year, 4, 1)
    code = TIMESCALE_PRESETS["code-2026"](policy.timescales_on(effective))
    return replace(policy, timescale_changes=(TimescaleChange(effective, code),))


def record_code_demo(
    ledger: Ledger, seed: int, first_year: int, years: int, actor: str | None = None
) -> None:
    """Learning statements from upheld and partly upheld complaints of the last two
    years (recorded, done, their wording approved), and the self-assessment of both
    years with the governing body's response to the last: through the ledger's own use
    cases, so their words are sealed like any user's. Deterministic by ``seed``."""
    rng = random.Random(seed * 7919 + 1)
    today = financial_year_end(first_year, years)
    who = actor or TEAM
    last = first_year + years - 1
    for start in range(max(first_year, last - 1), last + 1):
        rows = ledger.query(partial(_answered_with_merit, start=start))
        chosen = rng.sample(rows, min(len(rows), 10))
        chosen.sort(key=lambda r: (r.responded_on, r.ref))
        for row in chosen:
            _learning_statement(ledger, rng, today, who, row.ref, row.team, row.responded_on)
        _self_assessment(ledger, rng, start, who, revised=start == last)


def _answered_with_merit(session: Any, start: int) -> list[Any]:
    """Stages answered upheld or partly upheld from 1 April ``start`` to February's end,
    with their case's reference and team, in the order answered."""
    from sqlalchemy import select

    from projections import tables

    stages, cases = tables.stages, tables.cases
    return list(
        session.execute(
            select(cases.c.ref, cases.c.team, stages.c.responded_on)
            .join(stages, stages.c.case_id == cases.c.case_id)
            .where(
                stages.c.outcome.in_(("upheld", "partly-upheld")),
                stages.c.responded_on >= date(start, 4, 1),
                stages.c.responded_on <= date(start + 1, 2, 28),
            )
            .order_by(stages.c.responded_on, cases.c.ref, stages.c.stage)
        )
    )


def _learning_statement(
    ledger: Ledger,
    rng: random.Random,
    today: date,
    who: str,
    case_ref: str,
    team: str | None,
    responded_on: date,
) -> None:
    theme = _pick(rng, THEMES)
    went_wrong, learnt, action, evidence, wording = LEARNING_TEXTS[theme]
    on = min(responded_on + timedelta(days=rng.randint(3, 20)), today)
    due = on + timedelta(days=rng.randint(30, 120))
    ref = ledger.code.record_learning(
        on=on,
        actor=who,
        team=team or "Complaints and Customer Care",
        due=due,
        went_wrong=went_wrong,
        learnt=learnt,
        action=action,
        case_ref=case_ref,
        theme=theme,
    )
    if rng.random() < 0.25:
        return  # still open, or overdue
    done = on + timedelta(days=rng.randint(10, (due - on).days + 30))
    if done > today:
        return
    ledger.code.learning_done(ref, on=done, actor=who, evidence=evidence)
    approved = done + timedelta(days=rng.randint(1, 14))
    if rng.random() < 0.8 and approved <= today:
        ledger.code.approve_wording(ref, on=approved, actor=who, wording=wording)


def _self_assessment(
    ledger: Ledger, rng: random.Random, start: int, who: str, revised: bool
) -> None:
    from domain.learning import CODE_SECTIONS

    answered_on = date(start + 1, 3, 2)
    for section in CODE_SECTIONS:
        evidence, explanation = ASSESSMENT_TEXTS[section]
        ledger.code.answer_section(
            start,
            on=answered_on,
            actor=who,
            section=section,
            compliance=_pick(rng, COMPLIANCE_WEIGHTS),
            evidence=evidence,
            explanation=explanation,
        )
    if revised:  # a section answered again after the committee asked: the later stands
        ledger.code.answer_section(
            start,
            on=date(start + 1, 3, 20),
            actor=who,
            section=6,
            compliance="partly",
            evidence="Stage 1 and 2 response times in this report, checked by audit",
            explanation="extensions were agreed late; a tracker is in use from April",
        )
        ledger.code.governing_response(
            start,
            on=date(start + 1, 3, 31),
            actor=who,
            text="The committee accepts the report and the self-assessment, asks for the "
            "Stage 1 response times to be reported each quarter, and will review the "
            "learning actions that are overdue at its next meeting.",
        )
