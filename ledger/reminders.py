"""The use cases of reminders (ADR 0033): tell each owner what is due, once a day, and
export the open deadlines as a calendar.

``remind`` reads the open deadlines from the read models, works out each address's
digest, leaves out those the day's :class:`ReminderLog` says were already told, and
sends the rest one by one, recording each right after the mail server accepted it (its
own unit of work): a run that fails part-way leaves the unsent ones to the next run,
and a second run on the same day sends nothing twice.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from domain.errors import BadData
from domain.registers import TEAM
from domain.reminders import ReminderLog, reminder_log_id
from ledger.settings import ReminderSettings
from ledger.store.mail import MailServer, connected
from reports.reminders import (
    Digest,
    Digests,
    calendar_file,
    digest_message,
    digests,
    only_for,
    open_deadlines,
)

if TYPE_CHECKING:
    from ledger.application import Ledger


@dataclass
class Reminding:
    """What a run of ``remind`` did: the digests sent, those already sent that day."""

    planned: Digests
    sent: list[Digest] = field(default_factory=list)
    already: list[str] = field(default_factory=list)


def planned_digests(app: Ledger, settings: ReminderSettings, on: date) -> Digests:
    calendar = app.policy.calendar
    return app.query(
        lambda session: digests(
            open_deadlines(session, on, calendar), settings.owners, settings.rules, on, calendar
        )
    )


def told_on(app: Ledger, on: date) -> dict[str, tuple[str, ...]]:
    """The addresses told on ``on`` and what each was told."""

    def work() -> dict[str, tuple[str, ...]]:
        log = app._get(reminder_log_id(on))
        return dict(log.told) if isinstance(log, ReminderLog) else {}

    return app.read(work)


def record_digest(app: Ledger, on: date, digest: Digest, actor: str) -> None:
    """Record that ``digest`` was sent (the server accepted it) on ``on``."""

    def work() -> None:
        log = app._get(reminder_log_id(on))
        if not isinstance(log, ReminderLog):
            log = ReminderLog.start(on)
        log.digest_sent(address=digest.address, items=digest.lines, actor=actor)
        app.save(log)

    app.unit_of_work(work)


def remind(
    app: Ledger,
    settings: ReminderSettings,
    *,
    on: date,
    actor: str,
    server: MailServer | None,
    sender: str,
    on_sent: Callable[[Digest], None] | None = None,
) -> Reminding:
    """Send each address not yet told on ``on`` its digest (``server`` ``None``: a dry
    run, nothing sent or recorded)."""
    run = Reminding(planned_digests(app, settings, on))
    told = told_on(app, on)
    waiting = []
    for address, digest in sorted(run.planned.by_address.items()):
        if address in told:
            run.already.append(address)
        else:
            waiting.append(digest)
    if server is None or not waiting:
        run.sent = waiting if server is None else []
        return run
    with connected(server) as mailer:
        for digest in waiting:
            mailer.send(digest_message(digest, on, sender))
            record_digest(app, on, digest, actor)
            run.sent.append(digest)
            if on_sent is not None:
                on_sent(digest)
    return run


def deadline_calendar(
    app: Ledger,
    settings: ReminderSettings,
    *,
    on: date,
    team: str | None = None,
    owner: str | None = None,
) -> bytes:
    """The open deadlines on ``on`` (of ``team``'s cases, or those ``owner`` answers
    for) as an iCalendar file."""
    if team is not None:
        known = set(settings.owners.teams)
        register = app.policy.teams
        if register is not None:
            known |= set(register.names)
        known |= {used.name for used in app.names_in_use(TEAM)}
        if team not in known:
            raise BadData(
                f"unknown team {team!r}: not in the register of teams, [[owners]] or any case"
            )
    if owner is not None and not any(
        owner in (o.manager, o.deputy, o.escalation) for o in settings.owners.entries
    ):
        raise BadData(f"{owner!r} is not the manager, deputy or escalation of any owner")
    calendar = app.policy.calendar
    deadlines = app.query(lambda session: open_deadlines(session, on, calendar))
    return calendar_file(only_for(deadlines, settings.owners, on, team, owner), on)


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, renamed
    over it: a reader never sees half a file, and a failure leaves none."""
    folder = path.resolve().parent
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
