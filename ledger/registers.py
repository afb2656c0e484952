"""Team and service-area names in use, from the read models: the counts that
``complaints teams`` and ``complaints service-areas`` list, and the warning about a
name used for the first time when the council keeps no register of that kind.

The questions are asked of indexed columns (``rm_case`` and ``rm_representation``),
so checking a new record's names costs one small query per kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.procedure import ProcedurePolicy
from domain.registers import KINDS, LABELS, SERVICE_AREA, TEAM, near_matches
from projections import tables

#: The read-model column of each kind.
COLUMNS = {TEAM: "team", SERVICE_AREA: "service_area"}


@dataclass(frozen=True)
class NameInUse:
    """A team or service area as recorded, and how many records name it."""

    name: str
    complaints: int
    others: int  # compliments, enquiries, feedback and advocacy referrals

    @property
    def total(self) -> int:
        return self.complaints + self.others


def names_in_use(session: Session, kind: str) -> list[NameInUse]:
    """Every name of ``kind`` on a complaint or another representation, with counts,
    in alphabetical order (a misspelling sits next to the right spelling)."""
    column = COLUMNS[kind]
    counts: dict[str, list[int]] = {}
    for position, table in enumerate((tables.cases, tables.representations)):
        named = table.c[column]
        query = select(named, func.count()).where(named.is_not(None)).group_by(named)
        for name, count in session.execute(query):
            counts.setdefault(str(name), [0, 0])[position] += int(count)
    return [
        NameInUse(name, complaints, others)
        for name, (complaints, others) in sorted(
            counts.items(), key=lambda item: (item[0].casefold(), item[0])
        )
    ]


def _already_used(session: Session, kind: str, names: Sequence[str]) -> set[str]:
    column = COLUMNS[kind]
    found: set[str] = set()
    for table in (tables.cases, tables.representations):
        named = table.c[column]
        query = select(named).where(named.in_(names)).distinct()
        found.update(str(name) for (name,) in session.execute(query))
    return found


def recorded_names(events: Iterable[Any]) -> dict[str, list[str]]:
    """The team and service-area names that ``events`` record, by kind, in order:
    those of a receipt or referral, and the new value of an amendment."""
    names: dict[str, list[str]] = {kind: [] for kind in KINDS}
    for event in events:
        field = getattr(event, "field", None)
        if field in KINDS:
            new = getattr(event, "new", None)
            if isinstance(new, str):
                names[field].append(new)
            continue
        for kind, attribute in COLUMNS.items():
            value = getattr(event, attribute, None)
            if isinstance(value, str):
                names[kind].append(value)
    return {kind: list(dict.fromkeys(found)) for kind, found in names.items() if found}


def new_name_warnings(
    session: Session, policy: ProcedurePolicy, events: Iterable[Any]
) -> list[str]:
    """A warning for each team or service-area name that ``events`` use for the first
    time, for the kinds the council keeps no register of, with the near names in use
    (and near names new in the same events)."""
    warnings: list[str] = []
    for kind, names in recorded_names(events).items():
        if policy.register(kind) is not None:
            continue  # the register already checked every name
        used = _already_used(session, kind, names)
        new = [n for n in names if n not in used]
        if not new:
            continue
        in_use = [n.name for n in names_in_use(session, kind)]
        for name in new:
            near = near_matches(name, in_use)
            also_new = near_matches(name, [n for n in new if n != name])
            said = []
            if near:
                said.append("in use: " + ", ".join(f"'{n}'" for n in near))
            if also_new:
                said.append("also new: " + ", ".join(f"'{n}'" for n in also_new))
            detail = f" ({'; '.join(said)})" if said else ""
            warnings.append(f"new {LABELS[kind]} '{name}'{detail}")
    return warnings
