"""The ledger's own UUID column (ADR 0047) stores what ``sqlalchemy_utils``' UUIDType
stored: the same column types in the DDL and the same values bound and read on SQLite
and PostgreSQL, so a ledger written before reads the same. The library's type is run in
a fresh interpreter (in this one the ledger has already put its own column in its
place)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from ledger.store.uuid_column import LIBRARY_MODULE, UUIDColumn

VALUES = [
    uuid.UUID("00000000-0000-0000-0000-000000000000"),
    uuid.UUID("12345678-9abc-4def-8123-456789abcdef"),
    uuid.UUID("ffffffff-ffff-ffff-ffff-ffffffffffff"),
]

#: What a type does on both dialects: its DDL, the values it binds for a UUID, its text
#: and its 16 bytes, and what it reads back from what each engine hands over.
PROBE = """
import sys, uuid
import orjson
from sqlalchemy import Column, MetaData, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.schema import CreateTable

def behaviour(kind):
    out = {}
    for name, dialect in (("sqlite", sqlite.dialect()), ("postgresql", postgresql.dialect())):
        column = Column("originator_id", kind(), nullable=False, primary_key=True)
        table = Table("events", MetaData(), column)
        ddl = str(CreateTable(table).compile(dialect=dialect))
        kind_here = column.type.dialect_impl(dialect)  # as a statement runs it
        bind = kind_here.bind_processor(dialect) or (lambda v: v)
        values = [uuid.UUID(v) for v in sys.argv[1:]]
        bound = [bind(given) for v in values for given in (v, str(v), v.bytes)]
        stored = [v.bytes if name == "sqlite" else str(v) for v in values]
        if name == "postgresql":
            stored += values  # psycopg hands over UUID objects itself
        result = kind_here.result_processor(dialect, None) or (lambda v: v)
        read = [str(result(v)) for v in stored]
        out[name] = {
            "ddl": ddl,
            "bound": [b.hex() if isinstance(b, bytes) else str(b) for b in bound],
            "read": read,
            "impl": type(column.type.dialect_impl(dialect).impl).__name__,
        }
    return out
"""


def library_behaviour() -> dict[str, Any]:
    code = PROBE + (
        "from sqlalchemy_utils.types.uuid import UUIDType\n"
        "assert UUIDType.__module__ == 'sqlalchemy_utils.types.uuid'\n"
        "print(orjson.dumps(behaviour(UUIDType)).decode())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *map(str, VALUES)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return dict(orjson.loads(done.stdout))


def ours_behaviour() -> dict[str, Any]:
    namespace: dict[str, Any] = {}
    saved = sys.argv
    sys.argv = ["probe", *map(str, VALUES)]
    try:
        exec(PROBE, namespace)  # the same probe as the library's, in this interpreter
        return dict(namespace["behaviour"](UUIDColumn))
    finally:
        sys.argv = saved


def test_the_column_binds_reads_and_declares_what_the_librarys_type_did() -> None:
    assert ours_behaviour() == library_behaviour()


def test_an_event_log_written_with_the_librarys_type_reads_the_same(tmp_path: Path) -> None:
    path = tmp_path / "before.db"
    code = (
        "import sys, uuid\n"
        "from sqlalchemy import Column, Integer, MetaData, Table, create_engine, insert\n"
        "from sqlalchemy_utils.types.uuid import UUIDType\n"
        "table = Table('events', MetaData(), Column('id', Integer, primary_key=True),"
        " Column('originator_id', UUIDType(), nullable=False))\n"
        "engine = create_engine('sqlite:///' + sys.argv[1])\n"
        "table.create(engine)\n"
        "with engine.begin() as c:\n"
        "    c.execute(insert(table), [{'originator_id': uuid.UUID(v)} for v in sys.argv[2:]])\n"
        "engine.dispose()\n"
    )
    subprocess.run(
        [sys.executable, "-c", code, str(path), *map(str, VALUES)], check=True, timeout=120
    )
    table = Table(
        "events",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("originator_id", UUIDColumn(), nullable=False),
    )
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as connection:
            read = list(connection.execute(select(table.c.originator_id).order_by(table.c.id)))
            assert [row[0] for row in read] == VALUES
            connection.execute(insert(table), [{"originator_id": v} for v in VALUES])
    finally:
        engine.dispose()
    with sqlite3.connect(path) as raw:
        stored = [row[0] for row in raw.execute("SELECT originator_id FROM events ORDER BY id")]
    assert stored == [v.bytes for v in VALUES] * 2  # the same 16 bytes, before and after


def test_the_storage_library_is_given_the_ledgers_column() -> None:
    code = (
        "import sys\n"
        "import ledger.application\n"
        "from eventsourcing_sqlalchemy.models import StoredEventRecord\n"
        "kind = type(StoredEventRecord.originator_id.type)\n"
        "print(kind.__module__, 'sqlalchemy_utils' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.split() == ["ledger.store.uuid_column", "False"]
    assert LIBRARY_MODULE.startswith("sqlalchemy_utils.")


@pytest.mark.parametrize("given", [VALUES[1], str(VALUES[1]), VALUES[1].bytes])
def test_text_or_bytes_are_read_as_the_uuid(given: object) -> None:
    for dialect in (sqlite.dialect(), postgresql.dialect()):
        bind = UUIDColumn().dialect_impl(dialect).bind_processor(dialect)
        assert bind is not None
        expected = VALUES[1].bytes if dialect.name == "sqlite" else str(VALUES[1])
        assert bind(given) == expected
