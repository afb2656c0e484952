"""Every command and subcommand explains itself with ``--help`` and an example."""

from __future__ import annotations

from collections.abc import Iterator

import click
import pytest
from click.testing import CliRunner

from cli.main import cli

CONTRACT_COMMANDS = [
    "receive",
    "triage",
    "acknowledge",
    "extend",
    "respond",
    "escalate",
    "withdraw",
    "panel",
    "recommend",
    "recommendation",
    "compensate",
    "ombudsman",
    "show",
    "history",
    "compliment",
    "enquiry",
    "batch",
]

CONTRACT_SUBCOMMANDS = {
    "recommendation": {"accept", "reject", "complete"},
    "ombudsman": {"enquiry", "decision"},
}


def walk(command: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            assert sub is not None, name
            yield from walk(sub, (*path, name))


def _params() -> list[object]:
    params: list[object] = []
    for path in walk(cli):
        params.append(pytest.param(path, id=" ".join(path) or "complaints"))
    return params


@pytest.mark.parametrize("path", _params())
def test_help_answers_with_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"], obj={}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "Usage:" in result.stdout
    assert "Example" in result.stdout, result.stdout


@pytest.mark.parametrize("path", [p for p in walk(cli) if p])
def test_short_help_flag_works_too(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "-h"], obj={}, catch_exceptions=False)
    assert result.exit_code == 0, result.output


def test_contract_commands_exist() -> None:
    names = set(cli.list_commands(click.Context(cli)))
    assert set(CONTRACT_COMMANDS) <= names, sorted(set(CONTRACT_COMMANDS) - names)


@pytest.mark.parametrize("group", sorted(CONTRACT_SUBCOMMANDS))
def test_contract_subcommands_exist(group: str) -> None:
    command = cli.get_command(click.Context(cli), group)
    assert isinstance(command, click.Group)
    assert isinstance(command, click.Group)
    assert CONTRACT_SUBCOMMANDS[group] <= set(command.commands)


def test_help_lists_every_contract_command() -> None:
    result = CliRunner().invoke(cli, ["--help"], obj={})
    assert result.exit_code == 0
    for name in CONTRACT_COMMANDS:
        assert f"  {name} " in result.stdout, name


def test_help_needs_no_database(tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("nowhere")
    missing = str(folder / "missing" / "ledger.db")
    result = CliRunner().invoke(cli, ["--db", missing, "receive", "--help"], obj={})
    assert result.exit_code == 0
    assert not (folder / "missing").exists()


def test_every_command_module_is_mapped_for_lazy_loading() -> None:
    import importlib

    from cli.main import COMMAND_MODULES

    for module_name in set(COMMAND_MODULES.values()):
        module = importlib.import_module(f"cli.{module_name}")
        for command in module.COMMANDS:
            assert COMMAND_MODULES.get(command.name) == module_name, command.name
