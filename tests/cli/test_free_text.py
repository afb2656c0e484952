"""Free text typed into a step (reasons, evidence, the Ombudsman's reference) is sealed
under the case's key inside the step itself (issue 10, ADR 0021, ADR 0028): nothing
typed by a person is stored where erasure cannot reach it. Steps
recorded before that keep their text (history is never rewritten), and `complaints
privacy check` lists them."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest
import sqlalchemy
from sqlalchemy import text

from ledger.application import Ledger
from tests.cli.conftest import Complaints

REF = "CSC-2025-0001"
OLD = "CSC-2025-0002"
TYPED = {
    "late": "grandmother was in hospital with pangolin flu",
    "suspend": "awaiting the quokka court hearing",
    "extend": "the axolotl file is with legal",
    "amend": "typed by narwhal mistake",
    "void": "recorded on the wrong ocelot case",
    "ombudsman": "LGSCO/25/ibex-0042",
}


def walk_with_free_text(complaints: Complaints, ref: str = REF) -> None:
    complaints.ok(
        "receive", "--ref", ref, "--on", "2025-04-07", "--procedure", "statutory",
        "--team", "Locality North", "--complainant", "Wanda Walker",
    )  # fmt: skip
    complaints.ok("suspend", ref, "--on", "2025-04-08", "--reason", TYPED["suspend"])
    complaints.ok("resume", ref, "--on", "2025-04-10")
    complaints.ok("extend", ref, "--on", "2025-04-11", "--reason", TYPED["extend"])
    complaints.ok(
        "amend", ref, "--on", "2025-04-12", "--field", "team", "--value", "Locality South",
        "--reason", TYPED["amend"],
    )  # fmt: skip
    complaints.ok("respond", ref, "--on", "2025-04-14", "--outcome", "upheld")
    complaints.ok("void", ref, "7", "--on", "2025-04-15", "--reason", TYPED["void"])
    complaints.ok("respond", ref, "--on", "2025-04-16", "--outcome", "upheld")
    complaints.ok(
        "escalate", ref, "--on", "2025-07-01", "--late-reason", TYPED["late"]
    )  # fmt: skip
    complaints.ok(
        "ombudsman", "enquiry", ref, "--on", "2025-07-02", "--ombudsman-ref", TYPED["ombudsman"]
    )


def raw_ledger(db: str) -> bytes:
    """Every stored event's bytes, as a raw scan of the ledger sees them."""
    engine = sqlalchemy.create_engine(db)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT topic, state FROM ledger_events")).all()
            return b"\n".join(r.topic.encode() + b" " + bytes(r.state) for r in rows)
    finally:
        engine.dispose()


def step(history: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    return next(e for e in history if e["type"] == kind)


def test_typed_reasons_are_sealed_and_erased_with_the_case(complaints: Complaints) -> None:
    walk_with_free_text(complaints)
    raw = raw_ledger(complaints.db)
    for typed in TYPED.values():
        assert typed.encode() not in raw, typed
    history = complaints.history(REF)
    assert step(history, "Suspended")["data"]["reason"] == "[sealed note text:3:reason]"
    assert step(history, "StepVoided")["data"]["reason"].startswith("[sealed note text:")
    opened = complaints.json("history", REF, "--personal")
    assert step(opened, "Suspended")["data"]["reason"] == TYPED["suspend"]
    assert step(opened, "Extended")["data"]["reason"] == TYPED["extend"]
    assert step(opened, "DetailAmended")["data"]["reason"] == TYPED["amend"]
    assert step(opened, "EscalationRequested")["data"]["late_reason"] == TYPED["late"]
    assert step(opened, "OmbudsmanEnquiryOpened")["data"]["ombudsman_ref"] == TYPED["ombudsman"]
    voided = next(e for e in opened if e["voided"] is not None)
    assert voided["voided"]["reason"] == TYPED["void"]
    shown = complaints.json("show", REF)
    assert shown["ombudsman"][0]["ombudsman_ref"] == TYPED["ombudsman"]
    assert shown["stages"][1]["late_reason"] == TYPED["late"]
    assert "Wanda Walker" in shown["personal"].values()
    # Text that the view has no place for is listed apart, by the key the step names.
    assert shown["typed_text"]["text:3:reason"] == TYPED["suspend"]
    assert "text:11:ombudsman_ref" not in shown["typed_text"]
    assert list(shown["personal"]) == ["complainant"]
    assert f"text:3:reason: {TYPED['suspend']}" in complaints.ok("show", REF)
    assert complaints.json("show", REF, "--no-personal")["ombudsman"][0]["ombudsman_ref"] == (
        "[sealed note text:11:ombudsman_ref]"
    )

    complaints.ok(
        "erase", REF, "--subject", "case", "--on", "2025-08-01", "--basis", "test", "--yes"
    )
    opened = complaints.json("history", REF, "--personal")
    assert step(opened, "Suspended")["data"]["reason"] == "erased on 2025-08-01 by tester"
    assert "awaiting" not in complaints.ok("history", REF, "--personal")
    shown = complaints.json("show", REF)
    assert shown["personal"] == {"complainant": "Wanda Walker"}
    assert set(shown["typed_text"].values()) == {"erased on 2025-08-01 by tester"}
    assert "no plain-text free text" in complaints.ok("privacy", "check")


def test_privacy_check_lists_steps_recorded_before_free_text_was_sealed(
    complaints: Complaints, monkeypatch: pytest.MonkeyPatch
) -> None:
    walk_with_free_text(complaints, REF)
    with monkeypatch.context() as older_version:
        # The program as it was before ADR 0021: steps kept the text they were given.
        older_version.setattr(Ledger, "_seal_free_text", lambda self, objs: [])
        complaints.ok(
            "receive", "--ref", OLD, "--on", "2025-04-07", "--procedure", "statutory",
        )  # fmt: skip
        complaints.ok("suspend", OLD, "--on", "2025-04-08", "--reason", TYPED["suspend"])
        complaints.ok("resume", OLD, "--on", "2025-04-09")
    complaints.ok("extend", OLD, "--on", "2025-04-11", "--reason", TYPED["extend"])
    assert TYPED["suspend"].encode() in raw_ledger(complaints.db)
    assert TYPED["extend"].encode() not in raw_ledger(complaints.db)
    found = complaints.json("privacy", "check")
    assert found["cases"] == [OLD]
    assert [(s["case"], s["type"], s["fields"]) for s in found["steps"]] == [
        (OLD, "Suspended", ["reason"])
    ]
    said = complaints.ok("privacy", "check")
    assert f"{OLD}  version   3  2025-04-08  Suspended: reason" in said
    # The old step stays as recorded: history shows its text with or without --personal.
    assert step(complaints.history(OLD), "Suspended")["data"]["reason"] == TYPED["suspend"]


def test_free_text_needs_the_key_store_when_the_ledger_has_sealed_notes(
    sqlite_url: str, tmp_path: Path
) -> None:
    """On SQLite, whose key store is a file beside the ledger (PostgreSQL's is a schema,
    whose loss the erasure tests cover)."""
    complaints = Complaints(sqlite_url)
    walk_with_free_text(complaints)
    keys = Path(complaints.db.removeprefix("sqlite:///") + ".keys.db")
    keys.rename(tmp_path / "kept-aside.keys.db")
    before = complaints.history(REF)
    refused = complaints.refused("extend", REF, "--on", "2025-07-03", "--reason", "more time")
    assert "key store" in refused.stderr
    assert complaints.history(REF) == before


def events_stored(db: str) -> int:
    ledger = Ledger(db, read_only=True)
    try:
        return ledger.read(ledger.last_position)
    finally:
        ledger.close()


def test_typed_text_is_sealed_inside_its_step_with_no_event_beside_it(
    complaints: Complaints,
) -> None:
    """ADR 0028: the step carries its sealed text, so typing a reason stores one event,
    the step itself, and a copy of the ledger holds the ciphertext only."""
    complaints.ok("receive", "--ref", REF, "--on", "2025-04-07", "--procedure", "statutory")
    before = events_stored(complaints.db)
    complaints.ok("extend", REF, "--on", "2025-04-11", "--reason", TYPED["extend"])
    assert events_stored(complaints.db) == before + 1
    raw = raw_ledger(complaints.db)
    assert TYPED["extend"].encode() not in raw
    assert b"PersonalDetails" not in raw
    assert b"[sealed note text:3:reason " in raw  # the key id, nonce and ciphertext follow
    assert step(complaints.history(REF), "Extended")["data"]["reason"] == (
        "[sealed note text:3:reason]"
    )
    opened = complaints.json("history", REF, "--personal")
    assert step(opened, "Extended")["data"]["reason"] == TYPED["extend"]
    notes = complaints.json("show", REF)["typed_text"]
    assert notes == {"text:3:reason": TYPED["extend"]}
    # The ledger knows it holds sealed text (so a lost key store is refused, not remade).
    ledger = Ledger(complaints.db, read_only=True)
    try:
        assert ledger.read(ledger._has_sealed_notes)
    finally:
        ledger.close()


def test_export_with_personal_data_opens_typed_text_beside_its_step(
    complaints: Complaints, tmp_path: Path
) -> None:
    walk_with_free_text(complaints)

    def extended_line(*options: str) -> dict[str, Any]:
        out = tmp_path / f"export-{len(list(tmp_path.iterdir()))}.jsonl"
        complaints.ok("export", "--format", "jsonl", "--out", str(out), *options)
        lines = [orjson.loads(line) for line in out.read_bytes().splitlines()]
        return next(line for line in lines if line.get("type") == "Extended")

    default = extended_line()
    assert "texts" not in default
    assert TYPED["extend"] not in orjson.dumps(default).decode()
    assert extended_line("--include-personal")["texts"] == {"reason": TYPED["extend"]}
    complaints.ok(
        "erase", REF, "--subject", "case", "--on", "2025-08-01", "--basis", "test", "--yes"
    )
    assert extended_line("--include-personal")["texts"] == {"reason": None}


def test_steps_whose_text_went_into_a_sealed_note_still_open(
    complaints: Complaints, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ledger from the first wave of sealing (ADR 0021): the step holds the short
    marker and the text is a ``PersonalDetails`` note of the case. It reads as before."""
    complaints.ok("receive", "--ref", REF, "--on", "2025-04-07", "--procedure", "statutory")
    with monkeypatch.context() as first_wave:
        first_wave.setattr(Ledger, "_seal_free_text", lambda self, objs: None)
        complaints.ok(
            "extend", REF, "--on", "2025-04-11", "--reason", "[sealed note text:3:reason]"
        )
    ledger = Ledger(complaints.db)
    try:

        def note_the_text() -> None:
            owner = ledger._complaint(REF).id
            text = {"text:3:reason": TYPED["extend"]}
            ledger.save(*ledger._notes(owner, text, date(2025, 4, 11), "tester"))

        ledger.unit_of_work(note_the_text)
    finally:
        ledger.close()
    assert TYPED["extend"].encode() not in raw_ledger(complaints.db)
    opened = complaints.json("history", REF, "--personal")
    assert step(opened, "Extended")["data"]["reason"] == TYPED["extend"]
    assert complaints.json("show", REF)["typed_text"] == {"text:3:reason": TYPED["extend"]}
    complaints.ok(
        "erase", REF, "--subject", "case", "--on", "2025-08-01", "--basis", "test", "--yes"
    )
    opened = complaints.json("history", REF, "--personal")
    assert step(opened, "Extended")["data"]["reason"] == "erased on 2025-08-01 by tester"
