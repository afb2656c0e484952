"""Which lines of a batch file are already recorded, so a re-run (after a crash, or of
the file corrected after a refused line) records each line that took effect once.

A line is identified by the SHA-256 of the file's text up to and including it, with its
line number: correcting or adding a later line leaves every earlier line's identity as
it was. A line's mark is written in the same transaction as the events it records
(either both are there or neither is), with what the line printed, so a skipped line
prints it again: a generated reference reads the same on every run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import BigInteger, Column, MetaData, String, Table, Text, insert, select
from sqlalchemy.orm import Session

batch_metadata = MetaData()
#: Marks of lines run before lines were identified by their prefix (whole-file digest).
batch_lines = Table(
    "batch_lines",
    batch_metadata,
    Column("source", String(64), primary_key=True),  # SHA-256 of the whole batch text
    Column("line", BigInteger, primary_key=True),
)
batch_marks = Table(
    "batch_marks",
    batch_metadata,
    Column("prefix", String(64), primary_key=True),  # SHA-256 of the lines up to this one
    Column("line", BigInteger, primary_key=True),
    Column("output", Text, nullable=False),  # what the line printed on stdout
)


@dataclass(frozen=True)
class BatchLine:
    """A line of a batch file, as its mark knows it."""

    #: The SHA-256 of the file's lines up to and including this one.
    identity: str
    #: Its line number in the file, from 1.
    number: int
    #: The SHA-256 of the whole file, as marks in ``batch_lines`` knew it.
    legacy: str


@dataclass(frozen=True)
class LineRun:
    """What a batch line printed on stdout, and whether an earlier run had recorded it
    (then it was not run again and ``output`` is what it printed then)."""

    output: str
    earlier: bool


def batch_lines_of(lines: list[str]) -> list[BatchLine]:
    """Every line of a file with its identity (blank and comment lines too: they count)."""
    legacy = whole_file_digest(lines)
    return [
        BatchLine(identity, number, legacy)
        for number, identity in enumerate(line_identities(lines), start=1)
    ]


def line_identities(lines: list[str]) -> list[str]:
    """Each line's identity: the SHA-256 of the lines up to and including it (trailing
    spaces ignored), so later lines never change an earlier line's identity."""
    digest = hashlib.sha256()
    identities = []
    for line in lines:
        digest.update(line.rstrip().encode("utf-8", "surrogateescape") + b"\n")
        identities.append(digest.copy().hexdigest())
    return identities


def whole_file_digest(lines: list[str]) -> str:
    """The identity of a whole file, as marks in ``batch_lines`` knew it."""
    return hashlib.sha256("\n".join(lines).encode("utf-8", "surrogateescape")).hexdigest()


def recorded_output(session: Session, line: BatchLine) -> str | None:
    """What the line printed when it was recorded, or None if it was never recorded
    (a line marked before outputs were kept printed nothing we know of: "")."""
    found = session.execute(
        select(batch_marks.c.output).where(
            batch_marks.c.prefix == line.identity, batch_marks.c.line == line.number
        )
    ).first()
    if found is not None:
        return str(found.output)
    old = session.execute(
        select(batch_lines.c.line).where(
            batch_lines.c.source == line.legacy, batch_lines.c.line == line.number
        )
    ).first()
    return "" if old is not None else None


def recorded_outputs(session: Session, lines: list[BatchLine]) -> dict[int, str]:
    """:func:`recorded_output` of many lines at once, by line number (a line never
    recorded is left out): two statements, whatever the number of lines."""
    if not lines:
        return {}
    wanted = {(line.identity, line.number) for line in lines}
    found: dict[int, str] = {}
    marked = session.execute(
        select(batch_marks.c.prefix, batch_marks.c.line, batch_marks.c.output).where(
            batch_marks.c.prefix.in_({identity for identity, _ in wanted})
        )
    )
    for row in marked:
        if (row.prefix, row.line) in wanted:
            found[int(row.line)] = str(row.output)
    old = session.execute(
        select(batch_lines.c.line).where(
            batch_lines.c.source.in_({line.legacy for line in lines}),
            batch_lines.c.line.in_([line.number for line in lines]),
        )
    )
    for row in old:
        found.setdefault(int(row.line), "")
    return found


#: The insert of marks, built once (SQLAlchemy compiles it once and finds it again).
_MARK = insert(batch_marks)


def mark_recorded(session: Session, recorded: Sequence[tuple[BatchLine, str]]) -> None:
    """Mark each line recorded, with what it printed: one statement for all of them (a
    group's lines are marked together when the group ends, ADR 0051)."""
    if recorded:
        session.execute(
            _MARK,
            [
                {"prefix": line.identity, "line": line.number, "output": output}
                for line, output in recorded
            ],
        )
