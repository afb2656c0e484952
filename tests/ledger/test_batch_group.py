"""``Ledger.batch_group``: a run of batch lines in one transaction, each line in a
savepoint of its own, chained and projected once at the end (ADR 0037)."""

from __future__ import annotations

from datetime import date

import pytest

from domain import errors
from ledger.application import Ledger


class LineStopped(Exception):
    """A line that failed after its step was recorded."""


def test_a_line_rolled_back_after_it_changed_a_record_leaves_it_as_the_group_recorded_it(
    db_url: str,
) -> None:
    app = Ledger(db_url)
    try:
        with app.batch_group():
            with app.batch_savepoint():
                app.receive(ref="G-1", on=date(2025, 4, 7), actor="t", procedure="statutory")
            with pytest.raises(LineStopped), app.batch_savepoint():
                app.acknowledge("G-1", on=date(2025, 4, 8), actor="t")
                raise LineStopped  # the line fails after the step was saved
            with app.batch_savepoint():  # the case as saved, not as the failed line left it
                app.acknowledge("G-1", on=date(2025, 4, 9), actor="t")
        types = [(e.type, e.on) for e in app.history("G-1")]
        assert types[-1] == ("Acknowledged", date(2025, 4, 9))
        assert [t for t, _ in types].count("Acknowledged") == 1
        assert app.verify().intact
        assert app.verify_anchored().read_models is None
    finally:
        app.close()


def test_a_refused_line_in_a_group_records_nothing_and_the_next_line_runs(db_url: str) -> None:
    app = Ledger(db_url)
    try:
        with app.batch_group():
            with app.batch_savepoint():
                app.receive(ref="G-1", on=date(2025, 4, 7), actor="t", procedure="statutory")
            with pytest.raises(errors.Refused), app.batch_savepoint():
                app.acknowledge("G-1", on=date(2025, 4, 1), actor="t")  # before receipt
            with app.batch_savepoint():
                app.receive(ref="G-2", on=date(2025, 4, 8), actor="t", procedure="statutory")
        assert [e.type for e in app.history("G-1")] == ["Received", "Triaged"]
        assert [e.type for e in app.history("G-2")] == ["Received", "Triaged"]
        verdict = app.verify()
        assert verdict.intact and verdict.verified == 4
        assert app.verify_anchored().read_models is None
    finally:
        app.close()


def test_a_group_that_raises_records_nothing(db_url: str) -> None:
    app = Ledger(db_url)
    try:
        with pytest.raises(LineStopped), app.batch_group():
            with app.batch_savepoint():
                app.receive(ref="G-1", on=date(2025, 4, 7), actor="t", procedure="statutory")
            raise LineStopped  # killed before the group committed
        assert app.verify().verified == 0
        with pytest.raises(errors.UnknownCase):
            app.history("G-1")
    finally:
        app.close()
