"""The text check (domain/vocabulary.py, ADR 0048): one precompiled character class
decides what can be recorded; it accepts and refuses exactly what the character-by-
character check before it did, and says the same about what it refuses."""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum
from typing import Any
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import BadData
from domain.vocabulary import (
    MAX_NAME,
    MAX_TEXT,
    NAME_FIELDS,
    PLAIN_VALUES,
    check_text,
    text_problem,
)


# ------------------------------------------------- the check as it was before ADR 0048
def old_text_problem(text: str, name: bool = False) -> str | None:
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


def old_check_text(field: str, value: object, name: bool | None = None) -> None:
    is_name = field in NAME_FIELDS if name is None else name
    if isinstance(value, str):
        problem = old_text_problem(value, is_name)
        if problem is not None:
            raise BadData(f"{field.replace('_', ' ')} {problem}")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            old_check_text(str(key), item, is_name or str(key) in NAME_FIELDS)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            old_check_text(field, item, is_name)


def outcome(check: Any, field: str, value: object) -> str | None:
    try:
        check(field, value)
    except BadData as error:
        return str(error)
    return None


# ------------------------------------------------------------------------ strategies
#: Every code point, surrogates included (bytes that were not UTF-8, as Python keeps them).
ANY_CHARACTER = st.characters(min_codepoint=0, max_codepoint=sys.maxunicode)
#: The characters the check is about, and their neighbours, drawn often.
EDGES = st.sampled_from(
    [
        "\x00", "\x01", "\t", "\n", "\r", "\x1f", " ", "~", "\x7f", "\x80", "\x9f", "\xa0",
        "\u2027", "\u2028", "\u2029", "\u202a", "\u200b", "\ufeff", "\ud7ff", "\ud800",
        "\udbff", "\udc00", "\udfff", "\ue000", "\U0001f600", "é", "£",
    ]
)  # fmt: skip
TEXT = st.text(st.one_of(ANY_CHARACTER, EDGES), max_size=60)


def long_text(limit: int) -> st.SearchStrategy[str]:
    """Text around ``limit`` characters long, sometimes with a refused character."""
    return st.tuples(
        st.integers(limit - 2, limit + 2), st.sampled_from(["a", "é", "\n", "\x00", "\ud800"])
    ).map(lambda pair: "x" * (pair[0] - 1) + pair[1])


FIELDS = st.sampled_from(["summary", "reason", "team", "actor", "ref", "remedies", "x_y"])
PLAIN = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.decimals(allow_nan=False),
    st.uuids(),
)
VALUES = st.recursive(
    st.one_of(TEXT, PLAIN),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(st.one_of(FIELDS, TEXT), inner, max_size=4),
    ),
    max_leaves=8,
)


# ----------------------------------------------------------------------------- tests
@settings(max_examples=1000, deadline=None)
@given(TEXT, st.booleans())
def test_text_problem_says_what_the_old_check_said(text: str, name: bool) -> None:
    assert text_problem(text, name) == old_text_problem(text, name)


@settings(max_examples=300, deadline=None)
@given(st.one_of(long_text(MAX_NAME), long_text(MAX_TEXT)), st.booleans())
def test_lengths_at_the_limits_are_judged_as_before(text: str, name: bool) -> None:
    assert text_problem(text, name) == old_text_problem(text, name)


@settings(max_examples=400, deadline=None)
@given(FIELDS, VALUES)
def test_check_text_refuses_what_the_old_check_refused(field: str, value: object) -> None:
    assert outcome(check_text, field, value) == outcome(old_check_text, field, value)


def test_every_code_point_is_judged_as_before() -> None:
    """All 1,114,112 code points: each the old check refused, alone, as text and as a
    name; the rest in runs of a name's length, which both checks accept."""
    accepted: list[str] = []
    for point in range(sys.maxunicode + 1):
        char = chr(point)
        if old_text_problem(char, True) is None:
            accepted.append(char)
            continue
        for name in (False, True):
            assert text_problem(char, name) == old_text_problem(char, name), hex(point)
    assert len(accepted) == sys.maxunicode + 1 - 2048 - 65 - 2  # surrogates, Cc, Zl, Zp
    for start in range(0, len(accepted), MAX_NAME):
        run = "".join(accepted[start : start + MAX_NAME])
        assert text_problem(run, True) is None and text_problem(run) is None, start


class Channel(StrEnum):
    EMAIL = "email"
    BAD = "bad\x00"


def test_a_str_subclass_is_still_checked() -> None:
    assert outcome(check_text, "channel", Channel.EMAIL) is None
    refused = outcome(check_text, "channel", Channel.BAD)
    assert refused is not None and refused.startswith("channel contains a NUL character")
    assert refused == outcome(old_check_text, "channel", Channel.BAD)


@pytest.mark.parametrize(
    "value",
    [None, True, 3, 2.5, Decimal("1.50"), date(2026, 1, 2), datetime(2026, 1, 2, 3, 4), time(5),
     UUID(int=7)],
)  # fmt: skip
def test_plain_values_hold_no_text(value: object) -> None:
    assert type(value) in PLAIN_VALUES
    assert outcome(check_text, "team", value) is None
