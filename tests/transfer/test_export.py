"""``complaints export``: the event log as JSON lines, restored by ``complaints import``
into an empty ledger as the same ledger (SQLite and PostgreSQL, both ways); read
models as CSV."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest

from demo.generator import build_demo_ledger
from ledger.application import Ledger
from reports.annual import parse_year
from tests.cli.conftest import Complaints

YEAR = 2024
LINE_KEYS = [
    "position",
    "type",
    "topic",
    "case",
    "aggregate_id",
    "version",
    "on",
    "recorded_at",
    "actor",
    "data",
    "previous_position",
    "previous_hash",
    "hash",
]


def build(url: str) -> None:
    """A small demo ledger, plus a case with personal details."""
    ledger = Ledger(url)
    try:
        build_demo_ledger(ledger, seed=3, years=1, cases_per_year=60, first_year=YEAR)
        ledger.receive(
            on=date(2025, 3, 3),
            actor="officer",
            ref="P-1",
            procedure="statutory",
            personal={"complainant": "Jane Example", "contact": "jane@example.invalid"},
        )
        ledger.act(
            "P-1", lambda c, p: c.acknowledge(on=date(2025, 3, 4), actor="officer", policy=p)
        )
    finally:
        ledger.close()


def export(url: str, path: Path, *extra: str) -> list[dict[str, Any]]:
    result = Complaints(url)("export", "--format", "jsonl", "--out", str(path), *extra)
    assert result.exit_code == 0, result.output
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def snapshot(url: str) -> dict[str, Any]:
    """Everything an auditor compares: each case's history, the annual report (with
    its integrity stamp: event count and head hash) and the verified chain."""
    ledger = Ledger(url)
    try:
        refs = ledger.query(lambda session: [r for (r,) in session.execute(_all_refs()).all()])
        histories = {ref: ledger.history(ref) for ref in refs}
        report = ledger.annual_report(parse_year(str(YEAR)), "statutory")
        verdict = ledger.verify()
        return {"histories": histories, "report": report, "verdict": verdict}
    finally:
        ledger.close()


def _all_refs() -> Any:
    from sqlalchemy import select

    from projections.tables import cases

    return select(cases.c.ref).order_by(cases.c.ref)


def restore(url: str, path: Path, *extra: str) -> str:
    result = Complaints(url)("import", str(path), *extra)
    assert result.exit_code == 0, result.output
    return result.stdout


def move_keys(source: str, target: str, backup: Path) -> None:
    Complaints(source).ok("keys", "backup", "--out", str(backup))
    assert Complaints(target).ok("keys", "restore", str(backup)).startswith("restored ")


def check_round_trip(source: str, target: str, tmp_path: Path) -> None:
    build(source)
    # The source as exported: an export with personal data is then written in its
    # access log (ADR 0021), after the exported events.
    original = snapshot(source)
    exported = export(source, tmp_path / "ledger.jsonl", "--include-personal")
    message = restore(target, tmp_path / "ledger.jsonl")
    # The personal notes travel sealed; their keys go by the key store's own backup.
    move_keys(source, target, tmp_path / "keys-backup.db")
    assert "the same as the export's: every exported event is restored exactly" in message
    restored = snapshot(target)
    # 61 records, and the 3 complaints the demo's casework adds (duplicates, split parts...)
    assert len(original["histories"]) == 64
    assert restored["histories"] == original["histories"]  # recorded_at and actors too
    assert restored["report"] == original["report"]  # integrity stamp included
    assert restored["verdict"] == original["verdict"]
    assert restored["verdict"].intact
    assert restored["verdict"].head_hash == exported[-1]["head_hash"] == exported[-2]["hash"]
    assert Complaints(target).json("show", "P-1")["personal"] == {
        "complainant": "Jane Example",
        "contact": "jane@example.invalid",
    }


def test_export_then_import_into_an_empty_ledger_is_the_same_ledger(
    db_url: str, tmp_path: Path
) -> None:
    check_round_trip(db_url, f"sqlite:///{tmp_path / 'restored.db'}", tmp_path)


def test_round_trip_from_sqlite_to_postgresql_and_back(
    sqlite_url: str, pg_url: str, tmp_path: Path
) -> None:
    check_round_trip(sqlite_url, pg_url, tmp_path)
    # and from PostgreSQL to a new SQLite file, then carry on writing there
    back = f"sqlite:///{tmp_path / 'back.db'}"
    export(pg_url, tmp_path / "again.jsonl", "--include-personal")
    restore(back, tmp_path / "again.jsonl")
    move_keys(pg_url, back, tmp_path / "keys-again.db")
    assert snapshot(back)["histories"] == snapshot(pg_url)["histories"]
    complaints = Complaints(back)
    ref = complaints.ok("receive", "--on", "2025-03-10", "--procedure", "statutory")
    assert complaints.history(ref)[0]["type"] == "Received"
    assert complaints.ok("verify").startswith("verified")


def test_restored_postgresql_ledger_carries_on_numbering(pg_url: str, tmp_path: Path) -> None:
    source = f"sqlite:///{tmp_path / 'source.db'}"
    build(source)
    export(source, tmp_path / "ledger.jsonl", "--include-personal")
    restore(pg_url, tmp_path / "ledger.jsonl")
    complaints = Complaints(pg_url)
    head = snapshot(pg_url)["verdict"].head_position
    complaints.ok("respond", "P-1", "--on", "2025-03-05", "--outcome", "upheld")
    assert complaints.ok("verify").startswith(f"verified {head + 1} events")


def test_lines_carry_the_event_in_order(sqlite_url: str, tmp_path: Path) -> None:
    build(sqlite_url)
    lines = export(sqlite_url, tmp_path / "ledger.jsonl")
    assert lines[-1]["trailer"] == 1
    lines = lines[:-1]
    assert all(list(line) == LINE_KEYS for line in lines)
    positions = [line["position"] for line in lines]
    assert positions == sorted(positions)
    first = lines[0]
    assert first["type"] == "Received" and first["topic"].endswith("Complaint.Received")
    assert first["case"] == first["data"]["ref"]
    assert len(first["hash"]) == 64
    p1 = [line for line in lines if line["case"] == "P-1"]
    assert [(line["type"], line["on"], line["actor"]) for line in p1] == [
        ("Received", "2025-03-03", "officer"),
        ("Triaged", "2025-03-03", "officer"),
        ("Acknowledged", "2025-03-04", "officer"),
    ]
    money = next(line for line in lines if line["type"] == "CompensationAgreed")
    assert isinstance(money["data"]["amount"], str) and "." in money["data"]["amount"]


def test_personal_details_are_left_out_unless_asked_for(sqlite_url: str, tmp_path: Path) -> None:
    build(sqlite_url)
    result = Complaints(sqlite_url)("export")
    assert result.exit_code == 0
    assert b"Jane Example" not in result.stdout_bytes
    assert "PersonalDetails" not in result.stdout
    # P-1's three notes; the demo's typed reasons are sealed inside their steps (ADR 0028).
    assert "3 personal-details events left out (--include-personal adds them)" in result.stderr
    with_personal = Complaints(sqlite_url)("export", "--include-personal")
    assert b"Jane Example" in with_personal.stdout_bytes
    assert "--include-personal" in Complaints(sqlite_url).ok("export", "--help")
    assert "personal data" in Complaints(sqlite_url).ok("export", "--help")


def test_an_export_without_personal_details_restores_the_cases_but_not_the_chain(
    sqlite_url: str, tmp_path: Path
) -> None:
    build(sqlite_url)
    export(sqlite_url, tmp_path / "public.jsonl")
    target = f"sqlite:///{tmp_path / 'restored.db'}"
    message = restore(target, tmp_path / "public.jsonl")
    assert "recomputed" in message
    original, restored = snapshot(sqlite_url), snapshot(target)
    assert restored["histories"] == original["histories"]
    figures = {k: v for k, v in original["report"].items() if k != "integrity"}
    assert {k: v for k, v in restored["report"].items() if k != "integrity"} == figures
    assert restored["verdict"].intact
    assert restored["verdict"].head_hash != original["verdict"].head_hash
    assert Complaints(target).json("show", "P-1").get("personal") is None


def test_importing_an_export_twice_records_nothing_the_second_time(
    db_url: str, tmp_path: Path
) -> None:
    source = f"sqlite:///{tmp_path / 'source.db'}"
    build(source)
    export(source, tmp_path / "ledger.jsonl", "--include-personal")
    restore(db_url, tmp_path / "ledger.jsonl")
    before = snapshot(db_url)
    again = restore(db_url, tmp_path / "ledger.jsonl")
    assert again.startswith("nothing to import: the ledger already holds all")
    assert snapshot(db_url) == before


def test_an_interrupted_restore_carries_on(sqlite_url: str, tmp_path: Path) -> None:
    source = f"sqlite:///{tmp_path / 'source.db'}"
    build(source)
    exported = snapshot(source)["verdict"]  # before the export's access-log entries
    lines = tmp_path / "ledger.jsonl"
    export(source, lines, "--include-personal")
    part = tmp_path / "part.jsonl"
    part_lines = lines.read_bytes().splitlines(keepends=True)[:100]
    trailer = orjson.loads(lines.read_bytes().splitlines()[-1])
    trailer.update(events=100, head_position=orjson.loads(part_lines[-1])["position"])
    trailer.update(head_hash=orjson.loads(part_lines[-1])["hash"])
    part.write_bytes(b"".join(part_lines) + orjson.dumps(trailer) + b"\n")
    restore(sqlite_url, part)
    restore(sqlite_url, lines)
    assert snapshot(sqlite_url)["verdict"] == exported


def test_a_ledger_holding_other_events_is_refused(db_url: str, tmp_path: Path) -> None:
    source = f"sqlite:///{tmp_path / 'source.db'}"
    build(source)
    export(source, tmp_path / "ledger.jsonl")
    complaints = Complaints(db_url)
    complaints.ok("receive", "--ref", "OTHER-1", "--on", "2025-01-06")
    result = complaints.refused("import", str(tmp_path / "ledger.jsonl"))
    assert "already holds 1 events that are not this export's" in result.stderr
    assert complaints.ok("verify").startswith("verified 1 events")


def test_an_export_changed_after_the_fact_is_refused(sqlite_url: str, tmp_path: Path) -> None:
    source = f"sqlite:///{tmp_path / 'source.db'}"
    build(source)
    path = tmp_path / "ledger.jsonl"
    lines = export(source, path, "--include-personal")
    changed = next(i for i, line in enumerate(lines) if line["type"] == "Responded")
    lines[changed]["data"]["outcome"] = (
        "upheld" if lines[changed]["data"]["outcome"] != "upheld" else "not-upheld"
    )
    lines[5]["recorded_at"] = "2020-01-01T00:00:00+00:00"
    path.write_bytes(
        b"".join(orjson.dumps(line) + b"\n" for line in lines[:-1])
        + b"not json\n"
        + orjson.dumps(lines[-1])
    )
    result = Complaints(sqlite_url).refused("import", str(path))
    assert result.stderr.startswith(
        f"Error: ledger.jsonl line {min(changed + 1, 6)}, field data: the event does not "
        "match its hash"
    )
    # the other changed line, the line that is not JSON, and the trailer's count
    assert "(and 3 more lines refused); nothing was written" in result.stderr
    lines = export(source, path, "--include-personal")
    del lines[5]["recorded_at"]
    _write(path, lines)
    result = Complaints(sqlite_url).refused("import", str(path))
    assert "line 6, field recorded_at: missing" in result.stderr
    assert Complaints(sqlite_url).ok("verify").startswith("verified 0 events")


def test_dry_run_restores_nothing(sqlite_url: str, tmp_path: Path) -> None:
    source = f"sqlite:///{tmp_path / 'source.db'}"
    build(source)
    lines = export(source, tmp_path / "ledger.jsonl", "--include-personal")
    out = Complaints(sqlite_url).ok("import", str(tmp_path / "ledger.jsonl"), "--dry-run")
    assert out.startswith(f"dry run: would restore {len(lines) - 1} events")
    assert "every event matches its hash in the export" in out
    assert Complaints(sqlite_url).ok("verify").startswith("verified 0 events")


# ----------------------------------------------------------------- read models
def test_read_models_as_csv(db_url: str, tmp_path: Path) -> None:
    build(db_url)
    complaints = Complaints(db_url)
    text = complaints.ok("export", "--format", "csv", "--table", "rm_case")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 64  # 61, and the 3 complaints the demo's casework adds
    assert {"case_id", "ref", "procedure", "received_on", "on_hold"} <= set(rows[0])
    assert {r["on_hold"] for r in rows} <= {"true", "false"}
    assert complaints.ok("export", "--format", "csv", "--table", "stage").startswith("case_id,")

    folder = tmp_path / "read-models"
    listing = complaints.ok("export", "--format", "csv", "--all", "--out", str(folder))
    from projections.tables import READ_MODEL_TABLES

    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{t.name}.csv" for t in READ_MODEL_TABLES
    )
    assert f"{folder / 'rm_case.csv'}\t64 rows" in listing
    with (folder / "rm_payment.csv").open(newline="") as handle:
        payments = list(csv.DictReader(handle))
    assert payments and all("." in p["amount"] for p in payments)
    assert "Jane Example" not in "".join(p.read_text() for p in folder.iterdir())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--table", "rm_nothing"], "unknown read model 'rm_nothing'"),
        (["--table", "rm_case", "--table", "rm_stage"], "several tables need --out FOLDER"),
        ([], "give --table NAME (repeatable) or --all"),
        (["--all", "--include-personal"], "read models hold no personal data"),
    ],
)
def test_csv_export_refusals(sqlite_url: str, args: list[str], message: str) -> None:
    usage = message.startswith("unknown")  # a name not among the option's: exit 2 (ADR 0025)
    result = Complaints(sqlite_url).refused(
        "export", "--format", "csv", *args, code=2 if usage else 1
    )
    assert message in result.stderr


# ------------------------------------------------------- restore checks every line
def _write(path: Path, lines: list[dict[str, Any]]) -> None:
    path.write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in lines))


def _events_in(url: str) -> int:
    return Ledger(url).last_position_now()


def test_a_default_export_with_an_amount_changed_in_its_last_line_is_refused(
    db_url: str, tmp_path: Path
) -> None:
    source = f"sqlite:///{tmp_path / 'source.db'}"
    build(source)
    complaints = Complaints(source)
    complaints.ok("compensate", "P-1", "--amount", "100.00", "--on", "2025-03-05")
    path = tmp_path / "public.jsonl"
    lines = export(source, path)  # personal details left out: the export has gaps
    assert lines[-1]["trailer"] == 1 and lines[-1]["left_out"]["personal_details"] > 0
    last = lines[-2]
    assert last["type"] == "CompensationAgreed"
    last["data"]["amount"] = "9999999.00"
    _write(path, lines)
    result = Complaints(db_url).refused("import", str(path))
    assert f"line {len(lines) - 1}, field data: the event does not match its hash" in (
        result.stderr
    )
    assert "nothing was written" in result.stderr
    assert "more lines refused" not in result.stderr  # the one changed line, nothing else
    assert Complaints(db_url).ok("verify").startswith("verified 0 events")


def test_a_full_export_with_a_line_deleted_and_the_next_changed_is_refused(
    db_url: str, tmp_path: Path
) -> None:
    source = f"sqlite:///{tmp_path / 'source.db'}"
    build(source)
    path = tmp_path / "ledger.jsonl"
    lines = export(source, path, "--include-personal")
    triaged = next(i for i, line in enumerate(lines) if line["type"] == "Triaged" and i > 10)
    del lines[triaged - 1]
    lines[triaged - 1]["data"]["team"] = "Forged team"
    _write(path, lines)
    result = Complaints(db_url).refused("import", str(path))
    assert f"line {triaged}, field data: the event does not match its hash" in result.stderr
    # the deletion alone is refused too: the next line's chain link names the missing one
    lines = export(source, path, "--include-personal")
    del lines[triaged - 1]
    _write(path, lines)
    result = Complaints(db_url).refused("import", str(path))
    assert f"line {triaged}, field previous_position" in result.stderr
    assert _events_in(db_url) == 0


def test_a_default_export_with_a_line_deleted_is_refused(sqlite_url: str, tmp_path: Path) -> None:
    source = f"sqlite:///{tmp_path / 'source.db'}"
    build(source)
    path = tmp_path / "public.jsonl"
    lines = export(source, path)
    del lines[-3]  # an event that was exported, not one left out
    lines[-1]["events"] -= 1  # even with the trailer's count fixed up
    _write(path, lines)
    result = Complaints(sqlite_url).refused("import", str(path))
    assert "is missing from the export and not listed as left out" in result.stderr
    assert _events_in(sqlite_url) == 0


# --------------------------------------------------------- trailer, atomic write
def test_a_truncated_export_is_refused(db_url: str, tmp_path: Path) -> None:
    source = f"sqlite:///{tmp_path / 'source.db'}"
    build(source)
    path = tmp_path / "ledger.jsonl"
    export(source, path, "--include-personal")
    part = tmp_path / "part.jsonl"  # head -n 30 export.jsonl
    part.write_bytes(b"".join(path.read_bytes().splitlines(keepends=True)[:30]))
    result = Complaints(db_url).refused("import", str(part))
    assert "line 30, field trailer: the export has no trailer line: it was cut short" in (
        result.stderr
    )
    assert _events_in(db_url) == 0


def test_content_not_matching_the_trailer_is_refused(sqlite_url: str, tmp_path: Path) -> None:
    source = f"sqlite:///{tmp_path / 'source.db'}"
    build(source)
    path = tmp_path / "ledger.jsonl"
    lines = export(source, path, "--include-personal")
    trailer = lines[-1]
    assert trailer["events"] == len(lines) - 1 and trailer["left_out"] == {}
    assert trailer["head_position"] == lines[-2]["position"]
    assert trailer["head_hash"] == lines[-2]["hash"]
    _write(path, [*lines[:-3], trailer])  # the last events cut, the trailer kept
    result = Complaints(sqlite_url).refused("import", str(path))
    assert f"the trailer says {len(lines) - 1} events, the file has {len(lines) - 3}" in (
        result.stderr
    )
    trailer["events"] = len(lines) - 3
    _write(path, [*lines[:-3], trailer])
    result = Complaints(sqlite_url).refused("import", str(path))
    assert "is not the last exported or left-out event" in result.stderr
    assert _events_in(sqlite_url) == 0


@pytest.mark.parametrize("where", ["folder", "missing"])
def test_export_out_to_a_folder_or_a_missing_folder_is_one_line(
    sqlite_url: str, tmp_path: Path, where: str
) -> None:
    target = tmp_path if where == "folder" else tmp_path / "nowhere" / "ledger.jsonl"
    result = Complaints(sqlite_url).refused("export", "--out", str(target))
    assert str(target) in result.stderr
    assert not (tmp_path / "nowhere").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_csv_export_into_a_folder_it_cannot_make_is_one_line(
    sqlite_url: str, tmp_path: Path
) -> None:
    (tmp_path / "a-file").write_text("not a folder\n")
    target = tmp_path / "a-file" / "read-models"
    result = Complaints(sqlite_url).refused(
        "export", "--format", "csv", "--all", "--out", str(target)
    )
    assert f"--out {target}: cannot make the folder" in result.stderr


def test_export_is_written_to_a_temporary_file_renamed_into_place(
    sqlite_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "ledger.jsonl"
    path.write_text("an earlier export\n")
    earlier = path.stat().st_ino
    Complaints(sqlite_url).ok("receive", "--on", "2025-03-10", "--procedure", "statutory")
    lines = export(sqlite_url, path)
    assert lines[-1]["events"] == len(lines) - 1 == 4  # sequence, receipt, triage
    # a new file renamed over the old one, not the old one truncated and written
    assert path.stat().st_ino != earlier
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]
    # --out - is standard output, trailer included
    written = Complaints(sqlite_url).ok("export", "--out", "-").splitlines()
    assert [orjson.loads(line) for line in written] == lines
    assert not Path("-").exists()


# ------------------------------------------------ topics: the ledger's own classes
def test_a_topic_naming_any_other_module_is_refused_before_it_is_imported(
    sqlite_url: str, tmp_path: Path
) -> None:
    import sys

    source = f"sqlite:///{tmp_path / 'source.db'}"
    Complaints(source).ok("receive", "--on", "2025-03-10", "--procedure", "statutory")
    path = tmp_path / "crafted.jsonl"
    lines = export(source, path)
    lines[0]["topic"] = "this:s"  # importing the module prints the Zen of Python
    _write(path, lines)
    assert "this" not in sys.modules
    result = Complaints(sqlite_url).refused("import", str(path))
    assert "line 1, field topic: 'this:s' is not one of the ledger's event types" in (result.stderr)
    assert "this" not in sys.modules
    assert "Beautiful is better than ugly" not in result.output
    assert _events_in(sqlite_url) == 0


def test_an_aggregate_topic_other_than_the_events_own_is_refused(
    sqlite_url: str, tmp_path: Path
) -> None:
    source = f"sqlite:///{tmp_path / 'source.db'}"
    Complaints(source).ok("receive", "--on", "2025-03-10", "--procedure", "statutory")
    path = tmp_path / "crafted.jsonl"
    lines = export(source, path)
    created = next(line for line in lines if line.get("type") == "Received")
    created["data"]["originator_topic"] = "this:s"
    _write(path, lines)
    result = Complaints(sqlite_url).refused("import", str(path))
    assert "field data: originator_topic 'this:s' is not 'domain.complaint:Complaint'" in (
        result.stderr
    )
