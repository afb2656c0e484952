"""The council's retention schedule for personal data (issue 10, ADR 0021).

Personal data of a closed case is erased a number of years after it closed; a case the
Ombudsman looked into is kept longer, counted from the later of its closure and the
Ombudsman's last step; a case under legal hold is never due. Closure: the day the case
ended (withdrawn, redirected, resolved) or, for a case whose current stage was
responded to, that response (a later escalation reopens it and moves the day).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from domain.errors import BadData

if TYPE_CHECKING:
    from domain.complaint import Complaint


@dataclass(frozen=True)
class RetentionSchedule:
    #: Years after closure that a closed case's personal data is kept.
    closed_years: int = 6
    #: Years kept when the Ombudsman opened an enquiry (from the later of closure and
    #: the Ombudsman's last step).
    ombudsman_years: int = 10

    def __post_init__(self) -> None:
        for name in ("closed_years", "ombudsman_years"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise BadData(f"retention {name} must be a whole number of years, at least 1")
        if self.ombudsman_years < self.closed_years:
            raise BadData(
                "retention ombudsman_years must be at least closed_years "
                "(cases the Ombudsman looked into are kept longer)"
            )


@dataclass(frozen=True)
class Retention:
    """Where a case stands under the schedule."""

    ref: str
    #: ``due``, ``held`` (legal hold), ``kept`` (not yet due), ``open`` or ``erased``.
    state: str
    closed_on: date | None = None
    due_on: date | None = None
    basis: str = ""


def closed_on(complaint: Complaint) -> date | None:
    """The day the case closed, or None while it is open."""
    if complaint.ended:
        return complaint.ended_on
    stage = complaint.stage
    if stage is None or stage.is_open or complaint.is_suspended:
        return None
    return stage.ended_on


def years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def retention(complaint: Complaint, schedule: RetentionSchedule, as_of: date) -> Retention:
    """Whether ``complaint``'s personal data is due for erasure on ``as_of``, and why."""
    ref = complaint.ref
    if complaint.erasure_of("all") is not None:
        return Retention(ref, "erased")
    closed = closed_on(complaint)
    if closed is None:
        return Retention(ref, "open")
    if complaint.ombudsman:
        steps = [closed]
        for enquiry in complaint.ombudsman:
            steps += [d for d in (enquiry.enquiry_on, enquiry.decided_on, enquiry.complied_on) if d]
        since, years = max(steps), schedule.ombudsman_years
        basis = (
            f"retention schedule: a case the Ombudsman looked into is kept {years} years "
            f"after closure and the Ombudsman's last step ({since.isoformat()})"
        )
    else:
        since, years = closed, schedule.closed_years
        basis = (
            f"retention schedule: personal data of a closed case is kept {years} years "
            f"after closure (closed {closed.isoformat()})"
        )
    due = years_after(since, years)
    hold = complaint.legal_hold
    if hold is not None:
        return Retention(
            ref, "held", closed, due, f"legal hold placed on {hold.on.isoformat()} by {hold.actor}"
        )
    return Retention(ref, "due" if due <= as_of else "kept", closed, due, basis)
