"""A ledger whose read models have the shape an older version wrote (before the case's
facts were copied onto the rows the reports count, ADR 0045) opens without failing:
an index over a column its stored table lacks is left until the rebuild that the older
projection version starts, which recreates the table with every index. The report is
then the same as on a ledger built by this version."""

from __future__ import annotations

from datetime import date

from sqlalchemy import create_engine, inspect, text, update

from demo.generator import generate
from domain.procedure import ProcedurePolicy
from ledger.application import Ledger
from projections import tables
from reports.annual import AnnualReport, parse_year

POLICY = ProcedurePolicy(today=date(2026, 11, 23))

#: The columns this version added to the read models, by table.
ADDED = {
    "rm_stage": (
        "service_area",
        "team",
        "channel",
        "role",
        "age_band",
        "ethnicity",
        "disability",
        "direct_from_child",
        "advocate_offered",
        "advocate_accepted",
        "provider",
    ),
    "rm_case_reason": ("procedure", "stage1_started_on", "stage1_responded_on", "stage1_outcome"),
    "rm_point": ("procedure", "responded_on"),
    "rm_remedy": ("procedure",),
}


def _older_shape(url: str) -> list[str]:
    """Take this version's columns (and the indexes over them) off the read models and
    mark them as written by the previous version; the indexes taken off, by name."""
    engine = create_engine(url)
    dropped = []
    try:
        with engine.begin() as connection:
            for name, columns in ADDED.items():
                table = tables.metadata.tables[name]
                for index in table.indexes:
                    if {c.name for c in index.columns} & set(columns):
                        connection.execute(text(f"DROP INDEX {index.name}"))
                        dropped.append(str(index.name))
                for column in columns:
                    connection.execute(text(f"ALTER TABLE {name} DROP COLUMN {column}"))
            connection.execute(update(tables.tracking).values(version="case-facts-8:older"))
    finally:
        engine.dispose()
    return dropped


def _columns_and_indexes(url: str) -> tuple[dict[str, set[str]], set[str]]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            found = inspect(connection)
            columns = {n: {c["name"] for c in found.get_columns(n)} for n in ADDED}
            indexes = {str(i["name"]) for n in ADDED for i in found.get_indexes(n)}
    finally:
        engine.dispose()
    return columns, indexes


def test_a_ledger_of_the_older_read_model_shape_opens_and_rebuilds(db_url: str) -> None:
    year = parse_year("2025")
    ledger = Ledger(db_url, POLICY)
    try:
        for chunk in generate(7, 2, 40, 2024, ledger.policy, chunk_size=25):
            ledger.record_many(chunk)
        expected = ledger.query(lambda s: AnnualReport(s, "statutory").build(year))
    finally:
        ledger.close()
    assert expected["stage1"]["by_reason"] and expected["remedies"]

    dropped = _older_shape(db_url)
    assert dropped  # the test takes off indexes over the new columns
    columns, indexes = _columns_and_indexes(db_url)
    assert not columns["rm_stage"] & set(ADDED["rm_stage"])

    ledger = Ledger(db_url, POLICY)  # opens: no index over a column the table lacks
    try:
        columns, indexes = _columns_and_indexes(db_url)
        assert not set(dropped) & indexes  # left for the rebuild
        # The previous version's read models are rebuilt before the report is read.
        assert ledger.query(lambda s: AnnualReport(s, "statutory").build(year)) == expected
    finally:
        ledger.close()
    columns, indexes = _columns_and_indexes(db_url)
    for name, added in ADDED.items():
        assert set(added) <= columns[name]
    assert set(dropped) <= indexes
