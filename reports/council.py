"""A council's own report settings: its name, targets, denominators and benchmarks.

Denominators (child population, referrals) and neighbours' figures come from published
sources that the council types into its settings file; the ledger only computes rates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from domain.errors import BadData

STAGES = ("stage1", "stage2", "stage3")


@dataclass(frozen=True)
class Benchmark:
    council: str
    year: int
    stage1_received: int | None = None
    stage2_received: int | None = None
    stage3_received: int | None = None
    child_population: int | None = None


@dataclass(frozen=True)
class CouncilSettings:
    name: str = ""
    #: On-time targets per stage, in per cent (e.g. {"stage1": 90.0}).
    targets: dict[str, float] = field(default_factory=dict)
    #: Financial year start -> {"child_population": n, "referrals": n}.
    denominators: dict[int, dict[str, int]] = field(default_factory=dict)
    benchmarks: tuple[Benchmark, ...] = ()
    #: The public version (``--public``) hides counts below this.
    public_threshold: int = 5


def council_from_settings(data: dict[str, Any]) -> CouncilSettings:
    try:
        council = data.get("council", {})
        targets = {str(k): float(v) for k, v in data.get("targets", {}).items()}
        for stage in targets:
            if stage not in STAGES:
                raise BadData(f"unknown target {stage!r}; expected one of {', '.join(STAGES)}")
        denominators = {
            int(year): {str(k): int(v) for k, v in values.items()}
            for year, values in data.get("denominators", {}).items()
        }
        benchmarks = tuple(Benchmark(**row) for row in data.get("benchmarks", []))
        threshold = council.get("public_threshold", 5)
        if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 2:
            raise BadData("settings: council.public_threshold must be a whole number, 2 or more")
    except (TypeError, ValueError) as error:
        raise BadData(f"settings: {error}") from None
    return CouncilSettings(
        name=str(council.get("name", "")),
        targets=targets,
        denominators=denominators,
        benchmarks=benchmarks,
        public_threshold=threshold,
    )


def _rate(count: int, population: int | None, per: int) -> float | None:
    return round(count * per / population, 1) if population else None


def council_sections(
    document: dict[str, Any], settings: CouncilSettings, year: int
) -> dict[str, Any]:
    """The report keys that need the council's settings: targets, rates, benchmarks."""
    targets = {}
    for stage, target in settings.targets.items():
        actual = document[stage].get("on_time_percent")
        targets[stage] = {
            "target_percent": target,
            "actual_percent": actual,
            "met": None if actual is None else actual >= target,
        }
    denominators = settings.denominators.get(year, {})
    population = denominators.get("child_population")
    referrals = denominators.get("referrals")
    rates = {
        "child_population": population,
        "referrals": referrals,
        **{
            f"{stage}_per_100000_children": _rate(document[stage]["received"], population, 100_000)
            for stage in STAGES
        },
        **{
            f"{stage}_per_1000_referrals": _rate(document[stage]["received"], referrals, 1_000)
            for stage in STAGES
        },
    }
    ours = {
        "council": settings.name or "this council",
        "stage1_received": document["stage1"]["received"],
        "stage2_received": document["stage2"]["received"],
        "stage3_received": document["stage3"]["received"],
        "child_population": population,
    }
    rows = [ours] + [
        {
            "council": b.council,
            "stage1_received": b.stage1_received,
            "stage2_received": b.stage2_received,
            "stage3_received": b.stage3_received,
            "child_population": b.child_population,
        }
        for b in settings.benchmarks
        if b.year == year
    ]
    for row in rows:
        row["stage1_per_100000_children"] = (
            _rate(row["stage1_received"], row["child_population"], 100_000)
            if row["stage1_received"] is not None
            else None
        )
    return {"council": settings.name, "targets": targets, "rates": rates, "benchmarks": rows}
