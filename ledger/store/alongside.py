"""A second reader that sees exactly what a reading transaction sees (ADR 0057).

A report asks tens of statements of the read models. Half of the annual report's are
last year's, and do not depend on this year's: they can run at the same time on a
second connection, in a second thread (both drivers let go of Python's lock while the
database works), so long as that connection reads the same state of the ledger.

- **PostgreSQL** shares the snapshot itself: the reading transaction is ``REPEATABLE
  READ`` (``Ledger.query(..., snapshot=True)`` asks for it), exports
  its snapshot (``pg_export_snapshot``), and the second connection imports it (``SET
  TRANSACTION SNAPSHOT``) before its first statement.
- **SQLite** cannot share a snapshot between connections. The second connection begins
  its own read transaction, and its answer is used only if it reads the same state:
  the read models are written in the same transaction as the projection's tracking row
  (ADR 0008), and a rebuild gives the rows an incremental catch-up gives (the
  rebuild-equals-incremental property), so the same position and version mean the same
  rows. If a writer committed in between, the question is asked again of the first
  session, in its own thread, after the rest: slower, never inconsistent.

Either way both engines compare the state, so an answer from another moment is never
used.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import Connection, Engine, text
from sqlalchemy.orm import Session

from ledger.store.storage import SNAPSHOT_ISOLATION, WRITE_OPTION

T = TypeVar("T")

#: What ``pg_export_snapshot()`` returns, e.g. ``00000003-0000001B-1``.
_SNAPSHOT_ID = re.compile(r"[0-9A-Fa-f]+(-[0-9A-Fa-f]+)+")


class _Moved:
    """The second reader saw another state of the ledger than the first."""


_MOVED = _Moved()


class Alongside:
    """Questions asked of a second connection that reads what ``session`` reads.

    ``state`` identifies the read models' state from a session (the projection's
    tracking row). Use it as a context manager: on leaving, every question still
    running is waited for, so no thread outlives the reading transaction.
    """

    def __init__(
        self, engine: Engine, session: Session, state: Callable[[Session], Hashable]
    ) -> None:
        self.engine = engine
        self.session = session
        self.state = state
        self._workers = ThreadPoolExecutor(max_workers=1, thread_name_prefix="alongside")
        #: How many answers came from the second connection, and how many were asked
        #: again of the first because the ledger had moved (for tests and benchmarks).
        self.answered_alongside = 0
        self.asked_again = 0

    def __enter__(self) -> Alongside:
        return self

    def __exit__(self, *_exc: object) -> None:
        # A question not started yet is dropped; one running is waited for (its error,
        # if nobody asked for its answer, goes with it: the report has failed anyway).
        self._workers.shutdown(wait=True, cancel_futures=True)

    def ask(self, question: Callable[[Session], T]) -> Callable[[], T]:
        """Start ``question`` on the second connection now; the function returned gives
        its answer (waiting for it, or asking the first session again if the second saw
        another state). Call that function from the thread that owns ``session``."""
        shares, snapshot = self._snapshot()
        if not shares:
            return lambda: question(self.session)  # statements see newer commits anyway
        expected = self.state(self.session)
        future: Future[T | _Moved] = self._workers.submit(
            self._answer, question, expected, snapshot
        )

        def answer() -> T:
            found = future.result()
            if isinstance(found, _Moved):
                self.asked_again += 1
                return question(self.session)
            self.answered_alongside += 1
            return found

        return answer

    # ------------------------------------------------------------------ internals
    def _snapshot(self) -> tuple[bool, str | None]:
        """Whether a second connection can read what the session reads, and on
        PostgreSQL the snapshot it imports to do so. SQLite: a reading transaction keeps
        one snapshot. PostgreSQL: only in ``REPEATABLE READ`` (or stricter); in ``READ
        COMMITTED`` each statement sees the commits before it, so a second reader could
        add nothing consistent."""
        connection = self.session.connection()
        if connection.engine is not self.engine:
            return False, None  # another database (the ledger as it stood, in memory)
        if connection.dialect.name != "postgresql":
            return True, None
        if connection.get_isolation_level().upper() not in (SNAPSHOT_ISOLATION, "SERIALIZABLE"):
            return False, None
        found = str(connection.execute(text("SELECT pg_export_snapshot()")).scalar_one())
        if not _SNAPSHOT_ID.fullmatch(found):
            raise ValueError(f"unexpected snapshot id {found!r}")
        return True, found

    def _answer(
        self, question: Callable[[Session], T], expected: Hashable, snapshot: str | None
    ) -> T | _Moved:
        with self.engine.connect() as raw:
            connection: Connection = raw.execution_options(**{WRITE_OPTION: False})
            if snapshot is not None:
                connection = connection.execution_options(isolation_level=SNAPSHOT_ISOLATION)
            with _reading(connection) as session:
                if snapshot is not None:
                    session.execute(text(f"SET TRANSACTION SNAPSHOT '{snapshot}'"))
                if self.state(session) != expected:
                    return _MOVED
                return question(session)


@contextmanager
def _reading(connection: Connection) -> Iterator[Session]:
    session = Session(bind=connection, autoflush=False)
    try:
        yield session
    finally:
        session.rollback()
        session.close()
