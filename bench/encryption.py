"""What sealing personal text costs (ADR 0021): append and restore rates of the same
generated ledger with free text sealed (AES-GCM notes under a key per case, the key
store beside the ledger) and without (the text left in the steps, as before), measured
in the same run, alternating, median of ``ROUNDS``.

Rates count the generated steps, the same in both modes. Size:
``BENCH_ENCRYPTION_SIZE`` (a label of ``bench.scale.SIZES``), default ``10k``.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from bench.scale import EVENTS_PER_COMPLAINT, SEED, SIZES, YEARS
from demo.generator import default_first_year, generate
from ledger.application import Ledger
from transfer.archive import export_events, read_archive, restore

ROUNDS = int(os.environ.get("BENCH_ENCRYPTION_ROUNDS", "6"))
#: Wall-clock rates, and the same counted in this process's CPU time (which leaves out
#: the waits for the disk and for other work on the machine).
RATES = ("append_rate", "append_cpu_rate", "restore_rate", "restore_cpu_rate")


class PlainLedger(Ledger):
    """The ledger as it was before ADR 0021: free text stays in the steps."""

    name = "Ledger"  # the same tables

    def _seal_free_text(self, objs: Sequence[Any]) -> None:
        return None


class SealingLedger(Ledger):
    """The ledger as it is, timing the sealing itself (keys, AES-GCM, the notes)."""

    name = "Ledger"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.sealing = 0.0
        super().__init__(*args, **kwargs)

    def _seal_free_text(self, objs: Sequence[Any]) -> None:
        started = time.perf_counter()
        try:
            super()._seal_free_text(objs)
        finally:
            self.sealing += time.perf_counter() - started


def _once(kind: type[Ledger], folder: Path, cases_per_year: int, first_year: int) -> dict[str, Any]:
    path = folder / f"{kind.__name__}.db"
    ledger = kind(str(path))
    steps = 0
    recording = recording_cpu = 0.0
    try:
        for chunk in generate(SEED, YEARS, cases_per_year, first_year, ledger.policy):
            steps += sum(len(a.pending_events) for a in chunk)
            started, started_cpu = time.perf_counter(), time.process_time()
            ledger.record_many(chunk)
            recording += time.perf_counter() - started
            recording_cpu += time.process_time() - started_cpu
        events = ledger.last_position()
        sealing = getattr(ledger, "sealing", 0.0)
        export = folder / f"{kind.__name__}.jsonl"
        with export.open("wb") as handle:
            export_events(ledger, handle.write, include_personal=True)
        target = kind(str(folder / f"{kind.__name__}-restored.db"))
        try:
            started, started_cpu = time.perf_counter(), time.process_time()
            restore(target, read_archive(export, target))
            restoring = time.perf_counter() - started
            restoring_cpu = time.process_time() - started_cpu
        finally:
            target.close()
    finally:
        ledger.close()
    for leftover in folder.iterdir():
        leftover.unlink()
    # Rates count the generated steps, the same in both modes.
    return {
        "events": events,
        "steps": steps,
        "append_rate": steps / recording,
        "append_cpu_rate": steps / recording_cpu,
        "sealing_share": sealing / recording,
        "restore_rate": steps / restoring,
        "restore_cpu_rate": steps / restoring_cpu,
    }


def measure(label: str) -> dict[str, Any]:
    """Each round records and restores the ledger both ways, in turn (the order flipped
    every round, so neither mode always runs on a warmer machine); a round's cost is
    the sealed rate against the plain rate of that same round."""
    cases = max(round(SIZES[label] / (YEARS * EVENTS_PER_COMPLAINT)), 1)
    first_year = default_first_year(YEARS, date.today())
    runs: dict[str, list[dict[str, Any]]] = {"plain": [], "sealed": []}
    kinds = {"plain": PlainLedger, "sealed": SealingLedger}
    with tempfile.TemporaryDirectory(prefix="bench-encryption-") as name:
        folder = Path(name)
        _once(PlainLedger, folder, cases, first_year)  # warm-up, not counted
        for round_ in range(ROUNDS):
            print(f"[encryption {label}] round {round_ + 1}", file=sys.stderr)
            order = ("plain", "sealed") if round_ % 2 == 0 else ("sealed", "plain")
            for mode in order:
                runs[mode].append(_once(kinds[mode], folder, cases, first_year))
    paired = list(zip(runs["plain"], runs["sealed"], strict=True))
    costs = {
        rate: sorted(1 - sealed[rate] / plain[rate] for plain, sealed in paired) for rate in RATES
    }
    found: dict[str, Any] = {
        mode: {
            "events": done[0]["events"],
            "steps": done[0]["steps"],
            "sealing_share": statistics.median(r["sealing_share"] for r in done),
            **{rate: statistics.median(r[rate] for r in done) for rate in RATES},
        }
        for mode, done in runs.items()
    }
    found["costs"] = costs
    return found


def main() -> list[str]:
    label = os.environ.get("BENCH_ENCRYPTION_SIZE", "10k")
    if label not in SIZES:
        raise SystemExit(f"unknown BENCH_ENCRYPTION_SIZE {label!r}; choose from {list(SIZES)}")
    found = measure(label)
    plain, sealed, costs = found["plain"], found["sealed"], found["costs"]
    lines = [
        "## Sealing personal text (ADR 0021, ADR 0028)",
        "",
        f"The {label} demo ledger recorded with `record_many` and restored from its export "
        "(`--include-personal`), with free text sealed (AES-GCM, a key per case in the key "
        "store beside the ledger, the sealed text inside its step) and without (the text "
        f"left in the steps as typed). Same run, {ROUNDS} rounds, each recording and "
        "restoring both ways in turn (the order flipped every round); rates are medians. "
        f"Sealed, the ledger holds {sealed['events'] - plain['events']:,} more events.",
        "",
        "| | steps | events stored | append steps/s | append steps/CPU-s | restore steps/s "
        "| restore steps/CPU-s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for mode in ("plain", "sealed"):
        x = found[mode]
        lines.append(
            f"| {mode} | {x['steps']:,} | {x['events']:,} | "
            + " | ".join(f"{x[rate]:,.0f}" for rate in RATES)
            + " |"
        )

    def cost(rate: str) -> str:
        values = costs[rate]
        return f"{statistics.median(values):.1%} (rounds from {values[0]:.1%} to {values[-1]:.1%})"

    lines += [
        "",
        f"Sealing costs {cost('append_rate')} of the append rate and "
        f"{cost('restore_rate')} of the restore rate (a restore copies ciphertext; it "
        "decrypts nothing): the median of each round's sealed rate against its plain rate. "
        f"Counted in CPU time, which leaves the disk's and the machine's waits out: "
        f"{cost('append_cpu_rate')} of the append rate and {cost('restore_cpu_rate')} of "
        "the restore rate. "
        "Timed inside the sealed runs, sealing itself (the case keys in one key-store "
        f"transaction per save, AES-GCM, the markers) is {sealed['sealing_share']:.1%} of "
        "the append time; the rest of a round's difference is the noise of a shared machine.",
        "",
    ]
    return lines


if __name__ == "__main__":  # python -m bench.encryption
    print("\n".join(main()))
