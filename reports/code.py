"""``report code``: the annual complaints performance and service improvement report the
Complaint Handling Code asks for (section 8), for the corporate procedure.

The figures are the annual report's (:mod:`reports.annual`), taken as they are: volumes,
outcomes, acknowledgement and response on time per stage with last year beside them, and
the Ombudsman's decisions and annual-letter figures. Beside them: complaints not accepted
into the procedure and why (the triage decision), learning statements (counts, and the
approved "you said, we did" wordings, the only words of a statement ever quoted), the
self-assessment with last year's answers beside this year's, and the governing body's
response. The public version suppresses the counts as the annual report does
(:mod:`reports.suppression`); the words are the council's approved statements and are
shown as they are.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from html import escape
from typing import Any

from domain.learning import CODE_SECTIONS
from reports.code_casework import code_casework, code_casework_table
from reports.csv_cells import safe_row
from reports.render import (
    STAGE_TITLES,
    Labels,
    _change_of,
    _md_row,
    _pct,
    default_labels,
    html_table,
    integrity_note,
)
from reports.suppression import suppress

#: The figures of each stage the Code's report shows (keys of the annual report's).
STAGE_KEYS = (
    "received",
    "received_previous",
    "change_percent",
    "responded",
    "on_time",
    "on_time_percent",
    "acknowledged",
    "acknowledged_on_time",
    "acknowledged_on_time_percent",
    "extended",
    "median_working_days",
    "outcomes",
)
STAGES = ("stage1", "stage2")
Table = tuple[str, list[str], list[list[Any]]]


def _stage(figures: dict[str, Any]) -> dict[str, Any]:
    return {key: figures[key] for key in STAGE_KEYS if key in figures}


def _section_answers(
    this: dict[str, Any], before: dict[str, Any], year: str, previous_year: str
) -> dict[str, Any]:
    sections = []
    for number, title in CODE_SECTIONS.items():
        answer = this["sections"].get(number)
        last = before["sections"].get(number)
        sections.append(
            {
                "section": number,
                "title": title,
                "compliance": answer["compliance"] if answer else None,
                "evidence": answer["evidence"] if answer else None,
                "explanation": answer["explanation"] if answer else None,
                "answered_on": answer["answered_on"] if answer else None,
                "previous": last,
            }
        )
    return {"year": year, "previous_year": previous_year, "sections": sections}


def code_document(
    annual: dict[str, Any],
    counts: dict[str, Any],
    *,
    wordings: list[dict[str, Any]],
    assessment: dict[str, Any],
    previous_assessment: dict[str, Any],
    year: str,
    previous_year: str,
    integrity: dict[str, Any],
    suppress_below: int = 0,
) -> dict[str, Any]:
    """The report's document (docs/cli-contract.md, ``report code``)."""
    previous = annual.get("previous") or {}
    figures: dict[str, Any] = {
        "report": "complaint-handling-code",
        "period": annual["period"],
        "procedure": "corporate",
        "council": annual.get("council"),
        "stage1": _stage(annual["stage1"]),
        "stage2": _stage(annual["stage2"]),
        "escalation_rate_percent": annual["escalation_rate_percent"],
        "not_accepted": counts["not_accepted"],
        "ombudsman": annual["ombudsman"],
        "learning": counts["learning"],
        "casework": code_casework(annual),  # ADR 0043
        "previous": {
            "stage1": _stage(previous.get("stage1", {})),
            "stage2": _stage(previous.get("stage2", {})),
            "escalation_rate_percent": previous.get("escalation_rate_percent"),
            "not_accepted": counts["not_accepted_previous"],
            "ombudsman": previous.get("ombudsman", {}),
            "casework": code_casework(previous),
        },
    }
    document = suppress(figures, suppress_below) if suppress_below else figures
    document["you_said_we_did"] = wordings
    document["self_assessment"] = _section_answers(
        assessment, previous_assessment, year, previous_year
    )
    document["governing_response"] = assessment["governing_response"]
    document["integrity"] = integrity
    return document


# ----------------------------------------------------------------- the tables
def title_of(document: dict[str, Any]) -> str:
    council = document.get("council") or ""
    name = f"{council}: a" if council else "A"
    return (
        f"{name}nnual complaints performance and service improvement report "
        f"{document['period']['label']}"
    )


def _count(value: Any) -> Any:
    return "-" if value is None else value


def _days(value: Any) -> str:
    return "-" if value is None else f"{value:g}"


def tables(document: dict[str, Any], labels: Labels | None = None) -> list[Table]:
    """The report's tables (title, header, rows), shared by Markdown, CSV and HTML."""
    say = default_labels(labels)
    prev = document.get("previous") or {}
    found: list[Table] = []
    found.append(
        (
            "Complaints received (corporate procedure)",
            ["stage", "this year", "last year", "change"],
            [
                [
                    STAGE_TITLES[key],
                    document[key].get("received", 0),
                    document[key].get("received_previous", 0),
                    _change_of(
                        document[key].get("received", 0), document[key].get("received_previous", 0)
                    ),
                ]
                for key in STAGES
            ]
            + [
                [
                    "Stage 2 as a share of Stage 1",
                    _pct(document.get("escalation_rate_percent")),
                    _pct(prev.get("escalation_rate_percent")),
                    "-",
                ]
            ],
        )
    )
    acknowledged, answered = [], []
    for key in STAGES:
        for when, figures in (("this year", document[key]), ("last year", prev.get(key, {}))):
            name = f"{STAGE_TITLES[key]}, {when}"
            acknowledged.append(
                [
                    name,
                    _count(figures.get("acknowledged")),
                    _count(figures.get("acknowledged_on_time")),
                    _pct(figures.get("acknowledged_on_time_percent")),
                ]
            )
            answered.append(
                [
                    name,
                    _count(figures.get("responded")),
                    _count(figures.get("on_time")),
                    _pct(figures.get("on_time_percent")),
                    _count(figures.get("extended")),
                    _days(figures.get("median_working_days")),
                ]
            )
    found.append(
        (
            "Acknowledged on time",
            ["stage", "acknowledged", "on time", "on time %"],
            acknowledged,
        )
    )
    found.append(
        (
            "Answered on time",
            ["stage", "answered", "on time", "on time %", "extended", "median working days"],
            answered,
        )
    )
    outcomes = []
    for key in STAGES:
        for when, figures in (("this year", document[key]), ("last year", prev.get(key, {}))):
            o = figures.get("outcomes") or {}
            outcomes.append(
                [
                    f"{STAGE_TITLES[key]}, {when}",
                    _count(o.get("upheld")),
                    _count(o.get("partly_upheld")),
                    _count(o.get("not_upheld")),
                    _count(o.get("withdrawn")),
                ]
            )
    found.append(
        (
            "Outcomes",
            ["stage", "upheld", "partly upheld", "not upheld", "withdrawn"],
            outcomes,
        )
    )
    refused = document["not_accepted"]
    refused_before = prev.get("not_accepted") or {"total": 0, "by_reason": {}}
    found.append(
        (
            "Complaints not accepted into the procedure, and why",
            ["reason", "this year", "last year"],
            [
                [say(reason.replace("_", "-")), n, refused_before["by_reason"].get(reason, 0)]
                for reason, n in refused["by_reason"].items()
            ]
            + [["total", refused["total"], refused_before["total"]]],
        )
    )
    ombudsman = document["ombudsman"]
    before = prev.get("ombudsman") or {}
    decisions = ombudsman.get("decisions") or {}
    found.append(
        (
            "The Ombudsman's decisions",
            ["decision", "this year", "last year"],
            [
                [say(name), n, (before.get("decisions") or {}).get(name, 0)]
                for name, n in decisions.items()
            ]
            + [
                [say(name), 0, n]
                for name, n in (before.get("decisions") or {}).items()
                if name not in decisions
            ],
        )
    )
    found.append(
        (
            "The Ombudsman's annual letter",
            ["measure", "this year", "last year"],
            [
                ["enquiries", ombudsman.get("enquiries"), ombudsman.get("enquiries_previous")],
                ["decided", ombudsman.get("decided"), _count(before.get("decided"))],
                ["upheld", ombudsman.get("upheld"), _count(before.get("upheld"))],
                [
                    "uphold rate",
                    _pct(ombudsman.get("uphold_rate_percent")),
                    _pct(before.get("uphold_rate_percent")),
                ],
                [
                    "remedies complied with on time",
                    _pct(ombudsman.get("compliance_percent")),
                    _pct(before.get("compliance_percent")),
                ],
                [
                    "satisfactory remedy by the council",
                    _pct(ombudsman.get("satisfactory_remedy_percent")),
                    _pct(before.get("satisfactory_remedy_percent")),
                ],
            ],
        )
    )
    learning = document["learning"]
    found.append(
        (
            "Learning and service improvement",
            ["measure", "count"],
            [
                ["learning statements recorded", learning["recorded"]],
                ["actions done in the year", learning["done"]],
                ["of which by their due date", learning["done_on_time"]],
                ["actions not done and not yet due at year end", learning["open_at_end"]],
                ["actions not done and overdue at year end", learning["overdue_at_end"]],
                ["wordings approved for publication", learning["wordings_approved"]],
            ]
            + [
                [
                    "recorded against a case, with no theme"
                    if theme == "no-theme"
                    else f"recorded about {say(theme).lower()}",
                    n,
                ]
                for theme, n in learning["by_theme"].items()
            ],
        )
    )
    found += code_casework_table(document)  # ADR 0043
    found.append(
        (
            "You said, we did",
            ["team", "theme", "what we did"],
            [
                [w["team"], say(w["theme"]) if w["theme"] else "-", w["wording"]]
                for w in document["you_said_we_did"]
            ],
        )
    )
    assessment = document["self_assessment"]
    found.append(
        (
            f"Self-assessment against the Complaint Handling Code, {assessment['year']}",
            [
                "section",
                "complies",
                "evidence",
                "explanation",
                f"complied {assessment['previous_year']}",
            ],
            [
                [
                    f"{s['section']}. {s['title']}",
                    s["compliance"] or "not answered",
                    s["evidence"] or "-",
                    s["explanation"] or "-",
                    (s["previous"] or {}).get("compliance") or "not answered",
                ]
                for s in assessment["sections"]
            ],
        )
    )
    return found


def _governing(document: dict[str, Any]) -> str:
    response = document.get("governing_response")
    if not response:
        return "Not yet recorded."
    return f"{response['text'].strip()} (recorded {response['on']})"


def _intro(document: dict[str, Any]) -> str:
    period = document["period"]
    text = (
        f"The corporate complaints procedure, {period['start']} to {period['end']}, "
        "with last year beside this year. Counted as in the annual report: receipts by "
        "the date a stage began, outcomes and timeliness by the date it ended."
    )
    if document.get("suppressed_below"):
        limit = document["suppressed_below"]
        text += f" Public version: counts below {limit} are shown as <{limit}."
    return text


def _cell(value: Any) -> str:
    return " ".join(str(value).split()).replace("|", "\\|")


def markdown(document: dict[str, Any], labels: Labels | None = None) -> str:
    lines = [f"# {title_of(document)}", "", _intro(document), ""]
    for name, header, rows in tables(document, labels):
        lines += [f"## {name}", "", _md_row(header), _md_row(["---"] * len(header))]
        lines += [_md_row(_cell(c) for c in row) for row in rows] or [
            _md_row(["(none)"] + [""] * (len(header) - 1))
        ]
        lines.append("")
    lines += ["## The governing body's response", "", _governing(document), ""]
    note = integrity_note(document)
    if note:
        lines += ["---", "", note, ""]
    return "\n".join(lines)


def csv_text(document: dict[str, Any], labels: Labels | None = None) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for name, header, rows in tables(document, labels):
        writer.writerow(safe_row([name]))
        writer.writerow(safe_row(header))
        writer.writerows(safe_row(row) for row in rows)
        writer.writerow([])
    writer.writerow(["The governing body's response"])
    writer.writerow(safe_row([_governing(document)]))
    writer.writerow([])
    return out.getvalue()


STYLE = """
:root{color-scheme:light}
body{font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;
 color:#1b1b1b;background:#fff;max-width:60rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem;line-height:1.2;margin:0 0 .4rem}
h2{font-size:1.15rem;margin:2rem 0 .7rem;padding-bottom:.2rem;border-bottom:2px solid #0b3c78}
.intro{color:#404040;margin:0 0 1rem}
table{border-collapse:collapse;margin:0 0 1rem;min-width:22rem;font-variant-numeric:tabular-nums}
th,td{border:1px solid #b5b5b5;padding:.28rem .6rem;text-align:left;vertical-align:top}
thead th{background:#e4ebf5}
tbody th{font-weight:normal}
.nowrap{white-space:nowrap}
.num{text-align:right;white-space:nowrap}
td.words{min-width:10rem}
.yes{background:#e3f1e3}.partly{background:#fdf3d6}.no{background:#f8e1e1}
blockquote{margin:0 0 1rem;padding:.4rem 1rem;border-left:4px solid #0b3c78;background:#f4f6fa}
footer{margin-top:2rem;padding-top:.5rem;border-top:1px solid #b5b5b5;font-size:.85rem}
.integrity{color:#404040;overflow-wrap:anywhere}
@page{size:A4;margin:16mm 15mm}
@media print{body{font-size:10pt;max-width:none;margin:0;padding:0}
 h2{break-after:avoid;page-break-after:avoid} tr{break-inside:avoid}}
""".strip()


def _html_cell(i: int, value: Any, align: str) -> str:
    """A cell of report code's tables: short row headings kept on one line, the
    self-assessment's answers marked, long words wrapped."""
    text = escape(str(value))
    if i == 0:
        short = ' class="nowrap"' if len(str(value)) <= 24 else ""
        return f'<th scope="row"{short}>{text}</th>'
    if str(value) in ("yes", "partly", "no"):
        return f'<td class="{value}">{text}</td>'
    if not align and len(str(value)) > 40:
        return f'<td class="words">{text}</td>'
    return f"<td{align}>{text}</td>"


def _html_table(name: str, header: list[str], rows: list[list[Any]]) -> str:
    return html_table(name, header, rows, _html_cell)


def html(document: dict[str, Any], labels: Labels | None = None) -> str:
    """One self-contained page (nothing fetched from elsewhere), printable on A4."""
    title = title_of(document)
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{escape(title)}</title>",
        f"<style>{STYLE}</style>",
        "</head><body>",
        f'<header><h1>{escape(title)}</h1>\n<p class="intro">{escape(_intro(document))}</p>'
        "</header>",
        "<main>",
    ]
    for name, header, rows in tables(document, labels):
        parts.append(
            f"<section><h2>{escape(name)}</h2>\n{_html_table(name, header, rows)}</section>"
        )
    parts.append(
        "<section><h2>The governing body's response</h2>\n"
        f"<blockquote><p>{escape(_governing(document))}</p></blockquote></section>"
    )
    parts.append("</main>")
    note = integrity_note(document)
    if note:
        shown = re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(note))
        parts.append(f'<footer><p class="integrity">{shown}</p></footer>')
    parts.append("</body></html>")
    return "\n".join(parts)


RENDERERS: dict[str, Callable[[dict[str, Any], Labels | None], str]] = {
    "md": markdown,
    "csv": csv_text,
    "html": html,
}


def render(document: dict[str, Any], output_format: str, labels: Labels | None = None) -> str:
    """The report in ``output_format`` (md, csv or html; json is the document)."""
    return RENDERERS[output_format](document, labels) + ("" if output_format == "csv" else "\n")
