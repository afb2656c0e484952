"""Many commands in one process: one command line per line of a file or stdin."""

from __future__ import annotations

import contextlib
import io
import re
import shlex
import sys
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any, NoReturn

import click
from sqlalchemy.exc import IntegrityError

from cli.base import command
from cli.failures import describe
from cli.options import ledger, ledger_options
from domain.errors import ConcurrentChange

if TYPE_CHECKING:
    from ledger.application import Ledger
    from ledger.store.batches import BatchLine, LineRun


#: Lines committed together (each in a savepoint of its own): one commit, one
#: extension of the hash chain, one catch-up of the read models and one insert of the
#: lines' marks per group.
GROUP = 250
#: What a line already recorded says on stderr when it is skipped.
RECORDED_EARLIER = "recorded by an earlier run"
RECORDED_MEANWHILE = "recorded by another run at the same time"


class LineFailed(Exception):
    """A batch line was refused or could not be read: stop with its message."""

    def __init__(self, number: int, message: str, exit_code: int, concurrent: bool = False) -> None:
        super().__init__(message)
        self.number, self.message, self.exit_code = number, message, exit_code
        #: Refused because another writer wrote at the same moment (the line may have
        #: been recorded by another run of the same file).
        self.concurrent = concurrent


@command()
@ledger_options
@click.argument(
    "source",
    metavar="[FILE]",
    type=click.File("r", encoding="utf-8", errors="surrogateescape"),
    default="-",
)
@click.option(
    "--all-or-nothing",
    is_flag=True,
    help="Run the whole file as one transaction: any refused line records nothing.",
)
@click.pass_context
def batch(ctx: click.Context, source: IO[str], all_or_nothing: bool) -> None:
    """Run one command per line (without the program name) from FILE or stdin.

    Shell quoting rules apply; blank lines and lines starting with # are skipped. Each
    line takes effect whole or not at all (lines are committed together, up to 250 at
    a time, and a line's output is printed once it is committed). The first refused
    line stops the run: its line number and reason go to stderr and the exit status is
    1; lines before it stay recorded.
    With --all-or-nothing the whole file is one transaction: a refused line leaves
    nothing from the file recorded.

    Running the file again (after a crash, or corrected from the refused line on)
    records each line that already took effect exactly once: such a line is skipped
    and prints what it printed the first time, so a generated reference is the same.
    A line is known by the file's text up to and including it, so correcting or adding
    later lines changes nothing for earlier ones (editing an earlier line makes it and
    the lines after it new lines).

    Example:

    \b
        complaints batch cases.txt
        complaints batch --all-or-nothing cases.txt

    where cases.txt holds lines such as:

    \b
        receive --ref CSC-2025-0101 --on 2025-04-07 --procedure statutory
        respond CSC-2025-0101 --on 2025-04-15 --outcome upheld
    """
    from ledger.store.batches import batch_lines_of

    shared = ctx.find_root().ensure_object(dict)
    shared.setdefault("ledgers", {})  # every line shares the open ledgers
    lines = source.read().splitlines()
    numbered = batch_lines_of(lines)
    app = ledger(ctx)
    settings = {**shared, "batch": True}  # recording commands stay quiet in a batch
    todo = _commands(lines)
    try:
        if all_or_nothing:
            printed: list[str] = []
            try:
                with app.batch_group():  # chained and caught up once, at the end
                    for number, args in todo:
                        printed.append(_run_line(app, args, numbered[number - 1], settings).output)
            except LineFailed as failed:
                failed.message = f"{failed.message} (nothing from the file was recorded)"
                raise
            click.echo("".join(printed), nl=False)
            return
        while _run_group(app, todo, numbered, settings):
            pass
    except LineFailed as failed:
        _stop(failed.number, failed.message, failed.exit_code)


def _run_group(
    app: Ledger,
    todo: Iterator[tuple[int, list[str]]],
    numbered: list[BatchLine],
    settings: dict[str, Any],
) -> bool:
    """The next lines (up to :data:`GROUP`) in one transaction, each in a savepoint of
    its own (ADR 0037); their output once it commits. A refused line is rolled back
    alone, the lines before it commit, and it stops the run as it would on its own
    (unless another run recorded it meanwhile). Whether lines are left to run."""
    from projections.bulk import collector_paused

    ran: list[tuple[int, list[str]]] = []
    recorded: set[int] = set()  # the lines this group recorded (not skipped)
    printed: list[str] = []
    failed: LineFailed | None = None
    more = True
    try:
        # The cycle collector waits for the group's end (ADR 0047): each line makes
        # contexts, parsers' states and ORM objects that reference counting frees, and
        # the collector would walk every module's objects again and again meanwhile.
        with collector_paused(), app.batch_group():
            while len(ran) < GROUP:
                try:
                    number, args = next(todo)
                except StopIteration:
                    more = False
                    break
                except LineFailed as unreadable:
                    failed, more = unreadable, False
                    break
                if not ran:  # the marks of this line and the next ones, in one look
                    app.look_up_batch_lines(numbered[number - 1 : number - 1 + 2 * GROUP])
                ran.append((number, args))
                try:
                    with app.batch_savepoint():
                        line_run = _run_line(app, args, numbered[number - 1], settings)
                    printed.append(line_run.output)
                    if not line_run.earlier:
                        recorded.add(number)
                except (LineFailed, IntegrityError) as error:
                    failed = error if isinstance(error, LineFailed) else _conflict(number, error)
                    break
    except Exception:  # the group's end failed, nothing committed: each line on its own
        for number, args in ran:
            # A line this group recorded but found recorded now was recorded by another
            # run meanwhile (its mark, written at the group's end, collided).
            skipped = RECORDED_MEANWHILE if number in recorded else RECORDED_EARLIER
            line = numbered[number - 1]
            click.echo(_run_alone(app, args, line, settings, skipped), nl=False)
        if failed is not None and failed.number not in {number for number, _ in ran}:
            raise failed from None  # the unreadable line after them
        return more
    click.echo("".join(printed), nl=False)
    if failed is not None:
        click.echo(_recorded_meanwhile(app, failed, numbered[failed.number - 1]), nl=False)
    return more


def _run_alone(
    app: Ledger,
    args: list[str],
    line: BatchLine,
    settings: dict[str, Any],
    skipped: str = RECORDED_EARLIER,
) -> str:
    """One line in a transaction of its own (what it printed); ``skipped``: what a
    line found recorded says."""
    try:
        with app.one_transaction():
            return _run_line(app, args, line, settings, skipped).output
    except (LineFailed, IntegrityError) as error:
        refused = error if isinstance(error, LineFailed) else _conflict(line.number, error)
        return _recorded_meanwhile(app, refused, line)


def _commands(lines: list[str]) -> Iterator[tuple[int, list[str]]]:
    """Each command line's number and words, read as the run reaches it (an unreadable
    line fails there, after the lines before it)."""
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        try:
            args = line_words(text)
        except ValueError as error:
            raise LineFailed(number, f"cannot read the line: {error}", 1) from None
        if not args:
            continue  # only a comment
        if args[0] in ("batch", "demo"):
            raise LineFailed(number, f"batch cannot run {args[0]}", 2)
        yield number, args


#: What makes a line more than words between spaces to shlex: quotes, escapes, comments.
_QUOTING = re.compile(r"[\"'\\#]")
#: A word of a line with none of those: a run of anything but shlex's whitespace.
_PLAIN_WORD = re.compile(r"[^ \t\r\n]+")


def line_words(text: str) -> list[str]:
    """A command line's words, as ``shlex.split(text, comments=True)`` reads them (the
    documented shell quoting). A line without quotes, a backslash or ``#`` (most lines)
    is cut at shlex's whitespace (space, tab, CR, LF) directly: shlex would take every
    other character as part of a word, so it gives the same words, some fifteen
    times faster (3 microseconds against 49 for a line of ``bench/scale.py``, ADR 0051)."""
    if _QUOTING.search(text) is None:
        return _PLAIN_WORD.findall(text)
    return shlex.split(text, comments=True)


def _conflict(number: int, error: Exception) -> LineFailed:
    """A line whose writes (or mark) collided with another writer's."""
    message, code = describe(ConcurrentChange("another user changed this case at the same moment"))
    return LineFailed(number, message, code, concurrent=True)


def _recorded_meanwhile(app: Ledger, failed: LineFailed, line: BatchLine) -> str:
    """What the line printed when another run of the same lines recorded it while this
    run was trying to: that run won, and this line is done. Any other failure stands."""
    if failed.concurrent:
        earlier = app.read(lambda: app.batch_line_output(line))
        if earlier is not None:
            click.echo(f"line {failed.number}: {RECORDED_MEANWHILE}; skipped", err=True)
            return str(earlier)
    raise failed


def _run_line(
    app: Ledger,
    args: list[str],
    line: BatchLine,
    settings: dict[str, Any],
    skipped: str = RECORDED_EARLIER,
) -> LineRun:
    """Run one line inside the ledger's open transaction: what it printed on stdout,
    and whether it was skipped. A line recorded by another run is skipped (saying
    ``skipped`` on stderr) and prints what it printed then."""
    from cli.main import cli

    number = line.number

    def run() -> str:
        with _captured_stdout() as out:
            try:
                done = cli.main(
                    args, prog_name="complaints", standalone_mode=False, obj=dict(settings)
                )
            except click.exceptions.Exit as stopped:
                done = stopped.exit_code
            except Exception as error:  # said as the one place says it, with the line number
                if isinstance(error, IntegrityError):
                    raise _conflict(number, error) from None
                message, code = describe(error)
                concurrent = isinstance(error, ConcurrentChange)
                raise LineFailed(number, message, code, concurrent) from None
            if isinstance(done, int) and done:
                raise LineFailed(number, "stopped", done)
        return out.getvalue()

    ran = app.run_batch_line(line, run)
    if ran.earlier:
        click.echo(f"line {number}: {skipped}; skipped", err=True)
    return ran


@contextlib.contextmanager
def _captured_stdout() -> Iterator[io.StringIO]:
    """What a line prints is held until its transaction commits."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        yield buffer


def _stop(number: int, message: str, exit_code: int) -> NoReturn:
    click.echo(f"Error: line {number}: {message}", err=True)
    sys.exit(exit_code)


COMMANDS = [batch]
