"""A short version of the load test in CI: several processes write at once; nothing
is lost, duplicated or issued twice, and the read models equal a rebuild. It also says
what bounds the rate: CPU per command and, on PostgreSQL, the writers' turn (ADR 0056)."""

from __future__ import annotations

from bench.load import _bounds_row, run


def test_many_writers_at_once_lose_nothing(db_url: str) -> None:
    figures = run(db_url, workers=4, commands=24, seconds=60)
    assert figures["commands"] == 4 * 24
    assert figures["refused"] == 0
    assert figures["events_written"] == figures["events_expected"]
    assert figures["references_unique"]
    assert figures["recommendation_ids_unique"]
    assert figures["shared_case_versions_contiguous"]
    assert figures["chain_intact"]
    assert figures["rebuild_equals_incremental"]
    assert figures["worker_cpu_ms_per_command"] > 0
    assert figures["cpu_ceiling_commands_per_second"] > 0
    if db_url.startswith("sqlite"):
        assert figures["server_cpu_ms_per_command"] is None
        assert figures["turn_held_share"] is None and figures["writers_waiting"] is None
    else:  # the test's server runs on this machine: its processes' CPU is counted
        assert figures["server_cpu_ms_per_command"] > 0
        assert 0 <= figures["turn_held_share"] <= 1
        assert figures["writers_waiting"] >= 0


def test_the_load_tests_bounds_row_shows_cpu_ceiling_and_turn() -> None:
    figures = {
        "worker_cpu_ms_per_command": 14.26,
        "server_cpu_ms_per_command": 6.04,
        "cpu_ceiling_commands_per_second": 98.5,
        "machine_busy_share": 0.977,
        "turn_held_share": 0.982,
        "writers_waiting": 5.54,
    }
    assert _bounds_row("PostgreSQL", figures) == (
        "| PostgreSQL | 14.3 | 6.0 | 98 | 98% | 98% | 5.5 |"
    )
    unknown = {**figures, "server_cpu_ms_per_command": None, "turn_held_share": None}
    unknown["writers_waiting"] = None
    assert _bounds_row("SQLite file", unknown) == "| SQLite file | 14.3 | - | 98 | 98% | - | - |"
