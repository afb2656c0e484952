"""What every command shares: options defined once, value types, the ledger, errors.

Errors follow one rule (:mod:`cli.failures`, ADR 0025): a refusal (a broken rule of the
procedure or bad data) prints ``Error: <reason> [<rule>]`` on one line to stderr and
exits 1, with nothing written; a usage mistake (unknown option, missing or repeated
option, a value not among an option's names) exits 2.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

import click
import orjson
from click.core import ParameterSource

if TYPE_CHECKING:
    from domain.procedure import ProcedurePolicy
    from ledger.application import Ledger

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


class Refusal(click.ClickException):
    """Refused by a rule of the procedure, or bad data: exit 1, nothing written; a name
    that is not among an option's names is a usage mistake (exit 2, ADR 0025)."""

    exit_code = 1


class UsageRefusal(Refusal):
    """A name that is not among an option's names: a usage mistake (exit 2)."""

    exit_code = 2


#: The largest text file a command reads as words (a narrative, a note).
LARGEST_TEXT_FILE = 200_000


def read_text_file(path: str, option: str) -> str:
    """The text of the UTF-8 file ``path`` given to ``option``; refused in one line when
    it cannot be read, is not UTF-8 text, holds NUL or is too large."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(LARGEST_TEXT_FILE + 1)
    except OSError as error:
        raise Refusal(f"{option}: cannot read {path}: {error.strerror}") from None
    if len(data) > LARGEST_TEXT_FILE:
        raise Refusal(f"{option}: {path} is larger than {LARGEST_TEXT_FILE:,} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise Refusal(f"{option}: {path} is not UTF-8 text (byte {error.start})") from None
    if "\x00" in text:
        raise Refusal(f"{option}: {path} holds a NUL character")
    return text


# ------------------------------------------------------------------------ value types
# Every value a person types is read by domain.vocabulary, as the importer reads it.
def _option_label(param: click.Parameter | None, fallback: str) -> str:
    return param.opts[0] if param is not None and param.opts else fallback


def _read(param: click.Parameter | None, fallback: str, parse: Callable[[], T]) -> T:
    """``parse()``, or its refusal as ``--option: reason [rule]`` (exit 1; exit 2 for an
    unknown name: an invalid choice)."""
    from domain.errors import Refused, UnknownName

    try:
        return parse()
    except Refused as refusal:
        kind = UsageRefusal if isinstance(refusal, UnknownName) else Refusal
        raise kind(f"{_option_label(param, fallback)}: {refusal}") from None


class IsoDate(click.ParamType):  # type: ignore[type-arg]
    """A date, YYYY-MM-DD or DD/MM/YYYY. A malformed or impossible date is bad data (exit 1)."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        from domain.vocabulary import parse_date

        if isinstance(value, date):
            return value
        return _read(param, "date", lambda: parse_date(str(value)))


class IsoDateTime(click.ParamType):  # type: ignore[type-arg]
    """A date (either form) and an optional time; a bare date means the end of that day
    (local time)."""

    name = "DATETIME"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> datetime:
        from domain.vocabulary import parse_moment

        if isinstance(value, datetime):
            moment = value
        else:
            moment = _read(param, "time", lambda: parse_moment(str(value)))
        return moment if moment.tzinfo else moment.astimezone()


class Pounds(click.ParamType):  # type: ignore[type-arg]
    """An amount of pounds: 250, 1345.50, 1,345.50 or £1,345.50 (bad ones exit 1)."""

    name = "POUNDS"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Decimal:
        from domain.vocabulary import parse_amount

        if isinstance(value, Decimal):
            return value
        return _read(param, "amount", lambda: parse_amount(str(value)))


class FixedName(click.ParamType):  # type: ignore[type-arg]
    """A name from a fixed list (outcomes, decisions, findings...), given by name or
    label in any case or spacing; the value is the list's own name."""

    name = "NAME"

    def __init__(self, kind: str, names: Sequence[str]) -> None:
        self.kind = kind
        self.names = tuple(names)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from domain.procedure import name_of

        return _read(param, self.kind, lambda: name_of(self.kind, str(value), self.names))


class TaxonomyName(click.ParamType):  # type: ignore[type-arg]
    """A name from one of the council's taxonomies (``reasons``, ``channels``...), by name
    or label in any case or spacing. With ``many``, a comma-separated list: the value is
    then a tuple of names (see :func:`split_names`)."""

    name = "NAME"

    def __init__(self, kind: str, many: bool = False) -> None:
        self.kind = kind
        self.many = many

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, tuple):
            return value
        taxonomy = policy(ctx).taxonomy if ctx is not None else _default_taxonomy()

        def parse() -> Any:
            if not self.many:
                return taxonomy.name_of(self.kind, str(value))
            parts = [p for p in str(value).split(",") if p.strip()]
            return tuple(dict.fromkeys(taxonomy.name_of(self.kind, p) for p in parts))

        return _read(param, self.kind, parse)


def _default_taxonomy() -> Any:
    from domain.procedure import Taxonomy

    return Taxonomy()


class Count(click.ParamType):  # type: ignore[type-arg]
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
POUNDS = Pounds()
#: ``--stage`` of a recommendation or payment: a stage's number or the Ombudsman.
STAGE = FixedName("stage", ("1", "2", "3", "ombudsman"))


# ------------------------------------------------------------------- shared options
def on_option(
    help_text: str = "Date the action happened (YYYY-MM-DD or DD/MM/YYYY).",
) -> Callable[[F], F]:
    return click.option(
        "--on",
        "on",
        type=DATE,
        default=lambda: date.today().isoformat(),
        show_default="today",
        help=help_text,
    )


def as_of_option(
    help_text: str = "Only what had been recorded by then (a bare date: the end of that day).",
) -> Callable[[F], F]:
    return click.option("--as-of", "as_of", type=DATETIME, help=help_text)


def judge_on_option(what: str = "overdue") -> Callable[[F], F]:
    """``--on DATE``: the day on which a list judges what is due and overdue."""
    return click.option(
        "--on",
        "on",
        type=DATE,
        default=None,
        help=f"Judge {what} on this day (default: the --as-of day, else today).",
    )


def judging_day(on: date | None, as_of: datetime | None) -> date:
    """The day to judge due and overdue on: ``--on``, else the ``--as-of`` day, else today."""
    if on is not None:
        return on
    if as_of is not None:
        return as_of.astimezone().date()
    return date.today()


def recorded_rows(
    app: Any, question: Callable[[Any], list[dict[str, Any]]], as_of: datetime | None
) -> list[dict[str, Any]]:
    """The rows ``question`` finds in the read models: now, or as recorded by ``as_of``.

    An empty answer as of a moment says on stderr how many steps were recorded later,
    so "nothing yet" is not mistaken for "nothing at all"; stdout stays the answer.
    """
    if as_of is None:
        return list(app.query(question))
    rows, position, later = app.query_as_of(question, as_of)
    if not rows:
        note_recorded_later(as_of, later, anything=position > 0, what="event")
    return list(rows)


def note_recorded_later(
    as_of: datetime, later: int, anything: bool = False, what: str = "step"
) -> None:
    """``nothing recorded by 2025-05-01T23:59:59; 7 steps were recorded later`` on stderr
    (``what``: a case's steps, or the ledger's events for lists of many cases)."""
    from ledger.application import steps
    from ledger.store.time_travel import moment_text

    found = "none found in what was recorded" if anything else "nothing recorded"
    counted = steps(later, what)
    click.echo(f"{found} by {moment_text(as_of)}; {counted} recorded later", err=True)


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


SHARED_OPTIONS = (
    ("--config", "Council settings file (TOML). Env: COMPLAINTS_CONFIG."),
    ("--actor", "Who acts; recorded on every event. Env: COMPLAINTS_ACTOR."),
    ("--db", "Database URL or SQLite file path. Env: COMPLAINTS_DB."),
)


class SharedOption(click.Option):
    """``--db``, ``--actor`` or ``--config``, taken on every command and before it: its
    callback remembers a value given, and the command is not passed it."""

    def handle_parse_result(
        self, ctx: click.Context, opts: Mapping[str, Any], args: list[str]
    ) -> tuple[Any, list[str]]:
        """Not given, and nowhere else for click to look (no default map, no automatic
        environment variable): there is nothing to remember or to pass on, so only the
        value's source is noted, as click notes it. click's whole processing of it came
        to about a tenth of a ``batch`` line, which carries six (ADR 0051)."""
        if self.name in opts or ctx.default_map is not None or ctx.auto_envvar_prefix:
            return super().handle_parse_result(ctx, opts, args)
        ctx.set_parameter_source(str(self.name), ParameterSource.DEFAULT)
        return None, args


def ledger_options(command: F, but: tuple[str, ...] = ()) -> F:
    """``--db``, ``--actor`` and ``--config``, accepted before or after the command name
    (``but``: those a command uses for something else, as ``access-log --actor``)."""
    for name, help_text in SHARED_OPTIONS:
        if name in but:
            continue
        key = name.lstrip("-")
        command = click.option(
            name,
            key,
            cls=SharedOption,
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
    """Who acts: ``--actor``, else ``COMPLAINTS_ACTOR``, else the operating-system user;
    a name with a control character (or not UTF-8) is refused (exit 1)."""
    from domain.vocabulary import text_problem

    chosen = setting(ctx, "actor") or os.environ.get("COMPLAINTS_ACTOR")
    if chosen:
        problem = text_problem(str(chosen), name=True)
        if problem is not None:
            from cli.failures import printable

            raise Refusal(f"--actor: '{printable(str(chosen))}' {problem} [bad-data]")
        return str(chosen)
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


#: Commands that only read: they open the database read-only and create nothing.
READ_ONLY_COMMANDS = frozenset(
    {
        "show",
        "history",
        "list",
        "report",
        "verify",
        "teams",
        "service-areas",
        "access-log",
        "calendar",
    }
)


#: Commands of a group that records which only read (ADR 0040).
READ_ONLY_SUBCOMMANDS = frozenset(
    {
        ("restriction", "register"),
        ("restriction", "due"),
        ("access-request", "show"),
        ("access-request", "list"),
    }
)


def reads_only(ctx: click.Context) -> bool:
    """Whether the running command only reads (see :data:`READ_ONLY_COMMANDS`)."""
    words = ctx.command_path.split()[1:]
    return bool(words) and (
        words[0] in READ_ONLY_COMMANDS
        or words[:2] == ["projections", "status"]
        or tuple(words[:2]) in READ_ONLY_SUBCOMMANDS
    )


def ledger(ctx: click.Context, write: bool = False) -> Ledger:
    """The open ledger for this process (one per database, reused by ``batch``); opened
    read-only for a command that only reads (ADR 0025), unless already open to write.
    ``write``: a reading command that must record something all the same (the access
    log, when it opens personal notes: ADR 0021) asks for the ledger open to write."""
    from ledger.application import Ledger
    from ledger.settings import load_settings

    state = ctx.ensure_object(dict)
    root = ctx.find_root().ensure_object(dict)
    cache: dict[tuple[str | None, str | None], Ledger] = root.setdefault("ledgers", {})
    key = (state.get("db"), state.get("config"))
    read_only = reads_only(ctx) and not write
    if key not in cache or (cache[key].read_only and not read_only):
        policy, council = load_settings(state.get("config"))
        app = Ledger(state.get("db"), policy, council, read_only=read_only)
        app.warn = lambda warning: click.echo(f"Warning: {warning}", err=True)
        cache[key] = app
    return cache[key]


def policy(ctx: click.Context) -> ProcedurePolicy:
    """The procedure policy (with the council's taxonomies) that the ledger will use:
    the open ledger's, else read from the settings once per settings file."""
    from ledger.settings import load_policy

    state = ctx.ensure_object(dict)
    root = ctx.find_root().ensure_object(dict)
    opened: Ledger | None = root.get("ledgers", {}).get((state.get("db"), state.get("config")))
    if opened is not None:
        return opened.policy
    cache: dict[str | None, ProcedurePolicy] = root.setdefault("policies", {})
    key = state.get("config")
    if key not in cache:
        cache[key] = _read(None, "--config", lambda: load_policy(key))
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


def taxonomy_name(ctx: click.Context, kind: str, text: str, option: str = "--value") -> str:
    """``text`` read as a name of the council's taxonomy ``kind``, as :class:`TaxonomyName`
    reads an option."""
    taxonomy = policy(ctx).taxonomy
    return _read(None, option, lambda: taxonomy.name_of(kind, text))


def fixed_name(kind: str, text: str, names: Sequence[str], option: str = "--value") -> str:
    """``text`` read as one of ``names`` (a fixed list), as :class:`FixedName` reads it."""
    from domain.procedure import name_of

    return _read(None, option, lambda: name_of(kind, text, names))


def split_names(values: Iterable[str | tuple[str, ...]]) -> list[str]:
    """Names given as repeated options and/or comma-separated (already read by
    :class:`TaxonomyName` when they come as tuples), each once."""
    names: list[str] = []
    for value in values:
        if isinstance(value, tuple):
            names.extend(value)
        else:
            names.extend(part.strip() for part in value.split(",") if part.strip())
    return list(dict.fromkeys(names))


def announce_recorded(ref: str, app: Ledger, recorded: list[Any] | None = None) -> None:
    """Say on stderr which steps were just recorded, with their effective dates, so a
    date left to default to today is seen. (``batch`` runs quietly: its lines say it.)
    ``recorded``: the steps, when they are not a case's (a register's, a request's)."""
    context = click.get_current_context(silent=True)
    if context is not None and context.find_root().ensure_object(dict).get("batch"):
        return
    steps = [
        f"{e.type} on {e.on.isoformat() if e.on else '-'} (version {e.version})"
        for e in (app.last_recorded if recorded is None else recorded)
    ]
    if steps:
        click.echo(f"Recorded {ref}: " + "; ".join(steps), err=True)


class NameChoice(click.Choice):  # type: ignore[type-arg]
    """One of a fixed set of names, by name or label in any case or spacing; an unknown
    name is a usage mistake (exit 2), said with the nearest names."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from domain.procedure import name_of

        kind = param.name.replace("_", " ") if param is not None and param.name else "value"
        names = tuple(str(c) for c in self.choices)
        return _read(param, "value", lambda: name_of(kind, str(value), names))


def emit_rows(rows: list[dict[str, Any]], output_format: str, empty: str = "(none)") -> None:
    """Rows as an aligned text table, a JSON list or CSV with a header row."""
    if output_format == "json":
        emit_json(rows)
        return
    if output_format == "csv":
        import csv
        import io

        from reports.csv_cells import safe_cell

        out = io.StringIO()
        if rows:
            writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows({k: safe_cell(v) for k, v in row.items()} for row in rows)
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
