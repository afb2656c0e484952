"""Measure the CLI: one command's wall time beside `python -c pass`, and `batch` rate."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).with_name("complaints")
#: What every command imports before it does anything of ours (issue 14's floor).
IMPORT_FLOOR = "import sqlalchemy, eventsourcing.application, click, orjson"


def wall(argv: list[str], env: dict[str, str], runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        db = os.path.join(folder, "bench.db")
        env = {**os.environ, "COMPLAINTS_DB": db, "COMPLAINTS_ACTOR": "bench"}
        subprocess.run(
            [str(BIN), "receive", "--on", "2025-04-01", "--ref", "B-0"],
            env=env,
            check=True,
            capture_output=True,
        )
        import_floor = wall([sys.executable, "-c", IMPORT_FLOOR], env)
        show = wall([str(BIN), "show", "B-0"], env)
        receive = wall([str(BIN), "receive", "--on", "2025-04-02", "--procedure", "statutory"], env)
        lines = 3000
        empty = os.path.join(folder, "empty.txt")
        with open(empty, "w", encoding="utf-8") as handle:
            handle.write("# no lines: the start-up alone\n")
        start_up = wall([str(BIN), "batch", empty], env, runs=3)
        script = "\n".join(
            f"receive --ref BATCH-{n} --on 2025-04-03 --procedure statutory" for n in range(lines)
        )
        started = time.perf_counter()
        subprocess.run(
            [str(BIN), "batch"], input=script, text=True, env=env, check=True, capture_output=True
        )
        took = time.perf_counter() - started
        batch_rate = lines / took
        past_start_up = lines / (took - start_up) if took > start_up else float("nan")
    return [
        "## Command line",
        "",
        "Median of 7 runs on an SQLite file; baseline the import floor "
        f"(`python -c \"{IMPORT_FLOOR}\"`) in the same run.",
        "",
        "| measure | value | baseline | ratio |",
        "| --- | ---: | ---: | ---: |",
        f"| `complaints show` wall time | {show * 1000:.0f} ms | {import_floor * 1000:.0f} ms "
        f"| {show / import_floor:.1f}x |",
        f"| `complaints receive` wall time | {receive * 1000:.0f} ms | "
        f"{import_floor * 1000:.0f} ms | {receive / import_floor:.1f}x |",
        f"| `batch` of {lines} receipts | {batch_rate:,.0f} commands/s | | |",
        f"| `batch` of {lines} receipts past start-up (less a `batch` of no lines) "
        f"| {past_start_up:,.0f} commands/s | | |",
        "",
    ]


if __name__ == "__main__":
    print("\n".join(main()))
