"""``batch`` reads each line with one option parser per command for the whole run
(ADR 0047): made once, it parses every line as it parsed them when made per line,
repeated options are still refused, and no parser is kept holding a context (through
which it would hold the run's ledger) once its line is parsed. A line is cut into words
exactly as ``shlex.split(line, comments=True)`` cuts it (ADR 0051)."""

from __future__ import annotations

import shlex
from collections import Counter
from typing import Any

import click
import pytest
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cli.base import PARSERS
from cli.batch import line_words
from cli.main import cli
from tests.cli.conftest import Complaints

LINES = "".join(
    f"receive --ref P-{n} --on 2024-05-0{n} --procedure statutory\n"
    f"acknowledge P-{n} --on 2024-05-0{n + 1}\n"
    for n in range(1, 5)
)


def run(complaints: Complaints, text: str, obj: dict[str, Any]) -> Any:
    return CliRunner().invoke(
        cli,
        ["--db", complaints.db, "--actor", complaints.actor, "batch"],
        input=text,
        obj=obj,
        catch_exceptions=False,
    )


@pytest.fixture
def parsers_made(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    made: Counter[str] = Counter()
    make = click.Command.make_parser

    def counted(self: click.Command, ctx: click.Context) -> Any:
        made[str(self.name)] += 1
        return make(self, ctx)

    monkeypatch.setattr(click.Command, "make_parser", counted)
    return made


def test_each_command_of_a_batch_gets_one_parser_for_the_whole_run(
    complaints: Complaints, parsers_made: Counter[str]
) -> None:
    obj: dict[str, Any] = {}
    result = run(complaints, LINES, obj)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split() == ["P-1", "P-2", "P-3", "P-4"]
    assert parsers_made["receive"] == 1 and parsers_made["acknowledge"] == 1
    assert [e["type"] for e in complaints.history("P-4")] == [
        "Received",
        "Triaged",
        "Acknowledged",
    ]
    kept = obj[PARSERS]
    assert kept and all(parser.ctx is None for parser in kept.values())


def test_a_single_command_parses_its_line_once(
    complaints: Complaints, parsers_made: Counter[str]
) -> None:
    complaints.ok("receive", "--ref", "P-9", "--on", "2024-05-01", "--procedure", "statutory")
    assert parsers_made["receive"] == 1


def test_a_repeated_option_on_a_later_line_is_still_refused(complaints: Complaints) -> None:
    text = LINES + "acknowledge P-1 --on 2024-05-03 --on 2024-05-04\n"
    result = run(complaints, text, {})
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: line 9: --on was given 2 times; give it once "
        "(see 'complaints acknowledge --help')"
    )
    assert result.stdout.split() == ["P-1", "P-2", "P-3", "P-4"]


def test_an_unknown_option_on_a_later_line_is_named_as_on_its_own(
    complaints: Complaints,
) -> None:
    alone = complaints("acknowledge", "P-1", "--no-such-option")
    result = run(complaints, LINES + "acknowledge P-1 --no-such-option\n", {})
    assert result.exit_code == alone.exit_code == 2
    said_alone = alone.stderr.strip()[len("Error: ") :].replace("'cli ", "'complaints ")
    assert "no-such-option" in said_alone  # (the runner calls the program "cli")
    assert result.stderr.strip() == "Error: line 9: " + said_alone


def _shlex_words(text: str) -> list[str] | str:
    try:
        return shlex.split(text, comments=True)
    except ValueError as error:
        return str(error)


def _line_words(text: str) -> list[str] | str:
    try:
        return line_words(text)
    except ValueError as error:
        return str(error)


#: Quotes, escapes, comments, shlex's whitespace and whitespace it does not split at.
_LINE_CHARACTERS = st.sampled_from(
    list(" \t\r\n\x0b\x0c\x1f\x85\xa0\u2028\u3000'\"\\#-=aZ9é\x00\udcff")
)


@settings(max_examples=3000)
@given(st.one_of(st.text(_LINE_CHARACTERS, max_size=30), st.text(max_size=30)))
@example("receive --ref CSC-2025-0101 --on 2025-04-07 --procedure statutory")
@example('receive --team \'Locality North\' --summary "He said \\"no\\"" # note')
@example("a#b c")
@example("x ''")
def test_a_line_is_cut_into_the_words_shlex_cuts_it_into(text: str) -> None:
    assert _line_words(text) == _shlex_words(text)
