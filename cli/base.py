"""Command and group classes that turn domain refusals into exit status 1."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from cli.options import Refusal


def _translate_refusals(invoke: Callable[[click.Context], Any], ctx: click.Context) -> Any:
    from domain.errors import Refused
    from ledger.application import LedgerUnavailable

    try:
        return invoke(ctx)
    except Refused as refusal:
        raise Refusal(str(refusal)) from None
    except LedgerUnavailable as error:
        raise Refusal(f"database: {error}") from None


class LedgerCommand(click.Command):
    """A command whose refusals become one line on stderr and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        return _translate_refusals(super().invoke, ctx)


class LedgerGroup(click.Group):
    """A group whose commands are :class:`LedgerCommand` and subgroups alike."""

    command_class = LedgerCommand

    def invoke(self, ctx: click.Context) -> Any:
        return _translate_refusals(super().invoke, ctx)


LedgerGroup.group_class = LedgerGroup


def command(
    name: str | None = None, **kwargs: Any
) -> Callable[[Callable[..., Any]], click.Command]:
    return click.command(name, cls=LedgerCommand, **kwargs)


def group(name: str | None = None, **kwargs: Any) -> Callable[[Callable[..., Any]], click.Group]:
    return click.group(name, cls=LedgerGroup, **kwargs)
