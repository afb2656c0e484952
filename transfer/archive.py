"""Take the ledger out and bring it back: the event log as JSON lines for archive and
audit, and the read models as CSV for analysts.

Each exported line is one stored event in notification order with its position, type,
topic, case reference, aggregate id and version, effective date (``on``), recording
time, actor, the rest of its data, and its hash in the ledger's hash chain. Personal
details (:class:`~domain.personal.PersonalDetails` events) are left out unless asked
for.

Restoring an export into an empty ledger re-inserts every event at its original
position with the same aggregate id, version and topic, its state re-encoded by the
ledger's transcoder from the exported fields. Each line carries its chain link (the
previous event's position and hash) and the export ends with a trailer (event count,
head, what was left out), so every line's hash is recomputed from the line itself
whatever was left out, every link must join the line before it or an event the trailer
lists as left out, and a file cut short or not matching its trailer is refused (ADR
0022). A restored ledger is the one exported (same head hash) when nothing was left out.
Topics are looked up among the ledger's own event classes, never imported.
"""

from __future__ import annotations

import csv
import typing
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from uuid import UUID

import orjson
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic
from sqlalchemy import select, text

from domain import errors
from domain.complaint import AMENDABLE_FIELDS
from domain.personal import PersonalDetails, personal_details_id, sealed_texts
from domain.stored_names import MOVED, event_classes, stored_kind
from ledger.store.integrity import GENESIS, chain, link_digest
from ledger.store.storage import events_table
from projections import tables as read_models
from projections.bulk import collector_paused, insert_rows
from reports.csv_cells import safe_cell

if TYPE_CHECKING:
    from ledger.application import Ledger

#: A sealed personal note: with --include-personal its text is opened beside it.
SEALED_TOPIC = get_topic(PersonalDetails.NoteSealed)
BATCH = 2000
#: Events per transaction when restoring.
RESTORE_CHUNK = 5000
#: Fields of the stored state that the line carries at its top level.
TOP_LEVEL = {"timestamp", "on", "actor"}
#: Fields never exported in ``data``: the position gives the id and version, the topic
#: gives the aggregate's own topic.
NOT_IN_DATA = TOP_LEVEL | {"originator_id", "originator_version", "originator_topic"}
REQUIRED_KEYS = (
    "position",
    "topic",
    "aggregate_id",
    "version",
    "recorded_at",
    "data",
    "previous_position",
    "previous_hash",
    "hash",
)


# ----------------------------------------------------------------------- export
@dataclass
class ExportCount:
    events: int = 0
    left_out: int = 0
    #: Each event left out, as [its position, the position before it in the chain].
    left_out_links: list[list[int]] = field(default_factory=list)
    head_position: int = 0
    head_hash: str | None = None

    def trailer(self) -> dict[str, Any]:
        return {
            "trailer": TRAILER_VERSION,
            "events": self.events,
            "head_position": self.head_position,
            "head_hash": self.head_hash,
            "left_out": {"personal_details": self.left_out} if self.left_out else {},
            "left_out_links": self.left_out_links,
        }

    #: The records whose personal notes were opened (for the access log).
    opened: set[str] = field(default_factory=set)


def export_events(
    ledger: Ledger, write: Callable[[bytes], Any], include_personal: bool = False
) -> ExportCount:
    """Write the event log, one JSON object per line, in notification order, then the
    trailer line (event count, head, what was left out). One read transaction, so the
    trailer describes exactly the lines above it."""
    events = events_table(ledger)

    def work() -> ExportCount:
        count = ExportCount()
        session = ledger.sessions()
        refs: dict[UUID, str] = {}
        position = 0
        while True:
            rows = session.execute(
                select(
                    events.c.id,
                    events.c.originator_id,
                    events.c.originator_version,
                    events.c.topic,
                    events.c.state,
                    chain.c.hash,
                )
                .outerjoin(chain, chain.c.position == events.c.id)
                .where(events.c.id > position)
                .order_by(events.c.id)
                .limit(BATCH)
            ).all()
            for row in rows:
                identity = UUID(str(row.originator_id))
                stored = StoredEvent(
                    originator_id=identity,
                    originator_version=row.originator_version,
                    topic=row.topic,
                    state=bytes(row.state),
                )
                domain_event = ledger.mapper.to_domain_event(stored)
                state = dict(vars(domain_event))
                _remember_ref(refs, identity, row.topic, state)
                previous = (count.head_position, count.head_hash)
                count.head_position = row.id
                count.head_hash = bytes(row.hash).hex() if row.hash is not None else None
                if stored_kind(row.topic) == "personal" and not include_personal:
                    count.left_out += 1
                    count.left_out_links.append([row.id, previous[0]])
                    continue
                line = _line(row, identity, state, refs, previous)
                if include_personal and row.topic == SEALED_TOPIC:
                    line = _with_text(ledger, line, identity, state, count)
                elif include_personal and sealed_texts(domain_event):
                    line = _with_typed_text(ledger, line, identity, domain_event, count)
                write(line + b"\n")
                count.events += 1
            if len(rows) < BATCH:
                write(orjson.dumps(count.trailer()) + b"\n")
                return count
            position = rows[-1].id

    return ledger.read(work)


def _with_text(
    ledger: Ledger, line: bytes, identity: UUID, state: dict[str, Any], count: ExportCount
) -> bytes:
    """A sealed note's line with its text opened beside the sealed data (``text``; null
    once its subject's key was destroyed). The data stay as stored, for the chain."""
    from ledger.store.keystore import Sealed

    opened = ledger.keys.open(
        state["key_id"], Sealed(state["nonce"], state["ciphertext"]), f"{identity}|{state['key']}"
    )
    document = orjson.loads(line)
    document["text"] = opened
    count.opened.add(document["case"])
    return orjson.dumps(document)


def _with_typed_text(
    ledger: Ledger, line: bytes, identity: UUID, domain_event: Any, count: ExportCount
) -> bytes:
    """A step's line with the text sealed in it opened beside the data (``texts``, by
    field; null once the case's key was destroyed). The data stay as stored."""
    from ledger.store.keystore import Sealed

    record = personal_details_id(identity)
    document = orjson.loads(line)
    document["texts"] = {
        field: ledger.keys.open(
            sealed.key_id, Sealed(sealed.nonce, sealed.ciphertext), f"{record}|{sealed.key}"
        )
        for field, sealed in sealed_texts(domain_event)
    }
    count.opened.add(document["case"])
    return orjson.dumps(document)


def _remember_ref(refs: dict[UUID, str], identity: UUID, topic: str, state: dict[str, Any]) -> None:
    if identity in refs:
        return
    if "ref" in state:
        refs[identity] = str(state["ref"])
    elif "case_id" in state:  # personal details: the case's reference
        case = refs.get(UUID(str(state["case_id"])))
        if case is not None:
            refs[identity] = case
    elif "prefix" in state and "year" in state:  # a reference sequence
        refs[identity] = f"{state['prefix']}-{state['year']}"


def _line(
    row: Any,
    identity: UUID,
    state: dict[str, Any],
    refs: dict[UUID, str],
    previous: tuple[int, str | None],
) -> bytes:
    on = state.get("on")
    document = {
        "position": row.id,
        "type": row.topic.rsplit(".", 1)[-1],
        "topic": row.topic,
        "case": refs.get(identity, str(identity)),
        "aggregate_id": str(identity),
        "version": row.originator_version,
        "on": on.isoformat() if isinstance(on, date) else on,
        "recorded_at": state["timestamp"].isoformat(),
        "actor": state.get("actor"),
        "data": {k: v for k, v in state.items() if k not in NOT_IN_DATA},
        "previous_position": previous[0],
        "previous_hash": previous[1] if previous[0] else GENESIS.hex(),
        "hash": bytes(row.hash).hex() if row.hash is not None else None,
    }
    return orjson.dumps(document, default=_json_default)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(type(value).__name__)


# ---------------------------------------------------------------- restore: reading
@dataclass(frozen=True)
class LineError:
    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}, field {self.field}: {self.reason}"


@dataclass
class Archive:
    """An export file read back and checked: the rows to insert, in order."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    hashes: list[bytes] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    #: Events left out of the export (e.g. personal details), from the trailer: their
    #: position -> the position before them. The restored chain is recomputed across them.
    left_out: dict[int, int] = field(default_factory=dict)
    #: Nothing was left out: the restored chain is the exported one.
    chain_complete: bool = True
    aggregates: set[UUID] = field(default_factory=set)
    trailer: dict[str, Any] = field(default_factory=dict)

    @property
    def head(self) -> tuple[int, bytes | None]:
        if not self.rows:
            return 0, None
        return self.rows[-1]["id"], self.hashes[-1]


def read_archive(path: Path, ledger: Ledger) -> Archive:
    """Parse and check every line of an export; nothing is written.

    Each line carries its chain link (the previous event's position and hash), so
    each line's hash is recomputed from the line itself, whatever was left out, and
    each link must join the line before it or an event the trailer says was left out.
    The trailer (last line) must be there and match: event count, head, left out.
    The rows it keeps make no cycles, so the cycle collector is paused meanwhile."""
    with collector_paused():
        return _read_archive(path, ledger)


def _read_archive(path: Path, ledger: Ledger) -> Archive:
    archive = Archive()
    last, trailer = _last_line(path)
    if trailer is None:
        archive.errors.append(
            LineError(
                last,
                "trailer",
                "the export has no trailer line: it was cut short (or is not an export "
                "of this version); restore a complete export [truncated]",
            )
        )
        return archive
    archive.trailer = trailer
    left_out = _left_out_links(trailer)
    if left_out is None:
        archive.errors.append(LineError(last, "trailer", "malformed trailer [bad-data]"))
        return archive
    archive.left_out = left_out
    archive.chain_complete = not left_out
    skipped: set[int] = set()
    previous_position, previous_hash = 0, GENESIS
    versions: dict[UUID, int] = {}
    lines = 0
    for number, raw in _event_lines(path, last):
        lines += 1
        try:
            row = _stored_row(raw, ledger)
        except _LineRefused as refused:
            archive.errors.append(LineError(number, refused.field, refused.reason))
            continue
        claimed = row.pop("hash")
        link_position, link_hash = row.pop("previous")
        position = row["id"]
        if position <= previous_position:
            archive.errors.append(
                LineError(number, "position", f"{position} is not after {previous_position}")
            )
            continue
        digest = link_digest(
            link_hash,
            position,
            row["originator_id"],
            row["originator_version"],
            row["topic"],
            row["state"],
        )
        if digest != claimed:
            archive.errors.append(
                LineError(
                    number,
                    "data",
                    "the event does not match its hash in the export (changed after "
                    "it was exported?) [hash-chain]",
                )
            )
        if link_position == previous_position:
            if link_hash != previous_hash:
                archive.errors.append(
                    LineError(
                        number,
                        "previous_hash",
                        f"the chain link does not match the event at position "
                        f"{previous_position} [hash-chain]",
                    )
                )
        elif not _bridges(left_out, skipped, link_position, previous_position, position):
            archive.errors.append(
                LineError(
                    number,
                    "previous_position",
                    f"the event before it (position {link_position}) is missing from the "
                    "export and not listed as left out [hash-chain]",
                )
            )
        identity = row["originator_id"]
        expected_version = versions.get(identity, 0) + 1
        if row["originator_version"] != expected_version:
            archive.errors.append(
                LineError(
                    number,
                    "version",
                    f"{row['originator_version']} follows version {expected_version - 1} "
                    f"of {identity} [hash-chain]",
                )
            )
        versions[identity] = row["originator_version"]
        archive.rows.append(row)
        archive.hashes.append(claimed)
        archive.aggregates.add(identity)
        previous_position, previous_hash = position, claimed
    _check_trailer(archive, trailer, last, previous_position, skipped, lines)
    return archive


def _last_line(path: Path) -> tuple[int, dict[str, Any] | None]:
    """The number of the last non-blank line and the trailer it holds, if it is one
    (a first pass that keeps one line, so a large export is not held in memory)."""
    last, raw = 0, b""
    try:
        with path.open("rb") as handle:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    last, raw = number, line
    except OSError as error:
        raise errors.BadData(f"cannot read {path.name}: {error.strerror}") from None
    return last, _trailer(raw) if last else None


def _event_lines(path: Path, trailer_line: int) -> Iterator[tuple[int, bytes]]:
    """The non-blank lines before the trailer, numbered."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number >= trailer_line:
                return
            if raw.strip():
                yield number, raw


TRAILER_VERSION = 1


def _trailer(raw: bytes) -> dict[str, Any] | None:
    try:
        line = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    if isinstance(line, dict) and line.get("trailer") == TRAILER_VERSION:
        return line
    return None


def _left_out_links(trailer: dict[str, Any]) -> dict[int, int] | None:
    links = trailer.get("left_out_links")
    if not isinstance(links, list):
        return None
    found: dict[int, int] = {}
    for link in links:
        if (
            not isinstance(link, list)
            or len(link) != 2
            or not all(isinstance(p, int) and not isinstance(p, bool) for p in link)
            or not 0 <= link[1] < link[0]
            or link[0] in found
        ):
            return None
        found[link[0]] = link[1]
    return found


def _bridges(
    left_out: dict[int, int], used: set[int], link: int, previous: int, position: int
) -> bool:
    """Whether the events left out lead from ``link`` back to ``previous`` (the line
    before), each used once: then nothing but left-out events lies between the lines."""
    walked = []
    while link in left_out and previous < link < position and link not in used:
        walked.append(link)
        link = left_out[link]
    if link != previous or not walked:
        return False
    used.update(walked)
    return True


def _check_trailer(
    archive: Archive,
    trailer: dict[str, Any],
    number: int,
    last: int,
    skipped: set[int],
    lines: int,
) -> None:
    """The content must be what the trailer says: count, head, left-out events."""
    if trailer.get("events") != lines:
        archive.errors.append(
            LineError(
                number,
                "trailer",
                f"the trailer says {trailer.get('events')} events, the file has {lines} "
                "(lines removed or added?) [hash-chain]",
            )
        )
        return
    head = trailer.get("head_position")
    head_hash = trailer.get("head_hash")
    if archive.rows and head == last:
        if head_hash != archive.hashes[-1].hex():
            archive.errors.append(
                LineError(number, "trailer", "the head hash is not the last event's [hash-chain]")
            )
    elif not (
        (head == 0 and not archive.rows)
        or (isinstance(head, int) and _bridges(archive.left_out, skipped, head, last, head + 1))
    ):
        archive.errors.append(
            LineError(
                number,
                "trailer",
                f"the head position {head} is not the last exported or left-out event [hash-chain]",
            )
        )
        return
    if skipped != set(archive.left_out):
        archive.errors.append(
            LineError(
                number,
                "trailer",
                "events listed as left out have no place in the export's chain [hash-chain]",
            )
        )
    left_out = trailer.get("left_out")
    counted = (
        sum(v for v in left_out.values() if isinstance(v, int))
        if isinstance(left_out, dict)
        else -1
    )
    if counted != len(archive.left_out):
        archive.errors.append(
            LineError(
                number,
                "trailer",
                f"the trailer counts {counted} events left out but lists "
                f"{len(archive.left_out)} "
                "[hash-chain]",
            )
        )


#: Every event class a restored line may name, by its stored topic (current and moved).
EVENT_CLASSES: dict[str, type] = {**event_classes(), **MOVED}


class _LineRefused(Exception):
    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field_name
        self.reason = reason


def _stored_row(raw: bytes, ledger: Ledger) -> dict[str, Any]:
    """The event table row a line stands for, with its claimed hash under ``hash``."""
    try:
        line = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise _LineRefused("-", f"not JSON ({error}) [bad-data]") from None
    if not isinstance(line, dict):
        raise _LineRefused("-", "not a JSON object [bad-data]")
    if "trailer" in line:
        raise _LineRefused("trailer", "a trailer line before the end of the file [bad-data]")
    for key in REQUIRED_KEYS:
        if key not in line:
            raise _LineRefused(key, "missing [bad-data]")
    topic = line["topic"]
    # The ledger's own event classes only (ADR 0022): nothing is imported for a topic.
    cls = EVENT_CLASSES.get(topic) if isinstance(topic, str) else None
    if cls is None:
        raise _LineRefused("topic", f"{topic!r} is not one of the ledger's event types [bad-data]")
    try:
        identity = UUID(str(line["aggregate_id"]))
        position = int(line["position"])
        version = int(line["version"])
        state = _state(cls, topic, line)
        claimed = _digest(line["hash"])
        previous = (int(line["previous_position"]), _digest(line["previous_hash"]))
    except (ValueError, TypeError, KeyError, ArithmeticError) as error:
        raise _LineRefused("data", f"cannot rebuild the event ({error}) [bad-data]") from None
    return {
        "id": position,
        "originator_id": identity,
        "originator_version": version,
        "topic": topic,
        "state": ledger.mapper.transcoder.encode(state),
        "hash": claimed,
        "previous": previous,
    }


def _digest(value: Any) -> bytes:
    digest = bytes.fromhex(str(value))
    if len(digest) != len(GENESIS):
        raise ValueError(f"a hash is {len(GENESIS)} bytes")
    return digest


def _state(cls: type, topic: str, line: dict[str, Any]) -> dict[str, Any]:
    """The event's stored state, in the order the event class gives its fields."""
    data = dict(line["data"])
    given: dict[str, Any] = {
        "timestamp": datetime.fromisoformat(line["recorded_at"]),
        "on": line.get("on"),
        "actor": line.get("actor"),
    }
    hints = _hints(cls)
    state: dict[str, Any] = {}
    for name in _field_names(cls):
        if name in ("originator_id", "originator_version"):
            continue
        if name == "originator_topic":
            own = topic.rsplit(".", 1)[0]
            if data.setdefault(name, own) != own:
                raise _LineRefused(
                    "data",
                    f"originator_topic {data[name]!r} is not {own!r}, the aggregate of "
                    "its event type [bad-data]",
                )
            state[name] = data.pop(name)
        elif name in TOP_LEVEL:
            state[name] = _revive(hints.get(name), given[name])
        elif name in data:
            state[name] = _revive(hints.get(name), data.pop(name))
        else:
            raise KeyError(f"{name} is missing from data")
    if "field" in state and AMENDABLE_FIELDS.get(str(state["field"])) == "date":
        for key in ("old", "new"):
            if isinstance(state.get(key), str):
                state[key] = date.fromisoformat(state[key])
    state.update(data)  # anything the class does not declare (class_version)
    return state


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


@cache
def _hints(cls: type) -> dict[str, Any]:
    try:
        return typing.get_type_hints(cls)
    except Exception:
        return {}


@cache
def _kinds(hint: Any) -> tuple[Any, ...]:
    return typing.get_args(hint) or (hint,)


def _revive(hint: Any, value: Any) -> Any:
    if value is None or hint is None:
        return value
    kinds = _kinds(hint)
    if datetime in kinds and isinstance(value, str):
        return datetime.fromisoformat(value)
    if date in kinds and isinstance(value, str):
        return date.fromisoformat(value)
    if Decimal in kinds and isinstance(value, (str, int)):
        return Decimal(str(value))
    return value


# --------------------------------------------------------------- restore: writing
@dataclass
class RestoreResult:
    written: int
    already: int
    head_position: int
    head_hash: str
    matches_export: bool


def already_restored(ledger: Ledger, archive: Archive) -> int:
    """How many of the archive's events the ledger already holds: 0 for an empty
    ledger, all of them after an earlier import of the same file. Refused when the
    ledger holds anything else."""
    events = events_table(ledger)

    def work() -> int:
        session = ledger.sessions()
        head = ledger.last_position()
        if head == 0:
            return 0
        held = session.execute(text(f"SELECT count(*) FROM {events.name}")).scalar_one()
        index = _index_of(archive, head)
        if index is not None and held == index + 1:
            row = archive.rows[index]
            stored = session.execute(
                select(
                    events.c.originator_id,
                    events.c.originator_version,
                    events.c.topic,
                    events.c.state,
                ).where(events.c.id == head)
            ).one()
            if (
                UUID(str(stored.originator_id)) == row["originator_id"]
                and stored.originator_version == row["originator_version"]
                and stored.topic == row["topic"]
                and bytes(stored.state) == row["state"]
            ):
                return index + 1
        raise errors.BadData(
            f"the ledger already holds {held} events that are not this export's; "
            "restore an export only into an empty ledger"
        )

    return ledger.read(work)


def _index_of(archive: Archive, position: int) -> int | None:
    low, high = 0, len(archive.rows) - 1
    while low <= high:
        middle = (low + high) // 2
        found = archive.rows[middle]["id"]
        if found == position:
            return middle
        if found < position:
            low = middle + 1
        else:
            high = middle - 1
    return None


def restore(
    ledger: Ledger,
    archive: Archive,
    chunk_size: int = RESTORE_CHUNK,
    progress: Callable[[int], None] | None = None,
) -> RestoreResult:
    """Insert the archive's events the ledger does not hold yet, at their positions,
    ``chunk_size`` per transaction (the hash chain and read models follow in each)."""
    if archive.errors:
        raise errors.BadData(f"{len(archive.errors)} errors in the export; nothing was written")
    start = already_restored(ledger, archive)
    events = events_table(ledger)
    expected_head = archive.rows[start - 1]["id"] if start else 0
    written = 0
    folded: dict[UUID, Any] = {}  # each record folded once across the transactions
    for offset in range(start, len(archive.rows), chunk_size):
        rows = archive.rows[offset : offset + chunk_size]
        with collector_paused():
            _insert(ledger, events, rows, expected_head, folded)
        expected_head = rows[-1]["id"]
        written += len(rows)
        if progress is not None:
            progress(len(rows))
    position, digest = ledger.head()
    _, exported = archive.head
    matches = archive.chain_complete and exported is not None and exported.hex() == digest
    return RestoreResult(written, start, position, digest, matches)


def _insert(
    ledger: Ledger,
    events: Any,
    rows: Sequence[dict[str, Any]],
    expected: int,
    folded: dict[UUID, Any],
) -> None:
    """One transaction: the rows at their positions in one statement; the chain, then
    the read models follow a page at a time (``projections.projector.PAGE``), folding on
    the records of the earlier transactions (``folded``) instead of reloading them.

    Writers already take turns (ADR 0012), so no table lock is needed; on PostgreSQL
    the id sequence is drawn past the last position with ``nextval`` (which a writer
    role may do) so that later events carry on after the restored ones."""

    def work() -> None:
        session = ledger.sessions()
        connection = session.connection()
        head = ledger.last_position()
        if head != expected:
            raise errors.ConcurrentChange(
                f"the ledger changed during the import (head {head}, expected {expected})"
            )
        insert_rows(session, events, rows)
        if connection.dialect.name == "postgresql":
            _draw_sequence_past(connection, events.name, rows[-1]["id"])
        ledger.chain.extend(session, [row["id"] for row in rows])
        ledger.projection.catch_up(session, ledger, folded=folded)

    ledger.unit_of_work(work, attempts=1, catch_up=False)


def _draw_sequence_past(connection: Any, table: str, position: int) -> None:
    sequence = connection.execute(
        text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": table}
    ).scalar_one()
    last, called = connection.execute(text(f"SELECT last_value, is_called FROM {sequence}")).one()
    behind = position - (last if called else last - 1)
    if behind > 0:
        connection.execute(
            text(
                "SELECT count(nextval(CAST(:sequence AS regclass))) "
                "FROM generate_series(1, :behind)"
            ),
            {"sequence": sequence, "behind": behind},
        )


# ----------------------------------------------------------------- read models
TABLES = {table.name: table for table in read_models.READ_MODEL_TABLES}


def table_named(name: str) -> Any:
    """A read-model table by its name, with or without the ``rm_`` prefix."""
    key = name if name in TABLES else f"rm_{name}"
    if key not in TABLES:
        raise errors.UnknownName(
            f"unknown read model {name!r}; expected one of: {', '.join(TABLES)}"
        )
    return TABLES[key]


def export_tables(
    ledger: Ledger, names: Iterable[str], open_file: Callable[[str], IO[str]]
) -> dict[str, int]:
    """Write each named read model as CSV (header row first), caught up first; returns
    the rows written per table."""
    chosen = [table_named(name) for name in names]

    def question(session: Any) -> dict[str, int]:
        written: dict[str, int] = {}
        for table in chosen:
            handle = open_file(table.name)
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(table.c.keys())
            order = list(table.primary_key.columns) or list(table.c)
            count = 0
            for row in session.execute(select(table).order_by(*order)):
                writer.writerow([_cell(value) for value in row])
                count += 1
            written[table.name] = count
        return written

    return ledger.query(question)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return safe_cell(value)  # a spreadsheet must not run a cell as a formula
