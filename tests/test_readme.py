"""The README's examples are checked against the program: every command it shows
exists, and every option it uses is one that command's --help lists."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from cli.main import cli

README = Path(__file__).resolve().parent.parent / "README.md"


def example_lines() -> list[str]:
    lines, in_code, pending = [], False, ""
    for raw in README.read_text().splitlines():
        if raw.startswith("```"):
            in_code = not in_code
            continue
        if not in_code:
            continue
        line = (pending + " " + raw.strip()).strip() if pending else raw.strip()
        if line.endswith("\\"):
            pending = line[:-1]
            continue
        pending = ""
        line = line.split("  #")[0].strip()
        if line.startswith("complaints "):
            lines.append(line)
    return lines


@pytest.mark.parametrize("line", example_lines())
def test_readme_example_matches_the_program(line: str) -> None:
    words = shlex.split(line.replace("|", " "))[1:]
    command: click.Command = cli
    path: list[str] = []
    while isinstance(command, click.Group) and words and not words[0].startswith("-"):
        sub = command.get_command(click.Context(command), words[0])
        if sub is None:
            break
        command, path = sub, [*path, words.pop(0)]
    assert path, f"no command in {line!r}"
    helped = CliRunner().invoke(cli, [*path, "--help"], obj={})
    assert helped.exit_code == 0, helped.output
    for option in re.findall(r"(?<!\S)(--[a-z][a-z-]*)", " ".join(words)):
        assert option in helped.stdout, f"{' '.join(path)} has no {option}"
