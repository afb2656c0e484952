"""The names events are stored under, built from the classes themselves (ADR 0026).

Every stored event carries its class's topic (``domain.complaint:Complaint.Triaged``),
and that string is inside the hash chain: it can never change in a ledger already
written. So nothing else in the program types a topic out. The projector, the export and
the restore ask this module what kind of record a stored topic belongs to, and a class
that moves or is renamed keeps its old stored name through :data:`MOVED` (the storage
library's ``register_topic``), which ``tests/domain/test_stored_names.py`` pins.
"""

from __future__ import annotations

from eventsourcing.domain import Aggregate
from eventsourcing.utils import get_topic, register_topic

from domain.complaint import Complaint
from domain.contact_registers import AccessRequest, ContactRegister
from domain.learning import LearningStatement, SelfAssessment
from domain.personal import AccessLog, PersonalDetails
from domain.references import ReferenceSequence
from domain.reminders import ReminderLog
from domain.representations import AdvocacyReferral, Compliment, Enquiry, InitialFeedback

#: What each kind of stored record is, by the aggregate classes whose events it holds.
KINDS: dict[str, tuple[type[Aggregate], ...]] = {
    "complaint": (Complaint,),
    "representation": (Compliment, Enquiry, InitialFeedback, AdvocacyReferral),
    "personal": (PersonalDetails,),
    "access-log": (AccessLog,),
    "reference-sequence": (ReferenceSequence,),
    "learning": (LearningStatement,),
    "self-assessment": (SelfAssessment,),
    "reminders": (ReminderLog,),
    "contact-register": (ContactRegister,),
    "access-request": (AccessRequest,),
}

#: Stored names of event classes that have since moved or been renamed: the old topic
#: and the class it now means. Add a line here when you move a class; never remove one.
MOVED: dict[str, type[Aggregate.Event]] = {}


def _event_classes(aggregate: type[Aggregate]) -> list[type[Aggregate.Event]]:
    return [
        value
        for value in vars(aggregate).values()
        if isinstance(value, type) and issubclass(value, Aggregate.Event)
    ]


def event_classes() -> dict[str, type[Aggregate.Event]]:
    """Every event class the ledger can store, by the topic it is stored under now."""
    return {
        get_topic(cls): cls
        for aggregates in KINDS.values()
        for aggregate in aggregates
        for cls in _event_classes(aggregate)
    }


def _kinds_by_topic() -> dict[str, str]:
    kind_of_class = {
        cls: kind
        for kind, aggregates in KINDS.items()
        for aggregate in aggregates
        for cls in _event_classes(aggregate)
    }
    found = {get_topic(cls): kind for cls, kind in kind_of_class.items()}
    for old, cls in MOVED.items():
        register_topic(old, cls)
        found[old] = kind_of_class[cls]
    return found


#: The kind of record (a key of :data:`KINDS`) for every topic a ledger may hold,
#: current and moved alike.
KIND_OF_TOPIC: dict[str, str] = _kinds_by_topic()


def stored_kind(topic: str) -> str | None:
    """The kind of record an event stored under ``topic`` belongs to; ``None`` when the
    ledger has no such event (a crafted or foreign line)."""
    return KIND_OF_TOPIC.get(topic)
