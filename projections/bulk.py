"""Bulk work (a rebuild's pages, a restore, a bulk load; ADR 0041).

- Many rows into a table in one ``executemany``, as the driver takes them: SQLAlchemy's
  Core builds each row's parameters one by one (its share of a rebuild's write); on
  SQLite the values go to the driver as they are bound instead, each column's own
  conversion worked out once per table. Other engines go through Core.
- Python's cycle collector paused while a page is decoded, folded and written.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from operator import itemgetter
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """``rows`` (each with the same keys) into ``table`` in one ``executemany``."""
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name != "sqlite":
        session.execute(insert(table), list(rows))
        return
    names = tuple(column.key for column in table.c if column.key in rows[0])
    sql, processors = _bulk_insert(table, names, dialect)
    pick = itemgetter(*names)
    if len(names) == 1:
        values: list[tuple[Any, ...]] = [(pick(row),) for row in rows]
    else:
        values = [pick(row) for row in rows]
    if processors:
        # only the columns that need it are converted, each row copied once
        converting = [(at, convert) for at, convert in enumerate(processors) if convert]
        converted: list[tuple[Any, ...]] = []
        for row in values:
            cells = list(row)
            for at, convert in converting:
                cells[at] = convert(cells[at])
            converted.append(tuple(cells))
        connection.exec_driver_sql(sql, converted)
        return
    connection.exec_driver_sql(sql, values)


_BULK_INSERTS: dict[tuple[str, tuple[str, ...], str], tuple[str, list[Any]]] = {}


def _bulk_insert(table: Table, names: tuple[str, ...], dialect: Dialect) -> tuple[str, list[Any]]:
    """The driver's INSERT for ``names`` of ``table`` and each column's conversion
    (None for a value the driver takes as it is; an empty list when none needs one)."""
    key = (table.name, names, dialect.name)
    found = _BULK_INSERTS.get(key)
    if found is None:
        quote = dialect.identifier_preparer.quote
        sql = (
            f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
            f"VALUES ({', '.join('?' for _ in names)})"
        )
        processors = [table.c[name].type.bind_processor(dialect) for name in names]
        found = _BULK_INSERTS[key] = (sql, processors if any(processors) else [])
    return found


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off for one page of bulk work, then as it was.

    Decoding and folding a page allocates a container per event field; the collector
    then walks the young objects again and again, and every record folded so far with
    them (a third of a rebuild's CPU time, measured). Nothing a page makes needs it
    (its objects are freed by reference counting, or live on in the fold), and the
    next collection after the page finds any cycle it left."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
