"""``complaints demo``: a realistic multi-year ledger from a seeded generator."""

from __future__ import annotations

import os
import sys
import time
from datetime import date

import click

from cli.base import command
from cli.options import COUNT, Refusal, emit_json, ledger_options, setting

DEFAULT_DB = "demo.db"
SQLITE_HEADER = b"SQLite format 3\x00"


@command()
@ledger_options
@click.option("--seed", type=int, default=2026, show_default=True, help="Random seed.")
@click.option("--years", type=COUNT, default=5, show_default=True, help="Financial years.")
@click.option(
    "--cases-per-year",
    type=COUNT,
    default=400,
    show_default=True,
    help="Complaints received a year, on average.",
)
@click.option(
    "--first-year",
    type=int,
    default=None,
    help="First financial year (2021 means 2021/22). Default: the --years full years "
    "ending with the last complete one.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["md", "json", "html", "csv"]),
    default="md",
    show_default=True,
    help="Format of the annual report printed at the end.",
)
@click.option(
    "--code/--no-code",
    default=True,
    show_default=True,
    help="The last year under the Complaint Handling Code (code-2026 timescales for "
    "cases received from its 1 April), with learning statements and a self-assessment.",
)
@click.pass_context
def demo(
    ctx: click.Context,
    seed: int,
    years: int,
    cases_per_year: int,
    first_year: int | None,
    output_format: str,
    code: bool,
) -> None:
    """Fill a fresh ledger with realistic generated cases; print the last year's report.

    The cases follow the statutory procedure step by step (every rule is checked):
    triage, acknowledgement, advocacy, holds, extensions, late responses, Stage 2
    investigations, Stage 3 panels, recommendations, payments, the Ombudsman, with
    compliments and councillor and MP enquiries, in proportions like published annual
    reports. The same --seed gives the same ledger. The last year ends on 31 March;
    cases received near then are still open. With --code (the default) the last year's
    corporate cases follow the Complaint Handling Code, and learning statements and the
    self-assessment are recorded, for `complaints report code`.

    --db is an SQLite file (default demo.db, not COMPLAINTS_DB) that is DELETED and
    created afresh, or a PostgreSQL URL whose ledger must be empty. Events are
    recorded as done by --actor if given, else by the role that acts
    (complaints-team, service-manager, director...). A progress bar goes to stderr;
    the statutory annual report of the last year goes to stdout.

    Example:

    \b
        complaints demo --db demo.db --seed 7 --years 3 --cases-per-year 200
    """
    from demo.generator import build_demo_ledger, default_first_year, financial_year_end
    from ledger.application import Ledger
    from ledger.settings import load_policy
    from ledger.store.storage import database_url
    from reports import render
    from reports.annual import parse_year

    today = date.today()
    if first_year is None:
        first_year = default_first_year(years, today)
    last_day = financial_year_end(first_year, years)
    if first_year < 2000:
        raise Refusal(f"--first-year {first_year} is too early (2000 or later) [bad-data]")
    if last_day >= today:
        raise Refusal(
            f"the last demo year ends on {last_day.isoformat()}, which is not past yet; "
            f"use --first-year {default_first_year(years, today)} or earlier [bad-data]"
        )
    policy = load_policy(setting(ctx, "config"))
    db = setting(ctx, "db") or DEFAULT_DB
    url = database_url(db)
    if url.startswith("sqlite:"):
        _remove_sqlite(url)
    app = Ledger(db, policy)
    try:
        existing = app.read(app.last_position)
        if existing:
            raise Refusal(
                f"the ledger at {_shown(url)} already holds {existing} events; the demo "
                "needs an empty ledger [bad-data]"
            )
        started = time.monotonic()
        with click.progressbar(
            length=years * cases_per_year, label="Generating complaints", file=sys.stderr
        ) as bar:
            written = build_demo_ledger(
                app,
                seed,
                years,
                cases_per_year,
                first_year=first_year,
                progress=bar.update,
                actor=setting(ctx, "actor"),
                code=code,
            )
        click.echo(
            f"{written} events written to {_shown(url)} in {time.monotonic() - started:.1f} s",
            err=True,
        )
        document = app.annual_report(parse_year(str(first_year + years - 1)), "statutory")
    finally:
        app.close()
    if output_format == "json":
        emit_json(document)
    else:
        click.echo(render.render(document, output_format, app.policy.taxonomy.label), nl=False)


def _shown(url: str) -> str:
    """The SQLite file, or the database URL without its password."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or url
    return parsed.render_as_string(hide_password=True)


def _remove_sqlite(url: str) -> None:
    """Delete the SQLite file at ``url`` and its WAL files, if it is an SQLite file."""
    from sqlalchemy.engine import make_url

    path = make_url(url).database or ""
    if not path or path == ":memory:":
        return  # the ledger refuses it with its own message
    if os.path.isdir(path):
        raise Refusal(f"--db {path} is a folder, not an SQLite file [bad-data]")
    if os.path.exists(path) and os.path.getsize(path) > 0:
        with open(path, "rb") as existing:
            if existing.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                raise Refusal(f"--db {path} is not an SQLite file; not deleting it [bad-data]")
    for name in (path, path + "-wal", path + "-shm"):
        if os.path.exists(name):
            os.remove(name)


COMMANDS = [demo]
