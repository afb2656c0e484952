"""Bringing a council's history in and taking the ledger out: ``import`` and ``export``."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import IO, Any

import click

from cli.base import command
from cli.options import (
    COUNT,
    Refusal,
    actor,
    emit_json,
    format_option,
    ledger,
    ledger_options,
)


@command("import")
@ledger_options
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--dry-run",
    is_flag=True,
    help="Check every row and print what would be recorded; write nothing.",
)
@click.option(
    "--chunk-size",
    type=COUNT,
    default=None,
    help="Cases (or, for .jsonl, events) per transaction. Default 500 cases, 5000 events.",
)
@format_option("text", "json")
@click.pass_context
def import_(
    ctx: click.Context, file: Path, dry_run: bool, chunk_size: int | None, output_format: str
) -> None:
    """Import a legacy export (.csv or .xlsx, one row per case) or restore an export
    made by `complaints export` (.jsonl).

    Legacy rows: every row is checked against the procedure's rules before anything is
    written. Each becomes the events it implies (receipt, triage, acknowledgement,
    extensions, responses, escalations, the panel, recommendations, payment,
    withdrawal, the Ombudsman), dated by the row's dates and recorded as done by
    "import:FILE". Any error: the list (row, column, reason) goes to stderr, nothing
    is written, exit 1. A case already in the ledger with the same history is skipped,
    so importing a file twice records nothing the second time. The columns are in
    docs/import-format.md; examples/legacy-import.csv is an example.

    .jsonl: restores the event log into an EMPTY ledger, every event at its original
    position. First every line is checked against its hash and the chain link it
    carries, and the file against its trailer (count, head, what was left out): an
    edited, cut-short or reordered export is refused and nothing is written. Same head
    hash when the export left nothing out. Importing it again records nothing.

    Example:

    \b
        complaints import examples/legacy-import.csv --dry-run
    """
    app = ledger(ctx)
    if file.suffix.lower() == ".jsonl":
        _restore(app, file, dry_run, chunk_size, output_format)
    else:
        _import_rows(ctx, app, file, dry_run, chunk_size, output_format)


def _import_rows(
    ctx: click.Context,
    app: Any,
    file: Path,
    dry_run: bool,
    chunk_size: int | None,
    output_format: str,
) -> None:
    from transfer.importer import CHUNK_SIZE, describe_event, plan_import, read_table, write_plan

    header, rows = read_table(file)
    with click.progressbar(length=len(rows), label="Checking rows", file=sys.stderr) as bar:
        plan = plan_import(
            app, header, rows, actor=f"import:{file.name}", source=file.name, progress=bar.update
        )
    if plan.errors:
        if output_format == "json":
            emit_json(
                {
                    "file": file.name,
                    "written": 0,
                    "errors": [
                        {"row": e.row, "column": e.column, "reason": e.reason} for e in plan.errors
                    ],
                }
            )
        else:
            for problem in plan.errors:
                click.echo(str(problem), err=True)
        bad_rows = len({e.row for e in plan.errors})
        raise Refusal(
            f"{file.name}: {len(plan.errors)} errors in {bad_rows} of {len(rows)} rows; "
            "nothing was written [bad-data]"
        )
    written = 0
    if not dry_run and plan.new:
        with click.progressbar(
            length=len(plan.new), label="Recording cases", file=sys.stderr
        ) as bar:
            written = write_plan(app, plan, chunk_size or CHUNK_SIZE, progress=bar.update)
    if output_format == "json":
        emit_json(
            {
                "file": file.name,
                "dry_run": dry_run,
                "cases": len(plan.new),
                "events": plan.event_count,
                "written": written,
                "skipped": [c.ref for c in plan.skipped],
                "new": [
                    {
                        "row": case.row,
                        "ref": case.ref,
                        "events": [
                            {"type": type(e).__name__, "on": e.on.isoformat()} for e in case.events
                        ],
                    }
                    for case in plan.new
                ]
                if dry_run
                else [c.ref for c in plan.new],
            }
        )
        return
    if dry_run:
        for case in plan.cases:
            if case.existing:
                click.echo(f"row {case.row}  {case.ref}: already in the ledger, skipped")
                continue
            click.echo(f"row {case.row}  {case.ref}: {len(case.events)} events")
            for event in case.events:
                click.echo(f"    {describe_event(event)}")
    skipped = (
        f"; {len(plan.skipped)} already in the ledger with the same history, skipped"
        if plan.skipped
        else ""
    )
    if dry_run:
        click.echo(
            f"dry run: would record {plan.event_count} events for {len(plan.new)} cases "
            f"from {file.name}{skipped}; nothing was written"
        )
    else:
        click.echo(f"imported {len(plan.new)} cases ({written} events) from {file.name}{skipped}")


def _restore(
    app: Any, file: Path, dry_run: bool, chunk_size: int | None, output_format: str
) -> None:
    from transfer.archive import RESTORE_CHUNK, already_restored, read_archive, restore

    archive = read_archive(file, app)
    if archive.errors:
        first = archive.errors[0]
        others = len({e.line for e in archive.errors}) - 1
        more = f" (and {others} more lines refused)" if others else ""
        raise Refusal(f"{file.name} {first}{more}; nothing was written")
    start = already_restored(app, archive)
    todo = len(archive.rows) - start
    chain = (
        "every event matches its hash in the export"
        if archive.chain_complete
        else f"every event matches its hash and chain link in the export; "
        f"{len(archive.left_out)} events were left out of the export (e.g. personal "
        "details), so the chain is recomputed and its head hash will differ from the "
        "export's"
    )
    if dry_run:
        summary: dict[str, Any] = {
            "file": file.name,
            "dry_run": True,
            "events": todo,
            "already": start,
            "aggregates": len(archive.aggregates),
            "chain_complete": archive.chain_complete,
        }
        if output_format == "json":
            emit_json(summary)
        else:
            click.echo(
                f"dry run: would restore {todo} events of {len(archive.aggregates)} records "
                f"from {file.name} ({start} already in the ledger); {chain}; "
                "nothing was written"
            )
        return
    with click.progressbar(length=todo, label="Restoring events", file=sys.stderr) as bar:
        result = restore(app, archive, chunk_size or RESTORE_CHUNK, progress=bar.update)
    if output_format == "json":
        emit_json(
            {
                "file": file.name,
                "dry_run": False,
                "events": result.written,
                "already": result.already,
                "head_position": result.head_position,
                "head_hash": result.head_hash,
                "same_as_export": result.matches_export,
            }
        )
        return
    if not result.written:
        click.echo(f"nothing to import: the ledger already holds all {start} events of {file.name}")
        return
    same = (
        "the same as the export's: every exported event is restored exactly"
        if result.matches_export
        else "recomputed (" + chain + ")"
    )
    click.echo(
        f"restored {result.written} events from {file.name}; head {result.head_position} "
        f"hash {result.head_hash}, {same}"
    )


@command()
@ledger_options
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["jsonl", "csv"]),
    default="jsonl",
    show_default=True,
    help="jsonl: the event log; csv: read models.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="jsonl: the file to write (default stdout). csv: the folder for NAME.csv files "
    "(created if missing; default stdout for one table).",
)
@click.option(
    "--table",
    "tables",
    multiple=True,
    help="csv: a read model to export (rm_case, rm_stage, ...); repeatable.",
)
@click.option("--all", "all_tables", is_flag=True, help="csv: every read model (needs --out).")
@click.option(
    "--include-personal",
    is_flag=True,
    help="jsonl: include personal details (names, contact details, narratives, the text "
    "of reasons): each sealed note as stored, with its text opened beside it, and each "
    "step's sealed text opened beside the step. Left out by "
    "default: such a file is personal data and must be kept as such.",
)
@click.pass_context
def export(
    ctx: click.Context,
    output_format: str,
    out: Path | None,
    tables: tuple[str, ...],
    all_tables: bool,
    include_personal: bool,
) -> None:
    """Export the full event log as JSON lines (for archive and audit), or the read
    models as CSV (for analysts).

    jsonl: one object per event in the order recorded, with position, type, topic,
    case (the reference), aggregate_id, version, on (effective date), recorded_at,
    actor, data, previous_position, previous_hash and hash (its link in the hash
    chain), then a trailer line (event count, head position and hash, what was left
    out). PersonalDetails events are left out unless --include-personal is given (then
    each sealed note's line carries its text opened beside it, under "text", each step
    holding sealed text carries it opened under "texts" by field, and the export is
    written in the access log). --out FILE is written to a temporary file
    renamed into place when complete. `complaints import FILE.jsonl` into an empty
    ledger restores it; with --include-personal, exactly (same head hash); the notes'
    keys follow with `complaints keys backup` and `keys restore`.

    csv: read models (caught up first) with a header row; no personal data. A cell
    starting like a formula (= + - @) gets a leading single quote; numbers stay numbers.

    Example:

    \b
        complaints export --format jsonl --out ledger.jsonl
        complaints export --format csv --all --out read-models/
    """
    app = ledger(ctx)
    if output_format == "jsonl":
        if tables or all_tables:
            raise Refusal("--table and --all are for --format csv [bad-data]")
        _export_events(app, out, include_personal, actor(ctx))
        return
    if include_personal:
        raise Refusal(
            "read models hold no personal data; --include-personal is for jsonl [bad-data]"
        )
    from transfer.archive import TABLES, export_tables, table_named

    names = list(TABLES) if all_tables else list(dict.fromkeys(tables))
    if not names:
        raise Refusal("give --table NAME (repeatable) or --all [bad-data]")
    for name in names:
        table_named(name)  # unknown names are refused before anything is written
    if out is None:
        if len(names) > 1:
            raise Refusal("several tables need --out FOLDER [bad-data]")
        with click.open_file("-", "w") as stdout:
            export_tables(app, names, lambda _: stdout)
        return
    if out.exists() and not out.is_dir():
        raise Refusal(f"--out {out} is a file; csv export writes a folder of files [bad-data]")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise Refusal(
            f"--out {out}: cannot make the folder ({error.strerror}) [bad-data]"
        ) from None
    handles: list[IO[str]] = []

    def open_file(name: str) -> IO[str]:
        handle = (out / f"{name}.csv").open("w", encoding="utf-8", newline="")
        handles.append(handle)
        return handle

    try:
        written = export_tables(app, names, open_file)
    except OSError as error:
        raise Refusal(f"--out {out}: {error.strerror} [bad-data]") from None
    finally:
        for handle in handles:
            handle.close()
    for name, count in written.items():
        click.echo(f"{out / (name + '.csv')}\t{count} rows")


def _export_events(app: Any, out: Path | None, include_personal: bool, reader: str) -> None:
    from transfer.archive import export_events

    if include_personal:
        # Before anything is written: the notes cannot be opened without the key store.
        app.keys.check_master(create=False)
    if out is None or str(out) == "-":
        with click.open_file("-", "wb") as handle:
            count = export_events(app, handle.write, include_personal)
    else:
        count = _write_atomically(out, lambda write: export_events(app, write, include_personal))
    app.record_access(sorted(count.opened), actor=reader, purpose="export --include-personal")
    left_out = (
        f"; {count.left_out} personal-details events left out (--include-personal adds them)"
        if count.left_out
        else ""
    )
    click.echo(f"exported {count.events} events{left_out}", err=True)


def _write_atomically(out: Path, produce: Any) -> Any:
    """Write to a temporary file beside ``out``, then rename it into place: a reader
    never sees a half-written export, and a killed export leaves the old file alone."""
    if out.is_dir():
        raise Refusal(f"--out {out} is a folder; give a file name [bad-data]")
    folder = out.parent
    if not folder.is_dir():
        raise Refusal(f"--out {out}: the folder {folder} does not exist [bad-data]")
    descriptor, name = _temporary_beside(out)
    done = False
    try:
        with os.fdopen(descriptor, "wb") as handle:
            result = produce(handle.write)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(name, out)
        done = True
    except OSError as error:
        raise Refusal(f"--out {out}: {error.strerror} [bad-data]") from None
    finally:
        if not done:
            Path(name).unlink(missing_ok=True)
    return result


def _temporary_beside(out: Path) -> tuple[int, str]:
    try:
        return tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
    except OSError as error:
        raise Refusal(f"--out {out}: {error.strerror} [bad-data]") from None


COMMANDS = [import_, export]
