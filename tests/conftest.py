"""Test fixtures: every ledger test runs against a real SQLite file and a real
PostgreSQL server (its own schema, created and dropped by the test).

PostgreSQL is found at ``COMPLAINTS_TEST_PG`` (default: 127.0.0.1:5432, user postgres,
database test, trust auth). If it cannot be reached the PostgreSQL tests FAIL: a
missing database is never a reason to skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy

PG_BASE_URL = os.environ.get(
    "COMPLAINTS_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BACKENDS = ("sqlite", "postgresql")


def _pg_admin_engine() -> sqlalchemy.Engine:
    return sqlalchemy.create_engine(PG_BASE_URL, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[sqlalchemy.Engine]:
    engine = _pg_admin_engine()
    try:
        with engine.connect() as connection:
            connection.execute(sqlalchemy.text("SELECT 1"))
    except sqlalchemy.exc.OperationalError as error:
        pytest.fail(
            f"PostgreSQL is required for the test suite and is not reachable at "
            f"{PG_BASE_URL}: {str(error).splitlines()[0]}",
            pytrace=False,
        )
    yield engine
    engine.dispose()


def pg_schema_url(schema: str) -> str:
    separator = "&" if "?" in PG_BASE_URL else "?"
    return f"{PG_BASE_URL}{separator}options=-csearch_path%3D{schema}"


@pytest.fixture
def pg_url(pg_admin: sqlalchemy.Engine) -> Iterator[str]:
    schema = "t_" + uuid.uuid4().hex[:12]
    with pg_admin.connect() as connection:
        connection.execute(sqlalchemy.text(f"CREATE SCHEMA {schema}"))
    yield pg_schema_url(schema)
    drop_test_schema(pg_admin, schema)


def drop_test_schema(admin: sqlalchemy.Engine, schema: str) -> None:
    """A test's ledger schema and, if it recorded personal notes, its key store's
    schema beside it (ADR 0021)."""
    with admin.connect() as connection:
        connection.execute(sqlalchemy.text(f"DROP SCHEMA {schema} CASCADE"))
        connection.execute(sqlalchemy.text(f"DROP SCHEMA IF EXISTS {schema}_keys CASCADE"))


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'ledger.db'}"


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest) -> str:
    """A fresh, empty ledger database URL on each backend in turn."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("sqlite_url"))
    return str(request.getfixturevalue("pg_url"))
