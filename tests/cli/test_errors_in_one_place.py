"""Every command's failures are said in one place (ADR 0025): one ``Error:`` line on
stderr; exit 1 for a refusal or bad data, 2 for a usage mistake (an invalid choice
too), never a traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import Complaints

RECEIVED = "2025-04-07"


def usage_mistake(result: Any) -> str:
    assert result.exit_code == 2, (result.exit_code, result.output)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert result.stdout == ""
    return str(lines[0])


@pytest.fixture
def case(complaints: Complaints) -> str:
    return complaints.ok("receive", "--on", RECEIVED, "--procedure", "statutory")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("receive", "--on", RECEIVED, "--procedure", "foo"), "unknown procedure 'foo'"),
        (("history", "{case}", "--format", "xml"), "'xml' is not one of 'text', 'json'"),
        (("respond", "{case}", "--on", "2025-04-10", "--outcome", "brilliant"), "outcome"),
        (("list", "--kind", "petition"), "unknown kind 'petition'"),
        (("receive", "--on", RECEIVED, "--reason", "poor comms"), "did you mean"),
    ],
    ids=["receive --procedure", "history --format", "respond --outcome", "list --kind", "reason"],
)
def test_an_invalid_choice_is_a_usage_mistake_in_every_command(
    complaints: Complaints, case: str, args: tuple[str, ...], said: str
) -> None:
    before = complaints.history(case)
    line = usage_mistake(complaints(*(a.replace("{case}", case) for a in args)))
    assert said in line
    assert complaints.history(case) == before


def test_an_unknown_option_is_one_line_pointing_at_the_help(complaints: Complaints) -> None:
    line = usage_mistake(complaints("receive", "--on", RECEIVED, "--colour", "blue"))
    assert "--colour" in line and line.endswith(" receive --help')")


def test_a_repeated_option_is_refused_not_the_last_one_kept(
    complaints: Complaints, case: str
) -> None:
    before = complaints.history(case)
    line = usage_mistake(
        complaints(
            "respond", case, "--on", "2025-04-10", "--outcome", "upheld", "--outcome", "not-upheld"
        )
    )
    assert "--outcome was given 2 times; give it once" in line
    assert complaints.history(case) == before


def test_a_repeatable_option_may_still_be_repeated(complaints: Complaints) -> None:
    complaints.ok(
        "receive",
        "--on",
        RECEIVED,
        "--reason",
        "poor-communication",
        "--reason",
        "delays-in-service",
    )


def test_a_usage_mistake_in_a_batch_line_keeps_its_exit_status(
    complaints: Complaints, tmp_path: Path
) -> None:
    source = tmp_path / "lines.txt"
    source.write_text(f"receive --on {RECEIVED} --procedure foo\n")
    result = complaints("batch", str(source))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Error: line 1: --procedure: unknown procedure 'foo'; expected one of: statutory, "
        "corporate [unknown-name]"
    ]


def test_a_postgresql_url_for_another_driver_is_refused_clearly(tmp_path: Path) -> None:
    result = Complaints("postgresql+psycopg2://nobody@127.0.0.1/none")("show", "CSC-2025-0001")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: PostgreSQL is reached through psycopg 3, not psycopg2: write "
        "postgresql://... or postgresql+psycopg://... [bad-data]"
    ]


def test_an_unforeseen_failure_is_one_line_and_no_traceback(
    complaints: Complaints, case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cli.views

    def broken(*_args: Any) -> Any:
        raise RuntimeError("a bug\nover two lines")

    monkeypatch.setattr(cli.views, "case_document", broken)
    result = complaints("show", case)
    assert result.exit_code == 70
    assert result.stderr.splitlines() == [
        "Error: unexpected failure (RuntimeError: a bug); nothing more was recorded; run "
        "again with COMPLAINTS_DEBUG=1 for the details [internal-error]"
    ]
    monkeypatch.setenv("COMPLAINTS_DEBUG", "1")
    with pytest.raises(RuntimeError):
        complaints("show", case)
