"""Council settings: closure days, timescales, taxonomy additions, reference prefix.

Read from a TOML file named by ``--config`` or ``COMPLAINTS_CONFIG``, else
``complaints.toml`` in the current directory if there is one; defaults otherwise.
See ``examples/complaints.toml`` for every setting.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import fields, replace
from datetime import date
from pathlib import Path
from typing import Any

from domain.calendar import WorkingDayCalendar
from domain.errors import BadData
from domain.procedure import ProcedurePolicy, StageTimescale, Taxonomy, Timescales
from reports.council import CouncilSettings, council_from_settings

DEFAULT_FILE = "complaints.toml"


def settings_path(explicit: str | None) -> Path | None:
    value = explicit or os.environ.get("COMPLAINTS_CONFIG")
    if value:
        path = Path(value)
        if not path.is_file():
            raise BadData(f"settings file {value} does not exist")
        return path
    default = Path(DEFAULT_FILE)
    return default if default.is_file() else None


def _read(explicit: str | None) -> tuple[dict[str, Any], str]:
    path = settings_path(explicit)
    if path is None:
        return {}, "defaults"
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")), str(path)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise BadData(f"settings file {path}: {error}") from None


def load_policy(explicit: str | None = None) -> ProcedurePolicy:
    data, source = _read(explicit)
    return policy_from_settings(data, source=source)


def load_settings(explicit: str | None = None) -> tuple[ProcedurePolicy, CouncilSettings]:
    """The procedure policy and the council's report settings from one file."""
    data, source = _read(explicit)
    return policy_from_settings(data, source=source), council_from_settings(data)


def policy_from_settings(data: dict[str, Any], source: str = "settings") -> ProcedurePolicy:
    try:
        calendar = WorkingDayCalendar(
            closure_days=frozenset(
                _as_date(d) for d in data.get("calendar", {}).get("closure_days", [])
            )
        )
        timescales = _timescales(data.get("timescales", {}))
        taxonomy = Taxonomy().extended(data.get("taxonomy", {}))
        prefix = str(data.get("references", {}).get("prefix", "CSC"))
    except (TypeError, ValueError) as error:
        raise BadData(f"{source}: {error}") from None
    return ProcedurePolicy(
        calendar=calendar, timescales=timescales, taxonomy=taxonomy, reference_prefix=prefix
    )


def _as_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _timescales(section: dict[str, Any]) -> Timescales:
    known = {f.name for f in fields(Timescales)}
    changes: dict[str, Any] = {}
    for key, value in section.items():
        if key not in known:
            raise BadData(f"unknown timescale {key!r}")
        if isinstance(value, dict):
            current: StageTimescale = getattr(Timescales(), key)
            changes[key] = replace(current, **value)
        else:
            changes[key] = value
    return replace(Timescales(), **changes)
