"""The stored bank holidays are exactly what the holidays library says, per version."""

from __future__ import annotations

from datetime import date

import sqlalchemy
from sqlalchemy import select

from domain.calendar import england_bank_holidays
from ledger.application import Ledger
from ledger.store.bank_holidays import (
    FIRST_YEAR,
    bank_holidays_table,
    library_version,
)


def test_the_store_holds_what_the_library_says(db_url: str) -> None:
    ledger = Ledger(db_url)
    try:
        calendar = ledger.policy.calendar
        for year in (FIRST_YEAR, 2012, 2020, 2022, 2023, 2024, date.today().year + 5):
            assert calendar.bank_holidays(year) == england_bank_holidays(year)
        # King Charles III's coronation, a one-off bank holiday in 2023.
        assert not calendar.is_working_day(date(2023, 5, 8))
        # Years outside the stored span still come from the library.
        assert calendar.bank_holidays(1995) == england_bank_holidays(1995)
        engine = sqlalchemy.create_engine(db_url)
        with engine.connect() as connection:
            versions = set(
                connection.execute(select(bank_holidays_table.c.library_version)).scalars()
            )
        engine.dispose()
        assert versions == {library_version()}
        assert library_version() != "unknown"
    finally:
        ledger.close()


def test_a_second_ledger_reads_the_store_without_writing_it_again(db_url: str) -> None:
    Ledger(db_url).close()
    again = Ledger(db_url)
    try:
        assert again.policy.calendar.bank_holidays(2024) == england_bank_holidays(2024)
    finally:
        again.close()
