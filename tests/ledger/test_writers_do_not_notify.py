"""Writers on PostgreSQL send no NOTIFY (ADR 0049): nothing listens, and a commit that
has notified takes a lock over the whole database's notification queue, so each
writer's commit would wait for the others'."""

from __future__ import annotations

import time
from datetime import date

import psycopg

from domain.procedure import ProcedurePolicy
from ledger.application import Ledger
from tests.conftest import PG_BASE_URL

POLICY = ProcedurePolicy(today=date(2026, 11, 23))


def test_a_save_on_postgresql_notifies_no_listener(pg_url: str) -> None:
    ledger = Ledger(pg_url, POLICY)
    dsn = PG_BASE_URL.replace("postgresql+psycopg://", "postgresql://")
    listener = psycopg.connect(dsn, autocommit=True)
    try:
        channel = ledger.recorder.channel_name  # type: ignore[attr-defined]
        listener.execute(f"LISTEN {channel}")
        ledger.receive(on=date(2025, 4, 1), actor="t", procedure="statutory", ref="N-1")
        ledger.acknowledge("N-1", on=date(2025, 4, 2), actor="t")
        time.sleep(0.2)
        heard = list(listener.notifies(timeout=0.5, stop_after=1))
        assert heard == []
        assert ledger.last_position() >= 2
    finally:
        listener.close()
        ledger.close()
