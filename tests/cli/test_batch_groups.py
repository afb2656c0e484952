"""``batch`` commits its lines in groups, each line in a savepoint of its own (ADR 0037):
what a run records, prints and refuses is what one transaction per line gave."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, event

import cli.batch
from tests.cli.conftest import Complaints


@pytest.fixture
def commits() -> Iterator[list[int]]:
    """One entry per transaction committed by any engine while the test runs."""
    seen: list[int] = []

    def committed(_connection: Any) -> None:
        seen.append(1)

    event.listen(Engine, "commit", committed)
    yield seen
    event.remove(Engine, "commit", committed)


def receipts(count: int, first: int = 1) -> list[str]:
    return [
        f"receive --ref G-{n} --on 2025-04-07 --procedure statutory"
        for n in range(first, first + count)
    ]


def test_a_batch_of_many_lines_commits_once_per_group_not_once_per_line(
    complaints: Complaints, commits: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli.batch, "GROUP", 10)
    one = complaints("batch", input=receipts(1)[0] + "\n")
    assert one.exit_code == 0, one.stderr
    opening_and_one_group = len(commits)
    commits.clear()
    result = complaints("batch", input="\n".join(receipts(25, first=2)) + "\n")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split() == [f"G-{n}" for n in range(2, 27)]
    assert len(commits) == opening_and_one_group + 2  # 10 + 10 + 5 lines
    assert complaints.ok("verify").startswith("verified 52 events")  # received, triaged


def test_a_refused_line_inside_a_group_keeps_the_lines_before_it_and_stops(
    complaints: Complaints, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli.batch, "GROUP", 4)
    lines = [
        *receipts(5),  # lines 1-5: a group of four, then line 5 opens the next
        "acknowledge G-5 --on 2025-04-08",  # 6
        "respond G-5 --on 2025-04-06 --outcome upheld",  # 7: before it was received
        "receive --ref G-9 --on 2025-04-07",  # 8: never run
    ]
    result = complaints("batch", input="\n".join(lines) + "\n")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: line 7: "), result.stderr
    assert result.stdout.split() == [f"G-{n}" for n in range(1, 6)]
    assert [e["type"] for e in complaints.history("G-5")] == [
        "Received",
        "Triaged",
        "Acknowledged",
    ]
    complaints.refused("history", "G-9")
    # The chain holds every event recorded, and the read models agree with them.
    assert complaints.ok("verify").startswith("verified")
    assert sorted(row["ref"] for row in complaints.json("list")) == [
        f"G-{n}" for n in range(1, 6)
    ]


def test_a_corrected_file_run_again_records_each_line_of_every_group_once(
    complaints: Complaints, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli.batch, "GROUP", 3)
    lines = [
        "receive --on 2025-04-07 --procedure statutory",  # generated references
        "receive --on 2025-04-07 --procedure statutory",
        "receive --on 2025-04-07 --procedure statutory",
        "receive --on 2025-04-07 --procedure statutory",
        "acknowledge CSC-2025-0004 --on 2025-04-01",  # 5: before it was received
        "receive --on 2025-04-07 --procedure statutory",
    ]
    first = complaints("batch", input="\n".join(lines) + "\n")
    assert first.exit_code == 1 and first.stderr.startswith("Error: line 5: ")
    assert first.stdout.split() == [f"CSC-2025-000{n}" for n in range(1, 5)]
    lines[4] = "acknowledge CSC-2025-0004 --on 2025-04-08"
    again = complaints("batch", input="\n".join(lines) + "\n")
    assert again.exit_code == 0, again.stderr
    assert again.stdout.split() == [f"CSC-2025-000{n}" for n in range(1, 6)]
    for n in range(1, 5):
        assert f"line {n}: recorded by an earlier run; skipped" in again.stderr
    assert [e["type"] for e in complaints.history("CSC-2025-0004")] == [
        "Received",
        "Triaged",
        "Acknowledged",
    ]
    complaints.refused("history", "CSC-2025-0006")
    assert complaints.ok("verify").startswith("verified")


def test_a_line_reads_what_the_lines_before_it_in_its_group_recorded(
    complaints: Complaints,
) -> None:
    lines = [
        "receive --ref G-1 --on 2025-04-07 --procedure statutory --team 'Locality North'",
        "list --format json",
        "acknowledge G-1 --on 2025-04-08",
        "show G-1 --format json",
    ]
    result = complaints("batch", input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.stderr
    assert '"G-1"' in result.stdout.split("\n", 1)[1]  # the list holds the new case
    assert '"acknowledged_on": "2025-04-08"' in result.stdout.replace('":"', '": "')


def test_a_new_team_used_by_two_lines_of_a_group_is_warned_about_once(
    complaints: Complaints,
) -> None:
    lines = [
        "receive --ref G-1 --on 2025-04-07 --team 'Locality East'",
        "receive --ref G-2 --on 2025-04-08 --team 'Locality East'",
    ]
    result = complaints("batch", input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "Warning: new team 'Locality East'\n"
