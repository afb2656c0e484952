"""The log read a page at a time through the driver (ADR 0046): the same events as
SQLAlchemy reads, each link checked with the same digest, on both engines."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from uuid import UUID

import pytest

from domain.procedure import ProcedurePolicy
from ledger.application import Ledger
from ledger.store.integrity import event_hash, first_unlinked, linked_events
from ledger.store.log_pages import LoggedEvent, linked_page, logged_events
from ledger.store.storage import events_table

POLICY = ProcedurePolicy(today=date(2026, 11, 23))


@pytest.fixture
def ledger(db_url: str) -> Iterator[Ledger]:
    app = Ledger(db_url, POLICY)
    for n in range(5):
        ref = app.receive(on=date(2024, 5, 1), actor="t", procedure="statutory", ref=f"T-{n}")
        app.act(
            ref, lambda c, p: c.respond(on=date(2024, 5, 9), actor="t", policy=p, outcome="upheld")
        )
    yield app
    app.close()


def test_a_page_read_through_the_driver_is_the_page_sqlalchemy_reads(ledger: Ledger) -> None:
    def read() -> tuple[list[LoggedEvent], list[LoggedEvent]]:
        session = ledger.sessions()
        events = events_table(ledger)
        query = linked_events(events).where(events.c.id > 2).order_by(events.c.id).limit(7)
        expected = [
            LoggedEvent(r.id, r.originator_id, r.originator_version, r.topic, bytes(r.state))
            for r in session.execute(query)
        ]
        return expected, logged_events(linked_page(session, events, 2, 7))

    expected, read_by_driver = ledger.read(read)
    assert len(expected) == 7
    assert read_by_driver == expected
    assert all(type(e.originator_id) is UUID and type(e.state) is bytes for e in read_by_driver)
    assert ledger.read(lambda: list(ledger.notifications_after(2, 7))) == expected


def test_each_driver_row_is_checked_with_the_chains_digest(ledger: Ledger) -> None:
    rows = ledger.read(lambda: linked_page(ledger.sessions(), events_table(ledger), 0, 100))
    assert rows and first_unlinked(rows, ()) is None
    for row in rows:
        previous = bytes(32) if row[6] == 0 else bytes(row[7])
        digest = event_hash(
            previous, row[0], logged_events([row])[0].originator_id, row[2], row[3], bytes(row[4])
        )
        assert digest == bytes(row[5])
    altered = list(rows)
    third = list(altered[2])
    third[4] = bytes(third[4]) + b" "
    altered[2] = tuple(third)
    assert first_unlinked(altered, ()) == rows[2][0]
    assert first_unlinked(altered, {rows[2][0]}) is None  # written by this unit, not chained yet
