"""Re-deriving last year's published figures: the annual report as the ledger stood
at a past moment, ignoring everything recorded later, corrections included."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from typing import Any

import orjson
from click.testing import CliRunner

from cli.main import cli
from domain.procedure import ProcedurePolicy
from ledger.application import Ledger
from reports.annual import parse_year

POLICY = ProcedurePolicy(today=date(2026, 11, 23))
YEAR = parse_year("2024")


def _receive(ledger: Ledger, ref: str, team: str, on: date) -> None:
    ledger.receive(
        on=on, actor="t", ref=ref, procedure="statutory", team=team, reasons=["poor-communication"]
    )


def test_report_as_of_a_past_moment_ignores_later_events_and_corrections(db_url: str) -> None:
    ledger = Ledger(db_url, POLICY)
    for n in range(3):
        _receive(ledger, f"A-{n}", "North", date(2024, 5, 1))
    ledger.act(
        "A-0", lambda c, p: c.respond(on=date(2024, 5, 10), actor="t", policy=p, outcome="upheld")
    )
    published = ledger.annual_report(YEAR, "statutory")
    time.sleep(0.01)
    moment = datetime.now(UTC)
    time.sleep(0.01)
    # Afterwards: a correction moves a case to another team, and more cases arrive.
    ledger.act(
        "A-1",
        lambda c, p: c.amend(
            on=date(2024, 6, 1),
            actor="t",
            policy=p,
            field="team",
            value="South",
            reason="wrong team",
        ),
    )
    _receive(ledger, "A-9", "South", date(2024, 7, 1))
    now = ledger.annual_report(YEAR, "statutory")
    assert now["stage1"]["by_team"] == {"North": 2, "South": 2}

    then = ledger.annual_report(YEAR, "statutory", as_of=moment)
    assert then["stage1"]["by_team"] == {"North": 3}
    assert _figures(then) == _figures(published)
    assert then["integrity"]["head_hash"] == published["integrity"]["head_hash"]
    assert then["integrity"]["events"] == published["integrity"]["events"]
    ledger.close()


def test_cli_as_of_before_anything_was_recorded_gives_an_empty_report(db_url: str) -> None:
    ledger = Ledger(db_url, POLICY)
    _receive(ledger, "B-1", "North", date(2024, 5, 1))
    ledger.close()
    result = CliRunner().invoke(
        cli,
        [
            "--db",
            db_url,
            "report",
            "annual",
            "--year",
            "2024",
            "--format",
            "json",
            "--as-of",
            "2020-01-01T00:00:00+00:00",
        ],
        obj={},
    )
    assert result.exit_code == 0, result.output
    report = orjson.loads(result.stdout)
    assert report["stage1"]["received"] == 0
    assert report["integrity"]["events"] == 0


def _figures(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k != "integrity"}
