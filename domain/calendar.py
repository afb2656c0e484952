"""The working-day calendar of the statutory procedure.

A working day is any day except Saturday, Sunday and the bank holidays of England
(Christmas Day, Boxing Day, Good Friday and the rest, with their substitute days), as
published by the maintained ``holidays`` library (country ``GB``, subdivision ``ENG``),
plus any closure days a council configures (for example between Christmas and New Year).

Counting follows the regulations: the day a complaint is received is day 0 and the
deadline is the Nth working day after it. Days on which a complaint was on hold do not
count (the clock stops while a complaint is suspended).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

ONE_DAY = timedelta(days=1)

#: A half-open run of days on which the clock stopped: ``[first, resumed)``.
#: ``resumed`` is ``None`` while the complaint is still on hold.
Pause = tuple[date, date | None]


class ClockStopped(ValueError):
    """The count reached a hold that has not been lifted: no deadline can be given."""


#: Where a year's bank holidays come from: the library itself, or a store of what the
#: library said (see ``ledger.store.bank_holidays``), which saves importing it every time.
BankHolidaySource = Callable[[int], frozenset[date]]


@lru_cache(maxsize=256)
def england_bank_holidays(year: int) -> frozenset[date]:
    """England's bank holidays in ``year``, from the ``holidays`` library."""
    import holidays  # imported when first needed: it takes a noticeable time to load

    england = holidays.country_holidays("GB", subdiv="ENG", years=year)
    return frozenset(england.keys())


@dataclass(frozen=True)
class WorkingDayCalendar:
    """England's working days, less the council's own closure days."""

    closure_days: frozenset[date] = field(default_factory=frozenset)
    bank_holidays: BankHolidaySource = field(
        default=england_bank_holidays, compare=False, repr=False
    )
    #: Each year's working days counted once (ADR 0046): for a year, entry ``i`` is how
    #: many of its first ``i`` days are working days, so a count without holds is two
    #: look-ups and a deadline one search.
    _years: dict[int, list[int]] = field(
        default_factory=dict, compare=False, repr=False, hash=False
    )

    def is_bank_holiday(self, day: date) -> bool:
        return day in self.bank_holidays(day.year)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and not self.is_bank_holiday(day) and day not in self.closure_days

    def _counts(self, day: date, pauses: Sequence[Pause]) -> bool:
        if not self.is_working_day(day):
            return False
        return not any(_paused_on(day, pause) for pause in pauses)

    def add_working_days(
        self, start: date, working_days: int, pauses: Sequence[Pause] = ()
    ) -> date:
        """The ``working_days``-th counting day after ``start`` (``start`` is day 0).

        Zero working days means ``start`` itself.
        """
        if working_days < 0:
            raise ValueError("working_days must not be negative")
        if not pauses:
            return self._nth_working_day_after(start, working_days)
        return self._add_working_days(start, working_days, pauses)

    def _working_days_of(self, year: int) -> list[int]:
        """Entry ``i``: how many of the first ``i`` days of ``year`` are working days."""
        counts = self._years.get(year)
        if counts is None:
            counts = [0]
            day = date(year, 1, 1)
            while day.year == year:
                counts.append(counts[-1] + self.is_working_day(day))
                day += ONE_DAY
            self._years[year] = counts
        return counts

    def _nth_working_day_after(self, start: date, working_days: int) -> date:
        """The ``working_days``-th working day after ``start``, from the years' counts."""
        if not working_days:
            return start
        year = start.year
        wanted = self._working_days_of(year)[_day_of_year(start)] + working_days
        while True:
            counts = self._working_days_of(year)
            if wanted <= counts[-1]:
                # the first day of the year by which ``wanted`` working days have passed
                return date(year, 1, 1) + timedelta(days=bisect_left(counts, wanted) - 1)
            wanted -= counts[-1]
            year += 1

    def _add_working_days(self, start: date, working_days: int, pauses: Sequence[Pause]) -> date:
        held_from = min((p[0] for p in pauses if p[1] is None), default=None)
        day = start
        remaining = working_days
        while remaining:
            day += timedelta(days=1)
            if held_from is not None and day >= held_from:
                raise ClockStopped(f"the clock stopped on {held_from.isoformat()}")
            if self._counts(day, pauses):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date, pauses: Sequence[Pause] = ()) -> int:
        """How many counting days lie after ``start`` up to and including ``end``.

        This is the working-day number of ``end`` when ``start`` is day 0; it is
        zero when ``end`` is on or before ``start``.
        """
        if not pauses:
            if end <= start:
                return 0
            count = (
                self._working_days_of(end.year)[_day_of_year(end)]
                - self._working_days_of(start.year)[_day_of_year(start)]
            )
            for year in range(start.year, end.year):
                count += self._working_days_of(year)[-1]
            return count
        return self._working_days_between(start, end, pauses)

    def _working_days_between(self, start: date, end: date, pauses: Sequence[Pause]) -> int:
        count = 0
        day = start
        while day < end:
            day += timedelta(days=1)
            if self._counts(day, pauses):
                count += 1
        return count

    def is_within(
        self, start: date, end: date, working_days: int, pauses: Sequence[Pause] = ()
    ) -> bool:
        """Whether ``end`` falls on or before the deadline of ``working_days``."""
        return end <= self.add_working_days(start, working_days, pauses)


def _day_of_year(day: date) -> int:
    """1 for the first of January."""
    return day.toordinal() - date(day.year, 1, 1).toordinal() + 1


def _paused_on(day: date, pause: Pause) -> bool:
    first, resumed = pause
    return first <= day and (resumed is None or day < resumed)


def calendar_with_closures(closures: Iterable[date]) -> WorkingDayCalendar:
    return WorkingDayCalendar(closure_days=frozenset(closures))
