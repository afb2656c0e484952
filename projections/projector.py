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
from domain.contact_registers import AccessRequest, ContactRegister
from domain.errors import LedgerTampered
from domain.learning import LearningStatement
from domain.procedure import ProcedurePolicy
from domain.representations import Representation
from domain.stored_names import stored_kind
from projections import tables
from projections.bulk import collector_paused, insert_rows
from projections.rows import (
    access_request_row,
    adjustment_rows,
    complaint_rows,
    learning_row,
    representation_row,
    restriction_rows,
)

#: Bump when the rows a projection writes change; a different stored version makes
#: the next catch-up rebuild the read models from the first event.
CODE_VERSION = "case-facts-9"
NAME = "case_facts"

#: The kinds of record (domain/stored_names.py) the read models are built from.
COMPLAINT, REPRESENTATION, LEARNING = "complaint", "representation", "learning"
#: Unreasonable-actions registers and subject access requests (ADR 0040).
CONTACT_REGISTER, ACCESS_REQUEST = "contact-register", "access-request"
PROJECTED_KINDS = (COMPLAINT, REPRESENTATION, LEARNING, CONTACT_REGISTER, ACCESS_REQUEST)
#: The read-model table of each kind of record keyed by its reference.
TABLE_OF_KIND = {
    REPRESENTATION: tables.representations,
    LEARNING: tables.learning,
    CONTACT_REGISTER: tables.restrictions,
    ACCESS_REQUEST: tables.access_requests,
}
#: Further tables of a kind keyed by its reference (a register's adjustments).
MORE_TABLES_OF_KIND = {CONTACT_REGISTER: (tables.adjustments,)}
#: Keys in one ``DELETE ... WHERE key IN (...)`` (SQLite allows 999 parameters).
KEYS_PER_STATEMENT = 500
#: Events a catch-up reads, folds and writes at a time (a page); a rebuild commits
#: each page (on SQLite growing runs of pages, ADR 0055). A command's catch-up reads
#: the few events it wrote in one page; a rebuild, a restore or a bulk load write each
#: read-model table once per page.
PAGE = 5000
#: Most pages a rebuild from scratch commits at once, on the engines in
#: :data:`GROWING_COMMITS_ON`: its first transaction resets the read models and writes
#: one page, each later one as many pages as were committed before it, up to this
#: (ADR 0055). Every commit writes back the index pages its rows touched (the primary
#: keys of the case tables are random ids, so a page of events touches most of them).
REBUILD_PAGES_PER_COMMIT = 10
#: Engines on which a rebuild from scratch commits growing runs of pages (elsewhere one
#: page a transaction, as a catch-up does).
GROWING_COMMITS_ON = frozenset({"sqlite"})
#: Records a catch-up keeps folded in memory between its batches; past this many it
#: starts again (a record it no longer holds is loaded at its version once more).
MAX_FOLDED = 50_000


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
    """What the projection needs from the ledger: the log, each event of it decoded, and
    aggregates by version (for a record whose earlier events are behind the position)."""

    def notifications_after(self, position: int, limit: int) -> Sequence[Notification]: ...

    def domain_event(self, notification: Notification) -> Any: ...

    def held(self, aggregate_id: UUID, version: int) -> Any | None:
        """The record at ``version`` if the source holds it already (the one a unit of
        work has just saved), else None."""
        ...

    def aggregate_at(self, aggregate_id: UUID, version: int) -> Any: ...

    def last_position(self) -> int: ...


@dataclass(frozen=True)
class Change:
    """One case's or representation's read-model rows, rewritten whole: ``key`` is the
    case id (rows of every case table) or the representation's reference."""

    aggregate_id: str
    kind: str
    key: str
    rows: dict[str, list[dict[str, Any]]]
    #: The record has no rows yet (its first event is in this batch): nothing to delete.
    fresh: bool = False


class RowStore(Protocol):
    """How the projection's rows and position reach the database."""

    def lock(self, session: Session) -> tuple[int, str] | None:
        """Lock the tracking row for this transaction: (position, version), or None."""
        ...

    def reset(self, session: Session, version: str) -> None:
        """Empty every read model and set the position to 0."""
        ...

    def store(
        self, session: Session, start: int, through: int, version: str, changes: Sequence[Change]
    ) -> None:
        """Rewrite the rows of ``changes`` and move the position from ``start`` to
        ``through`` (the events after ``start`` up to ``through`` are projected)."""
        ...


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

    def __init__(self, policy: ProcedurePolicy, store: RowStore | None = None) -> None:
        self.policy = policy
        self.version = projection_version(policy)
        self.store = store or ProjectionStatements()

    # ------------------------------------------------------------- tracking
    def _lock_position(self, session: Session) -> tuple[int, str]:
        held = self.store.lock(session)
        if held is None:
            self.store.reset(session, self.version)
            return 0, self.version
        return held

    def tracked(self, session: Session) -> tuple[int, str]:
        """The position and version the read models stand at, as ``session`` sees them:
        they are written in the same transaction as these (ADR 0008), so two sessions
        that see the same pair see the same rows."""
        row = session.execute(
            select(tables.tracking.c.position, tables.tracking.c.version).where(
                tables.tracking.c.projection == NAME
            )
        ).first()
        return (int(row.position), str(row.version)) if row else (0, "none")

    def status(self, session: Session, source: EventSource) -> Status:
        position, version = self.tracked(session)
        return Status(NAME, position, source.last_position(), version, self.version)

    # -------------------------------------------------------------- catching up
    def catch_up(
        self,
        session: Session,
        source: EventSource,
        batch_size: int = PAGE,
        max_batches: int | None = None,
        progress: Callable[[int], None] | None = None,
        folded: dict[UUID, Any] | None = None,
    ) -> int:
        """Apply every event after the recorded position; returns how many were read.

        With ``max_batches`` it stops early (the caller commits between calls, and
        passes the same ``folded`` to every call so that no record is loaded twice).
        """
        position, version = self._lock_position(session)
        if version != self.version:
            self.reset(session)
            position = 0
        read = 0
        batches = 0
        folded = {} if folded is None else folded
        while max_batches is None or batches < max_batches:
            with collector_paused():
                notifications = source.notifications_after(position, batch_size)
                if not notifications:
                    break
                through = notifications[-1].id
                if len(folded) > MAX_FOLDED:
                    folded.clear()
                changes = self._changes(source, notifications, folded)
                self.store.store(session, position, through, self.version, changes)
            position = through
            read += len(notifications)
            batches += 1
            if progress is not None:
                progress(len(notifications))
            if len(notifications) < batch_size:
                break
        if max_batches is None and read >= batch_size:
            # a backlog caught up, perhaps the rest of a rebuild cut short (ADR 0053)
            self.create_missing_indexes(session)
        return read

    def reset(self, session: Session, indexes_deferred: bool = False) -> None:
        """Empty the read models and start again from the first event. A table whose
        shape the code has changed is recreated, so a new column needs no migration
        (that needs the tables' owner; emptying needs only the writer's rights).

        With ``indexes_deferred`` (a rebuild from scratch) the tables' secondary
        indexes are dropped too, where the engine allows it, so that the pages are
        written without maintaining them; :meth:`create_missing_indexes` builds them
        once at the end (ADR 0053)."""
        connection = session.connection()
        existing = inspect(connection)
        for table in tables.READ_MODEL_TABLES:
            columns = {c["name"] for c in existing.get_columns(table.name)}
            if columns != set(table.c.keys()):
                table.drop(connection, checkfirst=True)
                table.create(connection)
        self.store.lock(session)
        self.store.reset(session, self.version)
        if indexes_deferred:
            tables.drop_secondary_indexes(connection)

    def create_missing_indexes(self, session: Session) -> None:
        """Build each read-model index a rebuild from scratch dropped (ADR 0053)."""
        tables.create_missing_indexes(session.connection())

    def _changes(
        self,
        source: EventSource,
        notifications: Iterable[Notification],
        folded: dict[UUID, Any],
    ) -> list[Change]:
        """The new rows of every case and representation the notifications touch, each
        from its state as of its last event among them.

        Each record is folded in memory: its state from earlier batches of this
        catch-up (``folded``), or from its first event, takes each event once; a record
        whose earlier events were projected before is loaded at its latest version
        here, then folded on. A record the source holds at that version already (the
        one a command has just saved) is taken as it is."""
        pending: dict[UUID, list[Notification]] = {}
        for notification in notifications:
            if stored_kind(notification.topic) not in PROJECTED_KINDS:
                continue  # personal details and reference sequences feed no figure
            originator = notification.originator_id
            aggregate_id = originator if isinstance(originator, UUID) else UUID(originator)
            found = pending.get(aggregate_id)
            if found is None:
                pending[aggregate_id] = [notification]
            else:
                found.append(notification)
        changes = []
        for aggregate_id, events in pending.items():
            first, last = events[0], events[-1]
            version = last.originator_version
            aggregate = folded.get(aggregate_id)  # a folded record is never None
            # rows are written with the position, so a record created after it has none
            fresh = aggregate is None and first.originator_version == 1
            held = None if aggregate is not None else source.held(aggregate_id, version)
            if held is not None:
                aggregate = held
            elif aggregate is not None or first.originator_version == 1:
                aggregate = _folded(source, events, aggregate)
            else:
                aggregate = source.aggregate_at(aggregate_id, version)
            folded[aggregate_id] = aggregate
            kind = stored_kind(last.topic)
            assert kind is not None
            changes.append(self._change(str(aggregate_id), kind, aggregate, fresh))
        return changes

    def _change(self, aggregate_id: str, kind: str, aggregate: Any, fresh: bool) -> Change:
        """The rows of one record of ``kind`` (its id as text) from its state."""
        if kind == COMPLAINT:
            assert isinstance(aggregate, Complaint)
            # the case's id is its aggregate's: its rows' key
            rows = complaint_rows(aggregate, self.policy)
            return Change(aggregate_id, COMPLAINT, aggregate_id, rows, fresh)
        if kind == LEARNING:
            assert isinstance(aggregate, LearningStatement)
            rows = {str(tables.learning.name): [learning_row(aggregate)]}
            return Change(aggregate_id, LEARNING, aggregate.ref, rows, fresh)
        if kind in (CONTACT_REGISTER, ACCESS_REQUEST):
            return _register_change(aggregate_id, kind, aggregate)
        assert isinstance(aggregate, Representation)
        row = representation_row(aggregate, self.policy)
        rows = {str(tables.representations.name): [row]}
        return Change(aggregate_id, REPRESENTATION, str(row["ref"]), rows, fresh)


def _register_change(aggregate_id: str, kind: str, aggregate: Any) -> Change:
    """The rows of a contact register (keyed by its case) or an access request."""
    if isinstance(aggregate, ContactRegister):
        rows = {
            str(tables.restrictions.name): restriction_rows(aggregate),
            str(tables.adjustments.name): adjustment_rows(aggregate),
        }
        return Change(aggregate_id, kind, aggregate.case_ref, rows)
    assert isinstance(aggregate, AccessRequest)
    rows = {str(tables.access_requests.name): [access_request_row(aggregate)]}
    return Change(aggregate_id, kind, aggregate.ref, rows)


def _folded(source: EventSource, notifications: list[Notification], aggregate: Any) -> Any:
    """``aggregate`` with the notifications' events (one record's, in order) applied; an
    event that cannot follow its record's state (a version out of turn, a creation
    event again) was written behind the ledger's back."""
    domain_event = source.domain_event
    for notification in notifications:
        if aggregate is not None and notification.originator_version <= aggregate.version:
            continue  # folded already, by an attempt whose transaction was retried
        try:
            aggregate = domain_event(notification).mutate(aggregate)
        except Exception:
            raise LedgerTampered(notification.id) from None
    return aggregate


class ProjectionStatements:
    """The projection's own statements, run with the caller's rights (SQLite, and the
    in-memory read models of ``--as-of``). On PostgreSQL the ledger uses
    :class:`ledger.store.read_model_guard.GuardedRowStore` instead, whose functions are the
    only way the writer role can change a read-model table."""

    def lock(self, session: Session) -> tuple[int, str] | None:
        query = select(tables.tracking.c.position, tables.tracking.c.version).where(
            tables.tracking.c.projection == NAME
        )
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update()
        row = session.execute(query).first()
        return None if row is None else (int(row.position), str(row.version))

    def reset(self, session: Session, version: str) -> None:
        for table in tables.READ_MODEL_TABLES:
            session.execute(delete(table))
        done = session.execute(
            update(tables.tracking)
            .where(tables.tracking.c.projection == NAME)
            .values(position=0, version=version)
        )
        if not done.rowcount:  # type: ignore[attr-defined]
            session.execute(
                insert(tables.tracking).values(projection=NAME, position=0, version=version)
            )

    def store(
        self, session: Session, start: int, through: int, version: str, changes: Sequence[Change]
    ) -> None:
        cases = [c.key for c in changes if c.kind == COMPLAINT and not c.fresh]
        rows: dict[str, list[dict[str, Any]]] = {}
        for change in changes:
            for table_name, table_rows in change.rows.items():
                rows.setdefault(table_name, []).extend(table_rows)
        for offset in range(0, len(cases), KEYS_PER_STATEMENT):
            some = cases[offset : offset + KEYS_PER_STATEMENT]
            for table in tables.CASE_TABLES:
                session.execute(delete(table).where(table.c.case_id.in_(some)))
        for kind, table in TABLE_OF_KIND.items():
            refs = [c.key for c in changes if c.kind == kind and not c.fresh]
            for offset in range(0, len(refs), KEYS_PER_STATEMENT):
                some = refs[offset : offset + KEYS_PER_STATEMENT]
                for each in (table, *MORE_TABLES_OF_KIND.get(kind, ())):
                    session.execute(delete(each).where(each.c.ref.in_(some)))
        for table_name, table_rows in rows.items():
            if table_rows:
                insert_rows(session, tables.metadata.tables[table_name], table_rows)
        session.execute(
            update(tables.tracking)
            .where(tables.tracking.c.projection == NAME)
            .values(position=through, version=version)
        )
