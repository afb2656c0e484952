"""Many writers at once on one ledger (PostgreSQL or SQLite), bounded in count and time.

Each worker is a separate process with its own connection. Workers record new cases
(generated references), act on their own cases, all pile onto one shared case, and
read the annual report (catching the read models up). The clock starts when every
worker has opened its ledger (a barrier), so the steady rate leaves out starting the
processes and importing the stack; the total with start-up is given beside it, and how
long each kind of command took. Afterwards the ledger is checked: no event lost or
duplicated, no reference issued twice, the hash chain intact, and the read models equal
to a rebuild from scratch. Every refused write is counted as its caller saw it.

    python bench/load.py --db postgresql+psycopg://postgres@127.0.0.1/test --workers 6
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from domain.errors import Refused
from domain.procedure import ProcedurePolicy
from ledger.application import Ledger
from reports.annual import parse_year

POLICY = ProcedurePolicy(today=date(2026, 11, 23))
SHARED = "LOAD-SHARED"
START = date(2025, 4, 1)
#: The kinds of command, in the order each worker's steps take them.
KINDS = ("report", "receive", "respond", "recommend")
#: How long a worker waits at the start for the others to open their ledgers.
START_TIMEOUT = 300.0


@dataclass
class WorkerResult:
    worker: int
    commands: int
    events: int
    refused: int
    conflicts: int
    refs: list[str]
    recommendations: list[str]
    seconds: float
    #: Commands of each kind done, and the seconds they took.
    done_by_kind: dict[str, int]
    seconds_by_kind: dict[str, float]


#: The barrier every worker and the runner meet at once the workers' ledgers are open
#: (handed to each worker process as it starts).
_everyone_ready: threading.Barrier | None = None


def _meet_at(barrier: threading.Barrier) -> None:
    global _everyone_ready
    _everyone_ready = barrier


def worker(args: tuple[str, int, int, float]) -> WorkerResult:
    url, number, commands, seconds = args
    ledger = Ledger(url, POLICY)
    if _everyone_ready is not None:
        _everyone_ready.wait(START_TIMEOUT)
    done = events = refused = 0
    refs: list[str] = []
    recommendations: list[str] = []
    done_by_kind = dict.fromkeys(KINDS, 0)
    seconds_by_kind = dict.fromkeys(KINDS, 0.0)
    began = time.monotonic()
    step = 0
    while done < commands and time.monotonic() - began < seconds:
        step += 1
        kind = step % 4
        started = time.monotonic()
        try:
            if kind == 1:
                refs.append(
                    ledger.receive(
                        on=START,
                        actor=f"w{number}",
                        procedure="statutory",
                        team=f"Team {number % 3}",
                        reasons=["delays-in-service"],
                    )
                )
                events += 3  # received, triaged, and the reference number issued
            elif kind == 2 and refs:
                ref = refs[-1]
                ledger.act(
                    ref,
                    lambda c, p: c.respond(
                        on=START + timedelta(days=7), actor=f"w{number}", policy=p, outcome="upheld"
                    ),
                )
                events += 1
            elif kind == 3:
                made = ledger.act(
                    SHARED,
                    lambda c, p: c.recommend(
                        on=START + timedelta(days=1), actor=f"w{number}", policy=p
                    ),
                )
                recommendations.append(made)
                events += 1
            else:
                ledger.annual_report(parse_year("2025"), "statutory")
            done += 1
        except Refused:
            refused += 1
            done += 1
        done_by_kind[KINDS[kind]] += 1
        seconds_by_kind[KINDS[kind]] += time.monotonic() - started
    result = WorkerResult(
        number,
        done,
        events,
        refused,
        ledger.conflicts,
        refs,
        recommendations,
        time.monotonic() - began,
        done_by_kind,
        seconds_by_kind,
    )
    ledger.close()
    return result


def run(url: str, workers: int, commands: int, seconds: float) -> dict[str, Any]:
    setup = Ledger(url, POLICY)
    setup.receive(on=START, actor="setup", ref=SHARED, procedure="statutory")
    before = setup.last_position_now()
    setup.close()
    context = multiprocessing.get_context("spawn")
    everyone_ready = context.Barrier(workers + 1)
    spawned = time.monotonic()
    with context.Pool(workers, initializer=_meet_at, initargs=(everyone_ready,)) as pool:
        running = pool.map_async(
            worker, [(url, n, commands, seconds) for n in range(workers)], chunksize=1
        )
        everyone_ready.wait(START_TIMEOUT)
        began = time.monotonic()
        results = running.get()
    ended = time.monotonic()
    elapsed, with_start_up = ended - began, ended - spawned
    check = Ledger(url, POLICY)
    try:
        after = check.last_position_now()
        refs = [r for result in results for r in result.refs]
        made = [m for result in results for m in result.recommendations]
        verdict = check.verify()
        incremental = _snapshot(check)
        check.rebuild_projections()
        rebuilt = _snapshot(check)
        shared_history = check.history(SHARED)
    finally:
        check.close()
    # ... plus the year's reference sequence, started once by whichever worker was first.
    expected_events = sum(r.events for r in results) + (1 if any(r.refs for r in results) else 0)
    commands_done = sum(r.commands for r in results)
    done_by_kind = {k: sum(r.done_by_kind[k] for r in results) for k in KINDS}
    seconds_by_kind = {k: sum(r.seconds_by_kind[k] for r in results) for k in KINDS}
    return {
        "workers": workers,
        "seconds": round(elapsed, 2),
        "commands": commands_done,
        "commands_per_second": round(commands_done / elapsed, 1),
        "seconds_with_start_up": round(with_start_up, 2),
        "commands_per_second_with_start_up": round(commands_done / with_start_up, 1),
        # Each kind of command: how many, and the workers' seconds in them (summed).
        "done_by_kind": done_by_kind,
        "seconds_by_kind": {k: round(v, 2) for k, v in seconds_by_kind.items()},
        "events_written": after - before,
        "events_expected": expected_events,
        "refused": sum(r.refused for r in results),
        "conflicts": sum(r.conflicts for r in results),
        "conflict_rate": round(sum(r.conflicts for r in results) / max(commands_done, 1), 4),
        "references_unique": len(refs) == len(set(refs)),
        "recommendation_ids_unique": len(made) == len(set(made)),
        "shared_case_versions_contiguous": [e.version for e in shared_history]
        == list(range(1, len(shared_history) + 1)),
        "chain_intact": verdict.intact,
        "rebuild_equals_incremental": incremental == rebuilt,
    }


def _snapshot(ledger: Ledger) -> dict[str, list[tuple[Any, ...]]]:
    from sqlalchemy import select

    from projections import tables

    def read() -> dict[str, list[tuple[Any, ...]]]:
        session = ledger.sessions()
        return {
            t.name: [tuple(r) for r in session.execute(select(t).order_by(*t.primary_key.columns))]
            for t in tables.READ_MODEL_TABLES
        }

    return ledger.read(read)


@contextlib.contextmanager
def scratch(url: str) -> Iterator[str]:
    """A fresh, empty ledger for the run: a temporary SQLite file, or a temporary
    schema on the PostgreSQL server named by ``url``; removed afterwards."""
    if url == "sqlite" or url.startswith("sqlite"):
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/load.db"
        return
    import sqlalchemy

    schema = "load_" + uuid.uuid4().hex[:10]
    admin = sqlalchemy.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sqlalchemy.text(f"CREATE SCHEMA {schema}"))
    try:
        separator = "&" if "?" in url else "?"
        yield f"{url}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as connection:
            connection.execute(sqlalchemy.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db",
        required=True,
        help="'sqlite' (a temporary file) or a PostgreSQL server URL (a temporary schema)",
    )
    parser.add_argument("--workers", type=int, default=6)
    parser.add_argument("--commands", type=int, default=200, help="per worker, at most")
    parser.add_argument("--seconds", type=float, default=30.0, help="per worker, at most")
    options = parser.parse_args()
    with scratch(options.db) as url:
        figures = run(url, options.workers, options.commands, options.seconds)
    for key, value in figures.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()


def report_lines(workers: int = 8, commands: int = 150, seconds: float = 120.0) -> list[str]:
    """The load test on SQLite and PostgreSQL, as a section of docs/benchmarks.md."""
    import os

    server = os.environ.get(
        "COMPLAINTS_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    lines = [
        "## Many writers at once (load test)",
        "",
        f"`bench/load.py`: {workers} processes, each up to {commands} commands (a quarter each: "
        "receive a new case with a generated reference, respond to it, add a recommendation "
        "to one case all of them share, read the annual report). The clock starts when "
        "every worker has opened its ledger (a barrier), so the steady rate leaves out "
        "starting the processes, each importing the whole stack; the rate with start-up "
        "counts from the first process spawned. Checked afterwards: events written = events "
        "expected, references and recommendation ids unique, the shared case's versions "
        "contiguous, the hash chain intact, read models equal to a rebuild.",
        "",
        "| engine | commands | seconds | commands/s | with start-up: seconds | commands/s "
        "| conflicts (retried) | conflict rate | refused | all checks |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    costs = [
        "",
        "What each kind of command cost (the workers' own wall time in it, summed over the "
        "workers: a writer's time includes waiting for its turn):",
        "",
        "| engine | " + " | ".join(f"{kind}: ms each" for kind in KINDS) + " | reports' share |",
        "| --- | " + " | ".join("---:" for _ in KINDS) + " | ---: |",
    ]
    for engine, url in (("SQLite file", "sqlite"), ("PostgreSQL", server)):
        with scratch(url) as target:
            f = run(target, workers, commands, seconds)
        checks = (
            all(
                f[k]
                for k in (
                    "references_unique",
                    "recommendation_ids_unique",
                    "shared_case_versions_contiguous",
                    "chain_intact",
                    "rebuild_equals_incremental",
                )
            )
            and f["events_written"] == f["events_expected"]
        )
        lines.append(
            f"| {engine} | {f['commands']} | {f['seconds']} | {f['commands_per_second']} "
            f"| {f['seconds_with_start_up']} | {f['commands_per_second_with_start_up']} "
            f"| {f['conflicts']} | {f['conflict_rate']} | {f['refused']} "
            f"| {'pass' if checks else 'FAIL'} |"
        )
        costs.append(_cost_row(engine, f))
    lines += [
        *costs,
        "",
        "Writers take turns (SQLite `BEGIN IMMEDIATE`, PostgreSQL advisory lock; ADR 0012), "
        "so conflicts stay at or near zero and the rate is bounded by one writing "
        "transaction at a time, each of which also catches the read models up. A report "
        "is answered outside the turn (ADR 0037) from statements built once per process "
        "(ADR 0052), so what it costs is the database's counting and the two cores it "
        "shares with the writers.",
        "",
        "Issue 14's target is 400 commands/s on PostgreSQL. The lock is now one per "
        "ledger schema, but each write still holds it through its hash-chain link and its "
        "read-model catch-up, and on this 2-core machine the eight writers and the server "
        "share two cores. Taking the chain and the catch-up out of the turn (one sealer "
        "after commit, ADR 0037's next step) is not built: it needs the chain's guarantee "
        "(ADR 0011) restated for committed events not yet chained.",
        "",
    ]
    return lines


def _cost_row(engine: str, figures: dict[str, Any]) -> str:
    """A row of the costs' table: each kind's mean wall time, and the reports' share of
    the workers' time."""
    done, spent = figures["done_by_kind"], figures["seconds_by_kind"]
    each = [
        f"{1000 * spent[kind] / done[kind]:.1f}" if done[kind] else "-" for kind in KINDS
    ]
    share = spent["report"] / max(sum(spent.values()), 1e-9)
    return f"| {engine} | " + " | ".join(each) + f" | {100 * share:.0f}% |"
