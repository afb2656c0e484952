"""Every field that goes into an event's hash is pinned: the chain link of an event
depends on the link before it, its position, its version, its aggregate's id, its topic
and its state, each alone; and each changed alone in the database is caught by
``verify`` at that event's position."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from uuid import UUID, uuid4

import pytest
import sqlalchemy
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from demo.generator import generate
from domain.procedure import ProcedurePolicy
from ledger.application import Ledger
from ledger.store.integrity import event_hash, link_digest
from tests.ledger.store.test_integrity import _uuid, disable_triggers

POLICY = ProcedurePolicy(today=date(2026, 11, 23))
BASE = {
    "previous": b"\x01" * 32,
    "position": 7,
    "aggregate_id": UUID(int=42),
    "version": 3,
    "topic": "domain.complaint:Complaint.Responded",
    "state": b'{"outcome":"upheld"}',
}
CHANGED = {
    "previous": b"\x02" * 32,
    "position": 8,
    "aggregate_id": UUID(int=43),
    "version": 4,
    "topic": "domain.complaint:Complaint.Withdrawn",
    "state": b'{"outcome":"not-upheld"}',
}


@pytest.mark.parametrize("field", list(BASE))
def test_each_input_of_an_events_hash_changes_it_alone(field: str) -> None:
    assert event_hash(**{**BASE, field: CHANGED[field]}) != event_hash(**BASE)  # type: ignore[arg-type]


def test_position_and_version_cannot_be_traded_for_each_other() -> None:
    swapped = {**BASE, "position": BASE["version"], "version": BASE["position"]}
    assert event_hash(**swapped) != event_hash(**BASE)  # type: ignore[arg-type]


@pytest.fixture
def ledger(db_url: str) -> Iterator[Ledger]:
    app = Ledger(db_url, POLICY)
    for n in range(3):
        ref = app.receive(on=date(2024, 5, 1), actor="t", procedure="statutory", ref=f"H-{n}")
        app.act(
            ref, lambda c, p: c.respond(on=date(2024, 5, 9), actor="t", policy=p, outcome="upheld")
        )
    yield app
    app.close()


def _blob(connection: sqlalchemy.Connection, value: UUID) -> object:
    return value.bytes if connection.dialect.name == "sqlite" else value


def _two_versions_swapped(connection: sqlalchemy.Connection) -> int:
    """The first case's first two events trade versions (a reordered history)."""
    rows = connection.execute(
        text("SELECT id, originator_version FROM ledger_events ORDER BY id LIMIT 2")
    ).all()
    (first, v1), (second, v2) = rows
    connection.execute(
        text("UPDATE ledger_events SET originator_version = 999 WHERE id = :i"), {"i": first}
    )
    connection.execute(
        text("UPDATE ledger_events SET originator_version = :v WHERE id = :i"),
        {"v": v1, "i": second},
    )
    connection.execute(
        text("UPDATE ledger_events SET originator_version = :v WHERE id = :i"),
        {"v": v2, "i": first},
    )
    return int(first)


def _aggregate_changed(connection: sqlalchemy.Connection) -> int:
    connection.execute(
        text("UPDATE ledger_events SET originator_id = :a WHERE id = 4"),
        {"a": _blob(connection, uuid4())},
    )
    return 4


def _topic_changed(connection: sqlalchemy.Connection) -> int:
    connection.execute(
        text("UPDATE ledger_events SET topic = :t WHERE id = 5"),
        {"t": "domain.complaint:Complaint.Withdrawn"},
    )
    return 5


def _position_changed(connection: sqlalchemy.Connection) -> int:
    connection.execute(text("UPDATE ledger_events SET id = 1000 WHERE id = 6"))
    return 6


@pytest.mark.parametrize(
    "tamper",
    [_two_versions_swapped, _aggregate_changed, _topic_changed, _position_changed],
    ids=["version", "aggregate-id", "topic", "position"],
)
def test_each_hashed_field_changed_alone_in_the_database_is_caught_at_its_position(
    ledger: Ledger, db_url: str, tamper: Callable[[sqlalchemy.Connection], int]
) -> None:
    engine = sqlalchemy.create_engine(db_url)
    try:
        with engine.begin() as connection:
            disable_triggers(connection, "ledger_events")
            position = tamper(connection)
    finally:
        engine.dispose()
    verdict = ledger.verify()
    assert verdict.problem is not None
    assert verdict.problem_position == position


def test_an_events_state_hashes_the_same_as_text_or_bytes() -> None:
    text = BASE["state"].decode()  # type: ignore[attr-defined]
    assert event_hash(**{**BASE, "state": text}) == event_hash(**BASE)  # type: ignore[arg-type]


def test_an_events_case_id_hashes_the_same_as_a_uuid_or_its_text() -> None:
    text = str(BASE["aggregate_id"])
    assert event_hash(**{**BASE, "aggregate_id": text}) == event_hash(**BASE)  # type: ignore[arg-type]


# ------------------------------------------ the chain's own digest (ADR 0048)
@settings(max_examples=500, deadline=None)
@given(
    previous=st.binary(min_size=32, max_size=32),
    position=st.integers(1, 2**63 - 1),
    identity=st.uuids(),
    version=st.integers(1, 2**63 - 1),
    topic=st.text(max_size=80),
    state=st.binary(max_size=300),
    form=st.sampled_from(["bytes", "uuid", "str"]),
    state_form=st.sampled_from(["bytes", "memoryview", "str"]),
)
def test_link_digest_is_the_event_hash(
    previous: bytes,
    position: int,
    identity: UUID,
    version: int,
    topic: str,
    state: bytes,
    form: str,
    state_form: str,
) -> None:
    """The digest the chain's extension writes is :func:`event_hash`, byte for byte,
    whichever way the table hands the record's id and the state over."""
    given_id: bytes | UUID | str = {
        "bytes": identity.bytes, "uuid": identity, "str": str(identity)
    }[form]  # fmt: skip
    text_state = state.decode("utf-8", "replace")
    given_state: bytes | memoryview | str = {
        "bytes": state, "memoryview": memoryview(state), "str": text_state
    }[state_form]  # fmt: skip
    expected_state = text_state if state_form == "str" else state
    assert link_digest(previous, position, given_id, version, topic, given_state) == event_hash(
        previous, position, identity, version, topic, expected_state
    )


def test_link_digest_refuses_an_identity_of_the_wrong_length() -> None:
    with pytest.raises(ValueError):
        link_digest(bytes(32), 1, b"\x01" * 15, 1, "t", b"{}")


def test_every_extended_link_is_the_event_hash_of_the_stored_row(db_url: str) -> None:
    """Recomputed here from the table, with :func:`event_hash`, link after link."""
    ledger = Ledger(db_url, POLICY)
    try:
        for chunk in generate(3, 1, 20, 2025, ledger.policy, chunk_size=7):
            ledger.record_many(chunk)
    finally:
        ledger.close()
    engine = sqlalchemy.create_engine(db_url)
    try:
        with engine.connect() as connection:
            events = connection.execute(
                text(
                    "SELECT id, originator_id, originator_version, topic, state "
                    "FROM ledger_events ORDER BY id"
                )
            ).all()
            links = connection.execute(
                text("SELECT position, previous_position, hash FROM ledger_chain ORDER BY position")
            ).all()
    finally:
        engine.dispose()
    assert len(events) == len(links) > 50
    position, previous = 0, bytes(32)
    for event, link in zip(events, links, strict=True):
        expected = event_hash(
            previous, event[0], _uuid(event[1]), event[2], event[3], bytes(event[4])
        )
        assert (link[0], link[1], bytes(link[2])) == (event[0], position, expected)
        position, previous = event[0], expected
