"""CSV cells a spreadsheet will not run: formula prefixes neutralised (the OWASP rule).

A spreadsheet opening a CSV file treats a cell starting with ``=``, ``+``, ``-`` or
``@`` (or a tab or carriage return before one) as a formula, so a team or actor named
``=HYPERLINK("http://...","click")`` would run when a council officer opens the
export. Every CSV the ledger writes passes its cells through :func:`safe_cell`, which
puts a single quote before such a cell: the spreadsheet shows the text as written.

Numbers are left alone, so columns still sum: a cell that is entirely a number (typed
as one, or text such as ``-3``, ``-12.5%``, ``+4%`` or ``-1,250.00``) cannot call
anything, and the lone ``-`` the reports print for "none" neither. Quoting them
would turn numbers into text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

#: Characters a spreadsheet may read as the start of a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: A whole cell that is only a number: sign, digits (thousands commas allowed),
#: decimals, optional exponent or percent sign; or the lone "-" that means "none".
_PLAIN_NUMBER = re.compile(r"-|[+-]?(\d[\d,]*(\.\d+)?|\.\d+)([eE][+-]?\d+|%)?")


def safe_cell(value: Any) -> Any:
    """``value`` as a CSV cell a spreadsheet shows as written: a single quote before
    text that starts like a formula; numbers (typed, or text that is only a number)
    unchanged."""
    if value is None or isinstance(value, (bool, int, float, Decimal)):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]
