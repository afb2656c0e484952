"""The ledger's mapper (``EventMapper``) turns a stored event into the very domain event
the storage library's own ``Mapper.to_domain_event`` makes: the same class, the same
state in the same order, for every name the ledger has stored events under and for
every event of a generated ledger; what it does not handle itself (an id as text, state
that cannot be decoded) it leaves to the library."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import Mapper, MapperDeserialisationError, StoredEvent

from demo.generator import generate
from domain.procedure import ProcedurePolicy
from ledger.store.storage import EventMapper, OrjsonTranscoder
from tests.domain.test_stored_names import pinned_topics

LIBRARY = Mapper[UUID](OrjsonTranscoder())
OURS = EventMapper(OrjsonTranscoder())
STATE = {
    "timestamp": datetime(2026, 12, 7, 18, 30, tzinfo=UTC),
    "on": date(2025, 4, 7),
    "actor": "complaints-team",
    "amount": Decimal("12.50"),
    "reasons": ["delay", {"nested": [date(2025, 5, 1), None]}],
    "class_version": 1,
}


def same(stored: StoredEvent) -> tuple[Any, Any]:
    ours, theirs = OURS.to_domain_event(stored), LIBRARY.to_domain_event(stored)
    assert type(ours) is type(theirs)
    assert list(vars(ours).items()) == list(vars(theirs).items())
    return ours, theirs


@pytest.mark.parametrize("topic", sorted(pinned_topics()))
def test_every_stored_name_decodes_as_the_library_decodes_it(topic: str) -> None:
    stored = StoredEvent(UUID(int=7), 3, topic, OrjsonTranscoder().encode(STATE))
    ours, _ = same(stored)
    assert ours.originator_id == UUID(int=7) and ours.originator_version == 3
    assert "class_version" not in vars(ours)


def test_every_event_of_a_generated_ledger_decodes_as_the_library_decodes_it() -> None:
    chunks = generate(7, 2, 40, 2024, ProcedurePolicy(today=date(2026, 11, 23)))
    count = 0
    for chunk in chunks:
        for aggregate in chunk:
            for event in aggregate.collect_events():
                same(LIBRARY.to_stored_event(event))
                count += 1
    assert count > 500


def test_an_id_as_text_and_undecodable_state_go_the_librarys_way() -> None:
    topic = "domain.complaint:Complaint.Acknowledged"
    as_text = StoredEvent(str(UUID(int=9)), 2, topic, OrjsonTranscoder().encode(STATE))
    ours, _ = same(as_text)  # type: ignore[arg-type]
    assert ours.originator_id == UUID(int=9)
    with pytest.raises(MapperDeserialisationError):
        OURS.to_domain_event(StoredEvent(UUID(int=9), 2, topic, b"{not json"))
