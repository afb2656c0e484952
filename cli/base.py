"""Command and group classes: what every command checks in its command line before it
runs (unreadable text, repeated options). What a failure prints is decided in one
place, :mod:`cli.failures`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import click

from cli.options import Refusal


def refuse_unreadable(words: Sequence[str]) -> None:
    """Refuse a command line holding text that is not UTF-8 (the shell passed bytes such
    as 0xFF: Python keeps them as surrogates) or a NUL character: on either engine,
    before anything is opened (exit 1)."""
    from cli.failures import printable

    for index, word in enumerate(words):
        problem = None
        if "\x00" in word:
            problem = "contains a NUL character"
        elif any("\udc80" <= char <= "\udcff" for char in word):
            problem = "is not UTF-8 text"
        if problem is None:
            continue
        if word.startswith("--") and "=" in word:
            label = word.split("=", 1)[0]
        elif index > 0 and words[index - 1].startswith("-") and not word.startswith("-"):
            label = words[index - 1]
        else:
            label = "argument"
        raise Refusal(f"{printable(label)}: '{printable(word)}' {problem} [bad-data]")


def refuse_repeated_options(command: click.Command, ctx: click.Context, args: list[str]) -> None:
    """An option that takes one value given twice (``--outcome upheld --outcome
    not-upheld``) is a usage mistake, not "the last one wins" (exit 2)."""
    parser = command.make_parser(ctx)
    _opts, _rest, order = parser.parse_args(args=list(args))
    counts = Counter(id(param) for param in order)
    for param in dict.fromkeys(order):
        if (
            isinstance(param, click.Option)
            and counts[id(param)] > 1
            and not param.multiple
            and not param.count
            and param.name not in ("help", "version")
        ):
            raise click.UsageError(
                f"{param.opts[0]} was given {counts[id(param)]} times; give it once", ctx=ctx
            )


#: Parameters that name something (a case, a team, a person): no control characters.
NAME_PARAMETERS = frozenset(
    {
        "ref",
        "recommendation_id",
        "complaint_ref",
        "team",
        "service_area",
        "owner",
        "person",
        "ombudsman_ref",
        "complainant",
        "name",
        "from_name",
        "provider",  # ADR 0039
    }
)


def refuse_unprintable_names(ctx: click.Context) -> None:
    """Refuse a name holding a control character (a newline in ``--team``): it would be
    recorded as a different name, or print as two lines; and a blank value of a required
    text (``recommend --text ""``) (exit 1)."""
    from cli.failures import printable
    from domain.vocabulary import text_problem

    for param in ctx.command.params:
        blank = ctx.params.get(param.name or "")
        if param.required and isinstance(blank, str) and not blank.strip():
            label = param.opts[0] if isinstance(param, click.Option) else param.human_readable_name
            raise Refusal(f"{label}: must not be blank [bad-data]")
        if param.name not in NAME_PARAMETERS:
            continue
        value = ctx.params.get(param.name)
        for text in value if isinstance(value, (list, tuple)) else (value,):
            if isinstance(text, str):
                problem = text_problem(text, name=True)
                if problem is not None:
                    label = (
                        param.opts[0]
                        if isinstance(param, click.Option)
                        else param.human_readable_name
                    )
                    raise Refusal(f"{label}: '{printable(text)}' {problem} [bad-data]")


class _Checked(click.Command):
    """What every command and group checks before it runs: repeated single-valued
    options (at parse time) and unprintable names or blank required text (before the
    callback)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not ctx.resilient_parsing:
            refuse_repeated_options(self, ctx, args)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        refuse_unprintable_names(ctx)
        return super().invoke(ctx)


class LedgerCommand(_Checked):
    """A command that refuses repeated single-valued options and unprintable names."""


class LedgerGroup(_Checked, click.Group):
    """A group whose commands are :class:`LedgerCommand` and subgroups alike; a group
    that records when called alone is checked as a command is."""

    command_class = LedgerCommand


LedgerGroup.group_class = LedgerGroup


def command(
    name: str | None = None, **kwargs: Any
) -> Callable[[Callable[..., Any]], click.Command]:
    return click.command(name, cls=LedgerCommand, **kwargs)


def group(name: str | None = None, **kwargs: Any) -> Callable[[Callable[..., Any]], click.Group]:
    return click.group(name, cls=LedgerGroup, **kwargs)
