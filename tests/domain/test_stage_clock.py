"""A stage's clock keeps each figure once worked out (domain/stage_clock.py): whatever
order its figures are read in, each is the figure a clock asked for it alone gives, for
every stage of a generated ledger's cases (holds, extensions, Stage 3 panels and the
Complaint Handling Code's acknowledgement clocks among them) and of a case on hold at
each stage, whose clock has stopped."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from demo.generator import generate
from domain.calendar import ClockStopped
from domain.complaint import Complaint
from domain.stage_clock import StageClock
from tests.domain.test_complaint_rules import POLICY, at_stage1, at_stage2, at_stage3
from tests.domain.test_holds_and_deadlines import held

FIGURES = (
    "basis",
    "start",
    "deadline",
    "response_due",
    "acknowledgement_due",
    "acknowledged_on_time",
    "panel_on_time",
    "responded_on_time",
    "working_days_to_response",
    "start_or_stop",
    "response_due_or_stop",
    "deadline_or_stop",
)


def read(clock: StageClock, figure: str) -> Any:
    try:
        return getattr(clock, figure)
    except ClockStopped:
        return ClockStopped


def cases() -> Iterator[Complaint]:
    """A generated ledger's cases, then a case on hold (its clock stopped) at each stage."""
    for chunk in generate(11, 3, 150, 2023, POLICY):
        yield from (case for case in chunk if isinstance(case, Complaint))
    for at_stage in (at_stage1, at_stage2, at_stage3):
        case = at_stage()
        held(case, case.stages[-1].started_on)
        yield case


def test_a_clocks_figures_read_in_any_order_are_those_read_alone() -> None:
    stages = 0
    stopped = 0
    for case in cases():
        for stage in case.stages:
            alone = {f: read(StageClock(case, stage, POLICY), f) for f in FIGURES}
            for order in (FIGURES, FIGURES[::-1]):
                clock = case.stage_clock(stage, POLICY)
                assert {f: read(clock, f) for f in order} == alone
            stages += 1
            stopped += alone["deadline_or_stop"] is ClockStopped
    assert stages > 400 and stopped, (stages, stopped)
