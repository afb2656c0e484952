"""ADR 0048 and 0051: on SQLite a save's events go in through the driver and their
positions are worked out from the last row inserted, not returned by the database; they
must be exactly the positions the rows were given, in the order the events were saved,
or nothing is written."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any
from uuid import UUID

import pytest
import sqlalchemy
from eventsourcing.persistence import Recording
from sqlalchemy import text

from demo.generator import generate
from domain.errors import DuplicateReference
from domain.procedure import ProcedurePolicy
from ledger.application import Ledger
from tests.ledger.store.test_integrity import _uuid

POLICY = ProcedurePolicy(today=date(2026, 11, 23))


@pytest.fixture
def ledger(db_url: str) -> Iterator[Ledger]:
    app = Ledger(db_url, POLICY)
    yield app
    app.close()


def _stored(db_url: str) -> dict[tuple[UUID, int], int]:
    """Each stored event's position, by its record and version, as the table holds it."""
    engine = sqlalchemy.create_engine(db_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT id, originator_id, originator_version FROM ledger_events")
            ).all()
    finally:
        engine.dispose()
    return {(_uuid(row[1]), int(row[2])): int(row[0]) for row in rows}


def _save(ledger: Ledger, chunk: list[Any]) -> list[Recording[UUID]]:
    return ledger.unit_of_work(lambda: ledger.save(*chunk))


def test_each_saved_event_gets_the_position_its_row_was_given(ledger: Ledger, db_url: str) -> None:
    recorded: list[Recording[UUID]] = []
    for chunk in generate(5, 1, 30, 2025, ledger.policy, chunk_size=9):
        expected = [e for aggregate in chunk for e in aggregate.pending_events]
        recordings = _save(ledger, chunk)
        assert [r.domain_event for r in recordings] == expected
        recorded.extend(recordings)
    stored = _stored(db_url)
    assert len(recorded) == len(stored) > 100
    for recording in recorded:
        event = recording.domain_event
        key = (event.originator_id, event.originator_version)
        assert recording.notification.id == stored[key]
        assert recording.notification.originator_id == event.originator_id
    positions = [r.notification.id for r in recorded]
    assert positions == list(range(1, len(positions) + 1))
    assert ledger.verify().problem is None


def test_a_save_after_a_rolled_back_one_is_positioned_after_the_last_event(
    ledger: Ledger, db_url: str
) -> None:
    chunks = list(generate(6, 1, 12, 2025, ledger.policy, chunk_size=4))
    _save(ledger, chunks[0])
    first = len(_stored(db_url))

    def refused() -> None:
        ledger.save(*chunks[1])
        raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        ledger.unit_of_work(refused)
    assert len(_stored(db_url)) == first
    recordings = _save(ledger, chunks[2])
    positions = [r.notification.id for r in recordings]
    # SQLite gives the rolled-back positions again; PostgreSQL's sequence never does
    start = first + 1 if db_url.startswith("sqlite") else positions[0]
    assert start > first
    assert positions == list(range(start, start + len(recordings)))
    stored = _stored(db_url)
    for recording in recordings:
        event = recording.domain_event
        assert stored[(event.originator_id, event.originator_version)] == recording.notification.id
    assert ledger.verify().problem is None


def test_a_duplicate_event_writes_nothing_of_its_save(ledger: Ledger, db_url: str) -> None:
    chunks = list(generate(7, 1, 12, 2025, ledger.policy, chunk_size=4))
    ledger.record_many(chunks[0])
    before = _stored(db_url)
    again = list(generate(7, 1, 12, 2025, ledger.policy, chunk_size=4))
    # new records first, then one already in the ledger: the rows before it go too
    with pytest.raises(DuplicateReference):
        ledger.record_many([*again[1], again[0][0]])
    assert _stored(db_url) == before
    assert ledger.verify().problem is None


def test_positions_that_cannot_be_proved_are_refused(
    sqlite_url: str,
) -> None:
    """A row the save did not write appearing beside its own (here a trigger's) leaves
    the positions unproved: the save is refused and nothing of it stays."""
    ledger = Ledger(sqlite_url, POLICY)
    try:
        chunks = list(generate(8, 1, 12, 2025, ledger.policy, chunk_size=4))
        ledger.record_many(chunks[0])
        before = _stored(sqlite_url)
        engine = sqlalchemy.create_engine(sqlite_url)
        try:
            with engine.begin() as connection:
                connection.execute(
                    text(
                        "CREATE TRIGGER slipped_in AFTER INSERT ON ledger_events "
                        "WHEN NEW.id < 1000000 BEGIN "
                        "INSERT INTO ledger_events (id, originator_id, originator_version, "
                        "topic, state) VALUES (NEW.id + 1000000, NEW.originator_id, "
                        "NEW.originator_version + 1000, NEW.topic, NEW.state); END"
                    )
                )
        finally:
            engine.dispose()
        with pytest.raises(RuntimeError, match="rows changed: their positions cannot be proved"):
            ledger.record_many(chunks[1])
        assert _stored(sqlite_url) == before
    finally:
        ledger.close()
