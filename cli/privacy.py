"""Personal data rights: erasure (the subject's key destroyed) and subject access."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click
import orjson

from cli.base import command, group
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

SUBJECT_HELP = "complainant, child, person:ID (a register id), case or all"


@command()
@ledger_options
@click.argument("ref")
@click.option("--subject", required=True, help=f"Whose personal data: {SUBJECT_HELP}.")
@on_option("Date of the erasure (default today).")
@click.option("--basis", required=True, help="Why: the request or retention rule it meets.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (it cannot be undone).")
@click.pass_context
def erase(ctx: click.Context, ref: str, subject: str, on: date, basis: str, yes: bool) -> None:
    """Erase a data subject's personal data from a case: their key is destroyed.

    Their notes stay in the ledger as ciphertext nobody can read again; the case's
    facts, every report figure and the hash chain are unchanged (`verify` passes, and a
    head published earlier still verifies). An Erased step (who, when, basis, subject;
    no personal data) is added to the case's history. complainant covers their name
    and contact details, child the child's name, person:ID an appointed person's name;
    case the summary, recommendations' wording and evidence; all every one of them.
    Irreversible: asks for confirmation unless --yes.

    Example:

    \b
        complaints erase CSC-2025-0001 --subject complainant --on 2025-06-01 \\
            --basis "Art. 17 request received 2025-05-20" --yes
    """
    app = ledger(ctx)
    if not yes:
        if not sys.stdin or not sys.stdin.isatty():
            raise Refusal(
                f"not erased: erasing {subject} of {ref} cannot be undone; confirm it at "
                "the prompt of an interactive session, or give --yes [confirmation-needed]"
            )
        if not click.confirm(f"Erase {subject} of {ref} for good? This cannot be undone", err=True):
            raise Refusal(f"not erased: {subject} of {ref} was not confirmed [confirmation-needed]")
    app.erase(ref, subject=subject, on=on, actor=actor(ctx), basis=basis)
    announce_recorded(ref, app)


@command("subject-access")
@ledger_options
@click.argument("ref")
@click.option(
    "--subject",
    default="all",
    show_default=True,
    help=f"Whose data: {SUBJECT_HELP}. complainant and child include the case's notes.",
)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the export to (made if missing).",
)
@on_option("Date the export was made (default today).")
@click.pass_context
def subject_access(ctx: click.Context, ref: str, subject: str, out: Path, on: date) -> None:
    """Export everything held about a data subject of a case (a subject access request).

    Writes REF-SUBJECT.json and REF-SUBJECT.md under --out: every personal note ever
    recorded about the subject (each version, with its date and author; an erased one
    says when, by whom and on what basis it was erased), the case's facts and its
    history. Records that the export was made (who, when) in the case's history, and
    prints the paths of the two files. The files are personal data: keep them as such.

    Example:

    \b
        complaints subject-access CSC-2025-0001 --subject complainant --out sar
    """
    from cli.views import case_view

    app = ledger(ctx)
    who = actor(ctx)
    notes = app.personal_notes(ref, subject)
    complaint = app.complaint(ref)
    history = app.history(ref)
    document: dict[str, Any] = {
        "ref": ref,
        "subject": subject,
        "made_on": on,
        "made_by": who,
        "notes": notes,
        "erasures": [
            {"subject": e.subject, "on": e.on, "actor": e.actor, "basis": e.basis}
            for e in complaint.erasures
        ],
        "case": case_view(complaint, app.policy_for_today()),
        # The complainant's contact register, words opened (ADR 0040).
        "register": (
            app.contact_registers.register(ref, on) if subject in ("complainant", "all") else None
        ),
        "history": [
            {
                "version": e.version,
                "type": e.type,
                "on": e.on,
                "recorded_at": e.recorded_at,
                "actor": e.actor,
                "data": e.data,
            }
            for e in history
        ],
    }
    try:
        out.mkdir(parents=True, exist_ok=True)
        stem = out / f"{ref}-{subject.replace(':', '-')}"
        json_path, md_path = stem.with_suffix(".json"), stem.with_suffix(".md")
        json_path.write_bytes(
            orjson.dumps(document, default=_plain, option=orjson.OPT_INDENT_2) + b"\n"
        )
        md_path.write_text(_markdown(document), encoding="utf-8")
    except OSError as error:
        raise Refusal(f"cannot write to {out}: {error.strerror or error} [bad-data]") from None
    app.record_access([ref], actor=who, purpose=f"subject access ({subject})")
    app.record_subject_access(ref, subject=subject, on=on, actor=who)
    click.echo(str(json_path))
    click.echo(str(md_path))
    announce_recorded(ref, app)


def _plain(value: Any) -> Any:
    from decimal import Decimal

    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    raise TypeError(type(value).__name__)


def _text(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return "-" if value in (None, "", []) else str(value)


def _markdown(document: dict[str, Any]) -> str:
    lines = [
        f"# Subject access: {document['ref']} ({document['subject']})",
        "",
        f"Made on {_text(document['made_on'])} by {document['made_by']}.",
        "",
        "## Personal notes",
        "",
    ]
    if not document["notes"]:
        lines.append("No personal notes are held about this subject.")
    for note in document["notes"]:
        erased = note["erased"]
        said = (
            f"*erased on {_text(erased['on'])} by {erased['actor']} ({erased['basis']})*"
            if erased
            else note["text"]
        )
        lines.append(
            f"- {_text(note['on'])}, {note['actor']}: **{note['key']}** ({note['subject']}): {said}"
        )
    if document["erasures"]:
        lines += ["", "## Erasures", ""]
        for erasure in document["erasures"]:
            lines.append(
                f"- {erasure['subject']}: erased on {_text(erasure['on'])} by "
                f"{erasure['actor']} ({erasure['basis']})"
            )
    if document.get("register"):
        from cli.contact_registers import register_lines

        lines += ["", "## Restrictions and reasonable adjustments", ""]
        lines += ["- " + line.strip() for line in register_lines(document["register"])] or [
            "None are recorded."
        ]
    case = document["case"]
    lines += ["", "## The case", ""]
    for key in ("status", "procedure", "received_on", "service_area", "team", "ended"):
        lines.append(f"- {key.replace('_', ' ')}: {_text(case[key])}")
    for stage in case["stages"]:
        lines.append(
            f"- Stage {stage['stage']}: from {_text(stage['started_on'])}, "
            f"response due {_text(stage['response_due'])}, responded "
            f"{_text(stage['responded_on'])} {_text(stage['outcome'])}"
        )
    lines += [
        "",
        "## History",
        "",
        "| version | step | on | recorded | by |",
        "|---|---|---|---|---|",
    ]
    for event in document["history"]:
        lines.append(
            f"| {event['version']} | {event['type']} | {_text(event['on'])} | "
            f"{_text(event['recorded_at'])} | {event['actor'] or '-'} |"
        )
    return "\n".join(lines) + "\n"


@group()
def privacy() -> None:
    """Check the ledger for personal data held outside the sealed notes.

    Example:

    \b
        complaints privacy check
    """


@privacy.command("check")
@ledger_options
@format_option("text", "json")
@click.pass_context
def privacy_check(ctx: click.Context, output_format: str) -> None:
    """List the cases whose older steps still hold free text in plain text.

    Since ADR 0021 every reason, piece of evidence and Ombudsman reference typed into a
    step is sealed under the case's key (since ADR 0028 inside the step itself), which
    `erase --subject case` (or all) makes unreadable. Steps recorded before that hold
    the text itself, and personal notes recorded before notes were sealed too: they stay
    as they were recorded (history is never rewritten), so erasing such a case cannot
    remove that text. This lists each one (case, version, step, fields). Reads no key
    and decrypts nothing.

    Example:

    \b
        complaints privacy check --format json
    """
    found = ledger(ctx).plaintext_free_text()
    if output_format == "json":
        emit_json(
            {
                "cases": sorted({f["case"] for f in found}),
                "steps": [{**f, "on": _text(f["on"])} for f in found],
            }
        )
        return
    if not found:
        click.echo("no plain-text free text: every reason and note is sealed")
        return
    for entry in found:
        click.echo(
            f"{entry['case']}  version {entry['version']:>3}  {_text(entry['on'])}  "
            f"{entry['type']}: {', '.join(entry['fields'])}"
        )
    cases = len({f["case"] for f in found})
    click.echo(
        f"{cases} cases hold free text in plain text in {len(found)} steps recorded before "
        "it was sealed; they stay as recorded, and erasing those cases cannot remove it"
    )


@group()
def keys() -> None:
    """Back up and restore the key store of the personal notes.

    Example:

    \b
        complaints keys backup --out keys-2025-06-30.db
    """


@keys.command("backup")
@ledger_options
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="New SQLite file to write the keys to.",
)
@click.pass_context
def keys_backup(ctx: click.Context, out: Path) -> None:
    """Copy every data key into a new key-store file (SQLite), as stored: wrapped under
    the master key if the store has one, so keep that key's file apart from the backup.

    The ledger alone holds no readable personal data; the key store is what opens it,
    so back both up. A key-store backup brings back the keys of every subject erased
    after it was made: let such backups expire with the retention schedule (ADR 0021).
    `keys restore` never adds back a key whose erasure the ledger records.

    Example:

    \b
        complaints keys backup --out keys-2025-06-30.db
    """
    count = ledger(ctx).backup_keys(out)
    click.echo(f"backed up {count} keys to {out}")


@keys.command("restore")
@ledger_options
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def keys_restore(ctx: click.Context, file: Path) -> None:
    """Add the keys of a key-store backup (or of another ledger's key-store file) that
    this ledger's key store lacks, e.g. after restoring an export made with
    --include-personal into a new ledger. A key whose subject the ledger records as
    erased is never added back. The backup and this store must share the master key.

    Example:

    \b
        complaints keys restore keys-2025-06-30.db
    """
    added, erased = ledger(ctx).restore_keys(file)
    left = f"; {erased} left out: their subjects were erased" if erased else ""
    click.echo(f"restored {added} keys from {file}{left}")


def _log_options(command: Any) -> Any:
    """--db and --config as every command has them; --actor here filters the log."""
    from cli.options import ledger_options

    return ledger_options(command, but=("--actor",))


@command("access-log")
@_log_options
@click.argument("ref", required=False)
@click.option("--actor", "reader", help="Only what this person read.")
@click.option("--from", "since", type=DATE, help="Only reads on or after this day.")
@format_option("text", "json")
@click.pass_context
def access_log(
    ctx: click.Context, ref: str | None, reader: str | None, since: date | None, output_format: str
) -> None:
    """Who opened which record's personal data, and when (oldest first).

    Every command that opens personal notes adds an entry: show (unless
    --no-personal), history --personal, subject-access, export --include-personal and
    an annual report quoting approved compliment extracts. Commands that need no
    personal data open nothing and add nothing. The entries are events in the hash
    chain, so `complaints verify` covers the log and nothing can be taken out of it.

    Example:

    \b
        complaints access-log CSC-2025-0001 --from 2025-04-01
        complaints access-log --actor jsmith --format json
    """
    entries = ledger(ctx).access_log(ref, reader, since)
    if output_format == "json":
        emit_json([{**e, "on": _text(e["on"]), "at": _text(e["at"])} for e in entries])
        return
    if not entries:
        click.echo("no personal data was opened" + ("" if ref is None else f" for {ref}"))
        return
    for entry in entries:
        click.echo(
            f"{entry['at'].isoformat(timespec='seconds')}  {entry['actor']:<14} "
            f"{entry['ref']:<15} {entry['purpose']}"
        )


COMMANDS = [erase, subject_access, privacy, keys, access_log]
