"""PostgreSQL: the writer role changes the read models only through the projection
(ADR 0024). A bare DELETE emptied them, and then `list` said "no cases" while
`verify` passed."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy
from click.testing import CliRunner, Result
from sqlalchemy import text
from sqlalchemy.engine import make_url

from cli.main import cli


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", url, "--actor", "t", *args], obj={})


def as_role(url: str, role: str) -> str:
    return make_url(url).set(username=role).render_as_string(hide_password=False)


@pytest.fixture
def writer(pg_url: str, pg_admin: sqlalchemy.Engine) -> Iterator[str]:
    """A ledger with two cases, and the URL of its writer role."""
    role = f"w_{uuid.uuid4().hex[:8]}"
    for n in (1, 2):
        made = run(
            pg_url, "receive", "--ref", f"R-{n}", "--on", "2024-05-01", "--procedure", "statutory"
        )
        assert made.exit_code == 0, made.output
    granted = run(pg_url, "roles", "grant", "--writer", role)
    assert granted.exit_code == 0, granted.output
    yield as_role(pg_url, role)
    with pg_admin.connect() as connection:
        connection.execute(text(f"DROP OWNED BY {role}"))
        connection.execute(text(f"DROP ROLE {role}"))


def listed(url: str) -> list[str]:
    result = run(url, "list", "--format", "json")
    assert result.exit_code == 0, result.output
    return sorted(row["ref"] for row in json.loads(result.stdout))


def raw(url: str, statement: str, **params: object) -> None:
    engine = sqlalchemy.create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text(statement), params)
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "statement",
    [
        "DELETE FROM rm_case",
        "DELETE FROM rm_stage",
        "TRUNCATE rm_case_reason",
        "UPDATE rm_case SET team = 'Nowhere'",
        "INSERT INTO rm_case_reason VALUES ('x', 'y')",
        "UPDATE projection_tracking SET position = 0",
        "DELETE FROM rm_representation",
    ],
)
def test_the_writer_cannot_change_a_read_model_in_raw_sql(writer: str, statement: str) -> None:
    with pytest.raises(sqlalchemy.exc.ProgrammingError, match="permission denied"):
        raw(writer, statement)
    assert listed(writer) == ["R-1", "R-2"]


def test_the_writer_still_records_and_its_read_models_follow(writer: str) -> None:
    assert run(writer, "receive", "--ref", "R-3", "--on", "2024-05-02").exit_code == 0
    responded = run(writer, "respond", "R-1", "--on", "2024-05-10", "--outcome", "upheld")
    assert responded.exit_code == 0, responded.output
    assert listed(writer) == ["R-1", "R-2", "R-3"]
    complimented = run(writer, "compliment", "--on", "2024-05-03", "--text", "thank you")
    assert complimented.exit_code == 0, complimented.output
    assert run(writer, "projections", "rebuild").exit_code == 0
    assert listed(writer) == ["R-1", "R-2", "R-3"]
    assert run(writer, "verify").exit_code == 0


@pytest.mark.parametrize(
    "start, through, changes, refusal",
    [
        # rows for a case with no new event: the projection is already at the head
        ("head", "head", "{}", "is not a chained event after"),
        # the position cannot skip ahead, nor start anywhere but where it is
        ("0", "head", "{}", "the projection is at"),
        # an event that is not in the chain (none at 9999)
        ("head", "9999", "{}", "is not a chained event after"),
    ],
)
def test_the_projection_functions_refuse_what_the_projection_would_not_do(
    writer: str, start: str, through: str, changes: str, refusal: str
) -> None:
    engine = sqlalchemy.create_engine(writer)
    try:
        with engine.connect() as connection:
            head = connection.execute(text("SELECT max(position) FROM ledger_chain")).scalar_one()
        values = {"head": head, "9999": 9999, "0": 0}
        with pytest.raises(sqlalchemy.exc.DatabaseError, match=refusal), engine.begin() as c:
            c.execute(
                text("SELECT complaints_projection_store(:s, :t, 'x', CAST(:c AS jsonb))"),
                {"s": values[start], "t": values[through], "c": changes},
            )
    finally:
        engine.dispose()
    assert listed(writer) == ["R-1", "R-2"]


def change(case: str, rows_of: str | None = None) -> dict[str, object]:
    rows = {"rm_case_reason": [{"case_id": rows_of or case, "reason": "forged"}]}
    return {"kind": "complaint", "key": case, "rows": rows}


@pytest.mark.parametrize(
    "forged, refusal",
    [
        ("R-1 only", "a record with an event after 0 is missing"),
        ("R-1, R-2 and one with no event", "rows given for a record with no event after 0"),
        ("R-1 with R-2's rows", "rows of another case given for"),
    ],
)
def test_after_a_reset_every_case_must_be_projected_with_its_own_rows(
    writer: str, forged: str, refusal: str
) -> None:
    engine = sqlalchemy.create_engine(writer)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT ref, case_id FROM rm_case")).all()
            cases = {row.ref: row.case_id for row in rows}
            head = connection.execute(text("SELECT max(position) FROM ledger_chain")).scalar_one()
        one, two = cases["R-1"], cases["R-2"]
        changes = {
            "R-1 only": {one: change(one)},
            "R-1, R-2 and one with no event": {
                one: change(one),
                two: change(two),
                str(uuid.uuid4()): change(two),
            },
            "R-1 with R-2's rows": {one: change(one, rows_of=two), two: change(two)},
        }[forged]
        with pytest.raises(sqlalchemy.exc.DatabaseError, match=refusal), engine.begin() as c:
            c.execute(text("SELECT complaints_projection_reset('x')"))
            c.execute(
                text("SELECT complaints_projection_store(0, :t, 'x', CAST(:c AS jsonb))"),
                {"t": head, "c": json.dumps(changes)},
            )
    finally:
        engine.dispose()
    assert listed(writer) == ["R-1", "R-2"]


def test_a_reset_by_the_writer_is_rebuilt_before_anything_is_read(writer: str) -> None:
    """Emptying the read models is possible only with the position back at 0, so the
    next read rebuilds them from the first event: `list` never says "no cases"."""
    raw(writer, "SELECT complaints_projection_reset('x')")
    assert listed(writer) == ["R-1", "R-2"]


def test_the_auditor_cannot_run_the_projection_functions(
    pg_url: str, pg_admin: sqlalchemy.Engine
) -> None:
    role = f"a_{uuid.uuid4().hex[:8]}"
    assert run(pg_url, "receive", "--ref", "R-1", "--on", "2024-05-01").exit_code == 0
    assert run(pg_url, "roles", "grant", "--auditor", role).exit_code == 0
    try:
        with pytest.raises(sqlalchemy.exc.ProgrammingError, match="permission denied"):
            raw(as_role(pg_url, role), "SELECT complaints_projection_reset('x')")
    finally:
        with pg_admin.connect() as connection:
            connection.execute(text(f"DROP OWNED BY {role}"))
            connection.execute(text(f"DROP ROLE {role}"))


# ------------------------------------------------ what cannot be prevented is detected
def test_verify_reports_read_models_changed_behind_the_projection(db_url: str) -> None:
    """On SQLite anyone with the file, on PostgreSQL the tables' owner, can still change
    a read model: `verify` rebuilds them in memory and compares."""
    for n in (1, 2):
        assert run(db_url, "receive", "--ref", f"R-{n}", "--on", "2024-05-01").exit_code == 0
    assert run(db_url, "verify").exit_code == 0
    raw(db_url, "DELETE FROM rm_case WHERE ref = 'R-2'")
    assert listed(db_url) == ["R-1"]
    result = run(db_url, "verify")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: the read model rm_case disagrees with a rebuild from the events "
        "(1 rows missing or changed, 0 rows not in the rebuild): "
        "run complaints projections rebuild [read-models]"
    )
    as_json = run(db_url, "verify", "--format", "json")
    assert as_json.exit_code == 1
    assert json.loads(as_json.stdout)["read_models"].startswith("the read model rm_case")
    assert run(db_url, "projections", "rebuild").exit_code == 0
    assert run(db_url, "verify").exit_code == 0
    assert listed(db_url) == ["R-1", "R-2"]


def test_verify_reports_rows_a_writer_forged_through_the_projection_functions(
    writer: str,
) -> None:
    """The functions cannot judge the rows themselves: after a reset, rows given for
    every case are accepted, however wrong. `verify` catches them."""
    engine = sqlalchemy.create_engine(writer)
    try:
        with engine.begin() as c:
            cases = c.execute(text("SELECT case_id FROM rm_case")).scalars().all()
            head = c.execute(text("SELECT max(position) FROM ledger_chain")).scalar_one()
            version = c.execute(text("SELECT version FROM projection_tracking")).scalar_one()
            empty = {case: {"kind": "complaint", "key": case, "rows": {}} for case in cases}
            c.execute(text("SELECT complaints_projection_reset(:v)"), {"v": version})
            c.execute(
                text("SELECT complaints_projection_store(0, :t, :v, CAST(:c AS jsonb))"),
                {"t": head, "v": version, "c": json.dumps(empty)},
            )
    finally:
        engine.dispose()
    assert listed(writer) == []
    result = run(writer, "verify")
    assert result.exit_code == 1
    assert "the read model rm_case disagrees with a rebuild" in result.stderr


def test_the_owner_brings_the_functions_up_to_date_and_a_writer_uses_them_as_found(
    writer: str, pg_url: str
) -> None:
    """The store function's comment fingerprints the functions' definitions: an owner
    opening the ledger replaces out-of-date ones; a writer (who cannot) uses them."""
    raw(
        pg_url,
        "COMMENT ON FUNCTION complaints_projection_store(bigint, bigint, text, jsonb) IS 'old'",
    )
    assert run(writer, "receive", "--ref", "R-3", "--on", "2024-05-02").exit_code == 0
    assert listed(writer) == ["R-1", "R-2", "R-3"]
    engine = sqlalchemy.create_engine(pg_url)
    try:
        query = text(
            "SELECT obj_description('complaints_projection_store(bigint,bigint,text,jsonb)'"
            "::regprocedure, 'pg_proc')"
        )
        with engine.connect() as connection:
            assert connection.execute(query).scalar_one() == "old"
        # the owner opens the ledger to write (a read opens it read-only, changing nothing)
        assert run(pg_url, "receive", "--ref", "R-4", "--on", "2024-05-02").exit_code == 0
        assert listed(writer) == ["R-1", "R-2", "R-3", "R-4"]
        with engine.connect() as connection:
            assert connection.execute(query).scalar_one() != "old"
    finally:
        engine.dispose()


def test_the_writer_records_casework_and_its_rows_go_through_the_projection_functions(
    writer: str,
) -> None:
    """Providers, costs and survey scores (ADR 0039) are rows of the guarded tables."""
    for args in (
        ("respond", "R-1", "--on", "2024-05-10", "--outcome", "upheld"),
        ("provider", "R-1", "--on", "2024-05-02", "--provider", "Brightpath Fostering"),
        ("cost", "R-1", "--on", "2024-05-11", "--kind", "advocacy", "--amount", "99.99"),
        ("survey", "sent", "R-1", "--on", "2024-05-11"),
        ("survey", "answered", "R-1", "--on", "2024-05-20", "--overall", "5"),
    ):
        done = run(writer, *args)
        assert done.exit_code == 0, (args, done.output)
    result = run(writer, "report", "annual", "--year", "2024", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["providers"]["by_provider"] == {"Brightpath Fostering": 1}
    assert report["expenditure"]["total"] == "99.99"
    assert report["satisfaction"]["response_rate_percent"] == 100.0
    with pytest.raises(sqlalchemy.exc.ProgrammingError, match="permission denied"):
        raw(writer, "DELETE FROM rm_cost")
    assert run(writer, "verify").exit_code == 0
