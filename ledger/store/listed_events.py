"""An event source for the projection over events already read into memory, in order:
the in-memory rebuilds of ``--as-of`` (``time_travel``) and of ``verify``'s read-model
check (``read_model_check``) share it."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import Any
from uuid import UUID


class ListedEvents:
    """``notifications`` (in position order) offered to the projection; subclasses fill
    the list and say how a record not folded from its first event is loaded."""

    def __init__(self, ledger: Any) -> None:
        self.ledger = ledger
        self.notifications: list[Any] = []

    def notifications_after(self, position: int, limit: int) -> Sequence[Any]:
        start = bisect_right(self.notifications, position, key=lambda n: int(n.id))
        return self.notifications[start : start + limit]

    def domain_event(self, notification: Any) -> Any:
        return self.ledger.domain_event(notification)

    def held(self, aggregate_id: UUID, version: int) -> Any | None:
        return None  # nothing here was just saved

    def aggregate_at(self, aggregate_id: UUID, version: int) -> Any:
        return self.ledger.aggregate_at(aggregate_id, version)

    def last_position(self) -> int:
        return int(self.notifications[-1].id) if self.notifications else 0
