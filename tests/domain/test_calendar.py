"""The working-day calendar: England's bank holidays, closure days and paused clocks.

Expected dates were worked out by hand from the published England and Wales bank
holidays (gov.uk) and checked against a wall calendar; the property tests then pin the
identities that every deadline and every timeliness figure rely on.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.calendar import ClockStopped, Pause, WorkingDayCalendar, calendar_with_closures

ENGLAND = WorkingDayCalendar()


# ------------------------------------------------------------------ bank holidays
def test_easter_2024_good_friday_and_easter_monday_are_not_working_days() -> None:
    assert not ENGLAND.is_working_day(date(2024, 3, 29))  # Good Friday
    assert not ENGLAND.is_working_day(date(2024, 4, 1))  # Easter Monday
    assert ENGLAND.is_working_day(date(2024, 3, 28))  # Maundy Thursday
    assert ENGLAND.is_working_day(date(2024, 4, 2))


def test_easter_2024_one_working_day_after_maundy_thursday_is_the_tuesday() -> None:
    # Thu 28 Mar is day 0; Fri 29 (Good Friday), the weekend and Mon 1 Apr (Easter
    # Monday) do not count.
    assert ENGLAND.add_working_days(date(2024, 3, 28), 1) == date(2024, 4, 2)


def test_christmas_2021_substitute_days_are_not_working_days() -> None:
    # Christmas Day and Boxing Day 2021 fell on Saturday and Sunday: the bank
    # holidays moved to Monday 27 and Tuesday 28 December.
    for day in (date(2021, 12, 25), date(2021, 12, 26), date(2021, 12, 27), date(2021, 12, 28)):
        assert not ENGLAND.is_working_day(day), day
    assert ENGLAND.is_bank_holiday(date(2021, 12, 27))
    assert ENGLAND.is_bank_holiday(date(2021, 12, 28))
    assert ENGLAND.is_working_day(date(2021, 12, 29))
    assert ENGLAND.add_working_days(date(2021, 12, 24), 1) == date(2021, 12, 29)


def test_early_may_bank_holiday_is_not_a_working_day() -> None:
    assert not ENGLAND.is_working_day(date(2026, 5, 4))
    # Friday 1 May 2026 is day 0; Monday 4 May is the early May bank holiday.
    assert ENGLAND.add_working_days(date(2026, 5, 1), 1) == date(2026, 5, 5)


def test_early_may_bank_holiday_2020_moved_to_ve_day() -> None:
    # In 2020 the early May bank holiday moved from Monday 4 May to Friday 8 May.
    assert ENGLAND.is_working_day(date(2020, 5, 4))
    assert not ENGLAND.is_working_day(date(2020, 5, 8))


def test_spring_and_late_summer_bank_holidays_2026() -> None:
    assert not ENGLAND.is_working_day(date(2026, 5, 25))
    assert not ENGLAND.is_working_day(date(2026, 8, 31))


def test_weekends_are_not_working_days() -> None:
    assert not ENGLAND.is_working_day(date(2026, 11, 21))  # Saturday
    assert not ENGLAND.is_working_day(date(2026, 11, 22))  # Sunday
    assert ENGLAND.is_working_day(date(2026, 11, 23))  # Monday


# ------------------------------------------------------------------- closure days
def test_configured_closure_days_are_skipped() -> None:
    closures = [date(2026, 12, 29), date(2026, 12, 30), date(2026, 12, 31)]
    council = calendar_with_closures(closures)
    for day in closures:
        assert ENGLAND.is_working_day(day)
        assert not council.is_working_day(day)
        assert not council.is_bank_holiday(day)
    # Thu 24 Dec 2026 is day 0. Fri 25 Christmas, weekend, Mon 28 Boxing Day
    # (substitute), Tue 29 to Thu 31 closed, Fri 1 Jan New Year's Day, weekend.
    assert council.add_working_days(date(2026, 12, 24), 1) == date(2027, 1, 4)
    assert ENGLAND.add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)


def test_closure_day_moves_a_ten_day_deadline_by_one_day() -> None:
    council = calendar_with_closures([date(2026, 11, 27)])
    assert ENGLAND.add_working_days(date(2026, 11, 16), 10) == date(2026, 11, 30)
    assert council.add_working_days(date(2026, 11, 16), 10) == date(2026, 12, 1)


# ------------------------------------------------------------------------ counting
def test_day_zero_is_the_day_of_receipt() -> None:
    friday = date(2026, 11, 20)
    assert ENGLAND.add_working_days(friday, 0) == friday
    assert ENGLAND.add_working_days(friday, 1) == date(2026, 11, 23)  # Monday
    assert ENGLAND.working_days_between(friday, friday) == 0
    assert ENGLAND.working_days_between(friday, date(2026, 11, 23)) == 1


def test_receipt_on_a_weekend_counts_from_the_next_working_day() -> None:
    saturday = date(2026, 11, 21)
    assert ENGLAND.add_working_days(saturday, 0) == saturday
    assert ENGLAND.add_working_days(saturday, 1) == date(2026, 11, 23)


def test_ten_working_days_over_the_spring_bank_holiday() -> None:
    # Mon 11 May 2026: 12-15 May (4), 18-22 May (9), Mon 25 bank holiday, Tue 26 (10).
    assert ENGLAND.add_working_days(date(2026, 5, 11), 10) == date(2026, 5, 26)
    assert ENGLAND.working_days_between(date(2026, 5, 11), date(2026, 5, 26)) == 10


def test_sixty_five_working_days_over_the_late_summer_bank_holiday() -> None:
    # From Mon 1 Jun 2026: 21 in June, 23 in July, 20 in August (31 Aug is a bank
    # holiday), Tue 1 Sep is the 65th.
    assert ENGLAND.add_working_days(date(2026, 6, 1), 65) == date(2026, 9, 1)


def test_a_deadline_on_the_years_last_working_day_stays_in_that_year() -> None:
    # 2023 ended on a weekend after Christmas Day and Boxing Day: Friday 29 December was
    # its last working day, not Sunday the 31st.
    assert ENGLAND.add_working_days(date(2023, 12, 28), 1) == date(2023, 12, 29)
    assert ENGLAND.add_working_days(date(2023, 12, 20), 5) == date(2023, 12, 29)
    assert ENGLAND.add_working_days(date(2023, 12, 28), 2) == date(2024, 1, 2)


def test_working_days_between_is_zero_when_end_is_not_after_start() -> None:
    assert ENGLAND.working_days_between(date(2026, 11, 23), date(2026, 11, 1)) == 0


def test_negative_working_days_are_refused() -> None:
    with pytest.raises(ValueError):
        ENGLAND.add_working_days(date(2026, 11, 23), -1)


def test_is_within_the_deadline_day_itself() -> None:
    start = date(2026, 5, 11)
    assert ENGLAND.is_within(start, date(2026, 5, 26), 10)
    assert not ENGLAND.is_within(start, date(2026, 5, 27), 10)
    assert ENGLAND.is_within(start, start, 10)


# ------------------------------------------------------------------------- pauses
def test_suspension_pauses_stop_the_clock() -> None:
    start = date(2026, 11, 2)  # Monday
    assert ENGLAND.add_working_days(start, 10) == date(2026, 11, 16)
    # On hold from Wed 4 Nov, resumed Mon 9 Nov: 4, 5 and 6 Nov do not count.
    pauses: list[Pause] = [(date(2026, 11, 4), date(2026, 11, 9))]
    assert ENGLAND.add_working_days(start, 10, pauses) == date(2026, 11, 19)
    assert ENGLAND.working_days_between(start, date(2026, 11, 19), pauses) == 10
    assert ENGLAND.working_days_between(start, date(2026, 11, 9), pauses) == 2
    assert ENGLAND.is_within(start, date(2026, 11, 19), 10, pauses)
    assert not ENGLAND.is_within(start, date(2026, 11, 20), 10, pauses)


def test_day_of_resumption_counts_and_day_of_suspension_does_not() -> None:
    start = date(2026, 11, 2)
    pauses: list[Pause] = [(date(2026, 11, 3), date(2026, 11, 4))]  # only Tue 3 Nov
    assert ENGLAND.add_working_days(start, 1, pauses) == date(2026, 11, 4)


def test_open_pause_stops_counting_from_its_first_day() -> None:
    start = date(2026, 11, 2)
    pauses: list[Pause] = [(date(2026, 11, 5), None)]
    assert ENGLAND.working_days_between(start, date(2026, 11, 20), pauses) == 2
    assert ENGLAND.add_working_days(start, 2, pauses) == date(2026, 11, 4)


def test_counting_into_an_open_pause_gives_no_deadline() -> None:
    start = date(2026, 11, 2)
    pauses: list[Pause] = [(date(2026, 11, 5), None)]
    with pytest.raises(ClockStopped):
        ENGLAND.add_working_days(start, 3, pauses)
    with pytest.raises(ClockStopped):
        ENGLAND.is_within(start, date(2026, 11, 20), 10, pauses)


def test_pause_before_the_start_makes_no_difference() -> None:
    pauses: list[Pause] = [(date(2026, 10, 1), date(2026, 10, 20))]
    start = date(2026, 11, 2)
    assert ENGLAND.add_working_days(start, 10, pauses) == ENGLAND.add_working_days(start, 10)


# ------------------------------------------------------------------ properties
START_DATES = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))
WORKING_DAYS = st.integers(min_value=0, max_value=80)


@st.composite
def closures_near(draw: st.DrawFn, start: date) -> frozenset[date]:
    offsets = draw(st.lists(st.integers(min_value=-5, max_value=150), max_size=12))
    return frozenset(start + timedelta(days=o) for o in offsets)


@st.composite
def pauses_near(draw: st.DrawFn, start: date) -> list[Pause]:
    """Closed pauses (a case that was on hold and resumed), possibly overlapping."""
    pauses: list[Pause] = []
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        first = start + timedelta(days=draw(st.integers(min_value=-10, max_value=120)))
        length = draw(st.integers(min_value=1, max_value=30))
        pauses.append((first, first + timedelta(days=length)))
    return pauses


@st.composite
def scenarios(
    draw: st.DrawFn,
) -> tuple[WorkingDayCalendar, date, list[Pause]]:
    start = draw(START_DATES)
    closures = draw(st.one_of(st.just(frozenset()), closures_near(start)))
    pauses = draw(st.one_of(st.just([]), pauses_near(start)))
    return WorkingDayCalendar(closure_days=closures), start, pauses


def _counts(calendar: WorkingDayCalendar, day: date, pauses: list[Pause]) -> bool:
    paused = any(first <= day and (resumed is None or day < resumed) for first, resumed in pauses)
    return calendar.is_working_day(day) and not paused


@given(start=START_DATES, n=WORKING_DAYS)
def test_deadline_is_a_working_day(start: date, n: int) -> None:
    deadline = ENGLAND.add_working_days(start, n)
    if n == 0:
        assert deadline == start
    else:
        assert deadline > start
        assert ENGLAND.is_working_day(deadline)


@given(start=START_DATES, n=WORKING_DAYS)
def test_counting_back_gives_the_same_number(start: date, n: int) -> None:
    assert ENGLAND.working_days_between(start, ENGLAND.add_working_days(start, n)) == n


@given(start=START_DATES, n=st.integers(min_value=0, max_value=79), extra=st.integers(1, 20))
def test_deadlines_grow_with_the_number_of_days(start: date, n: int, extra: int) -> None:
    assert ENGLAND.add_working_days(start, n) < ENGLAND.add_working_days(start, n + extra)
    assert ENGLAND.add_working_days(start, n) < ENGLAND.add_working_days(start, n + 1)


@given(start=START_DATES, n=WORKING_DAYS, offset=st.integers(min_value=-10, max_value=150))
def test_is_within_agrees_with_the_deadline_and_the_count(start: date, n: int, offset: int) -> None:
    end = start + timedelta(days=offset)
    deadline = ENGLAND.add_working_days(start, n)
    within = ENGLAND.is_within(start, end, n)
    assert within == (end <= deadline)
    counted = ENGLAND.working_days_between(start, end)
    if within:
        assert counted <= n
    if counted < n:
        assert within
    if ENGLAND.is_working_day(end) and end > start:
        assert within == (counted <= n)


@settings(max_examples=200)
@given(scenario=scenarios(), n=WORKING_DAYS)
def test_identities_hold_with_closures_and_pauses(
    scenario: tuple[WorkingDayCalendar, date, list[Pause]], n: int
) -> None:
    calendar, start, pauses = scenario
    deadline = calendar.add_working_days(start, n, pauses)
    if n == 0:
        assert deadline == start
    else:
        assert deadline > start
        assert calendar.is_working_day(deadline)
        assert _counts(calendar, deadline, pauses)
    assert calendar.working_days_between(start, deadline, pauses) == n
    # Pauses and closures can only push a deadline later, never earlier.
    assert deadline >= ENGLAND.add_working_days(start, n)
    assert deadline >= calendar.add_working_days(start, n)
    if n < 80:
        assert deadline < calendar.add_working_days(start, n + 1, pauses)
    # Every day strictly between the previous deadline and this one does not count.
    if n > 0:
        previous = calendar.add_working_days(start, n - 1, pauses)
        day = previous + timedelta(days=1)
        while day < deadline:
            assert not _counts(calendar, day, pauses)
            day += timedelta(days=1)
    assert calendar.is_within(start, deadline, n, pauses)
    assert not calendar.is_within(start, deadline + timedelta(days=1), n, pauses)


@given(scenario=scenarios(), n=WORKING_DAYS, offset=st.integers(min_value=-10, max_value=200))
def test_is_within_is_consistent_with_closures_and_pauses(
    scenario: tuple[WorkingDayCalendar, date, list[Pause]], n: int, offset: int
) -> None:
    calendar, start, pauses = scenario
    end = start + timedelta(days=offset)
    within = calendar.is_within(start, end, n, pauses)
    assert within == (end <= calendar.add_working_days(start, n, pauses))
    counted = calendar.working_days_between(start, end, pauses)
    if within:
        assert counted <= n
    if counted < n:
        assert within
    if end > start and _counts(calendar, end, pauses):
        assert within == (counted <= n)


@given(
    start=START_DATES,
    n=WORKING_DAYS,
    hold_offset=st.integers(min_value=-10, max_value=150),
)
def test_open_pause_gives_a_deadline_before_it_or_none(
    start: date, n: int, hold_offset: int
) -> None:
    held_from = start + timedelta(days=hold_offset)
    pauses: list[Pause] = [(held_from, None)]
    plain = ENGLAND.add_working_days(start, n)
    if n == 0 or plain < held_from:
        assert ENGLAND.add_working_days(start, n, pauses) == plain
    else:
        with pytest.raises(ClockStopped):
            ENGLAND.add_working_days(start, n, pauses)


# ------------------------------------------------------- the years' counts (ADR 0046)
@settings(max_examples=200)
@given(
    start=st.one_of(
        START_DATES, st.dates(min_value=date(2024, 12, 20), max_value=date(2025, 1, 3))
    ),
    closures=st.lists(
        st.dates(min_value=date(2015, 1, 1), max_value=date(2036, 12, 31)), max_size=30
    ),
    n=st.integers(min_value=0, max_value=600),
    offset=st.integers(min_value=-20, max_value=900),
)
def test_the_years_counts_agree_with_counting_day_by_day(
    start: date, closures: list[date], n: int, offset: int
) -> None:
    """Deadlines and counts without holds come from each year's table of working days;
    they are what counting one day at a time gives, across year ends and closures."""
    calendar = WorkingDayCalendar(closure_days=frozenset(closures))
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        counted += calendar.is_working_day(day)
    assert calendar.add_working_days(start, n) == day
    end = start + timedelta(days=offset)
    by_day = sum(
        calendar.is_working_day(start + timedelta(days=i)) for i in range(1, max(offset, 0) + 1)
    )
    assert calendar.working_days_between(start, end) == by_day
