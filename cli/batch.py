"""Many commands in one process: one command line per line of a file or stdin."""

from __future__ import annotations

import hashlib
import shlex
import sys
from typing import IO

import click

from cli.base import command
from cli.options import ledger, ledger_options


@command()
@ledger_options
@click.argument("source", metavar="[FILE]", type=click.File("r"), default="-")
@click.pass_context
def batch(ctx: click.Context, source: IO[str]) -> None:
    """Run one command per line (without the program name) from FILE or stdin.

    Shell quoting rules apply; blank lines and lines starting with # are skipped. Each
    line is its own transaction. The first refused line stops the run: its line number
    and reason go to stderr and the exit status is 1; lines before it stay recorded.

    Each recorded line is marked in the same transaction as its events, so running the
    same file again (after a crash, or after fixing a refused line's cause) skips the
    lines already recorded and records nothing twice.

    Example:

        complaints batch cases.txt

    where cases.txt holds lines such as:

        receive --ref CSC-2025-0101 --on 2025-04-07 --procedure statutory
        respond CSC-2025-0101 --on 2025-04-15 --outcome upheld
    """
    from cli.main import cli

    shared = ctx.find_root().ensure_object(dict)
    shared.setdefault("ledgers", {})  # every line shares the open ledgers
    lines = source.read().splitlines()
    digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    app = ledger(ctx)
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        try:
            args = shlex.split(text, comments=True)
        except ValueError as error:
            _stop(number, f"cannot read the line: {error}", 1)
        if not args:
            continue
        if args[0] in ("batch", "demo"):
            _stop(number, f"batch cannot run {args[0]}", 2)
        if app.batch_line_recorded(digest, number):
            click.echo(f"line {number}: recorded by an earlier run; skipped", err=True)
            continue
        settings = {**shared, "batch": True}
        app.batch_line = (digest, number)
        try:
            cli.main(args, prog_name="complaints", standalone_mode=False, obj=settings)
        except click.ClickException as error:
            _stop(number, error.format_message(), error.exit_code)
        except click.exceptions.Exit as done:
            if done.exit_code:
                _stop(number, "stopped", done.exit_code)
        except click.Abort:
            _stop(number, "aborted", 1)
        finally:
            app.batch_line = None


def _stop(number: int, message: str, exit_code: int) -> None:
    click.echo(f"Error: line {number}: {message}", err=True)
    sys.exit(exit_code)


COMMANDS = [batch]
