"""Rebuilding the read models from the first event gives exactly the rows that
catching up after every command gave: a property over random histories."""

from __future__ import annotations

import contextlib
import tempfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from domain.errors import Refused
from domain.procedure import ProcedurePolicy
from ledger.application import Ledger
from projections import tables

POLICY = ProcedurePolicy(today=date(2026, 11, 23))
START = date(2023, 4, 3)

ACTIONS = st.sampled_from(
    [
        "acknowledge",
        "extend",
        "respond",
        "escalate",
        "withdraw",
        "suspend",
        "resume",
        "recommend",
        "accept",
        "complete",
        "compensate",
        "enquiry",
        "decision",
        "amend",
        "panel",
        "statement",
        "finding",
    ]
)
STEP = st.tuples(st.integers(0, 3), ACTIONS, st.integers(0, 12), st.integers(0, 2))


def snapshot(ledger: Ledger) -> dict[str, list[tuple[Any, ...]]]:
    def read() -> dict[str, list[tuple[Any, ...]]]:
        session = ledger.sessions()
        result = {}
        for table in tables.READ_MODEL_TABLES:
            rows = session.execute(select(table).order_by(*table.primary_key.columns))
            result[table.name] = [tuple(row) for row in rows]
        return result

    return ledger.read(read)


def _command(action: str, on: date, variant: int) -> Any:
    outcome = ["upheld", "partly-upheld", "not-upheld"][variant]

    def run(c: Any, p: ProcedurePolicy) -> None:
        common = {"on": on, "actor": "prop", "policy": p}
        if action == "acknowledge":
            c.acknowledge(**common)
        elif action == "extend":
            c.extend(**common, reason="complex", working_days=None if variant else 40)
        elif action == "respond":
            c.respond(**common, outcome=outcome, remedies=["apology"] if variant else [])
        elif action == "escalate":
            c.escalate(**common, late_reason="accepted late" if variant else None)
        elif action == "withdraw":
            c.withdraw(**common)
        elif action == "suspend":
            c.suspend(**common, reason="court")
        elif action == "resume":
            c.resume(**common)
        elif action == "recommend":
            c.recommend(**common, theme="communication" if variant else None)
        elif action == "accept":
            rid = f"R{variant + 1}"
            c.decide_recommendation(
                **common,
                recommendation_id=rid,
                accepted=variant != 2,
                owner="Team A",
                due=on + timedelta(days=30),
            )
        elif action == "complete":
            c.complete_recommendation(**common, recommendation_id=f"R{variant + 1}")
        elif action == "compensate":
            c.compensate(**common, amount=Decimal("125.50") * (variant + 1), reason="distress")
        elif action == "enquiry":
            c.open_ombudsman_enquiry(**common)
        elif action == "decision":
            c.record_ombudsman_decision(
                **common, decision=["upheld", "not-upheld", "premature"][variant]
            )
        elif action == "amend":
            c.amend(**common, field="team", value=f"Team {variant}", reason="wrong team")
        elif action == "panel":
            c.hold_panel(**common)
        elif action == "statement":
            c.agree_statement(**common, points=variant + 1)
        elif action == "finding":
            c.record_finding(
                **common, point=1, finding=["upheld", "not-upheld", "unable-to-determine"][variant]
            )

    return run


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    steps=st.lists(STEP, min_size=1, max_size=30),
    procedures=st.lists(st.sampled_from(["statutory", "corporate"]), min_size=4, max_size=4),
)
def test_rebuild_from_scratch_equals_incremental(
    steps: list[tuple[int, str, int, int]], procedures: list[str]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        ledger = Ledger(str(Path(folder) / "prop.db"), POLICY)
        try:
            refs = []
            for n, procedure in enumerate(procedures):
                refs.append(
                    ledger.receive(
                        on=START,
                        actor="prop",
                        procedure=procedure,
                        team="Team A",
                        reasons=["delays-in-service"],
                        ref=f"P-{n}",
                    )
                )
            ledger.record_enquiry(
                on=START,
                actor="prop",
                source="mp",
                service_area=None,
                team="Team A",
                responded_on=None,
            )
            on = START
            for case, action, days, variant in steps:
                on = on + timedelta(days=days)
                # A refused step writes nothing, so the history stays a valid one.
                with contextlib.suppress(Refused):
                    ledger.act(refs[case], _command(action, on, variant))
            incremental = snapshot(ledger)
            assert len(incremental["rm_case"]) == len(procedures)
            ledger.rebuild_projections()
            assert snapshot(ledger) == incremental
        finally:
            ledger.close()
