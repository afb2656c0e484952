"""A generated ledger (the demo's cases, two years) on each engine: the read models
that catching up after every saved chunk gave are exactly those of a rebuild from the
first event, and those of a catch-up in batches too small to hold a case (issue 14:
the projection folds each record once, taking the one a save has just made)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from demo.generator import generate
from domain.procedure import ProcedurePolicy
from ledger.application import Ledger
from projections import tables
from projections.projector import CaseFactsProjection
from tests.projections.test_rebuild_equals_incremental import snapshot

POLICY = ProcedurePolicy(today=date(2026, 11, 23))


def test_rebuild_of_a_generated_ledger_equals_incremental_catch_up(db_url: str) -> None:
    ledger = Ledger(db_url, POLICY)
    try:
        for chunk in generate(7, 2, 60, 2024, ledger.policy, chunk_size=25):
            ledger.record_many(chunk)
        incremental = snapshot(ledger)
        assert len(incremental["rm_case"]) > 100
        assert incremental["rm_recommendation"] and incremental["rm_stage"]

        read = ledger.rebuild_projections()
        assert read == ledger.read(ledger.last_position)
        assert snapshot(ledger) == incremental

        def in_small_batches() -> None:
            session = ledger.sessions()
            projection = CaseFactsProjection(ledger.policy)
            projection.reset(session)
            projection.catch_up(session, ledger, batch_size=7)

        ledger.unit_of_work(in_small_batches, catch_up=False)
        assert snapshot(ledger) == incremental
        position = ledger.read(
            lambda: ledger.sessions()
            .execute(select(tables.tracking.c.position))
            .scalar_one()
        )
        assert position == ledger.read(ledger.last_position)
    finally:
        ledger.close()
