"""Which lines of a batch file are already recorded, so a re-run after a crash carries
on where the last run stopped instead of recording a line twice.

A line's mark is written in the same transaction as the events it records: either both
are there or neither is.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, MetaData, String, Table, insert, select
from sqlalchemy.orm import Session

batch_metadata = MetaData()
batch_lines = Table(
    "batch_lines",
    batch_metadata,
    Column("source", String(64), primary_key=True),  # SHA-256 of the whole batch text
    Column("line", BigInteger, primary_key=True),
)


def is_recorded(session: Session, source: str, line: int) -> bool:
    found = session.execute(
        select(batch_lines.c.line).where(batch_lines.c.source == source, batch_lines.c.line == line)
    ).first()
    return found is not None


def mark_recorded(session: Session, source: str, line: int) -> None:
    session.execute(insert(batch_lines).values(source=source, line=line))
