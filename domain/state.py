"""The parts of a complaint's state that events build up: stages, recommendations,
payments and the Ombudsman's involvement. Plain mutable records, rebuilt on replay."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass
class Appointment:
    role: str
    person: str
    internal: bool
    on: date


@dataclass
class StageState:
    number: int
    started_on: date
    #: The day the stage's clock starts (Stage 1: receipt; Stage 2: the request, or
    #: the agreed statement where the council counts from it; Stage 3: the request).
    clock_from: date
    working_days: int
    late_reason: str | None = None
    extensions: int = 0
    acknowledged_on: date | None = None
    statement_agreed_on: date | None = None
    points: int = 0
    findings: dict[int, str] = field(default_factory=dict)
    appointments: list[Appointment] = field(default_factory=list)
    panel_met_on: date | None = None
    panel_reported_on: date | None = None
    report_days: int = 0
    response_days: int = 0
    responded_on: date | None = None
    outcome: str | None = None
    remedies: list[str] = field(default_factory=list)
    withdrawn_on: date | None = None
    #: What the response timescale counts from (``receipt`` or ``acknowledgement``), and
    #: the days to acknowledge (``None``: the procedure's, for stages recorded before).
    counts_from: str = "receipt"
    acknowledge_days: int | None = None
    #: The officer handling the stage, by their id in the council's staff register.
    handler: str | None = None
    #: The day the stage was last re-opened (its clock runs again from it, ADR 0038).
    reopened_on: date | None = None

    @property
    def is_open(self) -> bool:
        return self.responded_on is None and self.withdrawn_on is None

    @property
    def ended_on(self) -> date | None:
        return self.responded_on or self.withdrawn_on


@dataclass
class RecommendationState:
    id: str
    stage: str
    made_on: date
    theme: str | None
    decision: str | None = None  # "accepted" or "rejected"
    decided_on: date | None = None
    owner: str | None = None
    due: date | None = None
    completed_on: date | None = None
    evidence: str | None = None

    @property
    def status(self) -> str:
        if self.completed_on is not None:
            return "completed"
        return self.decision or "made"


@dataclass
class Payment:
    on: date
    stage: str
    amount: Decimal
    reason: str | None


@dataclass
class OmbudsmanState:
    enquiry_on: date
    ombudsman_ref: str | None
    decided_on: date | None = None
    decision: str | None = None
    remedies: list[str] = field(default_factory=list)
    due: date | None = None
    complied_on: date | None = None
    satisfactory_remedy: bool = False


@dataclass
class Amendment:
    on: date
    field: str
    old: object
    new: object
    reason: str


@dataclass
class Link:
    """Another case this one is linked to, and how (ADR 0038)."""

    on: date
    ref: str
    kind: str


@dataclass
class Reopening:
    """A stage re-opened because its response was found incomplete: the response it
    set aside and the new clock (ADR 0038)."""

    stage: int
    on: date
    reason: str
    set_aside_response_on: date | None
    set_aside_outcome: str | None
