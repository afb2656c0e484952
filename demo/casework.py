"""The demo's providers, joint complaints, costs of the procedure and satisfaction
surveys (ADR 0039), in proportions like the published reports': about one complaint in
twelve is about a commissioned provider, one in thirty is joint with another body, every
independent investigation and review panel costs money, and a quarter of complainants
are sent a survey, of whom about a third answer.

Each case draws these from a generator of its own (seeded by its reference), so the
rest of the demo's cases are exactly as they were without them.
"""

from __future__ import annotations

import random
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import date

    from demo.generator import _Case

PROVIDERS = (
    ("Brightpath Fostering", 30),
    ("Oakwood Residential Care", 25),
    ("Harbour Supported Living", 20),
    ("Kestrel Family Contact Service", 15),
    ("Northgate Home Care", 10),
)
ABOUT_A_PROVIDER = 0.08
JOINT = 0.05
JOINT_BODIES = (("nhs", 45), ("school", 25), ("police", 15), ("housing", 10), ("other", 5))
SURVEYED = 0.25
ANSWERED = 0.35
#: Pence ranges of each cost, by kind.
INVESTIGATOR = (120_000, 380_000)
INDEPENDENT_PERSON = (30_000, 95_000)
PANEL_MEMBER = (15_000, 40_000)
ADVOCACY = (12_000, 48_000)


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([n for n, _ in weighted], [w for _, w in weighted])[0]


def _pounds(rng: random.Random, pence: tuple[int, int]) -> Decimal:
    return Decimal(rng.randint(*pence)) / 100


def casework_rng(ref: str) -> random.Random:
    return random.Random(f"casework:{ref}")


def plan_on_receipt(case: _Case) -> None:
    """Schedule the provider and a joint complaint, if the case has them."""
    rng, world = case.casework_rng, case.world
    if rng.random() < ABOUT_A_PROVIDER:
        provider = _pick(rng, PROVIDERS)
        case.at(
            world.add(case.received, rng.randint(1, 3)),
            lambda on: case.c.name_provider(
                on=on, actor=world.who("complaints-team"), policy=case.policy, provider=provider
            ),
        )
    if rng.random() < JOINT:
        body = _pick(rng, JOINT_BODIES)
        lead = "council" if rng.random() < 0.6 else "other-body"
        joined = world.add(case.received, rng.randint(1, 5))
        case.at(
            joined,
            lambda on: case.c.record_joint_complaint(
                on=on, actor=world.who("complaints-team"), policy=case.policy, body=body, lead=lead
            ),
        )
        if rng.random() < 0.8:
            case.at(
                world.add(joined, rng.randint(8, 30)),
                lambda on: case.c.agree_joint_response(
                    on=on, actor=world.who("complaints-team"), policy=case.policy
                ),
            )


def _pay(case: _Case, kind: str, amount: Decimal, stage: str, on: date) -> None:
    case.c.record_cost(
        on=on,
        actor=case.world.who("complaints-team"),
        policy=case.policy,
        kind=kind,
        amount=amount,
        stage=stage,
    )


def after_response(case: _Case, day: date, stage: int) -> None:
    """The costs of Stages 2 and 3, and perhaps a survey, after a stage's response."""
    rng, world = case.casework_rng, case.world
    paid = world.add(day, rng.randint(5, 20))
    costs: list[tuple[str, Decimal]] = []
    if stage == 2:
        if rng.random() < 0.7:
            costs.append(("independent-investigator", _pounds(rng, INVESTIGATOR)))
        costs.append(("independent-person", _pounds(rng, INDEPENDENT_PERSON)))
    if stage == 3:
        costs += [("panel-member", _pounds(rng, PANEL_MEMBER)) for _ in range(3)]
    if stage >= 2 and rng.random() < 0.2:
        costs.append(("advocacy", _pounds(rng, ADVOCACY)))
    for kind, amount in costs:
        case.at(paid, partial(_pay, case, kind, amount, str(stage)))
    if case.c.casework.survey is not None or rng.random() >= SURVEYED:
        return
    sent = world.add(day, rng.randint(1, 10))
    answered = rng.random() < ANSWERED
    scores = {
        "overall": rng.choices(range(1, 6), (20, 15, 20, 25, 20))[0],
        "kept-informed": rng.choices(range(1, 6), (15, 15, 20, 30, 20))[0],
        "timeliness": rng.choices(range(1, 6), (20, 20, 20, 25, 15))[0],
    }
    back = world.add(sent, rng.randint(3, 25))

    def send(on: date) -> None:
        # Not when the response was set aside since (a stage re-opened, ADR 0038).
        answered_stage = any(
            s.responded_on is not None and s.responded_on <= on for s in case.c.stages
        )
        if case.c.casework.survey is not None or not answered_stage:
            return
        case.c.send_survey(on=on, actor=world.who("complaints-team"), policy=case.policy)
        if answered:
            case.at(
                back,
                lambda when: case.c.answer_survey(
                    on=when, actor=world.who("complaints-team"), policy=case.policy, scores=scores
                ),
            )

    case.at(sent, send)
