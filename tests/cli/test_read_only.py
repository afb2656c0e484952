"""Commands that only read open the database read-only and create nothing (ADR 0025):
a ledger that may not be written (a file or folder without write permission, an
archived copy) can still be shown, verified and reported on."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy

from tests.cli.conftest import Complaints

COMPLAINTS = str(Path(sys.executable).with_name("complaints"))
READS = [
    ("show", "CSC-2025-0001"),
    ("history", "CSC-2025-0001"),
    ("list",),
    ("verify",),
    ("report", "annual", "--year", "2025/26"),
    ("report", "open"),
    ("teams",),
    ("projections", "status"),
]
IDS = [" ".join(read[:2]) for read in READS]


@pytest.mark.parametrize("read", READS, ids=IDS)
def test_a_read_on_a_missing_sqlite_file_is_refused_and_creates_nothing(
    tmp_path: Path, read: tuple[str, ...]
) -> None:
    missing = tmp_path / "typo.db"
    result = Complaints(str(missing))(*read)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: no ledger at {missing}: nothing to read (a recording command creates one) "
        "[bad-data]"
    ]
    assert list(tmp_path.iterdir()) == []


def test_a_read_on_an_empty_postgresql_schema_creates_no_table(
    pg_url: str, pg_admin: sqlalchemy.Engine
) -> None:
    result = Complaints(pg_url)("show", "CSC-2025-0001")
    assert result.exit_code == 1
    assert "not a complaints ledger" in result.stderr
    schema = pg_url.rsplit("%3D", 1)[1]
    with pg_admin.connect() as connection:
        tables = connection.execute(
            sqlalchemy.text(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = :s"
            ),
            {"s": schema},
        ).all()
    assert tables == []


def test_every_read_works_with_the_ledger_opened_read_only(db_url: str) -> None:
    complaints = Complaints(db_url)
    ref = complaints.ok("receive", "--on", "2025-04-07", "--procedure", "statutory")
    for read in READS:
        complaints.ok(*(ref if word == "CSC-2025-0001" else word for word in read))


# ---------------------------------------------------------- a read-only SQLite file
def _run_without_root_powers(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``complaints`` as root without the power to override file permissions (the
    tests run as root, who may otherwise write anything)."""
    env = {**os.environ, "COMPLAINTS_DB": str(db), "COMPLAINTS_ACTOR": "auditor"}
    command = " ".join(f"'{word}'" for word in (COMPLAINTS, *args))
    drop = "cap_dac_override,cap_dac_read_search,cap_fowner,cap_chown"
    capsh = shutil.which("capsh")
    assert capsh is not None, "capsh (libcap2-bin) is needed to drop root's file powers"
    return subprocess.run(
        [capsh, f"--drop={drop}", "--", "-c", command],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.fixture
def archived(tmp_path: Path) -> Iterator[Path]:
    """A ledger written and closed by its own process, then made read-only."""
    folder = tmp_path / "archive"
    folder.mkdir()
    db = folder / "ledger.db"
    env = {**os.environ, "COMPLAINTS_DB": str(db), "COMPLAINTS_ACTOR": "clerk"}
    lines = (
        "receive --ref CSC-2025-0001 --on 2025-04-07 --procedure statutory --team 'Front Door'\n"
        "respond CSC-2025-0001 --on 2025-04-15 --outcome upheld\n"
    )
    done = subprocess.run(
        [COMPLAINTS, "batch"], input=lines, capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    yield db
    folder.chmod(0o755)
    db.chmod(0o644)


@pytest.mark.parametrize("folder_too", [False, True], ids=["file 444", "folder 555 too"])
def test_a_read_only_sqlite_ledger_can_be_shown_verified_and_reported(
    archived: Path, folder_too: bool
) -> None:
    archived.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    if folder_too:
        archived.parent.chmod(0o555)
    before = sorted(p.name for p in archived.parent.iterdir())
    for read in READS:
        done = _run_without_root_powers(archived, *read)
        assert done.returncode == 0, (read, done.stderr)
    shown = _run_without_root_powers(archived, "show", "CSC-2025-0001").stdout
    assert "upheld" in shown
    assert "verified 3 events" in _run_without_root_powers(archived, "verify").stdout
    written = _run_without_root_powers(
        archived, "acknowledge", "CSC-2025-0001", "--on", "2025-04-08"
    )
    assert written.returncode == 1
    assert len(written.stderr.splitlines()) == 1
    assert written.stderr.startswith("Error: database: ")
    assert "attempt to write a readonly database" in written.stderr
    assert sorted(p.name for p in archived.parent.iterdir()) == before


def test_a_read_answers_from_the_events_when_the_read_models_are_behind(db_url: str) -> None:
    """A read cannot catch the read models up (it writes nothing): it answers from the
    events, in memory, as ``--as-of`` does."""
    complaints = Complaints(db_url)
    ref = complaints.ok("receive", "--on", "2025-04-07", "--procedure", "statutory")
    engine = sqlalchemy.create_engine(db_url)
    with engine.begin() as connection:
        connection.execute(sqlalchemy.text("UPDATE projection_tracking SET position = 0"))
        connection.execute(sqlalchemy.text("DELETE FROM rm_case"))
    assert [row["ref"] for row in complaints.json("list")] == [ref]
    with engine.connect() as connection:
        behind = connection.execute(sqlalchemy.text("SELECT position FROM projection_tracking"))
        assert behind.scalar_one() == 0
        assert connection.execute(sqlalchemy.text("SELECT count(*) FROM rm_case")).scalar() == 0
    engine.dispose()
