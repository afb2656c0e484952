"""One input language: dates, amounts and names as people write them.

The command line (and so ``batch``) and the legacy importer read every value through
these functions, so they accept the same things and say the same thing about a value
they refuse (ADR 0017):

* dates as ``YYYY-MM-DD`` or ``DD/MM/YYYY`` (a time after the date is read and ignored,
  as spreadsheets write one); an impossible date says why it is not a date;
* date-times the same, with an optional time ``HH:MM[:SS][+HH:MM]``; a bare date is the
  end of that day;
* amounts of pounds with or without ``£`` and commas between thousands, at most two
  decimal places, more than zero;
* names from a list (a taxonomy, or a fixed list such as the stage outcomes) by name or
  by label, in any case, with spaces, hyphens or underscores: the result is always the
  list's own name. An unknown name is refused with the nearest names;
* text (ADR 0025): no NUL and nothing that is not UTF-8 anywhere, no control characters
  in names (teams, actors, references, recommendation ids), at most ``MAX_TEXT``
  characters; dates from ``EARLIEST_YEAR`` to ``LATEST_YEAR``.

Pure: no I/O, no clock, no locale.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from decimal import Decimal
from uuid import UUID

from domain.errors import BadData, UnknownName

DATE_FORMS = "YYYY-MM-DD or DD/MM/YYYY (e.g. 2025-04-07 or 07/04/2025)"
MOMENT_FORMS = (
    "YYYY-MM-DD or DD/MM/YYYY, optionally followed by a time HH:MM[:SS][+00:00] "
    "(e.g. 2025-04-07, 07/04/2025 or 2025-04-07T17:30)"
)
AMOUNT_FORMS = (
    "pounds and pence such as 250, 1345.50, 1,345.50 or £1,345.50 "
    "(commas only between thousands, at most two decimal places)"
)

_DAY_AND_TIME = re.compile(r"(?P<day>[0-9/\-]+)(?:(?:T|\s+)(?P<time>\S.*))?")
_ISO = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})")
_UK = re.compile(r"(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})")
# Digits 0 to 9 only: ``\d`` alone also matches other scripts' digits (ADR 0044).
_AMOUNT = re.compile(
    r"£?\s*(?P<pounds>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<pence>\d{1,2}))?", re.ASCII
)
_NEGATIVE = re.compile(r"(?:-\s*£?|£\s*-)\s*[\d.,]+", re.ASCII)
_NOT_A_KEY = re.compile(r"[\W_]+")
_RANGE = re.compile(r"(\d+)-(\d+)")

#: No complaint handled under the Children Act 1989 procedure is older than this.
EARLIEST_YEAR = 1990
#: Nor is any date the ledger holds (a due date, a step) later than this: a typing slip.
LATEST_YEAR = 2100
#: The longest text a step may hold (a summary, a reason, a recommendation's text).
MAX_TEXT = 20_000
#: The longest name (a team, a provider, an actor): what the read models' name columns
#: hold (``projections.tables.NAME``), so both engines refuse the same names (ADR 0044).
MAX_NAME = 200
#: Fields of a recorded step that are names: no control characters in them.
NAME_FIELDS = frozenset(
    {
        "actor",
        "ref",
        "team",
        "service_area",
        "recommendation_id",
        "owner",
        "person",
        "ombudsman_ref",
        "complaint_ref",
        "feedback_ref",
        "provider",  # ADR 0039
    }
)


# --------------------------------------------------------------------------- dates
def parse_date(text: str) -> date:
    """A date written ``YYYY-MM-DD`` or ``DD/MM/YYYY``.

    A time after the date (``2025-04-07 00:00:00``, as spreadsheets export dates) is
    checked and ignored. :class:`BadData` says whether the text is not written as a
    date, or is written as one that does not exist (``2025-02-30``), or is before
    :data:`EARLIEST_YEAR` or after :data:`LATEST_YEAR` (a moment, :func:`parse_moment`,
    is not bounded: ``--as-of`` a century back or ahead means nothing or everything).
    """
    day, _moment = _day_and_time(text, DATE_FORMS, "date")
    if day.year < EARLIEST_YEAR:
        raise BadData(
            f"{day.isoformat()} is before {EARLIEST_YEAR}: the ledger holds nothing that early"
        )
    if day.year > LATEST_YEAR:
        raise BadData(
            f"{day.isoformat()} is after {LATEST_YEAR}: the ledger holds nothing that late"
        )
    return day


def parse_moment(text: str) -> datetime:
    """A date-time; a bare date (either form) is the end of that day.

    The result has the time zone written (``+01:00``, ``Z``), else none: the caller
    decides which zone a naive time is in.
    """
    day, moment = _day_and_time(text, MOMENT_FORMS, "date or date-time")
    return datetime.combine(day, moment if moment is not None else time.max)


def _day_and_time(text: str, forms: str, what: str) -> tuple[date, time | None]:
    value = str(text).strip()
    if not value:
        raise BadData(f"a {what} is needed: write {forms}")
    whole = _DAY_AND_TIME.fullmatch(value)
    written = whole and (_ISO.fullmatch(whole["day"]) or _UK.fullmatch(whole["day"]))
    if not whole or not written:
        raise BadData(f"{value!r} is not a {what}: write {forms}")
    year, month, day = (int(written[part]) for part in ("year", "month", "day"))
    try:
        found = date(year, month, day)
    except ValueError:
        raise BadData(f"{whole['day']} is not a date ({_why_not(year, month, day)})") from None
    moment: time | None = None
    if whole["time"] is not None:
        clock = whole["time"].strip().replace("Z", "+00:00")
        try:
            moment = time.fromisoformat(clock)
        except ValueError:
            raise BadData(f"{value!r} is not a {what}: write {forms}") from None
    return found, moment


def _why_not(year: int, month: int, day: int) -> str:
    if year < 1:
        return "years start at 1"
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    if day < 1:
        return "days of the month start at 1"
    length = calendar.monthrange(year, month)[1]
    return f"{calendar.month_name[month]} {year} has {length} days"


# ------------------------------------------------------------------------- amounts
def parse_amount(text: str) -> Decimal:
    """Pounds and pence: ``250``, ``1345.5``, ``1,345.50``, ``£1,345.50``; two places.

    Refused (:class:`BadData`): anything else, such as ``1,34.5`` (a comma not between
    thousands), ``12.345`` (three decimal places), negative amounts and zero.
    """
    value = str(text).strip()
    written = _AMOUNT.fullmatch(value)
    if _NEGATIVE.fullmatch(value):
        raise BadData(f"amount {value!r} must be more than zero")
    if not written:
        raise BadData(f"amount {value!r} is not an amount: write {AMOUNT_FORMS}")
    pounds = written["pounds"].replace(",", "")
    pence = (written["pence"] or "").ljust(2, "0")
    amount = Decimal(f"{pounds}.{pence}")
    if amount <= 0:
        raise BadData(f"amount {value!r} must be more than zero")
    return amount


# --------------------------------------------------------------------------- names
def name_key(text: str) -> str:
    """What is compared when a name is looked up: ``Partly upheld``, ``partly_upheld``
    and ``PARTLY-UPHELD`` are all ``partly-upheld``."""
    return _NOT_A_KEY.sub("-", str(text).casefold()).strip("-")


def default_label(name: str) -> str:
    """A name as words: ``poor-communication`` reads ``Poor communication``,
    ``12-15`` reads ``12 to 15``."""
    words = _RANGE.sub(r"\1 to \2", name.strip())
    words = re.sub(r"[\s_\-]+", " ", words).strip()
    return words[:1].upper() + words[1:]


def label(name: str, labels: Mapping[str, str] | None = None) -> str:
    """The label ``name`` is shown with: its label in ``labels`` (looked up by name,
    or by the name as the reports key it, ``partly_upheld``), else its words."""
    if labels:
        if name in labels:
            return labels[name]
        key = name_key(name)
        for known, text in labels.items():
            if name_key(known) == key:
                return text
    return default_label(name)


def resolve_name(
    kind: str, text: str, names: Iterable[str], labels: Mapping[str, str] | None = None
) -> str:
    """The name in ``names`` that ``text`` gives, by name or by label, in any case or
    spacing; :class:`UnknownName` with the nearest names if there is none."""
    allowed = tuple(names)
    key = name_key(text)
    if not key:
        raise BadData(f"a {kind} is needed: expected one of: {', '.join(allowed)}")
    for name in allowed:
        if name == text or name_key(name) == key:
            return name
    for name in allowed:
        if name_key(label(name, labels)) == key:
            return name
    raise UnknownName(unknown_name_message(kind, text, allowed, labels))


def resolve_names(
    kind: str, texts: Iterable[str], names: Iterable[str], labels: Mapping[str, str] | None = None
) -> list[str]:
    """Each of ``texts`` resolved (see :func:`resolve_name`), each name once, in order."""
    allowed = tuple(names)
    return list(dict.fromkeys(resolve_name(kind, text, allowed, labels) for text in texts))


def nearest_names(
    text: str, names: Iterable[str], labels: Mapping[str, str] | None = None, limit: int = 3
) -> list[str]:
    """Up to ``limit`` names in ``names`` whose name or label is nearest to ``text``."""
    import difflib

    by_key: dict[str, str] = {}
    for name in names:
        by_key.setdefault(name_key(name), name)
        by_key.setdefault(name_key(label(name, labels)), name)
    close = difflib.get_close_matches(name_key(text), list(by_key), n=limit * 2, cutoff=0.6)
    return list(dict.fromkeys(by_key[key] for key in close))[:limit]


def unknown_name_message(
    kind: str, text: str, names: Iterable[str], labels: Mapping[str, str] | None = None
) -> str:
    """``unknown reason 'poor comms'; did you mean poor-communication?`` (one line)."""
    allowed = tuple(names)
    near = nearest_names(text, allowed, labels)
    if near:
        return f"unknown {kind} {text!r}; did you mean {' or '.join(near)}?"
    return f"unknown {kind} {text!r}; expected one of: {', '.join(allowed)}"


# ---------------------------------------------------------------------------- text
#: Values of a step that hold no text and so need no check (their exact types: a
#: subclass, of str or anything else, goes through the full check).
PLAIN_VALUES = frozenset({type(None), bool, int, float, Decimal, date, datetime, time, UUID})
#: Fields of every stored step that no one types (the record's id, its version and
#: when the step was stored): never checked as text.
UNCHECKED_FIELDS = frozenset({"originator_id", "originator_version", "timestamp"})
#: A character that cannot be recorded in any text: NUL, or a surrogate (bytes that were
#: not UTF-8, as Python keeps them).
_REFUSED_IN_TEXT = re.compile(r"[\x00\ud800-\udfff]")
#: ... or in a name: those and every control character (Unicode's Cc, U+0000 to U+001F
#: and U+007F to U+009F; Zl, U+2028; Zp, U+2029).
_REFUSED_IN_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def text_problem(text: str, name: bool = False) -> str | None:
    """Why ``text`` cannot be recorded, or None: a NUL character, bytes that are not
    UTF-8 (kept by Python as surrogates), more than :data:`MAX_TEXT` characters, or
    (in a name) more than :data:`MAX_NAME` characters or a control character.

    Text that can be recorded is told by its length and one search of a precompiled
    character class; only refused text is looked at again, to say why."""
    if name:
        if len(text) <= MAX_NAME and _REFUSED_IN_NAME.search(text) is None:
            return None
    elif len(text) <= MAX_TEXT and _REFUSED_IN_TEXT.search(text) is None:
        return None
    return _why_refused(text, name)


def _why_refused(text: str, name: bool) -> str | None:
    """What :func:`text_problem` says of ``text``, the first problem found in this order."""
    if "\x00" in text:
        return "contains a NUL character"
    if any("\ud800" <= char <= "\udfff" for char in text):
        return "is not UTF-8 text"
    if len(text) > MAX_TEXT:
        return f"is {len(text):,} characters long; at most {MAX_TEXT:,} can be recorded"
    if name:
        if len(text) > MAX_NAME:
            return f"is {len(text):,} characters long; a name has at most {MAX_NAME}"
        for char in text:
            if unicodedata.category(char) in ("Cc", "Zl", "Zp"):
                return f"contains a control character (U+{ord(char):04X})"
    return None


def check_text(field: str, value: object, name: bool | None = None) -> None:
    """Refuse (:class:`BadData`) a value of a step's ``field`` that cannot be recorded
    (see :func:`text_problem`); lists and mappings are checked item by item."""
    kind = type(value)
    if kind in PLAIN_VALUES:
        return
    is_name = field in NAME_FIELDS if name is None else name
    if isinstance(value, str):
        problem = text_problem(value, is_name)
        if problem is not None:
            raise BadData(f"{field.replace('_', ' ')} {problem}")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            check_text(str(key), item, is_name or str(key) in NAME_FIELDS)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            check_text(field, item, is_name)
