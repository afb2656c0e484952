"""The figures councils' scrutiny committees ask for: uphold rate by team and by reason,
the Ombudsman's annual-letter figures (satisfactory remedy by the council, compliance),
median working days to respond, what fell due in the period and was answered on time,
cases still open at its end and for how long, and Stage 2 and 3 response-time bands.
Received Monday 3 June 2024: Stage 1 due Monday 17 June (10 working days)."""

from __future__ import annotations

from datetime import date

import pytest

from domain.procedure import ProcedurePolicy
from ledger.application import Ledger
from reports.annual import parse_year
from reports.render import render

POLICY = ProcedurePolicy(today=date(2026, 11, 23))


@pytest.fixture
def report(db_url: str) -> dict[str, object]:
    app = Ledger(db_url, POLICY)
    try:
        for ref, team, reasons in (
            ("A-1", "North", ["delays-in-service"]),
            ("A-2", "North", ["delays-in-service", "poor-communication"]),
            ("A-3", "South", ["poor-communication"]),
        ):
            app.receive(
                on=date(2024, 6, 3),
                actor="t",
                ref=ref,
                procedure="statutory",
                team=team,
                reasons=reasons,
            )
        for ref, on, outcome in (
            ("A-1", date(2024, 6, 10), "upheld"),  # 5 working days, on time
            ("A-2", date(2024, 7, 2), "not-upheld"),  # 21 working days, late
        ):
            app.act(
                ref,
                lambda c, p, on=on, outcome=outcome: c.respond(
                    on=on, actor="t", policy=p, outcome=outcome
                ),
            )
        for ref, decision, satisfactory, complied in (
            ("A-1", "upheld", True, date(2024, 11, 1)),  # complied on time
            ("A-2", "upheld", False, date(2024, 12, 2)),  # complied late
        ):
            app.act(
                ref,
                lambda c, p: c.open_ombudsman_enquiry(on=date(2024, 8, 1), actor="t", policy=p),
            )
            app.act(
                ref,
                lambda c, p, d=decision, s=satisfactory: c.record_ombudsman_decision(
                    on=date(2024, 10, 1),
                    actor="t",
                    policy=p,
                    decision=d,
                    due=date(2024, 11, 29),
                    satisfactory_remedy=s,
                ),
            )
            app.act(
                ref,
                lambda c, p, on=complied: c.comply_with_ombudsman(on=on, actor="t", policy=p),
            )
        return app.annual_report(parse_year("2024/25"), "statutory")
    finally:
        app.close()


def test_uphold_rate_by_team_and_by_reason(report: dict[str, object]) -> None:
    uphold = report["stage1"]["uphold"]  # type: ignore[index]
    assert uphold["by_team"] == {
        "North": {"responded": 2, "some_merit_found": 1, "uphold_rate_percent": 50.0}
    }
    assert uphold["by_reason"] == {
        "delays-in-service": {"responded": 2, "some_merit_found": 1, "uphold_rate_percent": 50.0},
        "poor-communication": {"responded": 1, "some_merit_found": 0, "uphold_rate_percent": 0.0},
    }


def test_due_answered_on_time_median_and_open_at_the_end(report: dict[str, object]) -> None:
    stage1 = report["stage1"]  # type: ignore[index]
    assert (stage1["due"], stage1["due_answered_on_time"]) == (3, 1)
    assert stage1["median_working_days"] == 13.0
    assert stage1["open_at_end"] == {
        "count": 1,
        "under_30_days": 0,
        "30_to_90_days": 0,
        "over_90_days": 1,
    }
    assert report["stage2"]["response_bands"] == {  # type: ignore[index]
        "within_25": 0,
        "26_to_65": 0,
        "over_65": 0,
    }


def test_the_ombudsman_annual_letter_figures(report: dict[str, object]) -> None:
    ombudsman = report["ombudsman"]  # type: ignore[index]
    assert (ombudsman["decided"], ombudsman["upheld"]) == (2, 2)
    assert (ombudsman["satisfactory_remedy"], ombudsman["satisfactory_remedy_percent"]) == (1, 50.0)
    assert (ombudsman["complied_on_time"], ombudsman["compliance_percent"]) == (1, 50.0)


def test_the_scrutiny_tables_are_in_every_format(report: dict[str, object]) -> None:
    for output in ("md", "html", "csv"):
        text = render(report, output, None)  # type: ignore[arg-type]
        for title in (
            "Stage 1 uphold rate by team",
            "Stage 1 uphold rate by reason",
            "Stage 2 and 3 response times (working days)",
            "Due in the period, and open at its end",
            "satisfactory remedy by the council (of upheld)",
        ):
            assert title in text, (output, title)
