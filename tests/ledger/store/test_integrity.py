"""Append-only, enforced by the database; tampering shown by the hash chain.

Each attack is made in raw SQL, as someone with database rights would, with the
append-only trigger disabled first where it would stop them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from uuid import UUID

import pytest
import sqlalchemy
from click.testing import CliRunner
from sqlalchemy import text

from cli.main import cli
from domain.errors import LedgerTampered
from domain.procedure import ProcedurePolicy
from ledger.application import Ledger

POLICY = ProcedurePolicy(today=date(2026, 11, 23))


@pytest.fixture
def ledger(db_url: str) -> Iterator[Ledger]:
    app = Ledger(db_url, POLICY)
    for n in range(4):
        ref = app.receive(on=date(2024, 5, 1), actor="t", procedure="statutory", ref=f"T-{n}")
        app.act(
            ref, lambda c, p: c.respond(on=date(2024, 5, 9), actor="t", policy=p, outcome="upheld")
        )
    yield app
    app.close()


@pytest.fixture
def raw(db_url: str) -> Iterator[sqlalchemy.Engine]:
    engine = sqlalchemy.create_engine(db_url)
    yield engine
    engine.dispose()


def disable_triggers(connection: sqlalchemy.Connection, table: str) -> None:
    if connection.dialect.name == "sqlite":
        for action in ("update", "delete"):
            connection.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_{action}"))
    else:
        connection.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))


def _uuid(stored: object) -> UUID:
    """The aggregate id as SQLite (16 bytes) or PostgreSQL (uuid) stores it."""
    if isinstance(stored, (bytes, memoryview)):
        return UUID(bytes=bytes(stored))
    return UUID(str(stored))


def verify(db_url: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--db", db_url, "verify"], obj={})
    return result.exit_code, (result.stdout + result.stderr).strip()


def test_an_intact_ledger_verifies_with_its_head_hash(ledger: Ledger, db_url: str) -> None:
    code, said = verify(db_url)
    assert code == 0
    position, digest = ledger.head()
    assert said == f"verified 12 events; head {position} hash {digest}"


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE ledger_events SET topic = topic",
        "DELETE FROM ledger_events",
        "UPDATE ledger_chain SET hash = hash",
        "DELETE FROM ledger_chain",
    ],
)
def test_the_database_refuses_to_change_the_log(
    ledger: Ledger, raw: sqlalchemy.Engine, statement: str
) -> None:
    with pytest.raises(sqlalchemy.exc.DatabaseError, match="append-only"), raw.begin() as c:
        c.execute(text(statement))
    assert ledger.verify().intact


def test_truncating_the_log_is_refused_on_postgresql(pg_url: str) -> None:
    Ledger(pg_url, POLICY).close()
    engine = sqlalchemy.create_engine(pg_url)
    with pytest.raises(sqlalchemy.exc.DatabaseError, match="append-only"), engine.begin() as c:
        c.execute(text("TRUNCATE ledger_events CASCADE"))
    engine.dispose()


def test_an_altered_event_is_caught(ledger: Ledger, raw: sqlalchemy.Engine, db_url: str) -> None:
    with raw.begin() as c:
        disable_triggers(c, "ledger_events")
        state = c.execute(text("SELECT state FROM ledger_events WHERE id = 3")).scalar_one()
        forged = bytes(state).replace(b"upheld", b"not-upheld")
        assert forged != bytes(state)
        c.execute(text("UPDATE ledger_events SET state = :s WHERE id = 3"), {"s": forged})
    verdict = ledger.verify()
    assert (verdict.problem_position, verdict.verified) == (3, 2)
    assert verdict.problem is not None and verdict.problem.startswith("altered")
    code, said = verify(db_url)
    assert code == 1
    assert said.startswith("Error: the ledger has been tampered with at position 3: altered")


def test_a_removed_event_is_caught(ledger: Ledger, raw: sqlalchemy.Engine) -> None:
    with raw.begin() as c:
        disable_triggers(c, "ledger_events")
        c.execute(text("DELETE FROM ledger_events WHERE id = 5"))
    verdict = ledger.verify()
    assert verdict.problem_position == 5
    assert verdict.problem is not None and verdict.problem.startswith("removed")


def test_an_event_removed_with_its_chain_entry_is_caught(
    ledger: Ledger, raw: sqlalchemy.Engine
) -> None:
    with raw.begin() as c:
        disable_triggers(c, "ledger_events")
        disable_triggers(c, "ledger_chain")
        c.execute(text("DELETE FROM ledger_events WHERE id = 5"))
        c.execute(text("DELETE FROM ledger_chain WHERE position = 5"))
    verdict = ledger.verify()
    assert verdict.problem_position == 6
    assert verdict.problem is not None and verdict.problem.startswith("removed")


def test_an_inserted_event_is_caught_even_after_later_writes(
    ledger: Ledger, raw: sqlalchemy.Engine
) -> None:
    with raw.begin() as c:
        row = c.execute(
            text("SELECT originator_id, topic, state FROM ledger_events WHERE id = 12")
        ).one()
        c.execute(
            text(
                "INSERT INTO ledger_events (originator_id, originator_version, topic, state) "
                "VALUES (:o, 4, :t, :s)"
            ),
            {"o": row.originator_id, "t": row.topic, "s": row.state},
        )
    # A write afterwards is refused (its read models would build on the forged event),
    # and must not adopt the forged event into the chain.
    with pytest.raises(LedgerTampered, match="tampered with at position 13"):
        ledger.receive(on=date(2024, 6, 3), actor="t", procedure="statutory", ref="T-9")
    verdict = ledger.verify()
    assert verdict.problem_position == 13
    assert verdict.problem is not None and verdict.problem.startswith("inserted")


def test_a_rewritten_chain_no_longer_leads_to_the_published_head(
    ledger: Ledger, raw: sqlalchemy.Engine
) -> None:
    """An attacker who recomputes the whole chain makes it consistent again: only the
    head hash published earlier (printed in the annual report) shows the rewrite."""
    from ledger.store.integrity import GENESIS, event_hash

    published = ledger.head()
    with raw.begin() as c:
        disable_triggers(c, "ledger_events")
        disable_triggers(c, "ledger_chain")
        state = c.execute(text("SELECT state FROM ledger_events WHERE id = 3")).scalar_one()
        c.execute(
            text("UPDATE ledger_events SET state = :s WHERE id = 3"),
            {"s": bytes(state).replace(b"upheld", b"not-upheld")},
        )
        c.execute(text("DELETE FROM ledger_chain"))
        previous, last = GENESIS, 0
        for e in c.execute(
            text(
                "SELECT id, originator_id, originator_version, topic, state FROM ledger_events "
                "ORDER BY id"
            )
        ):
            digest = event_hash(
                previous,
                e.id,
                _uuid(e.originator_id),
                e.originator_version,
                e.topic,
                bytes(e.state),
            )
            c.execute(
                text("INSERT INTO ledger_chain VALUES (:p, :q, :h)"),
                {"p": e.id, "q": last, "h": digest},
            )
            previous, last = digest, e.id
    verdict = ledger.verify()
    assert verdict.intact
    assert verdict.head_hash != published[1]
