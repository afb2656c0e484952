"""Council settings: closure days, timescales, taxonomy additions, reference prefix,
registers of teams and service areas, the retention schedule of personal data.

Read from a TOML file named by ``--config`` or ``COMPLAINTS_CONFIG``, else
``complaints.toml`` in the current directory if there is one; defaults otherwise.
See ``examples/complaints.toml`` for every setting.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from domain.calendar import WorkingDayCalendar
from domain.errors import BadData
from domain.procedure import (
    TIMESCALE_PRESETS,
    ProcedurePolicy,
    StageTimescale,
    Taxonomy,
    TimescaleChange,
    Timescales,
)
from domain.registers import PROVIDER, SERVICE_AREA, TEAM, Register, RegisterEntry
from domain.reminders import Owner, Owners, ReminderRules, check_address
from domain.retention import RetentionSchedule
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
        section = dict(data.get("timescales", {}))
        changes = section.pop("changes", [])
        timescales = _timescales(section)
        timescale_changes = _timescale_changes(changes, timescales)
        taxonomy = Taxonomy().extended(data.get("taxonomy", {}))
        prefix = str(data.get("references", {}).get("prefix", "CSC"))
    except (TypeError, ValueError) as error:
        raise BadData(f"{source}: {error}") from None
    registers = _registers(data.get("registers", {}), source)
    retention = _retention(data.get("retention", {}), source)
    return ProcedurePolicy(
        retention=retention,
        calendar=calendar,
        timescales=timescales,
        taxonomy=taxonomy,
        reference_prefix=prefix,
        teams=registers.get(TEAM),
        service_areas=registers.get(SERVICE_AREA),
        providers=registers.get(PROVIDER),
        timescale_changes=timescale_changes,
    )


RETENTION_KEYS = ("closed_years", "ombudsman_years")


def _retention(section: Any, source: str) -> RetentionSchedule:
    """The ``[retention]`` table: ``closed_years`` and ``ombudsman_years``."""
    if not isinstance(section, dict):
        raise BadData(f"{source}: [retention] must be a table")
    unknown = sorted(set(section) - set(RETENTION_KEYS))
    if unknown:
        raise BadData(
            f"{source}: unknown retention setting {unknown[0]!r}; "
            f"expected {', '.join(RETENTION_KEYS)}"
        )
    try:
        return RetentionSchedule(**section)
    except BadData as error:
        raise BadData(f"{source}: {error}") from None


#: The ``[registers]`` keys and the kind of name each lists.
REGISTER_KEYS = {
    "teams": TEAM,
    "service_areas": SERVICE_AREA,
    "service-areas": SERVICE_AREA,
    "providers": PROVIDER,
}
ENTRY_KEYS = ("name", "aliases", "valid_from", "valid_until")


def _registers(section: Any, source: str) -> dict[str, Register]:
    """The ``[registers]`` table: ``teams`` and ``service_areas``, each a list of names
    or of tables with ``name`` and optional ``aliases``, ``valid_from``, ``valid_until``."""
    if not isinstance(section, dict):
        raise BadData(f"{source}: [registers] must be a table with teams and service_areas")
    registers: dict[str, Register] = {}
    for key, items in section.items():
        kind = REGISTER_KEYS.get(key)
        if kind is None:
            raise BadData(
                f"{source}: unknown register {key!r}; expected teams, service_areas or providers"
            )
        where = f"{source}: register of {key.replace('_', ' ')}"
        if kind in registers:
            raise BadData(f"{where} is given twice")
        if not isinstance(items, list) or not items:
            raise BadData(f"{where} must be a list of names (leave it out to accept any name)")
        entries = []
        for number, item in enumerate(items, start=1):
            try:
                entries.append(_register_entry(item))
            except BadData as error:
                raise BadData(f"{where}, entry {number}: {error.message}") from None
        try:
            registers[kind] = Register(kind, tuple(entries))
        except BadData as error:
            raise BadData(f"{source}: {error.message}") from None
    return registers


def _register_entry(item: Any) -> RegisterEntry:
    if isinstance(item, str):
        return RegisterEntry(" ".join(item.split()))
    if not isinstance(item, dict):
        raise BadData(f"{item!r} is neither a name nor a table with a name")
    unknown = [k for k in item if k not in ENTRY_KEYS]
    if unknown:
        raise BadData(f"unknown key {unknown[0]!r}; expected {', '.join(ENTRY_KEYS)}")
    name = item.get("name")
    if not isinstance(name, str):
        raise BadData('a name is required (name = "...")')
    aliases = item.get("aliases", [])
    if isinstance(aliases, str):
        aliases = [aliases]
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise BadData(f"{name!r}: aliases must be a list of names")
    bounds: dict[str, date | None] = {}
    for key in ("valid_from", "valid_until"):
        value = item.get(key)
        if isinstance(value, datetime):
            value = value.date()
        try:
            bounds[key] = None if value is None else _as_date(value)
        except ValueError:
            raise BadData(f"{name!r}: {key} {value!r} is not a date (YYYY-MM-DD)") from None
    return RegisterEntry(
        " ".join(name.split()),
        tuple(" ".join(a.split()) for a in aliases),
        valid_from=bounds["valid_from"],
        valid_until=bounds["valid_until"],
    )


def _as_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _timescales(section: dict[str, Any], before: Timescales | None = None) -> Timescales:
    """``before`` (default: the documented defaults) with the keys of ``section``."""
    base = Timescales() if before is None else before
    known = {f.name for f in fields(Timescales)}
    changes: dict[str, Any] = {}
    for key, value in section.items():
        if key not in known:
            raise BadData(f"unknown timescale {key!r}")
        current = getattr(base, key)
        if isinstance(current, StageTimescale):
            if not isinstance(value, dict):
                raise BadData(f"timescale {key!r}: expected a table")
            for name, inner in value.items():
                _check_type(f"{key}.{name}", inner, getattr(current, name, None))
            changes[key] = replace(current, **value)
        else:
            _check_type(key, value, current)
            changes[key] = value
    return replace(base, **changes)


def _check_type(key: str, value: Any, like: Any) -> None:
    """Refuse a setting whose value is not of the kind its default is (``None``
    defaults take a whole number)."""
    expected = int if like is None else type(like)
    if isinstance(value, bool) != (expected is bool) or not isinstance(value, expected):
        raise BadData(f"timescale {key!r}: expected {expected.__name__}, got {value!r}")


def _timescale_changes(entries: Any, first: Timescales) -> tuple[TimescaleChange, ...]:
    """``[[timescales.changes]]``: from a date, cases follow the timescales before it
    with a preset (``preset = "code-2026"``) and any keys of ``[timescales]`` applied."""
    if not isinstance(entries, list):
        raise BadData("timescales.changes must be a list of tables, each with a 'from' date")
    found: list[TimescaleChange] = []
    current = first
    for entry in entries:
        if not isinstance(entry, dict) or "from" not in entry:
            raise BadData("each of timescales.changes needs a 'from' date")
        entry = dict(entry)
        effective = _as_date(entry.pop("from"))
        preset = entry.pop("preset", None)
        if preset is not None:
            if preset not in TIMESCALE_PRESETS:
                raise BadData(
                    f"unknown timescale preset {preset!r}; "
                    f"expected {', '.join(TIMESCALE_PRESETS)}"
                )
            current = TIMESCALE_PRESETS[preset](current)
        current = _timescales(entry, current)
        found.append(TimescaleChange(effective, current))
    return tuple(found)


# ------------------------------------------------------------------ reminders (ADR 0033)
OWNER_KEYS = (
    "team",
    "service_area",
    "manager",
    "escalation",
    "deputy",
    "valid_from",
    "valid_until",
)


@dataclass(frozen=True)
class ReminderSettings:
    """Who answers for each team and service area, and when they are told."""

    owners: Owners = field(default_factory=Owners)
    rules: ReminderRules = field(default_factory=ReminderRules)


def load_reminder_settings(explicit: str | None = None) -> ReminderSettings:
    data, source = _read(explicit)
    return reminders_from_settings(data, source)


def reminders_from_settings(data: dict[str, Any], source: str = "settings") -> ReminderSettings:
    """``[[owners]]`` (each with ``team`` or ``service_area``, ``manager``,
    ``escalation``, optional ``deputy``, ``valid_from``, ``valid_until``) and
    ``[reminders]`` (the days of :class:`ReminderRules`)."""
    entries = data.get("owners", [])
    if not isinstance(entries, list):
        raise BadData(f"{source}: owners must be a list of tables ([[owners]])")
    owners = []
    for number, entry in enumerate(entries, start=1):
        try:
            owners.append(_owner(entry))
        except BadData as error:
            raise BadData(f"{source}: owners, entry {number}: {error.message}") from None
    for number, owner in enumerate(owners, start=1):
        for other in owners[: number - 1]:
            if (owner.team, owner.service_area) == (other.team, other.service_area) and _overlap(
                owner, other
            ):
                what = owner.team or owner.service_area
                raise BadData(
                    f"{source}: owners, entry {number}: {what!r} already has an owner "
                    "on some of those dates"
                )
    section = data.get("reminders", {})
    if not isinstance(section, dict):
        raise BadData(f"{source}: [reminders] must be a table")
    known = [f.name for f in fields(ReminderRules)]
    unknown = sorted(set(section) - set(known))
    if unknown:
        raise BadData(
            f"{source}: unknown reminders setting {unknown[0]!r}; expected {', '.join(known)}"
        )
    try:
        rules = ReminderRules(**section)
    except BadData as error:
        raise BadData(f"{source}: {error.message}") from None
    return ReminderSettings(Owners(tuple(owners)), rules)


def _overlap(one: Owner, other: Owner) -> bool:
    starts_in_time = (
        one.valid_until is None or other.valid_from is None or other.valid_from <= one.valid_until
    )
    ends_in_time = (
        other.valid_until is None or one.valid_from is None or one.valid_from <= other.valid_until
    )
    return starts_in_time and ends_in_time


def _owner(item: Any) -> Owner:
    if not isinstance(item, dict):
        raise BadData(f"{item!r} is not a table with a team, a manager and an escalation")
    unknown = [k for k in item if k not in OWNER_KEYS]
    if unknown:
        raise BadData(f"unknown key {unknown[0]!r}; expected {', '.join(OWNER_KEYS)}")
    team, area = item.get("team"), item.get("service_area")
    if (team is None) == (area is None):
        raise BadData("give a team or a service_area (one of them)")
    name = team if team is not None else area
    if not isinstance(name, str) or not name.strip():
        raise BadData(f"{name!r} is not a name")
    name = " ".join(name.split())
    for key in ("manager", "escalation"):
        if key not in item:
            raise BadData(f"{name!r}: {key} is required (an e-mail address)")
    manager = check_address(f"{name!r}: manager", item["manager"])
    escalation = check_address(f"{name!r}: escalation", item["escalation"])
    deputy = item.get("deputy")
    if deputy is not None:
        deputy = check_address(f"{name!r}: deputy", deputy)
    bounds: dict[str, date | None] = {}
    for key in ("valid_from", "valid_until"):
        value = item.get(key)
        if isinstance(value, datetime):
            value = value.date()
        try:
            bounds[key] = None if value is None else _as_date(value)
        except ValueError:
            raise BadData(f"{name!r}: {key} {value!r} is not a date (YYYY-MM-DD)") from None
    start, end = bounds["valid_from"], bounds["valid_until"]
    if start is not None and end is not None and end < start:
        raise BadData(f"{name!r}: valid_until {end} is before valid_from {start}")
    return Owner(
        manager=manager,
        escalation=escalation,
        team=name if team is not None else None,
        service_area=name if area is not None else None,
        deputy=deputy,
        valid_from=start,
        valid_until=end,
    )
