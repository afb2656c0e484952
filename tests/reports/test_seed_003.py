"""Seed 003: Brent Council, Complaints Annual Report 2023-2024, Appendix A(ii) -
Children's Social Care statutory complaints (``docs/seeds/003-brent-2023-24.txt``).

The report's figures are rebuilt as event histories over three financial years
(2022/23 for last year's figures, 2023/24 for the report's, a few corporate cases from
2021/22 for last year's Ombudsman decisions) and the ledger's annual report JSON must
reproduce every published figure that it carries.

What is reproduced
------------------
* Stage 1 received 41 (2022/23: 82, a 50% decrease); by service area for both years
  (Early Help 1 / 0, Localities 22 / 46, Looked After Children and Permanency 18 / 34,
  Forward Planning, Performance and Partnerships 0 / 2); the Localities teams that are
  counted (Children with Disabilities 14, Family Front Door/MASH/NRPF 6).
* How received: 73% email, 22% online, 5% telephone of 41 = 30 / 9 / 2.
* Root causes (reasons): service failure 51%, communication 46%, policy and procedure
  2% of 41 = 21 / 19 / 1.
* Stage 1 closed 41: 25 upheld or partly upheld ("some merit", 61%), 15 not upheld,
  1 withdrawn; 33 responded to on time.
* Stage 2: 7 requests (2022/23: 6); 6 closed, 4 partly upheld and 2 not upheld; 5 on
  time.
* Stage 3: 3 requests and 3 panels (2022/23: 5); 1 partly upheld, 2 not upheld; one
  panel (case 1) changed Stage 2 findings, the other two did not.
* Compensation: £6,095 on ten cases: Stage 1 £4,300 (three cases), Stage 2 £1,345
  (five cases, £95 of it at mediation), Stage 3 £450 (two cases: £250 distress, £200
  delay), Ombudsman £0; 2022/23: £13,800 on fifteen cases.
* Ombudsman (statutory and corporate together): 24 escalated (2022/23: 9); 22 decided:
  13 closed after initial enquiries, 2 invalid or incomplete, 4 referred back, 3 upheld,
  all three corporate; 2022/23: 2 upheld of 11 decided.
* Compliments: 65 (2022/23: 16, "49 more").

Where the report's own numbers do not add up (the reading chosen)
------------------------------------------------------------------
* Stage 1 timeliness is "33 out of 42 complaints responded to on time" (79%), "42 due
  for a response", while 41 were received and 41 closed (25 + 15 + 1 withdrawn). Our
  reading: 40 responses in the year (one of them to a complaint received in March
  2023), 1 withdrawal, and 1 complaint received in March 2024 whose deadline passed
  before the year end without a response; 42 = 40 + 1 + 1 were due. The ledger counts
  ``on_time`` over responses (33 of 40 = 82.5%), not over complaints due (79%).
* Root causes are given over the complaints *closed*; the ledger counts reasons over
  complaints *received*. The two sets differ by one case each way (the March 2023
  complaint answered in April, the March 2024 one still open), both about
  communication, so the figures coincide.
* Stage 2: the headline says "seven stage 2 investigations completed", 9.2 says "the
  Council closed 6" (4 partly upheld, 2 not upheld), 10.2 lists 1 Localities + 5
  Looked After Children investigations (= 6) and 8.3 says "5 out of 7 cases responded
  to on time". Our reading: 7 requests, 6 adjudicated (5 of them on time), the seventh
  (a Children with Disabilities request) still open at the year end.
* "Three stage 3 panels convened, which is two less than last year": read as 5 Stage 3
  requests and 5 panels in 2022/23.
* Split of "some merit" (25) into upheld and partly upheld is not published; the test
  asserts only the sum.
* The compensation table prints "Ombudsman 03"; the text says the Ombudsman
  recommended no compensation: read as £0.
* The Ombudsman figures cover "corporate and statutory Education & Children's
  Services" complaints; the ledger holds children's statutory and corporate complaints
  only, so all 24 are read as children's complaints, split between the two procedures
  (the three upheld ones corporate, as 11.2 says).
* Last year's Stage 1 timeliness is printed as both 85% (3.1) and "3 percentage points"
  above 79% (8.1); last year's Stage 3 uphold rate of 65% is not a possible share of 5
  panels; last year's Stage 2 figures (91% upheld, "50% less" closed) do not agree with
  6 requests. None of these is asserted.

Not yet produced by the ledger (published, but not in the annual report JSON)
------------------------------------------------------------------------------
* Profile of complainants: age (17 of 41 gave an age; two aged 24 and 25, the rest 35
  or over) and ethnicity (the 14-row table); the ledger records neither.
* Who complained by service area (6.3: Localities' complaints mostly from parents,
  Looked After Children's mostly from the young people): the JSON's ``by_role`` and
  ``direct_from_child`` are not broken down by service area, and the report gives no
  counts (the histories record roles that way, but nothing is asserted).
* Advocacy offers (5.5, 10.3 case 3 "via an advocate"): no counts published.
* Percentages: shares by service area (54% / 44%), by channel (73 / 22 / 5%), by root
  cause (51 / 46 / 2%), "some merit" rate (61%), Stage 2 partly upheld rate (67%),
  Stage 3 uphold rate (33%), the Ombudsman uphold rate over both procedures (14%,
  2022/23 18%), the compensation change (-56%).
* Timeliness over complaints *due* in the period (42 due, 79%); the JSON's
  ``on_time_percent`` is over responses.
* Uphold rate by root cause ("communication ... 54% upheld or partly upheld"; note
  that no count of 19 gives 54%: 10 is 53%, 11 is 58%).
* Stage 2 requests and closures by service area (5 Looked After Children, 2 Children
  with Disabilities; 1 + 5 investigations); the JSON's ``by_*`` cover Stage 1 only.
* Compensation cases per stage (3 / 5 / 2) and reasons within a stage (£250 distress,
  £200 delay at Stage 3); the JSON has the total number of cases and reasons over all
  stages. The mediation payment (£95) has no stage of its own (recorded at Stage 2).
* How many findings a panel changed (2 of 9 in case 1); the JSON counts panels.
* Ombudsman figures across procedures (and Education): the JSON reports each
  procedure separately; here they are added up in the test.
* Rates and context: referrals (3,777), assessments (3,226), children in need (2,729),
  child protection plans (361), looked after children (307), care leavers (612), the
  LGSCO rate per 100,000 children (31.1 against a London average of 32.6; population
  77,113). These need council-supplied denominators.
* Last year's figures in the same document (compensation £13,800 on 15 cases,
  Ombudsman 9 escalated and 2 of 11 upheld, last year's by-service-area column): the
  JSON has only ``received_previous``; here they come from running the 2022/23 report.
* Compliment extracts by team (narrative); learning and service improvements.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from domain.representations import Compliment
from tests.reports.seed_builder import (
    Case,
    Ombudsman,
    Pay,
    Stage,
    annual,
    compliments,
    make_policy,
    remaining,
    seeded,
    spread,
    working_day,
)

YEAR = "2023/24"
PREVIOUS = "2022/23"

#: Brent's root-cause families are its reasons for complaint.
POLICY = make_policy(reasons=["service-failure", "communication", "policy-and-procedure"])

EARLY_HELP = "Early Help"
LOCALITIES = "Localities"
LAC = "Looked After Children and Permanency"
FPPP = "Forward Planning, Performance and Partnerships"
CWD = "Children with Disabilities"
FRONT_DOOR = "Family Front Door/MASH/NRPF"
EAST, WEST = "East Localities", "West Localities"
#: The report names these Looked After Children teams without counting them.
LAC_TEAMS = {"Young People in Care": 8, "Care Planning": 5, "Fostering and Adoption": 3}
KINSHIP = "Kinship"

# ------------------------------------------------------------ published figures
#: 5.1-5.5: Stage 1 complaints received by service area: (2023/24, 2022/23).
SERVICE_AREAS = {EARLY_HELP: (1, 0), LOCALITIES: (22, 46), LAC: (18, 34), FPPP: (0, 2)}
STAGE1_RECEIVED = (41, 82)
#: 5.3-5.4: Localities teams that the report counts.
LOCALITIES_TEAMS = {CWD: 14, FRONT_DOOR: 6}
#: 6.1: "73% by email, 22% by self-service online, and 5% by telephone" of 41.
CHANNELS = {"email": 30, "online-form": 9, "telephone": 2}
#: 7.1: root causes, "51% ... service failure. Communication 46% ... policy and
#: procedure 2%" of the 41 closed.
ROOT_CAUSES = {"service-failure": 21, "communication": 19, "policy-and-procedure": 1}
#: 9.2: Stage 1 closed: 25 upheld or partly upheld, 15 not upheld, 1 withdrawn.
STAGE1_SOME_MERIT, STAGE1_NOT_UPHELD, STAGE1_WITHDRAWN = 25, 15, 1
#: The split of the 25 is not published (see the module docstring).
STAGE1_OUTCOMES = {"upheld": 8, "partly-upheld": STAGE1_SOME_MERIT - 8, "not-upheld": 15}
#: 8.3: "33 out of 42 complaints responded to on time".
STAGE1_ON_TIME, STAGE1_DUE = 33, 42
#: 12.1: compensation by stage.
COMPENSATION = {"1": "4300.00", "2": "1345.00", "3": "450.00", "ombudsman": "0.00"}
COMPENSATION_TOTAL, COMPENSATION_CASES = "6095.00", 10
COMPENSATION_PREVIOUS, COMPENSATION_CASES_PREVIOUS = "13800.00", 15
#: 11.1: Ombudsman decisions in 2023/24 (statutory and corporate together).
OMBUDSMAN_ENQUIRIES = (24, 9)
OMBUDSMAN_DECISIONS = {
    "closed_after_initial_enquiries": 13,
    "invalid": 2,
    "referred_back": 4,
    "upheld": 3,
}
#: 14.1: compliments logged, "49 more compliments logged than the previous year".
COMPLIMENTS = (65, 16)

U, P, N = "upheld", "partly-upheld", "not-upheld"

#: Timeliness of a Stage 1 response (see ``_stage1``).
ON_TIME_KINDS = ("within_10", "extended")
LATE_KINDS = ("late", "very_late")


def _stage1(kind: str, outcome: str | None = None, **more: Any) -> Stage:
    days = {"within_10": (8, None), "extended": (16, 20), "late": (14, None), "very_late": (23, 20)}
    number, extend_to = days[kind]
    return Stage(outcome=outcome, days=number, extend_to=extend_to, **more)


# ------------------------------------------------------------- 2022/23 cases
def cases_2022_23() -> list[Case]:
    """The 82 Stage 1 complaints of 2022/23.

    * six go to Stage 2 in the year and five of them on to a Stage 3 panel;
    * three reach Stage 1's end in March 2023 and go to Stage 2 (and Stage 3) in 2023/24;
    * one, received on 27 March 2023, is answered on 12 April 2023 (day 10, on time);
    * fifteen are paid £920 each at Stage 1 (£13,800);
    * six go to the Ombudsman in 2022/23 (one upheld), sixteen in 2023/24.
    """
    start = date(2022, 4, 1)
    cases: list[Case] = []
    for i in range(6):
        cases.append(
            Case(
                ref=f"BR-2022-S2-{i + 1}",
                received=working_day(start, 1 + i, POLICY),
                service_area=LAC if i < 4 else LOCALITIES,
                team=KINSHIP if i < 4 else CWD,
                channel="email",
                reasons=("service-failure",),
                stage1=_stage1("within_10", N),
                stage2=Stage(outcome=P, days=25),
                stage3=Stage(outcome=N) if i < 5 else None,
            )
        )
    # Stage 1 in March 2023; Stage 2 and the panel in 2023/24 (section 10.3's cases).
    panel_cases = [
        # Case 1: care leaver, 9 points; the panel changed two of the findings.
        (
            "care leaver",
            (U, P, N, N, N, N, N, N, N),
            (U, P, U, N, N, N, N, N, U),
            P,
            (Pay("250", "distress"),),
            (),
        ),
        # Case 2: father of a child under a Special Guardianship Order; unchanged.
        ("special guardianship", (P, N, N), (P, N, N), N, (), (Pay("300", "time-and-trouble"),)),
        # Case 3: unaccompanied asylum-seeking young person, via an advocate; unchanged.
        ("asylum seeker", (U, N, N), (U, N, N), N, (Pay("200", "delay-or-service-failure"),), ()),
    ]
    for i, (_, stage2_points, panel_points, panel_outcome, stage3_pay, stage2_pay) in enumerate(
        panel_cases
    ):
        cases.append(
            Case(
                ref=f"BR-2022-S3-{i + 1}",
                received=date(2023, 3, 1 + i),
                service_area=LAC,
                team="Young People in Care" if i != 1 else KINSHIP,
                channel="email",
                role="care-leaver" if i != 1 else "special-guardian",
                reasons=("service-failure",),
                stage1=_stage1("within_10", N),
                stage2=Stage(
                    outcome=P,
                    requested=date(2023, 4, 3 + i),
                    days=25,
                    points=stage2_points,
                    compensation=stage2_pay,
                ),
                stage3=Stage(outcome=panel_outcome, points=panel_points, compensation=stage3_pay),
            )
        )
    # Received 27 Mar 2023 (2022/23), answered 12 Apr 2023 (2023/24): day 10 (Good
    # Friday 7 Apr and Easter Monday 10 Apr 2023 are not working days).
    late_march = Case(
        ref="BR-2022-0327",
        received=date(2023, 3, 27),
        service_area=LOCALITIES,
        team=WEST,
        channel="email",
        reasons=("communication",),
        stage1=Stage(outcome=P, days=10),
    )
    assert working_day(date(2023, 3, 27), 10, POLICY) == date(2023, 4, 12)
    cases.append(late_march)

    areas = spread(
        remaining(
            {name: then for name, (_, then) in SERVICE_AREAS.items()},
            [c.service_area or "" for c in cases],
        )
    )
    ombudsman_2022 = ["closed-after-initial-enquiries"] * 5 + ["upheld"]
    ombudsman_2023 = (
        ["closed-after-initial-enquiries"] * 10 + ["invalid"] * 2 + ["referred-back"] * 2
    ) + [None, None]  # two still with the Ombudsman at the year end
    for i, area in enumerate(areas):
        ombudsman: tuple[Ombudsman, ...] = ()
        if i < len(ombudsman_2022):
            opened = working_day(date(2023, 1, 3), 5 * i, POLICY)
            ombudsman = (Ombudsman(opened, ombudsman_2022[i], working_day(opened, 20, POLICY)),)
        elif i < len(ombudsman_2022) + len(ombudsman_2023):
            j = i - len(ombudsman_2022)
            opened = working_day(date(2023, 5, 2), 12 * j, POLICY)
            decision = ombudsman_2023[j]
            ombudsman = (
                Ombudsman(opened, decision, working_day(opened, 30, POLICY) if decision else None),
            )
        paid = 30 <= i < 45
        cases.append(
            Case(
                ref=f"BR-2022-{i + 1:04d}",
                received=working_day(start, 8 + 2 * i, POLICY),
                service_area=area,
                team=None,
                channel="email",
                reasons=("communication",),
                stage1=_stage1(
                    "within_10",
                    U if paid else N,
                    compensation=(Pay("920", "loss"),) if paid else (),
                ),
                ombudsman=ombudsman,
            )
        )
    return cases


# ------------------------------------------------------------- 2023/24 cases
def cases_2023_24() -> list[Case]:
    """The 41 Stage 1 complaints received in 2023/24."""
    start = date(2023, 4, 3)
    special = [
        # Looked After Children: two go to Stage 2 (one adjudicated late).
        Case(
            ref="BR-2023-LAC-1",
            received=start,
            service_area=LAC,
            team="Young People in Care",
            channel="email",
            role="care-leaver",
            reasons=("service-failure",),
            stage1=_stage1("within_10", N),
            stage2=Stage(
                outcome=P, days=25, compensation=(Pay("400", "delay-or-service-failure"),)
            ),
        ),
        Case(
            ref="BR-2023-LAC-2",
            received=start,
            service_area=LAC,
            team="Care Planning",
            channel="email",
            role="parent",
            reasons=("service-failure",),
            stage1=_stage1("within_10", N),
            # Late: 30 working days with no extension.
            stage2=Stage(
                outcome=N, days=30, compensation=(Pay("300", "delay-or-service-failure"),)
            ),
        ),
        # Children with Disabilities: two escalated; one adjudicated, one still open.
        Case(
            ref="BR-2023-CWD-1",
            received=start,
            service_area=LOCALITIES,
            team=CWD,
            channel="email",
            role="parent",
            reasons=("communication",),
            stage1=_stage1("within_10", N),
            stage2=Stage(
                outcome=N,
                days=40,
                extend_to=45,
                compensation=(Pay("250", "delay-or-service-failure"),),
            ),
        ),
        Case(
            ref="BR-2023-CWD-2",
            received=date(2024, 2, 12),
            service_area=LOCALITIES,
            team=CWD,
            channel="email",
            role="parent",
            reasons=("communication",),
            stage1=_stage1("within_10", N),
            # Requested 29 Feb 2024; still being investigated on 31 Mar 2024. The £95
            # "awarded at mediation stage" for a historic savings payment.
            stage2=Stage(compensation=(Pay("95", "loss", on=date(2024, 3, 15)),)),
        ),
        # Withdrawn at Stage 1.
        Case(
            ref="BR-2023-WDN",
            received=working_day(start, 3, POLICY),
            service_area=LAC,
            team="Young People in Care",
            channel="online-form",
            role="care-leaver",
            reasons=("service-failure",),
            stage1=Stage(withdrawn_days=5),
        ),
        # Received 4 Mar 2024, due 18 Mar 2024, not answered by 31 Mar 2024 (late).
        Case(
            ref="BR-2023-0304",
            received=date(2024, 3, 4),
            service_area=LOCALITIES,
            team=EAST,
            channel="telephone",
            role="parent",
            reasons=("communication",),
            stage1=Stage(outcome=N, responded=date(2024, 4, 15)),
        ),
        # Stage 1 payments: loss of accommodation, loss of earnings, lack of PA support.
        *(
            Case(
                ref=f"BR-2023-PAY-{n}",
                received=working_day(start, 3 + n, POLICY),
                service_area=LAC,
                team="Young People in Care",
                channel="email",
                role="care-leaver",
                reasons=("service-failure",),
                stage1=_stage1("within_10", U, compensation=(Pay(amount, reason),)),
            )
            for n, (amount, reason) in enumerate(
                (("2000", "loss"), ("1500", "loss"), ("800", "delay-or-service-failure")),
                start=1,
            )
        ),
    ]
    assert working_day(date(2024, 3, 4), 10, POLICY) == date(2024, 3, 18)

    teams_by_area = {
        EARLY_HELP: {"Early Help": 1},
        LOCALITIES: {CWD: LOCALITIES_TEAMS[CWD], FRONT_DOOR: LOCALITIES_TEAMS[FRONT_DOOR]}
        | {EAST: 1, WEST: 1},
        LAC: {**LAC_TEAMS, KINSHIP: 2},
    }
    team_area = {team: area for area, teams in teams_by_area.items() for team in teams}
    teams = spread(
        remaining(
            {team: n for teams in teams_by_area.values() for team, n in teams.items()},
            [c.team or "" for c in special],
        )
    )
    channels = spread(remaining(CHANNELS, [c.channel or "" for c in special]))
    reasons = spread(remaining(ROOT_CAUSES, [r for c in special for r in c.reasons]))
    # The responses of the year: the ordinary cases, the special ones answered in the
    # year, and the March 2023 complaint answered in April 2023.
    answered = [c for c in special if c.stage1 and c.stage1.outcome and c.ref != "BR-2023-0304"]
    outcomes = spread(
        remaining(
            STAGE1_OUTCOMES,
            [c.stage1.outcome or "" for c in answered if c.stage1] + [P],  # + late_march
        )
    )
    on_time_left = STAGE1_ON_TIME - len(answered) - 1  # all on time, as is late_march
    late = len(outcomes) - on_time_left
    kinds = [ON_TIME_KINDS[i % 2] for i in range(on_time_left)]
    kinds += [LATE_KINDS[i % 2] for i in range(late)]
    ordinary = [
        Case(
            ref=f"BR-2023-{i + 1:04d}",
            received=working_day(start, 8 + 4 * i, POLICY),
            service_area=team_area[team],
            team=team,
            channel=channel,
            # 6.3: Localities complaints mostly come from parents, Looked After
            # Children's mostly from the young people themselves.
            role="looked-after-child" if team_area[team] == LAC else "parent",
            reasons=(reason,),
            stage1=_stage1(kind, outcome),
        )
        for i, (team, channel, reason, outcome, kind) in enumerate(
            zip(teams, channels, reasons, outcomes, kinds, strict=True)
        )
    ]
    return special + ordinary


# ------------------------------------------------------------ corporate cases
def corporate_cases() -> list[Case]:
    """Corporate complaints that went to the Ombudsman: 2 enquiries opened in 2021/22
    and decided in 2022/23 (one upheld), 3 in 2022/23 (none upheld) and 8 in 2023/24
    (3 upheld, 3 closed after initial enquiries, 2 referred back)."""
    batches = [
        (date(2021, 9, 1), date(2022, 2, 1), ["upheld", "closed-after-initial-enquiries"], 90),
        (date(2022, 5, 3), date(2022, 9, 1), ["closed-after-initial-enquiries"] * 3, 30),
        (
            date(2022, 10, 3),
            date(2023, 6, 1),
            ["upheld"] * 3 + ["closed-after-initial-enquiries"] * 3 + ["referred-back"] * 2,
            30,
        ),
    ]
    cases = []
    for b, (received, opened, decisions, takes) in enumerate(batches):
        for i, decision in enumerate(decisions):
            enquiry = working_day(opened, 10 * i, POLICY)
            cases.append(
                Case(
                    ref=f"BR-CORP-{b}-{i + 1}",
                    received=working_day(received, i, POLICY),
                    procedure="corporate",
                    service_area=LOCALITIES,
                    reasons=("communication",),
                    stage1=Stage(outcome=N, days=12),
                    ombudsman=(Ombudsman(enquiry, decision, working_day(enquiry, takes, POLICY)),),
                )
            )
    return cases


def compliment_records() -> list[Compliment]:
    teams = [
        "East Locality team",
        "Early Years",
        "Fostering & Adoption Team",
        "NRPF and Homeless Team",
        "Inclusion Service",
        "SEND Service",
    ]
    now, then = COMPLIMENTS
    this_year = [working_day(date(2023, 4, 3), 3 * i, POLICY) for i in range(now)]
    last_year = [working_day(date(2022, 4, 4), 10 * i, POLICY) for i in range(then)]
    return compliments(
        this_year, [teams[i % len(teams)] for i in range(now)], prefix="CMP", policy=POLICY
    ) + compliments(last_year, [teams[i % 3] for i in range(then)], prefix="CMQ", policy=POLICY)


def all_cases() -> list[Case]:
    return cases_2022_23() + cases_2023_24() + corporate_cases()


@pytest.fixture(scope="module")
def reports(module_db_url: str) -> Iterator[dict[tuple[str, str], dict[str, Any]]]:
    with seeded(module_db_url, all_cases(), compliment_records(), POLICY) as ledger:
        yield {
            (year, procedure): annual(ledger, year, procedure)
            for year in (YEAR, PREVIOUS)
            for procedure in ("statutory", "corporate")
        }


# --------------------------------------------------------------------- tests
def test_seed_003_stage1_as_published(db_url: str) -> None:
    """Sections 3, 5, 6, 7, 8 and 9: Stage 1, on SQLite and PostgreSQL."""
    with seeded(db_url, all_cases(), compliment_records(), POLICY) as ledger:
        report = annual(ledger, YEAR)
    assert report["period"] == {"label": "2023/24", "start": "2023-04-01", "end": "2024-03-31"}
    stage1 = report["stage1"]
    assert stage1["received"] == STAGE1_RECEIVED[0] == 41
    assert stage1["received_previous"] == STAGE1_RECEIVED[1] == 82
    assert stage1["change_percent"] == -50.0
    assert stage1["by_service_area"] == {
        name: now for name, (now, _) in SERVICE_AREAS.items() if now
    }
    by_team = stage1["by_team"]
    assert {team: by_team[team] for team in LOCALITIES_TEAMS} == LOCALITIES_TEAMS
    # Localities (22) = Children with Disabilities + Front Door/MASH/NRPF + East + West.
    assert by_team[EAST] + by_team[WEST] == 22 - 14 - 6
    assert sum(n for team, n in by_team.items() if team in {*LAC_TEAMS, KINSHIP}) == 18
    assert stage1["by_channel"] == CHANNELS
    assert stage1["by_reason"] == ROOT_CAUSES

    # 9.2: closed at Stage 1 = responded + withdrawn = 41.
    outcomes = stage1["outcomes"]
    assert stage1["responded"] + outcomes["withdrawn"] == 41
    assert stage1["some_merit_found"] == outcomes["upheld"] + outcomes["partly_upheld"] == 25
    assert outcomes["not_upheld"] == STAGE1_NOT_UPHELD
    assert outcomes["withdrawn"] == STAGE1_WITHDRAWN
    # 8.3: 33 on time. The report divides by the 42 due (79%); the ledger by the 40
    # responses (see "Not yet produced").
    assert stage1["on_time"] == STAGE1_ON_TIME
    assert round(100 * stage1["on_time"] / STAGE1_DUE) == 79
    assert stage1["on_time_percent"] == 82.5


def test_last_years_service_areas(reports: dict[tuple[str, str], dict[str, Any]]) -> None:
    """5.2: Localities 46, Looked After Children 34, Forward Planning 2 in 2022/23;
    the changes printed (-52%, -47%) follow."""
    stage1 = reports[(PREVIOUS, "statutory")]["stage1"]
    assert stage1["received"] == 82
    assert stage1["by_service_area"] == {
        name: then for name, (_, then) in SERVICE_AREAS.items() if then
    }
    now = reports[(YEAR, "statutory")]["stage1"]["by_service_area"]
    then = stage1["by_service_area"]
    assert round(100 * (now[LOCALITIES] - then[LOCALITIES]) / then[LOCALITIES]) == -52
    assert round(100 * (now[LAC] - then[LAC]) / then[LAC]) == -47


def test_stage2(reports: dict[tuple[str, str], dict[str, Any]]) -> None:
    stage2 = reports[(YEAR, "statutory")]["stage2"]
    assert stage2["received"] == 7
    assert stage2["received_previous"] == 6
    assert stage2["responded"] == 6
    assert stage2["outcomes"] == {"upheld": 0, "partly_upheld": 4, "not_upheld": 2, "withdrawn": 0}
    assert stage2["on_time"] == 5


def test_stage3(reports: dict[tuple[str, str], dict[str, Any]]) -> None:
    stage3 = reports[(YEAR, "statutory")]["stage3"]
    assert stage3["received"] == 3
    assert stage3["received_previous"] == 5
    assert stage3["panels_held"] == 3
    assert stage3["responded"] == 3
    assert stage3["outcomes"] == {"upheld": 0, "partly_upheld": 1, "not_upheld": 2, "withdrawn": 0}
    # 10.3: case 1's panel changed two Stage 2 findings; cases 2 and 3 changed none.
    assert stage3["panels_changed_stage2_findings"] == 1
    assert reports[(PREVIOUS, "statutory")]["stage3"]["panels_held"] == 5


def test_compensation(reports: dict[tuple[str, str], dict[str, Any]]) -> None:
    compensation = reports[(YEAR, "statutory")]["compensation"]
    assert compensation["by_stage"] == COMPENSATION
    assert compensation["total"] == COMPENSATION_TOTAL
    assert sum(Decimal(v) for v in compensation["by_stage"].values()) == Decimal(
        compensation["total"]
    )
    assert compensation["cases"] == COMPENSATION_CASES
    previous = reports[(PREVIOUS, "statutory")]["compensation"]
    assert previous["total"] == COMPENSATION_PREVIOUS
    assert previous["cases"] == COMPENSATION_CASES_PREVIOUS


def test_ombudsman_across_both_procedures(
    reports: dict[tuple[str, str], dict[str, Any]],
) -> None:
    """11.1: the LGSCO figures cover statutory and corporate complaints together."""
    statutory = reports[(YEAR, "statutory")]["ombudsman"]
    corporate = reports[(YEAR, "corporate")]["ombudsman"]
    assert statutory["enquiries"] + corporate["enquiries"] == OMBUDSMAN_ENQUIRIES[0]
    assert (
        statutory["enquiries_previous"] + corporate["enquiries_previous"] == OMBUDSMAN_ENQUIRIES[1]
    )
    decisions = dict(statutory["decisions"])
    for name, n in corporate["decisions"].items():
        decisions[name] = decisions.get(name, 0) + n
    assert decisions == OMBUDSMAN_DECISIONS
    assert statutory["decided"] + corporate["decided"] == 22
    # 11.2: "All three of the cases upheld fall under the corporate complaints process".
    assert statutory["upheld"] == 0
    assert corporate["upheld"] == 3
    # Last year: "two cases upheld out of 11 decided" (18%).
    before = [reports[(PREVIOUS, p)]["ombudsman"] for p in ("statutory", "corporate")]
    assert sum(o["decided"] for o in before) == 11
    assert sum(o["upheld"] for o in before) == 2


def test_compliments(reports: dict[tuple[str, str], dict[str, Any]]) -> None:
    compliments = reports[(YEAR, "statutory")]["compliments"]
    assert compliments["received"] == 65
    assert compliments["received_previous"] == 16
    assert compliments["received"] - compliments["received_previous"] == 49
    assert sum(compliments["by_team"].values()) == 65
