"""A ledger made before ADR 0054 holds the report's old stage and representation
indexes beside nothing that uses them; opening it to write drops them (their covering
successors are built in the same opening), on both engines."""

from __future__ import annotations

from datetime import date

from sqlalchemy import create_engine

from domain.procedure import ProcedurePolicy
from ledger.application import Ledger
from projections import tables
from tests.projections.test_indexes_built_at_the_end import read_model_indexes

POLICY = ProcedurePolicy(today=date(2026, 11, 23))
#: Two of the indexes as the version before ADR 0054 declared them.
OLD_INDEXES = {
    "rm_stage_by_started_on": "rm_stage (procedure, stage, started_on)",
    "rm_representation_by_received": "rm_representation (kind, received_on)",
}


def names(url: str) -> set[str]:
    return {name for _table, name, _columns in read_model_indexes(url)}


def test_no_retired_index_is_still_declared() -> None:
    declared = {str(index.name) for index in tables.secondary_indexes()}
    assert not declared & set(tables.RETIRED_INDEXES)


def test_opening_a_ledger_made_before_drops_the_reports_retired_indexes(db_url: str) -> None:
    Ledger(db_url, POLICY).close()
    fresh = names(db_url)
    engine = create_engine(db_url)
    try:
        with engine.begin() as connection:
            for name, on in OLD_INDEXES.items():
                connection.exec_driver_sql(f"CREATE INDEX {name} ON {on}")
    finally:
        engine.dispose()
    assert names(db_url) == fresh | set(OLD_INDEXES)
    Ledger(db_url, POLICY).close()  # opened to write
    assert names(db_url) == fresh
