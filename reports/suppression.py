"""Small-number suppression for the public version of a report.

Every count from 1 to ``threshold - 1`` becomes the text ``"<N"``; zero stays zero, and
money, dates and labels are untouched. A rate or share computed from a hidden count is
withheld too (``None``), so that it cannot give the count back.

Which figures are rates is declared here, not guessed: a figure is a rate when its key
ends with one of :data:`RATE_SUFFIXES`, and it is computed from the counts beside it in
the same table, or, for the rates listed in :data:`COMPUTED_FROM`, from the counts
named there. :data:`SETTINGS` are figures the council chose (a target), not computed.
``tests/reports/test_suppression_rule.py`` holds every non-whole figure of a full report
to this declaration, so a new rate cannot be published unsuppressed by accident.
"""

from __future__ import annotations

from typing import Any

UNTOUCHED = {"period", "procedure", "council", "suppressed_below", "integrity", "narrative"}

#: How the key of a rate or share ends.
RATE_SUFFIXES = (
    "_percent",
    "_per_100000_children",
    "_per_1000_referrals",
    "median_working_days",
    "average_score",  # a survey's scores (ADR 0039), withheld with their answers
)

#: Rates computed from counts that stand elsewhere in the annual document: the rate's
#: path, and the paths of its counts (both from the top of the year's document; the
#: previous year's document inside it is held to the same table).
STAGES = ("stage1", "stage2", "stage3")
COMPUTED_FROM: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {
    ("escalation_rate_percent",): (("stage1", "received"), ("stage2", "received")),
    **{
        ("rates", f"{stage}_{per}"): ((stage, "received"),)
        for stage in STAGES
        for per in ("per_100000_children", "per_1000_referrals")
    },
    **{
        ("targets", stage, "actual_percent"): ((stage, "responded"), (stage, "on_time"))
        for stage in STAGES
    },
}

#: Figures that are the council's own settings, not computed from any count.
SETTINGS = {"target_percent"}


def is_rate(key: str) -> bool:
    """Whether the figure under ``key`` is a rate or share (not a count)."""
    return key.endswith(RATE_SUFFIXES) and key not in SETTINGS


def _at(document: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = document
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def _withhold(document: dict[str, Any], path: tuple[str, ...]) -> None:
    *parents, key = path
    holder = _at(document, tuple(parents))
    if isinstance(holder, dict) and key in holder:
        holder[key] = None


def suppress(document: dict[str, Any], threshold: int) -> dict[str, Any]:
    if threshold < 2:
        return document
    hidden = f"<{threshold}"

    def walk(value: Any) -> Any:
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, int):
            return hidden if 0 < value < threshold else value
        if isinstance(value, float):
            return value
        if isinstance(value, dict):
            result = {k: walk(v) for k, v in value.items()}
            if any(isinstance(v, str) and v == hidden for v in result.values()):
                for key in result:
                    if is_rate(key):
                        result[key] = None
            return result
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    def year(source: dict[str, Any]) -> dict[str, Any]:
        result = {k: (v if k in UNTOUCHED else walk(v)) for k, v in source.items()}
        if isinstance(source.get("previous"), dict):
            result["previous"] = year(source["previous"])
        for rate, counts in COMPUTED_FROM.items():
            if any(_at(result, count) == hidden for count in counts):
                _withhold(result, rate)
        return result

    result = year(document)
    result["suppressed_below"] = threshold
    return result
