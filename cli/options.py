"""What every command shares: options defined once, value types, the ledger, errors.

Errors follow one rule: a refusal (a broken rule of the procedure or bad data) prints
``Error: <reason> [<rule>]`` on one line to stderr and exits 1, with nothing written;
a usage mistake (unknown option, missing argument) exits 2.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any, TypeVar

import click
import orjson

F = TypeVar("F", bound=Callable[..., Any])


class Refusal(click.ClickException):
    """Refused by a rule of the procedure, or bad data: exit 1, nothing written."""

    exit_code = 1


# ------------------------------------------------------------------------ value types
class IsoDate(click.ParamType):
    """An ISO date, YYYY-MM-DD. A malformed or impossible date is bad data (exit 1)."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            label = param.opts[0] if param and param.opts else "date"
            raise Refusal(
                f"{label}: {value!r} is not a valid date (expected YYYY-MM-DD) [bad-data]"
            ) from None


class IsoDateTime(click.ParamType):
    """An ISO date and time; a bare date means the end of that day (local time)."""

    name = "DATETIME"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> datetime:
        if isinstance(value, datetime):
            moment = value
        else:
            text = str(value).strip()
            try:
                if len(text) == 10:
                    moment = datetime.combine(date.fromisoformat(text), time.max)
                else:
                    moment = datetime.fromisoformat(text)
            except ValueError:
                label = param.opts[0] if param and param.opts else "time"
                raise Refusal(
                    f"{label}: {value!r} is not a valid date or date-time "
                    "(expected YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][+00:00]) [bad-data]"
                ) from None
        return moment if moment.tzinfo else moment.astimezone()


class Count(click.ParamType):
    """A whole number of at least one (bad values are bad data, exit 1)."""

    name = "N"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        try:
            number = int(str(value))
        except ValueError:
            number = 0
        if number < 1:
            label = param.opts[0] if param and param.opts else "number"
            raise Refusal(f"{label}: {value!r} is not a whole number of 1 or more [bad-data]")
        return number


DATE = IsoDate()
DATETIME = IsoDateTime()
COUNT = Count()


# ------------------------------------------------------------------- shared options
def on_option(help_text: str = "Date the action happened (YYYY-MM-DD).") -> Callable[[F], F]:
    return click.option(
        "--on",
        "on",
        type=DATE,
        default=lambda: date.today().isoformat(),
        show_default="today",
        help=help_text,
    )


def format_option(*formats: str) -> Callable[[F], F]:
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(formats),
        default=formats[0],
        show_default=True,
        help="Output format.",
    )


def _remember(key: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    def callback(ctx: click.Context, _param: click.Parameter, value: Any) -> Any:
        if value is not None:
            ctx.ensure_object(dict)[key] = value
        return value

    return callback


def ledger_options(command: F) -> F:
    """``--db``, ``--actor`` and ``--config``, accepted before or after the command name."""
    for name, help_text in (
        ("--config", "Council settings file (TOML). Env: COMPLAINTS_CONFIG."),
        ("--actor", "Who acts; recorded on every event. Env: COMPLAINTS_ACTOR."),
        ("--db", "Database URL or SQLite file path. Env: COMPLAINTS_DB."),
    ):
        key = name.lstrip("-")
        command = click.option(
            name,
            key,
            default=None,
            expose_value=False,
            is_eager=True,
            callback=_remember(key),
            help=help_text,
        )(command)
    return command


# ------------------------------------------------------------------------- context
def setting(ctx: click.Context, key: str) -> Any:
    return ctx.ensure_object(dict).get(key)


def actor(ctx: click.Context) -> str:
    chosen = setting(ctx, "actor") or os.environ.get("COMPLAINTS_ACTOR")
    if chosen:
        return str(chosen)
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def ledger(ctx: click.Context) -> Any:
    """The open ledger for this process (one per database, reused by ``batch``)."""
    from ledger.application import Ledger
    from ledger.settings import load_settings

    state = ctx.ensure_object(dict)
    root = ctx.find_root().ensure_object(dict)
    cache: dict[tuple[str | None, str | None], Any] = root.setdefault("ledgers", {})
    key = (state.get("db"), state.get("config"))
    if key not in cache:
        policy, council = load_settings(state.get("config"))
        app = Ledger(state.get("db"), policy, council)
        app.warn = lambda warning: click.echo(f"Warning: {warning}", err=True)
        cache[key] = app
    return cache[key]


def emit_json(document: Any) -> None:
    click.echo(
        orjson.dumps(
            document,
            default=_json_default,
            option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS,
        ).decode()
    )


def _json_default(value: Any) -> Any:
    from decimal import Decimal

    if isinstance(value, Decimal):
        return f"{value:.2f}"
    raise TypeError(type(value).__name__)


def split_names(values: tuple[str, ...]) -> list[str]:
    """Names given as repeated options and/or comma-separated."""
    names: list[str] = []
    for value in values:
        names.extend(part.strip() for part in value.split(",") if part.strip())
    return names


def record(
    ctx: click.Context,
    ref: str,
    action: str,
    on: date,
    personal: dict[str, str | None] | None = None,
    **arguments: Any,
) -> Any:
    """Run the case's domain command ``action`` and record its events."""
    app = ledger(ctx)
    who = actor(ctx)

    def command(complaint: Any, policy: Any) -> Any:
        return getattr(complaint, action)(on=on, actor=who, policy=policy, **arguments)

    return app.act(ref, command, personal=personal, on=on, actor=who)


class NameChoice(click.Choice):  # type: ignore[type-arg]
    """One of a fixed set of names; an unknown name is bad data (exit 1), not usage."""

    def fail(
        self, message: str, param: click.Parameter | None = None, ctx: click.Context | None = None
    ) -> Any:
        label = param.opts[0] if param and param.opts else "value"
        raise Refusal(f"{label}: {message} [unknown-name]")


def emit_rows(rows: list[dict[str, Any]], output_format: str, empty: str = "(none)") -> None:
    """Rows as an aligned text table, a JSON list or CSV with a header row."""
    if output_format == "json":
        emit_json(rows)
        return
    if output_format == "csv":
        import csv
        import io

        out = io.StringIO()
        if rows:
            writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        click.echo(out.getvalue(), nl=False)
        return
    if not rows:
        click.echo(empty)
        return
    columns = list(rows[0])
    cells = [[("" if row[c] is None else str(row[c])) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    click.echo("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
    for row in cells:
        click.echo("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
