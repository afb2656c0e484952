"""The clock of one stage of a case under the council's settings.

What a stage's clock counts from, its deadlines (acknowledgement, response, the panel's
steps at Stage 3) and whether each was met. These are the :class:`Complaint`'s queries
(``stage_deadline``, ``response_deadline``, ``responded_on_time``...), worked out here
in one place: each figure once, when it is first asked for, from the figures it depends
on. A case's facts ask for every figure of every stage, and most figures rest on the
same few (the holds that stopped the clock, the day it started, the response due), so
none of those is worked out twice; a rule asks for one figure and works out only it.

A clock answers for the case as it stands when the clock is made: it is made afresh
for every question or set of questions, never kept while the case changes (ADR 0050).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from domain.calendar import ClockStopped, Pause
from domain.case_links import REOPENING
from domain.procedure import ACKNOWLEDGEMENT, RECEIPT, STATUTORY, ProcedurePolicy, Timescales
from domain.state import StageState

if TYPE_CHECKING:
    from domain.complaint import Complaint

T = TypeVar("T")


class once(Generic[T]):  # noqa: N801 (a decorator, named like one)
    """A figure worked out the first time it is read, then kept on the clock (what
    ``functools.cached_property`` does, without the lock it takes on Python 3.11 at
    every first read: a clock is made and read by one thread)."""

    def __init__(self, work: Callable[[Any], T]) -> None:
        self.work = work
        self.name = work.__name__

    def __get__(self, clock: Any, owner: type | None = None) -> T:
        value = self.work(clock)
        clock.__dict__[self.name] = value  # read from the clock itself from now on
        return value


class StageClock:
    """The clock of ``stage`` of ``case`` under ``policy``. The ``*_or_stop`` figures
    raise :class:`ClockStopped` on hold; the others say ``None`` there."""

    def __init__(self, case: Complaint, stage: StageState, policy: ProcedurePolicy) -> None:
        self.case = case
        self.stage = stage
        self.policy = policy

    def _add(self, start: date, working_days: int) -> date:
        return self.policy.calendar.add_working_days(start, working_days, self.pauses)

    @once
    def pauses(self) -> list[Pause]:
        """The holds that stopped this stage's clock."""
        return self.case.pauses_for(self.stage)

    @once
    def timescales(self) -> Timescales:
        return self.case.timescales(self.policy)

    @once
    def is_panel_stage(self) -> bool:
        """Stage 3 of the statutory procedure: a panel meets, reports, then the council
        responds, each within its own days."""
        return self.case.procedure == STATUTORY and self.stage.number == 3

    @once
    def basis(self) -> str:
        """What the stage's clock counts from: ``receipt`` (Stage 1), ``request`` (later
        stages), ``statement`` (the agreed statement at Stage 2 where the council counts
        from it) or ``acknowledgement`` (the Complaint Handling Code); ``re-opening``
        once the stage was re-opened (ADR 0038)."""
        stage = self.stage
        if stage.reopened_on is not None:
            return REOPENING
        if stage.counts_from == ACKNOWLEDGEMENT:
            return ACKNOWLEDGEMENT
        if stage.number == 1:
            return RECEIPT
        if (
            stage.number == 2
            and self.timescales.stage2_clock == "statement"
            and stage.statement_agreed_on is not None
        ):
            return "statement"
        return "request"

    @once
    def acknowledgement_due_or_stop(self) -> date:
        days = self.stage.acknowledge_days
        if days is None:
            days = self.timescales.acknowledge
        return self._add(self.stage.clock_from, days)

    @once
    def acknowledgement_due(self) -> date | None:
        """The date by which the stage was to be acknowledged; ``None`` on hold."""
        try:
            return self.acknowledgement_due_or_stop
        except ClockStopped:
            return None

    @once
    def acknowledged_on_time(self) -> bool | None:
        """Whether the stage was acknowledged within its days; ``None`` until it is."""
        acknowledged_on = self.stage.acknowledged_on
        if acknowledged_on is None:
            return None
        due = self.acknowledgement_due
        return due is not None and acknowledged_on <= due

    @once
    def start_or_stop(self) -> date:
        stage = self.stage
        basis = self.basis
        if stage.reopened_on is not None:
            return stage.reopened_on
        if basis == ACKNOWLEDGEMENT:
            # Unacknowledged, the clock starts when the acknowledgement was due.
            return stage.acknowledged_on or self.acknowledgement_due_or_stop
        if basis == "statement":
            assert stage.statement_agreed_on is not None
            return stage.statement_agreed_on
        return stage.clock_from

    @once
    def start(self) -> date | None:
        """Day 0 of the stage's response timescale (see :attr:`basis`); ``None`` while
        it waits on an acknowledgement that is on hold."""
        try:
            return self.start_or_stop
        except ClockStopped:
            return None

    @once
    def response_due_or_stop(self) -> date:
        """Stages 1, 2 and corporate stages: the response, as validly extended and
        paused."""
        return self._add(self.start_or_stop, self.stage.working_days)

    @once
    def panel_due_or_stop(self) -> date:
        """Stage 3: when the panel was to meet."""
        return self._add(self.stage.clock_from, self.stage.working_days)

    @once
    def report_due_or_stop(self) -> date:
        """Stage 3: when the panel was to report, its days from the meeting (from when
        the meeting was due, until it met)."""
        stage = self.stage
        return self._add(stage.panel_met_on or self.panel_due_or_stop, stage.report_days)

    @once
    def council_response_due_or_stop(self) -> date:
        """Stage 3: when the council was to respond, its days from the panel's report
        (from when the report was due, until it came)."""
        stage = self.stage
        return self._add(stage.panel_reported_on or self.report_due_or_stop, stage.response_days)

    @once
    def deadline_or_stop(self) -> date:
        """When the stage's next step is due. Stages 1, 2 and corporate stages: the
        response. Stage 3: the panel meeting, then the panel's report, then the
        council's response."""
        stage = self.stage
        if self.is_panel_stage:
            if stage.panel_reported_on is not None:
                return self.council_response_due_or_stop
            if stage.panel_met_on is not None:
                return self.report_due_or_stop
            return self.panel_due_or_stop
        if stage.counts_from == ACKNOWLEDGEMENT and stage.acknowledged_on is None:
            return self.acknowledgement_due_or_stop
        return self.response_due_or_stop

    @once
    def deadline(self) -> date | None:
        """:attr:`deadline_or_stop`; ``None`` while the case is on hold."""
        try:
            return self.deadline_or_stop
        except ClockStopped:
            return None

    @once
    def response_due(self) -> date | None:
        """The date by which the response ending the stage is due; ``None`` on hold."""
        try:
            if self.is_panel_stage:
                return self.council_response_due_or_stop
            return self.response_due_or_stop
        except ClockStopped:
            return None

    @once
    def panel_on_time(self) -> bool | None:
        """Whether the review panel met within its timescale of the Stage 3 request."""
        panel_met_on = self.stage.panel_met_on
        if panel_met_on is None:
            return None
        return panel_met_on <= self.panel_due_or_stop

    @once
    def responded_on_time(self) -> bool | None:
        """Whether the stage's response came within its (validly extended) timescale.

        Stage 3 is on time only if every step was: the panel met within its timescale
        of the request, reported within its days of meeting, and the council responded
        within its days of the report.
        """
        stage = self.stage
        if stage.responded_on is None:
            return None
        if self.is_panel_stage:
            if self.panel_on_time is False:
                return False
            reported_on = stage.panel_reported_on
            reported_late = (
                reported_on is not None
                and stage.panel_met_on is not None
                and reported_on > self.report_due_or_stop
            )
            if reported_late:
                return False
        deadline = self.response_due
        return deadline is not None and stage.responded_on <= deadline

    @once
    def working_days_to_response(self) -> int | None:
        start = self.start
        responded_on = self.stage.responded_on
        if responded_on is None or start is None:
            return None
        return self.policy.calendar.working_days_between(start, responded_on, self.pauses)
