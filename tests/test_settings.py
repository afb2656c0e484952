"""Council settings files: every documented key is read; mistakes are refused."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from domain.errors import BadData
from ledger.settings import load_settings

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "complaints.toml"


def test_example_settings_file_is_read_in_full() -> None:
    policy, council = load_settings(str(EXAMPLE))
    assert policy.reference_prefix == "CSC"
    assert date(2025, 12, 29) in policy.calendar.closure_days
    assert not policy.calendar.is_working_day(date(2025, 12, 29))
    assert policy.timescales.statutory_stage2.maximum_days == 65
    assert policy.timescales.stage2_clock == "request"
    assert "transport" in policy.taxonomy.reasons
    assert "social-media" in policy.taxonomy.channels
    assert council.name == "Exampleshire County Council"
    assert council.targets == {"stage1": 90.0, "stage2": 90.0, "stage3": 100.0}
    assert council.denominators[2024]["child_population"] == 52000
    assert council.benchmarks[0].council == "Neighbourton"


@pytest.mark.parametrize(
    "text",
    [
        "[timescales]\nno_such_timescale = 3\n",
        "[timescales]\nstage2_clock = 'whenever'\n",
        "[calendar]\nclosure_days = ['2025-13-01']\n",
        "[targets]\nstage9 = 90\n",
        "[taxonomy]\nflavours = ['x']\n",
        "this is not toml",
    ],
)
def test_a_mistaken_settings_file_is_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "council.toml"
    path.write_text(text)
    with pytest.raises(BadData):
        load_settings(str(path))


def test_a_missing_settings_file_is_refused() -> None:
    with pytest.raises(BadData):
        load_settings("/no/such/file.toml")


def test_no_settings_file_means_the_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COMPLAINTS_CONFIG", raising=False)
    policy, council = load_settings(None)
    assert policy.timescales.statutory_stage1.working_days == 10
    assert council.name == ""
