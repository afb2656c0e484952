"""The HTML annual report: one self-contained, deterministic page with inline SVG charts."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

import pytest

from domain.procedure import ProcedurePolicy
from ledger.application import Ledger
from reports import render
from reports.annual import parse_year
from reports.suppression import suppress

ROOT = Path(__file__).resolve().parents[2]
POLICY = ProcedurePolicy(today=date(2026, 11, 23))
CHARTS = 5  # outcomes, reasons, timeliness, Stage 1 response times, five-year trend
CASES = [
    # received, reasons, responded (None: still open), outcome
    (date(2024, 5, 1), ["poor-communication"], date(2024, 5, 10), "upheld"),
    (
        date(2024, 6, 3),
        ["delays-in-service", "poor-communication"],
        date(2024, 7, 15),
        "not-upheld",
    ),
    (date(2024, 9, 2), ["staff-behaviour"], date(2024, 9, 13), "partly-upheld"),
    (date(2025, 1, 6), ["delays-in-service"], date(2025, 1, 13), "not-upheld"),
    (date(2025, 3, 3), ["other"], None, ""),
    (date(2023, 10, 2), ["poor-communication"], date(2023, 10, 9), "upheld"),  # last year
]


@pytest.fixture
def ledger(sqlite_url: str) -> Iterator[Ledger]:
    app = Ledger(sqlite_url, POLICY)
    yield app
    app.close()


@pytest.fixture
def report(ledger: Ledger) -> dict[str, Any]:
    for received, reasons, responded, outcome in CASES:
        ref = ledger.receive(
            on=received,
            actor="complaints-team",
            procedure="statutory",
            service_area="Children in Need",
            team="Locality North",
            channel="email",
            role="parent",
            reasons=reasons,
        )
        if responded is not None:
            ledger.act(
                ref,
                lambda c, p, on=responded, outcome=outcome: c.respond(
                    on=on, actor="manager", policy=p, outcome=outcome
                ),
            )
    return ledger.annual_report(parse_year("2024"), "statutory")


def _ids(page: str) -> Counter[str]:
    return Counter(re.findall(r'\bid="([^"]+)"', page))


def test_every_chart_is_an_accessible_inline_svg_figure(report: dict[str, Any]) -> None:
    page = render.html(report)
    assert page.count("<svg") == CHARTS
    assert page.count("<figure") == CHARTS
    assert page.count("<figcaption>") == CHARTS
    for svg in re.findall(r"<svg\b.*?</svg>", page, flags=re.DOTALL):
        opening = svg[: svg.index(">")]
        assert 'role="img"' in opening
        assert re.search(r'aria-label="[^"]+"', opening)
        assert re.search(r"<title>[^<]+</title>", svg)
        assert re.search(r"<desc\b[^>]*>[^<]+</desc>", svg)
    # Several SVGs in one page: every id (clip paths, markers, hatches) is unique.
    assert [name for name, n in _ids(page).items() if n > 1] == []


def test_the_page_is_self_contained(report: dict[str, Any]) -> None:
    page = render.html(report).lower()
    for fetch in (
        'src="http',
        "src='http",
        'href="http',
        "<script",
        "<link",
        "@import",
        "url(http",
    ):
        assert fetch not in page
    assert "<!doctype html>" in page and "<?xml" not in page


def test_every_table_of_the_report_is_in_the_page(report: dict[str, Any]) -> None:
    page = render.html(report)
    tables = render.sections(report)
    assert page.count("<table") == len(tables)
    for title, header, _rows in tables:
        assert f"<h2>{escape(title)}</h2>" in page
        for name in header:
            assert f">{escape(name)}</th>" in page
    # Last year's figures and the change stay beside this year's.
    received = page[page.index("<h2>Complaints received</h2>") :]
    assert ">last year</th>" in received[: received.index("</table>")]
    assert ">change</th>" in received[: received.index("</table>")]


def test_the_charts_draw_the_report(report: dict[str, Any]) -> None:
    page = render.html(report)
    stage1 = report["stage1"]
    assert stage1["received"] == 5 and stage1["responded"] == 4
    # Bar labels with shares, from the same figures as the tables.
    assert "Stage 1 (4 closed)" in page
    assert "2 (50%)" in page  # not upheld, of 4 closed
    assert "Poor communication" in page and "Delays in service" in page
    assert "3 of 4 on time" in page
    for year in report["trend"]:
        assert year["label"] in page


def test_the_same_report_gives_the_same_bytes(report: dict[str, Any], tmp_path: Path) -> None:
    page = render.html(report)
    assert render.html(report) == page
    # ... in another process too, whatever its hash seed.
    document = tmp_path / "report.json"
    document.write_text(json.dumps(report))
    script = (
        "import json, sys; from reports import render; "
        "sys.stdout.write(render.html(json.load(open(sys.argv[1]))))"
    )
    for seed in ("1", "2"):
        other = subprocess.run(
            [sys.executable, "-c", script, str(document)],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert other == page


def test_an_empty_year_says_no_data(ledger: Ledger) -> None:
    report = ledger.annual_report(parse_year("2019"), "statutory")
    page = render.html(report)
    assert page.count("<svg") == CHARTS
    assert page.count("<figcaption>") == CHARTS
    assert "No data for this period" in page
    assert "No responses in this period" in page
    assert "(none)" in page


def test_the_public_version_never_draws_a_withheld_count(report: dict[str, Any]) -> None:
    public = suppress(report, 10)
    page = render.html(public)
    assert page.count("<svg") == CHARTS
    assert "&lt;10" in page
    assert "withheld" in page
    # Withheld shares stay withheld in the charts: none of the private ones appear.
    assert "2 (50%)" not in page and "3 of 4 on time" not in page


def test_only_the_html_report_loads_matplotlib(report: dict[str, Any], tmp_path: Path) -> None:
    document = tmp_path / "report.json"
    document.write_text(json.dumps(report))
    script = (
        "import json, sys; import cli.main; from reports import render; "
        "d = json.load(open(sys.argv[1])); render.markdown(d); render.csv_text(d); "
        "assert 'matplotlib' not in sys.modules, 'loaded too early'; "
        "render.html(d); assert 'matplotlib' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", script, str(document)], cwd=ROOT, check=True)
