"""The reports ask the database the same number of questions whatever the ledger's size
(ADR 0035): every figure is counted by the database, so a report over a larger ledger
runs the same statements over more rows, never more statements.

A structural assertion, not a timing: the statements each report runs are counted on
an empty ledger, after the first few cases and after every case of a demo ledger."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from demo.generator import generate
from ledger.application import Ledger
from reports.annual import AnnualReport, Period, parse_year
from reports.operational import CaseFilter, case_list, open_cases, recommendations

FIRST_YEAR = 2023
YEARS = 2
CASES_PER_YEAR = 30
FIRST_CHUNK = 8
#: The statements of ``AnnualReport.build`` (the period and last year): 99 before the
#: case's facts were copied onto its rows and the small sections' counts folded (ADR
#: 0045). A report that asks more questions changes this on purpose.
ANNUAL_STATEMENTS = 69


def _statements(ledger: Ledger, question: Callable[[Session], Any]) -> int:
    """How many statements ``question`` sends to the database (the read models caught
    up beforehand, outside the count)."""
    sent: list[str] = []

    def count(_connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        sent.append(statement)

    def asked(session: Session) -> None:
        event.listen(ledger.engine, "before_cursor_execute", count)
        try:
            question(session)
        finally:
            event.remove(ledger.engine, "before_cursor_execute", count)

    ledger.query(asked)
    return len(sent)


def _every_report(ledger: Ledger, period: Period, as_of: date) -> dict[str, int]:
    calendar = ledger.policy.calendar
    questions: dict[str, Callable[[Session], Any]] = {
        "annual statutory": lambda s: AnnualReport(s, "statutory").build(period),
        "annual corporate": lambda s: AnnualReport(s, "corporate").build(period),
        "open": lambda s: open_cases(s, as_of, calendar),
        "recommendations": lambda s: recommendations(s, as_of, None),
        "recommendations open": lambda s: recommendations(s, as_of, "open"),
        "list": lambda s: case_list(s, as_of, calendar, CaseFilter()),
        "list open": lambda s: case_list(s, as_of, calendar, CaseFilter(only_open=True)),
    }
    return {name: _statements(ledger, question) for name, question in questions.items()}


def test_each_report_runs_as_many_statements_on_a_larger_ledger(db_url: str) -> None:
    ledger = Ledger(db_url)
    try:
        first, last = parse_year(str(FIRST_YEAR)), parse_year(str(FIRST_YEAR + YEARS - 1))
        chunks = generate(
            2026, YEARS, CASES_PER_YEAR, FIRST_YEAR, ledger.policy, chunk_size=FIRST_CHUNK
        )
        counted = [(_every_report(ledger, first, first.end), _every_report(ledger, last, last.end))]
        ledger.record_many(next(chunks))
        counted.append(
            (_every_report(ledger, first, first.end), _every_report(ledger, last, last.end))
        )
        for chunk in chunks:
            ledger.record_many(chunk)
        counted.append(
            (_every_report(ledger, first, first.end), _every_report(ledger, last, last.end))
        )
        assert ledger.read(ledger.last_position) > 10 * FIRST_CHUNK
    finally:
        ledger.close()
    empty, few, every = counted
    assert few == empty
    assert every == empty
    assert empty[0] == empty[1]
    assert empty[0]["annual statutory"] == empty[0]["annual corporate"] == ANNUAL_STATEMENTS
