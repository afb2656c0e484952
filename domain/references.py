"""Case references: given by the council, or generated as ``PREFIX-YEAR-NNNN``."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate

from domain.complaint import LEDGER_NAMESPACE
from domain.errors import BadData

REFERENCE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_.\-]{0,39}$")


def check_reference(ref: str) -> str:
    if not REFERENCE_PATTERN.match(ref):
        raise BadData(
            f"reference {ref!r} must be 1 to 40 letters, digits, '-', '/', '_' or '.', "
            "starting with a letter or digit"
        )
    return ref


def format_reference(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:04d}"


def sequence_id(prefix: str, year: int) -> UUID:
    return uuid5(LEDGER_NAMESPACE, f"reference-sequence:{prefix}-{year}")


class ReferenceSequence(Aggregate):
    """The numbers issued for one prefix and year. Two writers issuing at once
    conflict on this aggregate's version, so a number is never issued twice."""

    if TYPE_CHECKING:  # attributes set by events; annotations here would become __init__ args
        prefix: str
        year: int
        last_number: int

    class Started(Aggregate.Created):
        prefix: str
        year: int

        def apply(self, aggregate: Any) -> None:
            aggregate.prefix = self.prefix
            aggregate.year = self.year
            aggregate.last_number = 0

    class NumberIssued(Aggregate.Event):
        number: int

        def apply(self, aggregate: Any) -> None:
            aggregate.last_number = self.number

    @classmethod
    def start(cls, prefix: str, year: int) -> ReferenceSequence:
        return cls._create(cls.Started, id=sequence_id(prefix, year), prefix=prefix, year=year)

    def next_candidate(self) -> int:
        return int(self.last_number) + 1

    def issue(self, number: int) -> str:
        if number <= self.last_number:
            raise ValueError("reference numbers only increase")
        self.trigger_event(self.NumberIssued, number=number)
        return format_reference(self.prefix, self.year, number)
