"""Run every benchmark and write docs/benchmarks.md (`make bench`)."""

from __future__ import annotations

import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import cli, encryption, load, scale, transcoder


def main() -> None:
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; "
        f"{platform.machine()}, {platform.processor() or 'unknown cpu'}, "
        f"Python {platform.python_version()}, {_cores()} cores.",
        "Every figure stands beside a baseline measured in the same run. Timings are "
        "never pass/fail bars in tests.",
        "",
    ]
    lines += transcoder.main()
    lines += cli.main()
    lines += scale.main()
    lines += encryption.main()
    lines += load.report_lines()
    target = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
    target.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


def _cores() -> int:
    import os

    return os.cpu_count() or 1


if __name__ == "__main__":
    main()
