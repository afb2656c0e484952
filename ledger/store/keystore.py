"""Data keys for personal notes, kept apart from the event log so that they can be destroyed.

Each data subject of a case (``case``, ``complainant``, ``child``, ``person:ID``) has
its own 256-bit key, made on its first note. Notes are sealed with AES-GCM
(``cryptography``), bound to the note they belong to (associated data), so a sealed text
cannot be moved to another note. The events keep ciphertext, nonce and key id only.

Where keys live (never in the ledger's own tables):

- SQLite ledger ``x.db``: the file ``x.db.keys.db`` beside it, with ``secure_delete``
  on and a rollback journal (no write-ahead log that would keep old pages), so a
  destroyed key's bytes are overwritten; ``VACUUM`` then rewrites the file without them.
- PostgreSQL: the schema ``complaints_keys`` (``<schema>_keys`` for a ledger in another
  schema than ``public``) in the same database; ``roles grant`` gives the writer rights
  there and the auditor none. ``VACUUM FULL`` rewrites the table after a deletion.

With ``COMPLAINTS_MASTER_KEY_FILE`` set, every data key is stored wrapped (AES-GCM)
under that master key, and a check value in the store tells a wrong master key at once.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy.exc
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Engine, bindparam, create_engine, event, text
from sqlalchemy.engine import make_url

from domain.errors import KeyStoreUnavailable

MASTER_KEY_ENV = "COMPLAINTS_MASTER_KEY_FILE"
KEY_BYTES = 32
NONCE_BYTES = 12
_CHECK_TEXT = b"complaints-ledger key store"
#: Owners in one ``IN (...)`` of :meth:`KeyStore.keys_for` (SQLite allows 999 parameters).
OWNERS_PER_QUERY = 500
#: The key store's tables (in their own SQLite file or PostgreSQL schema).
KEY_TABLES = ("data_keys", "key_store_meta")


@dataclass(frozen=True)
class Sealed:
    """A sealed text: base64 nonce and ciphertext (with its tag)."""

    nonce: str
    ciphertext: str


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def master_key() -> tuple[bytes, str] | None:
    """The master key named by ``COMPLAINTS_MASTER_KEY_FILE`` (and the file), if set."""
    name = os.environ.get(MASTER_KEY_ENV)
    if not name:
        return None
    path = Path(name)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise KeyStoreUnavailable(
            f"master key file {name} cannot be read ({error.strerror or error})"
        ) from None
    if len(raw) == KEY_BYTES:
        return raw, name
    value = raw.strip()
    for decode in (bytes.fromhex, base64.b64decode):
        try:
            key = decode(value.decode("ascii"))
        except (ValueError, binascii.Error, UnicodeDecodeError):
            continue
        if len(key) == KEY_BYTES:
            return key, name
    raise KeyStoreUnavailable(
        f"master key file {name} must hold a 256-bit key: 32 bytes, 64 hex digits or base64"
    )


def key_schema(ledger_schema: str) -> str:
    """The PostgreSQL schema of the key store of a ledger in ``ledger_schema``."""
    return "complaints_keys" if ledger_schema == "public" else f"{ledger_schema}_keys"


def new_master_key() -> str:
    """A fresh master key as 64 hex digits (for ``COMPLAINTS_MASTER_KEY_FILE``)."""
    return secrets.token_hex(KEY_BYTES)


class KeyStore:
    """The data keys of one ledger, in their own SQLite file or PostgreSQL schema."""

    def __init__(self, ledger_url: str) -> None:
        parsed = make_url(ledger_url)
        self.backend = parsed.get_backend_name()
        self._engine: Engine | None = None
        self._keys: dict[str, bytes] = {}
        self._checked = False
        if self.backend == "sqlite":
            self.path: Path | None = Path(str(parsed.database) + ".keys.db")
            self.where = f"key store {self.path}"
            self._url = f"sqlite:///{self.path}"
            self._schema = ""
        else:
            self.path = None
            self._url = ledger_url
            self._schema = ""  # found on first connection
            self.where = "key store (schema complaints_keys)"

    @classmethod
    def file(cls, path: Path) -> KeyStore:
        """A key store in the SQLite file ``path`` (a backup, or another ledger's)."""
        store = cls(f"sqlite:///{path}")
        store.path = path
        store.where = f"key store {path}"
        store._url = f"sqlite:///{path}"
        return store

    # ----------------------------------------------------------------- plumbing
    def _table(self, name: str) -> str:
        return f'"{self._schema}".{name}' if self._schema else name

    def _connect(self, create: bool) -> Engine:
        if self._engine is not None:
            return self._engine
        if self.path is not None:
            if not self.path.exists() and not create:
                raise KeyStoreUnavailable(
                    f"the {self.where} is missing: personal data cannot be read without it "
                    "(restore it from its backup)"
                )
            engine = create_engine(self._url, future=True)

            @event.listens_for(engine, "connect")
            def on_connect(dbapi_connection: Any, _record: Any) -> None:
                cursor = dbapi_connection.cursor()
                cursor.execute("PRAGMA busy_timeout = 60000")
                cursor.execute("PRAGMA secure_delete = ON")
                cursor.execute("PRAGMA journal_mode = DELETE")
                cursor.close()
        else:
            engine = create_engine(self._url, future=True)
        try:
            with engine.begin() as connection:
                if self.backend == "postgresql":
                    schema = connection.execute(text("SELECT current_schema()")).scalar_one()
                    self._schema = key_schema(schema)
                    self.where = f"key store (schema {self._schema})"
                    exists = connection.execute(
                        text("SELECT 1 FROM pg_namespace WHERE nspname = :name"),
                        {"name": self._schema},
                    ).first()
                    if exists is None and not create:
                        raise KeyStoreUnavailable(
                            f"the {self.where} is missing: personal data cannot be read "
                            "without it (restore it from its backup)"
                        )
                    if exists is None:
                        connection.execute(text("SELECT pg_advisory_xact_lock(4242003)"))
                        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{self._schema}"'))
                blob = "BYTEA" if self.backend == "postgresql" else "BLOB"
                if self.backend == "postgresql" and all(
                    connection.execute(
                        text("SELECT to_regclass(:name)"), {"name": self._table(table)}
                    ).scalar()
                    is not None
                    for table in ("data_keys", "key_store_meta")
                ):
                    # There already: a writer role, which may not create tables in the
                    # key store's schema, is not asked to.
                    return self._keep(engine)
                connection.execute(
                    text(
                        f"CREATE TABLE IF NOT EXISTS {self._table('data_keys')} ("
                        "key_id VARCHAR(64) PRIMARY KEY, owner VARCHAR(64) NOT NULL, "
                        f"subject VARCHAR(200) NOT NULL, material {blob} NOT NULL, "
                        "wrapped INTEGER NOT NULL, created_at VARCHAR(40) NOT NULL, "
                        "UNIQUE (owner, subject))"
                    )
                )
                connection.execute(
                    text(
                        f"CREATE TABLE IF NOT EXISTS {self._table('key_store_meta')} ("
                        f"name VARCHAR(40) PRIMARY KEY, value {blob} NOT NULL)"
                    )
                )
        except KeyStoreUnavailable:
            engine.dispose()
            raise
        except (sqlalchemy.exc.SQLAlchemyError, sqlite3.Error) as error:
            engine.dispose()
            raise KeyStoreUnavailable(
                f"the {self.where} is damaged or cannot be opened: {_first_line(error)}"
            ) from None
        return self._keep(engine)

    def _keep(self, engine: Engine) -> Engine:
        self._engine = engine
        return engine

    def _run(self, create: bool, work: Any) -> Any:
        engine = self._connect(create)
        try:
            with engine.begin() as connection:
                return work(connection)
        except KeyStoreUnavailable:
            raise
        except (sqlalchemy.exc.SQLAlchemyError, sqlite3.Error) as error:
            if isinstance(error, sqlalchemy.exc.IntegrityError):
                raise
            raise KeyStoreUnavailable(
                f"the {self.where} is damaged or cannot be read: {_first_line(error)}"
            ) from None

    def _master(self, connection: Any) -> bytes | None:
        """The master key, checked against the store (adopted by an empty store)."""
        given = master_key()
        check = connection.execute(
            text(f"SELECT value FROM {self._table('key_store_meta')} WHERE name = 'check'")
        ).first()
        if check is None:
            if given is None:
                return None
            any_key = connection.execute(
                text(f"SELECT 1 FROM {self._table('data_keys')} LIMIT 1")
            ).first()
            if any_key is not None:
                raise KeyStoreUnavailable(
                    f"the {self.where} was made without a master key, but "
                    f"{MASTER_KEY_ENV} names one: unset it"
                )
            nonce = secrets.token_bytes(NONCE_BYTES)
            value = nonce + AESGCM(given[0]).encrypt(nonce, _CHECK_TEXT, None)
            connection.execute(
                text(f"INSERT INTO {self._table('key_store_meta')} VALUES ('check', :value)"),
                {"value": value},
            )
            return given[0]
        if given is None:
            raise KeyStoreUnavailable(
                f"the {self.where} is protected by a master key: set {MASTER_KEY_ENV} "
                "to the file that holds it"
            )
        stored = bytes(check.value)
        try:
            AESGCM(given[0]).decrypt(stored[:NONCE_BYTES], stored[NONCE_BYTES:], None)
        except InvalidTag:
            raise KeyStoreUnavailable(
                f"the master key in {given[1]} does not open the {self.where}"
            ) from None
        return given[0]

    def check_master(self, create: bool = True) -> None:
        """Fail now, before anything is written, if the master key is missing or wrong."""
        if not self._checked:
            self._run(create, self._master)
            self._checked = True

    # ------------------------------------------------------------------- keys
    def key_for(self, owner: str, subject: str) -> str:
        """The id of ``subject``'s key for ``owner`` (a case), made if there is none."""
        return self.keys_for([(owner, subject)])[(owner, subject)]

    def keys_for(self, wanted: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
        """The key ids of many (owner, subject) pairs, made where missing, in one go:
        one query for the owners' keys (in slices), one insert for the missing ones."""
        pairs = list(dict.fromkeys(wanted))

        def work(connection: Any) -> dict[tuple[str, str], str]:
            master = self._master(connection)
            found: dict[tuple[str, str], str] = {}
            owners = sorted({owner for owner, _subject in pairs})
            query = text(
                f"SELECT key_id, owner, subject, material, wrapped FROM "
                f"{self._table('data_keys')} WHERE owner IN :owners"
            ).bindparams(bindparam("owners", expanding=True))
            for offset in range(0, len(owners), OWNERS_PER_QUERY):
                some = owners[offset : offset + OWNERS_PER_QUERY]
                for row in connection.execute(query, {"owners": some}):
                    key_id = str(row.key_id)
                    found[(str(row.owner), str(row.subject))] = key_id
                    if key_id not in self._keys:
                        self._keys[key_id] = self._unwrap(master, key_id, row)
            made = [self._new_key(master, *pair) for pair in pairs if pair not in found]
            if made:
                connection.execute(
                    text(
                        f"INSERT INTO {self._table('data_keys')} VALUES "
                        "(:key_id, :owner, :subject, :material, :wrapped, :created_at)"
                    ),
                    made,
                )
                for row in made:
                    found[(row["owner"], row["subject"])] = row["key_id"]
            return {pair: found[pair] for pair in pairs}

        for _attempt in range(3):
            try:
                return dict(self._run(True, work))
            except sqlalchemy.exc.IntegrityError:
                continue  # another writer made the same subject's key at the same moment
        raise KeyStoreUnavailable(f"the {self.where} could not make the keys it was asked for")

    def _new_key(self, master: bytes | None, owner: str, subject: str) -> dict[str, Any]:
        """A new data key's row (wrapped under ``master`` if there is one); the key is
        kept for this process."""
        key_id = secrets.token_hex(16)
        key = AESGCM.generate_key(bit_length=256)
        material = key
        if master is not None:
            nonce = secrets.token_bytes(NONCE_BYTES)
            material = nonce + AESGCM(master).encrypt(nonce, key, key_id.encode())
        self._keys[key_id] = key
        return {
            "key_id": key_id,
            "owner": owner,
            "subject": subject,
            "material": material,
            "wrapped": int(master is not None),
            "created_at": datetime.now(UTC).isoformat(),
        }

    def _key(self, key_id: str) -> bytes | None:
        if key_id in self._keys:
            return self._keys[key_id]

        def work(connection: Any) -> bytes | None:
            master = self._master(connection)
            row = connection.execute(
                text(
                    f"SELECT material, wrapped FROM {self._table('data_keys')} "
                    "WHERE key_id = :key_id"
                ),
                {"key_id": key_id},
            ).first()
            if row is None:
                return None
            return self._unwrap(master, key_id, row)

        key = self._run(False, work)
        if key is not None:
            self._keys[key_id] = key
        return key  # type: ignore[no-any-return]

    def _unwrap(self, master: bytes | None, key_id: str, row: Any) -> bytes:
        material = bytes(row.material)
        if not row.wrapped:
            return material
        if master is None:  # pragma: no cover - _master refuses first
            raise KeyStoreUnavailable(f"the {self.where} needs its master key")
        try:
            return AESGCM(master).decrypt(
                material[:NONCE_BYTES], material[NONCE_BYTES:], key_id.encode()
            )
        except InvalidTag:
            raise KeyStoreUnavailable(
                f"key {key_id} in the {self.where} does not open with the master key"
            ) from None

    def seal(self, key_id: str, plain: str, bound_to: str) -> Sealed:
        key = self._key(key_id)
        if key is None:
            raise KeyStoreUnavailable(f"key {key_id} is not in the {self.where}")
        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = AESGCM(key).encrypt(nonce, plain.encode(), bound_to.encode())
        return Sealed(_b64(nonce), _b64(sealed))

    def open(self, key_id: str, sealed: Sealed, bound_to: str) -> str | None:
        """The text, or ``None`` if its key is no longer in the store (destroyed)."""
        key = self._key(key_id)
        if key is None:
            return None
        try:
            plain = AESGCM(key).decrypt(
                base64.b64decode(sealed.nonce),
                base64.b64decode(sealed.ciphertext),
                bound_to.encode(),
            )
        except (InvalidTag, binascii.Error, ValueError):
            raise KeyStoreUnavailable(
                f"a note sealed under key {key_id} does not open: it was altered or moved"
            ) from None
        return plain.decode()

    def destroy(self, owner: str, subjects: list[str] | None) -> int:
        """Delete ``owner``'s keys of ``subjects`` (every one if None) so that they cannot
        be recovered from the store, and say how many there were."""

        def work(connection: Any) -> int:
            rows = connection.execute(
                text(f"SELECT key_id, subject FROM {self._table('data_keys')} WHERE owner = :o"),
                {"o": owner},
            ).all()
            doomed = [r.key_id for r in rows if subjects is None or r.subject in subjects]
            for key_id in doomed:
                connection.execute(
                    text(f"DELETE FROM {self._table('data_keys')} WHERE key_id = :key_id"),
                    {"key_id": key_id},
                )
                self._keys.pop(key_id, None)
            return len(doomed)

        count = int(self._run(False, work))
        self._compact()
        return count

    def _compact(self) -> None:
        """Rewrite the store so that deleted keys leave no bytes behind."""
        engine = self._connect(False)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            if self.backend == "sqlite":
                connection.exec_driver_sql("VACUUM")
            else:
                # Needs the table's owner; for another role PostgreSQL warns and skips,
                # and autovacuum reclaims the space later (ADR 0021).
                connection.exec_driver_sql(f"VACUUM FULL {self._table('data_keys')}")

    def rows(self) -> tuple[list[dict[str, Any]], bytes | None]:
        """Every key as stored (wrapped if the store has a master key) and the store's
        master-key check value: what a backup holds."""

        def work(connection: Any) -> tuple[list[dict[str, Any]], bytes | None]:
            keys = connection.execute(
                text(
                    "SELECT key_id, owner, subject, material, wrapped, created_at "
                    f"FROM {self._table('data_keys')} ORDER BY created_at, key_id"
                )
            ).all()
            check = connection.execute(
                text(f"SELECT value FROM {self._table('key_store_meta')} WHERE name = 'check'")
            ).first()
            found = [dict(row._mapping) | {"material": bytes(row.material)} for row in keys]
            return found, None if check is None else bytes(check.value)

        return self._run(False, work)  # type: ignore[no-any-return]

    def add_rows(self, rows: list[dict[str, Any]], check: bytes | None) -> int:
        """Add keys from a backup (the ones not here yet); refused if the backup was made
        under another master key than this store's. How many were added."""

        def work(connection: Any) -> int:
            mine = connection.execute(
                text(f"SELECT value FROM {self._table('key_store_meta')} WHERE name = 'check'")
            ).first()
            here = connection.execute(
                text(f"SELECT key_id FROM {self._table('data_keys')}")
            ).all()
            if mine is None and check is not None and here:
                raise KeyStoreUnavailable(
                    f"the backup's keys are wrapped by a master key but the {self.where} "
                    "holds keys without one"
                )
            if mine is not None and check != bytes(mine.value):
                raise KeyStoreUnavailable(
                    f"the backup was made under another master key than the {self.where}'s"
                )
            if mine is None and check is not None:
                connection.execute(
                    text(f"INSERT INTO {self._table('key_store_meta')} VALUES ('check', :v)"),
                    {"v": check},
                )
            present = {r.key_id for r in here}
            added = 0
            for row in rows:
                if row["key_id"] in present:
                    continue
                connection.execute(
                    text(
                        f"INSERT INTO {self._table('data_keys')} VALUES (:key_id, :owner, "
                        ":subject, :material, :wrapped, :created_at)"
                    ),
                    row,
                )
                added += 1
            return added

        return int(self._run(True, work))

    def exists(self) -> bool:
        """Whether the store is there (without making it)."""
        if self._engine is not None:
            return True
        if self.path is not None:
            return self.path.exists()
        try:
            self._connect(False)
        except KeyStoreUnavailable:
            return False
        return True

    def create(self) -> str:
        """Make the store if it is not there yet; where it is."""
        self._connect(True)
        return self.where

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


def _first_line(error: BaseException) -> str:
    message = str(getattr(error, "orig", None) or error).strip()
    return message.splitlines()[0] if message else type(error).__name__
