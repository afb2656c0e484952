"""Keeping the read models up to date: a pull loop over the notification log.

The projection reads the event log in order from the position it has recorded, rewrites
the rows of every aggregate touched, and records its new position, all in the caller's
transaction: an event is applied exactly once, whether the work is cut short by a crash
(the transaction rolls back), repeated (the position says it was done) or raced by
another process (the tracking row is locked while catching up).

Each batch rewrites a touched case's rows from the case's state as of the batch's last
event for it, so catching up one event at a time and rebuilding from scratch produce
the same rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID

from sqlalchemy import delete, insert, inspect, select, update
from sqlalchemy.orm import Session

from domain.complaint import Complaint
from domain.procedure import ProcedurePolicy
from domain.representations import Representation
from domain.stored_names import stored_kind
from projections import tables
from projections.rows import complaint_rows, representation_row

#: Bump when the rows a projection writes change; a different stored version makes
#: the next catch-up rebuild the read models from the first event.
CODE_VERSION = "case-facts-5"
NAME = "case_facts"


class Notification(Protocol):
    @property
    def id(self) -> int: ...

    @property
    def originator_id(self) -> UUID | str: ...

    @property
    def originator_version(self) -> int: ...

    @property
    def topic(self) -> str: ...


class EventSource(Protocol):
    """What the projection needs from the ledger: the log, and aggregates by version."""

    def notifications_after(self, position: int, limit: int) -> Sequence[Notification]: ...

    def aggregate_at(self, aggregate_id: UUID, version: int) -> Any: ...

    def last_position(self) -> int: ...


@dataclass(frozen=True)
class Status:
    projection: str
    position: int
    head: int
    version: str
    current_version: str

    @property
    def lag(self) -> int:
        return max(self.head - self.position, 0)

    @property
    def stale(self) -> bool:
        return self.version != self.current_version


def projection_version(policy: ProcedurePolicy) -> str:
    """The code version plus a fingerprint of the settings that change the rows."""
    settings = repr(
        (sorted(policy.calendar.closure_days), policy.timescales, policy.timescale_changes)
    ).encode()
    return f"{CODE_VERSION}:{hashlib.sha256(settings).hexdigest()[:12]}"


class CaseFactsProjection:
    """The read models behind the reports: cases, stages, points, remedies,
    recommendations, payments, Ombudsman decisions, compliments and enquiries."""

    def __init__(self, policy: ProcedurePolicy) -> None:
        self.policy = policy
        self.version = projection_version(policy)

    # ------------------------------------------------------------- tracking
    def _lock_position(self, session: Session) -> tuple[int, str]:
        query = select(tables.tracking.c.position, tables.tracking.c.version).where(
            tables.tracking.c.projection == NAME
        )
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update()
        row = session.execute(query).first()
        if row is None:
            session.execute(
                insert(tables.tracking).values(projection=NAME, position=0, version=self.version)
            )
            return 0, self.version
        return int(row.position), str(row.version)

    def _record_position(self, session: Session, position: int) -> None:
        session.execute(
            update(tables.tracking)
            .where(tables.tracking.c.projection == NAME)
            .values(position=position, version=self.version)
        )

    def status(self, session: Session, source: EventSource) -> Status:
        row = session.execute(
            select(tables.tracking.c.position, tables.tracking.c.version).where(
                tables.tracking.c.projection == NAME
            )
        ).first()
        position, version = (int(row.position), str(row.version)) if row else (0, "none")
        return Status(NAME, position, source.last_position(), version, self.version)

    # -------------------------------------------------------------- catching up
    def catch_up(
        self,
        session: Session,
        source: EventSource,
        batch_size: int = 500,
        max_batches: int | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Apply every event after the recorded position; returns how many were read.

        With ``max_batches`` it stops early (the caller commits between calls).
        """
        position, version = self._lock_position(session)
        if version != self.version:
            self.reset(session)
            position = 0
        read = 0
        batches = 0
        while max_batches is None or batches < max_batches:
            notifications = source.notifications_after(position, batch_size)
            if not notifications:
                break
            self._apply(session, source, notifications)
            position = notifications[-1].id
            read += len(notifications)
            batches += 1
            if progress is not None:
                progress(len(notifications))
            if len(notifications) < batch_size:
                break
        if read:
            self._record_position(session, position)
        return read

    def reset(self, session: Session) -> None:
        """Empty the read models and start again from the first event. A table whose
        shape the code has changed is recreated, so a new column needs no migration
        (that needs the tables' owner; emptying needs only the writer's rights)."""
        connection = session.connection()
        existing = inspect(connection)
        for table in tables.READ_MODEL_TABLES:
            columns = {c["name"] for c in existing.get_columns(table.name)}
            if columns == set(table.c.keys()):
                session.execute(delete(table))
            else:
                table.drop(connection, checkfirst=True)
                table.create(connection)
        self._lock_position(session)
        self._record_position(session, 0)

    def _apply(
        self, session: Session, source: EventSource, notifications: Iterable[Notification]
    ) -> None:
        latest: dict[UUID, int] = {}
        kinds: dict[UUID, str] = {}
        for notification in notifications:
            aggregate_id = UUID(str(notification.originator_id))
            kind = stored_kind(notification.topic)
            if kind not in ("complaint", "representation"):
                continue  # personal details and reference sequences feed no figure
            kinds[aggregate_id] = kind
            latest[aggregate_id] = notification.originator_version
        for aggregate_id, version in latest.items():
            aggregate = source.aggregate_at(aggregate_id, version)
            if kinds[aggregate_id] == "complaint":
                assert isinstance(aggregate, Complaint)
                self._rewrite_case(session, aggregate)
            else:
                assert isinstance(aggregate, Representation)
                row = representation_row(aggregate, self.policy)
                session.execute(
                    delete(tables.representations).where(tables.representations.c.ref == row["ref"])
                )
                session.execute(insert(tables.representations), [row])

    def _rewrite_case(self, session: Session, complaint: Complaint) -> None:
        case_id = str(complaint.id)
        for table in tables.CASE_TABLES:
            session.execute(delete(table).where(table.c.case_id == case_id))
        for table_name, rows in complaint_rows(complaint, self.policy).items():
            if rows:
                session.execute(insert(tables.metadata.tables[table_name]), rows)
