"""The command reference, ``docs/cli.md``, written from the program itself.

Run ``make cli-reference`` (``python -m cli.reference > docs/cli.md``) after changing a
command; ``tests/cli/test_reference.py`` checks that every command and option in the
file exists in ``--help``, and the other way round.
"""

from __future__ import annotations

from collections.abc import Iterator

import click

from cli.main import cli

HEADER = """\
# Command reference

Every command of `complaints` and its options, written from the program by
`make cli-reference`; a test checks this page against `--help` both ways. Each
command's `--help` also carries an example to copy. What other programs may rely on
(names, options, JSON keys) is in [`cli-contract.md`](cli-contract.md).

Options every command takes: `--db URL` (or `COMPLAINTS_DB`), `--actor NAME` (or
`COMPLAINTS_ACTOR`), `--config FILE` (or `COMPLAINTS_CONFIG`).
"""


#: Options every command takes (those of ``complaints`` itself), listed once in the header.
SHARED = {
    name
    for option in cli.params
    if isinstance(option, click.Option)
    for name in (*option.opts, *option.secondary_opts)
    if name.startswith("--")
} - {"--help", "--version"}


def commands(
    command: click.Command = cli, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """Every command and group below ``command``, by its words after ``complaints``."""
    if path:
        yield path, command
    if isinstance(command, click.Group):
        context = click.Context(command, info_name=" ".join(("complaints", *path)))
        for name in command.list_commands(context):
            inner = command.get_command(context, name)
            if inner is not None and not inner.hidden:
                yield from commands(inner, (*path, name))


def options(command: click.Command) -> list[click.Option]:
    """The command's own options, without ``--help``."""
    return [p for p in command.params if isinstance(p, click.Option) and p.name != "help"]


def long_names(option: click.Option) -> list[str]:
    return [name for name in (*option.opts, *option.secondary_opts) if name.startswith("--")]


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _section(path: tuple[str, ...], command: click.Command) -> str:
    context = click.Context(command, info_name=" ".join(("complaints", *path)))
    summary = command.get_short_help_str(limit=200)
    lines = [f"## `complaints {' '.join(path)}`", "", summary, ""]
    lines += [f"`{context.command_path} {' '.join(command.collect_usage_pieces(context))}`", ""]
    own = [o for o in options(command) if set(long_names(o)) - SHARED]
    if own:
        lines += ["| option | meaning |", "| --- | --- |"]
        for option in own:
            names = ", ".join(long_names(option))
            metavar = "" if option.is_flag else f" {option.make_metavar(context)}"
            lines.append(f"| `{names}{metavar}` | {_cell(option.help or '')} |")
        lines.append("")
    return "\n".join(lines)


def reference() -> str:
    return HEADER + "\n" + "\n".join(_section(path, command) for path, command in commands())


if __name__ == "__main__":
    click.echo(reference(), nl=False)
