"""Engines, sessions, the event transcoder and schema creation.

Both engines go through SQLAlchemy. SQLite runs in WAL mode with a busy timeout, and
every writing transaction starts with ``BEGIN IMMEDIATE`` so that two processes never
both read a case and then race to write it. PostgreSQL uses psycopg 3; its writers
conflict on the event table's unique (case, version) index and retry.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import Mapper, StoredEvent, Transcoder, find_id_convertor
from eventsourcing.utils import resolve_topic
from sqlalchemy import Connection, Engine, Table, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.pool import QueuePool

from domain.errors import BadData

WRITE_OPTION = "complaints_write"
#: The isolation of a reading unit of work that a second reader may join on PostgreSQL
#: (ADR 0057): one snapshot for the whole transaction, which it can export.
SNAPSHOT_ISOLATION = "REPEATABLE READ"
SQLITE_BUSY_TIMEOUT_SECONDS = 60
#: The writers' turn on PostgreSQL: an advisory lock keyed by the ledger's schema, so
#: ledgers in other schemas of the same database never wait for it (ADR 0037).
WRITER_LOCK = (
    "SELECT pg_advisory_xact_lock(4242002, hashtext(coalesce(current_schema(), '')))"
)
#: Whether some session holds this ledger's :data:`WRITER_LOCK` (a two-key advisory
#: lock shows its keys as ``classid`` and ``objid``).
WRITER_LOCK_HELD = (
    "SELECT count(*) > 0 FROM pg_locks WHERE locktype = 'advisory' AND granted "
    "AND objsubid = 2 AND classid = 4242002 "
    "AND objid::bigint = (hashtext(coalesce(current_schema(), ''))::bigint & 4294967295)"
)


def database_url(db: str | None) -> str:
    """An SQLAlchemy URL from ``--db``: a URL, or a bare path meaning SQLite."""
    value = db or os.environ.get("COMPLAINTS_DB") or "complaints.db"
    if "://" not in value:
        return "sqlite:///" + value
    if value.startswith("postgresql://") or value.startswith("postgres://"):
        value = "postgresql+psycopg://" + value.split("://", 1)[1]
    return value


def make_engine(url: str, read_only: bool = False) -> Engine:
    """The engine for ``url``. ``read_only``: the database is opened for reading only
    and nothing is created (an SQLite file that does not exist is refused)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise BadData(f"not a database URL: {url!r}") from None
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if not database or database == ":memory:":
            raise BadData("an SQLite ledger needs a file path")
        directory = os.path.dirname(os.path.abspath(database))
        if not os.path.isdir(directory):
            raise BadData(f"folder {directory} does not exist")
        path = os.path.abspath(database)
        if read_only or (os.path.exists(path) and not os.access(path, os.W_OK)):
            # A file this process cannot write is opened as it is: a write is refused by
            # SQLite ("attempt to write a readonly database") and nothing is created.
            return _read_only_sqlite_engine(path)
        engine = create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS}, future=True
        )
        _make_sqlite_transactional(engine)
        return engine
    if parsed.get_backend_name() == "postgresql":
        if parsed.get_driver_name() != "psycopg":
            raise BadData(
                f"PostgreSQL is reached through psycopg 3, not {parsed.get_driver_name()}: "
                "write postgresql://... or postgresql+psycopg://..."
            )
        engine = create_engine(url, future=True, pool_pre_ping=False)
        if read_only:

            @event.listens_for(engine, "connect")
            def read_only_session(dbapi_connection: Any, _record: Any) -> None:
                with dbapi_connection.cursor() as cursor:
                    cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
                dbapi_connection.commit()

        return engine
    raise BadData(f"unsupported database {parsed.get_backend_name()!r}: use SQLite or PostgreSQL")


def _read_only_sqlite_engine(path: str) -> Engine:
    """An SQLite file opened read-only (``mode=ro``): any write fails, nothing is created.

    A file or folder this process cannot write to is opened ``immutable`` (nobody can be
    writing it, and SQLite would otherwise make the shared-memory files a WAL reader
    needs, or fail to), unless a write-ahead log with content lies beside it.
    """
    import sqlite3
    from urllib.parse import quote

    if not os.path.isfile(path):
        raise BadData(f"no ledger at {path}: nothing to read (a recording command creates one)")
    wal = path + "-wal"
    nobody_writes_here = not os.access(path, os.W_OK) or not os.access(
        os.path.dirname(path), os.W_OK
    )
    immutable = nobody_writes_here and (not os.path.exists(wal) or os.path.getsize(wal) == 0)
    uri = f"file:{quote(path)}?mode=ro" + ("&immutable=1" if immutable else "")

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(
            uri, uri=True, timeout=SQLITE_BUSY_TIMEOUT_SECONDS, check_same_thread=False
        )

    # A queue of connections, as a file URL gets: with no file in the URL SQLAlchemy
    # would keep one connection per thread, up to five, and close one (even one in use)
    # to make room for a sixth thread's, such as a report's second reader (ADR 0057).
    engine = create_engine("sqlite://", creator=connect, future=True, poolclass=QueuePool)

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine


#: SQLite's own number of write-ahead-log pages between automatic checkpoints.
SQLITE_AUTOCHECKPOINT = 1000
#: The same while a rebuild from scratch commits its runs of pages (64 MiB; ADR 0055).
REBUILD_AUTOCHECKPOINT = 16384
#: Marks a pooled SQLite connection whose automatic checkpoints are spaced out.
_CHECKPOINTS_SPACED = "complaints_checkpoints_spaced"


def checkpoint_less_often(connection: Connection) -> None:
    """On SQLite, for the rest of this transaction only, move the log's pages back into
    the database file every :data:`REBUILD_AUTOCHECKPOINT` pages rather than every
    :data:`SQLITE_AUTOCHECKPOINT` (a page that several commits change is copied back
    once); the connection gets SQLite's own setting back when it returns to the pool,
    after the commit. Nothing elsewhere (ADR 0055)."""
    if connection.dialect.name != "sqlite":
        return
    pooled = connection.connection
    pooled.driver_connection.execute(  # type: ignore[union-attr]
        f"PRAGMA wal_autocheckpoint = {REBUILD_AUTOCHECKPOINT}"
    )
    pooled.info[_CHECKPOINTS_SPACED] = True


def checkpoint_and_truncate(engine: Engine) -> None:
    """On SQLite, once a rebuild's last run has committed: move what is left of the log
    back into the database file and cut the log back to nothing, so the rebuild leaves
    no large log behind it (its runs can grow the log to a few hundred MB at 1M events)
    and its measured time includes all of its checkpointing (ADR 0055). Outside any
    transaction; should a reader hold the log, SQLite checkpoints what it can and the
    log is cut later."""
    if engine.dialect.name != "sqlite":
        return
    pooled = engine.raw_connection()
    try:
        pooled.driver_connection.execute(  # type: ignore[union-attr]
            "PRAGMA wal_checkpoint(TRUNCATE)"
        ).fetchall()
    finally:
        pooled.close()


def _make_sqlite_transactional(engine: Engine) -> None:
    @event.listens_for(engine, "checkin")
    def on_checkin(dbapi_connection: Any, record: Any) -> None:
        # a rebuild's transaction is over (committed or not): SQLite's own checkpoints
        spaced = record is not None and record.info.pop(_CHECKPOINTS_SPACED, False)
        if spaced and dbapi_connection is not None:
            dbapi_connection.execute(f"PRAGMA wal_autocheckpoint = {SQLITE_AUTOCHECKPOINT}")

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event decide how each transaction starts.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        writing = connection.get_execution_options().get(WRITE_OPTION, True)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


#: The savepoint a batch line runs in (ADR 0051).
LINE_SAVEPOINT = "batch_line"


@contextmanager
def savepoint(connection: Connection) -> Iterator[None]:
    """What runs inside is undone alone (back to :data:`LINE_SAVEPOINT`) if it raises;
    the transaction around it goes on either way. The statements go to the driver as
    written: SQLAlchemy's own savepoint (``begin_nested``) compiled its ``SAVEPOINT``
    and ``RELEASE`` again every time, uncached, and even run as text a statement this
    plain costs SQLAlchemy about eight times what it costs the driver (ADR 0051)."""
    on_driver(connection, f"SAVEPOINT {LINE_SAVEPOINT}")
    try:
        yield
    except BaseException:
        on_driver(connection, f"ROLLBACK TO SAVEPOINT {LINE_SAVEPOINT}")
        on_driver(connection, f"RELEASE SAVEPOINT {LINE_SAVEPOINT}")
        raise
    on_driver(connection, f"RELEASE SAVEPOINT {LINE_SAVEPOINT}")


def on_driver(
    connection: Connection, statement: str, parameters: Any = None, many: bool = False
) -> Any:
    """``statement`` run by the database driver's own connection (``executemany`` of
    ``parameters`` with ``many``): the driver's cursor, its errors raised as SQLAlchemy
    raises them (``IntegrityError``, ``OperationalError``..., the driver's own error as
    ``orig``). For plain statements run many times over: SQLAlchemy's events do not see
    them."""
    driver: Any = connection.connection.driver_connection
    error_class = connection.dialect.loaded_dbapi.Error
    try:
        if many:
            if hasattr(driver, "executemany"):  # sqlite3's connection
                return driver.executemany(statement, parameters)
            cursor = driver.cursor()  # psycopg's: only its cursors have executemany
            cursor.executemany(statement, parameters)
            return cursor
        if parameters is None:
            return driver.execute(statement)
        return driver.execute(statement, parameters)
    except error_class as error:
        raise DBAPIError.instance(statement, parameters, error, error_class) from error


def events_table(holder: object) -> Table:
    """The event log's table, of a ledger or of its recorder. The storage library keeps
    it on its recorder's record class; this is the one place that reaches for it."""
    recorder = getattr(holder, "recorder", holder)
    table = getattr(getattr(recorder, "events_record_cls", None), "__table__", None)
    if not isinstance(table, Table):
        raise TypeError(f"{type(holder).__name__} has no event table")
    return table


def storage_tables(holder: object) -> list[Table]:
    """The storage library's own tables (the event log's), of a ledger or its recorder."""
    recorder = getattr(holder, "recorder", holder)
    return [t for t in getattr(recorder, "tables", ()) if isinstance(t, Table)]


#: SQLite's primary result codes for "another connection holds the lock": busy (another
#: process) and locked (another connection of this one); extended codes keep them in
#: their low byte (``SQLITE_BUSY_SNAPSHOT``...).
_SQLITE_TRANSIENT = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})
#: PostgreSQL's SQLSTATEs for a transaction that lost to another and may simply be run
#: again: serialization failure, deadlock detected, lock not available.
_POSTGRESQL_TRANSIENT = frozenset({"40001", "40P01", "55P03"})


def driver_error(error: BaseException) -> BaseException | None:
    """The database driver's own exception behind ``error``: SQLAlchemy keeps it as
    ``orig``, and the storage library raises its own errors from SQLAlchemy's."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, DBAPIError) and isinstance(current.orig, BaseException):
            return current.orig
        if isinstance(current, sqlite3.Error) or hasattr(current, "sqlstate"):
            return current
        current = current.__cause__
    return None


def is_transient(error: BaseException) -> bool:
    """Whether ``error`` says only that another writer held a lock or won a race, so the
    transaction may be run again: known by the driver's error code, never its message."""
    orig = driver_error(error)
    if isinstance(orig, sqlite3.Error):
        code = getattr(orig, "sqlite_errorcode", None)
        return isinstance(code, int) and code & 0xFF in _SQLITE_TRANSIENT
    return getattr(orig, "sqlstate", None) in _POSTGRESQL_TRANSIENT


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


@contextmanager
def schema_lock(engine: Engine) -> Iterator[Any]:
    """A connection in a transaction that no other process can be creating tables in."""
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            with connection.begin():
                connection.execute(text("SELECT pg_advisory_xact_lock(4242001)"))
                yield connection
        else:
            with connection.begin():
                yield connection


def schema_names(connection: Any) -> set[str]:
    """The names of the tables and indexes the ledger's schema already holds, in one
    query (ADR 0036): opening a ledger to write creates only what is missing, without
    asking table by table and index by index."""
    if connection.dialect.name == "postgresql":
        query = (
            "SELECT c.relname FROM pg_class c WHERE c.relkind IN ('r', 'p', 'i') "
            "AND c.relnamespace = current_schema()::regnamespace"
        )
    else:
        query = "SELECT name FROM sqlite_master WHERE type IN ('table', 'index')"
    return {str(name) for name in connection.execute(text(query)).scalars()}


# --------------------------------------------------------------------------- transcoder
def _encode_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"_type_": "datetime", "_data_": value.isoformat()}
    if isinstance(value, date):
        return {"_type_": "date", "_data_": value.isoformat()}
    if isinstance(value, Decimal):
        return {"_type_": "decimal", "_data_": str(value)}
    if isinstance(value, (tuple, set, frozenset)):
        return list(value)
    raise TypeError(f"cannot store {type(value).__name__} in an event")


_REVIVERS: dict[str, Callable[[str], Any]] = {
    "datetime": datetime.fromisoformat,
    "date": date.fromisoformat,
    "decimal": Decimal,
}


def _revive(value: Any) -> Any:
    """``value`` (just parsed, so changed in place) with its dates, times and amounts
    revived; only containers are descended into, plain values stay where they are."""
    if type(value) is dict:
        kind = value.get("_type_")
        if kind is not None and len(value) == 2 and "_data_" in value:
            return _REVIVERS[kind](value["_data_"])
        _revive_within(value, value.items())
    elif type(value) is list:
        _revive_within(value, enumerate(value))
    return value


def _revive_within(container: Any, items: Iterable[tuple[Any, Any]]) -> None:
    """Revive the values of a parsed dict or list in place. A typed value (a date, a
    time, an amount: the commonest container in an event) is revived here, without a
    call of :func:`_revive` for it; parsed JSON holds only plain ``dict`` and ``list``
    containers, so their exact types are tested."""
    for key, item in items:
        container_type = type(item)
        if container_type is dict:
            kind = item.get("_type_")
            if kind is not None and len(item) == 2 and "_data_" in item:
                container[key] = _REVIVERS[kind](item["_data_"])
            else:
                _revive_within(item, item.items())
        elif container_type is list:
            _revive_within(item, enumerate(item))


class OrjsonTranscoder(Transcoder):
    """Events as JSON through orjson; dates, times and money keep their types.

    Events hold only JSON values, dates, times and :class:`~decimal.Decimal` amounts.
    Names (outcomes, decisions, channels) are plain strings, never ``str`` enums, so
    nothing loses its type on the way back.
    """

    def encode(self, obj: Any) -> bytes:
        return orjson.dumps(
            obj,
            default=_encode_default,
            option=orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS,
        )

    def decode(self, data: bytes) -> Any:
        return _revive(orjson.loads(data))


class EventMapper(Mapper[UUID]):
    """The library's mapper, with a stored event turned into its domain event as the
    library turns it (``Mapper.to_domain_event``: the class of its topic, the decoded
    state with the originator's id and version, upcast to the class's version, set as
    the new object's ``__dict__``) but with what is the same for every event of a topic
    (its class, its class version, the check of its id's type) worked out once.

    A cipher, a compressor or an id that is not a :class:`~uuid.UUID` (so might need
    converting) leaves the event to the library's own path, and so does state that
    cannot be decoded (which raises the library's error). ADR 0050."""

    def __init__(
        self, transcoder: Transcoder, compressor: Any = None, cipher: Any = None
    ) -> None:
        super().__init__(transcoder, compressor=compressor, cipher=cipher)
        self._classes: dict[str, tuple[type[Any], int]] = {}

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        originator_id = stored_event.originator_id
        if self.cipher or self.compressor or type(originator_id) is not UUID:
            return super().to_domain_event(stored_event)
        found = self._classes.get(stored_event.topic)
        if found is None:
            found = self._class_of(stored_event.topic)
        cls, class_version = found
        try:
            state = self.transcoder.decode(stored_event.state)
        except Exception:
            return super().to_domain_event(stored_event)
        state["originator_id"] = originator_id
        state["originator_version"] = stored_event.originator_version
        from_version = state.pop("class_version", 1)
        while from_version < class_version:
            getattr(cls, f"upcast_v{from_version}_v{from_version + 1}")(state)
            from_version += 1
        event = object.__new__(cls)
        object.__setattr__(event, "__dict__", state)
        return event

    def _class_of(self, topic: str) -> tuple[type[Any], int]:
        cls = resolve_topic(topic)
        find_id_convertor(cls, UUID)  # a UUID passes as it is (or the class is refused)
        found = self._classes[topic] = (cls, getattr(cls, "class_version", 1))
        return found
