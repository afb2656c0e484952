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


# ------------------------------------------------ re-runs and --all-or-nothing
FIRST_TRY = """\
receive --on 2024-05-01 --procedure statutory
respond CSC-2024-0001 --on 2024-05-10 --outcome upheld
escalate CSC-2024-0001 --on 2024-02-30
receive --on 2024-05-21
"""
CORRECTED = FIRST_TRY.replace("2024-02-30", "2024-05-20")


def cases(complaints: Complaints) -> list[str]:
    return [row["ref"] for row in complaints.json("list")]


def test_rerun_of_a_corrected_file_records_each_line_once_with_the_same_references(
    complaints: Complaints,
) -> None:
    first = complaints("batch", input=FIRST_TRY)
    assert first.exit_code == 1
    assert first.stderr.startswith("Error: line 3: ") and "[bad-data]" in first.stderr
    assert first.stdout.split() == ["CSC-2024-0001"]
    again = complaints("batch", input=CORRECTED)
    assert again.exit_code == 0, again.stderr
    # The generated reference of line 1 is printed again, not issued again.
    assert again.stdout.split() == ["CSC-2024-0001", "CSC-2024-0002"]
    assert "line 1: recorded by an earlier run; skipped" in again.stderr
    assert "line 2: recorded by an earlier run; skipped" in again.stderr
    assert cases(complaints) == ["CSC-2024-0001", "CSC-2024-0002"]
    assert types(complaints, "CSC-2024-0001") == [
        "Received",
        "Triaged",
        "Responded",
        "EscalationRequested",
    ]


def test_rerun_of_a_finished_file_records_nothing_and_prints_the_same(
    complaints: Complaints,
) -> None:
    first = complaints("batch", input=CORRECTED)
    assert first.exit_code == 0, first.stderr
    again = complaints("batch", input=CORRECTED)
    assert again.exit_code == 0, again.stderr
    assert again.stdout == first.stdout
    assert again.stderr.count("recorded by an earlier run; skipped") == 4
    assert cases(complaints) == ["CSC-2024-0001", "CSC-2024-0002"]
    assert len(complaints.history("CSC-2024-0001")) == 4


def test_a_line_added_before_the_refused_one_keeps_earlier_lines_known(
    complaints: Complaints,
) -> None:
    script = "receive --ref E-1 --on 2024-05-01 --procedure statutory\n"
    first = complaints("batch", input=script + "receive --on 2024-05-02\nrespond E-1 --on 2024\n")
    assert first.exit_code == 1 and first.stderr.startswith("Error: line 3: ")
    assert first.stdout.split() == ["E-1", "CSC-2024-0001"]
    fixed = script + "receive --on 2024-05-02\nacknowledge E-1 --on 2024-05-02\n"
    fixed += "respond E-1 --on 2024-05-10 --outcome upheld\n"
    again = complaints("batch", input=fixed)
    assert again.exit_code == 0, again.stderr
    assert again.stdout.split() == ["E-1", "CSC-2024-0001"]
    assert cases(complaints) == ["CSC-2024-0001", "E-1"]
    assert types(complaints, "E-1") == ["Received", "Triaged", "Acknowledged", "Responded"]


def test_the_same_lines_under_a_different_first_line_are_new_lines(
    complaints: Complaints,
) -> None:
    lines = "receive --on 2024-05-01\n"
    assert complaints("batch", input="# Monday\n" + lines).stdout.split() == ["CSC-2024-0001"]
    assert complaints("batch", input="# Tuesday\n" + lines).stdout.split() == ["CSC-2024-0002"]


def test_all_or_nothing_records_nothing_when_a_line_is_refused(complaints: Complaints) -> None:
    result = complaints("batch", "--all-or-nothing", input=FIRST_TRY)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: line 3: ")
    assert "[bad-data]" in lines[0] and "nothing from the file was recorded" in lines[0]
    assert result.stdout == ""
    assert cases(complaints) == []
    # No reference was used up either: the corrected file issues the first one.
    again = complaints("batch", "--all-or-nothing", input=CORRECTED)
    assert again.exit_code == 0, again.stderr
    assert again.stdout.split() == ["CSC-2024-0001", "CSC-2024-0002"]
    assert types(complaints, "CSC-2024-0001") == [
        "Received",
        "Triaged",
        "Responded",
        "EscalationRequested",
    ]
    assert complaints("verify").exit_code == 0


def test_all_or_nothing_refuses_on_a_domain_rule_naming_the_line(complaints: Complaints) -> None:
    script = (
        "receive --ref W-1 --on 2024-05-01 --procedure statutory\n"
        "respond W-1 --on 2024-05-10 --outcome upheld\n"
        "respond W-1 --on 2024-05-13 --outcome not-upheld\n"
    )
    result = complaints("batch", "--all-or-nothing", input=script)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: line 3: ")
    assert "[stage-already-responded]" in result.stderr
    complaints.refused("history", "W-1")


def test_all_or_nothing_stops_at_an_unreadable_line_with_nothing_recorded(
    complaints: Complaints,
) -> None:
    result = complaints(
        "batch", "--all-or-nothing", input="receive --ref Q-1 --on 2024-05-01\nreceive --team 'x\n"
    )
    assert result.exit_code == 1 and result.stderr.startswith("Error: line 2: ")
    complaints.refused("history", "Q-1")


def test_a_file_run_all_or_nothing_then_again_line_by_line_is_skipped(
    complaints: Complaints,
) -> None:
    first = complaints("batch", "--all-or-nothing", input=CORRECTED)
    assert first.exit_code == 0, first.stderr
    again = complaints("batch", input=CORRECTED)
    assert again.exit_code == 0, again.stderr
    assert again.stdout == first.stdout
    assert cases(complaints) == ["CSC-2024-0001", "CSC-2024-0002"]


def test_read_only_lines_run_again_on_a_rerun(complaints: Complaints) -> None:
    script = "receive --ref R-1 --on 2024-05-01\nshow R-1 --format json --no-personal\n"
    assert complaints("batch", input=script).exit_code == 0
    again = complaints("batch", input=script)
    assert again.exit_code == 0, again.stderr
    assert "line 2" not in again.stderr
    assert orjson.loads(again.stdout.split("\n", 1)[1])["ref"] == "R-1"
