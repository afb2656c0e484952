"""Command and group classes: what every command checks in its command line before it
runs (unreadable text, repeated options). What a failure prints is decided in one
place, :mod:`cli.failures`."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import click

from cli.options import Refusal

#: The surrogates Python keeps bytes that are not UTF-8 as.
_NOT_UTF8 = re.compile("[\udc80-\udcff]")


def refuse_unreadable(words: Sequence[str]) -> None:
    """Refuse a command line holding text that is not UTF-8 (the shell passed bytes such
    as 0xFF: Python keeps them as surrogates) or a NUL character: on either engine,
    before anything is opened (exit 1)."""
    for index, word in enumerate(words):
        problem = None
        if "\x00" in word:
            problem = "contains a NUL character"
        elif _NOT_UTF8.search(word) is not None:
            problem = "is not UTF-8 text"
        if problem is None:
            continue
        from cli.failures import printable

        if word.startswith("--") and "=" in word:
            label = word.split("=", 1)[0]
        elif index > 0 and words[index - 1].startswith("-") and not word.startswith("-"):
            label = words[index - 1]
        else:
            label = "argument"
        raise Refusal(f"{printable(label)}: '{printable(word)}' {problem} [bad-data]")


def refuse_repeated_options(ctx: click.Context, order: Sequence[Any]) -> None:
    """An option that takes one value given twice (``--outcome upheld --outcome
    not-upheld``) is a usage mistake, not "the last one wins" (exit 2). ``order``: the
    parameters in the order the option parser met them on the command line."""
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


def _refusing_repeats(parser: Any) -> Any:
    """click's option parser, refusing a repeated single-valued option as it parses:
    the check and click's processing share one parse of the line (ADR 0051)."""
    parse = parser.parse_args

    def parse_args(args: list[str]) -> tuple[dict[str, Any], list[str], list[Any]]:
        opts, rest, order = parse(args=args)
        if not parser.ctx.resilient_parsing:
            refuse_repeated_options(parser.ctx, order)
        return opts, rest, order

    parser.parse_args = parse_args
    return parser


#: Where a command line's root context keeps the option parsers it has made (ADR 0047).
PARSERS = "parsers"


def _parsers(ctx: click.Context) -> dict[tuple[Any, ...], Any]:
    """The parsers made under this command line's root context: one per command (and
    the context's parsing settings), shared by ``batch``'s lines (their ``obj`` carries
    the batch's dict), gone with the context. They hold options, never a ledger."""
    state = ctx.find_root().obj
    if not isinstance(state, dict):
        return {}
    found: dict[tuple[Any, ...], Any] = state.setdefault(PARSERS, {})
    return found


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
        try:
            return super().parse_args(ctx, args)
        finally:
            # A parser kept for the next line holds no context (nor, through it, a ledger).
            for key, parser in _parsers(ctx).items():
                if key[0] is self:
                    parser.ctx = None

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        """click's list of parameters (its own, then the help option), made once per
        command: click checks the list for duplicates each time it is asked (the
        command's parameters are fixed once it is defined)."""
        key = (len(self.params), tuple(ctx.help_option_names), self.add_help_option)
        made: tuple[tuple[Any, ...], list[click.Parameter]] | None = self.__dict__.get(
            "_ledger_params"
        )
        if made is None or made[0] != key:
            made = (key, super().get_params(ctx))
            self.__dict__["_ledger_params"] = made
        return list(made[1])

    def make_parser(self, ctx: click.Context) -> Any:
        """click's option parser for this command, made once per command line and once
        per ``batch`` run for all its lines, refusing repeated options as it parses; it
        parses with the context it is given (errors name that context)."""
        key = (
            self,
            ctx.allow_interspersed_args,
            ctx.ignore_unknown_options,
            ctx.token_normalize_func,
        )
        parsers = _parsers(ctx)
        parser = parsers.get(key)
        if parser is None:
            parser = parsers[key] = _refusing_repeats(super().make_parser(ctx))
        parser.ctx = ctx
        return parser

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
