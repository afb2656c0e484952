"""A rebuild or a catch-up killed half-way (a real SIGKILL) loses nothing and counts
nothing twice: the next run completes the work and the read models equal a clean
rebuild."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy
from sqlalchemy import select, update

from domain.complaint import Complaint
from domain.procedure import ProcedurePolicy
from ledger.application import Ledger
from ledger.store.storage import WRITER_LOCK_HELD
from projections import tables
from reports.annual import parse_year
from tests.projections.test_indexes_built_at_the_end import read_model_indexes
from tests.projections.test_rebuild_equals_incremental import snapshot

COMPLAINTS = str(Path(sys.executable).with_name("complaints"))
POLICY = ProcedurePolicy(today=date(2026, 11, 23))
CASES = 3000


def fill(url: str) -> Ledger:
    ledger = Ledger(url, POLICY)
    start = date(2023, 4, 3)
    chunk = []
    for n in range(CASES):
        on = start + timedelta(days=n % 300)
        case = Complaint.receive(
            ref=f"K-{n}",
            on=on,
            actor="fill",
            policy=POLICY,
            team=f"Team {n % 7}",
            reasons=["delays-in-service"],
        )
        case.triage(on=on, actor="fill", policy=POLICY, decision="statutory")
        case.respond(
            on=on + timedelta(days=14),
            actor="fill",
            policy=POLICY,
            outcome=["upheld", "not-upheld"][n % 2],
        )
        chunk.append(case)
        if len(chunk) == 500:
            ledger.record_many(chunk)
            chunk = []
    if chunk:
        ledger.record_many(chunk)
    return ledger


def position(url: str) -> int:
    engine = sqlalchemy.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as connection:
            value = connection.execute(select(tables.tracking.c.position)).scalar()
            return int(value or 0)
    finally:
        engine.dispose()


def writer_busy(url: str) -> bool:
    """Whether some process is inside a writing transaction on this ledger."""
    if url.startswith("sqlite"):
        connection = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=0)
        try:
            connection.execute("BEGIN IMMEDIATE")
            connection.rollback()
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            connection.close()
    engine = sqlalchemy.create_engine(url)
    try:
        with engine.connect() as connection:
            held = connection.execute(sqlalchemy.text(WRITER_LOCK_HELD)).scalar()
            return bool(held)
    finally:
        engine.dispose()


def kill_when(process: subprocess.Popen[bytes], url: str, low: int, high: int) -> int:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        seen = position(url)
        if low < seen < high:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
            return seen
        time.sleep(0.01)
    raise AssertionError("the rebuild finished before it could be killed")


def test_rebuild_killed_half_way_then_caught_up_equals_clean_rebuild(db_url: str) -> None:
    ledger = fill(db_url)
    head = ledger.projection_status().head
    reference = snapshot(ledger)
    indexes = read_model_indexes(db_url)
    env = {**os.environ, "COMPLAINTS_DB": db_url}
    process = subprocess.Popen(
        [COMPLAINTS, "projections", "rebuild"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    killed_at = kill_when(process, db_url, 0, head)
    assert 0 < killed_at < head
    assert ledger.projection_status().position == killed_at
    ledger.catch_up_projections()
    assert ledger.projection_status().position == head
    assert snapshot(ledger) == reference
    ledger.close()
    # The indexes the rebuild dropped (SQLite, ADR 0053) are back once the ledger opens.
    Ledger(db_url, POLICY).close()
    assert read_model_indexes(db_url) == indexes


def test_catch_up_killed_half_way_writes_nothing_and_a_rerun_completes(db_url: str) -> None:
    ledger = fill(db_url)
    head = ledger.projection_status().head
    reference = snapshot(ledger)
    # Make the read models stale, so the next command catches up over every event.
    ledger.unit_of_work(
        lambda: ledger.sessions().execute(update(tables.tracking).values(version="stale")),
        catch_up=False,
    )
    env = {**os.environ, "COMPLAINTS_DB": db_url, "COMPLAINTS_ACTOR": "clerk"}
    # A recording command catches the read models up in its own transaction (a report
    # no longer does: it opens the ledger read-only, ADR 0025).
    process = subprocess.Popen(
        [
            COMPLAINTS,
            "receive",
            "--ref",
            "KILLED-1",
            "--on",
            "2023-05-01",
            "--procedure",
            "statutory",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not writer_busy(db_url):
        assert process.poll() is None, "the catch-up finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    time.sleep(0.3)  # well into the catch-up's single transaction
    assert process.poll() is None, "the catch-up finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    # One transaction: the kill rolled it back, so the old rows and position stand.
    status = ledger.projection_status()
    assert status.version == "stale" and status.position == head
    assert snapshot(ledger) == reference
    ledger.catch_up_projections()
    assert ledger.projection_status().stale is False
    assert snapshot(ledger) == reference
    ledger.close()


def test_batch_killed_half_way_then_run_again_records_every_line_once(
    db_url: str, tmp_path: Path
) -> None:
    lines = []
    for n in range(150):
        lines.append(f"receive --ref B-{n} --on 2024-05-01 --procedure statutory --team T{n % 4}")
        lines.append(f"respond B-{n} --on 2024-05-08 --outcome upheld")
    script = tmp_path / "cases.txt"
    script.write_text("\n".join(lines) + "\n")
    env = {**os.environ, "COMPLAINTS_DB": db_url, "COMPLAINTS_ACTOR": "batch"}
    Ledger(db_url, POLICY).close()  # tables exist before we start watching them
    process = subprocess.Popen(
        [COMPLAINTS, "batch", str(script)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "the batch finished before it could be killed"
        if events_recorded(db_url) > 100:
            break
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    ledger = Ledger(db_url, POLICY)
    assert 100 < ledger.last_position_now() < 4 * 150
    assert ledger.verify().intact
    again = subprocess.run(
        [COMPLAINTS, "batch", str(script)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert again.returncode == 0, again.stderr
    assert "recorded by an earlier run; skipped" in again.stderr
    report = ledger.annual_report(parse_year("2024"), "statutory")
    assert report["stage1"]["received"] == 150
    assert report["stage1"]["responded"] == 150
    assert ledger.verify().intact
    incremental = snapshot(ledger)
    ledger.rebuild_projections()
    assert snapshot(ledger) == incremental
    ledger.close()


def generated_reference_script(tmp_path: Path, cases: int) -> tuple[Path, list[str]]:
    """Lines that receive cases without a reference (the ledger issues CSC-2024-0001 on)
    and respond to each by the reference it was issued."""
    lines, refs = [], []
    for n in range(1, cases + 1):
        ref = f"CSC-2024-{n:04d}"
        refs.append(ref)
        lines.append(f"receive --on 2024-05-01 --procedure statutory --team T{n % 4}")
        lines.append(f"respond {ref} --on 2024-05-08 --outcome upheld")
    script = tmp_path / "generated.txt"
    script.write_text("\n".join(lines) + "\n")
    return script, refs


def test_batch_of_generated_references_killed_then_run_again_issues_each_once(
    db_url: str, tmp_path: Path
) -> None:
    script, refs = generated_reference_script(tmp_path, 150)
    env = {**os.environ, "COMPLAINTS_DB": db_url, "COMPLAINTS_ACTOR": "batch"}
    Ledger(db_url, POLICY).close()
    process = subprocess.Popen(
        [COMPLAINTS, "batch", str(script)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "the batch finished before it could be killed"
        if events_recorded(db_url) > 100:
            break
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    again = subprocess.run(
        [COMPLAINTS, "batch", str(script)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert again.returncode == 0, again.stderr
    assert "recorded by an earlier run; skipped" in again.stderr
    # Lines recorded before the kill print their reference again; none is issued twice.
    assert again.stdout.split() == refs
    ledger = Ledger(db_url, POLICY)
    report = ledger.annual_report(parse_year("2024"), "statutory")
    assert report["stage1"]["received"] == 150
    assert report["stage1"]["responded"] == 150
    assert ledger.verify().intact
    ledger.close()


def test_all_or_nothing_batch_killed_records_nothing_then_runs_whole(
    db_url: str, tmp_path: Path
) -> None:
    script, refs = generated_reference_script(tmp_path, 400)
    env = {**os.environ, "COMPLAINTS_DB": db_url, "COMPLAINTS_ACTOR": "batch"}
    Ledger(db_url, POLICY).close()
    before = events_recorded(db_url)
    process = subprocess.Popen(
        [COMPLAINTS, "batch", "--all-or-nothing", str(script)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not writer_busy(db_url):  # the file's single transaction has begun
        assert process.poll() is None, "the batch finished before it could be killed"
        assert time.monotonic() < deadline, "the batch never began its transaction"
        time.sleep(0.01)
    time.sleep(0.5)  # well into it
    assert process.poll() is None, "the batch finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert events_recorded(db_url) == before
    again = subprocess.run(
        [COMPLAINTS, "batch", "--all-or-nothing", str(script)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert again.returncode == 0, again.stderr
    assert again.stdout.split() == refs
    ledger = Ledger(db_url, POLICY)
    assert ledger.annual_report(parse_year("2024"), "statutory")["stage1"]["responded"] == len(refs)
    assert ledger.verify().intact
    ledger.close()


def events_recorded(url: str) -> int:
    engine = sqlalchemy.create_engine(url)
    try:
        with engine.connect() as connection:
            return int(
                connection.execute(sqlalchemy.text("SELECT count(*) FROM ledger_events")).scalar()
                or 0
            )
    finally:
        engine.dispose()
