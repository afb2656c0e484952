"""The one place where a failure becomes what the user sees: one line and an exit code.

Every command runs inside :meth:`cli.main.ComplaintsGroup.main`, and every ``batch``
line inside :func:`cli.batch._run_line`; both hand whatever stopped the command to
:func:`describe` (ADR 0025):

* exit 1: refused by a rule of the procedure, or bad data (``[rule]`` at the end), or
  the database or a file could not be used;
* exit 2: a usage mistake: an unknown option or command, a missing or repeated option,
  a value not among an option's names (``--procedure foo``, ``--format xml``);
* exit 70: a failure nobody foresaw (a bug): still one line, naming the exception, and
  the traceback only with ``COMPLAINTS_DEBUG=1``.

The line is ``Error: <message>`` on stderr, with every control character and every
byte that is not UTF-8 written as an escape, so no text a user typed can break it into
two lines or forge a second ``Error:`` line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

import click

REFUSED = 1
USAGE = 2
INTERNAL = 70

#: Control characters (C0, DEL, C1) and the Unicode line and paragraph separators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """``text`` with control characters and undecodable bytes written as escapes
    (``\\n``, ``\\x1b``, ``\\xff``): safe to print on one line of a terminal."""
    if not text.isascii() or _CONTROL.search(text):
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        text = _CONTROL.sub(lambda m: _ESCAPES.get(m[0], f"\\x{ord(m[0]):02x}"), text)
        text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return text


def printable_values(value: Any) -> Any:
    """A document (dicts, lists, strings) with every string made :func:`printable`."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, Mapping):
        return {key: printable_values(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(printable_values(item) for item in value)
    return value


#: The longest message printed whole; a longer one (quoting a megabyte of text) is cut.
LONGEST_MESSAGE = 1000


def describe(error: BaseException) -> tuple[str, int]:
    """What to say about ``error`` (one line, without ``Error: ``) and the exit code.

    Raises ``error`` again when it is not a failure to report (``SystemExit``), or when
    it was not foreseen and ``COMPLAINTS_DEBUG`` is set.
    """
    message, code = _describe(error)
    if len(message) > LONGEST_MESSAGE:
        left_out = len(message) - LONGEST_MESSAGE
        message = f"{message[:700]}...({left_out:,} characters left out)...{message[-300:]}"
    return message, code


def _describe(error: BaseException) -> tuple[str, int]:
    from domain.errors import Refused, UnknownName

    if isinstance(error, (SystemExit, click.exceptions.Exit)):
        raise error
    if isinstance(error, click.UsageError):
        message = error.format_message()
        if error.ctx is not None:
            message += f" (see '{error.ctx.command_path} --help')"
        return printable(message), USAGE
    if isinstance(error, click.ClickException):
        return printable(error.format_message()), error.exit_code
    if isinstance(error, (click.Abort, KeyboardInterrupt, EOFError)):
        return "aborted; nothing more was recorded", REFUSED
    if isinstance(error, Refused):
        return printable(str(error)), USAGE if isinstance(error, UnknownName) else REFUSED
    known = _known_failure(error)
    if known is not None:
        return printable(known), REFUSED
    if os.environ.get("COMPLAINTS_DEBUG"):
        raise error
    detail = _first_line(error)
    return (
        printable(
            f"unexpected failure ({type(error).__name__}: {detail}); nothing more was "
            "recorded; run again with COMPLAINTS_DEBUG=1 for the details [internal-error]"
        ),
        INTERNAL,
    )


def _known_failure(error: BaseException) -> str | None:
    import sqlalchemy.exc

    from ledger.application import LedgerUnavailable

    if isinstance(error, LedgerUnavailable):
        return f"database: {error}"
    if isinstance(error, UnicodeDecodeError):
        return (
            f"not UTF-8 text: byte 0x{error.object[error.start]:02x} at position "
            f"{error.start} [bad-data]"
        )
    if isinstance(error, UnicodeEncodeError):
        return f"not UTF-8 text: {error.object[error.start : error.end]!r} [bad-data]"
    if isinstance(error, OSError) and error.strerror:
        where = f"{error.filename}: " if error.filename else ""
        return f"{where}{error.strerror}"
    if isinstance(error, sqlalchemy.exc.SQLAlchemyError):
        return f"database: {_first_line(error)}"
    return None


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__
