"""Pages of the event log read through the database driver (ADR 0046).

A rebuild or catch-up reads the log a page at a time with each event's chain link
(:func:`ledger.store.integrity.linked_events`). SQLAlchemy's result rows, with a type
conversion per cell (the aggregate id's UUID above all), cost more than the read
itself; here the same statement, compiled once per dialect, runs on the transaction's
own driver cursor and hands back the driver's plain tuples. Each aggregate id becomes a
:class:`~uuid.UUID` once per page, however many of its events the page holds.
"""

from __future__ import annotations

from typing import Any, NamedTuple
from uuid import UUID

from sqlalchemy import Table, bindparam
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler

from ledger.store.integrity import linked_events

#: A linked row's cells, in the order of :func:`linked_events`'s columns.
ID, ORIGINATOR_ID, ORIGINATOR_VERSION, TOPIC, STATE = 0, 1, 2, 3, 4


class LoggedEvent(NamedTuple):
    """One stored event of the log as the projection reads it (what the storage
    library's mapper needs to decode it: id, version, topic and stored bytes)."""

    id: int
    originator_id: UUID
    originator_version: int
    topic: str
    state: bytes


_STATEMENTS: dict[tuple[str, str], tuple[str, SQLCompiler]] = {}


def _statement(events: Table, session: Session) -> tuple[str, SQLCompiler]:
    """The page's SQL for this dialect, compiled once (it knows how the driver takes
    its parameters)."""
    dialect = session.get_bind().dialect
    key = (dialect.name, events.name)
    found = _STATEMENTS.get(key)
    if found is None:
        query = (
            linked_events(events)
            .where(events.c.id > bindparam("position"))
            .order_by(events.c.id)
            .limit(bindparam("limit"))
        )
        compiled = query.compile(dialect=dialect)
        assert isinstance(compiled, SQLCompiler)
        found = _STATEMENTS[key] = (str(compiled), compiled)
    return found


def linked_page(session: Session, events: Table, position: int, limit: int) -> list[Any]:
    """The next ``limit`` rows of the log after ``position``, in order, each as the
    driver's tuple of :func:`linked_events`'s columns, read in the session's
    transaction."""
    sql, compiled = _statement(events, session)
    given = compiled.construct_params({"position": position, "limit": limit})
    parameters: Any = (
        tuple(given[name] for name in compiled.positiontup or ()) if compiled.positional else given
    )
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute(sql, parameters)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def logged_events(rows: list[Any]) -> list[LoggedEvent]:
    """The events of a page's linked rows, each aggregate id a UUID (made once)."""
    ids: dict[Any, UUID] = {}
    events = []
    for row in rows:
        raw = row[ORIGINATOR_ID]
        originator = ids.get(raw)
        if originator is None:
            originator = ids[raw] = _uuid(raw)
        state = row[STATE]
        events.append(
            LoggedEvent(
                row[ID],
                originator,
                row[ORIGINATOR_VERSION],
                row[TOPIC],
                state if type(state) is bytes else bytes(state),
            )
        )
    return events


def _uuid(raw: Any) -> UUID:
    """An aggregate id as the driver returns it: 16 bytes (SQLite), a UUID (PostgreSQL),
    or its text."""
    if isinstance(raw, UUID):
        return raw
    if isinstance(raw, bytes | bytearray | memoryview):
        return UUID(bytes=bytes(raw))
    return UUID(str(raw))
