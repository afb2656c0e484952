"""The weekly open-cases list, recommendation tracking, case lists, the public
(suppressed) version and the council's targets, rates and benchmarks."""

from __future__ import annotations

from datetime import date

import pytest

from domain.procedure import ProcedurePolicy
from ledger.application import Ledger
from reports.annual import parse_year
from reports.council import Benchmark, CouncilSettings
from reports.operational import CaseFilter, case_list, open_cases, recommendations

POLICY = ProcedurePolicy(today=date(2026, 11, 23))


@pytest.fixture
def ledger(db_url: str) -> Ledger:
    app = Ledger(
        db_url,
        POLICY,
        CouncilSettings(
            name="Exampleshire",
            targets={"stage1": 90.0},
            denominators={2024: {"child_population": 50_000, "referrals": 4_000}},
            benchmarks=(
                Benchmark("Neighbourton", 2024, stage1_received=30, child_population=60_000),
            ),
        ),
    )
    # Received Mon 3 Jun 2024: Stage 1 due Mon 17 Jun (10 working days).
    for ref, team in (("A-1", "North"), ("A-2", "North"), ("A-3", "South")):
        app.receive(
            on=date(2024, 6, 3),
            actor="t",
            ref=ref,
            procedure="statutory",
            service_area="Children in Need",
            team=team,
            reasons=["delays-in-service"],
        )
    app.act(
        "A-1", lambda c, p: c.respond(on=date(2024, 6, 10), actor="t", policy=p, outcome="upheld")
    )
    app.act("A-1", lambda c, p: c.recommend(on=date(2024, 6, 10), actor="t", policy=p))
    app.act(
        "A-1",
        lambda c, p: c.decide_recommendation(
            on=date(2024, 6, 12),
            actor="t",
            policy=p,
            recommendation_id="R1",
            accepted=True,
            owner="North",
            due=date(2024, 7, 31),
        ),
    )
    app.act("A-1", lambda c, p: c.recommend(on=date(2024, 6, 12), actor="t", policy=p))
    app.act("A-3", lambda c, p: c.suspend(on=date(2024, 6, 5), actor="t", policy=p, reason="court"))
    return app


def test_open_cases_list_shows_due_soon_overdue_and_on_hold(ledger: Ledger) -> None:
    # Tue 11 Jun 2024: A-2 is due Mon 17 Jun, within five working days.
    rows = ledger.query(lambda s: open_cases(s, date(2024, 6, 11), POLICY.calendar))
    assert {r["ref"]: r["status"] for r in rows} == {"A-2": "due-soon", "A-3": "on-hold"}
    assert next(r for r in rows if r["ref"] == "A-2")["working_days_left"] == 4
    late = ledger.query(lambda s: open_cases(s, date(2024, 6, 19), POLICY.calendar))
    assert {r["ref"]: r["status"] for r in late}["A-2"] == "overdue"
    assert next(r for r in late if r["ref"] == "A-2")["working_days_left"] == -2
    before = ledger.query(lambda s: open_cases(s, date(2024, 6, 2), POLICY.calendar))
    assert before == []


def test_recommendation_tracking_by_status(ledger: Ledger) -> None:
    rows = ledger.query(lambda s: recommendations(s, date(2024, 8, 1), None))
    assert {r["id"]: r["status"] for r in rows} == {"R1": "overdue", "R2": "awaiting-decision"}
    overdue = ledger.query(lambda s: recommendations(s, date(2024, 8, 1), "overdue"))
    assert [r["id"] for r in overdue] == ["R1"]
    assert ledger.query(lambda s: recommendations(s, date(2024, 8, 1), "completed")) == []
    earlier = ledger.query(lambda s: recommendations(s, date(2024, 6, 11), "open"))
    assert {r["id"]: r["status"] for r in earlier} == {"R1": "awaiting-decision"}


def test_case_list_filters(ledger: Ledger) -> None:
    def listing(chosen: CaseFilter) -> list[str]:
        rows = ledger.query(lambda s: case_list(s, date(2024, 6, 19), POLICY.calendar, chosen))
        return [r["ref"] for r in rows]

    assert listing(CaseFilter()) == ["A-1", "A-2", "A-3"]
    assert listing(CaseFilter(only_open=True)) == ["A-2", "A-3"]
    assert listing(CaseFilter(only_overdue=True)) == ["A-2"]
    assert listing(CaseFilter(team="South")) == ["A-3"]
    assert listing(CaseFilter(procedure="corporate")) == []


def test_public_version_suppresses_small_counts(ledger: Ledger) -> None:
    full = ledger.annual_report(parse_year("2024"), "statutory")
    assert full["stage1"]["by_team"] == {"North": 2, "South": 1}
    public = ledger.annual_report(parse_year("2024"), "statutory", suppress_below=3)
    assert public["suppressed_below"] == 3
    assert public["stage1"]["received"] == 3
    assert public["stage1"]["by_team"] == {"North": "<3", "South": "<3"}
    assert public["stage1"]["outcomes"]["upheld"] == "<3"
    assert public["stage1"]["on_time_percent"] is None
    assert public["stage1"]["outcomes"]["withdrawn"] == 0


def test_targets_rates_and_benchmarks_from_council_settings(ledger: Ledger) -> None:
    report = ledger.annual_report(parse_year("2024"), "statutory")
    assert report["council"] == "Exampleshire"
    assert report["targets"]["stage1"] == {
        "target_percent": 90.0,
        "actual_percent": 100.0,
        "met": True,
    }
    assert report["rates"]["stage1_per_100000_children"] == 6.0
    assert report["rates"]["stage1_per_1000_referrals"] == 0.8
    assert [b["council"] for b in report["benchmarks"]] == ["Exampleshire", "Neighbourton"]
    assert report["benchmarks"][1]["stage1_per_100000_children"] == 50.0


def test_every_table_shows_last_year_beside_this_year(ledger: Ledger) -> None:
    from reports.render import sections

    ledger.receive(
        on=date(2023, 6, 3),
        actor="t",
        ref="OLD-1",
        procedure="statutory",
        service_area="Children in Need",
        team="North",
        reasons=["delays-in-service"],
    )
    report = ledger.annual_report(parse_year("2024"), "statutory")
    assert report["previous"]["period"]["label"] == "2023/24"
    assert report["previous"]["stage1"]["by_team"] == {"North": 1}
    titles = {title: (header, rows) for title, header, rows in sections(report)}
    header, rows = titles["Stage 1 by team"]
    assert header == ["name", "count", "share", "last year", "change"]
    assert rows[0] == ["North", 2, "66.7%", 1, "-"]  # no percentage on a base under 5
    for title in (
        "Timeliness",
        "Stage 1 response times (working days)",
        "Ombudsman decisions",
        "Compensation",
        "Remedies",
        "Recommendations",
        "Compliments by team",
        "Councillor and MP enquiries",
    ):
        header, _ = titles[title]
        assert any("last year" in column for column in header), title
