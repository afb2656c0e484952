"""Registers of teams and service areas (ADR 0018): with a register in the settings, a
name not in it, or not in use on the step's date, is refused with the nearest names and
an alias is recorded as its register name; without one, a new name is warned about.
``complaints teams`` and ``complaints service-areas`` list the names in use."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import orjson
import pytest
from click.testing import Result

from tests.cli.conftest import Complaints

REGISTERS = """\
[registers]
service_areas = [
    { name = "Children in Need", aliases = ["CIN"] },
    "Children in Care",
    "Early Help",
]
teams = [
    "Locality North",
    "Locality South",
    { name = "Locality East", valid_until = 2024-03-31 },
    { name = "Front Door (MASH)", aliases = ["Front Door", "MASH"] },
    { name = "Family Hubs", valid_from = 2024-06-01 },
    "Fostering Support",
]
"""


def warnings(result: Result) -> str:
    """The warning lines a command printed (each recording command also says what it
    recorded, on stderr)."""
    return "".join(
        line for line in result.stderr.splitlines(keepends=True) if line.startswith("Warning")
    )


def with_config(complaints: Complaints, text: str, tmp_path: Path) -> Callable[..., Result]:
    """``complaints`` with ``--config`` pointing at a settings file holding ``text``."""
    settings = tmp_path / "council.toml"
    settings.write_text(text)

    def run(*args: str) -> Result:
        return complaints("--config", str(settings), *args)

    return run


@dataclass
class Registered(Complaints):
    """``complaints`` with ``--config`` pointing at the settings with the registers."""

    config: str = ""

    def __call__(self, *args: str, input: str | None = None) -> Result:
        return super().__call__("--config", self.config, *args, input=input)


@pytest.fixture
def council(db_url: str, tmp_path: Path) -> Registered:
    settings = tmp_path / "council.toml"
    settings.write_text(REGISTERS)
    return Registered(db_url, config=str(settings))


def recorded_count(complaints: Complaints) -> int:
    return len(complaints.json("list"))


# -------------------------------------------------------------- refused with a register
def test_a_misspelt_service_area_is_refused_with_the_nearest_name(council: Registered) -> None:
    result = council.refused("receive", "--on", "2025-04-07", "--service-area", "Childrn in Need")
    assert "service area 'Childrn in Need' is not in the register" in result.stderr
    assert "did you mean 'Children in Need'" in result.stderr
    assert "[unknown-service-area]" in result.stderr
    assert recorded_count(council) == 0
    assert council.json("service-areas") == []


def test_a_misspelt_team_is_refused_with_the_nearest_names(council: Registered) -> None:
    result = council.refused("receive", "--on", "2025-04-07", "--team", "Locality Nrth")
    assert "did you mean 'Locality North'" in result.stderr
    assert "[unknown-team]" in result.stderr
    assert recorded_count(council) == 0


def test_a_name_far_from_every_register_name_points_to_the_list(council: Registered) -> None:
    result = council.refused("receive", "--on", "2025-04-07", "--team", "Zebra Crossing")
    assert "did you mean" not in result.stderr
    assert "see complaints teams" in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["compliment"],
        ["enquiry", "--from", "councillor"],
        ["feedback"],
        ["advocacy"],
    ],
    ids=["compliment", "enquiry", "feedback", "advocacy"],
)
def test_every_kind_of_record_checks_its_team_and_service_area(
    council: Registered, command: list[str]
) -> None:
    on = ["--on", "2025-04-07"]
    result = council.refused(*command, *on, "--team", "Fostering Suport")
    assert "did you mean 'Fostering Support'" in result.stderr
    assert "[unknown-team]" in result.stderr
    result = council.refused(*command, *on, "--service-area", "Early Hlep")
    assert "did you mean 'Early Help'" in result.stderr
    assert "[unknown-service-area]" in result.stderr
    assert council.json("teams") == []
    assert council.json("service-areas") == []
    ref = council.ok(*command, *on, "--team", "mash", "--service-area", "early help")
    assert ref
    assert [row["team"] for row in council.json("teams")] == ["Front Door (MASH)"]
    assert [row["service_area"] for row in council.json("service-areas")] == ["Early Help"]


def test_amending_a_complaint_to_an_unknown_team_is_refused_and_nothing_changes(
    council: Registered,
) -> None:
    ref = council.ok("receive", "--on", "2025-04-07", "--team", "Locality North")
    before = council.history(ref)
    result = council.refused(
        "amend", ref, "--field", "team", "--value", "Locality Sout", "--reason", "wrong team"
    )
    assert "did you mean 'Locality South'" in result.stderr
    assert "[unknown-team]" in result.stderr
    result = council.refused(
        "amend", ref, "--field", "service-area", "--value", "Children", "--reason", "typo"
    )
    assert "[unknown-service-area]" in result.stderr
    assert council.history(ref) == before


def test_amending_a_compliment_to_an_unknown_team_is_refused(council: Registered) -> None:
    ref = council.ok("compliment", "--on", "2025-04-07", "--team", "Locality North")
    result = council.refused(
        "compliment", "amend", ref, "--field", "team", "--value", "Localty South",
        "--reason", "wrong team",
    )  # fmt: skip
    assert "did you mean 'Locality South'" in result.stderr
    assert [row["team"] for row in council.json("teams")] == ["Locality North"]


# ------------------------------------------------------------------------- aliases
def test_an_alias_is_recorded_as_its_register_name(council: Registered) -> None:
    ref = council.ok(
        "receive", "--on", "2025-04-07", "--procedure", "statutory",
        "--service-area", "CIN", "--team", "front  door",
    )  # fmt: skip
    shown = council.json("show", ref)
    assert shown["service_area"] == "Children in Need"
    assert shown["team"] == "Front Door (MASH)"
    received = council.history(ref)[0]
    assert received["data"]["service_area"] == "Children in Need"
    assert received["data"]["team"] == "Front Door (MASH)"


def test_an_amendment_by_alias_records_the_register_name(council: Registered) -> None:
    ref = council.ok("receive", "--on", "2025-04-07", "--team", "Locality North")
    council.ok("amend", ref, "--field", "team", "--value", "MASH", "--reason", "wrong team")
    assert council.json("show", ref)["team"] == "Front Door (MASH)"
    amended = council.history(ref)[-1]
    assert amended["data"]["new"] == "Front Door (MASH)"
    result = council.refused(
        "amend", ref, "--field", "team", "--value", "front door", "--reason", "again"
    )
    assert "[amendment]" in result.stderr  # the same register name: nothing to correct


# ------------------------------------------------------------------ validity dates
def test_a_team_is_accepted_only_on_dates_within_its_validity(council: Registered) -> None:
    before = council.ok("receive", "--on", "2024-03-28", "--team", "Locality East")
    assert council.json("show", before)["team"] == "Locality East"
    result = council.refused("receive", "--on", "2024-04-02", "--team", "Locality East")
    assert "not in use on 2024-04-02 (in use until 2024-03-31)" in result.stderr
    assert "[unknown-team]" in result.stderr
    result = council.refused("compliment", "--on", "2024-05-31", "--team", "Family Hubs")
    assert "not in use on 2024-05-31 (in use from 2024-06-01)" in result.stderr
    council.ok("compliment", "--on", "2024-06-01", "--team", "Family Hubs")


def test_an_amendment_is_judged_on_the_day_the_case_was_received(
    council: Registered,
) -> None:
    """A case received before the restructure may still be put right to the old team,
    even though the correction is made after it; a later case may not."""
    early = council.ok("receive", "--on", "2024-03-20", "--team", "Locality North")
    council.ok(
        "amend", early, "--on", "2024-05-01", "--field", "team", "--value", "Locality East",
        "--reason", "recorded against the wrong team",
    )  # fmt: skip
    assert council.json("show", early)["team"] == "Locality East"
    late = council.ok("receive", "--on", "2024-04-10", "--team", "Locality North")
    result = council.refused(
        "amend", late, "--field", "team", "--value", "Locality East", "--reason", "wrong",
    )  # fmt: skip
    assert "not in use on 2024-04-10" in result.stderr


def test_feedback_becoming_a_complaint_after_a_restructure_needs_a_current_team(
    council: Registered,
) -> None:
    feedback = council.ok("feedback", "--on", "2024-03-28", "--team", "Locality East")
    result = council.refused("feedback", "convert", feedback, "--on", "2024-04-02")
    assert "team 'Locality East' is not in use on 2024-04-02" in result.stderr
    ref = council.ok(
        "feedback", "convert", feedback, "--on", "2024-04-02", "--team", "Locality North"
    )
    assert council.json("show", ref)["team"] == "Locality North"


# ------------------------------------------------------------ without a register
def test_without_a_register_a_new_name_is_warned_about_with_near_names(
    complaints: Complaints,
) -> None:
    first = complaints("receive", "--on", "2025-04-07", "--team", "Locality North")
    assert first.exit_code == 0
    assert warnings(first) == "Warning: new team 'Locality North'\n"
    typo = complaints("receive", "--on", "2025-04-08", "--team", "Locality Nrth")
    assert typo.exit_code == 0  # accepted, but the officer sees the near name
    assert warnings(typo) == "Warning: new team 'Locality Nrth' (in use: 'Locality North')\n"
    again = complaints("compliment", "--on", "2025-04-09", "--team", "Locality North")
    assert again.exit_code == 0
    assert warnings(again) == ""
    area = complaints("feedback", "--on", "2025-04-09", "--service-area", "Childrn in Need")
    assert warnings(area) == "Warning: new service area 'Childrn in Need'\n"
    fixed = complaints("receive", "--on", "2025-04-10", "--service-area", "Children in Need")
    assert warnings(fixed) == (
        "Warning: new service area 'Children in Need' (in use: 'Childrn in Need')\n"
    )


def test_an_amendment_to_a_new_name_is_warned_about_too(complaints: Complaints) -> None:
    ref = complaints.ok("receive", "--on", "2025-04-07", "--team", "Locality North")
    result = complaints(
        "amend", ref, "--field", "team", "--value", "Locality Nort", "--reason", "typo"
    )
    assert result.exit_code == 0
    assert warnings(result) == "Warning: new team 'Locality Nort' (in use: 'Locality North')\n"


def test_a_refused_command_gives_no_warning(complaints: Complaints) -> None:
    result = complaints.refused(
        "receive", "--on", "2025-04-07", "--team", "Locality North", "--channel", "pigeon", code=2
    )
    assert "Warning" not in result.stderr
    assert complaints("receive", "--on", "2025-04-07", "--team", "Locality North").stderr


def test_a_register_of_teams_alone_leaves_service_areas_warned_about(
    complaints: Complaints, tmp_path: Path
) -> None:
    run = with_config(complaints, '[registers]\nteams = ["Locality North"]\n', tmp_path)
    result = run("receive", "--on", "2025-04-07", "--team", "locality north",
                 "--service-area", "Early Help")  # fmt: skip
    assert result.exit_code == 0
    assert warnings(result) == "Warning: new service area 'Early Help'\n"


# --------------------------------------------------------------- listing the names
def test_teams_lists_the_names_in_use_with_counts(complaints: Complaints) -> None:
    complaints.ok("receive", "--on", "2025-04-07", "--team", "Locality North")
    complaints.ok("receive", "--on", "2025-04-08", "--team", "Locality North")
    complaints.ok("receive", "--on", "2025-04-08", "--team", "Locality Nrth")
    complaints.ok("compliment", "--on", "2025-04-09", "--team", "Locality North")
    complaints.ok("enquiry", "--on", "2025-04-09", "--from", "mp", "--team", "Front Door")
    complaints.ok("receive", "--on", "2025-04-09")  # no team: not listed
    assert complaints.json("teams") == [
        {"team": "Front Door", "complaints": 0, "others": 1, "total": 1},
        {"team": "Locality North", "complaints": 2, "others": 1, "total": 3},
        {"team": "Locality Nrth", "complaints": 1, "others": 0, "total": 1},
    ]
    text = complaints.ok("teams").splitlines()
    assert text[0].split() == ["team", "complaints", "others", "total"]
    assert text[2].split() == ["Locality", "North", "2", "1", "3"]
    rows = list(csv.DictReader(io.StringIO(complaints.ok("teams", "--format", "csv"))))
    assert rows[2] == {"team": "Locality Nrth", "complaints": "1", "others": "0", "total": "1"}


def test_service_areas_follow_amendments(complaints: Complaints) -> None:
    ref = complaints.ok("receive", "--on", "2025-04-07", "--service-area", "Childrn in Need")
    complaints.ok("advocacy", "--on", "2025-04-08", "--service-area", "Children in Need")
    complaints.ok(
        "amend", ref, "--field", "service-area", "--value", "Children in Need", "--reason", "typo"
    )
    assert complaints.json("service-areas") == [
        {"service_area": "Children in Need", "complaints": 1, "others": 1, "total": 2},
    ]


def test_empty_lists_say_so(complaints: Complaints) -> None:
    complaints.ok("projections", "rebuild")  # a ledger with nothing in it (reads create none)
    assert complaints.ok("teams") == "no teams recorded"
    assert complaints.ok("service-areas") == "no service areas recorded"
    assert complaints.json("teams") == []


def test_names_recorded_before_the_register_are_marked(
    complaints: Complaints, tmp_path: Path
) -> None:
    complaints.ok("receive", "--on", "2025-04-07", "--team", "Locality Nrth")
    complaints.ok("receive", "--on", "2025-04-07", "--team", "Locality North")
    complaints.ok("receive", "--on", "2025-04-07", "--team", "MASH")
    run = with_config(complaints, REGISTERS, tmp_path)
    result = run("teams", "--format", "json")
    assert result.exit_code == 0
    assert orjson.loads(result.stdout) == [
        {"team": "Locality North", "complaints": 1, "others": 0, "total": 1,
         "in_register": True, "register_name": "Locality North"},
        {"team": "Locality Nrth", "complaints": 1, "others": 0, "total": 1,
         "in_register": False, "register_name": None},
        {"team": "MASH", "complaints": 1, "others": 0, "total": 1,
         "in_register": False, "register_name": "Front Door (MASH)"},
    ]  # fmt: skip
    text = run("teams").stdout.splitlines()
    assert text[0].split()[-2:] == ["in_register", "register_name"]
    assert text[2].split()[-1] == "NO"


# ---------------------------------------------------------------------- the importer
def test_the_importer_refuses_a_misspelt_team_in_its_column(
    council: Registered, tmp_path: Path
) -> None:
    source = tmp_path / "legacy.csv"
    source.write_text(
        "reference,received_on,service_area,team\n"
        "L-1,2024-05-01,CIN,Front Door\n"
        "L-2,2024-05-02,Children in Need,Locality Nrth\n"
        "L-3,2024-05-03,Early Help,Locality East\n"
    )
    result = council("import", str(source))
    assert result.exit_code == 1
    problems = [line for line in result.stderr.splitlines() if line.startswith("row ")]
    assert len(problems) == 2, result.stderr
    assert problems[0].startswith("row 3, column team: team 'Locality Nrth'")
    assert "did you mean 'Locality North'" in problems[0]
    assert problems[1].startswith("row 4, column team: team 'Locality East' is not in use")
    assert recorded_count(council) == 0
    source.write_text("reference,received_on,service_area,team\nL-1,2024-05-01,CIN,Front Door\n")
    council.ok("import", str(source))
    shown = council.json("show", "L-1")
    assert (shown["service_area"], shown["team"]) == ("Children in Need", "Front Door (MASH)")


def test_a_file_imported_before_the_register_is_the_same_cases_after_it(
    complaints: Complaints, tmp_path: Path
) -> None:
    source = tmp_path / "legacy.csv"
    source.write_text(
        "reference,received_on,service_area,team\n"
        "L-1,2024-05-01,CIN,Front Door\n"
        "L-2,2024-05-02,Children in Need,Locality North\n"
    )
    complaints.ok("import", str(source))
    result = with_config(complaints, REGISTERS, tmp_path)("import", str(source))
    assert result.exit_code == 0, result.output
    assert "imported 0 cases (0 events)" in result.stdout
    assert "2 already in the ledger with the same history, skipped" in result.stdout
    assert complaints.json("show", "L-1")["team"] == "Front Door"  # events are not rewritten
