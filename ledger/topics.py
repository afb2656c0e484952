"""The ledger's own event classes, by topic: a fixed registry.

A stored event names its class by topic (``module:Class.Event``). Resolving a topic
with :func:`eventsourcing.utils.resolve_topic` imports whatever module it names, so a
crafted export line (``"topic": "this:s"``) would run code on import before being
refused. Lines read from outside the ledger are resolved here instead: only the event
classes of the ledger's own aggregates exist, and anything else is refused without
importing anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from eventsourcing.domain import Aggregate, DomainEvent
from eventsourcing.utils import get_topic

from domain.complaint import Complaint
from domain.personal import PersonalDetails
from domain.references import ReferenceSequence
from domain.representations import AdvocacyReferral, Compliment, Enquiry, InitialFeedback

#: Every aggregate the ledger stores.
AGGREGATES: tuple[type[Aggregate], ...] = (
    Complaint,
    PersonalDetails,
    ReferenceSequence,
    Compliment,
    Enquiry,
    InitialFeedback,
    AdvocacyReferral,
)


def _registry() -> dict[str, type[DomainEvent]]:
    found: dict[str, type[DomainEvent]] = {}
    for aggregate in AGGREGATES:
        own = get_topic(aggregate) + "."
        for name in dir(aggregate):
            value = getattr(aggregate, name)
            if isinstance(value, type) and issubclass(value, DomainEvent):
                topic = get_topic(value)
                if topic.startswith(own):  # not eventsourcing's Snapshot
                    found[topic] = value
    return found


#: topic -> event class, for every event class of the ledger's aggregates.
EVENT_CLASSES: Mapping[str, type[DomainEvent]] = MappingProxyType(_registry())
#: topic -> aggregate class.
AGGREGATE_CLASSES: Mapping[str, type[Aggregate]] = MappingProxyType(
    {get_topic(aggregate): aggregate for aggregate in AGGREGATES}
)


class UnknownTopic(LookupError):
    """A topic that names none of the ledger's event classes."""


def event_class(topic: object) -> type[DomainEvent]:
    """The ledger's event class for ``topic``; nothing is imported."""
    found = EVENT_CLASSES.get(topic) if isinstance(topic, str) else None
    if found is None:
        raise UnknownTopic(topic)
    return found


def aggregate_topic(topic: str) -> str:
    """The topic of the aggregate an event topic belongs to."""
    return topic.rsplit(".", 1)[0]
