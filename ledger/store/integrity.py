"""Tamper evidence: a hash chain over the event log, and append-only triggers.

Every stored event gets a row in ``ledger_chain`` written in the same transaction as
the event: ``hash = SHA-256(previous hash, position, aggregate id, version, topic,
stored bytes)``. Recomputing the chain shows the first position where an event was
altered, removed or inserted behind the application's back. The database itself
refuses UPDATE and DELETE on the event log and the chain (triggers), so changing
history needs someone to disable a trigger first: the chain shows what they did.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from uuid import UUID

from eventsourcing.domain import CanInitAggregate
from sqlalchemy import (
    BigInteger,
    Column,
    Integer,
    LargeBinary,
    MetaData,
    Select,
    String,
    Table,
    bindparam,
    select,
    text,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from domain.stored_names import MOVED, event_classes
from ledger.store.storage import events_table, on_driver

GENESIS = bytes(32)
BATCH = 2000

chain_metadata = MetaData()
chain = Table(
    "ledger_chain",
    chain_metadata,
    Column(
        "position",
        BigInteger().with_variant(BigInteger, "sqlite"),
        primary_key=True,
        autoincrement=False,
    ),
    Column("previous_position", BigInteger, nullable=False),
    Column("hash", LargeBinary(32), nullable=False),
)

#: Signed checkpoints of the chain (ledger/store/checkpoints.py signs and checks them).
checkpoints = Table(
    "ledger_checkpoints",
    chain_metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("position", BigInteger, nullable=False),
    Column("head_hash", LargeBinary(32), nullable=False),
    Column("made_at", String(40), nullable=False),
    Column("public_key", LargeBinary(32), nullable=False),
    Column("signature", LargeBinary(64), nullable=False),
)

APPEND_ONLY_TABLES = ("ledger_events", "ledger_chain", "ledger_checkpoints")


def event_hash(
    previous: bytes,
    position: int,
    aggregate_id: UUID | str,
    version: int,
    topic: str,
    state: bytes | str,
) -> bytes:
    identity = (aggregate_id if isinstance(aggregate_id, UUID) else UUID(aggregate_id)).bytes
    topic_bytes = topic.encode()
    digest = hashlib.sha256()
    digest.update(previous)
    digest.update(struct.pack(">qq", position, version))
    digest.update(identity)
    digest.update(struct.pack(">I", len(topic_bytes)))
    digest.update(topic_bytes)
    digest.update(state.encode() if isinstance(state, str) else bytes(state))
    return digest.digest()


_POSITION_AND_VERSION = struct.Struct(">qq")


@lru_cache(maxsize=1024)
def _topic_part(topic: str) -> bytes:
    """A topic as :func:`event_hash` hashes it: its length, then its UTF-8 bytes."""
    encoded = topic.encode()
    return struct.pack(">I", len(encoded)) + encoded


def link_digest(
    previous: bytes,
    position: int,
    identity: bytes | UUID | str,
    version: int,
    topic: str,
    state: bytes | memoryview | str,
) -> bytes:
    """:func:`event_hash`, byte for byte, for an event as the table hands it over: the
    record's id as its 16 bytes (SQLite) or a UUID (PostgreSQL), each topic's bytes
    worked out once, one SHA-256 call over the joined parts."""
    if type(identity) is bytes and len(identity) == 16:
        identity_bytes = identity
    elif isinstance(identity, UUID):
        identity_bytes = identity.bytes
    elif isinstance(identity, str):
        identity_bytes = UUID(identity).bytes
    else:
        identity_bytes = UUID(bytes=bytes(identity)).bytes  # refuses a wrong length
    if type(state) is not bytes:
        state = state.encode() if isinstance(state, str) else bytes(state)
    return hashlib.sha256(
        b"".join(
            (
                previous,
                _POSITION_AND_VERSION.pack(position, version),
                identity_bytes,
                _topic_part(topic),
                state,
            )
        )
    ).digest()


#: The driver's mark for a parameter, by engine (sqlite3's ``qmark``, psycopg's ``format``).
_MARK = {"sqlite": "?", "postgresql": "%s"}


@lru_cache(maxsize=8)
def _read_back_sql(table: str, mark: str) -> str:
    """The events between two positions, as the chain hashes them, for the driver."""
    return (
        f'SELECT id, originator_id, originator_version, topic, state FROM "{table}" '
        f"WHERE id BETWEEN {mark} AND {mark} ORDER BY id"
    )


@lru_cache(maxsize=2)
def _write_links_sql(mark: str) -> str:
    """The links of :meth:`HashChain.extend`, for the driver (ADR 0056)."""
    return (
        f"INSERT INTO {chain.name} (position, previous_position, hash) "
        f"VALUES ({mark}, {mark}, {mark})"
    )


#: The chain's head, through the driver on either engine (ADR 0056).
_HEAD = f"SELECT position, hash FROM {chain.name} ORDER BY position DESC LIMIT 1"


def install_append_only_triggers(connection: Connection) -> None:
    """Make the database refuse UPDATE and DELETE on the event log and the chain."""
    if connection.dialect.name == "sqlite":
        for table in APPEND_ONLY_TABLES:
            for action in ("UPDATE", "DELETE"):
                connection.execute(
                    text(
                        f"CREATE TRIGGER IF NOT EXISTS {table}_no_{action.lower()} "
                        f"BEFORE {action} ON {table} BEGIN "
                        f"SELECT RAISE(ABORT, 'the {table} table is append-only'); END"
                    )
                )
        return
    # Only what is missing: a writer role that does not own the tables can still open
    # a ledger whose triggers its owner installed.
    present = set(
        connection.execute(
            text(
                "SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE c.relname IN :tables "
                "AND c.relnamespace = current_schema()::regnamespace"
            ).bindparams(bindparam("tables", expanding=True)),
            {"tables": list(APPEND_ONLY_TABLES)},
        ).scalars()
    )
    wanted = {
        f"{table}_{kind}" for table in APPEND_ONLY_TABLES for kind in ("append_only", "no_truncate")
    }
    if wanted <= present:
        return
    connection.execute(
        text(
            "CREATE OR REPLACE FUNCTION complaints_refuse_change() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION "
            "'the % table is append-only', TG_TABLE_NAME; END $$"
        )
    )
    for table in APPEND_ONLY_TABLES:
        connection.execute(
            text(
                f"CREATE OR REPLACE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE "
                f"ON {table} FOR EACH ROW EXECUTE FUNCTION complaints_refuse_change()"
            )
        )
        connection.execute(
            text(
                f"CREATE OR REPLACE TRIGGER {table}_no_truncate BEFORE TRUNCATE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION complaints_refuse_change()"
            )
        )


@lru_cache(maxsize=1)
def _event_classes() -> dict[str, type[Any]]:
    """Every event class the ledger stores, by its stored name, old names included."""
    return {**event_classes(), **MOVED}


def _creates(topic: str) -> bool | None:
    """Whether ``topic`` names an event that creates its record; None when it names no
    event of the ledger's (the fixed registry of domain/stored_names.py; nothing is
    imported by name)."""
    event_class = _event_classes().get(topic)
    return None if event_class is None else issubclass(event_class, CanInitAggregate)


def out_of_place(topic: str, version: int) -> str | None:
    """Why an event of ``topic`` cannot stand at ``version`` of its aggregate (a
    well-formed copy of another event, say); None when it can."""
    creates = _creates(topic)
    if creates is None:
        return f"an event of no kind the ledger records ({topic[:80]!r})"
    if creates != (version == 1):
        return (
            f"a creation event at version {version}"
            if creates
            else "version 1 is not a creation event"
        )
    return None


def first_tampered(
    rows: Sequence[Any], first_version: int | None, unchained: Collection[int]
) -> int | None:
    """The position of the first of a case's loaded events that fails its chain link
    or follows a gap in its versions; None when all hold.

    ``rows`` carry the event (``id``, ``originator_id``, ``originator_version``,
    ``topic``, ``state``) joined to its link (``link_hash``, ``previous_position``)
    and the previous link's hash (``previous_hash``); ``first_version`` is the
    version the first row must have (None: unknown); ``unchained`` the positions this
    unit of work wrote and has not chained yet.
    """
    expected = first_version
    for row in sorted(rows, key=lambda r: r.originator_version):
        if expected is not None and row.originator_version != expected:
            return int(row.id)
        expected = row.originator_version + 1
        if row.id in unchained:
            continue
        if not _link_holds(row):
            return int(row.id)
        if out_of_place(row.topic, row.originator_version):
            return int(row.id)
    return None


def _link_holds(row: Any) -> bool:
    """Whether a stored row's chain link is there and is the hash of the link before it
    and of the row's own fields."""
    if row.link_hash is None:
        return False
    previous = GENESIS if row.previous_position == 0 else row.previous_hash
    if previous is None:
        return False
    digest = event_hash(
        bytes(previous),
        row.id,
        row.originator_id,
        row.originator_version,
        row.topic,
        bytes(row.state),
    )
    return digest == bytes(row.link_hash)


def first_unlinked(rows: Iterable[Any], unchained: Collection[int]) -> int | None:
    """The position of the first of a page of the log's rows (as :func:`first_tampered`
    takes them, in any order of cases) whose chain link fails or that cannot stand at
    its version; None when all hold. Each row is checked alone, as
    ``first_tampered([row], None, unchained)`` would, in one pass over the page.

    A row is read by position, in the order of :func:`linked_events`'s columns (a
    SQLAlchemy row or the driver's tuple, ``ledger/store/log_pages.py``), and its link
    hashed by :func:`link_digest` (ADR 0046)."""
    placed: dict[tuple[str, bool], bool] = {}
    for position, originator, version, topic, state, link, previous_position, previous in rows:
        if position in unchained:
            continue
        if link is None:
            return int(position)
        if previous_position == 0:
            previous = GENESIS
        elif previous is None:
            return int(position)
        try:
            digest = link_digest(bytes(previous), position, originator, version, topic, state)
        except ValueError:  # an id that is not a UUID's 16 bytes cannot be the event's
            return int(position)
        if digest != bytes(link):
            return int(position)
        where = (topic, version == 1)
        fits = placed.get(where)
        if fits is None:
            fits = placed[where] = out_of_place(topic, version) is None
        if not fits:
            return int(position)
    return None


def linked_events(events: Table) -> Select[Any]:
    """The event log's rows, each with its chain link and the previous link's hash."""
    link, previous = chain.alias("link"), chain.alias("previous_link")
    return select(
        events.c.id,
        events.c.originator_id,
        events.c.originator_version,
        events.c.topic,
        events.c.state,
        link.c.hash.label("link_hash"),
        link.c.previous_position,
        previous.c.hash.label("previous_hash"),
    ).select_from(
        events.outerjoin(link, link.c.position == events.c.id).outerjoin(
            previous, previous.c.position == link.c.previous_position
        )
    )


@dataclass(frozen=True)
class PublishedHead:
    """A head hash published earlier (in a report, an auditor's note), with the position
    it was the head at when known."""

    digest: str
    position: int | None = None

    def __str__(self) -> str:
        return self.digest if self.position is None else f"{self.position}:{self.digest}"

    @classmethod
    def parse(cls, value: str) -> PublishedHead:
        """``HASH`` or ``POSITION:HASH`` (also ``POSITION HASH``, as in an expect file)."""
        text = value.strip()
        position: int | None = None
        for separator in (":", " ", "\t"):
            if separator in text:
                where, _, text = text.partition(separator)
                where, text = where.strip(), text.strip()
                if not where.isdigit():
                    raise ValueError(f"{value!r}: the position must be a whole number")
                position = int(where)
                break
        digest = text.lower()
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise ValueError(f"{value!r}: a head hash is 64 hexadecimal digits")
        return cls(digest, position)


@dataclass(frozen=True)
class Verdict:
    verified: int
    head_position: int
    head_hash: str
    problem: str | None = None
    problem_position: int | None = None

    @property
    def intact(self) -> bool:
        return self.problem is None


class HashChain:
    """Extends and verifies the chain; reads events through the application recorder."""

    def __init__(self, recorder: Any) -> None:
        self.recorder = recorder

    def head(self, session: Session) -> tuple[int, bytes]:
        row = session.execute(
            select(chain.c.position, chain.c.hash).order_by(chain.c.position.desc()).limit(1)
        ).first()
        return (int(row.position), bytes(row.hash)) if row else (0, GENESIS)

    def hash_at(self, session: Session, position: int) -> str:
        """The chain's hash at ``position`` (the head as it stood then)."""
        if position == 0:
            return GENESIS.hex()
        digest = session.execute(
            select(chain.c.hash).where(chain.c.position == position)
        ).scalar_one()
        return bytes(digest).hex()

    def stored_hash(self, session: Session, position: int) -> bytes | None:
        """The stored chain's hash at ``position``; None if no event is chained there."""
        if position == 0:
            return GENESIS
        digest = session.execute(
            select(chain.c.hash).where(chain.c.position == position)
        ).scalar_one_or_none()
        return None if digest is None else bytes(digest)

    def missing(
        self, session: Session, published: PublishedHead, what: str | None = None
    ) -> str | None:
        """Why the chain no longer contains ``published``; None when it does.

        Meant after :meth:`verify` found the chain intact: then the stored hashes are
        the recomputed ones, and a match at a position proves every event up to it
        is the one the published head was computed over.
        """
        wanted = bytes.fromhex(published.digest)
        what = what or f"the published head {published}"
        if published.position is None:
            if (
                wanted == GENESIS
                or session.execute(
                    select(chain.c.position).where(chain.c.hash == wanted).limit(1)
                ).first()
            ):
                return None
            return f"the ledger no longer contains {what}: no position in the chain has that hash"
        stored = self.stored_hash(session, published.position)
        if stored == wanted:
            return None
        if stored is None:
            head, _ = self.head(session)
            return (
                f"the ledger no longer contains {what}: "
                f"no event is chained at position {published.position} (the head is at {head})"
            )
        return (
            f"the ledger no longer contains {what}: "
            f"its hash at position {published.position} is {stored.hex()}"
        )

    def extend(self, session: Session, written: list[int]) -> int:
        """Chain the events this transaction wrote (their positions in ``written``).

        Only those: an event slipped into the table behind the application's back is
        never chained by a later write, so verification still finds it. The events are
        read back (the chain holds what the table holds) and the links written through
        the driver on SQLite, each hashed by :func:`link_digest`.
        """
        if not written:
            return 0
        members = set(written)
        wanted = sorted(members)
        connection = session.connection()
        # The head, the events read back and the links go to the database driver as
        # written: SQLAlchemy cost about three times the driver's CPU on every one of
        # these statements, and a command runs each once (ADR 0056).
        head = on_driver(connection, _HEAD).fetchone()
        position, previous = (int(head[0]), bytes(head[1])) if head else (0, GENESIS)
        links: list[tuple[int, int, bytes]] = []
        mark = _MARK[connection.dialect.name]
        read_back = _read_back_sql(events_table(self.recorder).name, mark)
        for offset in range(0, len(wanted), BATCH):
            some = wanted[offset : offset + BATCH]
            stored: Iterable[Any] = on_driver(connection, read_back, (some[0], some[-1]))
            for at, identity, version, topic, state in stored:
                if at not in members:
                    continue
                digest = link_digest(previous, at, identity, version, topic, state)
                links.append((at, position, digest))
                position, previous = at, digest
        if len(links) != len(wanted):
            raise RuntimeError("events written in this transaction could not be read back")
        for offset in range(0, len(links), BATCH):
            on_driver(connection, _write_links_sql(mark), links[offset : offset + BATCH], many=True)
        return len(links)

    def verify(self, session: Session) -> Verdict:
        """Recompute the chain from the first event and compare it with what is stored."""
        events = self._events(session)
        links = self._links(session)
        previous_position, previous_hash = 0, GENESIS
        verified = 0
        versions: dict[Any, int] = {}  # each record's last version so far
        event = next(events, None)
        link = next(links, None)
        while event is not None or link is not None:
            if link is None or (event is not None and event.id < link[0]):
                assert event is not None
                return self._broken(
                    verified,
                    previous_position,
                    previous_hash,
                    "inserted: an event with no place in the chain",
                    event.id,
                )
            if event is None or link[0] < event.id:
                return self._broken(
                    verified,
                    previous_position,
                    previous_hash,
                    "removed: the chain records an event that is gone",
                    link[0],
                )
            position, linked_from, stored = link
            if linked_from != previous_position:
                return self._broken(
                    verified,
                    previous_position,
                    previous_hash,
                    f"removed: events after {previous_position} and before {position} are missing",
                    position,
                )
            expected = event_hash(
                previous_hash,
                event.id,
                event.originator_id,
                event.originator_version,
                event.topic,
                event.state,
            )
            if expected != stored:
                return self._broken(
                    verified,
                    previous_position,
                    previous_hash,
                    "altered: the stored event differs from the one chained",
                    position,
                )
            misplaced = out_of_place(event.topic, event.originator_version)
            before = versions.get(event.originator_id, 0)
            if not misplaced and event.originator_version != before + 1:
                misplaced = (
                    f"version {event.originator_version} follows version {before} of its record"
                )
            versions[event.originator_id] = event.originator_version
            if misplaced:
                return self._broken(
                    verified, previous_position, previous_hash, f"forged: {misplaced}", position
                )
            verified += 1
            previous_position, previous_hash = position, stored
            event = next(events, None)
            link = next(links, None)
        return Verdict(verified, previous_position, previous_hash.hex())

    @staticmethod
    def _broken(verified: int, position: int, digest: bytes, problem: str, at: int) -> Verdict:
        return Verdict(verified, position, digest.hex(), problem, at)

    def _events(self, session: Session) -> Iterator[Any]:
        position = 0
        while True:
            batch = self.recorder.select_notifications(
                start=position, limit=BATCH, inclusive_of_start=False
            )
            yield from batch
            if len(batch) < BATCH:
                return
            position = batch[-1].id

    @staticmethod
    def _links(session: Session) -> Iterator[tuple[int, int, bytes]]:
        position = 0
        while True:
            rows = session.execute(
                select(chain.c.position, chain.c.previous_position, chain.c.hash)
                .where(chain.c.position > position)
                .order_by(chain.c.position)
                .limit(BATCH)
            ).all()
            for row in rows:
                yield int(row.position), int(row.previous_position), bytes(row.hash)
            if len(rows) < BATCH:
                return
            position = int(rows[-1].position)
