"""What the report statements ask about, as parameters (ADR 0052).

Each report statement is built once per process, with the procedure and the period's
days as bound parameters, and kept (``functools.cache`` on the function that builds
it); a report executes the kept statement with its own values. SQLAlchemy remembers a
statement object's cache key, so executing the same object again skips building its
clauses, coercing them and generating the key, which cost more than the database's own
work for most of the annual report's 69 statements.

The parameters are named here once: ``procedure``, the period's ``start`` and ``end``
(and, for a statement over several periods, ``start_0``, ``end_0``, ``start_1``...).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Date, Executable, String, bindparam
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from reports.annual import Period

PROCEDURE = bindparam("procedure", type_=String)
START = bindparam("start", type_=Date)
END = bindparam("end", type_=Date)


def nth_period(n: int) -> tuple[Any, Any]:
    """The first and last day of the ``n``-th of several periods in one statement."""
    return bindparam(f"start_{n}", type_=Date), bindparam(f"end_{n}", type_=Date)


def in_period(period: Period, procedure: str | None = None) -> dict[str, Any]:
    """The values of ``START`` and ``END`` (and ``PROCEDURE``, when given)."""
    values: dict[str, Any] = {"start": period.start, "end": period.end}
    if procedure is not None:
        values["procedure"] = procedure
    return values


def in_periods(periods: Iterable[Period]) -> dict[str, date]:
    """The values of ``nth_period(n)`` for each of ``periods`` in turn."""
    values: dict[str, date] = {}
    for n, period in enumerate(periods):
        values[f"start_{n}"], values[f"end_{n}"] = period.start, period.end
    return values


def rows(session: Session, statement: Executable, values: Mapping[str, Any]) -> list[Any]:
    """The rows of a kept ``statement`` executed with ``values`` on the session's
    connection, in its transaction (the statements are Core: the ORM's own execution
    path would add work and nothing they use)."""
    return list(session.connection().execute(statement, values))
