"""A rebuild from scratch on SQLite commits growing runs of pages (one, one, two, four...
up to ``REBUILD_PAGES_PER_COMMIT``) with the write-ahead log checkpointed less often for
its own transactions only (ADR 0055); on PostgreSQL it commits one page at a time as
before. Cut short inside a run of several pages, the run's pages are not committed and
the rest caught up afterwards gives a clean rebuild's rows."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

import ledger.application as application
from demo.generator import generate
from domain.procedure import ProcedurePolicy
from ledger.application import Ledger
from ledger.store.storage import REBUILD_AUTOCHECKPOINT, SQLITE_AUTOCHECKPOINT
from tests.projections.test_indexes_built_at_the_end import read_model_indexes
from tests.projections.test_rebuild_equals_incremental import snapshot

POLICY = ProcedurePolicy(today=date(2026, 11, 23))
#: Events per page of these rebuilds: the generated ledger holds a dozen pages or more.
SMALL_PAGE = 20
MOST_PAGES = 3


class CutShort(Exception):
    """The rebuild stopped inside a transaction, as a kill would stop it."""


@pytest.fixture
def generated(db_url: str) -> Any:
    ledger = Ledger(db_url, POLICY)
    for chunk in generate(7, 2, 40, 2024, ledger.policy, chunk_size=25):
        ledger.record_many(chunk)
    assert ledger.projection_status().head > 12 * SMALL_PAGE
    yield ledger, snapshot(ledger), read_model_indexes(db_url)
    ledger.close()


def autocheckpoint(session: Any) -> int:
    """The SQLite connection's pages between automatic checkpoints."""
    driver = session.connection().connection.driver_connection
    return int(driver.execute("PRAGMA wal_autocheckpoint").fetchone()[0])


def pooled_autocheckpoints(ledger: Ledger) -> list[int]:
    """Each idle pooled connection's setting (checked out one after another)."""
    held = []
    try:
        for _ in range(ledger.engine.pool.checkedin()):  # type: ignore[attr-defined]
            held.append(ledger.engine.raw_connection())
        return [
            int(raw.driver_connection.execute("PRAGMA wal_autocheckpoint").fetchone()[0])  # type: ignore[union-attr]
            for raw in held
        ]
    finally:
        for raw in held:
            raw.close()


def test_a_rebuild_commits_growing_runs_of_pages_on_sqlite_and_single_pages_elsewhere(
    db_url: str, generated: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger, rows, indexes = generated
    sqlite = db_url.startswith("sqlite")
    catch_up = ledger.projection.catch_up
    runs: list[tuple[int, int | None]] = []

    def in_small_pages(session: Any, source: Any, **options: Any) -> int:
        setting = autocheckpoint(session) if sqlite else None
        runs.append((options["max_batches"], setting))
        return catch_up(session, source, **{**options, "batch_size": SMALL_PAGE})

    monkeypatch.setattr(application, "REBUILD_PAGES_PER_COMMIT", MOST_PAGES)
    monkeypatch.setattr(ledger.projection, "catch_up", in_small_pages)
    head = ledger.projection_status().head
    assert ledger.rebuild_projections() == head
    pages = [run for run, _ in runs]
    if sqlite:
        # each run as long as all before it, up to the most: 1, 1, 2, 3, 3...
        assert pages[:4] == [1, 1, 2, MOST_PAGES]
        assert set(pages[3:]) == {MOST_PAGES}
        assert {setting for _, setting in runs} == {REBUILD_AUTOCHECKPOINT}
        # the connection has SQLite's own setting back once the rebuild is over
        assert set(pooled_autocheckpoints(ledger)) == {SQLITE_AUTOCHECKPOINT}
    else:
        assert set(pages) == {1}
    # enough runs to read every page, and one more that finds nothing
    assert sum(pages[:-1]) * SMALL_PAGE >= head > sum(pages[:-2]) * SMALL_PAGE
    assert snapshot(ledger) == rows
    assert read_model_indexes(db_url) == indexes


def test_a_rebuild_cut_short_inside_a_run_keeps_the_runs_before_it_and_catches_up_the_rest(
    db_url: str, generated: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger, rows, indexes = generated
    sqlite = db_url.startswith("sqlite")
    catch_up = ledger.projection.catch_up
    calls = 0

    def cut_in_the_fourth_run(session: Any, source: Any, **options: Any) -> int:
        nonlocal calls
        calls += 1
        small = {**options, "batch_size": SMALL_PAGE}
        if calls < 4:
            return catch_up(session, source, **small)
        catch_up(session, source, **{**small, "max_batches": 1})  # one page of the run
        raise CutShort

    monkeypatch.setattr(application, "REBUILD_PAGES_PER_COMMIT", MOST_PAGES)
    with monkeypatch.context() as patched:
        patched.setattr(ledger.projection, "catch_up", cut_in_the_fourth_run)
        with pytest.raises(CutShort):
            ledger.rebuild_projections()
    # runs of 1, 1 and 2 pages committed on SQLite, three single pages elsewhere;
    # the cut run's page went with its transaction
    committed = (1 + 1 + 2) if sqlite else 3
    assert ledger.projection_status().position == committed * SMALL_PAGE
    if sqlite:
        assert set(pooled_autocheckpoints(ledger)) == {SQLITE_AUTOCHECKPOINT}
    ledger.catch_up_projections()
    assert snapshot(ledger) == rows
    ledger.close()
    Ledger(db_url, POLICY).close()  # opening to write puts back any index (ADR 0053)
    assert read_model_indexes(db_url) == indexes


def test_a_rebuild_on_sqlite_leaves_its_write_ahead_log_empty(sqlite_url: str) -> None:
    ledger = Ledger(sqlite_url, POLICY)
    try:
        for chunk in generate(7, 2, 40, 2024, ledger.policy, chunk_size=25):
            ledger.record_many(chunk)
        log = Path(sqlite_url.removeprefix("sqlite:///") + "-wal")
        assert log.stat().st_size > 0  # the recording left pages in the log
        rows = snapshot(ledger)
        ledger.rebuild_projections()
        # every page moved back into the database file and the log cut to nothing,
        # inside the rebuild (ADR 0055), with the ledger still open
        assert log.stat().st_size == 0
        assert snapshot(ledger) == rows
    finally:
        ledger.close()
