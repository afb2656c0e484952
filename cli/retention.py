"""The retention schedule of personal data: what is due, erasing it, and legal holds."""

from __future__ import annotations

from datetime import date
from typing import Any

import click

from cli.base import group
from cli.options import (
    DATE,
    Refusal,
    actor,
    announce_recorded,
    emit_json,
    format_option,
    ledger,
    ledger_options,
    on_option,
)


@group()
def retention() -> None:
    """The council's retention schedule of personal data (settings: [retention]).

    Example:

    \b
        complaints retention due --as-of 2026-04-01
    """


def _entry(item: Any) -> dict[str, Any]:
    return {
        "ref": item.ref,
        "state": item.state,
        "closed_on": item.closed_on.isoformat() if item.closed_on else None,
        "due_on": item.due_on.isoformat() if item.due_on else None,
        "basis": item.basis,
    }


@retention.command("due")
@ledger_options
@click.option("--as-of", "as_of", type=DATE, help="The day to judge on (default today).")
@format_option("text", "json")
@click.pass_context
def due(ctx: click.Context, as_of: date | None, output_format: str) -> None:
    """List the cases whose personal data the schedule says to erase by --as-of, each
    with its basis, and the cases that would be due but are under a legal hold.

    Closed cases are kept [retention] closed_years after closure (default 6), cases
    the Ombudsman looked into ombudsman_years (default 10) from the later of closure
    and the Ombudsman's last step; a case erased in full is not listed again.
    Decrypts nothing.

    Example:

    \b
        complaints retention due --as-of 2026-04-01 --format json
    """
    day = as_of or date.today()
    standing = ledger(ctx).retention(day)
    listed = [r for r in standing if r.state in ("due", "held")]
    if output_format == "json":
        emit_json([_entry(r) for r in listed])
        return
    for item in listed:
        due_on = item.due_on.isoformat() if item.due_on else "-"
        what = "due" if item.state == "due" else "HELD"
        click.echo(f"{item.ref}  {what}  (due {due_on})  {item.basis}")
    count = sum(1 for r in listed if r.state == "due")
    held = len(listed) - count
    click.echo(
        f"{count} cases due for erasure as of {day.isoformat()}"
        + (f"; {held} held by a legal hold" if held else "")
    )


@retention.command("apply")
@ledger_options
@click.option("--as-of", "as_of", type=DATE, required=True, help="The day to judge on.")
@click.option("--dry-run", is_flag=True, help="Say what would be erased; erase nothing.")
@click.pass_context
def apply(ctx: click.Context, as_of: date, dry_run: bool) -> None:
    """Erase the personal data of every case `retention due` lists as due on --as-of
    (every data subject: `erase --subject all`), each with its basis, dated --as-of.

    One case at a time, each erasure complete before the next (keys destroyed, then
    the Erased step recorded), so a run that is stopped, even killed, can be run again:
    cases already erased are not due any more, and a case whose keys went but whose
    step was not written yet is erased (recorded) once. Under a legal hold: left.

    Example:

    \b
        complaints retention apply --as-of 2026-04-01 --dry-run
    """
    app = ledger(ctx)
    if as_of > app.today():
        raise Refusal(f"--as-of {as_of.isoformat()} is after today [bad-data]")
    standing = [r for r in app.retention(as_of) if r.state == "due"]
    who = actor(ctx)
    for item in standing:
        if dry_run:
            click.echo(f"would erase {item.ref}: {item.basis}")
            continue
        app.erase(item.ref, subject="all", on=as_of, actor=who, basis=item.basis)
        click.echo(f"erased {item.ref}: {item.basis}")
    verb = "would erase" if dry_run else "erased"
    click.echo(f"{verb} {len(standing)} cases as of {as_of.isoformat()}", err=True)


@group()
def hold() -> None:
    """Legal holds: a case under one cannot be erased, by hand or by the schedule.

    Example:

    \b
        complaints hold place CSC-2025-0001 --on 2025-06-01 --reason "litigation"
    """


@hold.command("place")
@ledger_options
@click.argument("ref")
@on_option("Date the hold was placed (default today).")
@click.option("--reason", required=True, help="Why (e.g. the proceedings it serves).")
@click.pass_context
def place(ctx: click.Context, ref: str, on: date, reason: str) -> None:
    """Place a legal hold on a case: its personal data is kept until the hold is lifted.

    Example:

    \b
        complaints hold place CSC-2025-0001 --on 2025-06-01 --reason "litigation"
    """
    app = ledger(ctx)
    app.place_hold(ref, on=on, actor=actor(ctx), reason=reason)
    announce_recorded(ref, app)


@hold.command("lift")
@ledger_options
@click.argument("ref")
@on_option("Date the hold was lifted (default today).")
@click.option("--reason", required=True, help="Why it is no longer needed.")
@click.pass_context
def lift(ctx: click.Context, ref: str, on: date, reason: str) -> None:
    """Lift the legal hold on a case; the retention schedule applies to it again.

    Example:

    \b
        complaints hold lift CSC-2025-0001 --reason "proceedings concluded"
    """
    app = ledger(ctx)
    app.lift_hold(ref, on=on, actor=actor(ctx), reason=reason)
    announce_recorded(ref, app)


COMMANDS = [retention, hold]
