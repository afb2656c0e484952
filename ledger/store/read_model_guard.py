"""PostgreSQL: the read models change only through the projection's own functions.

The writer role may only SELECT the read-model tables and the projection's tracking
row (ledger/store/roles.py). The projection changes them through three SECURITY DEFINER
functions owned by the tables' owner (ADR 0024):

- ``complaints_projection_lock()``: the tracking row's position and version, locked
  for the transaction;
- ``complaints_projection_reset(version)``: empty every read model and set the
  position to 0, so every later read first rebuilds them from the first event;
- ``complaints_projection_store(start, through, version, changes)``: rewrite the rows
  of the cases, representations and learning statements in ``changes`` and move the position from
  ``start`` to ``through``. Refused unless ``start`` is the stored position,
  ``through`` is a chained event after it, every aggregate in ``changes`` has an
  event in between, and every case or representation with an event in between is in
  ``changes``.

So a bare ``DELETE FROM rm_case`` (or UPDATE, INSERT, TRUNCATE) by the writer is
refused by the database; rows change only for a case whose new event is projected in
the same transaction, and the position cannot skip events. What a role that can
write events can still do (forge an event, or rows for a case it has just written)
is left to ``verify``, which compares the read models with a rebuild.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import orjson
import sqlalchemy.exc
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from domain.stored_names import KIND_OF_TOPIC
from ledger.store.storage import on_driver
from projections import tables
from projections.projector import (
    ACCESS_REQUEST,
    COMPLAINT,
    CONTACT_REGISTER,
    LEARNING,
    MORE_TABLES_OF_KIND,
    NAME,
    PROJECTED_KINDS,
    TABLE_OF_KIND,
    Change,
)

LOCK = "complaints_projection_lock"
RESET = "complaints_projection_reset"
STORE = "complaints_projection_store"
#: Each function with its argument types, as GRANT and REVOKE name it.
SIGNATURES = (f"{LOCK}()", f"{RESET}(text)", f"{STORE}(bigint, bigint, text, jsonb)")


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot store {type(value).__name__} in a read model")


class GuardedRowStore:
    """The projection's rows and position, written through the guard's functions."""

    def lock(self, session: Session) -> tuple[int, str] | None:
        # Through the driver, as the store below (ADR 0056): once per writing command.
        row = on_driver(
            session.connection(), f"SELECT held_position, held_version FROM {LOCK}()"
        ).fetchone()
        return None if row is None else (int(row[0]), str(row[1]))

    def reset(self, session: Session, version: str) -> None:
        session.execute(text(f"SELECT {RESET}(:version)"), {"version": version})

    def store(
        self, session: Session, start: int, through: int, version: str, changes: Sequence[Change]
    ) -> None:
        payload = {
            change.aggregate_id: {
                "kind": change.kind,
                "key": change.key,
                "rows": {str(name): rows for name, rows in change.rows.items()},
            }
            for change in changes
        }
        # The driver's statement, not SQLAlchemy's (about a third of the client's CPU
        # for a statement run once per writing command; ADR 0056).
        on_driver(
            session.connection(),
            f"SELECT {STORE}(%s, %s, %s, CAST(%s AS jsonb))",
            (start, through, version, orjson.dumps(payload, default=_default).decode()),
        )


def _function_sql(schema: str) -> list[str]:
    quoted = '"' + schema.replace('"', '""') + '"'
    header = (
        "LANGUAGE plpgsql SECURITY DEFINER "
        f"SET search_path = {quoted}, pg_catalog, pg_temp AS $fn$\n"
    )
    tracking = tables.tracking.name
    case_tables = [t.name for t in tables.CASE_TABLES]
    representation = tables.representations.name
    learning = tables.learning.name
    projected_topics = ", ".join(
        "'" + topic.replace("'", "''") + "'"
        for topic, kind in sorted(KIND_OF_TOPIC.items())
        if kind in PROJECTED_KINDS
    )
    rewrite_case = "\n".join(
        f"      DELETE FROM {t} WHERE case_id = change.value->>'key';\n"
        f"      INSERT INTO {t} SELECT * FROM jsonb_populate_recordset(NULL::{t}, "
        f"coalesce(change.value->'rows'->'{t}', '[]'));"
        for t in case_tables
    )
    wrong_case = " OR ".join(
        f"EXISTS (SELECT FROM jsonb_array_elements(coalesce(change.value->'rows'->'{t}', "
        f"'[]')) r WHERE r->>'case_id' IS DISTINCT FROM change.value->>'key')"
        for t in case_tables
    )
    casework_branches = "".join(  # ADR 0040: registers' restrictions, access requests
        f"    ELSIF change.value->>'kind' = '{kind}' THEN\n"
        + "".join(
            f"""      DELETE FROM {t.name} WHERE ref = change.value->>'key';
      INSERT INTO {t.name} SELECT * FROM jsonb_populate_recordset(
        NULL::{t.name}, coalesce(change.value->'rows'->'{t.name}', '[]'))
        r WHERE r.ref = change.value->>'key';
"""
            for t in (table, *MORE_TABLES_OF_KIND.get(kind, ()))
        )
        for kind, table in TABLE_OF_KIND.items()
        if kind in (CONTACT_REGISTER, ACCESS_REQUEST)
    )
    return [
        f"CREATE OR REPLACE FUNCTION {LOCK}() "
        "RETURNS TABLE(held_position bigint, held_version text) "
        + header
        + f"""BEGIN
  RETURN QUERY SELECT t.position, t.version::text FROM {tracking} t
    WHERE t.projection = '{NAME}' FOR UPDATE;
END $fn$""",
        f"CREATE OR REPLACE FUNCTION {RESET}(p_version text) RETURNS void "
        + header
        + "BEGIN\n"
        + "".join(f"  DELETE FROM {t.name};\n" for t in tables.READ_MODEL_TABLES)
        + f"""  INSERT INTO {tracking} (projection, position, version)
    VALUES ('{NAME}', 0, p_version)
    ON CONFLICT (projection) DO UPDATE SET position = 0, version = p_version;
END $fn$""",
        f"CREATE OR REPLACE FUNCTION {STORE}("
        "p_start bigint, p_through bigint, p_version text, p_changes jsonb) RETURNS void "
        + header
        + f"""DECLARE
  held bigint;
  change record;
BEGIN
  SELECT t.position INTO held FROM {tracking} t WHERE t.projection = '{NAME}' FOR UPDATE;
  IF held IS DISTINCT FROM p_start THEN
    RAISE EXCEPTION 'read models: the projection is at %, not at %', held, p_start;
  END IF;
  IF p_through <= p_start
     OR NOT EXISTS (SELECT FROM ledger_chain c WHERE c.position = p_through) THEN
    RAISE EXCEPTION 'read models: % is not a chained event after %', p_through, p_start;
  END IF;
  IF EXISTS (
    SELECT FROM jsonb_object_keys(p_changes) k
    WHERE NOT EXISTS (
      SELECT FROM ledger_events e
      WHERE e.originator_id = k::uuid AND e.id > p_start AND e.id <= p_through)
  ) THEN
    RAISE EXCEPTION 'read models: rows given for a record with no event after %', p_start;
  END IF;
  IF EXISTS (
    SELECT FROM ledger_events e
    WHERE e.id > p_start AND e.id <= p_through
      AND e.topic = ANY (ARRAY[{projected_topics}]::text[])
      AND NOT p_changes ? e.originator_id::text
  ) THEN
    RAISE EXCEPTION 'read models: a record with an event after % is missing', p_start;
  END IF;
  FOR change IN SELECT * FROM jsonb_each(p_changes) LOOP
    IF change.value->>'kind' = '{COMPLAINT}' THEN
      IF {wrong_case} THEN
        RAISE EXCEPTION 'read models: rows of another case given for %', change.value->>'key';
      END IF;
{rewrite_case}
    ELSIF change.value->>'kind' = '{LEARNING}' THEN
      DELETE FROM {learning} WHERE ref = change.value->>'key';
      INSERT INTO {learning} SELECT * FROM jsonb_populate_recordset(
        NULL::{learning}, coalesce(change.value->'rows'->'{learning}', '[]'))
        r WHERE r.ref = change.value->>'key';
{casework_branches}    ELSE
      DELETE FROM {representation} WHERE ref = change.value->>'key';
      INSERT INTO {representation} SELECT * FROM jsonb_populate_recordset(
        NULL::{representation}, coalesce(change.value->'rows'->'{representation}', '[]'))
        r WHERE r.ref = change.value->>'key';
    END IF;
  END LOOP;
  UPDATE {tracking} SET position = p_through, version = p_version
    WHERE projection = '{NAME}';
END $fn$""",
    ]


def install_read_model_guard(connection: Connection) -> None:
    """Create the guard's functions in the ledger's schema, or bring them up to date
    (PostgreSQL only; that needs the tables' owner, and a writer finds them there).
    The store function's comment holds a fingerprint of their definitions."""
    if connection.dialect.name != "postgresql":
        return
    schema = connection.execute(text("SELECT current_schema()")).scalar_one()
    statements = _function_sql(schema)
    fingerprint = hashlib.sha256("\n".join(statements).encode()).hexdigest()[:16]
    present = connection.execute(
        text(
            "SELECT coalesce(obj_description(p.oid, 'pg_proc'), '') FROM pg_proc p "
            "WHERE p.proname = :name AND p.pronamespace = current_schema()::regnamespace"
        ),
        {"name": STORE},
    ).scalar_one_or_none()
    if present == fingerprint:
        return
    try:
        with connection.begin_nested():
            for statement in statements:
                connection.execute(text(statement))
            for signature in SIGNATURES:
                # Executable by everyone unless revoked; roles.py grants the writer.
                connection.execute(text(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC"))
            connection.execute(text(f"COMMENT ON FUNCTION {SIGNATURES[-1]} IS '{fingerprint}'"))
    except sqlalchemy.exc.DBAPIError:
        if present is None:
            raise
        # A writer opening a ledger whose functions an older version made: they still
        # guard the tables; the owner brings them up to date on its next open.
