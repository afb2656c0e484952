"""A store of what the ``holidays`` library says England's bank holidays are.

Importing the library takes about a fifth of a second, on every command. The ledger
asks it once per installed version, for a span of years, keeps the answer in its own
database, and afterwards reads it back in one query. A new version of the library (a
newly announced bank holiday) is asked again; a year outside the span falls back to
the library itself.
"""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path

from sqlalchemy import Column, Date, Integer, MetaData, String, Table, insert, select
from sqlalchemy.engine import Connection

from domain.calendar import england_bank_holidays

FIRST_YEAR = 2000
YEARS_AHEAD = 10

holiday_metadata = MetaData()
bank_holidays_table = Table(
    "calendar_bank_holidays",
    holiday_metadata,
    Column("library_version", String(40), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("day", Date, primary_key=True),
)


def library_version() -> str:
    """The installed ``holidays`` version, read without importing the library."""
    spec = importlib.util.find_spec("holidays")
    if spec is None or spec.origin is None:
        return "unknown"
    site = Path(spec.origin).resolve().parent.parent
    for dist in sorted(site.glob("holidays-*.dist-info")):
        return dist.name.removeprefix("holidays-").removesuffix(".dist-info")
    return "unknown"


class StoredBankHolidays:
    """Bank holidays by year, loaded from the store (filled from the library if needed)."""

    def __init__(self, by_year: dict[int, frozenset[date]]) -> None:
        self.by_year = by_year

    def __call__(self, year: int) -> frozenset[date]:
        known = self.by_year.get(year)
        return known if known is not None else england_bank_holidays(year)

    @classmethod
    def load(
        cls, connection: Connection, today: date | None = None, store: bool = True
    ) -> StoredBankHolidays:
        version = library_version()
        if version == "unknown":
            return cls({})
        table = bank_holidays_table
        rows = connection.execute(
            select(table.c.year, table.c.day).where(table.c.library_version == version)
        ).all()
        by_year: dict[int, set[date]] = {}
        for row in rows:
            by_year.setdefault(int(row.year), set()).add(row.day)
        last = (today or date.today()).year + YEARS_AHEAD
        wanted = range(FIRST_YEAR, last + 1)
        missing = [year for year in wanted if year not in by_year]
        if missing and store:
            new_rows = [
                {"library_version": version, "year": year, "day": day}
                for year in missing
                for day in sorted(england_bank_holidays(year))
            ]
            connection.execute(insert(table), new_rows)
        for year in missing:  # read-only: the library's answer, not stored
            by_year[year] = set(england_bank_holidays(year))
        return cls({year: frozenset(days) for year, days in by_year.items()})
