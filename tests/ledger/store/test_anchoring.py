"""Anchoring the chain: a head published earlier, and signed checkpoints, catch the
rewrites that recomputing the chain alone cannot see.

Each attack is made in raw SQL with the project's own hash function, as someone with
database rights and this source code would, triggers disabled first.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import orjson
import pytest
import sqlalchemy
from click.testing import CliRunner, Result
from sqlalchemy import text

from cli.main import cli
from domain.procedure import ProcedurePolicy
from ledger.application import Ledger
from ledger.store.integrity import GENESIS, event_hash
from tests.ledger.store.test_integrity import _uuid, disable_triggers

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
    # The read models built before the rewrite disagree with it (ADR 0024)...
    assert said(complaints(db_url, "verify")).endswith("[read-models]")
    # ...but rebuilt after it, nothing but the published head shows it.
    assert complaints(db_url, "projections", "rebuild").exit_code == 0
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
    # The read models were built from events that are gone (ADR 0024)...
    assert said(complaints(db_url, "verify")) == (
        "Error: the read models were built from the events up to position 12, "
        "but the log ends at 10: events have been removed [read-models]"
    )
    # ...but rebuilt after it, nothing but the published head shows it.
    assert complaints(db_url, "projections", "rebuild").exit_code == 0
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


# ------------------------------------------------------------------ signed checkpoints
def checkpoint(db_url: str, key: Path) -> Result:
    return complaints(db_url, "checkpoint", env={"COMPLAINTS_CHECKPOINT_KEY": str(key)})


def test_a_checkpoint_is_signed_with_a_key_created_apart_from_the_ledger(
    ledger: Ledger, db_url: str, tmp_path: Path
) -> None:
    key = tmp_path / "keys" / "checkpoint.key"
    key.parent.mkdir()
    first = checkpoint(db_url, key)
    assert first.exit_code == 0, said(first)
    assert first.stderr.startswith(f"Created a new checkpoint signing key in {key} ")
    assert key.stat().st_mode & 0o777 == 0o600 and (key.parent / "checkpoint.key.pub").exists()
    position, digest = ledger.head()
    assert first.stdout.startswith(f"checkpoint 1: head {position} hash {digest} at ")
    ledger.receive(on=date(2024, 6, 3), actor="t", procedure="statutory", ref="T-9")
    second = complaints(db_url, "checkpoint", "--key", str(key))
    assert second.exit_code == 0 and second.stderr == ""
    assert second.stdout.startswith(f"checkpoint 2: head {ledger.head()[0]} hash ")
    result = complaints(db_url, "verify", "--key", str(key.parent / "checkpoint.key.pub"))
    assert result.exit_code == 0, said(result)
    assert "contains all 2 signed checkpoints" in result.stdout


def test_a_checkpoint_needs_a_key(ledger: Ledger, db_url: str) -> None:
    result = complaints(db_url, "checkpoint", env={"COMPLAINTS_CHECKPOINT_KEY": ""})
    assert result.exit_code == 2 and "--key FILE" in result.stderr


def test_a_checkpoint_of_a_tampered_chain_is_refused(
    ledger: Ledger, raw: sqlalchemy.Engine, db_url: str, tmp_path: Path
) -> None:
    with raw.begin() as c:
        disable_triggers(c, "ledger_events")
        c.execute(text("DELETE FROM ledger_events WHERE id = 5"))
    result = checkpoint(db_url, tmp_path / "checkpoint.key")
    assert result.exit_code == 1
    assert result.stderr.strip().endswith(
        "Error: the ledger has been tampered with at position 5: run complaints verify [hash-chain]"
    )


def test_a_chain_altered_and_recomputed_after_a_checkpoint_is_caught(
    ledger: Ledger, raw: sqlalchemy.Engine, db_url: str, tmp_path: Path
) -> None:
    position = ledger.head()[0]
    assert checkpoint(db_url, tmp_path / "checkpoint.key").exit_code == 0
    alter_and_rechain(raw)
    result = complaints(db_url, "verify")
    assert result.exit_code == 1
    assert said(result).startswith(
        f"Error: the ledger no longer contains checkpoint 1 (position {position}, made "
    )
    assert f"its hash at position {position} is " in said(result)


def test_the_last_events_deleted_with_their_links_after_a_checkpoint_are_caught(
    ledger: Ledger, raw: sqlalchemy.Engine, db_url: str, tmp_path: Path
) -> None:
    assert checkpoint(db_url, tmp_path / "checkpoint.key").exit_code == 0
    delete_last_events_with_links(raw)
    result = complaints(db_url, "verify")
    assert result.exit_code == 1
    assert "no event is chained at position 12 (the head is at 10)" in said(result)


def test_an_altered_checkpoint_fails_its_signature(
    ledger: Ledger, raw: sqlalchemy.Engine, db_url: str, tmp_path: Path
) -> None:
    assert checkpoint(db_url, tmp_path / "checkpoint.key").exit_code == 0
    delete_last_events_with_links(raw)
    with raw.begin() as c:  # move the checkpoint back to the shortened head
        disable_triggers(c, "ledger_checkpoints")
        head = c.execute(text("SELECT hash FROM ledger_chain WHERE position = 10")).scalar_one()
        c.execute(text("UPDATE ledger_checkpoints SET position = 10, head_hash = :h"), {"h": head})
    result = complaints(db_url, "verify")
    assert result.exit_code == 1
    assert "checkpoint 1 (position 10, made " in said(result)
    assert said(result).endswith("has a bad signature: the checkpoints have been altered [anchor]")


def test_checkpoints_re_signed_with_another_key_fail_against_the_key_held_apart(
    ledger: Ledger, raw: sqlalchemy.Engine, db_url: str, tmp_path: Path
) -> None:
    """Someone who rewrites the chain and the checkpoints with a key of their own passes
    a bare verify; the auditor who names the council's key catches them."""
    ours = tmp_path / "ours.key"
    assert checkpoint(db_url, ours).exit_code == 0
    alter_and_rechain(raw)
    with raw.begin() as c:
        disable_triggers(c, "ledger_checkpoints")
        c.execute(text("DELETE FROM ledger_checkpoints"))
    assert checkpoint(db_url, tmp_path / "theirs.key").exit_code == 0
    assert complaints(db_url, "projections", "rebuild").exit_code == 0
    assert complaints(db_url, "verify").exit_code == 0
    result = complaints(db_url, "verify", "--key", str(tmp_path / "ours.key.pub"))
    assert result.exit_code == 1
    assert "not by the key given" in said(result)


def test_the_checkpoints_are_append_only(
    ledger: Ledger, raw: sqlalchemy.Engine, db_url: str, tmp_path: Path
) -> None:
    assert checkpoint(db_url, tmp_path / "checkpoint.key").exit_code == 0
    with pytest.raises(sqlalchemy.exc.DatabaseError, match="append-only"), raw.begin() as c:
        c.execute(text("DELETE FROM ledger_checkpoints"))


# ---------------------------------------------------- reads and writes check their events
TAMPERED_13 = (
    "Error: the ledger has been tampered with at position 13: run complaints verify [hash-chain]"
)


def events(raw: sqlalchemy.Engine) -> int:
    with raw.connect() as c:
        return int(c.execute(text("SELECT count(*) FROM ledger_events")).scalar_one())


def insert_copy(raw: sqlalchemy.Engine, position: int, version: int) -> None:
    """Insert a copy of the event at ``position`` as version ``version`` of its aggregate,
    well formed, as someone with INSERT rights would."""
    with raw.begin() as c:
        row = c.execute(
            text(f"SELECT originator_id, topic, state FROM ledger_events WHERE id = {position}")
        ).one()
        c.execute(
            text(
                "INSERT INTO ledger_events (originator_id, originator_version, topic, state) "
                "VALUES (:o, :v, :t, :s)"
            ),
            {"o": row.originator_id, "v": version, "t": row.topic, "s": row.state},
        )


def refused_as_tampered(result: Result, expected: str = TAMPERED_13) -> None:
    assert result.exit_code == 1, said(result)
    assert result.stdout == ""
    assert result.stderr.strip() == expected  # one line, no traceback


@pytest.mark.parametrize("version", [4, 6], ids=["next-version", "version-gap"])
def test_a_forged_insert_is_refused_by_every_read_and_write(
    ledger: Ledger, raw: sqlalchemy.Engine, db_url: str, version: int
) -> None:
    """A well-formed copy at the case's next version was shown, counted and built on;
    one after a version gap broke every read and write with a traceback."""
    insert_copy(raw, 12, version)
    before = events(raw)
    for args in (
        ["show", "T-3"],
        ["history", "T-3"],
        ["list"],
        ["report", "annual", "--year", "2024/25"],
        ["escalate", "T-3", "--on", "2024-05-20"],
        ["receive", "--on", "2024-06-03", "--procedure", "statutory", "--ref", "T-9"],
    ):
        refused_as_tampered(complaints(db_url, "--actor", "t", *args))
    assert events(raw) == before  # nothing written on top of it
    assert complaints(db_url, "show", "T-0").exit_code == 0  # other cases still read


def test_a_version_gap_with_every_hash_recomputed_is_refused_and_fails_verify(
    ledger: Ledger, raw: sqlalchemy.Engine, db_url: str
) -> None:
    """Chained well-formed, a copy after a gap in its case's versions broke every read
    with OriginatorVersionError, and verify passed."""
    insert_copy(raw, 12, 6)
    with raw.begin() as c:
        rechain(c)
    refused_as_tampered(complaints(db_url, "--actor", "t", "show", "T-3"))
    verified = complaints(db_url, "verify")
    assert verified.exit_code == 1
    assert verified.stderr.strip() == (
        "Error: the ledger has been tampered with at position 13: forged: version 6 follows "
        "version 3 of its record (12 events before it verified) [hash-chain]"
    )


def test_an_altered_event_is_refused_when_its_case_is_loaded(
    ledger: Ledger, raw: sqlalchemy.Engine, db_url: str
) -> None:
    with raw.begin() as c:
        disable_triggers(c, "ledger_events")
        state = c.execute(text("SELECT state FROM ledger_events WHERE id = 3")).scalar_one()
        c.execute(
            text("UPDATE ledger_events SET state = :s WHERE id = 3"),
            {"s": bytes(state).replace(b"upheld", b"not-upheld")},
        )
    shown = {ref: complaints(db_url, "show", ref) for ref in ("T-0", "T-1", "T-2", "T-3")}
    refusals = [r for r in shown.values() if r.exit_code == 1]
    assert len(refusals) == 1
    refused_as_tampered(refusals[0], TAMPERED_13.replace("13", "3"))


@pytest.mark.parametrize(
    "copied, chained",
    [("NumberIssued", False), ("Started", False), ("Started", True)],
    ids=["number-issued", "started", "started-with-every-hash-recomputed"],
)
def test_a_copied_reference_sequence_event_is_refused(
    raw: sqlalchemy.Engine, db_url: str, copied: str, chained: bool
) -> None:
    """A copied reference-sequence event broke every generated reference (a copied
    Started, even chained well-formed, with AssertionError)."""
    receive = ["--actor", "t", "receive", "--on", "2025-04-07", "--procedure", "statutory"]
    assert complaints(db_url, *receive).stdout.strip() == "CSC-2025-0001"
    with raw.connect() as c:
        sequence = c.execute(
            text(
                "SELECT id, originator_id FROM ledger_events "
                f"WHERE topic LIKE '%ReferenceSequence.{copied}' ORDER BY id DESC LIMIT 1"
            )
        ).one()
        version = c.execute(
            text("SELECT max(originator_version) FROM ledger_events WHERE originator_id = :o"),
            {"o": sequence.originator_id},
        ).scalar_one()
    insert_copy(raw, sequence.id, version + 1)
    if chained:
        with raw.begin() as c:
            rechain(c)
    with raw.connect() as c:
        position = c.execute(text("SELECT max(id) FROM ledger_events")).scalar_one()
    before = events(raw)
    result = complaints(db_url, *receive)
    refused_as_tampered(result, TAMPERED_13.replace("13", str(position)))
    assert events(raw) == before
    verified = complaints(db_url, "verify")
    assert verified.exit_code == 1
    assert f"tampered with at position {position}" in verified.stderr
    if chained:
        assert "forged: a creation event at version 3" in verified.stderr
