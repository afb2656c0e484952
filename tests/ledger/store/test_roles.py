"""PostgreSQL roles: the application's writer adds events and never changes them; the
auditor reads events and read models and can change nothing."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy
from click.testing import CliRunner, Result
from sqlalchemy import text
from sqlalchemy.engine import make_url

from cli.main import cli


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", url, "--actor", "t", *args], obj={})


@pytest.fixture
def roles(pg_url: str, pg_admin: sqlalchemy.Engine) -> Iterator[tuple[str, str]]:
    suffix = uuid.uuid4().hex[:8]
    writer, auditor = f"w_{suffix}", f"a_{suffix}"
    yield writer, auditor
    with pg_admin.connect() as connection:
        for role in (writer, auditor):
            connection.execute(
                text(
                    f"DO $$ BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN "
                    f"EXECUTE 'DROP OWNED BY {role}'; EXECUTE 'DROP ROLE {role}'; END IF; END $$"
                )
            )


def as_role(url: str, role: str) -> str:
    return make_url(url).set(username=role).render_as_string(hide_password=False)


def test_writer_records_and_auditor_only_reads(pg_url: str, roles: tuple[str, str]) -> None:
    writer, auditor = roles
    owner = run(pg_url, "receive", "--ref", "R-1", "--on", "2024-05-01", "--procedure", "statutory")
    assert owner.exit_code == 0, owner.output
    granted = run(pg_url, "roles", "grant", "--writer", writer, "--auditor", auditor)
    assert granted.exit_code == 0, granted.output

    as_writer, as_auditor = as_role(pg_url, writer), as_role(pg_url, auditor)
    assert (
        run(as_writer, "respond", "R-1", "--on", "2024-05-10", "--outcome", "upheld").exit_code == 0
    )
    assert run(as_writer, "receive", "--ref", "R-2", "--on", "2024-05-02").exit_code == 0
    assert run(as_writer, "report", "annual", "--year", "2024").exit_code == 0

    # The auditor reads the history, the state, the chain and the (current) reports...
    assert run(as_auditor, "history", "R-1", "--format", "json").exit_code == 0
    assert run(as_auditor, "show", "R-1").exit_code == 0
    assert run(as_auditor, "verify").exit_code == 0
    assert run(as_auditor, "report", "annual", "--year", "2024").exit_code == 0
    # ...and can change nothing.
    refused = run(as_auditor, "receive", "--ref", "R-3", "--on", "2024-05-03")
    assert refused.exit_code == 1
    assert "permission denied" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE ledger_events SET topic = topic",
        "DELETE FROM ledger_events",
        "INSERT INTO rm_case_reason VALUES ('x', 'y')",
        "DELETE FROM ledger_chain",
    ],
)
def test_auditor_cannot_change_anything_in_raw_sql(
    pg_url: str, roles: tuple[str, str], statement: str
) -> None:
    _writer, auditor = roles
    assert run(pg_url, "receive", "--ref", "R-1", "--on", "2024-05-01").exit_code == 0
    assert run(pg_url, "roles", "grant", "--auditor", auditor).exit_code == 0
    engine = sqlalchemy.create_engine(as_role(pg_url, auditor))
    try:
        with (
            pytest.raises(sqlalchemy.exc.ProgrammingError, match="permission denied"),
            engine.begin() as connection,
        ):
            connection.execute(text(statement))
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM ledger_events")).scalar() == 1
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE ledger_events SET topic = topic",
        "DELETE FROM ledger_events",
        "DELETE FROM ledger_chain",
    ],
)
def test_writer_cannot_change_recorded_events_in_raw_sql(
    pg_url: str, roles: tuple[str, str], statement: str
) -> None:
    writer, _ = roles
    assert run(pg_url, "receive", "--ref", "R-1", "--on", "2024-05-01").exit_code == 0
    assert run(pg_url, "roles", "grant", "--writer", writer).exit_code == 0
    engine = sqlalchemy.create_engine(as_role(pg_url, writer))
    try:
        with (
            pytest.raises(sqlalchemy.exc.ProgrammingError, match="permission denied"),
            engine.begin() as connection,
        ):
            connection.execute(text(statement))
    finally:
        engine.dispose()


def test_roles_are_refused_for_sqlite(sqlite_url: str) -> None:
    result = run(sqlite_url, "roles", "grant", "--auditor", "someone")
    assert result.exit_code == 1
    assert "PostgreSQL" in result.stderr
