"""Registers of the council's teams and service areas: the names reports may print.

A register lists each name once, with the other spellings that mean it (aliases, such
as an abbreviation or a name from before a restructure) and, for restructures, the
dates it was in use. A name is recorded as its register name; a name that is not in
the register, or not in use on the step's effective date, is refused with the nearest
register names. Names match whatever their case and spacing (``children in  need`` is
``Children in Need``).

Without a register any name is accepted (the application warns about new ones).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from domain import errors

TEAM = "team"
SERVICE_AREA = "service-area"
#: Commissioned or contracted providers a complaint can be about (ADR 0039).
PROVIDER = "provider"
KINDS = (TEAM, SERVICE_AREA, PROVIDER)
#: How each kind is named in messages.
LABELS = {TEAM: "team", SERVICE_AREA: "service area", PROVIDER: "provider"}
#: The refusal of a name that is not in each kind's register.
REFUSALS: dict[str, type[errors.BadData]] = {
    TEAM: errors.UnknownTeam,
    SERVICE_AREA: errors.UnknownServiceArea,
    PROVIDER: errors.UnknownProvider,
}
#: How close a name must be to be offered as "did you mean" (difflib's ratio).
NEAR = 0.6
MAX_SUGGESTIONS = 3


def normal(name: str) -> str:
    """The form names are compared in: any case, runs of spaces as one."""
    return " ".join(name.split()).casefold()


def tidy(kind: str, name: str) -> str:
    """``name`` without surrounding or repeated spaces; blank is bad data."""
    text = " ".join(name.split())
    if not text:
        raise errors.BadData(f"{LABELS[kind]} must not be blank")
    return text


def near_matches(name: str, candidates: Iterable[str], n: int = MAX_SUGGESTIONS) -> list[str]:
    """The candidates closest to ``name`` (compared in normal form), best first."""
    by_normal: dict[str, str] = {}
    for candidate in candidates:
        by_normal.setdefault(normal(candidate), candidate)
    wanted = normal(name)
    close = difflib.get_close_matches(wanted, list(by_normal), n=n, cutoff=NEAR)
    return [by_normal[c] for c in close]


def did_you_mean(names: list[str]) -> str:
    if not names:
        return ""
    quoted = [f"'{n}'" for n in names]
    if len(quoted) == 1:
        return f"; did you mean {quoted[0]}?"
    return f"; did you mean {', '.join(quoted[:-1])} or {quoted[-1]}?"


@dataclass(frozen=True)
class RegisterEntry:
    """One name in a register, the spellings that mean it and when it is in use."""

    name: str
    aliases: tuple[str, ...] = ()
    valid_from: date | None = None
    valid_until: date | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise errors.BadData("a register entry needs a name")
        for alias in self.aliases:
            if not isinstance(alias, str) or not alias.strip():
                raise errors.BadData(f"{self.name!r}: an alias must be a name")
        for bound in (self.valid_from, self.valid_until):
            if bound is not None and not isinstance(bound, date):
                raise errors.BadData(f"{self.name!r}: {bound!r} is not a date")
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise errors.BadData(
                f"{self.name!r}: valid_until {self.valid_until.isoformat()} is before "
                f"valid_from {self.valid_from.isoformat()}"
            )

    def valid_on(self, on: date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_until is None or on <= self.valid_until
        )

    def validity(self) -> str:
        if self.valid_from and self.valid_until:
            return f"in use from {self.valid_from.isoformat()} to {self.valid_until.isoformat()}"
        if self.valid_from:
            return f"in use from {self.valid_from.isoformat()}"
        if self.valid_until:
            return f"in use until {self.valid_until.isoformat()}"
        return "always in use"


@dataclass(frozen=True)
class Register:
    """The names of one kind (teams or service areas) that may be recorded."""

    kind: str
    entries: tuple[RegisterEntry, ...] = ()
    _index: dict[str, RegisterEntry] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise errors.BadData(f"no register of {self.kind!r}; expected one of {KINDS}")
        index: dict[str, RegisterEntry] = {}
        for entry in self.entries:
            for spelling in (entry.name, *entry.aliases):
                key = normal(spelling)
                other = index.get(key)
                if other is not None and other is not entry:
                    if normal(other.name) == normal(entry.name):
                        raise errors.BadData(
                            f"register of {self.label}s: {entry.name!r} is listed twice"
                        )
                    raise errors.BadData(
                        f"register of {self.label}s: {spelling!r} is given for both "
                        f"{other.name!r} and {entry.name!r}"
                    )
                index[key] = entry
        object.__setattr__(self, "_index", index)

    @property
    def label(self) -> str:
        return LABELS[self.kind]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(entry.name for entry in self.entries)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and normal(name) in self._index

    def entry(self, name: str) -> RegisterEntry | None:
        return self._index.get(normal(name))

    def resolve(self, name: str, on: date) -> str:
        """The register name that ``name`` means on ``on``; refused (with the nearest
        names) when it is not in the register or not in use that day."""
        text = tidy(self.kind, name)
        refusal = REFUSALS[self.kind]
        entry = self.entry(text)
        if entry is None:
            in_use = [e for e in self.entries if e.valid_on(on)] or list(self.entries)
            spellings = [s for e in in_use for s in (e.name, *e.aliases)]
            suggestions = list(
                dict.fromkeys(self._entry_of(s).name for s in near_matches(text, spellings))
            )
            hint = did_you_mean(suggestions) or f"; see complaints {self.kind}s"
            raise refusal(f"{self.label} '{text}' is not in the register of {self.label}s{hint}")
        if not entry.valid_on(on):
            current = [e.name for e in self.entries if e.valid_on(on)]
            suggestions = near_matches(entry.name, current)
            said = f"'{text}'"
            if normal(text) != normal(entry.name):
                said += f" ('{entry.name}')"
            raise refusal(
                f"{self.label} {said} is not in use on {on.isoformat()} "
                f"({entry.validity()}){did_you_mean(suggestions)}"
            )
        return entry.name

    def _entry_of(self, spelling: str) -> RegisterEntry:
        return self._index[normal(spelling)]
