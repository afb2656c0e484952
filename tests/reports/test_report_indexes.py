"""The annual report counts the stages and representations of a period from the
indexes alone (ADR 0054): each index it ranges over holds every column the statement
counts, so SQLite never reads the tables' rows for them.

A structural assertion, not a timing: SQLite's ``EXPLAIN QUERY PLAN`` of each statement,
on a small generated ledger, names a covering index for every search of ``rm_stage``
and ``rm_representation``. Narrowing one of those indexes, or counting a column it does
not hold, fails it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy.dialects import sqlite

from demo.generator import generate
from ledger.application import Ledger
from reports import annual

#: The statements over a period's stages and representations that count from an index.
COUNTED_FROM_THE_INDEX = (
    annual._responses_statement,
    annual._tallies_statement,
    annual._representation_tallies_statement,
    annual._representation_breakdowns_statement,
)


def _plan(ledger: Ledger, statement: Any) -> list[str]:
    end = date(2024, 3, 31)
    values = {
        "procedure": "statutory",
        "start": date(2023, 4, 1),
        "end": end,
        "month_before_end": end - timedelta(days=30),
        "quarter_before_end": end - timedelta(days=90),
    }
    sql = str(
        statement.params(**values).compile(
            dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}
        )
    )
    with ledger.engine.connect() as connection:
        return [str(row[-1]) for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)]


def test_the_annual_reports_stage_and_representation_counts_read_only_their_indexes(
    sqlite_url: str,
) -> None:
    ledger = Ledger(sqlite_url)
    try:
        for chunk in generate(2026, 2, 20, 2022, ledger.policy):
            ledger.record_many(chunk)
        ledger.annual_report(annual.parse_year("2023"), "statutory")  # caught up
        for build in COUNTED_FROM_THE_INDEX:
            searches = [
                step
                for step in _plan(ledger, build())
                if step.startswith(("SEARCH rm_stage", "SEARCH rm_representation"))
            ]
            assert searches, build.__name__
            for step in searches:
                assert "USING COVERING INDEX" in step, (build.__name__, step)
    finally:
        ledger.close()
