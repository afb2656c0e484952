"""The public version's rule is declared, not guessed from names (reports/suppression.py):
every figure of a full annual report that is not a whole count is a declared rate or a
council setting, every rate is computed from counts it can be withheld with, and no rate
gives a hidden count back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from demo.generator import build_demo_ledger
from domain.procedure import ProcedurePolicy
from ledger.application import Ledger
from reports.annual import parse_year
from reports.council import CouncilSettings
from reports.suppression import COMPUTED_FROM, SETTINGS, is_rate, suppress

SETTINGS_WITH_RATES = CouncilSettings(
    name="Exampleshire",
    targets={"stage1": 90.0, "stage2": 80.0, "stage3": 80.0},
    denominators={2024: {"child_population": 50_000, "referrals": 4_000}},
)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    path: Path = tmp_path_factory.mktemp("rule") / "ledger.db"
    ledger = Ledger(f"sqlite:///{path}", ProcedurePolicy(), SETTINGS_WITH_RATES)
    try:
        build_demo_ledger(ledger, 7, 2, 120, first_year=2023)
        yield ledger.annual_report(parse_year("2024"), "statutory")
    finally:
        ledger.close()


def figures(value: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from figures(inner, (*path, str(key)))
    elif isinstance(value, list):
        for inner in value:
            yield from figures(inner, path)
    else:
        yield path, value


def holder(document: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    value: Any = document
    for key in path[:-1]:
        value = value[key] if isinstance(value, dict) else value[0][key]
    return value if isinstance(value, dict) else value[0]


def test_every_figure_that_is_not_a_count_is_a_declared_rate_or_setting(
    report: dict[str, Any],
) -> None:
    fractional = [path for path, value in figures(report) if isinstance(value, float)]
    assert fractional, "the report has rates to check"
    for path in fractional:
        assert is_rate(path[-1]) or path[-1] in SETTINGS, f"{'.'.join(path)} is undeclared"


def test_every_rate_is_withheld_with_the_counts_it_is_computed_from(
    report: dict[str, Any],
) -> None:
    for path, value in figures(report):
        if not isinstance(value, float) or not is_rate(path[-1]):
            continue
        own = path[1:] if path[0] == "previous" else path
        if own in COMPUTED_FROM:
            continue
        siblings = holder(report, path)
        counts = [v for v in siblings.values() if isinstance(v, int) and not isinstance(v, bool)]
        assert counts, f"{'.'.join(path)} has no counts beside it: declare it in COMPUTED_FROM"


@pytest.mark.parametrize("threshold", [3, 10, 50, 200])
def test_no_rate_gives_a_hidden_count_back(report: dict[str, Any], threshold: int) -> None:
    public = suppress(report, threshold)
    hidden = f"<{threshold}"
    for year in (public, public["previous"]):
        for rate, counts in COMPUTED_FROM.items():
            if rate[0] not in year:
                continue  # the previous year's document has no rates or targets
            sources = [holder(year, count)[count[-1]] for count in counts if count[0] in year]
            if hidden in sources:
                assert holder(year, rate).get(rate[-1]) is None, ".".join(rate)
    # With 50 and more, the demo's Stage 3 count is hidden, and so its rates are.
    if threshold >= 50:
        assert public["stage3"]["received"] == hidden
        assert public["rates"]["stage3_per_100000_children"] is None
        assert public["rates"]["stage3_per_1000_referrals"] is None
        assert public["escalation_rate_percent"] is None
