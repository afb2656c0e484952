"""Several processes writing at once: no event lost, no reference issued twice."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import orjson

COMPLAINTS = str(Path(sys.executable).with_name("complaints"))
# Each writer runs its own batch file (a first line naming the writer): running the
# *same* file again is a re-run, whose recorded lines batch skips.
WRITERS = 4
PER_WRITER = 6


def _batch(db: str, lines: list[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COMPLAINTS_DB": db, "COMPLAINTS_ACTOR": "load"}
    return subprocess.run(
        [COMPLAINTS, "batch"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def _run(db: str, *args: str) -> str:
    env = {**os.environ, "COMPLAINTS_DB": db, "COMPLAINTS_ACTOR": "load"}
    done = subprocess.run(
        [COMPLAINTS, *args], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_generated_references_never_collide_between_processes(db_url: str) -> None:
    _run(db_url, "receive", "--on", "2025-04-01", "--ref", "WARM-UP")
    lines = ["receive --on 2025-04-02 --procedure statutory"] * PER_WRITER
    with ThreadPoolExecutor(WRITERS) as pool:
        results = list(
            pool.map(lambda w: _batch(db_url, [f"# writer {w}", *lines]), range(WRITERS))
        )
    for result in results:
        assert result.returncode == 0, result.stderr
    refs = [ref for result in results for ref in result.stdout.split()]
    assert len(refs) == WRITERS * PER_WRITER
    assert len(set(refs)) == len(refs)
    expected = {f"CSC-2025-{n:04d}" for n in range(1, WRITERS * PER_WRITER + 1)}
    assert set(refs) == expected


def test_concurrent_writes_to_one_case_lose_no_event(db_url: str) -> None:
    ref = _run(db_url, "receive", "--on", "2025-04-01", "--procedure", "statutory").strip()
    lines = [f"recommend {ref} --on 2025-04-03 --text 'point {n}'" for n in range(PER_WRITER)]
    with ThreadPoolExecutor(WRITERS) as pool:
        results = list(
            pool.map(lambda w: _batch(db_url, [f"# writer {w}", *lines]), range(WRITERS))
        )
    for result in results:
        assert result.returncode == 0, result.stderr
    made = [rid for result in results for rid in result.stdout.split()]
    assert sorted(made) == sorted(f"R{n}" for n in range(1, WRITERS * PER_WRITER + 1))
    history = orjson.loads(_run(db_url, "history", ref, "--format", "json"))
    versions = [event["version"] for event in history]
    assert versions == list(range(1, len(history) + 1))
    assert sum(event["type"] == "RecommendationMade" for event in history) == len(made)


def test_losers_of_a_concurrent_identical_batch_skip_the_lines_the_winner_recorded(
    db_url: str,
) -> None:
    """The same file run by several processes at once records each line once; a run
    that finds its line recorded by another says so, never "another user changed
    this case"."""
    ref = _run(db_url, "receive", "--on", "2025-04-01", "--procedure", "statutory").strip()
    lines = [
        "# the same file, run by every writer",
        *(f"recommend {ref} --on 2025-04-03 --text 'point {n}'" for n in range(PER_WRITER)),
        "receive --on 2025-04-04 --procedure corporate",
    ]
    with ThreadPoolExecutor(WRITERS) as pool:
        results = list(pool.map(lambda _w: _batch(db_url, lines), range(WRITERS)))
    for result in results:
        assert result.returncode == 0, result.stderr
        assert "another user" not in result.stderr
    # every writer prints the same: what the lines printed when they were recorded
    assert len({result.stdout for result in results}) == 1
    history = orjson.loads(_run(db_url, "history", ref, "--format", "json"))
    assert sum(event["type"] == "RecommendationMade" for event in history) == PER_WRITER
