"""Opening a ledger to write creates only what its schema lacks, found in one query
(ADR 0036): a new ledger gets every table and index, and a ledger missing an index (an
older one, or one whose index was dropped) gets it back on the next open."""

from __future__ import annotations

import sqlalchemy

from ledger.application import Ledger
from ledger.store.storage import schema_names
from projections import tables as read_models


def expected_names(app: Ledger) -> set[str]:
    names = set()
    for table in app.recorder.tables + read_models.metadata.sorted_tables:  # type: ignore[attr-defined]
        names.add(table.name)
        names |= {str(index.name) for index in table.indexes}
    return names


def test_a_new_ledger_holds_every_table_and_index(db_url: str) -> None:
    app = Ledger(db_url)
    try:
        with app.engine.connect() as connection:
            present = schema_names(connection)
        assert expected_names(app) <= present
    finally:
        app.close()


def test_an_index_dropped_is_created_again_when_the_ledger_is_next_opened(db_url: str) -> None:
    Ledger(db_url).close()
    engine = sqlalchemy.create_engine(db_url)
    with engine.begin() as connection:
        connection.execute(sqlalchemy.text("DROP INDEX rm_payment_by_date"))
        assert "rm_payment_by_date" not in schema_names(connection)
    app = Ledger(db_url)
    try:
        with app.engine.connect() as connection:
            assert "rm_payment_by_date" in schema_names(connection)
    finally:
        app.close()
        engine.dispose()
