"""``complaints batch``: one command per line, from a file or stdin, in one process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest

import ledger.application
from tests.cli.conftest import Complaints

SCRIPT = """\
# Monday's post
receive --ref B-1 --on 2024-05-01 --procedure statutory --team "Locality North"

   # an indented comment
acknowledge B-1 --on 2024-05-02   # acknowledged the next day
receive --ref B-2 --on 2024-05-03 --summary 'It'"'"'s about the "review" meeting'
respond B-1 --on 2024-05-10 --outcome partly-upheld --remedy apology
"""


def types(complaints: Complaints, ref: str) -> list[str]:
    return [e["type"] for e in complaints.history(ref)]


def check_script_recorded(complaints: Complaints) -> None:
    assert types(complaints, "B-1") == ["Received", "Triaged", "Acknowledged", "Responded"]
    b1 = complaints.json("show", "B-1")
    assert b1["team"] == "Locality North"
    assert b1["stages"][0]["acknowledged_on"] == "2024-05-02"
    b2 = complaints.json("show", "B-2")
    assert b2["personal"] == {"summary": 'It\'s about the "review" meeting'}


def test_batch_from_a_file(complaints: Complaints, tmp_path: Path) -> None:
    script = tmp_path / "monday.txt"
    script.write_text(SCRIPT)
    result = complaints("batch", str(script))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split() == ["B-1", "B-2"]
    # Without a register of teams, the first use of a team is warned about (ADR 0018).
    assert result.stderr == "Warning: new team 'Locality North'\n"
    check_script_recorded(complaints)


def test_batch_from_stdin(complaints: Complaints) -> None:
    result = complaints("batch", input=SCRIPT)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split() == ["B-1", "B-2"]
    check_script_recorded(complaints)


def test_batch_from_stdin_named_dash(complaints: Complaints) -> None:
    result = complaints("batch", "-", input="receive --on 2024-05-01\nreceive --on 2024-05-02\n")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split() == ["CSC-2024-0001", "CSC-2024-0002"]


def test_batch_with_only_comments_and_blank_lines_does_nothing(complaints: Complaints) -> None:
    result = complaints("batch", input="# nothing today\n\n   \n# still nothing\n")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert complaints.ok("receive", "--on", "2024-05-01") == "CSC-2024-0001"


def test_batch_stops_at_the_first_refused_line(complaints: Complaints) -> None:
    script = "\n".join(
        [
            "receive --ref S-1 --on 2024-05-01 --procedure statutory",  # 1
            "# the response went out on the 10th",  # 2
            "respond S-1 --on 2024-05-10 --outcome upheld",  # 3
            "",  # 4
            "respond S-1 --on 2024-05-13 --outcome not-upheld",  # 5: already responded
            "receive --ref S-2 --on 2024-05-14",  # 6: never run
            "escalate S-1 --on 2024-05-15",  # 7: never run
        ]
    )
    result = complaints("batch", input=script)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: line 5: ")
    assert "[stage-already-responded]" in lines[0]
    assert result.stdout.split() == ["S-1"]
    assert types(complaints, "S-1") == ["Received", "Triaged", "Responded"]
    complaints.refused("history", "S-2")


def test_batch_reports_bad_data_with_its_line_number(complaints: Complaints) -> None:
    result = complaints(
        "batch", input="receive --ref D-1 --on 2024-05-01\nacknowledge D-1 --on 2024-02-30\n"
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: line 2: ")
    assert "[bad-data]" in result.stderr
    assert types(complaints, "D-1") == ["Received"]


def test_batch_reports_an_unreadable_line(complaints: Complaints) -> None:
    result = complaints("batch", input="receive --ref Q-1 --on 2024-05-01\nreceive --team 'open\n")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: line 2: ")
    assert types(complaints, "Q-1") == ["Received"]


def test_batch_lines_use_the_batch_database_and_actor(complaints: Complaints) -> None:
    result = complaints("batch", input="receive --ref A-1 --on 2024-05-01\n")
    assert result.exit_code == 0, result.stderr
    assert complaints.history("A-1")[0]["actor"] == complaints.actor


def test_batch_line_may_name_its_own_actor(complaints: Complaints) -> None:
    result = complaints(
        "batch",
        input="receive --ref A-1 --on 2024-05-01 --procedure statutory\n"
        "respond A-1 --on 2024-05-09 --outcome upheld --actor service.manager\n",
    )
    assert result.exit_code == 0, result.stderr
    assert [e["actor"] for e in complaints.history("A-1")] == [
        complaints.actor,
        complaints.actor,
        "service.manager",
    ]


def test_batch_runs_in_one_process_of_the_installed_program(
    complaints: Complaints, tmp_path: Path
) -> None:
    program = Path(sys.executable).with_name("complaints")
    env = {**os.environ, "COMPLAINTS_DB": complaints.db, "COMPLAINTS_ACTOR": "batch-user"}
    done = subprocess.run(
        [str(program), "batch"],
        input=SCRIPT,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["B-1", "B-2"]
    history = complaints.history("B-1")
    assert {e["actor"] for e in history} == {"batch-user"}
    shown = orjson.loads(complaints.ok("show", "B-2", "--format", "json"))
    assert shown["ref"] == "B-2"


def test_batch_opens_the_ledger_once(
    complaints: Complaints, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[Any] = []
    original = ledger.application.Ledger.__init__

    def counting_init(self: Any, *args: Any, **kwargs: Any) -> None:
        opened.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(ledger.application.Ledger, "__init__", counting_init)
    script = "".join(f"receive --on 2024-05-0{day}\n" for day in (1, 2, 3))
    result = complaints("batch", input=script)
    assert result.exit_code == 0, result.stderr
    assert len(opened) == 1
