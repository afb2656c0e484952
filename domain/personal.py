"""Personal data, kept apart from the facts the figures are built from.

Each case has one :class:`PersonalDetails` aggregate beside its :class:`Complaint`, with
an id derived from the case's. It holds names, contact details, the complainant's own
account, recommendation wording and the names of people appointed. Nothing that counts
for statistics reads it, so it can later be encrypted under a key per person and erased
(the key destroyed) without touching the complaint's history.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate

from domain.complaint import LEDGER_NAMESPACE

#: What a note may be about; ``recommendation:ID`` and ``person:ID`` take a suffix.
NOTE_KINDS = (
    "complainant",
    "contact",
    "summary",
    "recommendation",
    "person",
    "evidence",
    "compliment",
    "from",
    "extract",
)


def personal_details_id(case: UUID) -> UUID:
    return uuid5(LEDGER_NAMESPACE, f"personal-details:{case}")


class PersonalDetails(Aggregate):
    """Everything personal about one case, as notes keyed by what they are about."""

    if TYPE_CHECKING:  # attributes set by events; annotations here would become __init__ args
        case_id: UUID
        notes: dict[str, str]

    class Opened(Aggregate.Created):
        case_id: str

        def apply(self, aggregate: Any) -> None:
            aggregate.case_id = UUID(self.case_id)
            aggregate.notes = {}

    class Noted(Aggregate.Event):
        on: date
        actor: str
        key: str
        text: str

        def apply(self, aggregate: Any) -> None:
            aggregate.notes[self.key] = self.text

    @classmethod
    def open(cls, case: UUID) -> PersonalDetails:
        return cls._create(cls.Opened, id=personal_details_id(case), case_id=str(case))

    def note(self, *, key: str, text: str, on: date, actor: str) -> None:
        kind = key.split(":", 1)[0]
        if kind not in NOTE_KINDS:
            raise ValueError(f"unknown kind of personal note {kind!r}")
        if self.notes.get(key) == text:
            return
        self.trigger_event(self.Noted, key=key, text=text, on=on, actor=actor)
