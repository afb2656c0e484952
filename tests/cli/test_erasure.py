"""Erasing a person without rewriting history (issue 10, ADR 0021): personal notes are
sealed under a key per data subject kept outside the event log; `erase` destroys the key
and records an Erased step. Figures, the hash chain and every earlier link stay exactly
as they were; nothing readable of the erased person is left in the ledger, the key store
or any export; a subject access export shows the notes before and says "erased" after."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import orjson
import pytest
import sqlalchemy
from sqlalchemy import text
from sqlalchemy.engine import make_url

from domain.complaint import case_id
from tests.cli.conftest import Complaints

REF = "CSC-2025-0001"
OTHER = "CSC-2025-0002"
COMPLAINANT = ["Zelda Quigley", "zelda.q@example.org"]
CHILD = ["Xavier Quigley"]
INVESTIGATOR = ["Ivy Investigator"]
PANEL_MEMBER = ["Peter Panelmember"]
CASE = ["walrus incident at the respite unit", "marmoset plan for contact"]
EVERYONE = COMPLAINANT + CHILD + INVESTIGATOR + PANEL_MEMBER + CASE


def walk_case(complaints: Complaints) -> None:
    """A statutory case through all three stages, with notes about everyone."""
    complaints.ok(
        "receive", "--ref", REF, "--on", "2025-04-07", "--procedure", "statutory",
        "--role", "parent", "--team", "Locality North", "--reason", "poor-communication",
        "--complainant", COMPLAINANT[0], "--contact", COMPLAINANT[1],
        "--child", CHILD[0], "--summary", CASE[0],
    )  # fmt: skip
    steps = [
        ("respond", REF, "--on", "2025-04-17", "--outcome", "not-upheld"),
        ("escalate", REF, "--on", "2025-04-30"),
        ("appoint", REF, "--on", "2025-05-01", "--role", "investigating-officer",
         "--person", "IO-7", "--name", INVESTIGATOR[0]),
        ("appoint", REF, "--on", "2025-05-01", "--role", "independent-person", "--person", "IP-3"),
        ("respond", REF, "--on", "2025-05-30", "--outcome", "partly-upheld", "--stage", "2"),
        ("escalate", REF, "--on", "2025-06-05"),
        ("appoint", REF, "--on", "2025-06-09", "--role", "panel-chair", "--person", "PC-1"),
        ("appoint", REF, "--on", "2025-06-09", "--role", "panel-member",
         "--person", "PM-2", "--name", PANEL_MEMBER[0]),
        ("appoint", REF, "--on", "2025-06-09", "--role", "panel-member", "--person", "PM-3"),
        ("panel", REF, "--on", "2025-06-20", "--report-on", "2025-06-25"),
        ("respond", REF, "--on", "2025-07-01", "--outcome", "upheld"),
        ("compensate", REF, "--on", "2025-07-01", "--amount", "250"),
    ]  # fmt: skip
    for step in steps:
        complaints.ok(*step)
    complaints.ok("recommend", REF, "--on", "2025-07-01", "--stage", "3", "--text", CASE[1])
    complaints.ok(
        "receive", "--ref", OTHER, "--on", "2025-05-02", "--procedure", "statutory",
        "--complainant", "Otto Other",
    )  # fmt: skip


def figures(complaints: Complaints) -> dict[str, Any]:
    """Every report figure: the annual report (less its integrity footer, which names
    the head) and the case lists."""
    report = complaints.json("report", "annual", "--year", "2025")
    report.pop("integrity")
    corporate = complaints.json("report", "annual", "--year", "2025", "--procedure", "corporate")
    corporate.pop("integrity")
    return {
        "annual": report,
        "corporate": corporate,
        "list": complaints.json("list"),
        "show": complaints.json("show", REF, "--no-personal"),
    }


def chain_rows(db: str) -> list[tuple[Any, ...]]:
    """Every event as stored and its link in the chain, in order."""
    engine = sqlalchemy.create_engine(db)
    try:
        with engine.connect() as connection:
            return [
                tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                for row in connection.execute(
                    text(
                        "SELECT e.id, e.originator_id, e.originator_version, e.topic, e.state, "
                        "c.previous_position, c.hash FROM ledger_events e "
                        "JOIN ledger_chain c ON c.position = e.id ORDER BY e.id"
                    )
                )
            ]
    finally:
        engine.dispose()


def key_material(db: str, ref: str = REF) -> dict[str, bytes]:
    """Subject -> the bytes of its data key for case ``ref``, as the key store holds them."""
    if db.startswith("sqlite"):
        url = f"sqlite:///{make_url(db).database}.keys.db"
        table = "data_keys"
    else:
        url, table = db, None
    engine = sqlalchemy.create_engine(url)
    try:
        with engine.connect() as connection:
            if table is None:
                schema = connection.execute(text("SELECT current_schema()")).scalar_one()
                table = f'"{schema}_keys".data_keys'
            rows = connection.execute(
                text(f"SELECT subject, material FROM {table} WHERE owner = :owner"),
                {"owner": str(case_id(ref))},
            ).all()
            return {str(r.subject): bytes(r.material) for r in rows}
    finally:
        engine.dispose()


def stored_bytes(db: str) -> bytes:
    """Everything stored: the ledger's and the key store's files (SQLite), or every row
    of the ledger's and the key store's tables (PostgreSQL)."""
    if db.startswith("sqlite"):
        ledger = Path(str(make_url(db).database))
        found = b""
        for path in ledger.parent.iterdir():
            if path.name.startswith(ledger.name):
                found += path.read_bytes()
        return found
    engine = sqlalchemy.create_engine(db)
    found = b""
    try:
        with engine.connect() as connection:
            schema = connection.execute(text("SELECT current_schema()")).scalar_one()
            for owner in (schema, f"{schema}_keys"):
                tables = connection.execute(
                    text("SELECT tablename FROM pg_tables WHERE schemaname = :s"), {"s": owner}
                ).scalars()
                for table in list(tables):
                    for row in connection.execute(text(f'SELECT * FROM "{owner}"."{table}"')):
                        for value in row:
                            raw = isinstance(value, bytes | memoryview)
                            found += bytes(value) if raw else str(value).encode()
    finally:
        engine.dispose()
    return found


def exports(complaints: Complaints, folder: Path) -> bytes:
    """Every export format: the event log (with and without personal notes), every read
    model as CSV, and the annual report in each format."""
    folder.mkdir()
    complaints.ok("export", "--format", "jsonl", "--out", str(folder / "events.jsonl"))
    complaints.ok(
        "export", "--format", "jsonl", "--include-personal", "--out", str(folder / "all.jsonl")
    )
    complaints.ok("export", "--format", "csv", "--all", "--out", str(folder / "csv"))
    found = b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())
    for fmt in ("md", "json", "html", "csv"):
        found += complaints.ok("report", "annual", "--year", "2025", "--format", fmt).encode()
    return found


def subject_access(complaints: Complaints, folder: Path, subject: str = "all") -> dict[str, Any]:
    printed = complaints.ok("subject-access", REF, "--subject", subject, "--out", str(folder))
    json_path, md_path = (Path(p) for p in printed.splitlines())
    document = json.loads(json_path.read_text())
    document["markdown"] = md_path.read_text()
    return dict(document)


def texts_of(document: dict[str, Any]) -> dict[str, str]:
    return {note["key"]: note["text"] for note in document["notes"]}


def test_erase_one_subject_then_all(complaints: Complaints, tmp_path: Path) -> None:
    walk_case(complaints)
    before = figures(complaints)
    verified = complaints.json("verify")
    head_position, head_hash = verified["head_position"], verified["head_hash"]
    rows_before = chain_rows(complaints.db)
    keys_before = key_material(complaints.db)
    assert {"case", "complainant", "child", "person:IO-7", "person:PM-2"} <= set(keys_before)

    # Subject access before: every note, with its date and author.
    sar = subject_access(complaints, tmp_path / "sar-before")
    for secret in EVERYONE:
        assert secret in sar["markdown"]
    assert texts_of(sar)["complainant"] == COMPLAINANT[0]
    assert texts_of(sar)["person:PM-2"] == PANEL_MEMBER[0]
    assert all(note["on"] and note["actor"] == "tester" for note in sar["notes"])
    assert subject_access(complaints, tmp_path / "sar-child", "child")["notes"]
    child_keys = set(texts_of(subject_access(complaints, tmp_path / "sar-c2", "child")))
    assert "child" in child_keys and "complainant" not in child_keys

    # Nothing personal is stored readable, even before any erasure.
    stored = stored_bytes(complaints.db)
    for secret in EVERYONE:
        assert secret.encode() not in stored

    # Erase the complainant alone.
    erased = complaints(
        "erase", REF, "--subject", "complainant", "--on", "2025-09-01",
        "--basis", "Art. 17 request of 2025-08-20", "--yes",
    )  # fmt: skip
    assert erased.exit_code == 0, erased.stderr
    assert "Erased on 2025-09-01" in erased.stderr
    assert figures(complaints) == before
    after = complaints.json("verify")
    assert after["intact"] and after["head_position"] > head_position
    rows_after = chain_rows(complaints.db)
    assert rows_after[: len(rows_before)] == rows_before  # every earlier link unchanged
    assert rows_after[head_position - 1][-1] == bytes.fromhex(head_hash)

    keys_after = key_material(complaints.db)
    assert "complainant" not in keys_after and "child" in keys_after
    stored = stored_bytes(complaints.db)
    assert keys_before["complainant"] not in stored  # the key's bytes are gone
    assert keys_before["child"] in stored

    shown = complaints.json("show", REF)["personal"]
    assert shown["complainant"] == "erased on 2025-09-01 by tester"
    assert shown["contact"] == "erased on 2025-09-01 by tester"
    assert shown["child"] == CHILD[0] and shown["person:IO-7"] == INVESTIGATOR[0]
    history = complaints.history(REF)
    assert history[-1]["type"] == "Erased"
    assert history[-1]["data"] == {
        "subject": "complainant",
        "basis": "Art. 17 request of 2025-08-20",
    }

    sar = subject_access(complaints, tmp_path / "sar-after-one")
    for secret in COMPLAINANT:
        assert secret not in sar["markdown"]
    assert "erased on 2025-09-01 by tester" in sar["markdown"]
    assert texts_of(sar)["child"] == CHILD[0]
    erased_note = next(n for n in sar["notes"] if n["key"] == "complainant")
    assert erased_note["erased"]["basis"] == "Art. 17 request of 2025-08-20"

    # A second erasure of the same subject is refused, and records nothing.
    before_refusal = complaints.history(REF)
    refused = complaints.refused(
        "erase", REF, "--subject", "complainant", "--on", "2025-09-02", "--basis", "again", "--yes"
    )
    assert "[already-erased]" in refused.stderr
    assert complaints.history(REF) == before_refusal

    # Then everyone.
    complaints.ok(
        "erase", REF, "--subject", "all", "--on", "2025-09-03", "--basis", "retention", "--yes"
    )
    assert figures(complaints) == before
    assert complaints.json("verify")["intact"]
    assert chain_rows(complaints.db)[: len(rows_before)] == rows_before
    assert key_material(complaints.db) == {}
    assert set(key_material(complaints.db, OTHER)) == {"complainant"}
    stored = stored_bytes(complaints.db)
    for subject, material in keys_before.items():
        assert material not in stored, subject
    for secret in EVERYONE:
        assert secret.encode() not in stored
    exported = exports(complaints, tmp_path / "exports")
    for secret in EVERYONE:
        assert secret.encode() not in exported
    sar = subject_access(complaints, tmp_path / "sar-after-all")
    for secret in EVERYONE:
        assert secret not in sar["markdown"]
    assert all(note["erased"] for note in sar["notes"])
    assert complaints.json("show", OTHER)["personal"]["complainant"] == "Otto Other"
    refused = complaints.refused(
        "erase", REF, "--subject", "child", "--on", "2025-09-04", "--basis", "x", "--yes"
    )
    assert "already erased" in refused.stderr


def test_erasure_refusals(complaints: Complaints, unchanged: Any) -> None:
    walk_case(complaints)
    base = ("erase", REF, "--on", "2025-09-01", "--basis", "request")
    unchanged(REF, *base, "--subject", "neighbour", "--yes", rule="unknown-subject")
    unchanged(REF, *base, "--subject", "person:NOBODY", "--yes", rule="unknown-subject")
    unchanged(REF, "erase", REF, "--subject", "child", "--on", "2025-09-01", "--basis", " ",
              "--yes", rule="bad-data")  # fmt: skip
    # Irreversible: without --yes and without a terminal to confirm at, refused.
    unchanged(REF, *base, "--subject", "child", rule="confirmation-needed")
    assert complaints.json("show", REF)["personal"]["child"] == CHILD[0]
    unchanged(REF, "void", REF, "1", "--reason", "x")
    complaints.ok(*base, "--subject", "child", "--yes")
    version = complaints.history(REF)[-1]["version"]
    unchanged(REF, "void", REF, str(version), "--reason", "oops", rule="void")


def test_figures_history_and_verify_need_no_key_store(
    complaints: Complaints, tmp_path: Path
) -> None:
    walk_case(complaints)
    before = figures(complaints)
    events = complaints.ok("export", "--format", "jsonl")
    hide_key_store(complaints.db, tmp_path)
    assert figures(complaints) == before
    assert complaints.json("verify")["intact"]
    assert complaints.history(REF)
    assert complaints.ok("export", "--format", "jsonl") == events
    refused = complaints.refused("show", REF)
    assert "key store" in refused.stderr and "missing" in refused.stderr
    assert "[key-store]" in refused.stderr
    # Recording facts needs no keys either; a personal note is refused, writing nothing
    # (and no new, empty key store is made in the lost one's place).
    complaints.ok("acknowledge", OTHER, "--on", "2025-05-03")
    before_note = complaints.history(OTHER)
    refused = complaints.refused(
        "appoint", OTHER, "--on", "2025-05-04", "--role", "investigating-officer",
        "--person", "IO-9", "--name", "Nina Newname",
    )  # fmt: skip
    assert "[key-store]" in refused.stderr
    assert complaints.history(OTHER) == before_note


def everything_without_personal_data(complaints: Complaints, folder: Path) -> dict[str, Any]:
    """What reports, read models, history without --personal and the default export
    say: every format of every report, every read model as CSV, both cases' histories."""
    said: dict[str, Any] = {"figures": figures(complaints)}
    for fmt in ("md", "json", "html", "csv"):
        said[f"annual {fmt}"] = complaints.ok("report", "annual", "--year", "2025", "--format", fmt)
    said["open"] = complaints.ok("report", "open", "--on", "2025-06-30", "--format", "json")
    said["recommendations"] = complaints.ok("report", "recommendations", "--format", "json")
    for ref in (REF, OTHER):
        said[f"history {ref}"] = complaints.ok("history", ref)
        said[f"history json {ref}"] = complaints.history(ref)
    said["events"] = complaints.ok("export", "--format", "jsonl")
    complaints.ok("export", "--format", "csv", "--all", "--out", str(folder))
    said["csv"] = {p.name: p.read_bytes() for p in sorted(folder.iterdir())}
    return said


def key_store_exists(db: str) -> bool:
    if db.startswith("sqlite"):
        return Path(f"{make_url(db).database}.keys.db").exists()
    engine = sqlalchemy.create_engine(db)
    try:
        with engine.connect() as connection:
            schema = connection.execute(text("SELECT current_schema()")).scalar_one()
            return (
                connection.execute(
                    text("SELECT 1 FROM pg_namespace WHERE nspname = :n"), {"n": f"{schema}_keys"}
                ).first()
                is not None
            )
    finally:
        engine.dispose()


def test_reports_projections_history_and_default_export_decrypt_nothing(
    complaints: Complaints, tmp_path: Path
) -> None:
    """With the key store gone (nothing could be decrypted: any attempt fails), every
    report, the read models rebuilt from the first event, history without --personal
    and the default export say exactly what they said with it; and none of them makes
    a key store again."""
    walk_case(complaints)
    complaints.ok("withdraw", OTHER, "--on", "2025-05-20", "--reason", "sorted by phone")
    before = everything_without_personal_data(complaints, tmp_path / "before")
    assert "[sealed note text:" in before[f"history {OTHER}"]
    hide_key_store(complaints.db, tmp_path)
    assert not key_store_exists(complaints.db)
    complaints.ok("projections", "rebuild")
    assert everything_without_personal_data(complaints, tmp_path / "after") == before
    assert complaints.json("verify")["intact"]
    assert not key_store_exists(complaints.db)
    # What does need the notes says so, and still makes no key store.
    assert "[key-store]" in complaints.refused("history", OTHER, "--personal").stderr
    assert "[key-store]" in complaints.refused(
        "export", "--include-personal", "--out", str(tmp_path / "x.jsonl")
    ).stderr
    assert not (tmp_path / "x.jsonl").exists()
    assert not key_store_exists(complaints.db)


def hide_key_store(db: str, tmp_path: Path) -> None:
    if db.startswith("sqlite"):
        keys = Path(f"{make_url(db).database}.keys.db")
        shutil.move(keys, tmp_path / "keys-backup.db")
        return
    engine = sqlalchemy.create_engine(db)
    try:
        with engine.begin() as connection:
            schema = connection.execute(text("SELECT current_schema()")).scalar_one()
            connection.execute(text(f'DROP SCHEMA "{schema}_keys" CASCADE'))
    finally:
        engine.dispose()


def test_a_damaged_key_store_is_named(sqlite_url: str) -> None:
    complaints = Complaints(sqlite_url)
    walk_case(complaints)
    before = figures(complaints)
    keys = Path(f"{make_url(sqlite_url).database}.keys.db")
    keys.write_bytes(b"this is not a database at all" * 100)
    refused = complaints.refused("show", REF)
    assert str(keys) in refused.stderr and "damaged" in refused.stderr
    assert figures(complaints) == before
    assert complaints.json("verify")["intact"]


def test_master_key_wraps_every_data_key(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    master = tmp_path / "master.key"
    master.write_text("11" * 32 + "\n")
    monkeypatch.setenv("COMPLAINTS_MASTER_KEY_FILE", str(master))
    complaints = Complaints(sqlite_url)
    complaints.ok("receive", "--ref", REF, "--on", "2025-04-07", "--complainant", "Zelda Quigley")
    assert complaints.json("show", REF)["personal"]["complainant"] == "Zelda Quigley"
    keys = Path(f"{make_url(sqlite_url).database}.keys.db")
    material = key_material(sqlite_url)["complainant"]
    assert len(material) == 12 + 32 + 16  # nonce, wrapped key, tag: not the bare key

    # Without the master key, or with a wrong one: a clear error, and nothing written.
    monkeypatch.delenv("COMPLAINTS_MASTER_KEY_FILE")
    refused = complaints.refused("show", REF)
    assert "COMPLAINTS_MASTER_KEY_FILE" in refused.stderr and str(keys) in refused.stderr
    wrong = tmp_path / "wrong.key"
    wrong.write_text("22" * 32)
    monkeypatch.setenv("COMPLAINTS_MASTER_KEY_FILE", str(wrong))
    refused = complaints.refused(
        "receive", "--ref", OTHER, "--on", "2025-04-08", "--complainant", "Otto Other"
    )
    assert "does not open" in refused.stderr and str(wrong) in refused.stderr
    assert complaints("history", OTHER).exit_code == 1  # the case was not recorded
    monkeypatch.setenv("COMPLAINTS_MASTER_KEY_FILE", str(tmp_path / "absent.key"))
    refused = complaints.refused(
        "receive", "--ref", OTHER, "--on", "2025-04-08", "--complainant", "Otto Other"
    )
    assert "absent.key" in refused.stderr
    short = tmp_path / "short.key"
    short.write_text("abc")
    monkeypatch.setenv("COMPLAINTS_MASTER_KEY_FILE", str(short))
    assert "256-bit" in complaints.refused("show", REF).stderr
    assert complaints("history", OTHER).exit_code == 1
    monkeypatch.setenv("COMPLAINTS_MASTER_KEY_FILE", str(master))
    assert complaints.json("show", REF)["personal"]["complainant"] == "Zelda Quigley"


def test_events_hold_ciphertext_only(complaints: Complaints) -> None:
    complaints.ok("receive", "--ref", REF, "--on", "2025-04-07", "--complainant", "Zelda Quigley")
    lines = complaints.ok("export", "--format", "jsonl", "--include-personal").splitlines()
    sealed = [orjson.loads(line) for line in lines if "NoteSealed" in line]
    assert len(sealed) == 1
    data = sealed[0]["data"]
    assert set(data) >= {"key", "subject", "key_id", "nonce", "ciphertext"}
    assert data["subject"] == "complainant" and "text" not in data
    # The same note again records nothing; a changed one records a new sealed note.
    complaints.ok("receive", "--ref", OTHER, "--on", "2025-04-07")
    assert b"Zelda" not in orjson.dumps([line["data"] for line in sealed])
    # An export with personal data opens each note beside its sealed data.
    assert sealed[0]["text"] == "Zelda Quigley"
