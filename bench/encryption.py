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
from ledger.application import Ledger
from ledger.archive import export_events, read_archive, restore
from ledger.demo import default_first_year, generate

ROUNDS = int(os.environ.get("BENCH_ENCRYPTION_ROUNDS", "5"))


class PlainLedger(Ledger):
    """The ledger as it was before ADR 0021: free text stays in the steps."""

    name = "Ledger"  # the same tables

    def _seal_free_text(self, objs: Sequence[Any]) -> list[Any]:
        return []


class SealingLedger(Ledger):
    """The ledger as it is, timing the sealing itself (keys, AES-GCM, the notes)."""

    name = "Ledger"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.sealing = 0.0
        super().__init__(*args, **kwargs)

    def _seal_free_text(self, objs: Sequence[Any]) -> list[Any]:
        started = time.perf_counter()
        try:
            return super()._seal_free_text(objs)
        finally:
            self.sealing += time.perf_counter() - started


def _once(kind: type[Ledger], folder: Path, cases_per_year: int, first_year: int) -> dict[str, Any]:
    path = folder / f"{kind.__name__}.db"
    ledger = kind(str(path))
    steps = 0
    recording = 0.0
    try:
        for chunk in generate(SEED, YEARS, cases_per_year, first_year, ledger.policy):
            steps += sum(len(a.pending_events) for a in chunk)
            started = time.perf_counter()
            ledger.record_many(chunk)
            recording += time.perf_counter() - started
        events = ledger.last_position()
        sealing = getattr(ledger, "sealing", 0.0)
        export = folder / f"{kind.__name__}.jsonl"
        with export.open("wb") as handle:
            export_events(ledger, handle.write, include_personal=True)
        target = kind(str(folder / f"{kind.__name__}-restored.db"))
        try:
            started = time.perf_counter()
            restore(target, read_archive(export, target))
            restoring = time.perf_counter() - started
        finally:
            target.close()
    finally:
        ledger.close()
    for leftover in folder.iterdir():
        leftover.unlink()
    # Rates count the generated steps, the same in both modes (sealing adds note events).
    return {
        "events": events,
        "steps": steps,
        "append_rate": steps / recording,
        "sealing_share": sealing / recording,
        "restore_rate": steps / restoring,
    }


def measure(label: str) -> dict[str, dict[str, Any]]:
    cases = max(round(SIZES[label] / (YEARS * EVENTS_PER_COMPLAINT)), 1)
    first_year = default_first_year(YEARS, date.today())
    runs: dict[str, list[dict[str, Any]]] = {"plain": [], "sealed": []}
    with tempfile.TemporaryDirectory(prefix="bench-encryption-") as name:
        folder = Path(name)
        _once(PlainLedger, folder, cases, first_year)  # warm-up, not counted
        for round_ in range(ROUNDS):
            print(f"[encryption {label}] round {round_ + 1}", file=sys.stderr)
            runs["plain"].append(_once(PlainLedger, folder, cases, first_year))
            runs["sealed"].append(_once(SealingLedger, folder, cases, first_year))
    return {
        mode: {
            "events": found[0]["events"],
            "steps": found[0]["steps"],
            "append_rate": statistics.median(r["append_rate"] for r in found),
            "restore_rate": statistics.median(r["restore_rate"] for r in found),
            "sealing_share": statistics.median(r["sealing_share"] for r in found),
        }
        for mode, found in runs.items()
    }


def main() -> list[str]:
    label = os.environ.get("BENCH_ENCRYPTION_SIZE", "10k")
    if label not in SIZES:
        raise SystemExit(f"unknown BENCH_ENCRYPTION_SIZE {label!r}; choose from {list(SIZES)}")
    found = measure(label)
    plain, sealed = found["plain"], found["sealed"]
    lines = [
        "## Sealing personal text (ADR 0021)",
        "",
        f"The {label} demo ledger recorded with `record_many` and restored from its export "
        "(`--include-personal`), with free text sealed (AES-GCM, a key per case in the key "
        "store beside the ledger) and without (the text left in the steps). Same run, "
        f"alternating, median of {ROUNDS}. Sealed, the ledger holds "
        f"{sealed['events'] - plain['events']:,} more events (one note per typed text).",
        "",
        "| | steps | events stored | append steps/s | restore steps/s |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for mode in ("plain", "sealed"):
        x = found[mode]
        lines.append(
            f"| {mode} | {x['steps']:,} | {x['events']:,} | {x['append_rate']:,.0f} | "
            f"{x['restore_rate']:,.0f} |"
        )
    append_cost = 1 - sealed["append_rate"] / plain["append_rate"]
    restore_cost = 1 - sealed["restore_rate"] / plain["restore_rate"]
    lines += [
        "",
        f"Sealing costs {append_cost:.1%} of the append rate and {restore_cost:.1%} of the "
        "restore rate (a restore copies ciphertext; it decrypts nothing). Timed inside the "
        f"sealed runs, sealing itself (keys, AES-GCM, making the notes) is "
        f"{sealed['sealing_share']:.1%} of the append time; the rest of the difference is "
        "the extra note events through the hash chain and the projection's scan, and the "
        "noise of a shared machine.",
        "",
    ]
    return lines


if __name__ == "__main__":  # python -m bench.encryption
    print("\n".join(main()))
