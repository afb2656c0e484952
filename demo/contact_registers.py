"""The demo's contact registers and subject access requests (ADR 0040), in the
proportions a children's services complaints team sees: about one complainant in sixty
under a restriction on contact, reviewed every six months; reasonable adjustments agreed
for about one in twenty-five; subject access requests about a third as many as
complaints, most from care leavers and people who were in care, one in seven extended
as complex, about four in five answered in time, one in twelve reviewed. Recorded after
the complaints, deterministic by the seed; built on the aggregates (so every rule is
checked) and recorded in one transaction each, their words sealed by the ledger as any
user's are."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from domain.contact_registers import (
    ACCESS_REQUEST_PREFIX,
    AccessRequest,
    ContactRegister,
    add_months,
)
from domain.references import ReferenceSequence

if TYPE_CHECKING:
    from domain.procedure import ProcedurePolicy
    from ledger.application import Ledger

Weighted = tuple[tuple[Any, float], ...]

RESTRICTIONS: Weighted = (
    (("single-point-of-contact", "all contact about the complaint and the child's plan",
      "calls to several teams each day"), 40),
    (("written-contact-only", "contact about the complaint", "abusive calls to staff"), 25),
    (("limited-telephone-contact", "one call a week to the named officer",
      "repeated calls raising the same points"), 15),
    (("meetings-with-a-witness", "all meetings", "threats made at a meeting"), 10),
    (("no-response-to-repeated-points", "points answered at Stage 2",
      "the same points raised again after the final response"), 10),
)  # fmt: skip
ADJUSTMENTS: Weighted = (
    (("large-print", "letters in 16pt"), 20),
    (("easy-read", "easy-read summary of each response"), 15),
    (("interpreter", "interpreter at every meeting"), 20),
    (("british-sign-language", "BSL interpreter for calls and meetings"), 8),
    (("advocate-present", "advocate at every meeting"), 15),
    (("telephone-instead-of-writing", "responses explained by telephone"), 10),
    (("extra-time", "extra time to reply to letters"), 12),
)
SAR_AREAS: Weighted = (
    ("Children in Care", 30),
    ("Care Leavers", 25),
    ("Child Protection", 15),
    ("Children in Need", 12),
    ("Adoption", 8),
    ("Fostering", 4),
    ("Disabled Children", 4),
    ("Early Help", 2),
)
REQUESTERS: Weighted = (("data-subject", 55), ("parent", 25), ("representative", 20))
OUTCOMES: Weighted = (
    ("disclosed-in-part", 50),
    ("disclosed-in-full", 25),
    ("withdrawn", 12),
    ("no-data-held", 8),
    ("withheld", 5),
)
REVIEW_OUTCOMES: Weighted = (
    ("response-upheld", 60),
    ("further-disclosure", 35),
    ("withdrawn", 5),
)


def _pick(rng: random.Random, weighted: Weighted) -> Any:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def record_contact_register_demo(
    ledger: Ledger, seed: int, first_year: int, years: int, who: str
) -> None:
    rng = random.Random(seed * 104729 + 3)
    today = date(first_year + years, 3, 31)
    _registers(ledger, rng, today, who)
    _access_requests(ledger, rng, first_year, years, today, who)


def _received_cases(session: Any) -> list[Any]:
    from sqlalchemy import select

    from projections import tables

    cases = tables.cases
    return list(session.execute(select(cases.c.ref, cases.c.received_on).order_by(cases.c.ref)))


def _registers(ledger: Ledger, rng: random.Random, today: date, who: str) -> None:
    policy = ledger.policy_for_today()
    registers = []
    for case in ledger.query(_received_cases):
        draw = rng.random()
        register = ContactRegister.open(case.ref)
        if draw < 1 / 25:
            kind, detail = _pick(rng, ADJUSTMENTS)
            on = min(case.received_on + timedelta(days=rng.randint(0, 10)), today)
            register.agree_adjustment(on=on, actor=who, policy=policy, kind=kind, detail=detail)
        elif draw < 1 / 25 + 1 / 60:
            _restriction(register, rng, today, who, policy, case.received_on)
        if len(register.pending_events) > 1:
            registers.append(register)
    ledger.contact_registers.record_registers(registers)


def _restriction(
    register: ContactRegister,
    rng: random.Random,
    today: date,
    who: str,
    policy: ProcedurePolicy,
    received: date,
) -> None:
    kind, scope, reason = _pick(rng, RESTRICTIONS)
    on = received + timedelta(days=rng.randint(20, 90))
    if on > today:
        return
    review_on = add_months(on, 6)
    register.decide_restriction(
        on=on,
        actor=who,
        policy=policy,
        kind=kind,
        scope=scope,
        reason=reason,
        review_on=review_on,
    )
    last = on
    while True:
        held = review_on + timedelta(days=rng.choice((0, 0, 0, 7, 21, 45)))
        if held > today:
            return  # due for review after the demo's last day, or overdue by then
        held = max(held, last)
        outcome = _pick(rng, (("continued", 65), ("varied", 10), ("lifted", 25)))
        next_review = None if outcome == "lifted" else add_months(held, 6)
        notes = {
            "continued": "contact still as before; restriction kept",
            "varied": "calls allowed again once a week",
            "lifted": "contact has been reasonable for six months",
        }[outcome]
        register.review_restriction(
            on=held,
            actor=who,
            policy=policy,
            number=1,
            outcome=outcome,
            next_review_on=next_review,
            notes=notes,
        )
        if next_review is None:
            return
        last, review_on = held, next_review


def _access_requests(
    ledger: Ledger, rng: random.Random, first_year: int, years: int, today: date, who: str
) -> None:
    cases_by_year: dict[int, int] = {}
    for case in ledger.query(_received_cases):
        cases_by_year[case.received_on.year] = cases_by_year.get(case.received_on.year, 0) + 1
    policy = ledger.policy_for_today()
    start, end = date(first_year, 4, 1), today
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    wanted = round(sum(cases_by_year.values()) / 3)
    received = sorted(rng.choice(days) for _ in range(wanted))
    sequences: dict[int, ReferenceSequence] = {}
    requests = []
    for on in received:
        sequence = sequences.get(on.year) or ReferenceSequence.start(ACCESS_REQUEST_PREFIX, on.year)
        sequences[on.year] = sequence
        ref = sequence.issue(sequence.next_candidate())
        request = AccessRequest.receive(
            ref=ref,
            on=on,
            actor=who,
            policy=policy,
            service_area=_pick(rng, SAR_AREAS),
            requester=_pick(rng, REQUESTERS),
        )
        if rng.random() < 1 / 7:
            extended = on + timedelta(days=rng.randint(7, 25))
            if extended <= today:
                request.extend(
                    on=extended,
                    actor=who,
                    policy=policy,
                    reason="records held by several teams over many years",
                )
        due = request.due
        late = rng.random() < 0.2
        answered = (
            due + timedelta(days=rng.randint(1, 45))
            if late
            else due - timedelta(days=rng.randint(0, max(0, (due - on).days - 10)))
        )
        answered = max(answered, request.extended_on or on)
        if answered <= today:
            request.respond(on=answered, actor=who, policy=policy, outcome=_pick(rng, OUTCOMES))
            asked = answered + timedelta(days=rng.randint(5, 40))
            if rng.random() < 1 / 12 and asked <= today:
                request.request_review(on=asked, actor=who, policy=policy)
                decided = asked + timedelta(days=rng.randint(10, 30))
                if decided <= today:
                    request.decide_review(
                        on=decided, actor=who, policy=policy, outcome=_pick(rng, REVIEW_OUTCOMES)
                    )
        requests.append(request)
    ledger.contact_registers.record_access_requests(requests, list(sequences.values()))
