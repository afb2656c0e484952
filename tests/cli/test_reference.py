"""docs/cli.md names every command and option the program has, and nothing else: a
command or option added, renamed or removed without `make cli-reference` fails here."""

from __future__ import annotations

import re
from pathlib import Path

from cli.reference import SHARED, commands, long_names, options

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def documented() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    current: set[str] | None = None
    for line in DOC.read_text().splitlines():
        heading = re.fullmatch(r"## `complaints ([a-z0-9 -]+)`", line)
        if heading:
            current = found.setdefault(heading.group(1), set())
        elif current is not None and line.startswith("| `--"):
            first_cell = line.split("` |")[0]
            current |= set(re.findall(r"--[a-z0-9-]+", first_cell))
    return found


def in_the_program() -> dict[str, set[str]]:
    return {
        " ".join(path): {name for o in options(command) for name in long_names(o)} - SHARED
        for path, command in commands()
    }


def test_every_command_in_the_reference_exists_and_every_command_is_in_it() -> None:
    doc, program = set(documented()), set(in_the_program())
    assert not doc - program, f"documented but not in the program: {sorted(doc - program)}"
    assert not program - doc, f"in the program but not documented: {sorted(program - doc)}"


def test_every_option_in_the_reference_exists_and_every_option_is_in_it() -> None:
    doc, program = documented(), in_the_program()
    for command in sorted(set(doc) & set(program)):
        assert doc[command] == program[command], (
            f"complaints {command}: documented only {sorted(doc[command] - program[command])},"
            f" in the program only {sorted(program[command] - doc[command])}"
        )


def test_the_options_every_command_takes_are_named_once_at_the_top() -> None:
    header = DOC.read_text().split("\n## ")[0]
    assert SHARED and all(f"`{name} " in header for name in SHARED)
