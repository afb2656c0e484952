"""A batch line that another run of the same file recorded while this run was
recording it too: this run's attempt collides with the other's mark, is rolled back,
and the line is skipped with what it printed (ADR 0020, 0025), never refused with
"another user changed this case"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ledger.application import Ledger
from tests.cli.conftest import Complaints


def test_a_line_recorded_by_a_concurrent_run_of_the_same_file_is_skipped(
    complaints: Complaints, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = complaints.ok("receive", "--on", "2025-04-07", "--procedure", "statutory")
    source = tmp_path / "same.txt"
    source.write_text(f"recommend {ref} --on 2025-04-08 --text 'Call back'\n")
    winner = complaints("batch", str(source))
    assert winner.exit_code == 0 and winner.stdout == "R1\n"

    # The loser looked for the line's mark before the winner's was there (the window a
    # second process has between its look and its write), so it records the line again.
    looked: list[int] = []
    real = Ledger.batch_line_output

    def not_yet_there(self: Ledger, *args: Any) -> str | None:
        looked.append(1)
        return None if len(looked) == 1 else real(self, *args)

    monkeypatch.setattr(Ledger, "batch_line_output", not_yet_there)
    loser = complaints("batch", str(source))
    assert loser.exit_code == 0, loser.stderr
    assert loser.stdout == "R1\n"
    assert "another user" not in loser.stderr
    assert "line 1: recorded by another run at the same time; skipped" in loser.stderr
    made = [e for e in complaints.history(ref) if e["type"] == "RecommendationMade"]
    assert len(made) == 1
