"""The casework of issue 16 in ``report code`` (ADR 0043): responses found incomplete
and re-opened, duplicates merged into their original, complaints handled jointly with
another body, and restrictions on a complainant's contact, in the Code's sections on
complaint handling (5 and 6: responding, and the Code's expectations of contact).

The figures are the annual report's for the corporate procedure (counted in SQL by
:mod:`reports.case_links`, :mod:`reports.casework` and
:mod:`reports.contact_registers`), taken as they are, with last year's beside them.
"""

from __future__ import annotations

from typing import Any

#: The restriction figures the Code's report shows (keys of the annual report's).
RESTRICTION_KEYS = (
    "in_force_at_end",
    "people_restricted_at_end",
    "decided",
    "lifted",
    "review_overdue_at_end",
)


def code_casework(annual: dict[str, Any]) -> dict[str, Any]:
    """The ``casework`` section of ``report code``'s document from an annual document
    (this year's or the ``previous`` one inside it)."""
    links = annual.get("case_links") or {}
    reopened = links.get("reopened") or {"total": 0, "by_stage": {}}
    joint = annual.get("joint_complaints") or {}
    restrictions = annual.get("restrictions") or {}
    return {
        "reopened": {"total": reopened["total"], "by_stage": dict(reopened["by_stage"])},
        "merged_duplicates": links.get("merged_duplicates", 0),
        "joint_complaints": {
            "complaints": joint.get("complaints", 0),
            "by_body": dict(joint.get("by_body") or {}),
            "by_lead": dict(joint.get("by_lead") or {}),
            "responses_agreed": joint.get("responses_agreed", 0),
        },
        "restrictions": {key: restrictions.get(key, 0) for key in RESTRICTION_KEYS},
    }


#: The rows of the table: (label, section of ``casework``, figure in it).
_ROWS: tuple[tuple[str, str, str], ...] = (
    ("Stage 1 responses found incomplete and re-opened", "reopened", "1"),
    ("Stage 2 responses found incomplete and re-opened", "reopened", "2"),
    ("duplicates merged into their original (counted once)", "", "merged_duplicates"),
    ("complaints handled jointly with another body", "joint_complaints", "complaints"),
    ("of which the council led", "joint_complaints", "council"),
    ("joint responses agreed", "joint_complaints", "responses_agreed"),
    ("restrictions on contact in force at year end", "restrictions", "in_force_at_end"),
    ("people under a restriction at year end", "restrictions", "people_restricted_at_end"),
    ("restrictions decided in the year", "restrictions", "decided"),
    ("restrictions lifted in the year", "restrictions", "lifted"),
    ("restriction reviews overdue at year end", "restrictions", "review_overdue_at_end"),
)


def _read(casework: dict[str, Any], section: str, key: str) -> Any:
    if not section:
        return casework[key]
    figures = casework[section]
    if section == "reopened":
        return figures["by_stage"].get(key, 0)
    if key == "council":
        return figures["by_lead"].get(key, 0)
    return figures[key]


def code_casework_table(document: dict[str, Any]) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The report's "Re-opened, merged and joint complaints, and restrictions" table."""
    now = document.get("casework")
    if not now:
        return []
    before = (document.get("previous") or {}).get("casework")
    rows = [
        [label, _read(now, *where), _read(before, *where) if before else "-"]
        for label, *where in _ROWS
    ]
    return [
        (
            "Re-opened, merged and joint complaints, and restrictions on contact",
            ["measure", "this year", "last year"],
            rows,
        )
    ]
