"""The annual report's figures of casework that ties complaints together (ADR 0038):
stages re-opened because their response was found incomplete, duplicates merged into
their original (counted once, as the original), complaints split between the two
procedures, new issues raised during a case, and related cases linked."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, func, literal_column, null, select, union_all
from sqlalchemy.orm import Session

from projections import tables as t
from reports.statements import END, PROCEDURE, START, in_period, rows

if TYPE_CHECKING:
    from reports.annual import Period

#: Stages of each procedure that can be re-opened (statutory Stage 3 cannot).
REOPENABLE = {"statutory": (1, 2), "corporate": (1, 2)}


#: The link kinds each figure counts (the cases linked so in the period, each once).
_LINKED = {
    "split_into_other_procedure": ("split-part",),
    "split_from_other_procedure": ("split-from",),
    "new_issues": ("raised-during",),
    "linked_cases": ("same-family", "same-issue"),
}


@cache
def _case_links_statement() -> Any:
    """A branch (numbered) for the re-openings by stage, the duplicates merged and each
    figure of linked cases; built once (ADR 0052)."""
    r, c, links = t.reopenings, t.cases, t.links
    branches: list[Any] = [
        select(r.c.stage.label("stage"), func.count().label("n"))
        .where(and_(r.c.procedure == PROCEDURE, r.c.reopened_on >= START, r.c.reopened_on <= END))
        .group_by(r.c.stage),
        select(null().label("stage"), func.count())
        .select_from(c)
        .where(
            and_(
                c.c.procedure == PROCEDURE,
                c.c.ended == "merged",
                c.c.ended_on >= START,
                c.c.ended_on <= END,
            )
        ),
        *(
            select(null(), func.count(func.distinct(links.c.case_id))).where(
                and_(
                    links.c.procedure == PROCEDURE,
                    links.c.kind.in_(kinds),
                    links.c.linked_on >= START,
                    links.c.linked_on <= END,
                )
            )
            for kinds in _LINKED.values()
        ),
    ]
    return union_all(
        *(b.add_columns(literal_column(str(i)).label("branch")) for i, b in enumerate(branches))
    )


def case_link_figures(session: Session, procedure: str, period: Period) -> dict[str, Any]:
    """The ``case_links`` section of the annual report for ``procedure`` and ``period``:
    one statement."""
    by_stage = {str(stage): 0 for stage in REOPENABLE[procedure]}
    counts = [0] * (2 + len(_LINKED))
    for row in rows(session, _case_links_statement(), in_period(period, procedure)):
        if int(row.branch) == 0:
            by_stage[str(row.stage)] = int(row.n)
        else:
            counts[int(row.branch)] = int(row.n)
    return {
        "reopened": {"total": sum(by_stage.values()), "by_stage": by_stage},
        "merged_duplicates": counts[1],
        **{name: counts[i] for i, name in enumerate(_LINKED, start=2)},
    }


#: The rows of the report's table, in order: (label, how to read the figure).
_ROWS: tuple[tuple[str, Any], ...] = (
    ("Stage 1 re-opened (response found incomplete)", lambda f: f["reopened"]["by_stage"]["1"]),
    ("Stage 2 re-opened (response found incomplete)", lambda f: f["reopened"]["by_stage"]["2"]),
    ("Duplicates merged into their original (counted once)", lambda f: f["merged_duplicates"]),
    ("Split: part passed to the other procedure", lambda f: f["split_into_other_procedure"]),
    ("Split: part received from the other procedure", lambda f: f["split_from_other_procedure"]),
    ("New issues raised during a case", lambda f: f["new_issues"]),
    ("Cases linked to a related case", lambda f: f["linked_cases"]),
)


def case_link_tables(report: dict[str, Any]) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The report's "Linked, merged, split and re-opened cases" table, with last year."""
    figures = report.get("case_links")
    if not figures:
        return []
    before = (report.get("previous") or {}).get("case_links")
    rows = [[label, read(figures), read(before) if before else "-"] for label, read in _ROWS]
    return [("Linked, merged, split and re-opened cases", ["measure", "count", "last year"], rows)]
