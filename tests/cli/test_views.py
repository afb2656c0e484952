"""Looking at any record the ledger issues a reference for: ``show``, ``history`` and
``list`` for complaints, compliments, enquiries, initial feedback and advocacy
referrals; and one set of facts behind ``show``, the read models, their CSV export and
the annual report.

Dates are worked out by hand from England's bank holidays (2024: 6 May, 27 May; 2025:
5 May, 26 May). Day 0 is the day the clock starts; the deadline is the Nth working day
after it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import Result

from tests.cli.conftest import Complaints


@dataclass
class CouncilComplaints(Complaints):
    """``complaints`` run with a council's settings file, as its officers would."""

    config: str = ""

    def __call__(self, *args: str, input: str | None = None) -> Result:
        return super().__call__("--config", self.config, *args, input=input)


# ------------------------------------------------ one set of facts, everywhere
STATEMENT_CLOCK = "[timescales]\nstage2_clock = 'statement'\n"


def stage2_with_a_statement_agreed_after_the_request(complaints: Complaints) -> str:
    """Stage 2 requested Monday 13 May 2024, its statement agreed Friday 24 May, the
    adjudication sent Wednesday 26 June 2024."""
    ref = complaints.ok("receive", "--on", "2024-05-01", "--procedure", "statutory")
    complaints.ok("respond", ref, "--on", "2024-05-10", "--outcome", "not-upheld")
    complaints.ok("escalate", ref, "--on", "2024-05-13")
    complaints.ok("statement", ref, "--on", "2024-05-24", "--points", "1")
    complaints.ok("finding", ref, "--on", "2024-06-20", "--point", "1", "--finding", "upheld")
    complaints.ok("respond", ref, "--on", "2024-06-26", "--outcome", "upheld", "--stage", "2")
    return ref


def exported(complaints: Complaints, table: str) -> list[dict[str, str]]:
    """A read model as ``export --format csv`` writes it for analysts."""
    text = complaints.ok("export", "--format", "csv", "--table", table)
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize(
    ("settings", "clock_from", "basis", "deadline", "on_time", "taken"),
    [
        # From the request: 25 working days from 13 May (27 May a holiday) is 18 June,
        # so the adjudication on 26 June is late.
        ("", "2024-05-13", "request", "2024-06-18", False, 31),
        # From the agreed statement: 25 working days from 24 May is 1 July: on time.
        (STATEMENT_CLOCK, "2024-05-24", "statement", "2024-07-01", True, 22),
    ],
    ids=["counted-from-request", "counted-from-statement"],
)
def test_show_the_read_models_their_export_and_the_report_agree_on_stage2(
    db_url: str,
    tmp_path: Path,
    settings: str,
    clock_from: str,
    basis: str,
    deadline: str,
    on_time: bool,
    taken: int,
) -> None:
    config = tmp_path / "council.toml"
    config.write_text(settings, encoding="utf-8")
    complaints = CouncilComplaints(db_url, config=str(config))
    ref = stage2_with_a_statement_agreed_after_the_request(complaints)

    shown = complaints.json("show", ref)["stages"][1]

    (case_id,) = [r["case_id"] for r in exported(complaints, "rm_case") if r["ref"] == ref]
    (row,) = [
        r for r in exported(complaints, "rm_stage") if r["case_id"] == case_id and r["stage"] == "2"
    ]
    assert row["clock_from"] == shown["clock_from"]
    assert row["deadline"] == shown["deadline"]
    assert row["response_due"] == shown["response_due"]
    assert row["on_time"] == ("true" if shown["on_time"] else "false")
    assert int(row["working_days_taken"]) == shown["working_days_taken"]

    report = complaints.json("report", "annual", "--year", "2024")
    assert (report["stage2"]["responded"], report["stage2"]["on_time"]) == (1, int(on_time))

    assert (shown["clock_from"], shown["deadline"], shown["response_due"]) == (
        clock_from,
        deadline,
        deadline,
    )
    assert (shown["on_time"], shown["working_days_taken"]) == (on_time, taken)
    assert shown["clock_basis"] == basis
