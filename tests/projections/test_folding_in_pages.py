"""Issue 14, ADR 0041: a rebuild and a restore read the log in pages and fold each
record once, never loading one from the event table, however the pages and
transactions cut across its events; and the rows a page writes through the driver are
stored exactly as SQLAlchemy's Core would store them."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
import sqlalchemy
from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from demo.generator import generate
from domain.errors import LedgerTampered
from domain.procedure import ProcedurePolicy
from ledger.application import Ledger
from projections import tables
from projections.projector import Change, ProjectionStatements
from tests.ledger.store.test_integrity import disable_triggers
from tests.projections.test_rebuild_equals_incremental import snapshot
from transfer.archive import export_events, read_archive, restore

POLICY = ProcedurePolicy(today=date(2026, 11, 23))


def _generated(url: str) -> Ledger:
    ledger = Ledger(url, POLICY)
    for chunk in generate(11, 1, 40, 2025, ledger.policy, chunk_size=15):
        ledger.record_many(chunk)
    return ledger


def _count_loads(ledger: Ledger) -> list[tuple[UUID, int]]:
    """Every record the projection asks the ledger to load from the event table."""
    loads: list[tuple[UUID, int]] = []
    load = ledger.aggregate_at

    def counted(aggregate_id: UUID, version: int) -> Any:
        loads.append((aggregate_id, version))
        return load(aggregate_id, version)

    ledger.aggregate_at = counted  # type: ignore[method-assign]
    return loads


def test_a_rebuild_in_pages_smaller_than_a_case_loads_no_record_and_equals_catch_up(
    db_url: str,
) -> None:
    ledger = _generated(db_url)
    try:
        incremental = snapshot(ledger)
        loads = _count_loads(ledger)
        folded: dict[UUID, Any] = {}

        def first_page() -> int:
            ledger.projection.reset(ledger.sessions())
            return ledger.projection.catch_up(
                ledger.sessions(), ledger, batch_size=5, max_batches=1, folded=folded
            )

        def next_page() -> int:
            return ledger.projection.catch_up(
                ledger.sessions(), ledger, batch_size=5, max_batches=1, folded=folded
            )

        read = step = ledger.unit_of_work(first_page, catch_up=False)
        while step:
            step = ledger.unit_of_work(next_page, catch_up=False)
            read += step
        assert read == ledger.read(ledger.last_position)
        assert loads == []
        assert snapshot(ledger) == incremental
    finally:
        ledger.close()


def test_a_restore_in_small_transactions_loads_no_record_and_gives_the_same_read_models(
    db_url: str, tmp_path: Path
) -> None:
    source = _generated(str(tmp_path / "source.db"))
    path = tmp_path / "export.jsonl"
    try:
        with path.open("wb") as handle:
            export_events(source, handle.write, include_personal=True)
        expected = snapshot(source)
    finally:
        source.close()
    target = Ledger(db_url, POLICY)
    try:
        loads = _count_loads(target)
        result = restore(target, read_archive(path, target), chunk_size=7)
        assert result.matches_export
        assert loads == []
        assert snapshot(target) == expected
        assert target.verify().intact
    finally:
        target.close()


class _CoreRowStore(ProjectionStatements):
    """The projection's statements with every row inserted through SQLAlchemy's Core."""

    def store(
        self, session: Session, start: int, through: int, version: str, changes: Sequence[Change]
    ) -> None:
        rows: dict[str, list[dict[str, Any]]] = {}
        for change in changes:
            for name, table_rows in change.rows.items():
                rows.setdefault(name, []).extend(table_rows)
        emptied = [Change(c.aggregate_id, c.kind, c.key, {}, c.fresh) for c in changes]
        super().store(session, start, through, version, emptied)
        for name, table_rows in rows.items():
            if table_rows:
                session.execute(insert(tables.metadata.tables[name]), table_rows)


def _stored(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every read-model cell as SQLite holds it, with its storage class."""
    with sqlite3.connect(path) as connection:
        found = {}
        for table in tables.READ_MODEL_TABLES:
            names = [c.name for c in table.c]
            cells = ", ".join(f"{n}, typeof({n})" for n in names)
            found[table.name] = sorted(
                connection.execute(f"SELECT {cells} FROM {table.name}").fetchall(), key=repr
            )
    return found


def test_rows_written_through_the_driver_are_stored_as_core_stores_them(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    ledger = _generated(str(path))
    try:
        ledger.rebuild_projections()
        through_the_driver = _stored(path)
        ledger.projection.store = _CoreRowStore()
        ledger.rebuild_projections()
    finally:
        ledger.close()
    through_core = _stored(path)
    assert through_core == through_the_driver
    assert through_core["rm_case"] and through_core["rm_stage"] and through_core["rm_payment"]


def test_a_rebuild_refuses_an_event_altered_inside_its_page_at_its_position(
    db_url: str,
) -> None:
    ledger = _generated(db_url)
    try:
        engine = sqlalchemy.create_engine(db_url)
        with engine.begin() as connection:
            disable_triggers(connection, "ledger_events")
            state = connection.execute(
                text("SELECT state FROM ledger_events WHERE id = 40")
            ).scalar_one()
            connection.execute(
                text("UPDATE ledger_events SET state = :s WHERE id = 40"),
                {"s": bytes(state).replace(b"}", b' ,"x": 1}', 1)},
            )
        engine.dispose()
        with pytest.raises(LedgerTampered, match="tampered with at position 40"):
            ledger.rebuild_projections()
    finally:
        ledger.close()
