"""Every example in every command's ``--help`` can be copied and run as it stands.

The commands come from the command tree (``complaints --help`` and each group's), so a
command added later is covered as soon as it is registered. Each example runs against a
copy of a scratch SQLite ledger holding the records the examples name, with CSC-2025-0001
brought to the state the example needs (``NEEDS``; a command not listed there gets a
case at Stage 1, open). An example that must not exit 0 on SQLite says why in
``EXPECTED``.
"""

from __future__ import annotations

import itertools
import re
import shlex
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from cli.main import cli
from tests.cli.test_help import walk

REPO = Path(__file__).resolve().parents[2]

# ------------------------------------------------------------------ the examples


def help_text(path: tuple[str, ...]) -> str:
    result = CliRunner().invoke(cli, [*path, "--help"], obj={}, terminal_width=80)
    assert result.exit_code == 0, result.output
    return result.stdout


def example_section(text: str) -> list[str]:
    """The lines from the ``Example:`` heading to the options."""
    start = re.search(r"^\s*Examples?:\s*$", text, flags=re.MULTILINE)
    assert start is not None, text
    section = text[start.end() :]
    return section.split("\nOptions:")[0].splitlines()


def examples(path: tuple[str, ...]) -> list[str]:
    """The command lines of the help's example section, ``\\`` continuations joined."""
    found: list[str] = []
    pending = ""
    for raw in example_section(help_text(path)):
        line = raw.strip()
        if pending:
            line = pending + " " + line
        elif not line.startswith("complaints "):
            continue
        if line.endswith("\\"):
            pending = line[:-1].rstrip()
            continue
        pending = ""
        found.append(line)
    assert not pending, f"{path}: a continuation with nothing after it"
    return found


def all_examples() -> list[object]:
    params: list[object] = []
    for path in walk(cli):
        for number, line in enumerate(examples(path), start=1):
            name = " ".join(path) or "complaints"
            params.append(pytest.param(path, line, id=f"{name} #{number}"))
    return params


@pytest.mark.parametrize("path", list(walk(cli)), ids=lambda p: " ".join(p) or "complaints")
def test_help_examples_are_whole_command_lines(path: tuple[str, ...]) -> None:
    """Not wrapped mid-command (an option left on a line of its own) nor merged."""
    lines = example_section(help_text(path))
    assert examples(path), f"{path}: no example command in --help"
    for before, line in itertools.pairwise(lines):
        if line.strip().startswith("-") and not before.rstrip().endswith("\\"):
            pytest.fail(f"{path}: example wrapped without a \\ continuation: {line.strip()!r}")
    for line in examples(path):
        words = shlex.split(line)  # quotes are balanced
        assert "complaints" not in words[1:], f"two commands merged on one line: {line!r}"


# ------------------------------------------------------- the ledger they run against

COMMON = [
    "compliment --on 2025-05-02 --team Fostering --text 'Thank you'",  # CMP-2025-0001
    "enquiry --on 2025-05-06 --from councillor --team 'Front Door'",  # ENQ-2025-0001
    "feedback --on 2025-05-06 --team 'Front Door'",  # FBK-2025-0001
    "advocacy --on 2025-05-06 --age-band 12-15 --theme placement",  # ADV-2025-0001
    "receive --ref CSC-2025-0042 --on 2025-05-10 --procedure statutory",
]

#: state -> (the state it follows on from, the lines that bring CSC-2025-0001 to it)
STATES: dict[str, tuple[str | None, list[str]]] = {
    "received": (None, ["receive --ref CSC-2025-0001 --on 2025-04-07"]),
    "stage1": ("received", ["triage CSC-2025-0001 --on 2025-04-07 --decision statutory"]),
    "stage1-responded": (
        "stage1",
        ["respond CSC-2025-0001 --on 2025-04-17 --outcome partly-upheld"],
    ),
    "stage2": ("stage1-responded", ["escalate CSC-2025-0001 --on 2025-04-30"]),
    "stage2-points": ("stage2", ["statement CSC-2025-0001 --on 2025-05-09 --points 4"]),
    "recommended": (
        "stage2",
        [
            "recommend CSC-2025-0001 --on 2025-06-20 --stage 2 --text 'Call back'",
            "recommend CSC-2025-0001 --on 2025-06-20 --stage 2 --text 'Train'",
        ],
    ),
    "accepted": (
        "recommended",
        [
            "recommendation accept CSC-2025-0001 R1 --on 2025-06-25 --owner 'Front Door' "
            "--due 2025-09-30"
        ],
    ),
    "stage2-responded": (
        "stage2",
        ["respond CSC-2025-0001 --on 2025-06-27 --outcome not-upheld"],
    ),
    "stage3": ("stage2-responded", ["escalate CSC-2025-0001 --on 2025-07-10"]),
    "panel-met": ("stage3", ["panel CSC-2025-0001 --on 2025-08-01"]),
    "ombudsman": (
        "stage2-responded",
        ["ombudsman enquiry CSC-2025-0001 --on 2025-10-01"],
    ),
    "ombudsman-decided": (
        "ombudsman",
        [
            "ombudsman decision CSC-2025-0001 --on 2026-01-15 --decision upheld "
            "--remedy apology --due 2026-02-12"
        ],
    ),
    "suspended": (
        "stage1",
        ["suspend CSC-2025-0001 --on 2025-04-10 --reason 'police investigation'"],
    ),
    "held": (
        "stage1",
        ["hold place CSC-2025-0001 --on 2025-04-10 --reason 'claim issued'"],
    ),
    "advocate-offered": ("stage1", ["advocate offer CSC-2025-0001 --on 2025-04-08"]),
    "learning": (
        "stage1",
        [
            "learning record --case CSC-2025-0001 --on 2025-05-01 --team 'Front Door' "
            "--due 2025-07-31 --went-wrong 'calls not returned' --learnt 'shared inbox' "
            "--action 'duty officer'"
        ],
    ),
    "learning-theme": (
        "stage1",
        [
            "learning record --theme communication --on 2025-05-01 --team 'Front Door' "
            "--due 2025-07-31 --went-wrong 'letters unclear' --learnt 'no review' "
            "--action 'rewrite them'"
        ],
    ),
    "adr-offered": (
        "stage1",
        ["adr offer CSC-2025-0001 --on 2025-04-28 --method mediation"],
    ),
    "joint": (
        "stage1",
        ["joint record CSC-2025-0001 --on 2025-04-09 --with nhs --lead council"],
    ),
    "survey-sent": ("stage1-responded", ["survey sent CSC-2025-0001 --on 2025-05-01"]),
    "restricted": (
        "stage1",
        [
            "restriction decide CSC-2025-0001 --on 2025-06-02 --kind written-contact-only "
            "--scope 'all contact' --reason 'daily calls' --review-on 2025-12-02"
        ],
    ),
    "access-request": (
        "stage1",
        ["access-request receive --on 2025-04-07 --service-area 'Children in Need'"],
    ),
    "access-request-answered": (
        "access-request",
        ["access-request respond SAR-2025-0001 --on 2025-05-06 --outcome disclosed-in-full"],
    ),
}

#: The state of CSC-2025-0001 an example needs, by command (default: "stage1").
NEEDS: dict[tuple[str, ...], str] = {
    ("triage",): "received",
    ("escalate",): "stage1-responded",
    ("void",): "stage1-responded",
    ("appoint",): "stage2",
    ("statement",): "stage2",
    ("recommend",): "stage2",
    ("finding",): "stage2-points",
    ("recommendation",): "recommended",
    ("recommendation", "accept"): "recommended",
    ("recommendation", "reject"): "recommended",
    ("recommendation", "complete"): "accepted",
    ("compensate",): "stage2-responded",
    ("panel",): "stage3",
    ("panel-report",): "panel-met",
    ("ombudsman", "enquiry"): "stage2-responded",
    ("ombudsman",): "ombudsman",
    ("ombudsman", "decision"): "ombudsman",
    ("ombudsman", "complied"): "ombudsman-decided",
    ("resume",): "suspended",
    ("advocate", "accept"): "advocate-offered",
    ("advocate", "decline"): "advocate-offered",
    ("adr", "result"): "adr-offered",
    ("hold", "lift"): "held",
    ("learning", "done"): "learning",
    ("learning", "approve"): "learning",
    ("learning", "show"): "learning",
    ("learning", "erase"): "learning-theme",
    ("demo",): "empty",  # it builds a ledger of its own: an empty one
    ("joint", "agreed"): "joint",
    ("cost",): "stage2",
    ("survey",): "stage1-responded",
    ("survey", "sent"): "stage1-responded",
    ("survey", "answered"): "survey-sent",
    ("reopen",): "stage1-responded",
    ("restriction", "review"): "restricted",
    ("access-request",): "access-request",
    ("access-request", "extend"): "access-request",
    ("access-request", "respond"): "access-request",
    ("access-request", "show"): "access-request",
    ("access-request", "review"): "access-request-answered",
}

#: Examples that do not exit 0 against an SQLite ledger, with why: (exit status, text
#: the error must contain).
EXPECTED: dict[tuple[str, ...], tuple[int, str]] = {
    # Roles are PostgreSQL users; an SQLite file has none (the example's --db names a
    # server, replaced here by the scratch ledger like every --db).
    ("roles",): (1, "roles are for PostgreSQL ledgers"),
    ("roles", "grant"): (1, "roles are for PostgreSQL ledgers"),
}

BATCH_FILE = """\
receive --ref CSC-2025-0101 --on 2025-04-07 --procedure statutory
respond CSC-2025-0101 --on 2025-04-15 --outcome upheld
"""


def state_lines(state: str) -> list[str]:
    parent, lines = STATES[state]
    return (state_lines(parent) if parent else []) + lines


class Ledgers:
    """One scratch ledger per state, built on first use; each example gets a copy."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.built: dict[str, Path] = {}

    def copy(self, state: str, folder: Path) -> Path:
        if state not in self.built:
            self.built[state] = self.build(state)
        copy = folder / "ledger.db"
        for suffix in ("", "-wal", "-shm", ".keys.db"):
            source = Path(str(self.built[state]) + suffix)
            if source.exists():
                shutil.copyfile(source, str(copy) + suffix)
        return copy

    def build(self, state: str) -> Path:
        built = self.root / state / "ledger.db"
        built.parent.mkdir()
        if state == "empty":
            return built
        script = "\n".join([*COMMON, *state_lines(state)]) + "\n"
        result = CliRunner().invoke(
            cli,
            ["--db", str(built), "--actor", "seed", "batch"],
            input=script,
            obj={},
            catch_exceptions=False,
        )
        assert result.exit_code == 0, (state, result.stderr)
        return built


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory: pytest.TempPathFactory) -> Ledgers:
    return Ledgers(tmp_path_factory.mktemp("states"))


@pytest.mark.parametrize(("path", "line"), all_examples())
def test_help_example_runs(
    path: tuple[str, ...],
    line: str,
    ledgers: Ledgers,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    work = tmp_path / "work"
    (work / "examples").mkdir(parents=True)
    shutil.copyfile(REPO / "examples" / "legacy-import.csv", work / "examples/legacy-import.csv")
    (work / "cases.txt").write_text(BATCH_FILE)
    monkeypatch.chdir(work)
    db = ledgers.copy(NEEDS.get(path, "stage1"), tmp_path)
    if path == ("keys", "restore"):  # the backup it restores: the ledger's own key store
        shutil.copyfile(str(db) + ".keys.db", work / "keys-2025-06-30.db")
    words = shlex.split(line)[1:]
    # An example that names a database (--db) runs against the scratch one.
    words = [str(db) if before == "--db" else w for before, w in itertools.pairwise(["", *words])]
    result = CliRunner().invoke(
        cli,
        words,
        obj={},
        env={"COMPLAINTS_DB": str(db), "COMPLAINTS_ACTOR": "help-reader"},
        catch_exceptions=False,
    )
    status, says = EXPECTED.get(path, (0, ""))
    assert result.exit_code == status, (line, result.stdout[-2000:], result.stderr)
    assert says in result.stderr, result.stderr


def test_every_command_has_a_runnable_example() -> None:
    """Each command (and group) offers at least one line to copy."""
    missing = [p for p in walk(cli) if not examples(p)]
    assert missing == []


def test_needs_name_only_commands_that_exist() -> None:
    """A renamed command must not leave its set-up behind unnoticed."""
    paths = set(walk(cli))
    assert set(NEEDS) | set(EXPECTED) <= paths
    assert {*NEEDS.values()} <= {*STATES, "empty"}


def test_click_keeps_example_blocks_as_written() -> None:
    """The ``\\b`` marker: a long example line stays one line even in a narrow terminal."""
    result = CliRunner().invoke(cli, ["receive", "--help"], obj={}, terminal_width=60)
    assert "    --role parent --service-area" in result.stdout
    assert isinstance(cli, click.Group)
