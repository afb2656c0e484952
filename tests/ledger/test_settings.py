"""Council settings files: every documented key is read; mistakes are refused."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from domain.errors import BadData
from ledger.settings import load_settings
from transfer.importer import parse_date

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "complaints.toml"


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
    assert policy.teams is not None and policy.service_areas is not None
    assert "Locality North" in policy.teams.names
    assert policy.service_areas.resolve("CIN", date(2025, 4, 1)) == "Children in Need"
    assert policy.teams.resolve("front door", date(2025, 4, 1)) == "Front Door (MASH)"
    east = policy.teams.entry("Locality East")
    assert east is not None and east.valid_until == date(2024, 3, 31)


def test_the_example_registers_hold_every_name_the_demo_and_the_legacy_example_use() -> None:
    """The demo's generated names and the legacy example's rows pass the example
    registers, so the example settings can be used with either."""
    from demo.generator import SERVICE_AREAS

    policy, _ = load_settings(str(EXAMPLE))
    assert policy.teams is not None and policy.service_areas is not None
    day = date(2025, 4, 1)
    for area, _complaints, _compliments, teams in SERVICE_AREAS:
        assert policy.service_areas.resolve(area, day) == area
        for team in teams:
            assert policy.teams.resolve(team, day) == team
    with (EXAMPLE.parent / "legacy-import.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            received = parse_date(row["received_on"])
            assert policy.service_areas.resolve(row["service_area"], received)
            assert policy.teams.resolve(row["team"], received)


@pytest.mark.parametrize(
    "text",
    [
        "[timescales]\nno_such_timescale = 3\n",
        "[timescales]\nstage2_clock = 'whenever'\n",
        "[calendar]\nclosure_days = ['2025-13-01']\n",
        "[targets]\nstage9 = 90\n",
        "[taxonomy]\nflavours = ['x']\n",
        "this is not toml",
        "[timescales]\nchanges = [{ preset = 'code-2026' }]\n",
        "[timescales]\nchanges = [{ from = 2026-04-01, preset = 'code-2099' }]\n",
        "[timescales]\nchanges = [{ from = 2026-04-01, acknowledge = 'soon' }]\n",
        "[timescales]\nchanges = [{ from = 2026-04-01, no_such_timescale = 3 }]\n",
        "[timescales]\nchanges = [{ from = 2026-04-01, "
        "corporate_stage1 = { counts_from = 'whenever' } }]\n",
        "[timescales]\nchanges = [{ from = 2026-04-01 }, { from = 2025-04-01 }]\n",
        "[timescales]\nchanges = { from = 2026-04-01 }\n",
        "[council]\npublic_threshold = 1\n",
        "[council]\npublic_threshold = 'five'\n",
    ],
)
def test_a_mistaken_settings_file_is_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "council.toml"
    path.write_text(text)
    with pytest.raises(BadData):
        load_settings(str(path))


def test_the_complaint_handling_code_is_one_line_of_settings(tmp_path: Path) -> None:
    path = tmp_path / "council.toml"
    path.write_text(
        "[timescales]\ncorporate_stage1 = { working_days = 12 }\n"
        "changes = [{ from = 2026-04-01, preset = 'code-2026' },"
        " { from = 2027-04-01, acknowledge = 3 }]\n"
    )
    policy, _ = load_settings(str(path))
    before = policy.timescales_on(date(2026, 3, 31))
    code = policy.timescales_on(date(2026, 4, 1))
    later = policy.timescales_on(date(2027, 4, 1))
    assert before.corporate_stage1.working_days == 12
    assert before.corporate_stage1.counts_from == "receipt"
    assert code.corporate_stage1.working_days == 10
    assert code.corporate_stage1.counts_from == "acknowledgement"
    assert code.corporate_stage2.maximum_days == 40
    assert code.statutory_stage1 == before.statutory_stage1  # the regulations stand
    assert later.corporate_stage1 == code.corporate_stage1 and later.acknowledge == 3


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


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("[registers]\nprojects = ['A']\n", "unknown register 'projects'"),
        ("registers = ['Locality North']\n", "[registers] must be a table"),
        ("[registers]\nteams = 'Locality North'\n", "must be a list of names"),
        ("[registers]\nteams = []\n", "must be a list of names"),
        ("[registers]\nteams = ['A', 3]\n", "entry 2: 3 is neither a name"),
        ("[registers]\nteams = ['A', '  ']\n", "entry 2: a register entry needs a name"),
        ("[registers]\nteams = [{ aliases = ['X'] }]\n", "entry 1: a name is required"),
        ("[registers]\nteams = [{ name = 'A', alias = 'X' }]\n", "entry 1: unknown key 'alias'"),
        ("[registers]\nteams = [{ name = 'A', aliases = [1] }]\n", "aliases must be a list"),
        (
            "[registers]\nteams = [{ name = 'A', valid_from = '2025-13-01' }]\n",
            "valid_from '2025-13-01' is not a date",
        ),
        (
            "[registers]\nteams = [{ name = 'A', valid_from = 2025-04-01, "
            "valid_until = 2025-03-31 }]\n",
            "valid_until 2025-03-31 is before valid_from 2025-04-01",
        ),
        ("[registers]\nteams = ['Locality North', 'locality  north']\n", "listed twice"),
        (
            "[registers]\nteams = ['Front Door', { name = 'MASH', aliases = ['front door'] }]\n",
            "'front door' is given for both 'Front Door' and 'MASH'",
        ),
        (
            "[registers]\nservice_areas = ['A']\nservice-areas = ['B']\n",
            "register of service-areas is given twice",
        ),
    ],
)
def test_a_mistaken_register_is_refused_with_the_entry_at_fault(
    tmp_path: Path, text: str, said: str
) -> None:
    path = tmp_path / "council.toml"
    path.write_text(text)
    with pytest.raises(BadData) as refused:
        load_settings(str(path))
    assert said in str(refused.value)
    assert str(path) in str(refused.value)


def test_register_entries_may_be_names_or_tables(tmp_path: Path) -> None:
    path = tmp_path / "council.toml"
    path.write_text(
        "[registers]\n"
        "teams = ['Locality North', { name = 'Front Door', aliases = 'MASH', "
        "valid_from = 2024-04-01 }]\n"
        "service-areas = ['Early Help']\n"
    )
    policy, _ = load_settings(str(path))
    assert policy.teams is not None and policy.service_areas is not None
    assert policy.teams.names == ("Locality North", "Front Door")
    assert policy.teams.resolve("mash", date(2024, 4, 1)) == "Front Door"
    assert policy.service_areas.names == ("Early Help",)


def test_no_registers_means_any_name(tmp_path: Path) -> None:
    path = tmp_path / "council.toml"
    path.write_text("[council]\nname = 'Exampleshire'\n")
    policy, _ = load_settings(str(path))
    assert policy.teams is None and policy.service_areas is None
    assert policy.team("  Locality   North ", date(2025, 4, 1)) == "Locality North"
