"""A rebuild from scratch writes its pages without the read models' secondary indexes
on SQLite and builds them at the end (ADR 0053). Cut short after its first page, the
ledger still answers reports, and the next catch-up of a backlog or the next opening
of the ledger puts every index back: the same indexes and rows as a clean rebuild."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect

from demo.generator import generate
from domain.procedure import ProcedurePolicy
from ledger.application import Ledger
from projections import tables
from reports.annual import AnnualReport, parse_year
from tests.projections.test_rebuild_equals_incremental import snapshot

POLICY = ProcedurePolicy(today=date(2026, 11, 23))
YEAR = parse_year("2025")
#: Events per page of the rebuild cut short: the generated ledger holds several pages.
SMALL_PAGE = 50


class CutShort(Exception):
    """The rebuild stopped after its first page, as a kill would stop it."""


def read_model_indexes(url: str) -> set[tuple[str, str, tuple[str, ...]]]:
    """Each read-model table's indexes as the database lists them (primary keys aside)."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            found = inspect(connection)
            return {
                (table.name, str(index["name"]), tuple(str(c) for c in index["column_names"]))
                for table in tables.READ_MODEL_TABLES
                for index in found.get_indexes(table.name)
            }
    finally:
        engine.dispose()


def report(ledger: Ledger) -> Any:
    return ledger.query(lambda session: AnnualReport(session, "statutory").build(YEAR))


def cut_short_after_the_first_page(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rebuild in pages of ``SMALL_PAGE`` events and stop when the second page starts
    (the first is committed)."""
    catch_up = ledger.projection.catch_up
    pages = 0

    def first_page_only(session: Any, source: Any, **options: Any) -> int:
        nonlocal pages
        pages += 1
        if pages > 1:
            raise CutShort
        return catch_up(session, source, **{**options, "batch_size": SMALL_PAGE})

    with monkeypatch.context() as patched:
        patched.setattr(ledger.projection, "catch_up", first_page_only)
        with pytest.raises(CutShort):
            ledger.rebuild_projections()
    assert ledger.projection_status().position == SMALL_PAGE


@pytest.fixture
def generated(db_url: str) -> Any:
    """A generated ledger, its clean read models' rows, indexes and report."""
    ledger = Ledger(db_url, POLICY)
    for chunk in generate(7, 2, 40, 2024, ledger.policy, chunk_size=25):
        ledger.record_many(chunk)
    assert ledger.projection_status().head > 4 * SMALL_PAGE
    clean = snapshot(ledger), read_model_indexes(db_url), report(ledger)
    assert clean[1]  # the read models have secondary indexes to defer
    yield ledger, clean
    ledger.close()


def test_a_rebuild_ends_with_the_indexes_and_rows_of_a_clean_ledger(
    db_url: str, generated: Any
) -> None:
    ledger, (rows, indexes, _) = generated
    assert ledger.rebuild_projections() == ledger.projection_status().head
    assert read_model_indexes(db_url) == indexes
    assert snapshot(ledger) == rows


def test_a_rebuild_cut_short_answers_reports_and_reopening_puts_every_index_back(
    db_url: str, generated: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger, (rows, indexes, annual) = generated
    cut_short_after_the_first_page(ledger, monkeypatch)
    if db_url.startswith("sqlite"):
        assert not read_model_indexes(db_url)  # the pages went without them
    else:
        assert read_model_indexes(db_url) == indexes  # never dropped on PostgreSQL
    # The report catches up the rest first (a short rest: no index yet) and is the same.
    assert report(ledger) == annual
    ledger.close()

    reopened = Ledger(db_url, POLICY)
    try:
        assert read_model_indexes(db_url) == indexes
        assert snapshot(reopened) == rows
        assert report(reopened) == annual
    finally:
        reopened.close()


def test_a_backlog_caught_up_after_a_rebuild_cut_short_puts_every_index_back(
    db_url: str, generated: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger, (rows, indexes, _) = generated
    cut_short_after_the_first_page(ledger, monkeypatch)

    def rest_in_small_pages() -> int:
        return ledger.projection.catch_up(ledger.sessions(), ledger, batch_size=SMALL_PAGE)

    assert ledger.unit_of_work(rest_in_small_pages, catch_up=False) >= SMALL_PAGE
    assert read_model_indexes(db_url) == indexes
    assert snapshot(ledger) == rows
