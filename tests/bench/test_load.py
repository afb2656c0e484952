"""A short version of the load test in CI: several processes write at once; nothing
is lost, duplicated or issued twice, and the read models equal a rebuild."""

from __future__ import annotations

from bench.load import run


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
