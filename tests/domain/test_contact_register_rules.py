"""The rules of a complainant's register and of a subject access request, on the
aggregates themselves (ADR 0040)."""

from __future__ import annotations

from datetime import date

import pytest

from domain import errors
from domain.contact_registers import AccessRequest, ContactRegister, add_months, restriction_status
from domain.procedure import ProcedurePolicy

POLICY = ProcedurePolicy(today=date(2027, 1, 1))


def register_with_one_restriction() -> ContactRegister:
    register = ContactRegister.open("CSC-2025-0001")
    register.decide_restriction(
        on=date(2025, 6, 2),
        actor="t",
        policy=POLICY,
        kind="written-contact-only",
        scope="all contact",
        reason="abusive calls",
        review_on=date(2025, 12, 2),
    )
    return register


def request(on: date = date(2025, 1, 31)) -> AccessRequest:
    return AccessRequest.receive(
        ref="SAR-2025-0001",
        on=on,
        actor="t",
        policy=POLICY,
        service_area="Care Leavers",
        requester="data-subject",
    )


def test_a_restriction_is_in_force_until_its_review_date_then_due_for_review() -> None:
    [restriction] = register_with_one_restriction().restrictions.values()
    assert restriction_status(restriction, date(2025, 12, 1)) == "in-force"
    assert restriction_status(restriction, date(2025, 12, 2)) == "review-due"


def test_a_restriction_continued_needs_a_later_review_date_and_a_lifted_one_none() -> None:
    register = register_with_one_restriction()
    review = {"actor": "t", "policy": POLICY, "number": 1, "notes": "n"}
    with pytest.raises(errors.RestrictionRule):
        register.review_restriction(
            on=date(2025, 12, 1), outcome="continued", next_review_on=None, **review
        )
    with pytest.raises(errors.RestrictionRule):
        register.review_restriction(
            on=date(2025, 12, 1), outcome="lifted", next_review_on=date(2026, 6, 1), **review
        )
    with pytest.raises(errors.RestrictionRule):
        register.review_restriction(
            on=date(2025, 12, 1), outcome="continued", next_review_on=date(2025, 12, 1), **review
        )
    with pytest.raises(errors.RestrictionRule):
        register.review_restriction(
            on=date(2025, 12, 1), outcome="lifted", next_review_on=None, **{**review, "number": 2}
        )
    register.review_restriction(
        on=date(2025, 12, 1), outcome="lifted", next_review_on=None, **review
    )
    assert register.restrictions[1]["lifted_on"] == date(2025, 12, 1)


def test_a_restriction_or_adjustment_without_its_words_is_refused() -> None:
    register = ContactRegister.open("CSC-2025-0001")
    with pytest.raises(errors.RestrictionRule):
        register.decide_restriction(
            on=date(2025, 6, 2),
            actor="t",
            policy=POLICY,
            kind="other",
            scope=" ",
            reason="r",
            review_on=date(2025, 9, 1),
        )
    with pytest.raises(errors.RestrictionRule):
        register.agree_adjustment(
            on=date(2025, 6, 2), actor="t", policy=POLICY, kind="large-print", detail=""
        )
    with pytest.raises(errors.UnknownName):
        register.agree_adjustment(
            on=date(2025, 6, 2), actor="t", policy=POLICY, kind="a-pony", detail="x"
        )


@pytest.mark.parametrize(
    ("received", "months", "due"),
    [
        (date(2025, 1, 3), 1, date(2025, 2, 3)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
    ],
)
def test_a_month_is_counted_to_the_same_date_or_the_months_last_day(
    received: date, months: int, due: date
) -> None:
    assert add_months(received, months) == due


def test_a_complex_request_is_due_three_months_from_receipt() -> None:
    sar = request()
    assert sar.due == date(2025, 2, 28)
    sar.extend(on=date(2025, 2, 28), actor="t", policy=POLICY, reason="many files")
    assert sar.due == date(2025, 4, 30)
    with pytest.raises(errors.AccessRequestRule):
        sar.extend(on=date(2025, 2, 28), actor="t", policy=POLICY, reason="again")


def test_an_extension_after_the_first_month_is_refused() -> None:
    with pytest.raises(errors.AccessRequestExtendedLate):
        request().extend(on=date(2025, 3, 1), actor="t", policy=POLICY, reason="late")


def test_a_request_answered_after_its_deadline_is_late_and_reviewed_only_once_answered() -> None:
    sar = request()
    with pytest.raises(errors.AccessRequestRule):
        sar.request_review(on=date(2025, 2, 10), actor="t", policy=POLICY)
    sar.respond(on=date(2025, 3, 3), actor="t", policy=POLICY, outcome="disclosed-in-part")
    assert sar.on_time is False
    with pytest.raises(errors.AccessRequestRule):
        sar.decide_review(on=date(2025, 3, 20), actor="t", policy=POLICY, outcome="withdrawn")
    sar.request_review(on=date(2025, 3, 10), actor="t", policy=POLICY)
    with pytest.raises(errors.DateOutOfOrder):
        sar.decide_review(on=date(2025, 3, 9), actor="t", policy=POLICY, outcome="withdrawn")
    sar.decide_review(on=date(2025, 3, 20), actor="t", policy=POLICY, outcome="further-disclosure")
    assert sar.review_outcome == "further-disclosure"


def test_a_step_in_the_future_is_refused() -> None:
    with pytest.raises(errors.DateOutOfOrder):
        request(on=date(2027, 2, 1))
