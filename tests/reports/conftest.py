"""Fixtures for the report tests.

``module_db_url`` is like ``db_url`` (a fresh ledger database on SQLite, then on
PostgreSQL) but lives for a whole test module, so that a seed report's history is built
once per backend and read by many small tests.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy

from tests.conftest import BACKENDS, drop_test_schema, pg_schema_url


@pytest.fixture(scope="module", params=BACKENDS)
def module_db_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('seed') / 'ledger.db'}"
        return
    admin: sqlalchemy.Engine = request.getfixturevalue("pg_admin")
    schema = "t_" + uuid.uuid4().hex[:12]
    with admin.connect() as connection:
        connection.execute(sqlalchemy.text(f"CREATE SCHEMA {schema}"))
    yield pg_schema_url(schema)
    drop_test_schema(admin, schema)
