"""Small-number suppression for the public version of a report.

Every count from 1 to ``threshold - 1`` becomes the text ``"<N"``; percentages and
shares computed from a suppressed count are withheld too, so they cannot give it back.
Zero stays zero, and money, dates and labels are untouched.
"""

from __future__ import annotations

from typing import Any

UNTOUCHED = {"period", "procedure", "council", "suppressed_below", "integrity"}


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
                    if key.endswith("_percent") or key.endswith("_per_100000_children"):
                        result[key] = None
            return result
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    result = {k: (v if k in UNTOUCHED else walk(v)) for k, v in document.items()}
    result["suppressed_below"] = threshold
    return result
