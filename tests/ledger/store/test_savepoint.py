"""The savepoint a batch line runs in (ADR 0051): its statements go to the driver as
written, and what goes wrong is raised as SQLAlchemy raises it."""

from __future__ import annotations

import pytest
import sqlalchemy
from sqlalchemy import text

from ledger.store.storage import make_engine, on_driver, savepoint


class Stopped(Exception):
    pass


def test_what_a_savepoint_holds_is_undone_alone_and_the_transaction_goes_on(
    db_url: str,
) -> None:
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection, connection.begin() as outer:
            connection.execute(text("CREATE TEMPORARY TABLE kept (n integer)"))
            connection.execute(text("INSERT INTO kept VALUES (1)"))
            with pytest.raises(Stopped), savepoint(connection):
                connection.execute(text("INSERT INTO kept VALUES (2)"))
                raise Stopped
            with savepoint(connection):
                connection.execute(text("INSERT INTO kept VALUES (3)"))
            rows = connection.execute(text("SELECT n FROM kept ORDER BY n")).scalars().all()
            assert rows == [1, 3]
            outer.rollback()
    finally:
        engine.dispose()


def test_a_statement_refused_by_the_database_is_said_as_sqlalchemy_says_it(
    db_url: str,
) -> None:
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection, connection.begin():
            connection.execute(text("CREATE TEMPORARY TABLE once (n integer PRIMARY KEY)"))
            connection.execute(text("INSERT INTO once VALUES (1)"))
            with pytest.raises(sqlalchemy.exc.IntegrityError) as refused, savepoint(connection):
                on_driver(connection, "INSERT INTO once VALUES (1)")
            assert isinstance(refused.value.orig, connection.dialect.loaded_dbapi.Error)
            # rolled back to the savepoint: the transaction is usable again
            assert connection.execute(text("SELECT count(*) FROM once")).scalar() == 1
    finally:
        engine.dispose()
