"""Real histories recorded late and out of order, and steps voided, through the CLI on
SQLite and PostgreSQL.

The same case history, recorded in chronological order and in many shuffled orders that
respect what each step depends on, gives the same case, the same report figures and a
chain that verifies.
"""

from __future__ import annotations

import random
import re
import shlex
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
import sqlalchemy

from tests.cli.conftest import Complaints
from tests.conftest import drop_test_schema, pg_schema_url

REF = "CSC-2024-0001"

#: A statutory case through every stage, recommendations, payments and the Ombudsman:
#: (name, command line, names of the steps it depends on). A step may be recorded only
#: after the steps it depends on; everything else may come in any order.
HISTORY: list[tuple[str, str, tuple[str, ...]]] = [
    (
        "receipt",
        f"receive --ref {REF} --on 2024-04-08 --procedure statutory --channel email "
        "--role parent --service-area 'Children in Need' --team 'Locality North' "
        "--reason poor-communication",
        (),
    ),
    ("ack1", f"acknowledge {REF} --on 2024-04-09", ("receipt",)),
    ("extend1", f"extend {REF} --on 2024-04-15 --reason 'complex case'", ("receipt",)),
    (
        "respond1",
        f"respond {REF} --on 2024-05-01 --outcome partly-upheld --remedy apology",
        ("receipt",),
    ),
    (
        "rec1",
        f"recommend {REF} --on 2024-05-01 --stage 1 --id S1-1 --text 'Call back'",
        ("receipt",),
    ),
    (
        "accept1",
        f"recommendation accept {REF} S1-1 --on 2024-05-03 --owner 'Locality North' "
        "--due 2024-06-30",
        ("rec1",),
    ),
    ("complete1", f"recommendation complete {REF} S1-1 --on 2024-06-20", ("accept1",)),
    ("escalate2", f"escalate {REF} --on 2024-05-10", ("respond1",)),
    (
        "io",
        f"appoint {REF} --on 2024-05-14 --role investigating-officer --person IO-1 --internal",
        ("escalate2",),
    ),
    (
        "ip",
        f"appoint {REF} --on 2024-05-14 --role independent-person --person IP-1",
        ("escalate2",),
    ),
    ("statement", f"statement {REF} --on 2024-05-20 --points 2", ("escalate2",)),
    ("finding1", f"finding {REF} --on 2024-06-20 --point 1 --finding upheld", ("statement",)),
    ("finding2", f"finding {REF} --on 2024-06-21 --point 2 --finding not-upheld", ("statement",)),
    (
        "respond2",
        f"respond {REF} --on 2024-06-28 --outcome partly-upheld --stage 2",
        ("escalate2",),
    ),
    (
        "rec2",
        f"recommend {REF} --on 2024-06-28 --stage 2 --id S2-1 --text 'Train staff'",
        ("escalate2",),
    ),
    ("accept2", f"recommendation accept {REF} S2-1 --on 2024-07-01 --due 2024-09-30", ("rec2",)),
    ("complete2", f"recommendation complete {REF} S2-1 --on 2024-08-15", ("accept2",)),
    ("pay2", f"compensate {REF} --on 2024-07-01 --amount 250 --stage 2", ("escalate2",)),
    ("escalate3", f"escalate {REF} --on 2024-07-15", ("respond2",)),
    (
        "hold",
        f"suspend {REF} --on 2024-07-25 --until 2024-08-05 --reason 'court hearing'",
        ("receipt",),
    ),
    ("chair", f"appoint {REF} --on 2024-07-22 --role panel-chair --person PANEL-1", ("escalate3",)),
    (
        "member1",
        f"appoint {REF} --on 2024-07-22 --role panel-member --person PANEL-2",
        ("escalate3",),
    ),
    (
        "member2",
        f"appoint {REF} --on 2024-07-22 --role panel-member --person PANEL-3",
        ("escalate3",),
    ),
    (
        "panel",
        f"panel {REF} --on 2024-08-27 --report-on 2024-08-30",
        ("chair", "member1", "member2"),
    ),
    (
        "rec3",
        f"recommend {REF} --on 2024-08-30 --stage 3 --id P-1 --text 'Review policy'",
        ("escalate3",),
    ),
    ("reject3", f"recommendation reject {REF} P-1 --on 2024-09-10", ("rec3",)),
    ("respond3", f"respond {REF} --on 2024-09-12 --outcome not-upheld --stage 3", ("panel",)),
    ("enquiry", f"ombudsman enquiry {REF} --on 2024-10-01 --ombudsman-ref 24-001", ("receipt",)),
    (
        "decision",
        f"ombudsman decision {REF} --on 2024-12-02 --decision upheld "
        "--remedy apology --due 2025-01-15",
        ("enquiry",),
    ),
    ("pay-o", f"compensate {REF} --on 2024-12-20 --amount 300 --stage ombudsman", ("decision",)),
    (
        "rec-o",
        f"recommend {REF} --on 2024-12-02 --stage ombudsman --id O-1 --text 'Audit'",
        ("decision",),
    ),
    ("complied", f"ombudsman complied {REF} --on 2025-01-10", ("decision",)),
]


def chronological() -> list[str]:
    """The history in order of effective date (the order it happened)."""

    def on(line: str) -> str:
        return line.split("--on ")[1][:10]

    return [line for _, line, _ in sorted(HISTORY, key=lambda step: on(step[1]))]


def shuffled(seed: int) -> list[str]:
    """A random recording order in which every step follows the steps it depends on."""
    chooser = random.Random(seed)
    waiting = list(HISTORY)
    done: set[str] = set()
    order = []
    while waiting:
        ready = [step for step in waiting if set(step[2]) <= done]
        step = chooser.choice(ready)
        waiting.remove(step)
        done.add(step[0])
        order.append(step[1])
    return order


def recorded(complaints: Complaints, lines: list[str], tmp: Path) -> dict[str, Any]:
    """Record ``lines`` with one batch run; what the ledger then says."""
    script = tmp / f"history-{uuid.uuid4().hex[:8]}.txt"
    script.write_text("\n".join(lines) + "\n")
    result = complaints("batch", str(script))
    assert result.exit_code == 0, result.output + result.stderr
    assert complaints("verify").exit_code == 0
    figures = {year: complaints.json("report", "annual", "--year", year) for year in ("2024",)}
    for document in figures.values():
        document.pop("integrity")
    shown = complaints.ok("show", REF, "--no-personal", "--format", "json")
    # Typed text is sealed in a note named by the version of its step, which depends
    # on the recording order; the note's text is the same.
    case = orjson.loads(re.sub(r"\[sealed note text:\d+:", "[sealed note text:V:", shown))
    for stage in case["stages"]:
        # Steps of the same day are listed in the order they were recorded.
        stage["appointments"].sort(key=lambda a: (a["on"], a["person"]))
    return {"show": case, "figures": figures}


@pytest.fixture
def fresh_ledgers(request: pytest.FixtureRequest, tmp_path: Path, db_url: str) -> Iterator[Any]:
    """A maker of fresh, empty ledgers on this test's engine."""
    made: list[str] = []

    def make() -> Complaints:
        if db_url.startswith("sqlite"):
            return Complaints(f"sqlite:///{tmp_path / uuid.uuid4().hex[:8]}.db")
        schema = "t_" + uuid.uuid4().hex[:12]
        with admin.connect() as connection:
            connection.execute(sqlalchemy.text(f"CREATE SCHEMA {schema}"))
        made.append(schema)
        return Complaints(pg_schema_url(schema))

    admin = request.getfixturevalue("pg_admin") if db_url.startswith("postgresql") else None
    yield make
    for schema in made:
        drop_test_schema(admin, schema)


SHUFFLES = 50


def test_every_dependency_respecting_recording_order_gives_the_same_case_and_figures(
    fresh_ledgers: Any, tmp_path: Path
) -> None:
    expected = recorded(fresh_ledgers(), chronological(), tmp_path)
    assert expected["show"]["stages"][2]["outcome"] == "not-upheld"
    assert expected["figures"]["2024"]["compensation"]["total"] == "550.00"
    orders = {tuple(shuffled(seed)) for seed in range(SHUFFLES)}
    assert len(orders) == SHUFFLES
    for order in orders:
        assert recorded(fresh_ledgers(), list(order), tmp_path) == expected, order


# --------------------------------------------------------------- late steps
def statutory_case(complaints: Complaints) -> str:
    complaints.ok("receive", "--ref", REF, "--on", "2024-04-08", "--procedure", "statutory")
    return REF


def test_ombudsman_payment_recorded_before_its_recommendations(complaints: Complaints) -> None:
    ref = statutory_case(complaints)
    complaints.ok("respond", ref, "--on", "2024-05-01", "--outcome", "upheld")
    complaints.ok("ombudsman", "enquiry", ref, "--on", "2024-06-03")
    complaints.ok("ombudsman", "decision", ref, "--on", "2024-09-02", "--decision", "upheld")
    complaints.ok("compensate", ref, "--on", "2024-09-20", "--amount", "300")
    made = complaints.ok(
        "recommend", ref, "--on", "2024-09-02", "--stage", "ombudsman", "--text", "Audit"
    )
    case = complaints.json("show", ref)
    assert [r["made_on"] for r in case["recommendations"] if r["id"] == made] == ["2024-09-02"]
    assert case["compensation"][0]["stage"] == "ombudsman"


def test_stage1_extension_recorded_after_the_response_makes_it_on_time(
    complaints: Complaints,
) -> None:
    ref = statutory_case(complaints)
    complaints.ok("respond", ref, "--on", "2024-05-01", "--outcome", "upheld")  # day 16
    assert complaints.json("show", ref)["stages"][0]["on_time"] is False
    complaints.ok("extend", ref, "--on", "2024-04-15", "--reason", "complex")
    assert complaints.json("show", ref)["stages"][0]["on_time"] is True
    report = complaints.json("report", "annual", "--year", "2024")
    assert report["stage1"]["on_time"] == 1


def test_escalation_dated_before_the_response_is_refused_naming_it(
    complaints: Complaints, unchanged: Any
) -> None:
    ref = statutory_case(complaints)
    complaints.ok("respond", ref, "--on", "2024-05-01", "--outcome", "upheld")
    unchanged(ref, "escalate", ref, "--on", "2024-04-20", rule="dependency-order")
    result = complaints.refused("escalate", ref, "--on", "2024-04-20")
    assert "Responded on 2024-05-01 (version 3)" in result.stderr


def test_response_dated_before_a_recorded_extension_is_refused(
    complaints: Complaints, unchanged: Any
) -> None:
    ref = statutory_case(complaints)
    complaints.ok("extend", ref, "--on", "2024-04-20", "--reason", "complex")
    unchanged(
        ref,
        "respond",
        ref,
        "--on",
        "2024-04-18",
        "--outcome",
        "upheld",
        rule="breaks-later-step",
    )


def test_recording_commands_say_what_they_recorded_on_stderr(complaints: Complaints) -> None:
    result = complaints("receive", "--on", "2024-04-08", "--procedure", "statutory")
    assert result.stdout.strip() == "CSC-2024-0001"
    assert result.stderr.strip() == (
        "Recorded CSC-2024-0001: Received on 2024-04-08 (version 1); "
        "Triaged on 2024-04-08 (version 2)"
    )
    result = complaints("acknowledge", "CSC-2024-0001")
    assert result.exit_code == 0 and result.stdout == ""
    assert "Acknowledged on " in result.stderr and "(version 3)" in result.stderr


# -------------------------------------------------------------------- void
def test_void_takes_a_wrong_response_out_of_every_figure(complaints: Complaints) -> None:
    ref = statutory_case(complaints)
    complaints.ok("respond", ref, "--on", "2024-05-01", "--outcome", "upheld")
    before = complaints.json("report", "annual", "--year", "2024")["stage1"]
    assert before["outcomes"]["upheld"] == 1
    complaints.ok("void", ref, "3", "--reason", "outcome typed wrongly")
    voided = complaints.json("report", "annual", "--year", "2024")["stage1"]
    assert voided["responded"] == 0 and voided["outcomes"]["upheld"] == 0
    assert complaints.json("show", ref)["stages"][0]["responded_on"] is None
    complaints.ok("respond", ref, "--on", "2024-05-01", "--outcome", "not-upheld")
    after = complaints.json("report", "annual", "--year", "2024")["stage1"]
    assert after["outcomes"]["not_upheld"] == 1 and after["outcomes"]["upheld"] == 0
    history = complaints.history(ref)
    assert history[2]["type"] == "Responded"
    assert history[2]["voided"]["by_version"] == 4
    # The reason is typed text, kept in a sealed note (ADR 0021); --personal opens it.
    assert history[2]["voided"]["reason"] == "[sealed note text:4:reason]"
    opened = complaints.json("history", ref, "--personal")
    assert opened[2]["voided"]["reason"] == "outcome typed wrongly"
    assert history[3]["type"] == "StepVoided" and history[3]["voided"] is None
    assert history[4]["voided"] is None
    text = complaints.ok("history", ref)
    assert "[VOIDED by version 4: [sealed note text:4:reason]]" in text
    text = complaints.ok("history", ref, "--personal")
    assert "[VOIDED by version 4: outcome typed wrongly]" in text
    assert complaints("verify").exit_code == 0


def test_void_of_a_step_later_steps_depend_on_is_refused_naming_them(
    complaints: Complaints, unchanged: Any
) -> None:
    ref = statutory_case(complaints)
    complaints.ok("respond", ref, "--on", "2024-05-01", "--outcome", "upheld")
    complaints.ok("escalate", ref, "--on", "2024-05-10")
    unchanged(ref, "void", ref, "3", "--reason", "typo", rule="void-dependents")
    result = complaints.refused("void", ref, "3", "--reason", "typo")
    assert "EscalationRequested on 2024-05-10 (version 4)" in result.stderr


@pytest.mark.parametrize(
    ("version", "rule"),
    [("1", "void"), ("9", "unknown-step"), ("0", "bad-data"), ("x", "bad-data")],
)
def test_void_of_the_receipt_or_an_unknown_step_is_refused(
    complaints: Complaints, unchanged: Any, version: str, rule: str
) -> None:
    ref = statutory_case(complaints)
    unchanged(ref, "void", ref, version, "--reason", "typo", rule=rule)


def test_void_of_an_unknown_case_is_refused(complaints: Complaints) -> None:
    assert "[unknown-case]" in complaints.refused("void", "NOPE-1", "2", "--reason", "x").stderr


def test_void_twice_is_refused(complaints: Complaints, unchanged: Any) -> None:
    ref = statutory_case(complaints)
    complaints.ok("void", ref, "2", "--reason", "wrong procedure")
    unchanged(ref, "void", ref, "2", "--reason", "again", rule="void")


def _batch_line(args: list[str]) -> str:
    return shlex.join(args)


def test_history_json_keeps_its_contract_keys(complaints: Complaints) -> None:
    ref = statutory_case(complaints)
    for event in complaints.history(ref):
        assert {"type", "on", "recorded_at", "actor"} <= set(event)
    assert orjson.loads(orjson.dumps(complaints.history(ref)))
