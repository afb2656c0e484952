"""The annual report's document put together: the figures counted from the read models,
the council's own sections (targets, rates, benchmarks), what the ledger adds beside
them (approved extracts, "You said, we did", the chain's head), and for the public
version the suppression of small numbers. The ledger gathers the parts; the rules for
putting them together live here."""

from __future__ import annotations

from typing import Any

from reports.annual import Period
from reports.council import CouncilSettings, council_sections
from reports.suppression import suppress


def annual_document(
    figures: dict[str, Any],
    council: CouncilSettings,
    period: Period,
    *,
    integrity: dict[str, Any],
    extracts: list[Any] | None = None,
    you_said_we_did: list[Any] | None = None,
    suppress_below: int = 0,
) -> dict[str, Any]:
    """``figures`` (``AnnualReport.build``) with the council's sections, then the
    approved compliment extracts and "You said, we did" when given (None: the figures
    carry them already), then the chain's head (``integrity``); suppressed below
    ``suppress_below`` for the public version."""
    document = dict(figures)
    document.update(council_sections(document, council, period.financial_year_start))
    if extracts is not None:
        document["compliments"]["extracts"] = extracts
    if you_said_we_did is not None:
        document["you_said_we_did"] = you_said_we_did
    document["integrity"] = integrity
    return suppress(document, suppress_below) if suppress_below else document
