"""The writers' turn on PostgreSQL is per ledger (its schema): a ledger in another schema
of the same database never waits for it (ADR 0037)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import sqlalchemy

from ledger.application import Ledger
from ledger.store.storage import WRITER_LOCK_HELD
from tests.conftest import drop_test_schema, pg_schema_url


@pytest.fixture
def other_pg_url(pg_admin: sqlalchemy.Engine) -> Iterator[str]:
    schema = "t_" + uuid.uuid4().hex[:12]
    with pg_admin.connect() as connection:
        connection.execute(sqlalchemy.text(f"CREATE SCHEMA {schema}"))
    yield pg_schema_url(schema)
    drop_test_schema(pg_admin, schema)


def _held(url: str) -> bool:
    engine = sqlalchemy.create_engine(url)
    try:
        with engine.connect() as connection:
            return bool(connection.execute(sqlalchemy.text(WRITER_LOCK_HELD)).scalar())
    finally:
        engine.dispose()


def test_a_writer_of_another_schema_records_while_this_ledgers_writer_holds_its_turn(
    pg_url: str, other_pg_url: str
) -> None:
    this, other = Ledger(pg_url), Ledger(other_pg_url)
    recorded: list[str] = []
    try:
        with this.one_transaction():  # this ledger's writer's turn, held
            assert _held(pg_url) and not _held(other_pg_url)
            writer = threading.Thread(
                target=lambda: recorded.append(
                    other.receive(on=date(2025, 4, 7), actor="t", procedure="statutory")
                )
            )
            writer.start()
            writer.join(timeout=20)
            assert not writer.is_alive(), "the other ledger's writer waited for this one"
        assert recorded == ["CSC-2025-0001"]
        assert not _held(pg_url)
    finally:
        this.close()
        other.close()


def test_a_question_asked_while_the_read_models_are_behind_is_answered_outside_the_turn(
    pg_url: str,
) -> None:
    app = Ledger(pg_url)
    try:
        app.receive(on=date(2025, 4, 7), actor="t", procedure="statutory")
        app.unit_of_work(lambda: app.projection.reset(app.sessions()), catch_up=False)
        assert app.projection_status().lag > 0

        def question(session: Any) -> tuple[bool, int]:
            cases = session.execute(sqlalchemy.text("SELECT count(*) FROM rm_case")).scalar()
            return _held(pg_url), int(cases)

        assert app.query(question) == (False, 1)  # caught up first, answered after
        assert app.projection_status().lag == 0
    finally:
        app.close()
