"""Bring a council's history in: one legacy row per case, recorded as the events it
implies.

A legacy export (CSV, or the first sheet of an XLSX workbook) has one row per case with
its dates of receipt, response, escalation and so on. Each row is turned into the
domain commands it implies (receive, triage, acknowledge, extend, respond, escalate,
hold and report the panel, recommend, compensate, withdraw, the Ombudsman), run in date
order on a fresh :class:`~domain.complaint.Complaint`, so every row is checked against
the procedure's rules exactly as a user's commands would be. Nothing is written until
every row has passed; the errors come back as a list of (row, column, reason).

Re-importing is harmless: a case whose reference is already in the ledger is skipped
when its recorded history begins with exactly the events its row implies, and reported
as an error when it differs (ADR 0010). ``docs/import-format.md`` lists the columns.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from sqlalchemy import select

from domain import errors
from domain.casework import JOINT_BODIES, JOINT_LEADS
from domain.complaint import Complaint, case_id
from domain.personal import FREE_TEXT
from domain.procedure import (
    OMBUDSMAN_DECISIONS,
    STAGE_OUTCOMES,
    TAXONOMY_KINDS,
    TRIAGE_DECISIONS,
    ProcedurePolicy,
    name_of,
)
from domain.references import check_reference
from domain.registers import SERVICE_AREA, TEAM, normal
from domain.vocabulary import UNCHECKED_FIELDS, check_text, parse_amount, parse_date
from ledger.store.storage import events_table
from projections.bulk import collector_paused

if TYPE_CHECKING:
    from ledger.application import Ledger

#: Cases per transaction when writing.
CHUNK_SIZE = 500
#: Several names in one cell are separated by ``;`` (or ``,``).
LIST_SEPARATOR = re.compile(r"[;,]")
DEFAULT_EXTENSION_REASON = "extension recorded in the legacy system"
#: Columns read as a first header row; the row numbers in errors count it as row 1.
HEADER_ROW = 1


@dataclass(frozen=True)
class Column:
    """One column of the legacy format: its name, kind of value and meaning."""

    name: str
    kind: str
    help: str
    names: str | None = None  # the taxonomy or fixed list its names come from


COLUMNS: tuple[Column, ...] = (
    Column("reference", "reference", "The case reference (required; unique in the file)."),
    Column("received_on", "date", "Date the complaint was received (required)."),
    Column(
        "procedure",
        "name",
        "statutory (default when blank), corporate, or a triage decision that ended the "
        "case outside the procedure: not-a-complaint, out-of-time, excluded.",
        "triage",
    ),
    Column("triaged_on", "date", "Date of the triage decision (default: received_on)."),
    Column("triage_reason", "text", "Why a case was triaged out (not-a-complaint etc.)."),
    Column("matter_on", "date", "Date of the matter complained of."),
    Column(
        "late_reason",
        "text",
        "Why a complaint made more than a year after the matter was accepted.",
    ),
    Column("channel", "name", "How it was received.", "channels"),
    Column("role", "name", "Who complained.", "roles"),
    Column(
        "service_area",
        "text",
        "Service area, as the council names it (checked against its register, if any).",
    ),
    Column("team", "text", "Team, as the council names it (checked against its register, if any)."),
    Column("reasons", "names", "Reasons for the complaint, separated by ';'.", "reasons"),
    Column("acknowledged_on", "date", "Date the complaint was acknowledged."),
    Column("stage1_extended_on", "date", "Date the Stage 1 response time was extended to 20."),
    Column("stage1_extension_reason", "text", "Why Stage 1 was extended."),
    Column("stage1_response_on", "date", "Date of the Stage 1 response."),
    Column("stage1_outcome", "name", "Stage 1 outcome.", "outcomes"),
    Column("stage1_remedies", "names", "Remedies given at Stage 1, separated by ';'.", "remedies"),
    Column("stage2_requested_on", "date", "Date the complainant asked for Stage 2."),
    Column("stage2_late_reason", "text", "Why a late Stage 2 request was accepted."),
    Column("stage2_extended_on", "date", "Date the Stage 2 timescale was extended."),
    Column("stage2_extended_days", "days", "Stage 2 timescale after extension (at most 65)."),
    Column("stage2_extension_reason", "text", "Why Stage 2 was extended."),
    Column("stage2_response_on", "date", "Date of the Stage 2 adjudication."),
    Column("stage2_outcome", "name", "Stage 2 outcome.", "outcomes"),
    Column("stage2_remedies", "names", "Remedies given at Stage 2.", "remedies"),
    Column("stage3_requested_on", "date", "Date the complainant asked for a review panel."),
    Column("stage3_late_reason", "text", "Why a late Stage 3 request was accepted."),
    Column("stage3_panel_on", "date", "Date the review panel met."),
    Column("stage3_panel_report_on", "date", "Date of the panel's report."),
    Column("stage3_response_on", "date", "Date of the council's response to the panel."),
    Column("stage3_outcome", "name", "Stage 3 outcome.", "outcomes"),
    Column("stage3_remedies", "names", "Remedies given at Stage 3.", "remedies"),
    Column("withdrawn_on", "date", "Date the complainant withdrew."),
    Column("withdrawal_reason", "text", "Why (no names)."),
    Column(
        "recommendations",
        "recommendations",
        "Recommendations made with the last response: learning themes separated by ';', "
        "or a number of recommendations without a theme.",
        "themes",
    ),
    Column("recommendations_accepted_on", "date", "Date they were all accepted."),
    Column("recommendations_completed_on", "date", "Date they were all completed."),
    Column("compensation_amount", "amount", "Payment agreed, in pounds (e.g. 250 or 1,345.50)."),
    Column("compensation_on", "date", "Date it was agreed (default: the last response)."),
    Column(
        "compensation_stage",
        "name",
        "Stage it was agreed at: 1, 2, 3 or ombudsman (default: the case's stage then).",
        "payment stages",
    ),
    Column("compensation_reason", "name", "Why it was paid.", "compensation_reasons"),
    Column("ombudsman_enquiry_on", "date", "Date the Ombudsman opened an enquiry."),
    Column("ombudsman_ref", "text", "The Ombudsman's reference."),
    Column("ombudsman_decision_on", "date", "Date of the Ombudsman's decision."),
    Column("ombudsman_decision", "name", "The Ombudsman's decision.", "ombudsman"),
    # Issue 16 part 2 (ADR 0039): who the complaint is about, and joint complaints.
    Column(
        "provider",
        "text",
        "Commissioned or contracted provider the complaint is about (checked against the "
        "register of providers, if any); recorded on received_on.",
    ),
    Column("joint_with", "name", "Other body of a joint complaint.", "joint bodies"),
    Column("joint_lead", "name", "Who leads the joint complaint.", "joint leads"),
    Column("joint_on", "date", "Date it was agreed to be joint (default: received_on)."),
    Column("joint_agreed_on", "date", "Date the joint response was agreed."),
    Column(
        "stage2_investigator_cost",
        "amount",
        "Paid to the independent investigator, in pounds (on stage2_response_on).",
    ),
    Column(
        "stage2_independent_person_cost",
        "amount",
        "Paid to the independent person, in pounds (on stage2_response_on).",
    ),
    Column("stage3_panel_cost", "amount", "Paid to the panel, in pounds (on stage3_response_on)."),
    # ADR 0043: the satisfaction survey (its scores; a comment is personal, not imported).
    Column("survey_sent_on", "date", "Date the satisfaction survey was sent (after a response)."),
    Column("survey_answered_on", "date", "Date its answers came back; needs survey_overall."),
    Column("survey_overall", "score", "Overall satisfaction, 1 to 5."),
    Column("survey_kept_informed", "score", "Kept informed, 1 to 5."),
    Column("survey_fairly_treated", "score", "Treated fairly, 1 to 5."),
    Column("survey_timeliness", "score", "Dealt with in good time, 1 to 5."),
    # ADR 0043: a stage re-opened because its response was found incomplete, and the
    # response that followed (the stage's response for every figure).
    *(
        column
        for n in (1, 2)
        for column in (
            Column(f"stage{n}_reopened_on", "date", f"Date Stage {n} was re-opened."),
            Column(f"stage{n}_reopen_reason", "text", "Why its response was incomplete."),
            Column(
                f"stage{n}_reopened_response_on", "date", "Date of the response after it."
            ),
            Column(f"stage{n}_reopened_outcome", "name", "That response's outcome.", "outcomes"),
        )
    ),
)
COLUMN_NAMES = tuple(c.name for c in COLUMNS)
REQUIRED = ("reference", "received_on")
#: A value in the first column of each pair needs a value in the second.
NEEDS = (
    ("stage1_outcome", "stage1_response_on"),
    ("stage1_response_on", "stage1_outcome"),
    ("stage1_remedies", "stage1_response_on"),
    ("stage1_extension_reason", "stage1_extended_on"),
    ("stage2_outcome", "stage2_response_on"),
    ("stage2_response_on", "stage2_outcome"),
    ("stage2_response_on", "stage2_requested_on"),
    ("stage2_remedies", "stage2_response_on"),
    ("stage2_extended_on", "stage2_requested_on"),
    ("stage2_extended_days", "stage2_extended_on"),
    ("stage2_extension_reason", "stage2_extended_on"),
    ("stage2_late_reason", "stage2_requested_on"),
    ("stage2_requested_on", "stage1_response_on"),
    ("stage3_outcome", "stage3_response_on"),
    ("stage3_response_on", "stage3_outcome"),
    ("stage3_response_on", "stage3_panel_on"),
    ("stage3_remedies", "stage3_response_on"),
    ("stage3_panel_on", "stage3_requested_on"),
    ("stage3_panel_report_on", "stage3_panel_on"),
    ("stage3_late_reason", "stage3_requested_on"),
    ("stage3_requested_on", "stage2_response_on"),
    ("withdrawal_reason", "withdrawn_on"),
    ("recommendations_accepted_on", "recommendations"),
    ("recommendations_completed_on", "recommendations_accepted_on"),
    ("compensation_on", "compensation_amount"),
    ("compensation_stage", "compensation_amount"),
    ("compensation_reason", "compensation_amount"),
    ("ombudsman_ref", "ombudsman_enquiry_on"),
    ("ombudsman_decision", "ombudsman_decision_on"),
    ("ombudsman_decision_on", "ombudsman_decision"),
    ("ombudsman_decision_on", "ombudsman_enquiry_on"),
    ("joint_with", "joint_lead"),
    ("joint_lead", "joint_with"),
    ("joint_on", "joint_with"),
    ("joint_agreed_on", "joint_with"),
    ("stage2_investigator_cost", "stage2_response_on"),
    ("stage2_independent_person_cost", "stage2_response_on"),
    ("stage3_panel_cost", "stage3_response_on"),
    ("survey_answered_on", "survey_sent_on"),
    ("survey_answered_on", "survey_overall"),
    ("survey_overall", "survey_answered_on"),
    ("survey_kept_informed", "survey_answered_on"),
    ("survey_fairly_treated", "survey_answered_on"),
    ("survey_timeliness", "survey_answered_on"),
    *(
        pair
        for p in ("stage1_", "stage2_")
        for pair in (
            (p + "reopened_on", p + "response_on"),
            (p + "reopened_on", p + "reopen_reason"),
            (p + "reopen_reason", p + "reopened_on"),
            (p + "reopened_response_on", p + "reopened_on"),
            (p + "reopened_response_on", p + "reopened_outcome"),
            (p + "reopened_outcome", p + "reopened_response_on"),
        )
    ),
)
PAYMENT_STAGES = ("1", "2", "3", "ombudsman")
#: Refusals of a row's receipt that are better blamed on another column than received_on.
RECEIPT_BLAME = {"unknown-team": "team", "unknown-service-area": "service_area"}


# ----------------------------------------------------------------------- results
@dataclass(frozen=True, order=True)
class RowError:
    """Why a row cannot be imported: its row number (the header is row 1), the column
    at fault and the reason, with the rule broken in brackets."""

    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.reason}"


@dataclass
class CasePlan:
    """What one row implies: a new case with its pending events, or one already in the
    ledger with the same history (``existing`` true, nothing to write)."""

    row: int
    ref: str
    complaint: Complaint
    existing: bool = False
    #: Events recorded on the case after the ones its row implies (when existing).
    later_events: int = 0

    @property
    def events(self) -> list[Any]:
        return list(self.complaint.pending_events)


@dataclass
class ImportPlan:
    """The outcome of validating a whole file; nothing has been written yet."""

    source: str
    actor: str
    cases: list[CasePlan] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def new(self) -> list[CasePlan]:
        return [c for c in self.cases if not c.existing]

    @property
    def skipped(self) -> list[CasePlan]:
        return [c for c in self.cases if c.existing]

    @property
    def event_count(self) -> int:
        return sum(len(c.complaint.pending_events) for c in self.new)


class ImportRefused(errors.BadData):
    """The file has errors; nothing was written."""


# ------------------------------------------------------------------------ reading
def read_table(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header (as written) and the data rows, each with its row number, as text.

    CSV (UTF-8, with or without a byte-order mark) or the first sheet of an XLSX
    workbook; rows that are entirely blank are left out.
    """
    suffix = path.suffix.lower()
    if suffix == ".csv":
        table = _read_csv(path)
    elif suffix in (".xlsx", ".xlsm"):
        table = _read_xlsx(path)
    else:
        raise errors.BadData(f"{path.name}: expected a .csv or .xlsx file")
    header: list[str] = []
    rows: list[tuple[int, dict[str, str]]] = []
    for number, cells in enumerate(table, start=HEADER_ROW):
        if number == HEADER_ROW:
            header = [cell.strip() for cell in cells]
            continue
        if not any(cell.strip() for cell in cells):
            continue
        padded = list(cells) + [""] * (len(header) - len(cells))
        rows.append((number, dict(zip(header, padded, strict=False))))
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            rows[-1][1]["\x00extra"] = "x"
    if not header:
        raise errors.BadData(f"{path.name} is empty: expected a header row")
    return header, rows


def _read_csv(path: Path) -> Iterator[list[str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            yield from csv.reader(handle)
    except UnicodeDecodeError as error:
        raise errors.BadData(f"{path.name} is not UTF-8 text ({error.reason})") from None
    except csv.Error as error:
        raise errors.BadData(f"{path.name} is not readable CSV ({error})") from None


def _read_xlsx(path: Path) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
        formulas = load_workbook(path, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise errors.BadData(f"{path.name} is not a readable XLSX workbook ({error})") from None
    try:
        sheet = workbook.worksheets[0]
        written = formulas.worksheets[0].iter_rows()
        for values in sheet.iter_rows(values_only=True):
            cells = next(written, ())
            for value, cell in zip(values, cells, strict=False):
                if value is None and cell.data_type == "f":
                    raise errors.BadData(_formula_without_value(path, cell))
            yield [_cell_text(value) for value in values]
    finally:
        workbook.close()
        formulas.close()


def _formula_without_value(path: Path, cell: Any) -> str:
    """A formula cell the workbook holds no computed value for (written by a program
    that never calculated it): read as blank, it would drop what it stands for."""
    return (
        f"{path.name}: cell {cell.coordinate} holds the formula {str(cell.value)[:40]!r} "
        "with no computed value; open the file in a spreadsheet and save it (or type "
        "the value) before importing"
    )


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_HEADER_GAPS = re.compile(r"[\s\-]+")


@lru_cache(maxsize=4096)
def header_key(name: str) -> str:
    """``Stage1 Response On`` and ``stage1-response-on`` both mean ``stage1_response_on``.

    Worked out once per header name (every row of a table asks for every column's)."""
    return _HEADER_GAPS.sub("_", name.strip().lower())


# ----------------------------------------------------------------------- parsing
#: The fixed lists a ``name`` column may name, and what one of their names is called.
FIXED_NAMES: dict[str, tuple[str, tuple[str, ...]]] = {
    "triage": ("procedure or triage decision", TRIAGE_DECISIONS),
    "outcomes": ("outcome", STAGE_OUTCOMES),
    "payment stages": ("payment stage", PAYMENT_STAGES),
    "ombudsman": ("Ombudsman decision", OMBUDSMAN_DECISIONS),
    "joint bodies": ("joint body", JOINT_BODIES),
    "joint leads": ("lead", JOINT_LEADS),
}


def _name(column: Column, text: str, policy: ProcedurePolicy) -> str:
    """A name (or label) in the column's list, as the command line reads one."""
    assert column.names is not None
    if column.names in TAXONOMY_KINDS:
        return policy.taxonomy.name_of(column.names, text)
    kind, names = FIXED_NAMES[column.names]
    return name_of(kind, text, names)


def _names(column: Column, text: str, policy: ProcedurePolicy) -> list[str]:
    """Every name in a ``;``-separated cell, in order (repeats kept)."""
    parts = [part for part in LIST_SEPARATOR.split(text) if part.strip()]
    return [_name(column, part, policy) for part in parts]


def parse_value(column: Column, text: str, policy: ProcedurePolicy) -> Any:
    """The cell's value, or :class:`~domain.errors.Refused` saying what is wrong.

    Dates, amounts and names are read by :mod:`domain.vocabulary`, exactly as the
    command line reads them (ADR 0017).
    """
    kind = column.kind
    if kind == "reference":
        return check_reference(text.strip())
    if kind == "date":
        return parse_date(text)
    if kind == "text":
        return text.strip()
    if kind == "name":
        return _name(column, text, policy)
    if kind == "names":
        return list(dict.fromkeys(_names(column, text, policy)))
    if kind == "recommendations":
        if text.strip().isdigit():
            count = int(text.strip())
            if not 1 <= count <= 50:
                raise errors.BadData(f"{count} recommendations: expected 1 to 50")
            return [None] * count
        return _names(column, text, policy)
    if kind == "amount":
        return parse_amount(text)
    if kind == "score":  # the scale is the domain's rule (check_scores), per row
        if not text.strip().isdigit():
            raise errors.BadData(f"{text!r} is not a whole-number score")
        return int(text.strip())
    if kind == "days":
        if not text.strip().isdigit():
            raise errors.BadData(f"{text!r} is not a whole number of working days")
        return int(text.strip())
    raise AssertionError(f"unknown column kind {kind}")


def parse_row(
    number: int, raw: dict[str, str], policy: ProcedurePolicy
) -> tuple[dict[str, Any], list[RowError]]:
    """A row's values by column name (``None`` when blank) and what is wrong with them."""
    values: dict[str, Any] = dict.fromkeys(COLUMN_NAMES)
    problems: list[RowError] = []
    if raw.pop("\x00extra", None):
        problems.append(RowError(number, "-", "more cells than the header has columns [bad-data]"))
    by_key = {header_key(k): v for k, v in raw.items()}
    for column in COLUMNS:
        text = (by_key.get(column.name) or "").strip()
        if not text:
            if column.name in REQUIRED:
                problems.append(RowError(number, column.name, "a value is required [bad-data]"))
            continue
        try:
            values[column.name] = parse_value(column, text, policy)
        except errors.Refused as refusal:
            problems.append(RowError(number, column.name, str(refusal)))
    for given, needed in NEEDS:
        if values[given] is not None and values[needed] is None and not _blamed(problems, needed):
            problems.append(RowError(number, needed, f"needed with {given} [bad-data]"))
    return values, problems


def _blamed(problems: Sequence[RowError], column: str) -> bool:
    return any(p.column == column for p in problems)


# ------------------------------------------------------------------ the row's events
@dataclass
class _Step:
    on: date
    column: str
    run: Callable[[Complaint], Any]
    #: A rule broken by this step that is better blamed on another column.
    blame: dict[str, str] = field(default_factory=dict)


class _RowRefused(Exception):
    def __init__(self, column: str, refusal: errors.Refused) -> None:
        super().__init__(str(refusal))
        self.column = column
        self.refusal = refusal


def build_case(values: dict[str, Any], policy: ProcedurePolicy, actor: str) -> Complaint:
    """The new case the row implies, every step checked by the domain's rules.

    Raises :class:`_RowRefused` with the column to blame at the first refused step.
    """
    v = values
    ref: str = v["reference"]
    received: date = v["received_on"]
    try:
        complaint = Complaint.receive(
            ref=ref,
            on=received,
            actor=actor,
            policy=policy,
            channel=v["channel"],
            role=v["role"],
            service_area=v["service_area"],
            team=v["team"],
            reasons=v["reasons"] or [],
            matter_on=v["matter_on"],
        )
    except errors.Refused as refusal:
        raise _RowRefused(RECEIPT_BLAME.get(refusal.rule, "received_on"), refusal) from None
    _check_texts(complaint, 0, None)
    main, floating = _steps(v, policy, actor)
    for step in _in_date_order(main, floating):
        done = len(complaint.pending_events)
        try:
            step.run(complaint)
        except errors.Refused as refusal:
            raise _RowRefused(step.blame.get(refusal.rule, step.column), refusal) from None
        _check_texts(complaint, done, step.column)
    return complaint


def _check_texts(complaint: Complaint, since: int, column: str | None) -> None:
    """The texts of the steps after the first ``since`` checked as the ledger checks
    them when it saves (ADR 0025), so a name it would refuse is an error of its row and
    ``column`` (of the receipt: the field's own column), not of the whole file (ADR 0044)."""
    for event in complaint.pending_events[since:]:
        for name, value in vars(event).items():
            if name in UNCHECKED_FIELDS:
                continue
            try:
                check_text(name, value)
            except errors.BadData as refusal:
                raise _RowRefused(column or name, refusal) from None


def _call(action: str, **arguments: Any) -> Callable[[Complaint], Any]:
    """The domain command ``action`` with its arguments, to run on the case."""
    return lambda complaint: getattr(complaint, action)(**arguments)


def _steps(
    v: dict[str, Any], policy: ProcedurePolicy, actor: str
) -> tuple[list[_Step], list[_Step]]:
    """The main line (the stages, in procedure order) and the steps that fall wherever
    their dates put them (acknowledgement, payment, the Ombudsman, decisions on
    recommendations)."""
    who: dict[str, Any] = {"actor": actor, "policy": policy}
    main: list[_Step] = []
    floating: list[_Step] = []
    triaged_on = v["triaged_on"] or v["received_on"]
    main.append(
        _Step(
            triaged_on,
            "triaged_on" if v["triaged_on"] else "procedure",
            _call(
                "triage",
                on=triaged_on,
                decision=v["procedure"] or "statutory",
                reason=v["triage_reason"],
                late_reason=v["late_reason"],
                **who,
            ),
            {"one-year-time-limit": "late_reason"},
        )
    )
    if v["acknowledged_on"]:
        on = v["acknowledged_on"]
        floating.append(_Step(on, "acknowledged_on", _call("acknowledge", on=on, **who)))
    last_response: tuple[int, date] | None = None
    after_response = 0
    for n in (1, 2, 3):
        p = f"stage{n}_"
        if n > 1 and v[p + "requested_on"]:
            on = v[p + "requested_on"]
            escalate = _call("escalate", on=on, late_reason=v[p + "late_reason"], **who)
            blame = {"escalation-time-limit": p + "late_reason"}
            main.append(_Step(on, p + "requested_on", escalate, blame))
        if n < 3 and v[p + "extended_on"]:
            on = v[p + "extended_on"]
            days = v.get(p + "extended_days")
            reason = v[p + "extension_reason"] or DEFAULT_EXTENSION_REASON
            extend = _call("extend", on=on, reason=reason, working_days=days, **who)
            blame = {"extension-maximum": p + "extended_days"} if days else {}
            main.append(_Step(on, p + "extended_on", extend, blame))
        if n == 3 and v["stage3_panel_on"]:
            on = v["stage3_panel_on"]
            main.append(_Step(on, "stage3_panel_on", _call("hold_panel", on=on, **who)))
            if v["stage3_panel_report_on"]:
                on = v["stage3_panel_report_on"]
                report = _call("report_panel", on=on, **who)
                main.append(_Step(on, "stage3_panel_report_on", report))
        if v[p + "response_on"]:
            on = v[p + "response_on"]
            respond = _call(
                "respond",
                on=on,
                stage=n,
                outcome=v[p + "outcome"],
                remedies=v[p + "remedies"] or [],
                **who,
            )
            main.append(_Step(on, p + "response_on", respond))
            last_response = (n, on)
            after_response = len(main)
        if n < 3 and v[p + "reopened_on"]:  # ADR 0043
            on = v[p + "reopened_on"]
            reopen = _call("reopen_stage", on=on, reason=v[p + "reopen_reason"], stage=n, **who)
            main.append(_Step(on, p + "reopened_on", reopen))
            if v[p + "reopened_response_on"]:
                on = v[p + "reopened_response_on"]
                outcome = v[p + "reopened_outcome"]
                again = _call("respond", on=on, stage=n, outcome=outcome, remedies=[], **who)
                main.append(_Step(on, p + "reopened_response_on", again))
                last_response = (n, on)
                after_response = len(main)
    # Recommendations come with the last response, before any later request.
    themes: list[str | None] = v["recommendations"] or []
    ids = [f"R{i}" for i in range(1, len(themes) + 1)]
    if themes:
        if last_response is None:
            main.append(_Step(v["received_on"], "recommendations", _needs_a_response))
        else:
            stage, made_on = last_response
            main[after_response:after_response] = [
                _Step(
                    made_on,
                    "recommendations",
                    _call(
                        "recommend",
                        on=made_on,
                        recommendation_id=rec_id,
                        stage=str(stage),
                        theme=theme,
                        **who,
                    ),
                )
                for rec_id, theme in zip(ids, themes, strict=True)
            ]
    if v["withdrawn_on"]:
        on = v["withdrawn_on"]
        withdraw = _call("withdraw", on=on, reason=v["withdrawal_reason"], **who)
        main.append(_Step(on, "withdrawn_on", withdraw))
    if themes and v["recommendations_accepted_on"]:
        on = v["recommendations_accepted_on"]
        for rec_id in ids:
            accept = _call(
                "decide_recommendation", on=on, recommendation_id=rec_id, accepted=True, **who
            )
            floating.append(_Step(on, "recommendations_accepted_on", accept))
    if themes and v["recommendations_completed_on"]:
        on = v["recommendations_completed_on"]
        for rec_id in ids:
            complete = _call("complete_recommendation", on=on, recommendation_id=rec_id, **who)
            floating.append(_Step(on, "recommendations_completed_on", complete))
    if v["compensation_amount"] is not None:
        paid_on = v["compensation_on"] or (last_response[1] if last_response else None)
        if paid_on is None:
            floating.append(_Step(v["received_on"], "compensation_on", _needs_a_date))
        else:
            compensate = _call(
                "compensate",
                on=paid_on,
                amount=v["compensation_amount"],
                reason=v["compensation_reason"],
                stage=v["compensation_stage"],
                **who,
            )
            column = "compensation_on" if v["compensation_on"] else "compensation_amount"
            floating.append(_Step(paid_on, column, compensate))
    if v["ombudsman_enquiry_on"]:
        on = v["ombudsman_enquiry_on"]
        enquiry = _call("open_ombudsman_enquiry", on=on, ombudsman_ref=v["ombudsman_ref"], **who)
        floating.append(_Step(on, "ombudsman_enquiry_on", enquiry))
        if v["ombudsman_decision_on"]:
            on = v["ombudsman_decision_on"]
            decide = _call(
                "record_ombudsman_decision", on=on, decision=v["ombudsman_decision"], **who
            )
            floating.append(_Step(on, "ombudsman_decision_on", decide))
    floating.extend(_casework_steps(v, who))
    return main, floating


def _casework_steps(v: dict[str, Any], who: dict[str, Any]) -> list[_Step]:
    """The provider and joint complaint a row names (ADR 0039)."""
    steps: list[_Step] = []
    if v["provider"]:
        on = v["received_on"]
        named = _call("name_provider", on=on, provider=v["provider"], **who)
        steps.append(_Step(on, "provider", named))
    if v["joint_with"]:
        on = v["joint_on"] or v["received_on"]
        joint = _call(
            "record_joint_complaint", on=on, body=v["joint_with"], lead=v["joint_lead"], **who
        )
        steps.append(_Step(on, "joint_on" if v["joint_on"] else "joint_with", joint))
        if v["joint_agreed_on"]:
            agreed = v["joint_agreed_on"]
            steps.append(
                _Step(agreed, "joint_agreed_on", _call("agree_joint_response", on=agreed, **who))
            )
    for column, kind, stage in COST_COLUMNS:
        if v[column] is not None and v[f"stage{stage}_response_on"]:
            on = v[f"stage{stage}_response_on"]
            paid = _call("record_cost", on=on, kind=kind, amount=v[column], stage=stage, **who)
            steps.append(_Step(on, column, paid))
    steps.extend(_survey_steps(v, who))
    return steps


#: The survey's score columns and the questions they answer (ADR 0043).
SURVEY_COLUMNS = (
    ("survey_overall", "overall"),
    ("survey_kept_informed", "kept-informed"),
    ("survey_fairly_treated", "fairly-treated"),
    ("survey_timeliness", "timeliness"),
)


def _survey_steps(v: dict[str, Any], who: dict[str, Any]) -> list[_Step]:
    """The satisfaction survey a row names: sent, and its scores (ADR 0043)."""
    steps: list[_Step] = []
    if v["survey_sent_on"]:
        on = v["survey_sent_on"]
        steps.append(_Step(on, "survey_sent_on", _call("send_survey", on=on, **who)))
        if v["survey_answered_on"]:
            on = v["survey_answered_on"]
            scores = {q: v[column] for column, q in SURVEY_COLUMNS if v[column] is not None}
            answer = _call("answer_survey", on=on, scores=scores, **who)
            steps.append(_Step(on, "survey_answered_on", answer))
    return steps


#: The cost columns: the kind of cost each records, and its stage (paid on its response).
COST_COLUMNS = (
    ("stage2_investigator_cost", "independent-investigator", "2"),
    ("stage2_independent_person_cost", "independent-person", "2"),
    ("stage3_panel_cost", "panel-member", "3"),
)


def _needs_a_response(_: Complaint) -> None:
    raise errors.BadData("recommendations are made with a response; no stage response is given")


def _needs_a_date(_: Complaint) -> None:
    raise errors.BadData("a payment needs compensation_on when no stage response is given")


def _in_date_order(main: list[_Step], floating: list[_Step]) -> Iterator[_Step]:
    """The main line in procedure order, with each floating step placed before the
    first main-line step dated after it (floating steps keep their own order on ties).

    Main-line dates out of order are left for the domain's date rule to refuse."""
    pending = sorted(enumerate(floating), key=lambda item: (item[1].on, item[0]))
    queue = [step for _, step in pending]
    index = 0
    for step in main:
        while index < len(queue) and queue[index].on < step.on:
            yield queue[index]
            index += 1
        yield step
    yield from queue[index:]


# ---------------------------------------------------------------- the whole file
def plan_import(
    ledger: Ledger,
    header: Sequence[str],
    rows: Sequence[tuple[int, dict[str, str]]],
    actor: str,
    source: str,
    progress: Callable[[int], None] | None = None,
) -> ImportPlan:
    """Check every row (nothing is written) and compare with what the ledger holds.
    The plan keeps every case it builds, so the cycle collector is paused meanwhile."""
    with collector_paused():
        return _plan_import(ledger, header, rows, actor, source, progress)


def _plan_import(
    ledger: Ledger,
    header: Sequence[str],
    rows: Sequence[tuple[int, dict[str, str]]],
    actor: str,
    source: str,
    progress: Callable[[int], None] | None,
) -> ImportPlan:
    policy = import_policy(ledger.policy)
    plan = ImportPlan(source=source, actor=actor)
    plan.errors.extend(_header_problems(header))
    if plan.errors:
        return plan
    first_row: dict[str, int] = {}
    for number, raw in rows:
        values, problems = parse_row(number, dict(raw), policy)
        ref = values["reference"]
        if ref is not None:
            if ref in first_row:
                problems.append(
                    RowError(
                        number,
                        "reference",
                        f"{ref} appears again (first on row {first_row[ref]}) "
                        "[duplicate-reference]",
                    )
                )
            else:
                first_row[ref] = number
        if not problems:
            try:
                complaint = build_case(values, policy, actor)
            except _RowRefused as refused:
                problems.append(RowError(number, refused.column, str(refused.refusal)))
            else:
                plan.cases.append(CasePlan(number, ref, complaint))
        plan.errors.extend(problems)
        if progress is not None:
            progress(1)
    _compare_with_ledger(ledger, plan)
    plan.errors.sort()
    return plan


def _header_problems(header: Sequence[str]) -> list[RowError]:
    problems: list[RowError] = []
    seen: set[str] = set()
    for name in header:
        key = header_key(name)
        if not key:
            continue
        if key not in COLUMN_NAMES:
            problems.append(
                RowError(
                    HEADER_ROW,
                    name,
                    "unknown column (see docs/import-format.md for the columns) [bad-data]",
                )
            )
        elif key in seen:
            problems.append(RowError(HEADER_ROW, name, "column appears twice [bad-data]"))
        seen.add(key)
    for name in REQUIRED:
        if name not in seen:
            problems.append(RowError(HEADER_ROW, name, "required column is missing [bad-data]"))
    return problems


def _compare_with_ledger(ledger: Ledger, plan: ImportPlan) -> None:
    """Mark rows whose case the ledger already holds with the same history; a different
    history is an error (the row would not be what is recorded)."""
    wanted = {case_id(c.ref): c for c in plan.cases}
    recorded = recorded_events(ledger, list(wanted))
    for identity, events in recorded.items():
        case = wanted[identity]
        implied = [_comparable(e, ledger.policy) for e in case.complaint.pending_events]
        stored = [_comparable(e, ledger.policy) for e in events]
        if stored[: len(implied)] == implied:
            case.existing = True
            case.later_events = len(stored) - len(implied)
        else:
            first = next(
                (i for i, (a, b) in enumerate(zip(implied, stored, strict=False)) if a != b),
                min(len(implied), len(stored)),
            )
            what = _difference(implied, stored, first, case.complaint.pending_events, events)
            plan.errors.append(
                RowError(
                    case.row,
                    "reference",
                    f"{case.ref} exists with a different history ({what}) [duplicate-reference]",
                )
            )
    plan.cases = [c for c in plan.cases if not _blamed_row(plan.errors, c.row)]


def _blamed_row(problems: Sequence[RowError], row: int) -> bool:
    return any(p.row == row for p in problems)


_NOT_COMPARED = {"originator_id", "originator_version", "timestamp", "originator_topic", "actor"}


def _comparable(event: Any, policy: ProcedurePolicy) -> tuple[str, dict[str, Any]]:
    """An event's type and facts: not who recorded it or when (a second import runs
    later, perhaps from a renamed file). Teams and service areas compare as the names
    they stand for, so a case imported before a register existed (as ``CIN``) is the
    same case when the file is imported again with one (``Children in Need``)."""
    state = {k: v for k, v in vars(event).items() if k not in _NOT_COMPARED}
    # Typed text is kept in a sealed note, the step holding a marker (ADR 0021): the
    # row's text and the stored marker compare by whether there was any.
    for key in FREE_TEXT.get(type(event), ()):
        state[key] = bool(state.get(key))
    for kind, key in ((TEAM, "team"), (SERVICE_AREA, "service_area")):
        if isinstance(state.get(key), str):
            state[key] = _same_name(kind, state[key], policy)
    return type(event).__name__, state


def _same_name(kind: str, name: str, policy: ProcedurePolicy) -> str:
    register = policy.register(kind)
    entry = register.entry(name) if register is not None else None
    return normal(entry.name if entry is not None else name)


def _difference(
    implied: Sequence[tuple[str, dict[str, Any]]],
    stored: Sequence[tuple[str, dict[str, Any]]],
    index: int,
    row_events: Sequence[Any],
    ledger_events: Sequence[Any],
) -> str:
    """How the first differing event differs, naming the fields that differ (with the
    values as written) when both sides have an event of the same type there."""
    fields: list[str] = []
    if index < len(implied) and index < len(stored) and implied[index][0] == stored[index][0]:
        row, held = implied[index][1], stored[index][1]
        fields = [k for k in dict.fromkeys([*row, *held]) if row.get(k) != held.get(k)]
    if not fields:
        return (
            f"event {index + 1} differs: the row implies {_describe(implied, index)}, "
            f"the ledger has {_describe(stored, index)}"
        )
    named = ", ".join("date" if k == "on" else k for k in fields)
    shown = [k for k in fields if k != "on"]
    return (
        f"event {index + 1} differs in {named}: the row implies "
        f"{_describe(implied, index, shown, row_events)}, the ledger has "
        f"{_describe(stored, index, shown, ledger_events)}"
    )


def _describe(
    events: Sequence[tuple[str, dict[str, Any]]],
    index: int,
    fields: Sequence[str] = (),
    originals: Sequence[Any] = (),
) -> str:
    if index >= len(events):
        return "nothing more"
    kind, state = events[index]
    on = state.get("on")
    text = f"{kind} on {on.isoformat()}" if isinstance(on, date) else kind
    if fields:
        written = vars(originals[index])
        text += " with " + ", ".join(f"{k} {_shown(written.get(k))}" for k in fields)
    return text


def _shown(value: Any) -> str:
    if value is None or value == [] or value == "":
        return "(none)"
    if isinstance(value, str):
        return repr(value)
    return str(_plain(value))


def recorded_events(ledger: Ledger, identities: Sequence[UUID]) -> dict[UUID, list[Any]]:
    """The recorded events of those aggregates that exist, in version order, read in
    bulk (one query per few hundred aggregates)."""
    table = events_table(ledger)

    def work() -> dict[UUID, list[Any]]:
        session = ledger.sessions()
        found: dict[UUID, list[Any]] = {}
        for start in range(0, len(identities), 500):
            chunk = identities[start : start + 500]
            query = (
                select(
                    table.c.originator_id,
                    table.c.originator_version,
                    table.c.topic,
                    table.c.state,
                )
                .where(table.c.originator_id.in_(chunk))
                .order_by(table.c.originator_id, table.c.originator_version)
            )
            for row in session.execute(query):
                stored = StoredEvent(
                    originator_id=row.originator_id,
                    originator_version=row.originator_version,
                    topic=row.topic,
                    state=bytes(row.state),
                )
                event = ledger.mapper.to_domain_event(stored)
                found.setdefault(UUID(str(row.originator_id)), []).append(event)
        return found

    return ledger.read(work)


# ------------------------------------------------------------------------ writing
def write_plan(
    ledger: Ledger,
    plan: ImportPlan,
    chunk_size: int = CHUNK_SIZE,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Record the new cases, ``chunk_size`` cases per transaction; returns the events
    written. Call only with a plan that has no errors."""
    if plan.errors:
        raise ImportRefused(f"{len(plan.errors)} errors; nothing was written")
    written = 0
    for chunk in chunked(plan.new, chunk_size):
        events = sum(len(c.complaint.pending_events) for c in chunk)
        ledger.record_many([c.complaint for c in chunk])
        written += events
        if progress is not None:
            progress(len(chunk))
    return written


def chunked(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def describe_event(event: Any) -> str:
    """One event as the dry run shows it: type, date and the facts that matter."""
    state = {k: v for k, v in vars(event).items() if k not in _NOT_COMPARED | {"on"}}
    details = ", ".join(
        f"{k}={_plain(v)}" for k, v in state.items() if v not in (None, [], "", 0, False)
    )
    on = getattr(event, "on", None)
    text = f"{type(event).__name__} {on.isoformat() if isinstance(on, date) else ''}".strip()
    return f"{text} ({details})" if details else text


def _plain(value: Any) -> Any:
    if isinstance(value, (date, Decimal)):
        return str(value)
    if isinstance(value, list):
        return "/".join(str(v) for v in value)
    return value


def import_policy(policy: ProcedurePolicy) -> ProcedurePolicy:
    """The policy with today's date fixed, as every command gets it."""
    return policy if policy.today is not None else replace(policy, today=date.today())
