"""The annual report's counting rules at their edges (cli-contract.md, "Annual report
JSON"), each on SQLite and PostgreSQL.

Hand-worked dates (England; day of receipt is day 0):

* received Wed 20 Mar 2024: day 10 is Fri 5 Apr 2024 (Good Friday 29 Mar and Easter
  Monday 1 Apr are not working days); a response on Wed 10 Apr is day 13.
* received Mon 13 May 2024: day 10 is Tue 28 May (Mon 27 May is a bank holiday), day
  11 Wed 29 May, day 15 Tue 4 Jun, day 20 Tue 11 Jun, day 21 Wed 12 Jun.
* Stage 2 requested Mon 3 Jun 2024: day 25 is Mon 8 Jul, day 30 Mon 15 Jul, day 60
  Tue 27 Aug (Mon 26 Aug is a bank holiday), day 65 Tue 3 Sep.
* Stage 3 requested Mon 15 Jul 2024: the panel is due by day 30, Tue 27 Aug; day 40 is
  Tue 10 Sep, day 43 Fri 13 Sep, day 50 (30 + 5 + 15) Tue 24 Sep, day 53 Fri 27 Sep.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from domain.representations import Compliment, Enquiry
from tests.reports.seed_builder import (
    Amend,
    Case,
    Ombudsman,
    Pay,
    Rec,
    Stage,
    annual,
    compliments,
    enquiry,
    seeded,
    working_day,
)

YEAR, PREVIOUS = "2024/25", "2023/24"
ZERO_OUTCOMES = {"upheld": 0, "partly_upheld": 0, "not_upheld": 0, "withdrawn": 0}

MAR_20 = date(2024, 3, 20)
MAY_13 = date(2024, 5, 13)
JUN_3 = date(2024, 6, 3)


def reports(
    url: str,
    cases: Iterable[Case],
    others: Iterable[Compliment | Enquiry] = (),
    years: Iterable[str] = (YEAR,),
    procedure: str = "statutory",
) -> dict[str, dict[str, Any]]:
    with seeded(url, cases, others) as ledger:
        return {year: annual(ledger, year, procedure) for year in years}


def test_hand_worked_dates() -> None:
    assert working_day(MAR_20, 10) == date(2024, 4, 5)
    assert working_day(MAR_20, 13) == date(2024, 4, 10)
    assert working_day(MAY_13, 10) == date(2024, 5, 28)
    assert working_day(MAY_13, 11) == date(2024, 5, 29)
    assert working_day(MAY_13, 15) == date(2024, 6, 4)
    assert working_day(MAY_13, 20) == date(2024, 6, 11)
    assert working_day(MAY_13, 21) == date(2024, 6, 12)
    assert working_day(JUN_3, 25) == date(2024, 7, 8)
    assert working_day(JUN_3, 30) == date(2024, 7, 15)
    assert working_day(JUN_3, 60) == date(2024, 8, 27)
    assert working_day(JUN_3, 65) == date(2024, 9, 3)
    # Stage 3 requested 5 working days after a Stage 2 adjudication on day 25.
    requested = working_day(working_day(JUN_3, 25), 5)
    assert requested == date(2024, 7, 15)
    assert working_day(requested, 30) == date(2024, 8, 27)
    assert working_day(requested, 40) == date(2024, 9, 10)
    assert working_day(requested, 43) == date(2024, 9, 13)
    assert working_day(requested, 50) == date(2024, 9, 24)
    assert working_day(requested, 53) == date(2024, 9, 27)


# ------------------------------------------------------------ across the year end
def test_received_in_one_year_and_closed_in_the_next(db_url: str) -> None:
    case = Case(
        ref="YE-1",
        received=MAR_20,
        team="North",
        stage1=Stage(outcome="upheld", responded=date(2024, 4, 10)),
        # Stage 2 is counted by its request (2024/25), not by the Stage 1 receipt.
        stage2=Stage(requested=date(2024, 4, 15)),
    )
    got = reports(db_url, [case], years=(PREVIOUS, YEAR))
    before, after = got[PREVIOUS]["stage1"], got[YEAR]["stage1"]
    assert before["received"] == 1
    assert before["by_team"] == {"North": 1}
    assert before["responded"] == 0
    assert before["outcomes"] == ZERO_OUTCOMES
    assert before["response_bands"] == {"within_10": 0, "11_to_20": 0, "over_20": 0}
    assert after["received"] == 0
    assert after["received_previous"] == 1
    assert after["by_team"] == {}
    assert after["responded"] == 1
    assert after["on_time"] == 0  # day 13 of 10
    assert after["response_bands"] == {"within_10": 0, "11_to_20": 1, "over_20": 0}
    assert after["outcomes"] == {**ZERO_OUTCOMES, "upheld": 1}
    assert got[PREVIOUS]["stage2"]["received"] == 0
    assert got[YEAR]["stage2"]["received"] == 1
    assert got[YEAR]["stage2"]["responded"] == 0


def test_stage1_is_received_on_the_day_of_triage(db_url: str) -> None:
    """Received 28 Mar 2024 (2023/24) but triaged into the procedure on 2 Apr 2024: the
    contract counts Stage 1 by the date it was entered. Bands still count from receipt."""
    case = Case(
        ref="TRI-1",
        received=date(2024, 3, 28),
        triaged=date(2024, 4, 2),
        stage1=Stage(outcome="not-upheld", days=10),
    )
    got = reports(db_url, [case], years=(PREVIOUS, YEAR))
    assert got[PREVIOUS]["stage1"]["received"] == 0
    assert got[YEAR]["stage1"]["received"] == 1
    assert got[YEAR]["stage1"]["on_time"] == 1
    assert got[YEAR]["stage1"]["response_bands"]["within_10"] == 1


# ------------------------------------------------------------------ timeliness
def test_an_extension_makes_a_late_looking_response_on_time(db_url: str) -> None:
    cases = [
        Case(ref="EXT-1", received=MAY_13, stage1=Stage(outcome="upheld", days=15, extend_to=20)),
        Case(ref="EXT-2", received=MAY_13, stage1=Stage(outcome="upheld", days=15)),
        # Stage 2: day 60 of 65 after an extension is on time; day 30 of 25 is late.
        Case(
            ref="EXT-3",
            received=MAY_13,
            stage1=Stage(outcome="not-upheld", days=10),
            stage2=Stage(outcome="not-upheld", requested=JUN_3, days=60, extend_to=65),
        ),
        Case(
            ref="EXT-4",
            received=MAY_13,
            stage1=Stage(outcome="not-upheld", days=10),
            stage2=Stage(outcome="not-upheld", requested=JUN_3, days=30),
        ),
    ]
    report = reports(db_url, cases)[YEAR]
    stage1, stage2 = report["stage1"], report["stage2"]
    assert stage1["responded"] == 4
    assert stage1["on_time"] == 3  # EXT-1 (extended), EXT-3 and EXT-4 (day 10)
    assert stage1["extended"] == 1
    assert stage1["response_bands"] == {"within_10": 2, "11_to_20": 2, "over_20": 0}
    assert stage2["responded"] == 2
    assert stage2["on_time"] == 1  # EXT-3


def test_stage1_response_bands(db_url: str) -> None:
    days = {"B-8": 8, "B-10": 10, "B-11": 11, "B-20": 20, "B-21": 21}
    cases = [
        Case(ref=ref, received=MAY_13, stage1=Stage(outcome="not-upheld", days=n, extend_to=20))
        for ref, n in days.items()
    ]
    stage1 = reports(db_url, cases)[YEAR]["stage1"]
    assert stage1["response_bands"] == {"within_10": 2, "11_to_20": 2, "over_20": 1}
    assert stage1["on_time"] == 4  # all extended to 20; day 21 is late


def test_a_hold_stops_the_clock(db_url: str) -> None:
    """On hold Mon 20 May to Tue 28 May 2024 (five working days): a response on Tue
    4 Jun (day 15 of the calendar) is day 10 of the stage's clock."""
    held = Case(
        ref="HOLD-1",
        received=MAY_13,
        holds=((date(2024, 5, 20), date(2024, 5, 28)),),
        stage1=Stage(outcome="upheld", responded=date(2024, 6, 4)),
    )
    stage1 = reports(db_url, [held])[YEAR]["stage1"]
    assert stage1["on_time"] == 1
    assert stage1["response_bands"] == {"within_10": 1, "11_to_20": 0, "over_20": 0}


def test_the_periods_first_and_last_days_belong_to_it(db_url: str) -> None:
    cases = [
        Case(ref="B-1", received=date(2024, 3, 31), stage1=Stage(outcome="upheld", days=3)),
        Case(ref="B-2", received=date(2024, 4, 1), stage1=Stage(outcome="upheld", days=3)),
        Case(ref="B-3", received=date(2025, 3, 31), stage1=Stage(withdrawn=date(2025, 4, 1))),
    ]
    got = reports(db_url, cases, years=(PREVIOUS, YEAR, "2025/26"))
    assert [got[y]["stage1"]["received"] for y in (PREVIOUS, YEAR, "2025/26")] == [1, 2, 0]
    assert got[YEAR]["stage1"]["responded"] == 2  # B-1 answered in April 2024, and B-2
    assert got[YEAR]["stage1"]["outcomes"]["withdrawn"] == 0
    assert got["2025/26"]["stage1"]["outcomes"]["withdrawn"] == 1


def test_complaints_outside_any_procedure_are_not_counted(db_url: str) -> None:
    """Redirected at triage, or never triaged: in no procedure's figures, nor is an
    Ombudsman enquiry about one."""
    cases = [
        Case(
            ref="X-1",
            received=MAY_13,
            procedure="not-a-complaint",
            ombudsman=(Ombudsman(date(2024, 7, 1), "premature", date(2024, 7, 15)),),
        ),
        Case(ref="X-2", received=MAY_13, procedure=None),
        Case(ref="X-3", received=MAY_13, procedure="excluded"),
    ]
    with seeded(db_url, cases) as ledger:
        for procedure in ("statutory", "corporate"):
            report = annual(ledger, YEAR, procedure)
            assert report["stage1"]["received"] == 0, procedure
            assert report["ombudsman"]["enquiries"] == 0, procedure
            assert report["ombudsman"]["decisions"] == {}, procedure


def test_stage3_on_time_when_every_step_is_on_time(db_url: str) -> None:
    """Panel on day 20 of 30 after the request, report 3 days later (of 5), council's
    response 10 days after the report (of 15)."""
    case = Case(
        ref="P-1",
        received=MAY_13,
        stage1=Stage(outcome="not-upheld", days=10),
        stage2=Stage(outcome="not-upheld", requested=JUN_3, days=25),
        stage3=Stage(outcome="not-upheld", panel_days=20, report_days=3, days=33),
    )
    stage3 = reports(db_url, [case])[YEAR]["stage3"]
    assert stage3["received"] == stage3["panels_held"] == stage3["responded"] == 1
    assert stage3["on_time"] == 1


def test_stage3_is_late_when_the_panel_met_late(db_url: str) -> None:
    """Requested Mon 15 Jul 2024 (5 working days after the adjudication of Mon 8 Jul).
    The panel was due by day 30 (Tue 27 Aug) but met on day 40 (Tue 10 Sep), reported
    on Fri 13 Sep and the council responded on Fri 27 Sep, day 53: later than the panel
    step allows and later than the whole chain (30 + 5 + 15 = day 50, Tue 24 Sep)."""
    case = Case(
        ref="P-2",
        received=MAY_13,
        stage1=Stage(outcome="not-upheld", days=10),
        stage2=Stage(outcome="not-upheld", requested=JUN_3, days=25),
        stage3=Stage(outcome="not-upheld", panel_days=40, report_days=3, days=53),
    )
    stage3 = reports(db_url, [case])[YEAR]["stage3"]
    assert stage3["responded"] == 1
    assert stage3["on_time"] == 0


# ------------------------------------------------------------------ withdrawal
def test_a_withdrawal_counts_as_withdrawn_and_not_as_responded(db_url: str) -> None:
    cases = [
        Case(ref="W-1", received=MAY_13, stage1=Stage(withdrawn_days=5)),
        Case(
            ref="W-2",
            received=MAY_13,
            stage1=Stage(outcome="not-upheld", days=10),
            stage2=Stage(requested=JUN_3, withdrawn_days=7),
        ),
    ]
    report = reports(db_url, cases)[YEAR]
    stage1, stage2 = report["stage1"], report["stage2"]
    assert stage1["received"] == 2
    assert stage1["responded"] == 1
    assert stage1["on_time"] == 1
    assert stage1["outcomes"] == {**ZERO_OUTCOMES, "not_upheld": 1, "withdrawn": 1}
    assert sum(stage1["response_bands"].values()) == 1
    assert stage2["received"] == 1
    assert stage2["responded"] == 0
    assert stage2["on_time"] == 0
    assert stage2["outcomes"] == {**ZERO_OUTCOMES, "withdrawn": 1}


# ------------------------------------------------------------------ correction
def test_a_correction_moves_the_complaint_to_another_team(db_url: str) -> None:
    cases = [
        Case(ref="T-1", received=MAY_13, service_area="Localities", team="North"),
        Case(
            ref="T-2",
            received=MAY_13,
            service_area="Localities",
            team="North",
            reasons=("poor-communication",),
            amendments=(
                Amend(date(2024, 5, 20), "team", "South"),
                Amend(date(2024, 5, 20), "reasons", ["delays-in-service"]),
            ),
        ),
    ]
    stage1 = reports(db_url, cases)[YEAR]["stage1"]
    assert stage1["by_team"] == {"North": 1, "South": 1}
    assert stage1["by_service_area"] == {"Localities": 2}
    assert stage1["by_reason"] == {"delays-in-service": 1}


def test_correcting_the_date_of_receipt_moves_the_stage1_clock(db_url: str) -> None:
    """Recorded as received Mon 20 May 2024, corrected to Mon 13 May: the response of
    Tue 4 Jun is day 15 from the true receipt (late, band 11-20), not day 10."""
    case = Case(
        ref="RD-1",
        received=date(2024, 5, 20),
        stage1=Stage(outcome="upheld", responded=date(2024, 6, 4)),
        amendments=(Amend(date(2024, 6, 5), "received-on", MAY_13),),
    )
    stage1 = reports(db_url, [case])[YEAR]["stage1"]
    assert stage1["on_time"] == 0
    assert stage1["response_bands"] == {"within_10": 0, "11_to_20": 1, "over_20": 0}


# ------------------------------------------------------------------ procedures
def test_corporate_complaints_are_reported_apart_from_statutory_ones(db_url: str) -> None:
    """Corporate Stage 1 is 15 working days (extendable to 25), Stage 2 20."""
    cases = [
        Case(ref="S-1", received=MAY_13, team="North", stage1=Stage(outcome="upheld", days=12)),
        Case(
            ref="C-1",
            received=MAY_13,
            procedure="corporate",
            team="Housing",
            stage1=Stage(outcome="not-upheld", days=12, compensation=(Pay("75"),)),
            stage2=Stage(outcome="not-upheld", requested=JUN_3, days=20),
            ombudsman=(Ombudsman(date(2024, 8, 1), "upheld", date(2024, 10, 1)),),
        ),
        Case(
            ref="C-2",
            received=MAY_13,
            procedure="corporate",
            stage1=Stage(outcome="upheld", days=16),
        ),
        Case(
            ref="C-3",
            received=MAY_13,
            procedure="corporate",
            stage1=Stage(outcome="upheld", days=20, extend_to=25),
        ),
    ]
    with seeded(db_url, cases) as ledger:
        statutory = annual(ledger, YEAR, "statutory")
        corporate = annual(ledger, YEAR, "corporate")
    assert statutory["procedure"] == "statutory"
    assert corporate["procedure"] == "corporate"

    assert statutory["stage1"]["received"] == 1
    assert statutory["stage1"]["by_team"] == {"North": 1}
    assert statutory["stage1"]["on_time"] == 0  # day 12 of 10
    assert statutory["stage2"]["received"] == 0
    assert statutory["ombudsman"]["enquiries"] == 0
    assert statutory["compensation"]["total"] == "0.00"

    stage1 = corporate["stage1"]
    assert stage1["received"] == 3
    assert stage1["by_team"] == {"Housing": 1, "not recorded": 2}
    assert stage1["responded"] == 3
    assert stage1["on_time"] == 2  # day 12 of 15; day 20 of 25 extended; not day 16 of 15
    assert stage1["outcomes"] == {**ZERO_OUTCOMES, "upheld": 2, "not_upheld": 1}
    assert corporate["stage2"]["received"] == 1
    assert corporate["stage2"]["on_time"] == 1
    assert corporate["stage3"]["received"] == 0
    assert corporate["ombudsman"]["enquiries"] == 1
    assert corporate["ombudsman"]["decisions"] == {"upheld": 1}
    assert corporate["compensation"]["by_stage"]["1"] == "75.00"
    assert corporate["compensation"]["total"] == "75.00"


# ------------------------------------------------------------- recommendations
def test_recommendations_as_they_stood_at_the_end_of_the_period(db_url: str) -> None:
    """Made on Tue 28 May 2024 (the Stage 1 response); the period ends 31 Mar 2025."""
    end = date(2025, 3, 31)
    recs = (
        # R1 accepted, done in time: completed.
        Rec(accepted=date(2024, 6, 3), due=date(2024, 9, 30), completed=date(2024, 9, 20)),
        # R2 accepted, due 31 Dec 2024, never done: open and overdue.
        Rec(accepted=date(2024, 6, 3), due=date(2024, 12, 31)),
        # R3 accepted, due on the last day of the period: open, not yet overdue.
        Rec(accepted=date(2024, 6, 3), due=end),
        # R4 accepted, due 31 Jan 2025, done only in April 2025: open and overdue then.
        Rec(accepted=date(2024, 6, 3), due=date(2025, 1, 31), completed=date(2025, 4, 15)),
        # R5 rejected in the period.
        Rec(rejected=date(2024, 6, 3)),
        # R6 awaiting a decision: open.
        Rec(),
        # R7 rejected only after the period: open at its end.
        Rec(rejected=date(2025, 4, 10)),
        # R8 accepted only after the period: neither accepted nor overdue at its end.
        Rec(accepted=date(2025, 4, 2), due=date(2025, 4, 30)),
    )
    cases = [
        Case(
            ref="R-1",
            received=MAY_13,
            stage1=Stage(outcome="upheld", days=10, recommendations=recs),
        ),
        # Made in 2023/24: counted in that year's "made", not in 2024/25's.
        Case(
            ref="R-0",
            received=date(2024, 2, 1),
            stage1=Stage(outcome="upheld", days=10, recommendations=(Rec(accepted=1),)),
        ),
    ]
    got = reports(db_url, cases, years=(PREVIOUS, YEAR))
    assert got[YEAR]["recommendations"] | {"by_theme": None} == {
        "made": 8,
        "accepted": 4,  # R1-R4
        "rejected": 1,  # R5
        "completed": 1,  # R1
        "open": 6,  # R2, R3, R4, R6, R7, R8
        "overdue": 2,  # R2, R4
        "by_theme": None,
    }
    assert got[PREVIOUS]["recommendations"]["made"] == 1


# -------------------------------------------------------------------- money
def test_compensation_by_stage_including_the_ombudsman(db_url: str) -> None:
    cases = [
        Case(
            ref="M-1",
            received=MAY_13,
            stage1=Stage(outcome="partly-upheld", days=10, compensation=(Pay("100"),)),
            stage2=Stage(
                outcome="partly-upheld",
                requested=JUN_3,
                days=25,
                compensation=(Pay("200.50", "time-and-trouble"),),
            ),
            stage3=Stage(outcome="not-upheld", compensation=(Pay("300", "distress"),)),
            ombudsman=(
                Ombudsman(
                    date(2024, 11, 4),
                    "upheld",
                    date(2025, 2, 3),
                    compensation=(Pay("1345.50", "loss"),),
                    recommendations=(Rec(),),
                ),
            ),
        ),
        # A second payment at Stage 1 on another case, and one agreed in 2023/24.
        Case(
            ref="M-2",
            received=MAY_13,
            stage1=Stage(outcome="upheld", days=5, compensation=(Pay("0.01"),)),
        ),
        Case(
            ref="M-3",
            received=date(2024, 2, 1),
            stage1=Stage(outcome="upheld", days=5, compensation=(Pay("999"),)),
        ),
    ]
    got = reports(db_url, cases, years=(PREVIOUS, YEAR))
    compensation = got[YEAR]["compensation"]
    assert compensation["by_stage"] == {
        "1": "100.01",
        "2": "200.50",
        "3": "300.00",
        "ombudsman": "1345.50",
    }
    assert compensation["total"] == "1946.01"
    assert compensation["cases"] == 2
    assert got[YEAR]["ombudsman"]["decisions"] == {"upheld": 1}
    assert got[YEAR]["recommendations"]["made"] == 1  # the Ombudsman's
    assert got[PREVIOUS]["compensation"]["total"] == "999.00"
    assert got[PREVIOUS]["compensation"]["by_stage"]["1"] == "999.00"


# --------------------------------------------------------- other representations
def test_compliments_and_enquiries_by_date_received(db_url: str) -> None:
    others: list[Compliment | Enquiry] = [
        *compliments(
            [date(2024, 4, 1), date(2024, 9, 9), date(2025, 3, 31)], ["North", "North", None]
        ),
        *compliments([date(2024, 3, 31)], ["South"], prefix="CMQ"),
        enquiry("ENQ-1", date(2024, 5, 1), "councillor", "North", responded_on=date(2024, 5, 8)),
        enquiry("ENQ-2", date(2024, 6, 3), "councillor"),
        enquiry("ENQ-3", date(2024, 7, 1), "mp", responded_on=date(2024, 8, 30)),
        enquiry("ENQ-4", date(2024, 3, 1), "mp"),
    ]
    report = reports(db_url, [], others)[YEAR]
    counted = report["compliments"]
    assert (counted["received"], counted["received_previous"]) == (3, 1)
    assert counted["by_team"] == {"North": 2, "not recorded": 1}
    assert counted["by_team_previous"] == {"South": 1}
    assert report["enquiries"]["councillor"] == 2
    assert report["enquiries"]["mp"] == 1


# --------------------------------------------------------------- the contract
CONTRACT_KEYS: dict[str, Any] = {
    "period": {"label", "start", "end"},
    "procedure": None,
    "stage1": {
        "received",
        "received_previous",
        "by_service_area",
        "by_team",
        "by_reason",
        "by_channel",
        "by_role",
        "responded",
        "on_time",
        "response_bands",
        "outcomes",
    },
    "stage2": {"received", "responded", "on_time", "outcomes"},
    "stage3": {"received", "panels_held", "responded", "on_time", "outcomes"},
    "ombudsman": {"enquiries", "decisions"},
    "compensation": {"total", "cases", "by_stage"},
    "recommendations": {"made", "accepted", "rejected", "completed", "open", "overdue"},
    "compliments": {"received", "received_previous", "by_team"},
    "enquiries": {"councillor", "mp"},
}


def test_the_document_has_the_contracts_keys_for_both_procedures(db_url: str) -> None:
    with seeded(db_url, []) as ledger:
        documents = [annual(ledger, YEAR, p) for p in ("statutory", "corporate")]
    for document in documents:
        for key, inner in CONTRACT_KEYS.items():
            assert key in document, key
            if inner:
                assert inner <= set(document[key]), (key, inner - set(document[key]))
        for stage in ("stage1", "stage2", "stage3"):
            assert set(document[stage]["outcomes"]) >= set(ZERO_OUTCOMES), stage
        assert set(document["stage1"]["response_bands"]) == {"within_10", "11_to_20", "over_20"}
        assert set(document["compensation"]["by_stage"]) >= {"1", "2", "3", "ombudsman"}
        assert document["compensation"]["total"] == "0.00"
        assert document["period"] == {"label": YEAR, "start": "2024-04-01", "end": "2025-03-31"}
