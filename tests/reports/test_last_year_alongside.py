"""Last year's figures are counted by a second reader while this year's are counted
(ADR 0057), and that reader sees exactly what the first sees: on PostgreSQL it imports
the first reader's snapshot; on SQLite its answer is used only when it reads the same
tracking position and version, and otherwise the question is asked again of the first.

Both engines, real databases: a case recorded by another writer in the middle of a
report is in neither half of it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from demo.generator import generate
from ledger.application import Ledger
from ledger.store.alongside import Alongside
from projections import tables
from reports.annual import AnnualReport, parse_year

FIRST_YEAR = 2023
YEARS = 2
CASES_PER_YEAR = 30


@pytest.fixture
def ledger_and_rest(db_url: str) -> Iterator[tuple[Ledger, list[Any]]]:
    """A ledger with two years' cases recorded but the last chunk, which is returned
    for a test to record in the middle of a report."""
    ledger = Ledger(db_url)
    chunks = list(generate(2026, YEARS, CASES_PER_YEAR, FIRST_YEAR, ledger.policy, chunk_size=8))
    for chunk in chunks[:-1]:
        ledger.record_many(chunk)
    try:
        yield ledger, chunks[-1]
    finally:
        ledger.close()


def _stages(session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(tables.stages)).scalar_one())


def test_last_years_figures_counted_alongside_are_those_counted_after_this_years(
    ledger_and_rest: tuple[Ledger, list[Any]],
) -> None:
    ledger, rest = ledger_and_rest
    ledger.record_many(rest)
    year = parse_year(str(FIRST_YEAR + YEARS - 1))
    for procedure in ("statutory", "corporate"):

        def alongside(session: Session, procedure: str = procedure) -> tuple[Any, int, int]:
            with Alongside(ledger.engine, session, ledger.projection.tracked) as second:
                figures = AnnualReport(session, procedure).build(year, alongside=second.ask)
            return figures, second.answered_alongside, second.asked_again

        figures, answered, asked_again = ledger.query(alongside, snapshot=True)
        one_reader = ledger.query(lambda s, p=procedure: AnnualReport(s, p).build(year))
        assert (answered, asked_again) == (1, 0)
        assert figures["previous"]["stage1"]["received"] > 0
        assert orjson.dumps(figures) == orjson.dumps(one_reader)


def test_a_case_recorded_in_the_middle_of_a_report_is_in_neither_half(
    ledger_and_rest: tuple[Ledger, list[Any]], db_url: str
) -> None:
    ledger, rest = ledger_and_rest
    other_writer = Ledger(db_url)
    seen: dict[str, Any] = {}

    def report(session: Session) -> None:
        seen["first before"] = _stages(session)
        other_writer.record_many(rest)  # commits while this reader's transaction is open
        with Alongside(ledger.engine, session, ledger.projection.tracked) as second:
            answer = second.ask(_stages)
            seen["second"] = answer()
        seen["first after"] = _stages(session)
        seen["answered"], seen["asked again"] = second.answered_alongside, second.asked_again

    try:
        ledger.query(report, snapshot=True)
        now = ledger.query(_stages)
    finally:
        other_writer.close()
    before = seen["first before"]
    assert now > before > 0  # the other writer's cases did land
    assert seen["first after"] == seen["second"] == before
    if ledger.engine.dialect.name == "postgresql":
        assert (seen["answered"], seen["asked again"]) == (1, 0)  # the snapshot is shared
    else:
        assert (seen["answered"], seen["asked again"]) == (0, 1)  # asked of the first again


def test_a_question_that_fails_alongside_fails_the_report(
    ledger_and_rest: tuple[Ledger, list[Any]],
) -> None:
    ledger, _ = ledger_and_rest

    def broken(_session: Session) -> int:
        raise ZeroDivisionError("counted by nothing")

    def report(session: Session) -> int:
        with Alongside(ledger.engine, session, ledger.projection.tracked) as second:
            return second.ask(broken)()

    with pytest.raises(ZeroDivisionError, match="counted by nothing"):
        ledger.query(report, snapshot=True)


def test_a_reader_in_read_committed_asks_nothing_alongside(
    ledger_and_rest: tuple[Ledger, list[Any]],
) -> None:
    """Without ``snapshot`` a PostgreSQL reader's statements each see the commits before
    them, so a second reader could not be held to its snapshot: the question is asked of
    the first reader (on SQLite every reading transaction keeps one snapshot)."""
    ledger, _ = ledger_and_rest

    def report(session: Session) -> tuple[int, int, int]:
        with Alongside(ledger.engine, session, ledger.projection.tracked) as second:
            n = second.ask(_stages)()
        return n, second.answered_alongside, second.asked_again

    n, answered, asked_again = ledger.query(report)
    assert n == ledger.query(_stages) > 0
    if ledger.engine.dialect.name == "postgresql":
        assert (answered, asked_again) == (0, 0)
    else:
        assert (answered, asked_again) == (1, 0)


def test_the_annual_report_counts_on_two_readers(
    ledger_and_rest: tuple[Ledger, list[Any]],
) -> None:
    """``Ledger.annual_report`` itself asks last year's figures of a second reader: its
    statements come from two threads (on PostgreSQL, a report that fell back to one
    reader, for want of its snapshot, would come from one)."""
    ledger, rest = ledger_and_rest
    ledger.record_many(rest)
    year = parse_year(str(FIRST_YEAR + YEARS - 1))
    ledger.annual_report(year, "statutory")  # caught up first: only the report is counted
    threads: set[int] = set()

    def seen(*_: Any) -> None:
        threads.add(threading.get_ident())

    event.listen(ledger.engine, "before_cursor_execute", seen)
    try:
        ledger.annual_report(year, "statutory")
    finally:
        event.remove(ledger.engine, "before_cursor_execute", seen)
    assert len(threads) == 2


def test_writers_after_a_report_are_read_committed_again(
    ledger_and_rest: tuple[Ledger, list[Any]],
) -> None:
    """The report's isolation is its own transaction's: the pooled connection goes back
    to the engine's own level, so a writer after it is not held to one snapshot."""
    ledger, rest = ledger_and_rest

    def level() -> str:
        return str(ledger.sessions().connection().get_isolation_level())

    before = ledger.unit_of_work(level)
    during = ledger.query(lambda _session: level(), snapshot=True)
    ledger.record_many(rest)
    after = ledger.unit_of_work(level)
    assert after == before
    if ledger.engine.dialect.name == "postgresql":
        assert (before, during) == ("READ COMMITTED", "REPEATABLE READ")


def test_a_read_only_ledger_gives_many_reports_in_one_process(tmp_path: Path) -> None:
    """An auditor's read-only SQLite ledger, many reports in one process: each report's
    second reader takes a connection of its own, and never closes the first's (a pool
    that keeps one connection per thread, up to five, closed one in use)."""
    path = tmp_path / "ledger.db"
    writer = Ledger(str(path))
    for chunk in generate(2026, YEARS, CASES_PER_YEAR, FIRST_YEAR, writer.policy):
        writer.record_many(chunk)
    writer.close()
    auditor = Ledger(str(path), read_only=True)
    year = parse_year(str(FIRST_YEAR + YEARS - 1))
    try:
        reports = [orjson.dumps(auditor.annual_report(year, "statutory")) for _ in range(12)]
    finally:
        auditor.close()
    assert len(set(reports)) == 1
