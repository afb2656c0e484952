"""Do the stored read models agree with the events? (``verify``, ADR 0024.)

The read models are rebuilt in memory from the events up to the position the stored
ones say they reached (one pass over the log, each record folded once), and every
table is compared row for row. A row deleted,
altered or added behind the projection's back (on SQLite anyone with the file can;
on PostgreSQL only the tables' owner, or a writer that forged events) shows here.
"""

from __future__ import annotations

from collections import Counter
from typing import Any
from uuid import UUID

from sqlalchemy import Table, create_engine, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from domain.errors import LedgerTampered
from ledger.store.listed_events import ListedEvents
from projections import tables
from projections.projector import NAME, CaseFactsProjection

BATCH = 1000


class EventsInMemory(ListedEvents):
    """The ledger's events up to ``position``, read once in order (the chain has just
    been verified over them); the projection folds each record once from them."""

    def __init__(self, ledger: Any, position: int) -> None:
        super().__init__(ledger)
        self.position = position
        start = 0
        while start < position:
            batch = ledger.notifications_after(start, BATCH)
            self.notifications.extend(n for n in batch if n.id <= position)
            if len(batch) < BATCH:
                break
            start = batch[-1].id

    def aggregate_at(self, aggregate_id: UUID, version: int) -> Any:
        raise AssertionError("a rebuild from the first event folds every record itself")

    def last_position(self) -> int:
        return self.position


def _rows(session: Session, table: Table) -> Counter[tuple[Any, ...]]:
    return Counter(tuple(row) for row in session.execute(select(table)))


def read_model_problem(ledger: Any, session: Session) -> str | None:
    """Why the read models in ``session`` disagree with a rebuild from the events;
    None when they agree (or are out of date: the next read rebuilds them anyway)."""
    tracked = session.execute(
        select(tables.tracking.c.position, tables.tracking.c.version).where(
            tables.tracking.c.projection == NAME
        )
    ).first()
    projection = CaseFactsProjection(ledger.policy)
    if tracked is None or tracked.version != projection.version:
        return None
    last = int(ledger.last_position())
    if tracked.position > last:
        return (
            f"the read models were built from the events up to position {tracked.position}, "
            f"but the log ends at {last}: events have been removed"
        )
    engine = create_engine(
        "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
    )
    try:
        tables.metadata.create_all(engine)
        with sessionmaker(bind=engine)() as rebuilt:
            source = EventsInMemory(ledger, int(tracked.position))
            try:
                # one batch: every record is folded once, at its last event
                projection.catch_up(rebuilt, source, len(source.notifications) + 1)
            except LedgerTampered as error:
                return str(error)
            for table in tables.READ_MODEL_TABLES:
                stored, expected = _rows(session, table), _rows(rebuilt, table)
                if stored == expected:
                    continue
                missing = sum((expected - stored).values())
                extra = sum((stored - expected).values())
                return (
                    f"the read model {table.name} disagrees with a rebuild from the events "
                    f"({missing} rows missing or changed, {extra} rows not in the rebuild): "
                    "run complaints projections rebuild"
                )
    finally:
        engine.dispose()
    return None
