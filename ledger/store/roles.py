"""PostgreSQL roles for a shared ledger: a writer for the application and a read-only
auditor. The database, not the application, enforces what each may do."""

from __future__ import annotations

import re

from sqlalchemy import Engine, text

from domain.errors import BadData
from ledger.store.bank_holidays import bank_holidays_table
from ledger.store.batches import batch_lines
from ledger.store.integrity import chain, checkpoints
from ledger.store.keystore import KEY_TABLES, KeyStore, key_schema
from ledger.store.read_model_guard import SIGNATURES
from projections import tables as read_models

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
EVENT_TABLES = ("ledger_events", chain.name, checkpoints.name)
#: Tables a writer adds rows to and never changes: batch progress, the holiday store.
APPEND_TABLES = (batch_lines.name, bank_holidays_table.name)


def _check(name: str) -> str:
    if not ROLE_NAME.match(name):
        raise BadData(f"role name {name!r} must be lower-case letters, digits and _")
    return name


def grant_statements(schema: str, writer: str | None, auditor: str | None) -> list[str]:
    """The SQL that creates (if missing) and grants the two roles in ``schema``."""
    statements: list[str] = []
    model_tables = [t.name for t in read_models.metadata.sorted_tables]
    for role in filter(None, (writer, auditor)):
        _check(role)
        statements.append(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') "
            f"THEN CREATE ROLE {role} LOGIN; END IF; END $$"
        )
        statements.append(f'GRANT USAGE ON SCHEMA "{schema}" TO {role}')
    if writer:
        for table in (*EVENT_TABLES, *APPEND_TABLES):
            # Append only: no UPDATE or DELETE, whatever the triggers say.
            statements.append(f'GRANT SELECT, INSERT ON "{schema}".{table} TO {writer}')
        for table in model_tables:
            # The read models change only through the projection's functions (ADR 0024).
            statements.append(
                f'REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON "{schema}".{table} FROM {writer}'
            )
            statements.append(f'GRANT SELECT ON "{schema}".{table} TO {writer}')
        for signature in SIGNATURES:
            statements.append(f'GRANT EXECUTE ON FUNCTION "{schema}".{signature} TO {writer}')
        statements.append(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "{schema}" TO {writer}')
        # The key store: the writer makes, reads and destroys data keys; the auditor has
        # no rights there at all, so it can verify and report but never read a note.
        keys = key_schema(schema)
        statements.append(f'GRANT USAGE ON SCHEMA "{keys}" TO {writer}')
        for table in KEY_TABLES:
            statements.append(f'GRANT SELECT, INSERT, DELETE ON "{keys}".{table} TO {writer}')
    if auditor:
        statements.append(f'GRANT SELECT ON ALL TABLES IN SCHEMA "{schema}" TO {auditor}')
    return statements


def grant_roles(engine: Engine, writer: str | None, auditor: str | None) -> list[str]:
    if engine.dialect.name != "postgresql":
        raise BadData("roles are for PostgreSQL ledgers; an SQLite file has no users")
    store = KeyStore(engine.url.render_as_string(hide_password=False))
    try:
        store.create()
    finally:
        store.close()
    with engine.begin() as connection:
        schema = connection.execute(text("SELECT current_schema()")).scalar_one()
        statements = grant_statements(schema, writer, auditor)
        for statement in statements:
            connection.execute(text(statement))
    return statements
