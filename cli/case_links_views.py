"""How ``show`` presents a case's links, merge and re-opened stages (ADR 0038)."""

from __future__ import annotations

from typing import Any

from projections.facts import CaseFacts

#: How ``show`` words each kind of link.
LINK_WORDS = {
    "same-family": "same family as",
    "same-issue": "same issue as",
    "merged-duplicate": "duplicate merged into it:",
    "split-part": "part split off under the other procedure:",
    "split-from": "split from",
    "new-issue": "new issue raised during it:",
    "raised-during": "new issue raised during",
}


def case_link_keys(facts: CaseFacts) -> dict[str, Any]:
    """The keys ``show --format json`` adds for links, a merge and re-opened stages."""
    return {
        "links": [{"on": k.on.isoformat(), "ref": k.ref, "kind": k.kind} for k in facts.links],
        "merged_into": facts.merged_into,
        "reopenings": [
            {
                "stage": r.stage,
                "on": r.on.isoformat(),
                "reason": r.reason,
                "set_aside_response_on": (
                    r.set_aside_response_on.isoformat() if r.set_aside_response_on else None
                ),
                "set_aside_outcome": r.set_aside_outcome,
            }
            for r in facts.reopenings
        ],
    }


def case_link_lines(view: dict[str, Any]) -> list[str]:
    """The lines ``show`` prints for them."""
    lines = []
    if view.get("merged_into"):
        lines.append(f"  merged into {view['merged_into']}: its figures are that case's")
    for link in view.get("links", []):
        words = LINK_WORDS.get(link["kind"], link["kind"])
        lines.append(f"  linked {link['on']}: {words} {link['ref']}")
    for reopening in view.get("reopenings", []):
        lines.append(
            f"  Stage {reopening['stage']} re-opened {reopening['on']} (response of "
            f"{reopening['set_aside_response_on']} found incomplete: {reopening['reason']})"
        )
    return lines
