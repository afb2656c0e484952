"""Property: a step recorded wrongly, voided and recorded again gives the same figures
(every read-model row) as recording it correctly once, whether the slip is caught at
once or only after the rest of the case was recorded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.complaint import Complaint
from projections.rows import complaint_rows
from tests.domain.test_complaint_rules import POLICY, TEAM

Command = Callable[[Complaint], Any]


@dataclass(frozen=True)
class Step:
    """A step of the case: how to record it right, and a plausible slip."""

    right: Command
    wrong: Command
    #: Whether later steps of HISTORY depend on it (then a late catch cannot void it).
    depended_on: bool = False


def _on(year: int, month: int, day: int) -> dict[str, Any]:
    return {"on": date(year, month, day), "actor": TEAM, "policy": POLICY}


HISTORY: list[Step] = [
    Step(
        lambda c: c.acknowledge(**_on(2026, 5, 12)),
        lambda c: c.acknowledge(**_on(2026, 5, 13)),
    ),
    Step(
        lambda c: c.extend(**_on(2026, 5, 18), reason="complex"),
        lambda c: c.extend(**_on(2026, 5, 15), reason="complex", working_days=15),
    ),
    Step(
        lambda c: c.recommend(**_on(2026, 5, 28), recommendation_id="R1", theme="communication"),
        lambda c: c.recommend(**_on(2026, 5, 29), recommendation_id="R1"),
        depended_on=True,
    ),
    Step(
        lambda c: c.respond(**_on(2026, 6, 5), outcome="partly-upheld", remedies=["apology"]),
        lambda c: c.respond(**_on(2026, 6, 5), outcome="upheld"),
        depended_on=True,
    ),
    Step(
        lambda c: c.compensate(**_on(2026, 6, 8), amount=Decimal("250")),
        lambda c: c.compensate(**_on(2026, 6, 8), amount=Decimal("2500")),
    ),
    Step(
        lambda c: c.decide_recommendation(
            **_on(2026, 6, 10), recommendation_id="R1", accepted=True, due=date(2026, 8, 1)
        ),
        lambda c: c.decide_recommendation(
            **_on(2026, 6, 10), recommendation_id="R1", accepted=False
        ),
    ),
    Step(
        lambda c: c.open_ombudsman_enquiry(**_on(2026, 7, 1)),
        lambda c: c.open_ombudsman_enquiry(**_on(2026, 7, 2)),
        depended_on=True,
    ),
    Step(
        lambda c: c.record_ombudsman_decision(**_on(2026, 9, 1), decision="upheld"),
        lambda c: c.record_ombudsman_decision(**_on(2026, 9, 1), decision="not-upheld"),
    ),
]


def new_case() -> Complaint:
    complaint = Complaint.receive(
        ref="CSC-2026-0042", on=date(2026, 5, 11), actor=TEAM, policy=POLICY, team="Fostering"
    )
    complaint.triage(**_on(2026, 5, 11), decision="statutory")
    return complaint


def figures(complaint: Complaint) -> Any:
    return complaint_rows(complaint, POLICY)


def recorded_rightly() -> Any:
    complaint = new_case()
    for step in HISTORY:
        step.right(complaint)
    return figures(complaint)


EXPECTED = recorded_rightly()


@settings(max_examples=60, deadline=None)
@given(slip=st.integers(0, len(HISTORY) - 1), caught_late=st.booleans())
def test_void_then_record_again_equals_recording_rightly_once(slip: int, caught_late: bool) -> None:
    complaint = new_case()
    late = caught_late and not HISTORY[slip].depended_on
    for number, step in enumerate(HISTORY):
        if number != slip:
            step.right(complaint)
            continue
        step.wrong(complaint)
        wrong_version = complaint.version
        if not late:
            complaint.void(**_on(2026, 11, 1), version=wrong_version, reason="slip")
            step.right(complaint)
    if late:
        complaint.void(**_on(2026, 11, 1), version=wrong_version, reason="slip")
        step = HISTORY[slip]
        step.right(complaint)
    assert figures(complaint) == EXPECTED
    rebuilt: Any = None
    for event in complaint.collect_events():
        rebuilt = event.mutate(rebuilt)
    assert figures(rebuilt) == EXPECTED
