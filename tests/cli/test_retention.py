"""The retention schedule (issue 10, ADR 0021): `retention due` lists the cases whose
personal data the council's schedule says to erase, `retention apply` erases exactly
those, each once with its basis, even when a run is killed (kill -9) and run again;
legal holds are placed and lifted as steps with a reason, and refuse erasure."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.cli.conftest import Complaints

SCHEDULE = "[retention]\nclosed_years = 1\nombudsman_years = 2\n"


@pytest.fixture
def settings(tmp_path: Path) -> Path:
    path = tmp_path / "complaints.toml"
    path.write_text(SCHEDULE)
    return path


def demo(db: str, settings: Path, cases: int = 30) -> Complaints:
    complaints = Complaints(db)
    complaints.ok(
        "demo", "--config", str(settings), "--years", "3", "--cases-per-year", str(cases),
        "--first-year", "2021", "--seed", "7",
    )  # fmt: skip
    return complaints


def read_models(complaints: Complaints, folder: Path) -> dict[str, list[dict[str, str]]]:
    complaints.ok("export", "--format", "csv", "--all", "--out", str(folder))
    return {
        name: list(csv.DictReader((folder / f"{name}.csv").open(encoding="utf-8")))
        for name in ("rm_case", "rm_stage", "rm_ombudsman")
    }


def years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def named_by_schedule(models: dict[str, list[dict[str, str]]], as_of: date) -> set[str]:
    """The cases the schedule (closed: 1 year; Ombudsman: 2 years from the later of
    closure and its last step) names on ``as_of``, worked out from the read models."""
    stages = {(s["case_id"], s["stage"]): s for s in models["rm_stage"]}
    ombudsman: dict[str, list[date]] = {}
    for row in models["rm_ombudsman"]:
        days = [row["enquiry_on"], row["decided_on"], row["complied_on"]]
        ombudsman.setdefault(row["case_id"], []).extend(date.fromisoformat(d) for d in days if d)
    named = set()
    for case in models["rm_case"]:
        if case["ended"]:
            closed = date.fromisoformat(case["ended_on"])
        elif case["current_stage"] and case["on_hold"] != "True":
            stage = stages[(case["case_id"], case["current_stage"])]
            ended = stage["responded_on"] or stage["withdrawn_on"]
            if not ended:
                continue
            closed = date.fromisoformat(ended)
        else:
            continue
        if case["case_id"] in ombudsman:
            due = years_after(max([closed, *ombudsman[case["case_id"]]]), 2)
        else:
            due = years_after(closed, 1)
        if due <= as_of:
            named.add(case["ref"])
    return named


def erasures(complaints: Complaints) -> list[dict[str, Any]]:
    """Every Erased step in the ledger, from the event log."""
    lines = complaints.ok("export", "--format", "jsonl").splitlines()
    return [e for e in map(orjson.loads, lines) if e.get("type") == "Erased"]  # not the trailer


def test_the_schedule_applied_a_year_apart_erases_exactly_the_cases_it_names(
    db_url: str, settings: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPLAINTS_CONFIG", str(settings))
    complaints = demo(db_url, settings)
    models = read_models(complaints, tmp_path / "models")
    held = sorted(named_by_schedule(models, date(2023, 4, 1)))[0]
    complaints.ok("hold", "place", held, "--on", "2023-01-10", "--reason", "proceedings")
    erased: set[str] = set()
    for number, day in enumerate([date(2023, 4, 1), date(2024, 4, 1), date(2025, 4, 1)]):
        named = named_by_schedule(models, day) - {held}
        listed = complaints.json("retention", "due", "--as-of", day.isoformat())
        assert {e["ref"] for e in listed if e["state"] == "due"} == named - erased
        if held in named_by_schedule(models, day):
            assert {"ref": held, "state": "held"}.items() <= next(
                e for e in listed if e["ref"] == held
            ).items()
        dry = complaints.ok("retention", "apply", "--as-of", day.isoformat(), "--dry-run")
        assert dry.count("would erase ") == len(named - erased)
        complaints.ok("retention", "apply", "--as-of", day.isoformat())
        on_day = [e for e in erasures(complaints) if e["on"] == day.isoformat()]
        assert {e["case"] for e in on_day} == named - erased, number
        assert all(e["data"]["subject"] == "all" for e in on_day)
        assert all(e["data"]["basis"].startswith("retention schedule: ") for e in on_day)
        erased |= named
    assert len(erased) > 10  # the years did name cases
    counted = Counter(e["case"] for e in erasures(complaints))
    assert set(counted.values()) == {1}
    assert held not in counted
    # Lifted, the held case is due at once, and erased by the next run.
    complaints.ok("hold", "lift", held, "--on", "2025-04-02", "--reason", "concluded")
    assert held in complaints.ok("retention", "due", "--as-of", "2025-04-02")
    complaints.ok("retention", "apply", "--as-of", "2025-04-02")
    assert Counter(e["case"] for e in erasures(complaints))[held] == 1
    assert complaints.json("verify")["intact"]


def test_a_run_killed_mid_way_and_run_again_erases_each_due_case_once(
    db_url: str, settings: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPLAINTS_CONFIG", str(settings))
    complaints = demo(db_url, settings, cases=40)
    day = "2025-04-01"
    due = {e["ref"] for e in complaints.json("retention", "due", "--as-of", day)}
    assert len(due) > 20
    program = Path(sys.executable).parent / "complaints"
    env = {**os.environ, "COMPLAINTS_DB": db_url, "COMPLAINTS_ACTOR": "schedule"}
    run = subprocess.Popen(
        [str(program), "retention", "apply", "--as-of", day],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert run.stdout is not None
    done = 0
    for line in run.stdout:
        done += line.startswith(b"erased CSC-")
        if done == 5:
            run.send_signal(signal.SIGKILL)
            break
    run.wait()
    assert run.returncode == -signal.SIGKILL
    first = Counter(e["case"] for e in erasures(complaints))
    assert 5 <= len(first) < len(due)  # killed part way

    complaints.ok("retention", "apply", "--as-of", day)
    counted = Counter(e["case"] for e in erasures(complaints))
    assert set(counted) == due
    assert set(counted.values()) == {1}
    assert complaints.json("retention", "due", "--as-of", day) == []
    assert complaints.json("verify")["intact"]


def test_legal_holds(complaints: Complaints, unchanged: Any) -> None:
    ref = "CSC-2025-0001"
    complaints.ok(
        "receive", "--ref", ref, "--on", "2025-04-07", "--procedure", "statutory",
        "--complainant", "Hilda Held",
    )  # fmt: skip
    complaints.ok("hold", "place", ref, "--on", "2025-05-01", "--reason", "claim issued")
    unchanged(
        ref, "erase", ref, "--subject", "all", "--on", "2025-05-02", "--basis", "Art. 17",
        "--yes", rule="legal-hold",
    )  # fmt: skip
    unchanged(ref, "hold", "place", ref, "--on", "2025-05-03", "--reason", "x", rule="legal-hold")
    unchanged(ref, "hold", "lift", ref, "--on", "2025-05-03", "--reason", " ", rule="bad-data")
    complaints.ok("hold", "lift", ref, "--on", "2025-06-01", "--reason", "claim settled")
    unchanged(ref, "hold", "lift", ref, "--on", "2025-06-02", "--reason", "x", rule="no-legal-hold")
    history = complaints.history(ref)
    assert [e["type"] for e in history][-2:] == ["HoldPlaced", "HoldLifted"]
    # The reasons are typed text: sealed like every other (ADR 0021).
    assert history[-1]["data"]["reason"].startswith("[sealed note text:")
    complaints.ok(
        "erase", ref, "--subject", "all", "--on", "2025-06-02", "--basis", "Art. 17", "--yes"
    )


@pytest.mark.parametrize(
    ("setting", "says"),
    [
        ("closed_years = 0", "at least 1"),
        ("closed_years = 7\nombudsman_years = 3", "at least closed_years"),
        ("keep_years = 3", "unknown retention setting 'keep_years'"),
        ('closed_years = "six"', "whole number"),
    ],
)
def test_a_mistaken_schedule_is_refused(
    sqlite_url: str, tmp_path: Path, setting: str, says: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(f"[retention]\n{setting}\n")
    refused = Complaints(sqlite_url).refused("--config", str(path), "retention", "due")
    assert says in refused.stderr
