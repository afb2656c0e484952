"""One set of facts behind ``show`` and the read models: for every record of a generated
ledger (in memory, no database), under either Stage 2 clock setting, what ``show``
prints and what the read-model rows hold are the same facts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from cli.views import case_document, representation_document
from demo.generator import generate
from domain.complaint import Complaint
from domain.procedure import ProcedurePolicy, Timescales
from domain.representations import Representation
from projections.facts import case_facts, representation_facts
from projections.rows import complaint_rows, representation_row

STAGE_FIELDS = (
    "started_on",
    "clock_from",
    "working_days",
    "extended",
    "deadline",
    "response_due",
    "responded_on",
    "outcome",
    "withdrawn_on",
    "on_time",
    "working_days_taken",
    "panel_met_on",
    "panel_reported_on",
    "panel_on_time",
    "points",
)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def generated(policy: ProcedurePolicy) -> list[Any]:
    records: list[Any] = []
    for chunk in generate(seed=11, years=1, cases_per_year=120, first_year=2024, policy=policy):
        records.extend(a for a in chunk if isinstance(a, Complaint | Representation))
    return records


@pytest.mark.parametrize("clock", ["request", "statement"])
def test_show_and_the_read_model_rows_hold_the_same_facts(clock: str) -> None:
    policy = ProcedurePolicy(timescales=replace(Timescales(), stage2_clock=clock))
    records = generated(policy)
    complaints = [r for r in records if isinstance(r, Complaint)]
    # 120 arrivals, and the duplicates, split parts and new issues of their casework.
    assert 120 < len(complaints) < 120 * 1.2
    counted_from_statement = 0
    for complaint in complaints:
        shown = case_document(case_facts(complaint, policy))
        rows = complaint_rows(complaint, policy)
        assert shown["status"] == case_facts(complaint, policy).status
        if complaint.merged_into is not None:  # its figures are its original's (ADR 0038)
            assert rows["rm_stage"] == [] and shown["status"] == "merged"
            continue
        assert len(shown["stages"]) == len(rows["rm_stage"])
        for stage, row in zip(shown["stages"], rows["rm_stage"], strict=True):
            assert stage["stage"] == row["stage"]
            for name in STAGE_FIELDS:
                assert stage[name] == _plain(row[name]), (complaint.ref, stage["stage"], name)
            if stage["clock_basis"] == "statement":
                counted_from_statement += 1
                assert stage["clock_from"] == stage["statement_agreed_on"]
    # The demo agrees statements at Stage 2, so the setting must show in the facts.
    assert (counted_from_statement > 0) == (clock == "statement")
    others = [r for r in records if isinstance(r, Representation)]
    assert others
    for record in others:
        shown = representation_document(representation_facts(record, policy))
        row = representation_row(record, policy)
        assert (shown["ref"], shown["kind"]) == (row["ref"], row["kind"])
        for name in ("received_on", "service_area", "team", "due", "responded_on"):
            if name in shown:
                assert shown[name] == _plain(row[name]), (record.ref, name)
