"""The ledger application: the service layer between the CLI and the domain.

Each command runs as one unit of work: one database transaction that reads the case,
lets the domain check the rules, and writes the new events (and, later, the read
models) together. A refusal or a crash rolls everything back, so nothing is half
written. When another writer changed the same case at the same moment, the unit of
work is retried from the start against the new state.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

import sqlalchemy.exc
from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import (
    InfrastructureFactory,
    IntegrityError,
    Mapper,
    OperationalError,
    PersistenceError,
    Recording,
    StoredEvent,
    Transcoder,
)
from eventsourcing.utils import Environment, get_topic
from eventsourcing_sqlalchemy.recorders import SQLAlchemyApplicationRecorder
from sqlalchemy import Connection, Engine, bindparam, func, insert, select
from sqlalchemy.orm import Session, scoped_session, sessionmaker

from domain import errors
from domain.complaint import Complaint, case_id
from domain.personal import (
    CASE_SUBJECT,
    AccessLog,
    PersonalDetails,
    SealedNote,
    SealedText,
    access_log_id,
    check_subject,
    marked_note,
    named_in,
    note_subject,
    personal_details_id,
    plaintext_fields,
    sealed_texts,
    shown_marker,
    text_note_key,
)
from domain.procedure import ProcedurePolicy
from domain.references import (
    ReferenceSequence,
    check_reference,
    format_reference,
    sequence_id,
)
from domain.representations import (
    ADVOCACY_PREFIX,
    COMPLIMENT_PREFIX,
    ENQUIRY_PREFIX,
    FEEDBACK_PREFIX,
    AdvocacyReferral,
    Compliment,
    Enquiry,
    InitialFeedback,
    Representation,
    kind_of_reference,
    representation_id,
)
from domain.retention import Retention
from domain.vocabulary import UNCHECKED_FIELDS, check_text
from ledger.registers import NameInUse, names_in_use, new_name_warnings, recorded_names
from ledger.store.bank_holidays import StoredBankHolidays, holiday_metadata
from ledger.store.batches import (
    BatchLine,
    LineRun,
    batch_metadata,
    mark_recorded,
    recorded_output,
    recorded_outputs,
)
from ledger.store.integrity import (
    HashChain,
    PublishedHead,
    Verdict,
    chain_metadata,
    checkpoints,
    first_tampered,
    first_unlinked,
    install_append_only_triggers,
    linked_events,
)
from ledger.store.log_pages import LoggedEvent, linked_page, logged_events
from ledger.store.read_model_guard import GuardedRowStore, install_read_model_guard
from ledger.store.storage import (
    SNAPSHOT_ISOLATION,
    WRITE_OPTION,
    WRITER_LOCK,
    EventMapper,
    OrjsonTranscoder,
    checkpoint_and_truncate,
    checkpoint_less_often,
    database_url,
    events_table,
    is_transient,
    make_engine,
    on_driver,
    savepoint,
    schema_lock,
    schema_names,
    storage_tables,
)
from projections import tables as read_models
from projections.bulk import collector_paused
from projections.projector import (
    GROWING_COMMITS_ON,
    REBUILD_PAGES_PER_COMMIT,
    CaseFactsProjection,
    RowStore,
    Status,
)
from reports.council import CouncilSettings

if TYPE_CHECKING:
    from ledger.case_links import CaseLinkService
    from ledger.casework import CaseworkService
    from ledger.contact_registers import ContactRegisterService

    # Off the command path (ADR 0036): imported where they are used.
    from ledger.learning import CodeService
    from ledger.store.checkpoints import Signer
    from ledger.store.keystore import KeyStore
    from reports.annual import Period

T = TypeVar("T")
R = TypeVar("R", bound=Representation)

MAX_ATTEMPTS = 8
#: How many times :meth:`Ledger.query` catches the read models up on its own before it
#: answers inside the writers' turn.
QUERY_CATCH_UPS = 2


def _as_it_is(value: Any) -> Any:
    return value


def _fold(aggregate: Aggregate | None, domain_events: Iterable[Any]) -> Aggregate | None:
    """The storage library's ``project_aggregate`` without its per-event
    ``assert isinstance(event, CanMutateProtocol)``: a runtime-checkable protocol,
    about 28 us an event, more than the event's own ``mutate`` (a record of 300 events
    spent 8 ms in it on every load; ADR 0056). Every stored event is a domain event
    with ``mutate`` (the mapper builds them from their classes); one that had none
    would fail here just as the library's assertion would."""
    for domain_event in domain_events:
        aggregate = domain_event.mutate(aggregate)
    return aggregate


def _stored_events(rows: Iterable[Any]) -> list[StoredEvent]:
    """The library's stored events from the event log's rows, as the recorder loads them."""
    return [
        StoredEvent(
            originator_id=row.originator_id,
            originator_version=row.originator_version,
            topic=row.topic,
            state=bytes(row.state),
        )
        for row in rows
    ]


#: SQLite's insert of events and the conversions of the identity and state columns
#: (worked out on a recorder's first insert).
_SqliteInsert = tuple[str, Callable[[Any], Any], Callable[[Any], Any]]


class TurnTakingRecorder(SQLAlchemyApplicationRecorder):
    """The library's recorder, without its ``LOCK TABLE ... EXCLUSIVE`` on PostgreSQL.

    Every writing unit of work already takes the ledger's advisory lock first, so
    writers take turns and positions are committed in order; the table lock would add
    nothing but a need for UPDATE rights on the event log, which the application's
    writer role must not have. Nor does it ``NOTIFY`` after an insert (ADR 0049).
    """

    _sqlite_insert: _SqliteInsert | None
    _insert_returning: Any

    def _lock_table(self, session: Session) -> None:
        return None

    def _insert_stored_events(
        self, session: Session, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int]:
        """The events in one statement, their positions in the order given: on SQLite
        the driver's ``executemany`` (:meth:`_insert_on_sqlite`); elsewhere one
        multi-row ``INSERT ... RETURNING id``, instead of the library's ORM object per
        event and flush."""
        if not stored_events:
            return []
        connection = session.connection()
        if connection.dialect.name == "sqlite":
            return self._insert_on_sqlite(connection, stored_events)
        statement = self._insert_returning
        if statement is None:  # built once: SQLAlchemy finds its compiled form again
            events = events_table(self)
            statement = insert(events).returning(events.c.id, sort_by_parameter_order=True)
            self._insert_returning = statement
        rows = [
            {
                "originator_id": e.originator_id,
                "originator_version": e.originator_version,
                "topic": e.topic,
                "state": e.state,
            }
            for e in stored_events
        ]
        return [int(row.id) for row in connection.execute(statement, rows)]

    def _notify_channel(self, session: Session) -> None:
        """No ``NOTIFY``: nothing listens (the ledger subscribes to nothing), and on
        PostgreSQL a committing transaction that has notified takes a lock over the
        whole database's notification queue, so every writer's commit waited for the
        others' (ADR 0049)."""
        return None

    def _insert_on_sqlite(
        self, connection: Connection, stored_events: Sequence[StoredEvent]
    ) -> list[int]:
        """The events through the driver's own connection (one row: ``execute``; more:
        ``executemany``), the columns' own conversions applied (worked out once). SQLite
        gives a row of a table without AUTOINCREMENT the position after the largest in
        the table, row after row, and the writing transaction holds the database's write
        lock (``BEGIN IMMEDIATE``): so when the connection changed exactly as many rows
        as there are events (its ``total_changes``, which counts what triggers change
        too), the positions are the ones up to the last row inserted (its
        ``last_insert_rowid``). Anything else is refused, and the unit of work rolled
        back (ADR 0051)."""
        found = self._sqlite_insert
        if found is None:
            events = events_table(self)
            dialect = connection.dialect
            table = dialect.identifier_preparer.quote(events.name)
            found = (
                f"INSERT INTO {table} (originator_id, originator_version, topic, state) "
                "VALUES (?, ?, ?, ?)",
                events.c.originator_id.type.bind_processor(dialect) or _as_it_is,
                events.c.state.type.bind_processor(dialect) or _as_it_is,
            )
            self._sqlite_insert = found
        insert_sql, convert_id, convert_state = found
        values = [
            (convert_id(e.originator_id), e.originator_version, e.topic, convert_state(e.state))
            for e in stored_events
        ]
        driver: Any = connection.connection.driver_connection  # sqlite3's own connection
        changes = driver.total_changes
        if len(values) == 1:
            last = on_driver(connection, insert_sql, values[0]).lastrowid
        else:
            on_driver(connection, insert_sql, values, many=True)
            last = on_driver(connection, "SELECT last_insert_rowid()").fetchone()[0]
        changed = driver.total_changes - changes
        if changed != len(values):
            raise RuntimeError(
                f"{len(values)} events inserted, but {changed} rows changed: "
                "their positions cannot be proved"
            )
        return list(range(last - len(values) + 1, last + 1))

    #: The positions the current unit of work wrote and has not chained yet (the
    #: ledger sets this); every other event loaded must hold its chain link.
    unchained: Callable[[], Collection[int]] = staticmethod(lambda: ())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._queries: dict[tuple[bool, bool, bool, bool], Any] = {}
        self._sqlite_insert = None
        self._insert_returning = None
        self._ends_query: Any = None

    def _events_query(self, gt: bool, lte: bool, desc: bool, limit: bool) -> Any:
        """One shape of the library's events query, built once, with its chain links."""
        events = events_table(self)
        version = events.c.originator_version
        query = linked_events(events).where(events.c.originator_id == bindparam("originator_id"))
        if gt:
            query = query.where(version > bindparam("gt"))
        if lte:
            query = query.where(version <= bindparam("lte"))
        query = query.order_by(version.desc() if desc else version)
        if limit:
            query = query.limit(bindparam("limit"))
        return query

    def select_ends(self, originator_id: UUID) -> list[StoredEvent]:
        """A record's first event and its last (one event when it has one; none when it
        has none), in one statement, each with its chain link checked as
        :meth:`select_events` checks what it loads (ADR 0056)."""
        query = self._ends_query
        if query is None:
            events = events_table(self)
            version = events.c.originator_version
            last = (
                select(func.max(version))
                .where(events.c.originator_id == bindparam("originator_id"))
                .scalar_subquery()
            )
            query = self._ends_query = (
                linked_events(events)
                .where(events.c.originator_id == bindparam("originator_id"))
                .where((version == 1) | (version == last))
                .order_by(version)
            )
        with self.transaction(commit=False) as session:
            rows = session.connection().execute(query, {"originator_id": originator_id}).all()
            unchained = self.unchained()
            # the first must be version 1 (a record whose start is gone is refused, as a
            # full load refuses it); the last is checked alone (those between are skipped)
            tampered = first_tampered(rows[:1], 1, unchained)
            if tampered is None:
                tampered = first_tampered(rows[1:], None, unchained)
        if tampered is not None:
            raise errors.LedgerTampered(tampered)
        return _stored_events(rows)

    def select_events(
        self,
        originator_id: UUID | str,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> list[StoredEvent]:
        """The library's query, with each event's chain link checked as it is loaded:
        an event slipped in, altered, or following a gap in the case's versions is
        refused (:class:`errors.LedgerTampered`) before anything is built on it."""
        shape = (gt is not None, lte is not None, desc, limit is not None)
        query = self._queries.get(shape)
        if query is None:
            query = self._queries[shape] = self._events_query(*shape)
        params = {"originator_id": originator_id, "gt": gt, "lte": lte, "limit": limit}
        with self.transaction(commit=False) as session:
            # Through the session's connection (Core), not the ORM session's execute:
            # the query selects no ORM entity, and the ORM's handling of the statement
            # was a quarter to a third of the query (every receive asks it, ADR 0051).
            connection = session.connection()
            bound = {k: v for k, v in params.items() if v is not None}
            rows = connection.execute(query, bound).all()
            first = None if desc or limit is not None else (gt or 0) + 1
            tampered = first_tampered(rows, first, self.unchained())
        if tampered is not None:
            raise errors.LedgerTampered(tampered)
        return _stored_events(rows)


class LedgerUnavailable(Exception):
    """The database could not be opened or reached."""


@dataclass(frozen=True)
class RecordedEvent:
    """One event of a case's history, as recorded."""

    version: int
    type: str
    on: date | None
    recorded_at: datetime
    actor: str | None
    data: dict[str, Any]
    #: The voiding that marks this step as recorded in error (version, on, actor,
    #: reason), if one had been recorded.
    voided: dict[str, Any] | None = None


@dataclass(frozen=True)
class Anchoring:
    """What ``verify`` found: the recomputed chain, and why a checkpoint or a published
    head is no longer in it (None: all are)."""

    verdict: Verdict
    missing: str | None
    checkpoints: int
    #: Why the read models disagree with a rebuild from the events (None: they agree).
    read_models: str | None = None

    @property
    def intact(self) -> bool:
        return self.verdict.intact and self.missing is None and self.read_models is None


@dataclass(frozen=True)
class Checkpoint:
    number: int
    position: int
    head_hash: str
    made_at: str
    key_fingerprint: str


class Ledger(Application[UUID]):
    """The complaints ledger over an SQLAlchemy engine (SQLite or PostgreSQL)."""

    name = "Ledger"

    def __init__(
        self,
        db: str | None = None,
        policy: ProcedurePolicy | None = None,
        council: CouncilSettings | None = None,
        read_only: bool = False,
    ) -> None:
        self.url = database_url(db)
        self.policy = policy or ProcedurePolicy()
        self.council = council or CouncilSettings()
        #: Opened for reading only: nothing is created, and a read model that is behind
        #: is answered from the events in memory instead of being caught up.
        self.read_only = read_only
        self.engine: Engine = make_engine(self.url, read_only=read_only)
        self.sessions = scoped_session(sessionmaker(bind=self.engine, autoflush=True))
        self.projection = CaseFactsProjection(self.policy, self._row_store())
        self._keystore: KeyStore | None = None
        self._keys_ready = False
        self._written: list[int] = []
        self._saved: list[Any] = []
        #: The records this unit of work saved, as saved (the projection's catch-up
        #: takes them instead of loading them again).
        self._saved_records: dict[UUID, Aggregate] = {}
        #: The events the last writing unit of work saved (see :attr:`last_recorded`).
        self._last_saved: list[Any] = []
        #: Inside :meth:`one_transaction`: units of work join it instead of committing.
        self._joined = False
        #: Whether a unit of work inside :meth:`one_transaction` wrote events (since the
        #: batch line being run began).
        self._joined_wrote = False
        #: Inside :meth:`batch_group`: units of work leave chaining and catching up to
        #: the group's end (ADR 0037); whether the read models are behind its events.
        self._grouped = False
        self._group_behind = False
        #: How many of the group's events (``_written``) the chain already holds.
        self._group_chained = 0
        #: The group's batch lines whose marks were read at once, and those found.
        self._group_marks: tuple[set[int], dict[int, str]] | None = None
        #: The group's lines that recorded something, with what they printed: marked
        #: together when the group ends (ADR 0051).
        self._group_recorded: list[tuple[BatchLine, str]] = []
        #: Records the current line took as an earlier line of the group saved them,
        #: and records holding sealed text (those are always loaded from the log).
        self._group_taken: set[UUID] = set()
        self._group_sealed: set[UUID] = set()
        #: Units of work retried because another writer got there first (for the
        #: load test's conflict rate).
        self.conflicts = 0
        #: Where warnings go (a team or service area used for the first time); set by
        #: the CLI. Each is given once its unit of work has committed.
        self.warn: Callable[[str], None] | None = None
        self._warnings: list[str] = []
        super().__init__(
            env={
                "PERSISTENCE_MODULE": "eventsourcing_sqlalchemy",
                "CREATE_TABLE": "no",
                "IS_SNAPSHOTTING_ENABLED": "no",
            }
        )
        self.recorder.unchained = lambda: self._written  # type: ignore[attr-defined]
        if read_only:
            self._open_schema()
        else:
            self._create_schema()

    # ------------------------------------------------------------ construction
    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        """Record pending events, noting their positions for the hash chain.

        Every text they hold is checked first, whoever wrote it (a command, ``batch``,
        the importer), so both engines refuse alike what one of them would store (a NUL
        on SQLite) and no name holds a control character (ADR 0025). Then free text
        typed into a step goes into a sealed note, the step keeping a marker (ADR 0021)."""
        pending = [e for obj in objs for e in getattr(obj, "pending_events", ())]
        for pending_event in pending:
            for field, value in vars(pending_event).items():
                if field not in UNCHECKED_FIELDS:
                    check_text(field, value)
        self._seal_free_text(objs)
        if self.warn is not None:
            if self._group_behind and recorded_names(pending):
                self._group_catch_up()  # "new team" judged against every line before
            self._warnings.extend(new_name_warnings(self.sessions(), self.policy, pending))
        recordings = self._save_collected(objs, kwargs)
        self._saved_records.update(
            (obj.id, obj) for obj in objs if isinstance(obj, Complaint | Representation)
        )
        self._written.extend(r.notification.id for r in recordings)
        self._saved.extend(r.domain_event for r in recordings)
        return recordings

    def _save_collected(
        self, objs: Sequence[Any], kwargs: Mapping[str, Any]
    ) -> list[Recording[UUID]]:
        """The library's ``Application.save``, each aggregate's pending events collected
        by its class: the library asks every object saved two runtime-checkable protocols
        (``DomainEventProtocol``, ``CollectEventsProtocol``), about a tenth of a bulk
        save's time. Anything that is not an aggregate is collected as the library does."""
        processing_event: ProcessingEvent[UUID] = ProcessingEvent()
        for obj in objs:
            if isinstance(obj, Aggregate):
                processing_event.events.extend(obj.collect_events())
                processing_event.aggregates[obj.id] = obj
            elif obj is not None:
                processing_event.collect_events(obj)
        processing_event.saved_kwargs.update(kwargs)
        recordings = self._record(processing_event)
        self._take_snapshots(processing_event)
        self._notify(recordings)
        self.notify(processing_event.events)  # the library's deprecated hook, as it calls it
        return recordings

    @property
    def last_recorded(self) -> list[RecordedEvent]:
        """The case steps that the last writing unit of work recorded (for the
        "Recorded ..." line a recording command prints on stderr)."""
        return [_recorded(e) for e in self._last_saved if isinstance(e, Complaint.Event)]

    @property
    def chain(self) -> HashChain:
        return HashChain(self.recorder)

    def verify(self) -> Verdict:
        """Recompute the hash chain over the whole event log."""
        return self.read(lambda: self.chain.verify(self.sessions()))

    def verify_anchored(
        self, published: Sequence[PublishedHead] = (), trusted_key: bytes | None = None
    ) -> Anchoring:
        """Recompute the chain, then check every stored checkpoint (its signature, by
        ``trusted_key`` when given, and that the chain still has its hash at its
        position) and every published head; then compare the read models with a
        rebuild from the events."""

        def work() -> Anchoring:
            session = self.sessions()
            verdict = self.chain.verify(session)
            if not verdict.intact:
                return Anchoring(verdict, None, 0)
            checked = 0
            for row in session.execute(select(checkpoints).order_by(checkpoints.c.id)):
                reason = self._checkpoint_problem(session, row, trusted_key)
                if reason:
                    return Anchoring(verdict, reason, checked)
                checked += 1
            for head in published:
                reason = self.chain.missing(session, head)
                if reason:
                    return Anchoring(verdict, reason, checked)
            from ledger.store.read_model_check import read_model_problem

            return Anchoring(verdict, None, checked, read_model_problem(self, session))

        return self.read(work)

    def _checkpoint_problem(
        self, session: Session, row: Any, trusted_key: bytes | None
    ) -> str | None:
        from ledger.store.checkpoints import fingerprint, signature_holds

        label = f"checkpoint {row.id} (position {row.position}, made {row.made_at})"
        public_key, head_hash = bytes(row.public_key), bytes(row.head_hash)
        if trusted_key is not None and public_key != trusted_key:
            return (
                f"{label} is signed by key {fingerprint(public_key)}, not by the key given "
                f"({fingerprint(trusted_key)}): the checkpoints have been replaced"
            )
        if not signature_holds(
            public_key, bytes(row.signature), row.position, head_hash, row.made_at
        ):
            return f"{label} has a bad signature: the checkpoints have been altered"
        return self.chain.missing(session, PublishedHead(head_hash.hex(), row.position), label)

    def checkpoint(self, signer: Signer) -> Checkpoint:
        """Sign the chain's head as it stands now (after verifying the whole chain) and
        store the checkpoint."""
        from ledger.store.checkpoints import fingerprint

        def work() -> Checkpoint:
            session = self.sessions()
            verdict = self.chain.verify(session)
            if not verdict.intact:
                assert verdict.problem_position is not None
                raise errors.LedgerTampered(verdict.problem_position)
            position, digest = self.chain.head(session)
            made, signature = signer.sign(position, digest, datetime.now(UTC))
            inserted: Any = session.execute(
                checkpoints.insert().values(
                    position=position,
                    head_hash=digest,
                    made_at=made,
                    public_key=signer.public_key,
                    signature=signature,
                )
            )
            number = inserted.inserted_primary_key[0]
            return Checkpoint(
                int(number), position, digest.hex(), made, fingerprint(signer.public_key)
            )

        return self.unit_of_work(work, attempts=1, catch_up=False)

    def head(self) -> tuple[int, str]:
        """The chain's head: position and hash, for publishing."""

        def work() -> tuple[int, str]:
            position, digest = self.chain.head(self.sessions())
            return position, digest.hex()

        return self.read(work)

    def construct_factory(self, env: Environment) -> InfrastructureFactory:
        factory = super().construct_factory(env)
        factory.application_recorder_class = TurnTakingRecorder  # type: ignore[attr-defined]
        datastore = factory.datastore  # type: ignore[attr-defined]
        datastore.set_scoped_session(self.sessions)
        return factory

    def construct_transcoder(self) -> Transcoder:
        return OrjsonTranscoder()

    def construct_mapper(self) -> Mapper[UUID]:
        return self.factory.mapper(self.construct_transcoder(), mapper_class=EventMapper)

    def _create_schema(self) -> None:
        tables = storage_tables(self)
        tables += list(chain_metadata.sorted_tables)
        tables += list(batch_metadata.sorted_tables)
        tables += list(holiday_metadata.sorted_tables)
        tables += list(read_models.metadata.sorted_tables)
        try:
            with schema_lock(self.engine) as connection:
                present = schema_names(connection)
                for table in tables:
                    if table.name not in present:
                        table.create(connection)
                        present |= {str(index.name) for index in table.indexes}
                    missing = [i for i in table.indexes if i.name is None or i.name not in present]
                    # A read model of an older shape lacks a newer index's columns until
                    # its rebuild, which creates the index with the table (ADR 0045).
                    for index in read_models.indexes_it_holds(connection, table, missing):
                        index.create(connection, checkfirst=True)
                read_models.drop_retired_indexes(connection, present)
                install_append_only_triggers(connection)
                install_read_model_guard(connection)
                stored = StoredBankHolidays.load(connection)
            calendar = replace(self.policy.calendar, bank_holidays=stored)
            self.policy = replace(self.policy, calendar=calendar)
            self.projection = CaseFactsProjection(self.policy, self._row_store())
        except sqlalchemy.exc.SQLAlchemyError as error:
            raise LedgerUnavailable(_first_line(error)) from None

    def _row_store(self) -> RowStore | None:
        """On PostgreSQL, the read models change only through the guard's functions."""
        return GuardedRowStore() if self.engine.dialect.name == "postgresql" else None

    def _open_schema(self) -> None:
        """For reading only: check the ledger's tables are there and load the stored
        bank holidays, creating nothing."""
        try:
            with self.engine.connect() as connection, connection.begin():
                names = [table.name for table in storage_tables(self)]
                inspector = sqlalchemy.inspect(connection)
                if not all(inspector.has_table(name) for name in names):
                    raise LedgerUnavailable("not a complaints ledger: it holds no events table")
                stored = StoredBankHolidays.load(connection, store=False)
        except sqlalchemy.exc.SQLAlchemyError as error:
            raise LedgerUnavailable(_first_line(error)) from None
        calendar = replace(self.policy.calendar, bank_holidays=stored)
        self.policy = replace(self.policy, calendar=calendar)
        self.projection = CaseFactsProjection(self.policy, self._row_store())

    @property
    def keys(self) -> KeyStore:
        """The key store of this ledger's personal notes, opened on first need."""
        if self._keystore is None:
            from ledger.store.keystore import KeyStore

            self._keystore = KeyStore(self.url)
        return self._keystore

    def close(self) -> None:
        if self._keystore is not None:
            self._keystore.close()
        self.sessions.remove()
        self.engine.dispose()
        super().close()

    # ----------------------------------------------------------- unit of work
    def _begin(self, session: Session, write: bool, snapshot: bool = False) -> None:
        options: dict[str, Any] = {WRITE_OPTION: write}
        if snapshot and not write and self.engine.dialect.name == "postgresql":
            options["isolation_level"] = SNAPSHOT_ISOLATION  # one snapshot (ADR 0057)
        connection = session.connection(execution_options=options)
        if write and connection.dialect.name == "postgresql":
            # One writer at a time, as SQLite's BEGIN IMMEDIATE gives: the event
            # insert takes an exclusive table lock anyway, and taking turns from the
            # start means writers never read a case that another is changing.
            on_driver(connection, WRITER_LOCK)  # the driver's, not SQLAlchemy's (ADR 0056)

    @contextmanager
    def _transaction(
        self, write: bool, catch_up: bool = True, snapshot: bool = False
    ) -> Iterator[None]:
        session = self.sessions()
        if self._joined:
            if self._grouped:  # the group's events stay unchained until its end
                self._saved = []
                if not write and self._group_behind:
                    self._group_catch_up()  # a reading unit sees every line before it
            else:
                self._written = []
                self._saved = []
                self._saved_records = {}
            before = len(self._written)
            yield
            if write:
                self._last_saved = self._saved
                wrote = len(self._written) > before
                self._joined_wrote = self._joined_wrote or wrote
                if self._grouped:
                    self._group_behind = self._group_behind or wrote
                    return
                self.chain.extend(session, self._written)
                if catch_up:
                    self.projection.catch_up(session, self)
            return
        try:
            self._begin(session, write, snapshot)
            self._written = []
            self._saved = []
            self._saved_records = {}
            self._warnings = []
            yield
            if write:
                self.chain.extend(session, self._written)
                if catch_up:
                    self.projection.catch_up(session, self)
                session.commit()
                self._last_saved = self._saved
                self._announce_warnings()
            else:
                session.rollback()
        except BaseException:
            session.rollback()
            raise
        finally:
            self.sessions.remove()

    def _announce_warnings(self) -> None:
        """Tell ``warn`` what the committed transaction deserves a warning for."""
        if self.warn is not None:
            for warning in self._warnings:
                self.warn(warning)
        self._warnings = []

    @contextmanager
    def one_transaction(self) -> Iterator[None]:
        """Many units of work as one writing transaction (a batch line with its mark, or
        a whole batch file): they join it instead of committing; it commits when the
        block ends, or rolls all of them back when it raises."""
        if self._joined:
            raise AssertionError("one_transaction does not nest")
        for attempt in range(1, MAX_ATTEMPTS + 1):
            session = self.sessions()
            try:
                self._begin(session, write=True)
                break
            except (OperationalError, sqlalchemy.exc.OperationalError) as error:
                session.rollback()
                self.sessions.remove()
                if is_transient(error) and attempt < MAX_ATTEMPTS:
                    time.sleep(0.05 * attempt)
                    continue
                raise LedgerUnavailable(_first_line(error)) from None
        self._joined, self._joined_wrote = True, False
        self._warnings = []
        try:
            yield
            session.commit()
            self._announce_warnings()
        except BaseException:
            session.rollback()
            raise
        finally:
            self._joined = False
            self.sessions.remove()

    @contextmanager
    def batch_group(self) -> Iterator[None]:
        """:meth:`one_transaction` for a run of batch lines (ADR 0037): each line's units
        of work join it and record their events, but the hash chain is extended, the
        read models caught up and the lines marked recorded once, for all of them, when
        the block ends (a unit that reads catches them up first). Run each line inside
        :meth:`batch_savepoint`."""
        with self.one_transaction():
            self._grouped, self._group_behind, self._group_chained = True, False, 0
            self._group_taken, self._group_sealed = set(), set()
            self._group_recorded = []
            self._written, self._saved, self._saved_records = [], [], {}
            try:
                yield
                self._group_catch_up()
                mark_recorded(self.sessions(), self._group_recorded)
            finally:
                self._grouped = self._group_behind = False
                self._group_marks = None
                self._group_recorded = []

    @contextmanager
    def batch_savepoint(self) -> Iterator[None]:
        """One line inside :meth:`batch_group`: when it raises, what it wrote (events,
        read models caught up meanwhile) is rolled back to where it began, and the
        group goes on as if it had not run."""
        if not self._grouped:
            raise AssertionError("a batch savepoint is taken inside batch_group")
        written, warnings = len(self._written), len(self._warnings)
        records, behind = dict(self._saved_records), self._group_behind
        chained, recorded = self._group_chained, len(self._group_recorded)
        self._group_taken = set()
        try:
            with savepoint(self.sessions().connection()):
                yield
        except BaseException:
            del self._written[written:]
            del self._warnings[warnings:]
            del self._group_recorded[recorded:]
            for taken in self._group_taken:  # it may have changed them in memory
                records.pop(taken, None)
            self._saved_records, self._group_behind = records, behind
            self._group_chained = chained
            raise

    def _group_held(self, aggregate_id: UUID) -> Aggregate | None:
        """Inside :meth:`batch_group`: the record as an earlier line saved it, instead
        of loading it again (no other writer can have changed it: the group holds the
        writer's lock). None when no line saved it, when it holds sealed text (the log
        holds the marker, the object the text) or events not saved."""
        held = self._saved_records.get(aggregate_id)
        if held is None or held.pending_events or aggregate_id in self._group_sealed:
            return None
        self._group_taken.add(aggregate_id)
        return held

    def _group_catch_up(self) -> None:
        """Chain the group's events not chained yet, then catch the read models up to
        them (the read models project only chained events)."""
        session = self.sessions()
        self.chain.extend(session, self._written[self._group_chained :])
        self._group_chained = len(self._written)
        self.projection.catch_up(session, self)
        self._group_behind = False

    def unit_of_work(
        self,
        work: Callable[[], T],
        write: bool = True,
        attempts: int = MAX_ATTEMPTS,
        catch_up: bool = True,
        snapshot: bool = False,
    ) -> T:
        """Run ``work`` in one transaction, retrying when a concurrent writer won.

        ``work`` must be repeatable: it reads what it needs afresh on every attempt.
        ``snapshot``: a reading transaction sees one snapshot throughout, which a second
        reader can share (PostgreSQL's ``REPEATABLE READ``; SQLite's reads always do).
        """
        if self._joined:
            attempts = 1  # a joined transaction cannot be retried from here
        for attempt in range(1, attempts + 1):
            try:
                with self._transaction(write, catch_up, snapshot):
                    return work()
            except (IntegrityError, sqlalchemy.exc.IntegrityError):
                self.conflicts += 1
                if attempt == attempts:
                    raise errors.ConcurrentChange(
                        "another user changed this case at the same moment; try again"
                    ) from None
                time.sleep(0.005 * attempt)
            except (OperationalError, sqlalchemy.exc.OperationalError) as error:
                if is_transient(error) and attempt < attempts:
                    self.conflicts += 1
                    time.sleep(0.05 * attempt)
                    continue
                raise LedgerUnavailable(_first_line(error)) from None
            except (PersistenceError, sqlalchemy.exc.SQLAlchemyError) as error:
                raise LedgerUnavailable(_first_line(error)) from None
        raise AssertionError("unreachable")

    def read(self, work: Callable[[], T], snapshot: bool = False) -> T:
        return self.unit_of_work(work, write=False, snapshot=snapshot)

    def record_many(self, aggregates: Sequence[Aggregate]) -> None:
        """Save the pending events of many aggregates in one transaction (bulk loads).

        The caller has already run every domain command, so every rule was checked.
        The read models catch up in the same transaction.
        """
        try:
            with collector_paused():  # a bulk load's objects make no cycles (ADR 0041)
                self.unit_of_work(lambda: self.save(*aggregates) and None, attempts=1)
        except errors.ConcurrentChange:
            raise errors.DuplicateReference(
                "some of these records already exist in the ledger; nothing was written"
            ) from None

    # ------------------------------------------------- the projections' event source
    def notifications_after(self, position: int, limit: int) -> Sequence[LoggedEvent]:
        """The next ``limit`` events after ``position``, in order, each with its chain
        link checked as it is read (:class:`errors.LedgerTampered` otherwise): the
        projection builds on nothing that was slipped in or altered. The page is read
        through the driver (ADR 0046)."""
        rows = linked_page(self.sessions(), events_table(self), position, limit)
        tampered = first_unlinked(rows, set(self._written))
        if tampered is not None:
            raise errors.LedgerTampered(tampered)
        return logged_events(rows)

    def domain_event(self, notification: Any) -> Any:
        """A stored event (one of :meth:`notifications_after`) as its domain event."""
        return self.mapper.to_domain_event(notification)

    def held(self, aggregate_id: UUID, version: int) -> Aggregate | None:
        """The record this unit of work has just saved, if it is at ``version``."""
        saved = self._saved_records.get(aggregate_id)
        return saved if saved is not None and saved.version == version else None

    def aggregate_at(self, aggregate_id: UUID, version: int) -> Aggregate:
        return self.repository.get(aggregate_id, version=version, projector_func=_fold)

    def last_position(self) -> int:
        return self.recorder.max_notification_id() or 0

    def batch_line_output(self, line: BatchLine) -> str | None:
        """What a batch line printed when it was recorded; None if it never was."""
        looked = self._group_marks
        if looked is not None and line.number in looked[0]:
            return looked[1].get(line.number)
        return recorded_output(self.sessions(), line)

    def look_up_batch_lines(self, lines: list[BatchLine]) -> None:
        """Inside :meth:`batch_group`: read the marks of ``lines`` at once (after the
        writer's lock, so none can appear meanwhile) for :meth:`batch_line_output`."""
        if not self._grouped:
            raise AssertionError("batch lines are looked up inside batch_group")
        found = recorded_outputs(self.sessions(), lines)
        self._group_marks = ({line.number for line in lines}, found)

    def run_batch_line(self, line: BatchLine, run: Callable[[], str]) -> LineRun:
        """Inside :meth:`one_transaction` (so no other writer can record the line
        meanwhile): what ``line`` printed if an earlier run recorded it; else ``run`` it
        (its units of work join the transaction) and, if it wrote events, mark it
        recorded with what it printed, in the same transaction (ADR 0020)."""
        if not self._joined:
            raise AssertionError("a batch line runs inside one_transaction")
        earlier = self.batch_line_output(line)
        if earlier is not None:
            return LineRun(earlier, earlier=True)
        self._joined_wrote = False
        output = run()
        if self._joined_wrote:
            if self._grouped:  # marked when the group ends, with the group's other lines
                self._group_recorded.append((line, output))
            else:
                mark_recorded(self.sessions(), [(line, output)])
        return LineRun(output, earlier=False)

    def last_position_now(self) -> int:
        """The event log's last position, in a transaction of its own."""
        return self.read(self.last_position)

    def catch_up_projections(self) -> int:
        """Bring the read models up to date (reports call this first)."""
        return self.unit_of_work(lambda: 0)

    def projection_status(self) -> Status:
        return self.read(lambda: self.projection.status(self.sessions(), self))

    def rebuild_projections(self, progress: Callable[[int], None] | None = None) -> int:
        """Rebuild every read model from the first event, one committed run of pages at a
        time, and then the read models' indexes (dropped at the start on SQLite: ADR
        0053). On SQLite the runs grow from one page to ``REBUILD_PAGES_PER_COMMIT``,
        with the log checkpointed less often while they commit (ADR 0055)."""

        folded: dict[UUID, Any] = {}  # each record folded once across the batches
        pages = 1  # pages the next transaction reads, folds, writes and commits

        def first() -> int:
            # the pages are written without the secondary indexes (ADR 0053)
            self.projection.reset(self.sessions(), indexes_deferred=True)
            folded.clear()
            return more()

        def more() -> int:
            session = self.sessions()
            checkpoint_less_often(session.connection())  # this transaction only
            return self.projection.catch_up(
                session, self, max_batches=pages, progress=progress, folded=folded
            )

        def build_indexes() -> None:
            session = self.sessions()
            checkpoint_less_often(session.connection())
            self.projection.create_missing_indexes(session)

        growing = self.engine.dialect.name in GROWING_COMMITS_ON
        # the collector paused for the whole rebuild, not page by page: each collection
        # walked every record folded so far (ADR 0046); they are freed before it resumes
        with collector_paused():
            try:
                total = step = self.unit_of_work(first, catch_up=False)
                committed = pages
                while step:
                    if growing:
                        pages = min(committed, REBUILD_PAGES_PER_COMMIT)
                    step = self.unit_of_work(more, catch_up=False)
                    committed += pages
                    total += step
                self.unit_of_work(build_indexes, catch_up=False)
                checkpoint_and_truncate(self.engine)
            finally:
                folded.clear()
        return total

    def query(self, question: Callable[[Session], T], snapshot: bool = False) -> T:
        """Answer ``question`` from the read models, caught up first (never stale).

        When they are already up to date the answer comes from a read-only transaction,
        so a read-only role (an auditor) can ask too. ``snapshot``: that transaction
        keeps one snapshot, which an :class:`~ledger.store.alongside.Alongside` reader
        can share (ADR 0057).
        """

        def read_if_current() -> tuple[bool, T | None]:
            session = self.sessions()
            state = self.projection.status(session, self)
            if state.lag or state.stale:
                return False, None
            return True, question(session)

        for attempt in range(QUERY_CATCH_UPS + 1):
            current, answer = self.read(read_if_current, snapshot)
            if current:
                return answer  # type: ignore[return-value]
            if self.read_only:  # cannot catch up: answer from the events, in memory
                return self.query_as_of(question, datetime.now(UTC))[0]
            if attempt < QUERY_CATCH_UPS:
                # Catch up in a writing unit of its own, then answer from a reading one:
                # the writers' turn is held for the catch-up, not for the answer (a
                # report takes far longer than the events it catches up; ADR 0037).
                self.catch_up_projections()

        def work() -> T:  # still behind (other writers, every time): answer in the turn
            session = self.sessions()
            self.projection.catch_up(session, self)
            return question(session)

        return self.unit_of_work(work)

    def query_as_of(self, question: Callable[[Session], T], as_of: datetime) -> tuple[T, int, int]:
        """Answer ``question`` from the read models as they stood at ``as_of`` (only the
        events recorded by then); also the position of the last of those events (0: none)
        and how many events were recorded later."""

        def work() -> tuple[T, int, int]:
            from ledger.store.time_travel import as_recorded_by

            recorded = as_recorded_by(self, as_of)
            try:
                return question(recorded.session), recorded.position, recorded.later
            finally:
                recorded.session.close()

        return self.read(work)

    def annual_report(
        self,
        period: Period,
        procedure: str,
        suppress_below: int = 0,
        as_of: datetime | None = None,
    ) -> dict[str, Any]:
        """The annual report's document; with ``suppress_below``, the public version;
        with ``as_of``, exactly as the ledger stood at that moment."""
        from reports.document import annual_document

        extracts = you_said_we_did = None
        if as_of is None:
            figures = self.query(
                lambda session: self._annual_figures(session, period, procedure), snapshot=True
            )
            position, digest = self.head()
            extracts = self.compliment_extracts(period)
            you_said_we_did = self.code.you_said_we_did(period)
        else:
            figures, position, digest = self.read(
                lambda: self._annual_report_as_of(period, procedure, as_of)
            )
        integrity: dict[str, Any] = {
            "events": position,
            "head_position": position,
            "head_hash": digest,
        }
        if as_of is not None:
            integrity["as_of"] = as_of.isoformat()
        return annual_document(
            figures,
            self.council,
            period,
            integrity=integrity,
            extracts=extracts,
            you_said_we_did=you_said_we_did,
            suppress_below=suppress_below,
        )

    def _annual_figures(self, session: Session, period: Period, procedure: str) -> dict[str, Any]:
        """The annual report's figures, last year's asked of a second reader of the same
        snapshot at the same time as this year's (ADR 0057)."""
        from ledger.store.alongside import Alongside
        from reports.annual import AnnualReport

        with Alongside(self.engine, session, self.projection.tracked) as alongside:
            return AnnualReport(session, procedure).build(period, alongside=alongside.ask)

    def _annual_report_as_of(
        self, period: Period, procedure: str, as_of: datetime
    ) -> tuple[dict[str, Any], int, str]:
        from ledger.store.time_travel import read_models_as_of
        from reports.annual import AnnualReport

        session, position = read_models_as_of(self, as_of)
        try:
            document = AnnualReport(session, procedure).build(period)
            document["compliments"]["extracts"] = self._extracts(session, period)
            document["you_said_we_did"] = self.code.you_said_we_did(period, session)
        finally:
            session.close()
        digest = self.chain.hash_at(self.sessions(), position)
        return document, position, digest

    # ------------------------------------- learning and the Code (ledger/learning.py)
    @property
    def code(self) -> CodeService:
        """Learning statements, the Code's self-assessment and ``report code``."""
        from ledger.learning import CodeService

        service: CodeService | None = self.__dict__.get("_code_service")
        if service is None:
            service = self.__dict__["_code_service"] = CodeService(self)
        return service

    # ---------- providers, joint complaints, costs, surveys (ledger/casework.py)
    @property
    def casework(self) -> CaseworkService:
        """The provider, joint complaint, costs and survey of a case (ADR 0039)."""
        from ledger.casework import CaseworkService

        service: CaseworkService | None = self.__dict__.get("_casework_service")
        if service is None:
            service = self.__dict__["_casework_service"] = CaseworkService(self)
        return service

    # ------------------------- linked, merged, split and re-opened (ledger/case_links.py)
    @property
    def case_links(self) -> CaseLinkService:
        """Links between cases, merges, splits, new issues and re-opened stages."""
        from ledger.case_links import CaseLinkService

        service: CaseLinkService | None = self.__dict__.get("_case_link_service")
        if service is None:
            service = self.__dict__["_case_link_service"] = CaseLinkService(self)
        return service

    # ------------ contact registers, subject access requests (ledger/contact_registers.py)
    @property
    def contact_registers(self) -> ContactRegisterService:
        """Restrictions, reasonable adjustments and subject access requests (ADR 0040)."""
        from ledger.contact_registers import ContactRegisterService

        service: ContactRegisterService | None = self.__dict__.get("_contact_register_service")
        if service is None:
            service = self.__dict__["_contact_register_service"] = ContactRegisterService(self)
        return service

    # --------------------------------------------------------------- loading
    def _has_events(self, aggregate_id: UUID) -> bool:
        """Whether anything is recorded under ``aggregate_id``: its first event, its chain
        link checked, without rebuilding the record as ``in self.repository`` does (ADR
        0036: ``show`` of a long case rebuilt it five times)."""
        return bool(self.recorder.select_events(aggregate_id, limit=1))

    def _get(self, aggregate_id: UUID) -> Aggregate | None:
        if self._grouped:
            held = self._group_held(aggregate_id)
            if held is not None:
                return held
        try:
            return self.repository.get(aggregate_id, projector_func=_fold)
        except AggregateNotFoundError:
            return None

    def _complaint(self, ref: str) -> Complaint:
        complaint = self._get(case_id(ref))
        if complaint is None:
            raise errors.UnknownCase(f"no case with reference {ref!r}")
        assert isinstance(complaint, Complaint)
        return complaint

    def require_complaint(self, ref: str, what: str = "the link") -> None:
        """Refuse (:class:`~domain.errors.UnknownCase`) a link to a complaint that is not
        in the ledger; called inside the unit of work that records the link."""
        if not self._has_events(case_id(ref)):
            raise errors.UnknownCase(f"{what}: no complaint with reference {ref!r}")

    def policy_for_today(self) -> ProcedurePolicy:
        """The procedure policy with its day filled in: the settings' fixed day, else
        today (what the rules judge "not in the future" against)."""
        if self.policy.today is None:
            return replace(self.policy, today=date.today())
        return self.policy

    def today(self) -> date:
        """The ledger's day: the settings' fixed day, else today."""
        return self.policy.today or date.today()

    _policy = policy_for_today

    # -------------------------------------------------------------- commands
    def receive(
        self,
        *,
        on: date,
        actor: str,
        ref: str | None = None,
        procedure: str | None = None,
        late_reason: str | None = None,
        personal: dict[str, str | None] | None = None,
        **details: Any,
    ) -> str:
        """Record a complaint's receipt (and triage, when the procedure is known)."""
        policy = self._policy()
        if ref is not None:
            check_reference(ref)
        self._ready_to_seal(personal)

        def work() -> str:
            new_ref, to_save = self._new_case_reference(ref, on, policy)
            complaint = Complaint.receive(ref=new_ref, on=on, actor=actor, policy=policy, **details)
            if procedure is not None:
                complaint.triage(
                    on=on, actor=actor, policy=policy, decision=procedure, late_reason=late_reason
                )
            to_save.append(complaint)
            to_save.extend(self._notes(complaint.id, personal, on, actor))
            self.save(*to_save)
            return new_ref

        return self.unit_of_work(work)

    def _new_case_reference(
        self, ref: str | None, on: date, policy: ProcedurePolicy
    ) -> tuple[str, list[Aggregate]]:
        """The given reference, if no case has it yet, or the next generated one (with
        its sequence, to save in the same transaction)."""
        if ref is None:
            generated, sequence = self._next_reference(on, policy.reference_prefix)
            return generated, [sequence]
        if self._has_events(case_id(ref)):
            raise errors.DuplicateReference(f"case {ref} already exists")
        return ref, []

    def _next_reference(self, on: date, prefix: str) -> tuple[str, ReferenceSequence]:
        """The next free reference for ``prefix`` and the year of ``on``.

        The sequence is saved with the new record, so two writers issuing at once
        conflict on it and one retries: no number is issued twice.
        """
        year = on.year
        sequence = self._reference_sequence(sequence_id(prefix, year))
        if sequence is None:
            sequence = ReferenceSequence.start(prefix, year)
        number = sequence.next_candidate()
        while self._is_taken(format_reference(prefix, year, number)):
            number += 1
        return sequence.issue(number), sequence

    def _reference_sequence(self, sequence: UUID) -> ReferenceSequence | None:
        """The year's reference sequence from its first event and its last only (ADR
        0056): its state is its prefix and year (the first event) and the last number
        issued (the last event: numbers only increase), so the events between change
        nothing a replay would give, and loading it no longer grows with every case
        received in the year (each receive replayed all of them). Each event read has its
        chain link checked as every load does; ``verify`` checks the ones between."""
        if self._grouped:
            held = self._group_held(sequence)
            if held is not None:
                assert isinstance(held, ReferenceSequence)
                return held
        ends = self.recorder.select_ends(sequence)  # type: ignore[attr-defined]
        if not ends:
            return None
        started: Any = self.mapper.to_domain_event(ends[0])
        loaded = started.mutate(None)
        if len(ends) > 1:
            issued: Any = self.mapper.to_domain_event(ends[-1])
            loaded.version = issued.originator_version - 1  # the events between, skipped
            loaded = issued.mutate(loaded)
        assert isinstance(loaded, ReferenceSequence)
        return loaded

    def _is_taken(self, ref: str) -> bool:
        return self._has_events(case_id(ref)) or self._has_events(representation_id(ref))

    def record_representation(
        self,
        prefix: str,
        create: Callable[[str, ProcedurePolicy], Representation],
        *,
        on: date,
        actor: str,
        personal: dict[str, str | None] | None = None,
        then: Callable[[Representation, ProcedurePolicy], None] | None = None,
    ) -> str:
        """Record a new compliment, enquiry, feedback or advocacy referral under the next
        free reference for ``prefix``; ``then`` records what followed straight away."""
        policy = self._policy()
        self._ready_to_seal(personal)

        def work() -> str:
            ref, sequence = self._next_reference(on, prefix)
            record = create(ref, policy)
            if then is not None:
                then(record, policy)
            self.save(sequence, record, *self._notes(record.id, personal, on, actor))
            return ref

        return self.unit_of_work(work)

    def act_on_representation(
        self,
        ref: str,
        kind: type[R],
        command: Callable[[R, ProcedurePolicy], T],
        *,
        on: date | None = None,
        actor: str = "",
        personal: dict[str, str | None] | None = None,
    ) -> T:
        policy = self._policy()
        self._ready_to_seal(personal)

        def work() -> T:
            record = self._get(representation_id(ref))
            if not isinstance(record, kind):
                raise errors.UnknownCase(f"no {kind.KIND} with reference {ref!r}")
            result = command(record, policy)
            self.save(record, *self._notes(record.id, personal, on or date.today(), actor))
            return result

        return self.unit_of_work(work)

    def _notes(
        self, owner: UUID, notes: Mapping[str, str | None] | None, on: date, actor: str
    ) -> list[PersonalDetails]:
        given = {k: v for k, v in (notes or {}).items() if v}
        if not given:
            return []
        record = self._get(personal_details_id(owner))
        if not isinstance(record, PersonalDetails):
            record = PersonalDetails.open(owner)
        for key, note in given.items():
            self._seal(record, key, note, on, actor)
        return [record] if record.pending_events else []

    # ---------------------------------------------------------- personal notes
    def _ready_to_seal(self, notes: Mapping[str, str | None] | None, inside: bool = False) -> None:
        """Before a command that records personal notes writes anything: the key store
        must open (with the right master key, if it has one). ``inside``: asked within
        a unit of work."""
        if not any((notes or {}).values()) or self._keys_ready:
            return
        if not self.keys.exists() and (
            self._has_sealed_notes() if inside else self.read(self._has_sealed_notes)
        ):
            raise errors.KeyStoreUnavailable(
                f"the {self.keys.where} is missing, but the ledger holds notes sealed with "
                "its keys: restore it from its backup before recording personal data"
            )
        self.keys.check_master()
        self._keys_ready = True

    def _seal_free_text(self, objs: Sequence[Any]) -> None:
        """Seal the free text of the cases' pending steps under each case's key (subject
        ``case``), in the step itself: the field keeps the sealed data in a marker
        naming the note ``text:VERSION:FIELD`` it is known by (ADR 0028)."""
        typed: dict[UUID, list[tuple[Any, str, str]]] = {}
        for obj in objs:
            if not isinstance(obj, Complaint):
                continue
            for domain_event in obj.pending_events:
                for name in plaintext_fields(domain_event):
                    typed.setdefault(obj.id, []).append(
                        (domain_event, name, getattr(domain_event, name))
                    )
        if not typed:
            return
        self._group_sealed.update(typed)
        self._ready_to_seal({"text": "-"}, inside=True)
        key_ids = self.keys.keys_for([(str(case), CASE_SUBJECT) for case in typed])
        for case, fields in typed.items():
            key_id = key_ids[(str(case), CASE_SUBJECT)]
            record = personal_details_id(case)
            for domain_event, name, value in fields:
                self._seal_in_step(key_id, record, domain_event, name, value)

    def _seal_in_step(self, key_id: str, record: UUID, step: Any, name: str, value: str) -> None:
        """Seal ``value`` under ``key_id`` into the pending ``step``'s field ``name``: the
        field keeps a marker naming the note ``text:VERSION:FIELD`` (ADR 0028)."""
        key = text_note_key(step.originator_version, name)
        sealed = self.keys.seal(key_id, value, _bound_to(record, key))
        marker = SealedText(key, key_id, sealed.nonce, sealed.ciphertext).marker
        # The step is not recorded yet: what it will hold is the sealed text.
        object.__setattr__(step, name, marker)

    def _seal_words(
        self,
        record: Any,
        owner: UUID,
        subject: str,
        fields: Mapping[type, Sequence[str]],
        key_id: str | None = None,
    ) -> None:
        """Seal the words of a record's pending steps (the ``fields`` of each step type)
        inside the steps: under ``key_id`` when known, else the owner's key of
        ``subject``, made if need be (learning statements, contact registers, subject
        access requests)."""
        bound_to = personal_details_id(record.id)
        for step in record.pending_events:
            for name in fields.get(type(step), ()):
                value = getattr(step, name)
                if not isinstance(value, str) or marked_note(value) is not None:
                    continue
                check_text(name, value)
                if key_id is None:
                    key_id = self.keys.key_for(str(owner), subject)
                self._seal_in_step(key_id, bound_to, step, name, value)

    def _typed_texts(self, case: UUID) -> list[tuple[Any, SealedNote]]:
        """The text typed into the case's steps and sealed in them (ADR 0028), as notes
        of the case: each with the step that holds it."""
        found = []
        step: Any
        for step in self.events.get(case):
            for _name, sealed in sealed_texts(step):
                note = SealedNote(
                    sealed.key,
                    CASE_SUBJECT,
                    sealed.key_id,
                    sealed.nonce,
                    sealed.ciphertext,
                    step.on,
                    step.actor,
                )
                found.append((step, note))
        return found

    def _has_sealed_notes(self) -> bool:
        """Whether any note or step holds text sealed with the key store's keys (asked
        only when the key store is missing: the scan for sealed steps reads the log)."""
        events = events_table(self)
        session = self.sessions()
        if session.get_bind().dialect.name == "sqlite":  # SQLite's LIKE skips a BLOB
            sealed_step = func.instr(events.c.state, SEALED_STEP_MARK) > 0
        else:
            sealed_step = events.c.state.like(b"%" + SEALED_STEP_MARK + b"%")
        found = session.execute(
            select(events.c.originator_id)
            .where((events.c.topic == get_topic(PersonalDetails.NoteSealed)) | sealed_step)
            .limit(1)
        ).first()
        return found is not None

    def _seal(self, record: PersonalDetails, key: str, note: str, on: date, actor: str) -> None:
        """Record ``note`` under ``key``, sealed with its subject's key; nothing if the
        note already says exactly that."""
        if record.notes.get(key) == note:
            return
        current = record.sealed.get(key)
        if current is not None and self._open(record.id, current) == note:
            return
        bound = _bound_to(record.id, key)
        key_id = self.keys.key_for(str(record.case_id), note_subject(key))
        sealed = self.keys.seal(key_id, note, bound)
        record.note_sealed(
            key=key,
            key_id=key_id,
            nonce=sealed.nonce,
            ciphertext=sealed.ciphertext,
            on=on,
            actor=actor,
        )

    def _open(self, record: UUID, note: SealedNote) -> str | None:
        """A sealed note's text (a note of the personal details ``record``, or text
        sealed in a step of its case), or ``None`` when its key has been destroyed."""
        from ledger.store.keystore import Sealed

        return self.keys.open(
            note.key_id, Sealed(note.nonce, note.ciphertext), _bound_to(record, note.key)
        )

    def _read_notes(
        self, record: PersonalDetails, erasure: Callable[[str], Any] | None = None
    ) -> dict[str, str]:
        """Every current note of ``record`` as text; an erased one says when and by whom."""
        texts = dict(record.notes)
        for key, note in record.sealed.items():
            texts[key] = self._note_text(record.id, note, erasure)[0]
        return texts

    def _note_text(
        self,
        record: UUID,
        note: SealedNote,
        erasure: Callable[[str], Any] | None,
    ) -> tuple[str, Any]:
        """The note's text and ``None``; or, erased, what says so and the erasure."""
        erased = erasure(note.subject) if erasure is not None else None
        if erased is not None:
            try:
                plain = self._open(record, note)
            except errors.KeyStoreUnavailable:
                plain = None
            if plain is None:
                return f"erased on {erased.on.isoformat()} by {erased.actor}", erased
            return plain, None
        plain = self._open(record, note)
        if plain is None:
            raise errors.KeyStoreUnavailable(
                f"the key of {note.subject} (key {note.key_id}) is not in the "
                f"{self.keys.where}, and no erasure was recorded: restore the key store "
                "from its backup"
            )
        return plain, None

    def record_compliment(self, *, on: date, actor: str, **details: Any) -> str:
        personal = {"compliment": details.pop("text", None), "from": details.pop("from_name", None)}
        return self.record_representation(
            COMPLIMENT_PREFIX,
            lambda ref, policy: Compliment.receive(
                ref=ref, on=on, actor=actor, policy=policy, **details
            ),
            on=on,
            actor=actor,
            personal=personal,
        )

    def record_enquiry(
        self, *, on: date, actor: str, responded_on: date | None = None, **details: Any
    ) -> str:
        def answered(enquiry: Representation, policy: ProcedurePolicy) -> None:
            if responded_on is not None:
                assert isinstance(enquiry, Enquiry)
                enquiry.respond(on=responded_on, actor=actor, policy=policy)

        return self.record_representation(
            ENQUIRY_PREFIX,
            lambda ref, policy: Enquiry.receive(
                ref=ref, on=on, actor=actor, policy=policy, **details
            ),
            on=on,
            actor=actor,
            then=answered,
        )

    def publish_compliment(self, ref: str, *, on: date, actor: str, extract: str) -> None:
        """Approve a compliment for quoting, with the extract to quote (names removed)."""
        if not extract.strip():
            raise errors.BadData("give the extract to quote")

        def approve(compliment: Compliment, policy: ProcedurePolicy) -> None:
            notes = self._get(personal_details_id(compliment.id))
            names = (
                self._read_notes(notes).get("from", "")
                if isinstance(notes, PersonalDetails)
                else ""
            )
            name = named_in(extract, names)
            if name is not None:
                raise errors.BadData(
                    f"the extract names {name!r}: remove names before it is published"
                )
            compliment.approve_for_publication(on=on, actor=actor, policy=policy)

        self.act_on_representation(
            ref, Compliment, approve, on=on, actor=actor, personal={"extract": extract}
        )

    def compliment_extracts(self, period: Period) -> list[dict[str, Any]]:
        """Extracts of the period's compliments approved for publication (names removed)."""
        return self.read(lambda: self._extracts(self.sessions(), period))

    def _extracts(self, models: Session, period: Period) -> list[dict[str, Any]]:
        """Extracts for the compliments that the read models in ``models`` mark
        publishable; the words come from the personal details."""
        rep = read_models.representations
        rows = models.execute(
            select(rep.c.ref, rep.c.team)
            .where(
                rep.c.kind == "compliment",
                rep.c.publishable.is_(True),
                rep.c.received_on >= period.start,
                rep.c.received_on <= period.end,
            )
            .order_by(rep.c.received_on, rep.c.ref)
        ).all()
        extracts = []
        for row in rows:
            notes = self._get(personal_details_id(representation_id(row.ref)))
            if not isinstance(notes, PersonalDetails):
                continue
            try:
                extract = self._read_notes(notes).get("extract")
            except errors.KeyStoreUnavailable:
                # The figures stand without the key store; the quotes need it.
                continue
            if extract:
                extracts.append({"ref": row.ref, "team": row.team, "extract": extract})
        return extracts

    def respond_to_enquiry(self, ref: str, *, on: date, actor: str) -> None:
        self.act_on_representation(
            ref, Enquiry, lambda e, policy: e.respond(on=on, actor=actor, policy=policy)
        )

    def amend_representation(
        self,
        ref: str,
        kind: type[Representation],
        *,
        on: date,
        actor: str,
        field: str,
        value: object,
        reason: str,
    ) -> None:
        """Correct a recorded detail of the compliment, enquiry, feedback or advocacy
        referral ``ref`` (of ``kind``)."""
        self.act_on_representation(
            ref,
            kind,
            lambda record, policy: record.amend(
                on=on, actor=actor, policy=policy, field=field, value=value, reason=reason
            ),
        )

    def record_feedback(
        self,
        *,
        on: date,
        actor: str,
        kind: str = "initial-feedback",
        service_area: str | None = None,
        team: str | None = None,
        channel: str | None = None,
        summary: str | None = None,
        resolved_on: date | None = None,
    ) -> str:
        """Record initial feedback (resolved on ``resolved_on``, if already), its
        ``summary`` sealed as a personal note; its reference."""

        def resolved(record: Representation, policy: ProcedurePolicy) -> None:
            if resolved_on is not None:
                assert isinstance(record, InitialFeedback)
                record.resolve(on=resolved_on, actor=actor, policy=policy)

        return self.record_representation(
            FEEDBACK_PREFIX,
            lambda ref, policy: InitialFeedback.receive(
                ref=ref,
                on=on,
                actor=actor,
                policy=policy,
                kind=kind,
                service_area=service_area,
                team=team,
                channel=channel,
            ),
            on=on,
            actor=actor,
            personal={"summary": summary},
            then=resolved,
        )

    def resolve_feedback(self, ref: str, *, on: date, actor: str) -> None:
        """Initial feedback was resolved without a formal complaint."""
        self.act_on_representation(
            ref, InitialFeedback, lambda f, policy: f.resolve(on=on, actor=actor, policy=policy)
        )

    def refer_to_advocacy(
        self,
        *,
        on: date,
        actor: str,
        age_band: str | None = None,
        theme: str | None = None,
        service_area: str | None = None,
        team: str | None = None,
        complaint_ref: str | None = None,
    ) -> str:
        """Record a referral to the advocacy service (and the complaint it led to, which
        must be in the ledger); its reference."""

        def refer(ref: str, policy: ProcedurePolicy) -> AdvocacyReferral:
            if complaint_ref is not None:
                self.require_complaint(complaint_ref, "--complaint")
            return AdvocacyReferral.refer(
                ref=ref,
                on=on,
                actor=actor,
                policy=policy,
                age_band=age_band,
                theme=theme,
                service_area=service_area,
                team=team,
                complaint_ref=complaint_ref,
            )

        return self.record_representation(ADVOCACY_PREFIX, refer, on=on, actor=actor)

    def link_advocacy(self, ref: str, *, on: date, actor: str, complaint_ref: str) -> None:
        """The complaint an advocacy referral led to (it must be in the ledger)."""

        def link(referral: AdvocacyReferral, policy: ProcedurePolicy) -> None:
            self.require_complaint(complaint_ref, "--complaint")
            referral.link_complaint(on=on, actor=actor, policy=policy, complaint_ref=complaint_ref)

        self.act_on_representation(ref, AdvocacyReferral, link)

    def convert_feedback(
        self,
        feedback_ref: str,
        *,
        on: date,
        actor: str,
        ref: str | None = None,
        procedure: str | None = None,
        **details: Any,
    ) -> str:
        """Turn initial feedback into a formal complaint; each history names the other."""
        policy = self._policy()
        if ref is not None:
            check_reference(ref)

        def work() -> str:
            feedback = self._get(representation_id(feedback_ref))
            if not isinstance(feedback, InitialFeedback):
                raise errors.UnknownCase(f"no feedback with reference {feedback_ref!r}")
            new_ref, to_save = self._new_case_reference(ref, on, policy)
            details.setdefault("service_area", feedback.service_area)
            details.setdefault("team", feedback.team)
            details.setdefault("channel", feedback.channel)
            complaint = Complaint.receive(
                ref=new_ref,
                on=on,
                actor=actor,
                policy=policy,
                from_feedback=feedback_ref,
                **details,
            )
            if procedure is not None:
                complaint.triage(on=on, actor=actor, policy=policy, decision=procedure)
            feedback.become_complaint(on=on, actor=actor, policy=policy, complaint_ref=new_ref)
            self.save(*to_save, complaint, feedback)
            return new_ref

        return self.unit_of_work(work)

    def act(
        self,
        ref: str,
        command: Callable[[Complaint, ProcedurePolicy], T],
        *,
        notes: Mapping[str, str | None] | None = None,
        on: date | None = None,
        actor: str = "",
    ) -> T:
        """Run one domain command on case ``ref`` and record what it decided, with the
        personal ``notes`` given (key -> text; a blank text records nothing), in one unit
        of work.

        The helper of the named use cases below (ADR 0029), which are what the command
        line calls; tests and benchmarks may use it to run any domain command."""
        policy = self._policy()
        self._ready_to_seal(notes)

        def work() -> T:
            complaint = self._complaint(ref)
            result = command(complaint, policy)
            to_save: list[Aggregate] = [complaint]
            to_save.extend(self._notes(complaint.id, notes, on or date.today(), actor))
            self.save(*to_save)
            return result

        return self.unit_of_work(work)

    # ------------------------------------------------ the steps of a complaint
    # One use case per recording command of a complaint (ADR 0029): each names the
    # domain command it runs and takes its arguments by name and type.
    def triage(
        self,
        ref: str,
        *,
        on: date,
        actor: str,
        decision: str,
        reason: str | None = None,
        late_reason: str | None = None,
    ) -> None:
        """Triage a received complaint into a procedure, or out of it."""
        self.act(
            ref,
            lambda complaint, policy: complaint.triage(
                on=on,
                actor=actor,
                policy=policy,
                decision=decision,
                reason=reason,
                late_reason=late_reason,
            ),
        )

    def acknowledge(self, ref: str, *, on: date, actor: str) -> None:
        """The complaint (at its current stage) was acknowledged."""
        self.act(
            ref, lambda complaint, policy: complaint.acknowledge(on=on, actor=actor, policy=policy)
        )

    def withdraw(self, ref: str, *, on: date, actor: str, reason: str | None = None) -> None:
        """The complainant withdrew; the case ends at its current stage."""
        self.act(
            ref,
            lambda complaint, policy: complaint.withdraw(
                on=on, actor=actor, policy=policy, reason=reason
            ),
        )

    def suspend(
        self, ref: str, *, on: date, actor: str, reason: str, until: date | None = None
    ) -> None:
        """Put the case on hold (with ``until``, a hold already over)."""
        self.act(
            ref,
            lambda complaint, policy: complaint.suspend(
                on=on, actor=actor, policy=policy, reason=reason, until=until
            ),
        )

    def resume(self, ref: str, *, on: date, actor: str) -> None:
        """Take the case off hold."""
        self.act(ref, lambda complaint, policy: complaint.resume(on=on, actor=actor, policy=policy))

    def offer_advocate(self, ref: str, *, on: date, actor: str) -> None:
        """An advocate was offered."""
        self.act(
            ref,
            lambda complaint, policy: complaint.offer_advocate(on=on, actor=actor, policy=policy),
        )

    def answer_advocate_offer(self, ref: str, *, on: date, actor: str, accepted: bool) -> None:
        """The offer of an advocate was taken up (``accepted``) or declined."""
        self.act(
            ref,
            lambda complaint, policy: complaint.answer_advocate_offer(
                on=on, actor=actor, policy=policy, accepted=accepted
            ),
        )

    def amend(
        self, ref: str, *, on: date, actor: str, field: str, value: object, reason: str
    ) -> None:
        """Correct a recorded detail (``field``: an amendable detail's name)."""
        self.act(
            ref,
            lambda complaint, policy: complaint.amend(
                on=on, actor=actor, policy=policy, field=field, value=value, reason=reason
            ),
        )

    def record_profile(
        self,
        ref: str,
        *,
        on: date,
        actor: str,
        age_band: str | None = None,
        ethnicity: str | None = None,
        disability: str | None = None,
    ) -> None:
        """Record (or replace) the complainant's equality-monitoring profile."""
        self.act(
            ref,
            lambda complaint, policy: complaint.record_profile(
                on=on,
                actor=actor,
                policy=policy,
                age_band=age_band,
                ethnicity=ethnicity,
                disability=disability,
            ),
        )

    def extend(
        self, ref: str, *, on: date, actor: str, reason: str, working_days: int | None = None
    ) -> None:
        """Extend the current stage's deadline."""
        self.act(
            ref,
            lambda complaint, policy: complaint.extend(
                on=on, actor=actor, policy=policy, reason=reason, working_days=working_days
            ),
        )

    def respond(
        self,
        ref: str,
        *,
        on: date,
        actor: str,
        outcome: str,
        stage: int | None = None,
        remedies: list[str] | None = None,
    ) -> None:
        """The response that ends the current stage, with its outcome and remedies."""
        self.act(
            ref,
            lambda complaint, policy: complaint.respond(
                on=on, actor=actor, policy=policy, outcome=outcome, stage=stage, remedies=remedies
            ),
        )

    def escalate(self, ref: str, *, on: date, actor: str, late_reason: str | None = None) -> None:
        """The complainant asked for the next stage."""
        self.act(
            ref,
            lambda complaint, policy: complaint.escalate(
                on=on, actor=actor, policy=policy, late_reason=late_reason
            ),
        )

    def assign_handler(self, ref: str, *, on: date, actor: str, officer: str) -> None:
        """The officer (by staff register id) handling the current stage."""
        self.act(
            ref,
            lambda complaint, policy: complaint.assign_handler(
                on=on, actor=actor, policy=policy, officer=officer
            ),
        )

    def appoint(
        self,
        ref: str,
        *,
        on: date,
        actor: str,
        role: str,
        person: str,
        internal: bool = False,
        name: str | None = None,
    ) -> None:
        """Appoint an investigator, independent person or panel member by register id;
        their ``name``, if given, is sealed as the personal note ``person:ID``."""
        self.act(
            ref,
            lambda complaint, policy: complaint.appoint(
                on=on, actor=actor, policy=policy, role=role, person=person, internal=internal
            ),
            notes={f"person:{person}": name},
            on=on,
            actor=actor,
        )

    def agree_statement(self, ref: str, *, on: date, actor: str, points: int) -> None:
        """The Stage 2 statement of complaint was agreed, with its number of points."""
        self.act(
            ref,
            lambda complaint, policy: complaint.agree_statement(
                on=on, actor=actor, policy=policy, points=points
            ),
        )

    def record_finding(self, ref: str, *, on: date, actor: str, point: int, finding: str) -> None:
        """The investigation's or the panel's finding on a point of the statement."""
        self.act(
            ref,
            lambda complaint, policy: complaint.record_finding(
                on=on, actor=actor, policy=policy, point=point, finding=finding
            ),
        )

    def hold_panel(self, ref: str, *, on: date, actor: str, report_on: date | None = None) -> None:
        """The Stage 3 review panel met (and, with ``report_on``, reported), in one unit
        of work."""

        def meet_and_report(complaint: Complaint, policy: ProcedurePolicy) -> None:
            complaint.hold_panel(on=on, actor=actor, policy=policy)
            if report_on is not None:
                complaint.report_panel(on=report_on, actor=actor, policy=policy)

        self.act(ref, meet_and_report)

    def report_panel(self, ref: str, *, on: date, actor: str) -> None:
        """The review panel's chair issued its report."""
        self.act(
            ref, lambda complaint, policy: complaint.report_panel(on=on, actor=actor, policy=policy)
        )

    def offer_dispute_resolution(self, ref: str, *, on: date, actor: str, method: str) -> None:
        """Alternative dispute resolution was offered."""
        self.act(
            ref,
            lambda complaint, policy: complaint.offer_dispute_resolution(
                on=on, actor=actor, policy=policy, method=method
            ),
        )

    def conclude_dispute_resolution(
        self, ref: str, *, on: date, actor: str, resolved: bool
    ) -> None:
        """Its result; ``resolved`` ends the case there."""
        self.act(
            ref,
            lambda complaint, policy: complaint.conclude_dispute_resolution(
                on=on, actor=actor, policy=policy, resolved=resolved
            ),
        )

    def recommend(
        self,
        ref: str,
        *,
        on: date,
        actor: str,
        text: str,
        recommendation_id: str | None = None,
        stage: str | None = None,
        theme: str | None = None,
    ) -> str:
        """Record a recommendation, its ``text`` sealed as the personal note
        ``recommendation:ID`` under the id it was given; that id."""
        policy = self._policy()
        self._ready_to_seal({"recommendation": text})

        def work() -> str:
            complaint = self._complaint(ref)
            made = complaint.recommend(
                on=on,
                actor=actor,
                policy=policy,
                recommendation_id=recommendation_id,
                stage=stage,
                theme=theme,
            )
            notes = self._notes(complaint.id, {f"recommendation:{made}": text}, on, actor)
            self.save(complaint, *notes)
            return made

        return self.unit_of_work(work)

    def decide_recommendation(
        self,
        ref: str,
        *,
        on: date,
        actor: str,
        recommendation_id: str,
        accepted: bool,
        owner: str | None = None,
        due: date | None = None,
        reason: str | None = None,
    ) -> None:
        """The council accepted (with an owner and a due date) or rejected (with a reason)
        a recommendation."""
        self.act(
            ref,
            lambda complaint, policy: complaint.decide_recommendation(
                on=on,
                actor=actor,
                policy=policy,
                recommendation_id=recommendation_id,
                accepted=accepted,
                owner=owner,
                due=due,
                reason=reason,
            ),
        )

    def complete_recommendation(
        self,
        ref: str,
        *,
        on: date,
        actor: str,
        recommendation_id: str,
        evidence: str | None = None,
    ) -> None:
        """An accepted recommendation's action is done."""
        self.act(
            ref,
            lambda complaint, policy: complaint.complete_recommendation(
                on=on,
                actor=actor,
                policy=policy,
                recommendation_id=recommendation_id,
                evidence=evidence,
            ),
        )

    def compensate(
        self,
        ref: str,
        *,
        on: date,
        actor: str,
        amount: Decimal,
        reason: str | None = None,
        stage: str | None = None,
    ) -> None:
        """Compensation agreed at a stage, or the Ombudsman's after a decision."""
        self.act(
            ref,
            lambda complaint, policy: complaint.compensate(
                on=on, actor=actor, policy=policy, amount=amount, reason=reason, stage=stage
            ),
        )

    def open_ombudsman_enquiry(
        self, ref: str, *, on: date, actor: str, ombudsman_ref: str | None = None
    ) -> None:
        """The Ombudsman opened an enquiry about the case."""
        self.act(
            ref,
            lambda complaint, policy: complaint.open_ombudsman_enquiry(
                on=on, actor=actor, policy=policy, ombudsman_ref=ombudsman_ref
            ),
        )

    def record_ombudsman_decision(
        self,
        ref: str,
        *,
        on: date,
        actor: str,
        decision: str,
        remedies: list[str] | None = None,
        due: date | None = None,
        satisfactory_remedy: bool = False,
    ) -> None:
        """The Ombudsman's decision, the remedies it requires and their due date."""
        self.act(
            ref,
            lambda complaint, policy: complaint.record_ombudsman_decision(
                on=on,
                actor=actor,
                policy=policy,
                decision=decision,
                remedies=remedies,
                due=due,
                satisfactory_remedy=satisfactory_remedy,
            ),
        )

    def comply_with_ombudsman(self, ref: str, *, on: date, actor: str) -> None:
        """The council complied with the Ombudsman's decision."""
        self.act(
            ref,
            lambda complaint, policy: complaint.comply_with_ombudsman(
                on=on, actor=actor, policy=policy
            ),
        )

    def void(self, ref: str, *, version: int, on: date, actor: str, reason: str) -> None:
        """Mark the step recorded at ``version`` of case ``ref`` as recorded in error."""
        self.act(
            ref,
            lambda complaint, policy: complaint.void(
                on=on, actor=actor, policy=policy, version=version, reason=reason
            ),
        )

    # --------------------------------------------------------------- queries
    def names_in_use(self, kind: str) -> list[NameInUse]:
        """The teams (``team``) or service areas (``service-area``) recorded, with counts."""
        return self.query(lambda session: names_in_use(session, kind))

    def _identities(self, ref: str) -> list[tuple[UUID, str]]:
        """Where a record with reference ``ref`` may be, most likely first (the prefix
        tells the kind), each with the name used when nothing is there."""
        kind = kind_of_reference(ref)
        complaint = (case_id(ref), "case")
        from domain.contact_registers import ACCESS_REQUEST_PREFIX, access_request_id

        if ref.startswith(f"{ACCESS_REQUEST_PREFIX}-"):  # its access log (ADR 0044)
            return [(access_request_id(ref), "subject access request"), complaint]
        if kind is None:
            return [complaint, (representation_id(ref), "case")]
        return [(representation_id(ref), kind.KIND), complaint]

    def _locate(self, ref: str) -> UUID:
        """The aggregate id of the complaint or representation with reference ``ref``."""
        candidates = self._identities(ref)
        for identity, _ in candidates:
            if self._has_events(identity):
                return identity
        raise errors.UnknownCase(f"no {candidates[0][1]} with reference {ref!r}")

    def record(self, ref: str, as_of: datetime | None = None) -> Complaint | Representation:
        """The complaint, compliment, enquiry, feedback or advocacy referral with reference
        ``ref``; with ``as_of``, rebuilt from only the events recorded by then."""

        def work() -> Complaint | Representation:
            identity = self._locate(ref)
            if as_of is None:
                found = self._get(identity)
            else:
                found = None
                for domain_event in self._events_as_of(identity, as_of):
                    found = domain_event.mutate(found)
                if found is None:
                    from ledger.store.time_travel import moment_text

                    kind = self._identities(ref)[0][1]
                    later = len(self._events_as_of(identity, None))
                    raise errors.UnknownCase(
                        f"{ref}: nothing recorded by {moment_text(as_of)}; "
                        f"{steps(later)} recorded later"
                        if later
                        else f"no {kind} with reference {ref!r}"
                    )
            assert isinstance(found, Complaint | Representation)
            return found

        return self.read(work)

    def complaint(self, ref: str, as_of: datetime | None = None) -> Complaint:
        found = self.record(ref, as_of)
        if not isinstance(found, Complaint):
            raise errors.UnknownCase(f"{ref} is a {type(found).KIND}, not a complaint")
        return found

    def personal_details(
        self, ref: str, record: Complaint | Representation | None = None
    ) -> dict[str, str]:
        """The personal notes kept apart from the record with reference ``ref``, as text
        (opened with the key store); an erased note says when and by whom it was erased.
        ``record``: the record itself, when the caller has just loaded it (not loaded
        again)."""

        def work() -> dict[str, str]:
            identity = self._locate(ref) if record is None else record.id
            notes_id = personal_details_id(identity)
            details = self._get(notes_id)
            found = self._get(identity) if record is None else record
            texts: dict[str, str] = {}
            if isinstance(details, PersonalDetails):
                erasure = found.erasure_of if isinstance(found, Complaint) else None
                texts = self._read_notes(details, erasure)
            if isinstance(found, Complaint):
                for _step, note in self._typed_texts(identity):
                    texts[note.key] = self._note_text(notes_id, note, found.erasure_of)[0]
            return texts

        return self.read(work)

    def personal_notes(self, ref: str, subject: str = "all") -> list[dict[str, Any]]:
        """Every personal note ever recorded for the case about ``subject`` (``all``: about
        anyone), each version with its date, author and text (or when it was erased).
        ``complainant`` and ``child`` include the notes about the case as a whole."""
        subject = check_subject(subject)

        def work() -> list[dict[str, Any]]:
            complaint = self._complaint(ref)
            if subject.startswith("person:") and subject[7:] not in complaint.appointed_people:
                raise errors.UnknownSubject(
                    f"nobody with register id {subject[7:]!r} was appointed to case {ref}"
                )
            wanted = {subject, CASE_SUBJECT} if subject in ("complainant", "child") else {subject}
            notes_id = personal_details_id(complaint.id)
            record: Any = None
            found: list[dict[str, Any]] = []

            def note(key: str, about: str, step: Any, text: str, erased: Any) -> None:
                found.append(
                    {
                        "key": key,
                        "subject": about,
                        "on": step.on,
                        "actor": step.actor,
                        "recorded_at": step.timestamp,
                        "text": text,
                        "erased": None
                        if erased is None
                        else {"on": erased.on, "actor": erased.actor, "basis": erased.basis},
                    }
                )

            for domain_event in self.events.get(notes_id):
                record = domain_event.mutate(record)  # type: ignore[attr-defined]
                if isinstance(domain_event, PersonalDetails.Noted):
                    about = note_subject(domain_event.key)
                    if subject == "all" or about in wanted:
                        note(domain_event.key, about, domain_event, domain_event.text, None)
                elif isinstance(domain_event, PersonalDetails.NoteSealed):
                    about = domain_event.subject
                    if subject == "all" or about in wanted:
                        text, erased = self._note_text(
                            notes_id, record.sealed[domain_event.key], complaint.erasure_of
                        )
                        note(domain_event.key, about, domain_event, text, erased)
            if subject == "all" or CASE_SUBJECT in wanted:
                for step, sealed in self._typed_texts(complaint.id):
                    text, erased = self._note_text(notes_id, sealed, complaint.erasure_of)
                    note(sealed.key, CASE_SUBJECT, step, text, erased)
            found.sort(key=lambda n: n["recorded_at"])
            return found

        return self.read(work)

    def backup_keys(self, out: Path) -> int:
        """Copy every key of the key store, as stored (wrapped under the master key if
        it has one), into a new SQLite key-store file ``out``; how many."""
        if out.exists():
            raise errors.BadData(f"{out} already exists: a key backup goes to a new file")
        from ledger.store.keystore import KeyStore

        rows, check = self.keys.rows()
        backup = KeyStore.file(out)
        try:
            return backup.add_rows(rows, check)
        finally:
            backup.close()

    def restore_keys(self, source: Path) -> tuple[int, int]:
        """Add the keys of the key-store file ``source`` that this key store lacks, but
        never a key whose erasure the ledger records: (added, left out as erased)."""
        if not source.is_file():
            raise errors.BadData(f"no key-store file {source}")
        from ledger.store.keystore import KeyStore

        backup = KeyStore.file(source)
        try:
            rows, check = backup.rows()
        finally:
            backup.close()

        def erased(owners: set[str]) -> dict[str, Complaint]:
            found = {}
            for owner in owners:
                record = self._get(UUID(owner))
                if isinstance(record, Complaint) and record.erasures:
                    found[owner] = record
            return found

        cases = self.read(lambda: erased({str(r["owner"]) for r in rows}))
        kept = [
            r
            for r in rows
            if r["owner"] not in cases or cases[r["owner"]].erasure_of(r["subject"]) is None
        ]
        return self.keys.add_rows(kept, check), len(rows) - len(kept)

    # ------------------------------------------------------------------- retention
    def retention(self, as_of: date) -> list[Retention]:
        """Every complaint's standing under the council's retention schedule on ``as_of``,
        by reference."""
        from domain.retention import retention
        from projections.tables import cases

        schedule = self.policy.retention

        def work() -> list[Retention]:
            found = []
            rows = self.sessions().execute(
                select(cases.c.case_id, cases.c.ref).order_by(cases.c.ref)
            )
            for identity, _ref in rows.all():
                complaint = self._get(UUID(str(identity)))
                if isinstance(complaint, Complaint):
                    found.append(retention(complaint, schedule, as_of))
            return found

        return self.read(work)

    def place_hold(self, ref: str, *, on: date, actor: str, reason: str) -> None:
        self.act(
            ref,
            lambda complaint, policy: complaint.place_hold(
                on=on, actor=actor, policy=policy, reason=reason
            ),
        )

    def lift_hold(self, ref: str, *, on: date, actor: str, reason: str) -> None:
        self.act(
            ref,
            lambda complaint, policy: complaint.lift_hold(
                on=on, actor=actor, policy=policy, reason=reason
            ),
        )

    # ------------------------------------------------------------------ access log
    def record_access(self, refs: Sequence[str], *, actor: str, purpose: str) -> None:
        """Append to the access log that ``actor`` opened the personal data of each of
        ``refs`` (complaints or other records) for ``purpose``."""
        wanted = list(dict.fromkeys(refs))
        if not wanted:
            return
        on = self._policy().today or date.today()

        def work() -> None:
            logs: list[AccessLog] = []
            for ref in wanted:
                owner = self._locate(ref)
                log = self._get(access_log_id(owner))
                if not isinstance(log, AccessLog):
                    log = AccessLog.open(owner, ref)
                log.read(on=on, actor=actor, purpose=purpose)
                logs.append(log)
            self.save(*logs)

        self.unit_of_work(work)

    def access_log(
        self, ref: str | None = None, actor: str | None = None, since: date | None = None
    ) -> list[dict[str, Any]]:
        """The access log's entries, oldest first: when, who, which record, what for."""
        events = events_table(self)
        read_topic = f"{AccessLog.Read.__module__}:{AccessLog.Read.__qualname__}"

        def work() -> list[dict[str, Any]]:
            question = select(
                events.c.id, events.c.originator_id, events.c.originator_version, events.c.state
            ).where(events.c.topic == read_topic)
            if ref is not None:
                question = question.where(
                    events.c.originator_id == access_log_id(self._locate(ref))
                )
            refs: dict[str, str] = {}
            found = []
            for row in self.sessions().execute(question.order_by(events.c.id)):
                stored = StoredEvent(
                    originator_id=UUID(str(row.originator_id)),
                    originator_version=row.originator_version,
                    topic=read_topic,
                    state=bytes(row.state),
                )
                entry: Any = self.mapper.to_domain_event(stored)
                if actor is not None and entry.actor != actor:
                    continue
                if since is not None and entry.on < since:
                    continue
                owner = str(row.originator_id)
                if owner not in refs:
                    log = self._get(UUID(owner))
                    refs[owner] = log.ref if isinstance(log, AccessLog) else owner
                found.append(
                    {
                        "position": row.id,
                        "on": entry.on,
                        "at": entry.timestamp,
                        "actor": entry.actor,
                        "ref": refs[owner],
                        "purpose": entry.purpose,
                    }
                )
            return found

        return self.read(work)

    def plaintext_free_text(self) -> list[dict[str, Any]]:
        """Steps recorded before free text was sealed that still hold it in plain text,
        and personal notes recorded before notes were sealed: case, version, step and
        fields, in the order recorded. They stay as they are (history is never rewritten)."""
        from domain.personal import FREE_TEXT
        from projections.tables import cases

        topics = {f"{cls.__module__}:{cls.__qualname__}": cls for cls in FREE_TEXT}
        noted = "domain.personal:PersonalDetails.Noted"
        events = events_table(self)

        def work() -> list[dict[str, Any]]:
            session = self.sessions()
            rows = session.execute(
                select(
                    events.c.originator_id,
                    events.c.originator_version,
                    events.c.topic,
                    events.c.state,
                )
                .where(events.c.topic.in_([*topics, noted]))
                .order_by(events.c.id)
            ).all()
            refs = {
                str(case): ref
                for case, ref in session.execute(select(cases.c.case_id, cases.c.ref))
            }
            owners: dict[str, str] = {}
            found: list[dict[str, Any]] = []
            for row in rows:
                stored = StoredEvent(
                    originator_id=UUID(str(row.originator_id)),
                    originator_version=row.originator_version,
                    topic=row.topic,
                    state=bytes(row.state),
                )
                domain_event = self.mapper.to_domain_event(stored)
                identity = str(row.originator_id)
                if row.topic == noted:
                    if identity not in owners:
                        details = self._get(UUID(identity))
                        owners[identity] = (
                            str(details.case_id) if isinstance(details, PersonalDetails) else ""
                        )
                    owner, fields = owners[identity], [f"note {getattr(domain_event, 'key', '')}"]
                else:
                    owner, fields = identity, plaintext_fields(domain_event)
                if fields:
                    found.append(
                        {
                            "case": refs.get(owner, owner),
                            "version": row.originator_version,
                            "type": row.topic.rsplit(".", 1)[-1],
                            "on": getattr(domain_event, "on", None),
                            "fields": fields,
                        }
                    )
            return found

        return self.read(work)

    def erase(self, ref: str, *, subject: str, on: date, actor: str, basis: str) -> None:
        """Destroy ``subject``'s keys for case ``ref`` and record the erasure on the case.

        The keys go first: if the erasure's event then fails to be written, running the
        command again finds no keys left and records it. Events are never changed."""
        policy = self._policy()

        def check() -> tuple[UUID, bool]:
            complaint = self._complaint(ref)
            complaint.erase(on=on, actor=actor, policy=policy, subject=subject, basis=basis)
            details = self._get(personal_details_id(complaint.id))
            sealed = isinstance(details, PersonalDetails) and bool(details.sealed)
            learnt = self.code.sealed_for_case(ref)  # learning statements' words (ADR 0030)
            # Its contact register (ADR 0040).
            learnt = learnt or self.contact_registers.sealed_for_case(ref)
            return complaint.id, sealed or learnt or bool(self._typed_texts(complaint.id))

        owner, sealed = self.read(check)
        if sealed:
            self.keys.destroy(str(owner), None if subject == "all" else [subject])
        self.act(
            ref,
            lambda complaint, policy: complaint.erase(
                on=on, actor=actor, policy=policy, subject=subject, basis=basis
            ),
        )

    def record_subject_access(self, ref: str, *, subject: str, on: date, actor: str) -> None:
        self.act(
            ref,
            lambda complaint, policy: complaint.give_subject_access(
                on=on, actor=actor, policy=policy, subject=subject
            ),
        )

    def _events_as_of(self, aggregate_id: UUID, as_of: datetime | None) -> list[Any]:
        events = list(self.events.get(aggregate_id))
        if as_of is not None:
            events = [e for e in events if e.timestamp <= as_of]  # type: ignore[attr-defined]
        return events

    def history(self, ref: str, as_of: datetime | None = None) -> list[RecordedEvent]:
        """The record's events in order, as recorded (only those recorded by ``as_of``):
        a complaint's, or a compliment's, enquiry's, feedback's or advocacy referral's."""

        def work() -> list[RecordedEvent]:
            events = self._events_as_of(self._locate(ref), as_of)
            voidings = {e.voided_version: e for e in events if isinstance(e, Complaint.StepVoided)}
            return [_recorded(e, voidings.get(e.originator_version)) for e in events]

        return self.read(work)


_HIDDEN_FIELDS = {"originator_id", "originator_version", "timestamp", "originator_topic"}


def _recorded(domain_event: Any, voiding: Any = None) -> RecordedEvent:
    """A step as history shows it: text sealed in it is shown by its note's key alone."""
    state = dict(vars(domain_event))
    data = {
        k: shown_marker(v) for k, v in state.items() if k not in _HIDDEN_FIELDS | {"on", "actor"}
    }
    return RecordedEvent(
        version=domain_event.originator_version,
        type=type(domain_event).__name__,
        on=state.get("on"),
        recorded_at=domain_event.timestamp,
        actor=state.get("actor"),
        data=data,
        voided=None
        if voiding is None
        else {
            "by_version": voiding.originator_version,
            "on": voiding.on,
            "actor": voiding.actor,
            "reason": shown_marker(voiding.reason),
        },
    )


#: What a step with sealed text holds in its stored state (ADR 0028).
SEALED_STEP_MARK = b"[sealed note text:"


def _bound_to(record: UUID, key: str) -> str:
    """What a sealed note is bound to: its record and its key (AES-GCM associated data)."""
    return f"{record}|{key}"


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def steps(count: int, what: str = "step") -> str:
    """``1 step was`` / ``7 steps were``."""
    return f"{count} {what} was" if count == 1 else f"{count} {what}s were"
