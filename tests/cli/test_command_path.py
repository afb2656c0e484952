"""The command path (ADR 0036): a command imports what it runs and nothing else. Each
command runs in a fresh interpreter, which then lists the packages it imported; the
test names what must stay out, not how long it took (timing is ``make bench``'s)."""

from __future__ import annotations

import subprocess
import sys

import click
import orjson
import pytest

from cli.main import COMMAND_MODULES, cli
from cli.summaries import SUMMARIES
from tests.cli.conftest import Complaints

#: Run ``complaints`` with the words given, then print the top-level packages and our
#: own modules that the run imported.
PROBE = """
import sys
import orjson
from cli.main import cli
try:
    cli.main(sys.argv[1:], prog_name="complaints")
except SystemExit:
    pass
print(orjson.dumps(sorted(sys.modules)).decode())
"""

#: What no command that shows, lists or records one case needs.
NEVER_ON_THE_COMMAND_PATH = (
    "holidays",
    "openpyxl",
    "matplotlib",
    "jinja2",
    "reports.annual",
    "reports.document",
    "reports.html",
    "transfer",
    "demo",
    "ledger.learning",
    "ledger.reminders",
    "ledger.store.time_travel",
    "ledger.store.read_model_check",
    "ledger.store.checkpoints",
    "ledger.store.mail",
    "cli.reporting",
    "cli.transfer",
    "cli.demo",
    "cli.batch",
)


def imported_by(db: str, *words: str) -> set[str]:
    """The modules a fresh ``complaints --db DB WORDS`` process imported."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "--db", db, "--actor", "tester", *words],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return set(orjson.loads(done.stdout.strip().splitlines()[-1]))


def unwanted(modules: set[str]) -> list[str]:
    return sorted(
        name
        for name in NEVER_ON_THE_COMMAND_PATH
        if name in modules or any(m.startswith(f"{name}.") for m in modules)
    )


@pytest.fixture
def one_case(complaints: Complaints) -> Complaints:
    complaints.ok("receive", "--ref", "CSC-2025-0001", "--on", "2025-04-07", "--team", "North")
    complaints.ok("acknowledge", "CSC-2025-0001", "--on", "2025-04-08")
    return complaints


def test_show_imports_no_report_transfer_demo_or_holidays(one_case: Complaints) -> None:
    modules = imported_by(one_case.db, "show", "CSC-2025-0001")
    assert unwanted(modules) == []
    assert "cli.views" in modules and "ledger.application" in modules


#: What the storage library's UUID column brought (ADR 0047: the ledger has its own).
NOT_FOR_A_UUID_COLUMN = ("sqlalchemy_utils", "dateutil", "cryptography.fernet")


@pytest.mark.parametrize(
    "words",
    [
        ("show", "CSC-2025-0001", "--no-personal"),
        ("receive", "--on", "2025-04-09", "--procedure", "statutory"),
    ],
)
def test_a_command_does_not_import_sqlalchemy_utils(
    one_case: Complaints, words: tuple[str, ...]
) -> None:
    modules = imported_by(one_case.db, *words)
    assert [name for name in NOT_FOR_A_UUID_COLUMN if name in modules] == []
    assert "ledger.store.uuid_column" in modules


def test_show_without_personal_details_does_not_open_the_key_store(one_case: Complaints) -> None:
    modules = imported_by(one_case.db, "show", "CSC-2025-0001", "--no-personal")
    assert "ledger.store.keystore" not in modules


def test_receive_imports_only_the_intake_commands(one_case: Complaints) -> None:
    modules = imported_by(
        one_case.db, "receive", "--on", "2025-04-09", "--procedure", "statutory"
    )
    assert unwanted(modules) == []
    commands = sorted(m for m in modules if m.startswith("cli.") and m not in _SHARED)
    assert commands == ["cli.intake"]


def test_version_imports_no_command_module_and_no_ledger(one_case: Complaints) -> None:
    modules = imported_by(one_case.db, "--version")
    assert not any(m.startswith(("ledger", "domain", "projections")) for m in modules)
    assert sorted(m for m in modules if m.startswith("cli.")) == sorted(_SHARED - {"cli"})


def test_help_lists_every_command_without_importing_a_command_module(
    one_case: Complaints,
) -> None:
    modules = imported_by(one_case.db, "--help")
    assert sorted(m for m in modules if m.startswith("cli.")) == sorted(
        (_SHARED - {"cli"}) | {"cli.summaries"}
    )
    assert not any(m.startswith(("ledger", "domain", "projections")) for m in modules)


@pytest.mark.parametrize("limit", [20, 45, 60, 74, 200])
def test_each_summary_is_shortened_as_its_command_shortens_its_own_help(limit: int) -> None:
    ctx = click.Context(cli)
    for name, summary in SUMMARIES.items():
        command = cli.get_command(ctx, name)
        assert command is not None and not command.hidden, name
        stand_in = click.Command(name, help=summary)
        assert stand_in.get_short_help_str(limit) == command.get_short_help_str(limit), name


def test_every_command_listed_has_a_summary() -> None:
    missing = sorted(set(COMMAND_MODULES) - set(SUMMARIES))
    assert missing == [], "add each to cli/summaries.py: the first sentence of its help"
    assert sorted(set(SUMMARIES) - set(COMMAND_MODULES)) == []


#: The modules every command shares: the root group, its checks and its options.
_SHARED = {"cli", "cli.main", "cli.base", "cli.options", "cli.failures"}
