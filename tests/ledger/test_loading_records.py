"""Loading a record for a command (ADR 0056): the year's reference sequence from its
first and last events only, and every other record folded without the storage
library's per-event protocol check; either way the very object a full replay builds."""

from __future__ import annotations

from datetime import date
from typing import Any

from eventsourcing.application import project_aggregate

from domain.complaint import case_id
from domain.procedure import ProcedurePolicy
from domain.references import ReferenceSequence, sequence_id
from ledger.application import Ledger

POLICY = ProcedurePolicy(today=date(2026, 11, 23))
ON = date(2025, 4, 7)


def _replayed(ledger: Ledger, aggregate_id: Any) -> Any:
    """The record as the storage library rebuilds it from every one of its events."""
    return ledger.read(
        lambda: ledger.repository.get(aggregate_id, projector_func=project_aggregate)
    )


def test_a_reference_sequence_loaded_from_its_ends_equals_a_full_replay(db_url: str) -> None:
    ledger = Ledger(db_url, POLICY)
    try:
        issued = [ledger.receive(on=ON, actor="t", procedure="statutory") for _ in range(4)]
        prefix = POLICY.reference_prefix
        sequence = sequence_id(prefix, 2025)
        loaded = ledger.read(lambda: ledger._reference_sequence(sequence))
        replayed = _replayed(ledger, sequence)
        assert isinstance(loaded, ReferenceSequence)
        assert vars(loaded) == vars(replayed)
        assert loaded.version == 5 and loaded.last_number == 4
        assert issued[-1] == f"{prefix}-2025-0004"
        # the next number follows on from the last one issued
        assert ledger.receive(on=ON, actor="t", procedure="statutory") == f"{prefix}-2025-0005"
        assert ledger.verify().intact
    finally:
        ledger.close()


def test_a_reference_sequence_with_only_its_start_is_loaded_as_started(db_url: str) -> None:
    ledger = Ledger(db_url, POLICY)
    try:
        started = ReferenceSequence.start("ONE", 2025)
        ledger.unit_of_work(lambda: ledger.save(started) and None)
        loaded = ledger.read(lambda: ledger._reference_sequence(sequence_id("ONE", 2025)))
        assert loaded is not None
        assert vars(loaded) == vars(_replayed(ledger, sequence_id("ONE", 2025)))
        assert loaded.version == 1 and loaded.last_number == 0
        assert ledger.read(lambda: ledger._reference_sequence(sequence_id("NONE", 2025))) is None
    finally:
        ledger.close()


def test_a_case_folded_for_a_command_equals_the_librarys_replay(db_url: str) -> None:
    ledger = Ledger(db_url, POLICY)
    try:
        ledger.receive(on=ON, actor="t", procedure="statutory", ref="L-1")
        ledger.acknowledge("L-1", on=date(2025, 4, 8), actor="t")
        for day in (9, 10, 11):
            ledger.act(
                "L-1", lambda c, p, d=day: c.recommend(on=date(2025, 4, d), actor="t", policy=p)
            )
        loaded = ledger.read(lambda: ledger._get(case_id("L-1")))
        replayed = _replayed(ledger, case_id("L-1"))
        assert loaded is not None and loaded.version == replayed.version >= 6
        assert vars(loaded) == vars(replayed)
        at = ledger.read(lambda: ledger.aggregate_at(case_id("L-1"), 3))
        replayed_at = ledger.read(
            lambda: ledger.repository.get(
                case_id("L-1"), version=3, projector_func=project_aggregate
            )
        )
        assert vars(at) == vars(replayed_at)
    finally:
        ledger.close()
