"""A report for any period has the annual report's figures: the four quarters of a
financial year add up to the year, and each is set beside the same quarter a year before."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from demo.generator import build_demo_ledger
from domain.errors import BadData
from domain.procedure import ProcedurePolicy
from ledger.application import Ledger
from reports.annual import parse_year, period_between

QUARTERS = [
    (date(2024, 4, 1), date(2024, 6, 30)),
    (date(2024, 7, 1), date(2024, 9, 30)),
    (date(2024, 10, 1), date(2024, 12, 31)),
    (date(2025, 1, 1), date(2025, 3, 31)),
]
#: Figures counted by a date in the period, which therefore add up over the quarters.
ADDITIVE = [
    *[
        (stage, figure)
        for stage in ("stage1", "stage2", "stage3")
        for figure in ("received", "responded", "on_time", "extended", "acknowledged")
    ],
    *[("stage1", "outcomes", o) for o in ("upheld", "partly_upheld", "not_upheld", "withdrawn")],
    ("ombudsman", "enquiries"),
    ("compliments", "received"),
    ("compensation", "payments"),
]


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ledger]:
    path: Path = tmp_path_factory.mktemp("period") / "ledger.db"
    app = Ledger(f"sqlite:///{path}", ProcedurePolicy())
    try:
        build_demo_ledger(app, 7, 3, 150, first_year=2023)
        yield app
    finally:
        app.close()


def figure(document: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = document
    for key in path:
        value = value[key]
    return value


def test_the_quarters_of_a_year_add_up_to_the_year(ledger: Ledger) -> None:
    year = ledger.annual_report(parse_year("2024/25"), "statutory")
    quarters = [ledger.annual_report(period_between(*q), "statutory") for q in QUARTERS]
    for path in ADDITIVE:
        assert sum(figure(q, path) for q in quarters) == figure(year, path), path
    assert sum(Decimal(q["compensation"]["total"]) for q in quarters) == Decimal(
        year["compensation"]["total"]
    )
    assert figure(year, ("stage1", "received")) > 0


def test_a_quarter_stands_beside_the_same_quarter_a_year_before(ledger: Ledger) -> None:
    quarter = ledger.annual_report(period_between(*QUARTERS[0]), "statutory")
    before = ledger.annual_report(period_between(date(2023, 4, 1), date(2023, 6, 30)), "statutory")
    assert quarter["period"]["label"] == "2024-04-01 to 2024-06-30"
    assert quarter["stage1"]["received_previous"] == before["stage1"]["received"]
    assert quarter["previous"]["period"]["label"] == "2023-04-01 to 2023-06-30"


@pytest.mark.parametrize(
    ("start", "end", "said"),
    [
        (date(2024, 7, 1), date(2024, 6, 30), "ends (2024-06-30) before it starts"),
        (date(2024, 4, 1), date(2025, 4, 1), "at most a year long"),
    ],
)
def test_a_period_that_is_no_period_is_refused(start: date, end: date, said: str) -> None:
    with pytest.raises(BadData, match=said.replace("(", r"\(").replace(")", r"\)")):
        period_between(start, end)
