"""Personal data, kept apart from the facts the figures are built from.

Each case has one :class:`PersonalDetails` aggregate beside its :class:`Complaint`, with
an id derived from the case's. It holds names, contact details, the complainant's own
account, recommendation wording and the names of people appointed. Nothing that counts
for statistics reads it.

Each note is sealed (encrypted) by the ledger before it is recorded, under the data key
of its data subject (:func:`note_subject`): the events hold ciphertext, never the text,
so destroying a subject's key erases their notes without touching any event (ADR 0021).
Notes recorded before sealing existed (``Noted``) stay as they were recorded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate

from domain.complaint import LEDGER_NAMESPACE, Complaint

#: What a note may be about; ``recommendation:ID`` and ``person:ID`` take a suffix.
NOTE_KINDS = (
    "complainant",
    "contact",
    "child",
    "summary",
    "recommendation",
    "person",
    "evidence",
    "compliment",
    "from",
    "extract",
    "text",
)

#: Free text that a person types into a step of the procedure (reasons, evidence, the
#: Ombudsman's reference). The ledger seals it under the case's key before the step is
#: recorded: the step holds ``[sealed note text:VERSION:FIELD KEY_ID NONCE CIPHERTEXT]``
#: in place of the text, so nothing typed by a person is stored where it could not be
#: erased, and no event is added for it (ADR 0028). Steps recorded in the first wave of
#: sealing hold the short marker ``[sealed note text:VERSION:FIELD]`` naming a
#: :class:`PersonalDetails` note (ADR 0021); steps recorded before either hold the text
#: itself (``complaints privacy check`` lists them).
FREE_TEXT: dict[type, tuple[str, ...]] = {
    Complaint.Triaged: ("reason", "late_reason"),
    Complaint.Suspended: ("reason",),
    Complaint.Extended: ("reason",),
    Complaint.EscalationRequested: ("late_reason",),
    Complaint.RecommendationRejected: ("reason",),
    Complaint.RecommendationCompleted: ("evidence",),
    Complaint.Withdrawn: ("reason",),
    Complaint.OmbudsmanEnquiryOpened: ("ombudsman_ref",),
    Complaint.DetailAmended: ("reason",),
    Complaint.StepVoided: ("reason",),
    Complaint.HoldPlaced: ("reason",),
    Complaint.HoldLifted: ("reason",),
    Complaint.SurveyAnswered: ("comment",),
    Complaint.MergedInto: ("reason",),
    Complaint.StageReopened: ("reason",),
}
_BASE64 = r"[A-Za-z0-9+/]+=*"
_MARKER = re.compile(
    rf"^\[sealed note (text:\d+:[a-z_]+)(?: ([0-9a-f]+) ({_BASE64}) ({_BASE64}))?\]$"
)


def text_note_key(version: int, field: str) -> str:
    """The key of the note that holds ``field`` of the step at ``version``."""
    return f"text:{version}:{field}"


def text_marker(key: str) -> str:
    """How a step's sealed text is shown without its key: the note's key alone."""
    return f"[sealed note {key}]"


@dataclass(frozen=True)
class SealedText:
    """Typed text sealed inside its step: the note key it is known by, and the sealed
    data (under the case's key ``key_id``)."""

    key: str
    key_id: str
    nonce: str
    ciphertext: str

    @property
    def marker(self) -> str:
        """What the step stores in place of the text."""
        return f"[sealed note {self.key} {self.key_id} {self.nonce} {self.ciphertext}]"


def sealed_in_step(value: object) -> SealedText | None:
    """The sealed text a step's field holds, if it holds one (not a short marker)."""
    if not isinstance(value, str):
        return None
    found = _MARKER.match(value)
    if found is None or found.group(2) is None:
        return None
    return SealedText(found.group(1), found.group(2), found.group(3), found.group(4))


def marked_note(value: object) -> str | None:
    """The note key that ``value`` (a step's field) stands for, if it is a marker."""
    if not isinstance(value, str):
        return None
    found = _MARKER.match(value)
    return found.group(1) if found else None


def shown_marker(value: object) -> object:
    """``value`` with a step's sealed text shown as its short marker (no ciphertext)."""
    key = marked_note(value)
    return value if key is None else text_marker(key)


def plaintext_fields(event: object) -> list[str]:
    """The free-text fields of a recorded step that hold the text itself (not a marker)."""
    return [
        name
        for name in FREE_TEXT.get(type(event), ())
        if isinstance(getattr(event, name, None), str)
        and getattr(event, name).strip()
        and marked_note(getattr(event, name)) is None
    ]


def sealed_texts(event: object) -> list[tuple[str, SealedText]]:
    """The fields of a recorded step that hold sealed text, with what they hold."""
    found = []
    for name in FREE_TEXT.get(type(event), ()):
        sealed = sealed_in_step(getattr(event, name, None))
        if sealed is not None:
            found.append((name, sealed))
    return found


#: The data subject of the case as a whole (its narrative, recommendations, evidence).
CASE_SUBJECT = "case"
#: Subjects that can be erased alone; ``person:ID`` too, and ``all`` erases every one.
SUBJECTS = ("complainant", "child")
#: Note kinds whose data subject is the complainant / the child.
_SUBJECT_OF_KIND = {"complainant": "complainant", "contact": "complainant", "child": "child"}


def personal_details_id(case: UUID) -> UUID:
    return uuid5(LEDGER_NAMESPACE, f"personal-details:{case}")


def note_subject(key: str) -> str:
    """Whose data a note is: ``complainant`` (their name and contact details), ``child``,
    ``person:ID`` (an appointed person's name), else ``case`` (everything else)."""
    kind = key.split(":", 1)[0]
    if kind == "person":
        return key
    return _SUBJECT_OF_KIND.get(kind, CASE_SUBJECT)


def check_subject(subject: str) -> str:
    """A subject as ``erase --subject`` names it, or :class:`UnknownSubject`."""
    from domain.errors import UnknownSubject

    if subject in (*SUBJECTS, CASE_SUBJECT, "all"):
        return subject
    if subject.startswith("person:") and subject.split(":", 1)[1].strip():
        return subject
    raise UnknownSubject(
        f"unknown data subject {subject!r}: use complainant, child, case, person:ID or all"
    )


@dataclass(frozen=True)
class SealedNote:
    """One note as recorded: who wrote it and when, and its sealed text."""

    key: str
    subject: str
    key_id: str
    nonce: str
    ciphertext: str
    on: date
    actor: str


class PersonalDetails(Aggregate):
    """Everything personal about one case, as notes keyed by what they are about."""

    if TYPE_CHECKING:  # attributes set by events; annotations here would become __init__ args
        case_id: UUID
        notes: dict[str, str]
        sealed: dict[str, SealedNote]

    class Opened(Aggregate.Created):
        case_id: str

        def apply(self, aggregate: Any) -> None:
            aggregate.case_id = UUID(self.case_id)
            aggregate.notes = {}
            aggregate.sealed = {}

    class Noted(Aggregate.Event):
        """A note in plain text, as recorded before notes were sealed (never recorded now)."""

        on: date
        actor: str
        key: str
        text: str

        def apply(self, aggregate: Any) -> None:
            aggregate.notes[self.key] = self.text
            aggregate.sealed.pop(self.key, None)

    class NoteSealed(Aggregate.Event):
        """A note, sealed under the data key ``key_id`` of its ``subject``."""

        on: date
        actor: str
        key: str
        subject: str
        key_id: str
        nonce: str
        ciphertext: str

        def apply(self, aggregate: Any) -> None:
            aggregate.notes.pop(self.key, None)
            aggregate.sealed[self.key] = SealedNote(
                self.key,
                self.subject,
                self.key_id,
                self.nonce,
                self.ciphertext,
                self.on,
                self.actor,
            )

    @classmethod
    def open(cls, case: UUID) -> PersonalDetails:
        return cls._create(cls.Opened, id=personal_details_id(case), case_id=str(case))

    def note_sealed(
        self, *, key: str, key_id: str, nonce: str, ciphertext: str, on: date, actor: str
    ) -> None:
        """Record a note sealed by the ledger under the key of ``note_subject(key)``."""
        check_note_key(key)
        self.trigger_event(
            self.NoteSealed,
            key=key,
            subject=note_subject(key),
            key_id=key_id,
            nonce=nonce,
            ciphertext=ciphertext,
            on=on,
            actor=actor,
        )


def check_note_key(key: str) -> None:
    kind = key.split(":", 1)[0]
    if kind not in NOTE_KINDS:
        raise ValueError(f"unknown kind of personal note {kind!r}")


def access_log_id(record: UUID) -> UUID:
    """The id of the access log of the complaint or representation ``record``."""
    return uuid5(LEDGER_NAMESPACE, f"access-log:{record}")


class AccessLog(Aggregate):
    """Who read a record's personal data, and when: one entry each time a command
    opened its notes (show, history --personal, subject access, an export with
    personal data, a report quoting an approved extract). Its events are in the hash
    chain like every other, so ``verify`` covers the log and nothing can leave it."""

    if TYPE_CHECKING:
        record_id: UUID
        ref: str

    class Opened(Aggregate.Created):
        record_id: str
        ref: str

        def apply(self, aggregate: Any) -> None:
            aggregate.record_id = UUID(self.record_id)
            aggregate.ref = self.ref

    class Read(Aggregate.Event):
        """Personal data of the record was opened for ``actor`` (``purpose``: the command)."""

        on: date
        actor: str
        purpose: str

    @classmethod
    def open(cls, record: UUID, ref: str) -> AccessLog:
        return cls._create(cls.Opened, id=access_log_id(record), record_id=str(record), ref=ref)

    def read(self, *, on: date, actor: str, purpose: str) -> None:
        self.trigger_event(self.Read, on=on, actor=actor, purpose=purpose)


#: Words of a recorded name shorter than this are not looked for (initials, "de").
_SHORTEST_NAME_WORD = 3


def named_in(text: str, names: str) -> str | None:
    """The first word of the recorded ``names`` (three letters or more, in any case)
    that ``text`` still contains, or ``None``: the check an extract or public wording
    passes before it may be quoted (a compliment's extract, a learning statement's
    "you said, we did")."""
    lowered = text.lower()
    for name in names.split():
        if len(name) >= _SHORTEST_NAME_WORD and name.lower() in lowered:
            return name
    return None
