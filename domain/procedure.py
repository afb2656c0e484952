"""The procedures' names, timescales and taxonomies: the configurable policy.

Fixed names (procedures, stage outcomes, point findings, triage decisions, Ombudsman
decisions) come from the regulations and the contract. Taxonomies that councils rename
and extend (channels, complainant roles, reasons, remedies, compensation reasons,
learning themes) are defaults that a council's settings file may extend.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from domain.calendar import WorkingDayCalendar
from domain.errors import BadData, UnknownName
from domain.registers import PROVIDER, SERVICE_AREA, TEAM, Register, tidy
from domain.retention import RetentionSchedule
from domain.vocabulary import label, resolve_name, unknown_name_message

STATUTORY = "statutory"
CORPORATE = "corporate"
PROCEDURES = (STATUTORY, CORPORATE)

#: How many stages each procedure has.
FINAL_STAGE = {STATUTORY: 3, CORPORATE: 2}

TRIAGE_INTO_PROCEDURE = PROCEDURES
TRIAGE_OUT = ("not-a-complaint", "out-of-time", "excluded")
TRIAGE_DECISIONS = TRIAGE_INTO_PROCEDURE + TRIAGE_OUT

STAGE_OUTCOMES = ("upheld", "partly-upheld", "not-upheld")
POINT_FINDINGS = ("upheld", "partly-upheld", "not-upheld", "unable-to-determine")

OMBUDSMAN_DECISIONS = (
    "upheld",
    "upheld-no-injustice",
    "not-upheld",
    "closed-after-initial-enquiries",
    "out-of-jurisdiction",
    "premature",
    "referred-back",
    "invalid",
    "advice-given",
)
#: Decisions in which the Ombudsman found fault: the uphold rate counts these.
OMBUDSMAN_UPHELD = ("upheld", "upheld-no-injustice")

STAGE2_ROLES = ("investigating-officer", "independent-person")
PANEL_ROLES = ("panel-chair", "panel-member")
APPOINTMENT_ROLES = STAGE2_ROLES + PANEL_ROLES

DISPUTE_RESOLUTION_METHODS = ("mediation", "meeting", "other")

STAGE2_CLOCK_BASES = ("request", "statement")
#: What a stage's response timescale counts from: its receipt or request (the
#: regulations, and corporate procedures before the Complaint Handling Code), or its
#: acknowledgement (the Ombudsman's Complaint Handling Code).
RECEIPT = "receipt"
ACKNOWLEDGEMENT = "acknowledgement"
CLOCK_BASES = (RECEIPT, ACKNOWLEDGEMENT)

DEFAULT_CHANNELS = (
    "email",
    "letter",
    "telephone",
    "online-form",
    "in-person",
    "complaint-form",
    "participation-app",
    "via-advocate",
    "via-councillor-mp",
)
DEFAULT_ROLES = (
    "child-or-young-person",
    "looked-after-child",
    "child-in-need",
    "care-leaver",
    "parent",
    "person-with-parental-responsibility",
    "foster-carer",
    "special-guardian",
    "adopter",
    "adoptive-family",
    "prospective-adopter",
    "sufficient-interest",
    "other",
)
#: Roles that mean the child or young person complained directly.
CHILD_ROLES = ("child-or-young-person", "looked-after-child", "child-in-need", "care-leaver")
DEFAULT_REASONS = (
    "challenge-to-assessment-outcome",
    "challenge-to-support-provided",
    "delays-in-service",
    "inaccurate-recording",
    "poor-communication",
    "staff-behaviour",
    "policy-or-procedure",
    "service-quality",
    "breakdown-in-service",
    "payments-or-charges",
    "foster-carer-issues",
    "other",
)
DEFAULT_REMEDIES = (
    "apology",
    "explanation",
    "information-provided",
    "change-to-assessment",
    "change-to-practice",
    "financial-remedy",
    "service-improvement",
    "no-further-action",
)
DEFAULT_COMPENSATION_REASONS = (
    "time-and-trouble",
    "distress",
    "loss",
    "delay-or-service-failure",
    "other",
)
DEFAULT_THEMES = ("communication", "service-failure", "policy-and-procedure", "other")
DEFAULT_AGE_BANDS = (
    "under-12",
    "12-15",
    "16-17",
    "18-24",
    "25-34",
    "35-44",
    "45-54",
    "55-64",
    "65-and-over",
)
DEFAULT_ADVOCACY_THEMES = (
    "care-planning",
    "contact-with-family",
    "placement",
    "leaving-care",
    "education",
    "health",
    "complaint-support",
    "other",
)
#: Whether the complainant said they have a disability (monitoring, only when given).
DISABILITY_ANSWERS = ("yes", "no", "prefer-not-to-say")


#: Labels that are more than a name's words (the rest read as their words: the label of
#: ``poor-communication`` is ``Poor communication``, of ``12-15`` is ``12 to 15``). Input
#: may give a name by its label; reports in words print labels (ADR 0017).
LABELS: dict[str, str] = {
    "via-councillor-mp": "Via a councillor or MP",
    "mp": "MP",
    "upheld-no-injustice": "Upheld, no injustice",
    "referred-back": "Referred back for local resolution",
    "invalid": "Incomplete or invalid",
    "person-with-parental-responsibility": "Person with parental responsibility",
}


def check_name(kind: str, value: str, allowed: Iterable[str]) -> str:
    """``value`` if it is one of ``allowed`` exactly, else :class:`UnknownName` naming
    the nearest. Input is turned into a name by :func:`name_of` first."""
    names = tuple(allowed)
    if value not in names:
        raise UnknownName(unknown_name_message(kind, value, names, LABELS))
    return value


def name_of(kind: str, text: str, allowed: Iterable[str]) -> str:
    """The name in a fixed list (outcomes, decisions...) given by name or label."""
    return resolve_name(kind, text, allowed, LABELS)


@dataclass(frozen=True)
class StageTimescale:
    """Working days allowed for a stage, and how far extensions may take it."""

    working_days: int
    maximum_days: int
    single_extension: bool
    extended_days: int | None = None  # the length a single extension sets
    #: What the response timescale counts from (:data:`CLOCK_BASES`).
    counts_from: str = RECEIPT
    #: Working days to acknowledge the stage; ``None``: the procedure's ``acknowledge``.
    acknowledge_days: int | None = None

    def __post_init__(self) -> None:
        check_name("clock basis", self.counts_from, CLOCK_BASES)


@dataclass(frozen=True)
class Timescales:
    acknowledge: int = 2
    statutory_stage1: StageTimescale = StageTimescale(10, 20, True, 20)
    statutory_stage2: StageTimescale = StageTimescale(25, 65, False)
    #: Stage 3: the panel meets within 30 of the request (not extendable).
    statutory_stage3: StageTimescale = StageTimescale(30, 30, True)
    panel_report: int = 5
    panel_response: int = 15
    corporate_stage1: StageTimescale = StageTimescale(15, 25, True, 25)
    corporate_stage2: StageTimescale = StageTimescale(20, 30, True, 30)
    escalation_request: int = 20
    time_limit_years: int = 1
    #: Working days to answer a councillor's or MP's enquiry.
    enquiry_response: int = 10
    stage2_clock: str = "request"
    #: The Complaint Handling Code: Stage 2 is handled by someone other than Stage 1.
    stage2_different_handler: bool = False

    def for_stage(self, procedure: str, stage: int) -> StageTimescale:
        table = {
            (STATUTORY, 1): self.statutory_stage1,
            (STATUTORY, 2): self.statutory_stage2,
            (STATUTORY, 3): self.statutory_stage3,
            (CORPORATE, 1): self.corporate_stage1,
            (CORPORATE, 2): self.corporate_stage2,
        }
        try:
            return table[(procedure, stage)]
        except KeyError:
            raise BadData(f"the {procedure} procedure has no stage {stage}") from None


def complaint_handling_code_2026(before: Timescales) -> Timescales:
    """The Ombudsman's Complaint Handling Code for the corporate procedure: acknowledge
    within 5 working days; respond within 10 (Stage 1) or 20 (Stage 2) working days of
    the acknowledgement, extendable once by at most 10 or 20 more. The statutory
    procedure is the regulations' and is left as it was."""
    return replace(
        before,
        corporate_stage1=StageTimescale(10, 20, True, 20, ACKNOWLEDGEMENT, 5),
        corporate_stage2=StageTimescale(20, 40, True, 40, ACKNOWLEDGEMENT, 5),
        time_limit_years=1,
        stage2_different_handler=True,
    )


#: Named sets of timescales a council's settings can take in one line.
TIMESCALE_PRESETS = {"code-2026": complaint_handling_code_2026}


@dataclass(frozen=True)
class TimescaleChange:
    """From ``effective`` on, cases received follow ``timescales``."""

    effective: date
    timescales: Timescales


#: The taxonomies a council may extend, and what one name of each is called.
TAXONOMY_KINDS = {
    "channels": "channel",
    "roles": "complainant role",
    "reasons": "reason",
    "remedies": "remedy",
    "compensation_reasons": "compensation reason",
    "themes": "learning theme",
    "age_bands": "age band",
    "advocacy_themes": "advocacy theme",
}


@dataclass(frozen=True)
class Taxonomy:
    channels: tuple[str, ...] = DEFAULT_CHANNELS
    roles: tuple[str, ...] = DEFAULT_ROLES
    reasons: tuple[str, ...] = DEFAULT_REASONS
    remedies: tuple[str, ...] = DEFAULT_REMEDIES
    compensation_reasons: tuple[str, ...] = DEFAULT_COMPENSATION_REASONS
    themes: tuple[str, ...] = DEFAULT_THEMES
    age_bands: tuple[str, ...] = DEFAULT_AGE_BANDS
    advocacy_themes: tuple[str, ...] = DEFAULT_ADVOCACY_THEMES
    #: The council's own labels, (name, label) pairs, over :data:`LABELS`.
    labels: tuple[tuple[str, str], ...] = ()

    def extended(self, extra: Mapping[str, Iterable[str] | Mapping[str, str]]) -> Taxonomy:
        """A taxonomy with a council's own names (and ``labels``) added to the defaults."""
        changes: dict[str, tuple[Any, ...]] = {}
        for kind, names in extra.items():
            if kind == "labels":
                if not isinstance(names, Mapping):
                    raise BadData("taxonomy labels: expected a table of name = label")
                changes[kind] = self.labels + tuple((str(n), str(t)) for n, t in names.items())
                continue
            if kind not in self.__dataclass_fields__:
                raise BadData(f"unknown taxonomy {kind!r}")
            current: tuple[str, ...] = getattr(self, kind)
            changes[kind] = current + tuple(n for n in names if n not in current)
        return replace(self, **changes)

    @property
    def label_map(self) -> dict[str, str]:
        """Every label that is more than a name's words: the defaults, the council's."""
        return {**LABELS, **dict(self.labels)}

    def label(self, name: str) -> str:
        """The words ``name`` is shown with in reports."""
        return label(name, self.label_map)

    def name_of(self, kind: str, text: str) -> str:
        """The name in this taxonomy's ``kind`` (``reasons``, ``channels``...) that
        ``text`` gives by name or label, in any case or spacing."""
        if kind not in TAXONOMY_KINDS:
            raise BadData(f"unknown taxonomy {kind!r}")
        names: tuple[str, ...] = getattr(self, kind)
        return resolve_name(TAXONOMY_KINDS[kind], text, names, self.label_map)


@dataclass(frozen=True)
class ProcedurePolicy:
    """Everything a rule check needs besides the case itself."""

    calendar: WorkingDayCalendar = field(default_factory=WorkingDayCalendar)
    timescales: Timescales = field(default_factory=Timescales)
    taxonomy: Taxonomy = field(default_factory=Taxonomy)
    reference_prefix: str = "CSC"
    today: date | None = None
    #: The council's registers of teams and service areas; None: any name is accepted.
    teams: Register | None = None
    service_areas: Register | None = None
    #: The register of commissioned or contracted providers (ADR 0039).
    providers: Register | None = None
    #: How long personal data is kept (the council's retention schedule).
    retention: RetentionSchedule = field(default_factory=RetentionSchedule)
    #: Later versions of the timescales, oldest first: a case follows the version in
    #: force on the day it was received (ADR 0027); before the first, ``timescales``.
    timescale_changes: tuple[TimescaleChange, ...] = ()

    def __post_init__(self) -> None:
        for version in (self.timescales, *(c.timescales for c in self.timescale_changes)):
            check_name("Stage 2 clock basis", version.stage2_clock, STAGE2_CLOCK_BASES)
        days = [change.effective for change in self.timescale_changes]
        if days != sorted(set(days)):
            raise BadData("timescale changes must be in date order, one a day")

    def timescales_on(self, received_on: date | None) -> Timescales:
        """The timescales a case received on ``received_on`` follows."""
        found = self.timescales
        for change in self.timescale_changes:
            if received_on is not None and change.effective <= received_on:
                found = change.timescales
        return found

    def register(self, kind: str) -> Register | None:
        """The register of ``kind`` (``team`` or ``service-area``), if the council has one."""
        if kind == PROVIDER:
            return self.providers
        return self.teams if kind == TEAM else self.service_areas

    def resolve(self, kind: str, name: str | None, on: date) -> str | None:
        """The name to record for a team or service area given for a step on ``on``:
        its register name, or (without a register) the name as given, tidied.
        Refused when blank, or not in the register on that day."""
        if name is None:
            return None
        register = self.register(kind)
        return tidy(kind, name) if register is None else register.resolve(name, on)

    def team(self, name: str | None, on: date) -> str | None:
        return self.resolve(TEAM, name, on)

    def service_area(self, name: str | None, on: date) -> str | None:
        return self.resolve(SERVICE_AREA, name, on)
