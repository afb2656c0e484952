"""The report arranges counts the database grouped (ADR 0035): the answers must be the
ones Python would give over the rows themselves."""

from __future__ import annotations

import random
import statistics
from collections import Counter

from reports.annual import _median


def test_the_median_of_grouped_days_is_the_median_of_the_days() -> None:
    chosen = random.Random(35)
    for size in (1, 2, 3, 4, 5, 10, 11, 250, 251):
        days = [chosen.randint(0, 80) for _ in range(size)]
        assert _median(Counter(days)) == float(statistics.median(days))


def test_no_days_have_no_median() -> None:
    assert _median(Counter()) is None
