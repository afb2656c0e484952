"""``complaints import`` of legacy rows (CSV and XLSX): every row checked first, errors
listed by row and column with nothing written, idempotent, progress on stderr."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest

from domain.vocabulary import name_key
from ledger.application import Ledger
from ledger.store.storage import events_table
from tests.cli.conftest import Complaints
from transfer.importer import COLUMN_NAMES, header_key, parse_date

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "legacy-import.csv"
EXAMPLE_CASES = 11
EXAMPLE_EVENTS = 63


def events_in(db: str) -> int:
    """The steps recorded: every event but the sealed notes that hold the rows' typed
    reasons (ADR 0021), which the importer's count of events leaves out."""
    ledger = Ledger(db)
    try:
        return ledger.read(ledger.last_position) - notes_in(ledger)
    finally:
        ledger.close()


def notes_in(ledger: Ledger) -> int:
    from sqlalchemy import func, select

    events = events_table(ledger)

    def count() -> int:
        question = select(func.count()).where(events.c.topic.like("domain.personal:%"))
        return int(ledger.sessions().execute(question).scalar_one())

    return ledger.read(count)


def write_rows(path: Path, rows: list[dict[str, str]], header: list[str] | None = None) -> Path:
    names = header or list(dict.fromkeys(k for row in rows for k in row))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=names, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def facts(history: list[dict[str, Any]]) -> list[tuple[str, str, Any]]:
    """What happened, leaving out who recorded it and when."""
    return [(e["type"], e["on"], e["data"]) for e in history]


GOOD = {
    "reference": "G-1",
    "received_on": "2024-05-01",
    "channel": "email",
    "stage1_response_on": "2024-05-10",
    "stage1_outcome": "upheld",
}


# ------------------------------------------------------------------- the example
def test_example_file_becomes_the_events_its_rows_imply(db_url: str, tmp_path: Path) -> None:
    complaints = Complaints(db_url)
    source = shutil.copy(EXAMPLE, tmp_path / "council-export.csv")
    result = complaints("import", str(source))
    assert result.exit_code == 0, result.output
    assert f"imported {EXAMPLE_CASES} cases ({EXAMPLE_EVENTS} events)" in result.stdout
    assert "Recording cases" in result.stderr  # the progress bar
    assert events_in(db_url) == EXAMPLE_EVENTS

    history = complaints.history("LEG-2024-0107")
    assert {e["actor"] for e in history} == {"import:council-export.csv"}
    assert [(e["type"], e["on"]) for e in history] == [
        ("Received", "2024-07-01"),
        ("Triaged", "2024-07-01"),
        ("Acknowledged", "2024-07-02"),
        ("Responded", "2024-07-12"),
        ("EscalationRequested", "2024-07-26"),
        ("Responded", "2024-08-30"),
        ("EscalationRequested", "2024-09-13"),
        ("PanelMet", "2024-10-17"),
        ("PanelReported", "2024-10-22"),
        ("Responded", "2024-11-08"),
        ("RecommendationMade", "2024-11-08"),
        ("RecommendationAccepted", "2024-11-15"),
        ("OmbudsmanEnquiryOpened", "2025-01-20"),
        ("OmbudsmanDecided", "2025-04-10"),
        ("CompensationAgreed", "2025-05-01"),
    ]
    case = complaints.json("show", "LEG-2024-0102")
    assert [s["working_days"] for s in case["stages"]] == [20, 65]
    assert case["compensation"] == [
        {"on": "2024-08-09", "stage": "2", "amount": "250.00", "reason": "time-and-trouble"}
    ]
    assert [r["status"] for r in case["recommendations"]] == ["completed", "completed"]
    uk = complaints.json("show", "LEG-2025-0111")  # DD/MM/YYYY and "Partly Upheld"
    assert uk["received_on"] == "2025-02-03"
    assert uk["stages"][0]["outcome"] == "partly-upheld"
    assert complaints.json("show", "LEG-2024-0109")["compensation"][0]["amount"] == "1345.50"
    assert complaints.json("show", "LEG-2024-0105")["status"] == "redirected"
    assert complaints.json("show", "LEG-2024-0106")["status"] == "withdrawn"

    report = complaints.json("report", "annual", "--year", "2024")
    assert report["stage1"]["received"] == 9
    assert report["stage2"]["received"] == 2
    assert report["stage3"]["panels_held"] == 1
    assert report["compensation"]["total"] == "1595.50"  # the £500 was agreed in 2025/26


def test_importing_the_same_file_twice_records_nothing_the_second_time(
    db_url: str,
) -> None:
    complaints = Complaints(db_url)
    complaints.ok("import", str(EXAMPLE))
    before = complaints.history("LEG-2024-0102")
    second = complaints("import", str(EXAMPLE))
    assert second.exit_code == 0, second.output
    assert "imported 0 cases (0 events)" in second.stdout
    assert f"{EXAMPLE_CASES} already in the ledger with the same history, skipped" in second.stdout
    assert events_in(db_url) == EXAMPLE_EVENTS
    assert complaints.history("LEG-2024-0102") == before


def test_a_case_carried_on_after_the_import_is_still_skipped(
    sqlite_url: str, tmp_path: Path
) -> None:
    complaints = Complaints(sqlite_url)
    complaints.ok("import", str(EXAMPLE))
    complaints.ok("respond", "LEG-2025-0110", "--on", "2025-01-17", "--outcome", "not-upheld")
    copy = shutil.copy(EXAMPLE, tmp_path / "renamed.csv")  # another name: another actor
    result = complaints("import", str(copy))
    assert result.exit_code == 0, result.output
    assert events_in(sqlite_url) == EXAMPLE_EVENTS + 1


def test_a_reference_with_a_different_history_is_an_error(sqlite_url: str, tmp_path: Path) -> None:
    complaints = Complaints(sqlite_url)
    complaints.ok("receive", "--ref", "G-1", "--on", "2024-05-02", "--procedure", "statutory")
    source = write_rows(tmp_path / "rows.csv", [GOOD, {**GOOD, "reference": "G-2"}])
    result = complaints("import", str(source))
    assert result.exit_code == 1
    assert "row 2, column reference: G-1 exists with a different history" in result.stderr
    assert "Received on 2024-05-01" in result.stderr and "Received on 2024-05-02" in result.stderr
    assert events_in(sqlite_url) == 2  # G-2 was not written either


def test_a_conflict_names_the_field_that_differs(db_url: str, tmp_path: Path) -> None:
    complaints = Complaints(db_url)
    complaints.ok(
        "receive", "--ref", "G-1", "--on", "2024-05-01", "--procedure", "statutory",
        "--channel", "letter",
    )  # fmt: skip
    source = write_rows(tmp_path / "rows.csv", [GOOD])
    result = complaints("import", str(source))
    assert result.exit_code == 1
    assert (
        "row 2, column reference: G-1 exists with a different history (event 1 differs "
        "in channel: the row implies Received on 2024-05-01 with channel 'email', the "
        "ledger has Received on 2024-05-01 with channel 'letter')"
    ) in result.stderr, result.stderr


# --------------------------------------------------------------------- validation
BAD_ROWS = [
    {**GOOD, "reference": "V-1"},  # row 2: fine
    {**GOOD, "reference": "V-2", "received_on": "2024-02-30"},  # row 3
    {**GOOD, "reference": "V-3", "stage1_outcome": "sort-of-upheld"},  # row 4
    {**GOOD, "reference": "V-4", "stage1_response_on": "2024-04-20"},  # row 5: before receipt
    {  # row 6: Stage 2 asked for long after the response, no reason given
        **GOOD,
        "reference": "V-5",
        "stage2_requested_on": "2024-08-01",
    },
    {**GOOD, "reference": "V-1"},  # row 7: the same reference again
    {**GOOD, "reference": "", "channel": "carrier-pigeon"},  # row 8: two problems
    {**GOOD, "reference": "V-8", "stage1_outcome": ""},  # row 9: response with no outcome
    {**GOOD, "reference": "V-9", "compensation_amount": "-5"},  # row 10
    {**GOOD, "reference": "V-10", "received_on": "2099-01-01"},  # row 11: in the future
]
EXPECTED_ERRORS = [
    (3, "received_on", "not a date"),
    (4, "stage1_outcome", "[unknown-name]"),
    (5, "stage1_response_on", "[date-order]"),
    (6, "stage2_late_reason", "[escalation-time-limit]"),
    (7, "reference", "V-1 appears again (first on row 2) [duplicate-reference]"),
    (8, "reference", "a value is required"),
    (8, "channel", "unknown channel 'carrier-pigeon'"),
    (9, "stage1_outcome", "needed with stage1_response_on"),
    (10, "compensation_amount", "must be more than zero"),
    (11, "received_on", "[date-order]"),
]


def test_every_row_is_checked_and_errors_are_listed_with_nothing_written(
    db_url: str, tmp_path: Path
) -> None:
    complaints = Complaints(db_url)
    complaints.ok("receive", "--ref", "EXISTING", "--on", "2024-04-02")
    source = write_rows(
        tmp_path / "bad.csv", BAD_ROWS, header=[*GOOD, "stage2_requested_on", "compensation_amount"]
    )
    result = complaints("import", str(source))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == (
        f"Error: bad.csv: {len(EXPECTED_ERRORS)} errors in 9 of {len(BAD_ROWS)} rows; "
        "nothing was written [bad-data]"
    )
    problems = [line for line in lines if line.startswith("row ")]
    assert len(problems) == len(EXPECTED_ERRORS), problems
    for row, column, reason in EXPECTED_ERRORS:
        prefix = f"row {row}, column {column}: "
        assert any(p.startswith(prefix) and reason in p for p in problems), (row, problems)
    assert result.stdout == ""
    assert events_in(db_url) == 1  # only EXISTING: nothing from the file, not even V-1


def test_errors_as_json(sqlite_url: str, tmp_path: Path) -> None:
    source = write_rows(tmp_path / "bad.csv", BAD_ROWS[:4])
    result = Complaints(sqlite_url)("import", str(source), "--format", "json")
    assert result.exit_code == 1
    document = orjson.loads(result.stdout)
    assert document["written"] == 0
    assert [(e["row"], e["column"]) for e in document["errors"]] == [
        (3, "received_on"),
        (4, "stage1_outcome"),
        (5, "stage1_response_on"),
    ]


def test_unknown_and_missing_columns_are_errors_of_the_header(
    sqlite_url: str, tmp_path: Path
) -> None:
    source = tmp_path / "header.csv"
    source.write_text("Reference,Date Closed\nH-1,2024-05-01\n", encoding="utf-8")
    result = Complaints(sqlite_url)("import", str(source))
    assert result.exit_code == 1
    assert "row 1, column Date Closed: unknown column" in result.stderr
    assert "row 1, column received_on: required column is missing" in result.stderr
    assert events_in(sqlite_url) == 0


def test_headers_are_matched_loosely(sqlite_url: str, tmp_path: Path) -> None:
    source = tmp_path / "loose.csv"
    source.write_text(
        "\ufeffReference,Received On,Stage1-Response-On,STAGE1 OUTCOME\n"
        "L-1,01/05/2024,2024-05-10,Not Upheld\n\n",
        encoding="utf-8",
    )
    complaints = Complaints(sqlite_url)
    complaints.ok("import", str(source))
    assert complaints.json("show", "L-1")["stages"][0]["outcome"] == "not-upheld"


def test_dry_run_prints_what_would_be_recorded_and_writes_nothing(
    db_url: str,
) -> None:
    complaints = Complaints(db_url)
    result = complaints("import", str(EXAMPLE), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "row 8  LEG-2024-0107: 15 events" in result.stdout
    assert "    PanelMet 2024-10-17" in result.stdout
    assert "    CompensationAgreed 2024-12-09 (stage=1, amount=1345.50, reason=loss)" in (
        result.stdout
    )
    assert result.stdout.strip().endswith(
        f"dry run: would record {EXAMPLE_EVENTS} events for {EXAMPLE_CASES} cases from "
        "legacy-import.csv; nothing was written"
    )
    assert events_in(db_url) == 0
    document = complaints.json("import", str(EXAMPLE), "--dry-run")
    assert document["events"] == EXAMPLE_EVENTS and document["written"] == 0
    assert document["new"][0]["events"][0] == {"type": "Received", "on": "2024-04-08"}
    assert events_in(db_url) == 0


def test_small_chunks_write_the_same_ledger(sqlite_url: str, tmp_path: Path) -> None:
    complaints = Complaints(sqlite_url)
    result = complaints("import", str(EXAMPLE), "--chunk-size", "2")
    assert result.exit_code == 0, result.output
    other = Complaints(f"sqlite:///{tmp_path / 'other.db'}")
    other.ok("import", str(EXAMPLE))
    for ref in ("LEG-2024-0101", "LEG-2024-0107", "LEG-2025-0111"):
        assert facts(complaints.history(ref)) == facts(other.history(ref))


# --------------------------------------------------------------------------- XLSX
def test_xlsx_gives_the_same_cases_as_csv(db_url: str, tmp_path: Path) -> None:
    from openpyxl import Workbook

    with EXAMPLE.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        cells: list[Any] = []
        for text in row:
            if len(text) == 10 and text[4] == "-" and text[7] == "-":
                cells.append(date.fromisoformat(text))  # real date cells, as Excel keeps them
            elif text.isdigit():
                cells.append(int(text))
            else:
                cells.append(text or None)
        sheet.append(cells)
    workbook.save(tmp_path / "export.xlsx")

    from_xlsx = Complaints(db_url)
    result = from_xlsx("import", str(tmp_path / "export.xlsx"))
    assert result.exit_code == 0, result.output
    assert f"imported {EXAMPLE_CASES} cases ({EXAMPLE_EVENTS} events)" in result.stdout
    from_csv = Complaints(f"sqlite:///{tmp_path / 'csv.db'}")
    from_csv.ok("import", str(EXAMPLE))
    for ref in ("LEG-2024-0102", "LEG-2024-0107", "LEG-2024-0109", "LEG-2025-0111"):
        assert facts(from_xlsx.history(ref)) == facts(from_csv.history(ref))
    again = from_xlsx("import", str(tmp_path / "export.xlsx"))
    assert "imported 0 cases" in again.stdout


def test_an_xlsx_formula_without_a_computed_value_is_an_error_naming_the_cell(
    db_url: str, tmp_path: Path
) -> None:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    with EXAMPLE.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("compensation_amount")
    paid = next(n for n, row in enumerate(rows) if n and row[column])
    rows[paid][column] = "=1+1"  # openpyxl, like many programs, stores no computed value
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append([text or None for text in row])
    workbook.save(tmp_path / "export.xlsx")
    result = Complaints(db_url).refused("import", str(tmp_path / "export.xlsx"))
    cell = f"{get_column_letter(column + 1)}{paid + 1}"
    assert f"export.xlsx: cell {cell} holds the formula '=1+1' with no computed value" in (
        result.stderr
    )
    assert Complaints(db_url).ok("verify").startswith("verified 0 events")


def test_a_file_that_is_neither_csv_nor_xlsx_is_refused(sqlite_url: str, tmp_path: Path) -> None:
    source = tmp_path / "cases.txt"
    source.write_text("reference\n", encoding="utf-8")
    result = Complaints(sqlite_url).refused("import", str(source))
    assert "expected a .csv or .xlsx file" in result.stderr


# -------------------------------------------------------------------------- units
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-04-07", date(2025, 4, 7)),
        ("07/04/2025", date(2025, 4, 7)),
        ("7/4/2025", date(2025, 4, 7)),
        ("2025-04-07 00:00:00", date(2025, 4, 7)),
    ],
)
def test_dates_iso_or_uk(text: str, expected: date) -> None:
    assert parse_date(text) == expected


def test_names_and_headers_are_normalised() -> None:
    assert name_key(" Partly Upheld ") == "partly-upheld"
    assert name_key("via_councillor_mp") == "via-councillor-mp"
    assert header_key("Stage1 Response-On") == "stage1_response_on"


def test_the_format_document_lists_every_column() -> None:
    document = (ROOT / "docs" / "import-format.md").read_text(encoding="utf-8")
    missing = [name for name in COLUMN_NAMES if f"`{name}`" not in document]
    assert not missing
    with EXAMPLE.open(newline="", encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == list(COLUMN_NAMES)


@pytest.mark.parametrize(
    ("column", "value"),
    [("team", "Locality\x07North"), ("provider", "Acme\x1bCare"), ("provider", "p" * 201)],
    ids=["team-control", "provider-control", "provider-long"],
)
def test_a_name_that_cannot_be_recorded_is_an_error_of_its_row_and_column(
    db_url: str, tmp_path: Path, column: str, value: str
) -> None:
    source = write_rows(tmp_path / "rows.csv", [GOOD, {**GOOD, "reference": "G-2", column: value}])
    result = Complaints(db_url)("import", str(source))
    assert result.exit_code == 1
    assert f"row 3, column {column}: " in result.stderr, result.stderr
    assert events_in(db_url) == 0
