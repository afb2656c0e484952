"""Reminders: each owner's digest of what is due, and the deadlines as a calendar."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cli.base import command
from cli.options import DATE, Refusal, actor, ledger, ledger_options, setting

if TYPE_CHECKING:
    from ledger.settings import ReminderSettings
    from reports.reminders import Digest


def _settings(ctx: click.Context) -> ReminderSettings:
    from ledger.settings import load_reminder_settings

    return load_reminder_settings(setting(ctx, "config"))


@command("remind")
@ledger_options
@click.option("--on", type=DATE, default=None, help="The day to remind for (default today).")
@click.option("--dry-run", is_flag=True, help="Print the digests; send and record nothing.")
@click.option("--smtp", "smtp", metavar="HOST:PORT", help="The mail server (default localhost:25).")
@click.option(
    "--from", "sender", metavar="ADDRESS", help="The sender's address (default complaints@HOST)."
)
@click.option("--starttls", is_flag=True, help="Switch to TLS (STARTTLS) before logging in.")
@click.option("--user", help="Log in to the mail server as USER (with --password-file).")
@click.option(
    "--password-file",
    type=click.Path(dir_okay=False),
    help="A file holding the mail server's password (its first line).",
)
@click.pass_context
def remind(
    ctx: click.Context,
    on: date | None,
    dry_run: bool,
    smtp: str | None,
    sender: str | None,
    starttls: bool,
    user: str | None,
    password_file: str | None,
) -> None:
    """E-mail each owner one digest of the deadlines near or past on --on.

    The owners are [[owners]] in the settings; [reminders] says how early they are told
    (by default: acknowledgements due tomorrow, responses within three working days,
    Stage 3 panels within five, recommendations within seven days, and what is overdue,
    to the escalation contact as well after five working days). References, stages,
    steps, teams and dates only: no names, no free text.

    Each digest sent is recorded in the ledger (verify covers it): a second run on the
    same day sends nothing twice, and a run stopped by the mail server leaves the
    digests not yet sent to the next run. --dry-run prints them instead.

    Example:

    \b
        complaints remind --on 2025-05-02 --dry-run
    """
    from domain.errors import BadData
    from domain.reminders import check_address
    from ledger.reminders import remind as run_reminders
    from ledger.store.mail import MailFailed, MailServer, parse_server

    day = on or date.today()
    try:
        host, port = parse_server(smtp or "localhost:25")
    except BadData as error:
        raise click.UsageError(error.message) from None
    if user is not None and password_file is None:
        raise click.UsageError("--user needs --password-file")
    password = None
    if password_file is not None:
        try:
            password = Path(password_file).read_text(encoding="utf-8").splitlines()[0]
        except (OSError, UnicodeDecodeError, IndexError):
            raise Refusal(f"--password-file: cannot read a password from {password_file}") from None
    from_address = sender or f"complaints@{host if '.' in host else 'localhost.localdomain'}"
    try:
        check_address("--from", from_address)
    except BadData as error:
        raise click.UsageError(error.message) from None
    settings = _settings(ctx)
    app = ledger(ctx)
    server = None if dry_run else MailServer(host, port, starttls, user, password)
    said = "would tell" if dry_run else "told"

    def sent(digest: Digest) -> None:
        click.echo(f"{said} {digest.address}: {len(digest.reminders)} deadlines")

    try:
        run = run_reminders(
            app,
            settings,
            on=day,
            actor=actor(ctx),
            server=server,
            sender=from_address,
            on_sent=sent,
        )
    except MailFailed as error:
        raise Refusal(str(error)) from None
    if dry_run:
        from reports.reminders import digest_message

        for digest in run.sent:
            message = digest_message(digest, day, from_address)
            body = message.get_body(preferencelist=("plain",))
            click.echo(f"To: {message['To']}" + (f"\nCc: {message['Cc']}" if message["Cc"] else ""))
            click.echo(f"Subject: {message['Subject']}")
            click.echo(body.get_content() if body is not None else "")
    for address in run.already:
        click.echo(f"already told {address} on {day.isoformat()}")
    if run.planned.unowned:
        teams = sorted({r.team or "no team" for r in run.planned.unowned})
        click.echo(
            f"Warning: {len(run.planned.unowned)} deadlines have no owner (teams: "
            f"{', '.join(teams)}): add them to [[owners]]",
            err=True,
        )
    if not run.planned.by_address:
        click.echo(f"nothing to remind anyone of on {day.isoformat()}")


@command("calendar")
@ledger_options
@click.option("--team", help="Only the deadlines of this team's cases.")
@click.option("--owner", metavar="EMAIL", help="Only the deadlines this address answers for.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True),
    required=True,
    help="The iCalendar file to write (replaced whole).",
)
@click.option("--on", type=DATE, default=None, help="Deadlines open on this day (default today).")
@click.pass_context
def calendar(
    ctx: click.Context, team: str | None, owner: str | None, out: str, on: date | None
) -> None:
    """The open deadlines as an iCalendar file: one all-day event per deadline, its
    reference, stage and step in the summary. Each keeps its UID from one export to the
    next, so a calendar that imports the file again updates its events.

    Example:

    \b
        complaints calendar --on 2025-05-02 --out deadlines.ics
    """
    from ledger.reminders import deadline_calendar, write_atomically

    if team is not None and owner is not None:
        raise click.UsageError("give --team or --owner, not both")
    day = on or date.today()
    settings = _settings(ctx)
    data = deadline_calendar(ledger(ctx), settings, on=day, team=team, owner=owner)
    path = Path(out)
    if not path.parent.is_dir():
        raise Refusal(f"--out: folder {os.fspath(path.parent)} does not exist")
    write_atomically(path, data)
    click.echo(f"wrote {data.count(b'BEGIN:VEVENT')} deadlines to {out}")


COMMANDS = [remind, calendar]
