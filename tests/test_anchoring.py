"""Anchoring the chain: a head published earlier, and signed checkpoints, catch the
rewrites that recomputing the chain alone cannot see.

Each attack is made in raw SQL with the project's own hash function, as someone with
database rights and this source code would, triggers disabled first.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from uuid import UUID

import orjson
import pytest
import sqlalchemy
from click.testing import CliRunner, Result
from sqlalchemy import text

from cli.main import cli
from domain.procedure import ProcedurePolicy
from ledger.application import Ledger
from ledger.integrity import GENESIS, event_hash

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


def complaints(db_url: str, *args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, ["--db", db_url, *args], obj={}, env=env)


def said(result: Result) -> str:
    return (result.stdout + result.stderr).strip()


def disable_triggers(connection: sqlalchemy.Connection, table: str) -> None:
    if connection.dialect.name == "sqlite":
        for action in ("update", "delete"):
            connection.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_{action}"))
    else:
        connection.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))


def _uuid(stored: object) -> UUID:
    if isinstance(stored, (bytes, memoryview)):
        return UUID(bytes=bytes(stored))
    return UUID(str(stored))


def rechain(c: sqlalchemy.Connection) -> None:
    """Recompute every chain link over the events as they now are."""
    disable_triggers(c, "ledger_chain")
    c.execute(text("DELETE FROM ledger_chain"))
    previous, last = GENESIS, 0
    for e in c.execute(
        text(
            "SELECT id, originator_id, originator_version, topic, state FROM ledger_events "
            "ORDER BY id"
        )
    ).all():
        digest = event_hash(
            previous, e.id, _uuid(e.originator_id), e.originator_version, e.topic, bytes(e.state)
        )
        c.execute(
            text("INSERT INTO ledger_chain VALUES (:p, :q, :h)"),
            {"p": e.id, "q": last, "h": digest},
        )
        previous, last = digest, e.id


def alter_and_rechain(raw: sqlalchemy.Engine) -> None:
    """Change an outcome at position 3 and recompute every later hash."""
    with raw.begin() as c:
        disable_triggers(c, "ledger_events")
        state = c.execute(text("SELECT state FROM ledger_events WHERE id = 3")).scalar_one()
        c.execute(
            text("UPDATE ledger_events SET state = :s WHERE id = 3"),
            {"s": bytes(state).replace(b"upheld", b"not-upheld")},
        )
        rechain(c)


def delete_last_events_with_links(raw: sqlalchemy.Engine) -> None:
    with raw.begin() as c:
        disable_triggers(c, "ledger_events")
        disable_triggers(c, "ledger_chain")
        c.execute(text("DELETE FROM ledger_chain WHERE position > 10"))
        c.execute(text("DELETE FROM ledger_events WHERE id > 10"))


def published_head(db_url: str) -> tuple[int, str]:
    result = complaints(db_url, "report", "annual", "--year", "2024/25", "--format", "json")
    assert result.exit_code == 0, said(result)
    stamp = orjson.loads(result.stdout)["integrity"]
    return stamp["head_position"], stamp["head_hash"]


# ------------------------------------------------------------------ published heads
@pytest.mark.parametrize("output_format", ["md", "html", "csv"])
def test_every_report_format_prints_the_position_and_hash_to_expect(
    ledger: Ledger, db_url: str, output_format: str
) -> None:
    position, digest = ledger.head()
    result = complaints(db_url, "report", "annual", "--year", "2024/25", "--format", output_format)
    assert result.exit_code == 0, said(result)
    assert f"verify --expect {position}:{digest}" in result.stdout
    assert published_head(db_url) == (position, digest)


def test_verify_proves_the_ledger_still_contains_a_published_head(
    ledger: Ledger, db_url: str
) -> None:
    position, digest = published_head(db_url)
    ledger.receive(on=date(2024, 6, 3), actor="t", procedure="statutory", ref="T-9")
    for expect in (f"{position}:{digest}", digest):
        result = complaints(db_url, "verify", "--expect", expect)
        assert result.exit_code == 0, said(result)
        assert f"contains the published head {expect}" in result.stdout


def test_a_chain_rewritten_with_every_hash_recomputed_fails_the_published_head(
    ledger: Ledger, raw: sqlalchemy.Engine, db_url: str
) -> None:
    position, digest = published_head(db_url)
    alter_and_rechain(raw)
    assert complaints(db_url, "verify").exit_code == 0  # what verify alone cannot see
    for expect in (f"{position}:{digest}", digest):
        result = complaints(db_url, "verify", "--expect", expect)
        assert result.exit_code == 1
        assert said(result).startswith(
            f"Error: the ledger no longer contains the published head {expect}: "
        )
        assert said(result).endswith("[anchor]") and len(said(result).splitlines()) == 1


def test_the_last_events_deleted_with_their_links_fail_the_published_head(
    ledger: Ledger, raw: sqlalchemy.Engine, db_url: str
) -> None:
    position, digest = published_head(db_url)
    delete_last_events_with_links(raw)
    assert complaints(db_url, "verify").exit_code == 0  # what verify alone cannot see
    result = complaints(db_url, "verify", "--expect", f"{position}:{digest}")
    assert result.exit_code == 1
    assert f"no event is chained at position {position} (the head is at 10)" in said(result)


def test_an_expect_file_of_published_heads(
    ledger: Ledger, raw: sqlalchemy.Engine, db_url: str, tmp_path: Path
) -> None:
    first = published_head(db_url)
    ledger.receive(on=date(2024, 6, 3), actor="t", procedure="statutory", ref="T-9")
    second = published_head(db_url)
    heads = tmp_path / "heads.txt"
    heads.write_text(
        f"# published in the annual reports\n{first[0]} {first[1]}\n\n{second[0]} {second[1]}\n"
    )
    assert complaints(db_url, "verify", "--expect-file", str(heads)).exit_code == 0
    alter_and_rechain(raw)
    result = complaints(db_url, "verify", "--expect-file", str(heads))
    assert result.exit_code == 1
    assert f"published head {first[0]}:{first[1]}" in said(result)


def test_malformed_published_heads_are_refused_in_one_line(
    ledger: Ledger, db_url: str, tmp_path: Path
) -> None:
    result = complaints(db_url, "verify", "--expect", "12:abc")
    assert result.exit_code == 2 and "64 hexadecimal digits" in result.stderr
    heads = tmp_path / "heads.txt"
    heads.write_text(f"{'0' * 64}\n")
    result = complaints(db_url, "verify", "--expect-file", str(heads))
    assert result.exit_code == 1
    assert said(result) == (
        f"Error: {heads} line 1: write each published head as POSITION HASH [bad-data]"
    )
