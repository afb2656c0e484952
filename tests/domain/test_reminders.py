"""When an owner is told (ADR 0033): the reminder rules on the working-day calendar,
and the day's log of digests that tells nobody twice."""

from __future__ import annotations

from datetime import date

import pytest

from domain.calendar import WorkingDayCalendar
from domain.errors import BadData
from domain.reminders import (
    ACKNOWLEDGEMENT,
    DUE,
    ESCALATED,
    OVERDUE,
    PANEL,
    RECOMMENDATION,
    RESPONSE,
    ReminderLog,
    ReminderRules,
)

CALENDAR = WorkingDayCalendar()
RULES = ReminderRules()


def test_an_acknowledgement_is_reminded_the_working_day_before_it_is_due() -> None:
    # Friday 25 April 2025 for an acknowledgement due Monday 28 April.
    assert RULES.status(ACKNOWLEDGEMENT, date(2025, 4, 28), date(2025, 4, 25), CALENDAR) == DUE
    assert RULES.status(ACKNOWLEDGEMENT, date(2025, 4, 28), date(2025, 4, 24), CALENDAR) is None


def test_a_response_is_reminded_three_working_days_ahead_then_overdue_then_escalated() -> None:
    due = date(2025, 5, 9)  # a Friday
    assert RULES.status(RESPONSE, due, date(2025, 5, 5), CALENDAR) is None
    assert RULES.status(RESPONSE, due, date(2025, 5, 6), CALENDAR) == DUE
    assert RULES.status(RESPONSE, due, date(2025, 5, 12), CALENDAR) == OVERDUE
    assert RULES.status(RESPONSE, due, date(2025, 5, 15), CALENDAR) == OVERDUE
    assert RULES.status(RESPONSE, due, date(2025, 5, 16), CALENDAR) == ESCALATED


def test_a_recommendation_is_reminded_seven_days_ahead_and_a_panel_five_working_days() -> None:
    assert RULES.status(RECOMMENDATION, date(2025, 5, 9), date(2025, 5, 2), CALENDAR) == DUE
    assert RULES.status(RECOMMENDATION, date(2025, 5, 9), date(2025, 5, 1), CALENDAR) is None
    # Monday 5 May 2025 is a bank holiday: 1 May is five working days before 9 May.
    assert RULES.status(PANEL, date(2025, 5, 9), date(2025, 5, 1), CALENDAR) == DUE
    assert RULES.status(PANEL, date(2025, 5, 9), date(2025, 4, 30), CALENDAR) is None


def test_the_days_log_tells_an_address_once() -> None:
    log = ReminderLog.start(date(2025, 4, 23))
    log.digest_sent(address="a@x.gov.uk", items=["CSC-2025-0001 stage 1 response"], actor="t")
    assert log.told == {"a@x.gov.uk": ("CSC-2025-0001 stage 1 response",)}
    with pytest.raises(BadData):
        log.digest_sent(address="a@x.gov.uk", items=[], actor="t")
