"""The demo's casework that ties complaints together (ADR 0038), in the proportions of
the published reports: a few per cent of complaints arrive twice and the duplicate is
merged into the original, some statutory complaints have a corporate part split off,
a new issue is raised during a few cases, and 2-5 per cent of answered stages are
re-opened because the response was found incomplete.

Each piece runs inside the simulation of one case (:class:`demo.generator._Case`), on a
date of its queue, so every aggregate's steps stay in date order; a new complaint it
creates (duplicate, split part, new issue) is handed to the world, to be recorded in
the same chunk as the case. Its chances are drawn from a generator of the case's own
(``casework_rng``), so the rest of the case runs as it would without them.
"""

from __future__ import annotations

from collections.abc import Generator
from datetime import date
from typing import TYPE_CHECKING

from domain import errors
from domain.case_links import (
    MERGED_DUPLICATE,
    NEW_ISSUE,
    RAISED_DURING,
    SAME_FAMILY,
    SPLIT_FROM,
    SPLIT_PART,
)
from domain.complaint import Complaint
from domain.procedure import CORPORATE, STATUTORY

if TYPE_CHECKING:
    from demo.generator import _Case

#: Chance, at triage, that a case will have a duplicate merged into it, a part split
#: off (statutory cases), or a new issue raised during it.
DUPLICATED = 0.03
SPLIT = 0.025
NEW_ISSUE_RAISED = 0.015
#: Chance that another member of the family complains too, and the cases are linked.
SAME_FAMILY_TOO = 0.02
#: Chance that an answered Stage 1 or 2 is re-opened (the response found incomplete).
REOPENED = {(STATUTORY, 1): 0.035, (STATUTORY, 2): 0.04, (CORPORATE, 1): 0.03, (CORPORATE, 2): 0.03}

REOPEN_REASONS = (
    "the response did not answer every point raised",
    "the response missed the complainant's second letter",
    "the outcome was not explained",
)
MERGE_REASONS = ("the same complaint sent by email and by letter", "sent again by an advocate")


def plan_casework(case: _Case, procedure: str, day: date) -> None:
    """At triage on ``day``: whether the case will be duplicated, split or grow a new issue."""
    rng, world = case.link_rng, case.world
    if world.issue is None:
        return
    draw = rng.random()
    if draw < DUPLICATED:
        received = world.add(day, rng.randint(0, 3))
        merged = world.add(received, rng.randint(1, 4))
        case.at(merged, lambda on: _merge_duplicate(case, received, on))
    elif draw < DUPLICATED + SPLIT and procedure == STATUTORY:
        case.at(world.add(day, rng.randint(1, 5)), lambda on: _split(case, on))
    elif draw < DUPLICATED + SPLIT + NEW_ISSUE_RAISED:
        case.at(world.add(day, rng.randint(3, 20)), lambda on: _new_issue(case, procedure, on))
    elif draw < DUPLICATED + SPLIT + NEW_ISSUE_RAISED + SAME_FAMILY_TOO:
        case.at(world.add(day, rng.randint(2, 30)), lambda on: _same_family(case, procedure, on))


def reopen(
    case: _Case, procedure: str, number: int, day: date, outcome: str
) -> Generator[date, None, tuple[date, str]]:
    """After the stage's response on ``day``: perhaps re-opened and answered again."""
    rng, world = case.link_rng, case.world
    if rng.random() >= REOPENED.get((procedure, number), 0.0):
        return day, outcome
    day = world.add(day, rng.randint(4, 25))
    yield day
    case.c.reopen_stage(
        on=day, actor=world.who("complaints-team"), policy=case.policy,
        reason=rng.choice(REOPEN_REASONS),
    )  # fmt: skip
    day = world.add(day, rng.randint(3, 9) if rng.random() < 0.8 else rng.randint(10, 16))
    yield day
    outcome = "partly-upheld" if outcome == "not-upheld" and rng.random() < 0.5 else outcome
    case._respond(day, number, outcome, actor="service-manager" if number == 1 else "director")
    return day, outcome


def _new_complaint(case: _Case, received: date, procedure: str, reasons: list[str]) -> Complaint:
    world, policy, c = case.world, case.policy, case.c
    assert world.issue is not None
    new = Complaint.receive(
        ref=world.issue(received),
        on=received,
        actor=world.who("complaints-team"),
        policy=policy,
        channel=c.channel,
        role=c.role,
        service_area=c.service_area,
        team=c.team,
        reasons=reasons,
    )
    new.triage(on=received, actor=world.who("complaints-team"), policy=policy, decision=procedure)
    world.extra.append(new)
    return new


def _answer(case: _Case, new: Complaint, day: date) -> None:
    """The new complaint's Stage 1: acknowledged, answered (if before the demo's today)."""
    rng, world, policy = case.link_rng, case.world, case.policy
    acknowledged = world.add(day, rng.randint(0, 2))
    responded = world.add(day, rng.randint(4, 12) if rng.random() < 0.75 else rng.randint(13, 22))
    if acknowledged <= world.today:
        new.acknowledge(on=acknowledged, actor=world.who("complaints-team"), policy=policy)
    if responded <= world.today:
        outcome = rng.choice(("upheld", "partly-upheld", "not-upheld", "not-upheld"))
        remedies = ["apology"] if outcome != "not-upheld" else []
        new.respond(
            on=responded, actor=world.who("service-manager"), policy=policy,
            outcome=outcome, remedies=remedies,
        )  # fmt: skip


def _merge_duplicate(case: _Case, received: date, on: date) -> None:
    c = case.c
    if c.ended is not None or c.procedure is None:
        return
    duplicate = _new_complaint(case, received, c.procedure, list(c.reasons))
    try:
        duplicate.merge_into(
            on=on, actor=case.world.who("complaints-team"), policy=case.policy,
            original=c, reason=case.link_rng.choice(MERGE_REASONS),
        )  # fmt: skip
    except errors.Refused:
        case.world.extra.remove(duplicate)
        return
    c.link(
        on=on, actor=case.world.who("complaints-team"), policy=case.policy,
        other=duplicate.ref, kind=MERGED_DUPLICATE,
    )  # fmt: skip


def _split(case: _Case, on: date) -> None:
    c = case.c
    try:
        c.check_split(CORPORATE)
    except errors.Refused:
        return
    part = _new_complaint(case, on, CORPORATE, list(c.reasons))
    actor = case.world.who("complaints-team")
    c.link(on=on, actor=actor, policy=case.policy, other=part.ref, kind=SPLIT_PART)
    part.link(on=on, actor=actor, policy=case.policy, other=c.ref, kind=SPLIT_FROM)
    _answer(case, part, on)


def _same_family(case: _Case, procedure: str, on: date) -> None:
    c = case.c
    if c.ended is not None:
        return
    relative = _new_complaint(case, on, procedure, list(c.reasons))
    actor = case.world.who("complaints-team")
    c.link(on=on, actor=actor, policy=case.policy, other=relative.ref, kind=SAME_FAMILY)
    relative.link(on=on, actor=actor, policy=case.policy, other=c.ref, kind=SAME_FAMILY)
    _answer(case, relative, on)


def _new_issue(case: _Case, procedure: str, on: date) -> None:
    c = case.c
    if c.ended is not None:
        return
    from demo.generator import REASONS, _pick

    issue = _new_complaint(case, on, procedure, [_pick(case.link_rng, REASONS)])
    actor = case.world.who("complaints-team")
    c.link(on=on, actor=actor, policy=case.policy, other=issue.ref, kind=NEW_ISSUE)
    issue.link(on=on, actor=actor, policy=case.policy, other=c.ref, kind=RAISED_DURING)
    _answer(case, issue, on)
