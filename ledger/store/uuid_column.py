"""The event log's UUID column, our own (ADR 0047).

The storage library (``eventsourcing_sqlalchemy.models``) declares its ``originator_id``
columns with ``sqlalchemy_utils``' ``UUIDType``, and importing that one class loads the
whole of ``sqlalchemy_utils`` (its password, encrypted, phone-number... types, with
``cryptography``, ``dateutil``, PostgreSQL's asyncpg dialect and ``asyncio``): about a
third of a command's start-up beyond the import floor. :class:`UUIDColumn` is the few
lines of that type the ledger's tables use (native, binary: the library's default), so
the values it stores are the same bytes as before on both engines:

- SQLite: ``BINARY(16)``, the UUID's 16 bytes (``uuid.bytes``);
- PostgreSQL: the native ``uuid`` type, bound as the UUID's text.

:func:`use_for_the_event_log` offers it to the library under the name it imports
(``sqlalchemy_utils.types.uuid``), before the library is first imported; an already
imported ``sqlalchemy_utils`` (the real one) is left as it is: it stores the same bytes.
"""

from __future__ import annotations

import sys
import types as modules
import uuid
from typing import Any

from sqlalchemy import types
from sqlalchemy.engine import Dialect

#: The module the storage library imports its UUID column type from.
LIBRARY_MODULE = "sqlalchemy_utils.types.uuid"
#: Engines whose UUIDs are stored in their native ``uuid`` type (as text on the wire).
NATIVE = frozenset({"postgresql", "cockroachdb"})


class UUIDColumn(types.TypeDecorator[uuid.UUID]):
    """A UUID stored natively on PostgreSQL and as its 16 bytes elsewhere (SQLite),
    as ``sqlalchemy_utils.UUIDType()`` stores it. Given text or 16 bytes, it reads
    them as a UUID first."""

    impl = types.BINARY(16)
    cache_ok = True

    @property
    def python_type(self) -> type[uuid.UUID]:
        return uuid.UUID

    def load_dialect_impl(self, dialect: Dialect) -> types.TypeEngine[Any]:
        if dialect.name in NATIVE:
            return dialect.type_descriptor(types.UUID())
        return dialect.type_descriptor(types.BINARY(16))

    @staticmethod
    def _coerce(value: Any) -> uuid.UUID:
        if isinstance(value, uuid.UUID):
            return value
        try:
            return uuid.UUID(value)
        except (TypeError, ValueError, AttributeError):
            return uuid.UUID(bytes=value)

    def process_literal_param(self, value: Any, dialect: Dialect) -> str:
        return value  # type: ignore[no-any-return]

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        value = self._coerce(value)
        if dialect.name in NATIVE:
            return str(value)
        return value.bytes

    def process_result_value(self, value: Any, dialect: Dialect) -> uuid.UUID | None:
        if value is None:
            return None
        if dialect.name in NATIVE:
            return value if isinstance(value, uuid.UUID) else uuid.UUID(value)
        return uuid.UUID(bytes=value)


def use_for_the_event_log() -> None:
    """Offer :class:`UUIDColumn` to the storage library as ``UUIDType`` (it imports
    ``from sqlalchemy_utils.types.uuid import UUIDType`` and calls ``UUIDType()``),
    unless that module is already loaded."""
    if LIBRARY_MODULE in sys.modules:
        return
    module = modules.ModuleType(LIBRARY_MODULE, "The ledger's UUID column (ADR 0047).")
    module.UUIDType = UUIDColumn  # type: ignore[attr-defined]
    sys.modules[LIBRARY_MODULE] = module
