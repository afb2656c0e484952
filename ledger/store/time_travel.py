"""The ledger as it stood at a past moment: read models rebuilt in memory from only
the events recorded by then (corrections made later included, so they are ignored)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from ledger.store.listed_events import ListedEvents
from projections import tables
from projections.projector import CaseFactsProjection

BATCH = 1000


class EventsRecordedBy(ListedEvents):
    """An event source that offers the projection only what was recorded by ``as_of``."""

    def __init__(self, ledger: Any, as_of: datetime) -> None:
        super().__init__(ledger)
        self.as_of = as_of
        #: How many events were recorded after ``as_of`` (for "N steps recorded later").
        self.later = 0
        #: Events decoded to read their time, kept until the projection asks for them.
        self._decoded: dict[int, Any] = {}
        position = 0
        while True:
            batch = ledger.notifications_after(position, BATCH)
            for notification in batch:
                event = ledger.domain_event(notification)
                if event.timestamp <= as_of:
                    self.notifications.append(notification)
                    self._decoded[int(notification.id)] = event
                else:
                    self.later += 1
            if len(batch) < BATCH:
                break
            position = batch[-1].id

    def domain_event(self, notification: Any) -> Any:
        found = self._decoded.pop(int(notification.id), None)
        return found if found is not None else super().domain_event(notification)


@dataclass
class AsRecorded:
    """The read models as recorded by a moment: a session on them, the position of the
    last event recorded by then (0: none) and how many events were recorded later."""

    session: Session
    position: int
    later: int


def moment_text(as_of: datetime) -> str:
    """A moment as people read it: local time, to the second (``2025-05-01T23:59:59``)."""
    return as_of.astimezone().replace(tzinfo=None).isoformat(timespec="seconds")


def read_models_as_of(ledger: Any, as_of: datetime) -> tuple[Session, int]:
    """A session on in-memory read models built from the events recorded by ``as_of``,
    and the position of the last of those events."""
    recorded = as_recorded_by(ledger, as_of)
    return recorded.session, recorded.position


def as_recorded_by(ledger: Any, as_of: datetime) -> AsRecorded:
    """The read models built, in memory, from only the events recorded by ``as_of``."""
    engine = create_engine(
        "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
    )
    tables.metadata.create_all(engine)
    session = sessionmaker(bind=engine)()
    source = EventsRecordedBy(ledger, as_of)
    CaseFactsProjection(ledger.policy).catch_up(session, source, batch_size=BATCH)
    return AsRecorded(session, source.last_position(), source.later)
