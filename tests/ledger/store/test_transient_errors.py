"""A transaction that lost a race is run again; every other database failure is not.
The ledger knows which by the driver's error code (SQLite's result code, PostgreSQL's
SQLSTATE), reached through SQLAlchemy's ``orig`` and the storage library's wrapping,
never by the message's words."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy
from eventsourcing.persistence import OperationalError

from ledger.store.storage import driver_error, is_transient


def _failure(engine: sqlalchemy.Engine, sql: str) -> sqlalchemy.exc.DBAPIError:
    with engine.connect() as connection, pytest.raises(sqlalchemy.exc.DBAPIError) as caught:
        connection.execute(sqlalchemy.text(sql))
    return caught.value


def _wrapped(error: sqlalchemy.exc.DBAPIError) -> OperationalError:
    """As the storage library raises it: its own error, from SQLAlchemy's."""
    try:
        raise OperationalError(error) from error
    except OperationalError as wrapped:
        return wrapped


def test_sqlite_busy_is_transient_however_it_is_wrapped(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    engine = sqlalchemy.create_engine(f"sqlite:///{path}", connect_args={"timeout": 0})
    try:
        error = _failure(engine, "INSERT INTO t VALUES (1)")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        engine.dispose()
    orig = driver_error(error)
    assert isinstance(orig, sqlite3.OperationalError)
    assert orig.sqlite_errorcode == sqlite3.SQLITE_BUSY
    assert is_transient(error)
    assert is_transient(_wrapped(error))


def test_other_sqlite_failures_are_not_transient(tmp_path: Path) -> None:
    engine = sqlalchemy.create_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    try:
        error = _failure(engine, "SELECT * FROM missing")
    finally:
        engine.dispose()
    assert isinstance(driver_error(error), sqlite3.OperationalError)
    assert not is_transient(error)
    assert not is_transient(_wrapped(error))


def test_a_message_that_only_says_locked_is_not_transient() -> None:
    assert not is_transient(RuntimeError("database is locked"))
    assert not is_transient(sqlite3.OperationalError("database is locked"))


@pytest.mark.parametrize(
    ("sqlstate", "transient"),
    [("40001", True), ("40P01", True), ("55P03", True), ("42P01", False), ("23505", False)],
)
def test_postgresql_failures_are_known_by_their_sqlstate(
    pg_admin: sqlalchemy.Engine, sqlstate: str, transient: bool
) -> None:
    raised = f"DO $$ BEGIN RAISE EXCEPTION 'no words to go by' USING ERRCODE = '{sqlstate}'; END $$"
    error = _failure(pg_admin, raised)
    assert getattr(driver_error(error), "sqlstate", None) == sqlstate
    assert is_transient(error) is transient
    assert is_transient(_wrapped(error)) is transient
