"""The annual report as Markdown and CSV (JSON is the document itself).

The document is keyed by the taxonomies' names (``poor-communication``); the tables
print their labels (``Poor communication``), from the taxonomy (ADR 0017). Free-text
names (service areas, teams, ethnicity) are printed as written.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from html import escape
from typing import Any

from reports.case_links import case_link_tables
from reports.casework import casework_tables
from reports.contact_registers import contact_register_tables
from reports.csv_cells import safe_row

STAGE_TITLES = {"stage1": "Stage 1", "stage2": "Stage 2", "stage3": "Stage 3"}

#: A taxonomy name's label: the council's taxonomy's ``label`` method.
Labels = Callable[[str], str]


def default_labels(labels: Labels | None = None) -> Labels:
    """``labels``, or the default taxonomy's labels when none is given."""
    if labels is not None:
        return labels
    from domain.procedure import Taxonomy

    return Taxonomy().label


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"


def _share(part: int | str, whole: int | str) -> str:
    """``part`` as a share of ``whole``; withheld when either was suppressed."""
    if not isinstance(part, int) or not isinstance(whole, int) or not whole:
        return "-"
    return f"{100 * part / whole:.1f}%"


def report_title(report: dict[str, Any]) -> str:
    council = report.get("council") or ""
    name = f"{council}: c" if council else "C"
    label = report["period"]["label"]
    kind = "annual report" if "/" in label else "report"  # 2024/25, or a period's dates
    return f"{name}omplaints {kind} {label} ({report['procedure']} procedure)"


def _scrutiny_tables(
    report: dict[str, Any], say: Callable[[str], str]
) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The figures scrutiny committees ask for: uphold rates by team and reason, later
    stages' response times, what fell due in the period and what was still open."""
    tables: list[tuple[str, list[str], list[list[Any]]]] = []
    uphold = report["stage1"].get("uphold")
    if uphold:
        for key, title, named in (
            ("by_team", "Stage 1 uphold rate by team", False),
            ("by_reason", "Stage 1 uphold rate by reason", True),
        ):
            rows = [
                [
                    say(name) if named else name,
                    f["responded"],
                    f["some_merit_found"],
                    _pct(f["uphold_rate_percent"]),
                ]
                for name, f in uphold[key].items()
            ]
            tables.append((title, ["name", "responded", "upheld or partly", "rate"], rows))
    later = [
        [STAGE_TITLES[key], *report[key]["response_bands"].values()]
        for key in ("stage2", "stage3")
        if "response_bands" in report[key]
    ]
    if later:
        tables.append(
            (
                "Stage 2 and 3 response times (working days)",
                ["stage", "within 25", "26 to 65", "over 65"],
                later,
            )
        )
    due = [
        [
            STAGE_TITLES[key],
            report[key]["due"],
            report[key]["due_answered_on_time"],
            _days(report[key]["median_working_days"]),
            report[key]["open_at_end"]["count"],
            report[key]["open_at_end"]["over_90_days"],
        ]
        for key in ("stage1", "stage2", "stage3")
        if "due" in report[key]
    ]
    if due:
        tables.append(
            (
                "Due in the period, and open at its end",
                [
                    "stage",
                    "due",
                    "answered on time",
                    "median working days",
                    "open at end",
                    "open over 90 days",
                ],
                due,
            )
        )
    return tables


def _days(value: Any) -> str:
    return "-" if value is None else f"{value:g}"


def _council_tables(report: dict[str, Any]) -> list[tuple[str, list[str], list[list[Any]]]]:
    tables: list[tuple[str, list[str], list[list[Any]]]] = []
    targets = report.get("targets") or {}
    if targets:
        tables.append(
            (
                "Timeliness against targets",
                ["stage", "target", "on time", "met"],
                [
                    [
                        STAGE_TITLES[stage],
                        _pct(t["target_percent"]),
                        _pct(t["actual_percent"]),
                        {True: "yes", False: "no", None: "-"}[t["met"]],
                    ]
                    for stage, t in targets.items()
                ],
            )
        )
    rates = report.get("rates") or {}
    if rates.get("child_population") or rates.get("referrals"):
        rows = []
        for stage in ("stage1", "stage2", "stage3"):
            per_children = rates.get(f"{stage}_per_100000_children")
            per_referrals = rates.get(f"{stage}_per_1000_referrals")
            rows.append(
                [
                    STAGE_TITLES[stage],
                    "-" if per_children is None else f"{per_children:.1f}",
                    "-" if per_referrals is None else f"{per_referrals:.1f}",
                ]
            )
        tables.append(("Rates", ["stage", "per 100,000 children", "per 1,000 referrals"], rows))
    benchmarks = report.get("benchmarks") or []
    if len(benchmarks) > 1:
        tables.append(
            (
                "Statistical neighbours (Stage 1)",
                ["council", "received", "child population", "per 100,000 children"],
                [
                    [
                        b["council"],
                        b["stage1_received"] if b["stage1_received"] is not None else "-",
                        b["child_population"] or "-",
                        "-"
                        if b["stage1_per_100000_children"] is None
                        else f"{b['stage1_per_100000_children']:.1f}",
                    ]
                    for b in benchmarks
                ],
            )
        )
    return tables


#: Below this many last year, a percentage change says more than the counts do: the
#: tables show the two counts and no percentage.
SMALLEST_BASE_FOR_CHANGE = 5


def _change_of(this: Any, last: Any) -> str:
    """The change from last year as a percentage, when both are plain counts and last
    year's is not too small to compare with."""
    if isinstance(this, int) and isinstance(last, int) and last >= SMALLEST_BASE_FOR_CHANGE:
        return f"{100 * (this - last) / last:+.0f}%"
    return "-"


def _pounds(amount: Any) -> str:
    """``1345.50`` as ``£1,345.50`` and ``6425.00`` as ``£6,425``; anything else as it is."""
    try:
        value = Decimal(str(amount))
    except ArithmeticError:
        return str(amount)
    if not value.is_finite():
        return str(amount)
    return f"£{value:,.0f}" if value == value.to_integral_value() else f"£{value:,.2f}"


def _stage_name(key: str) -> str:
    """``1`` as ``Stage 1``; ``ombudsman`` as ``Ombudsman``."""
    return f"Stage {key}" if key.isdigit() else key.capitalize()


def executive_summary(report: dict[str, Any], say: Callable[[str], str]) -> list[str]:
    """A paragraph of sentences written from the figures, for the front of the report."""
    stage1, before = report["stage1"], report.get("previous", {}).get("stage1", {})
    received, last = stage1["received"], before.get("received")
    sentences = [
        f"In {report['period']['label']} the council received {received} Stage 1 "
        f"complaints under the {report['procedure']} procedure"
    ]
    change = _change_of(received, last)
    if change != "-":
        sentences[0] += f" ({change} on the {last} of the period a year before)."
    elif isinstance(last, int):
        sentences[0] += f" ({last} in the period a year before)."
    else:
        sentences[0] += "."
    if stage1["responded"] and stage1.get("on_time_percent") is not None:
        sentences.append(
            f"{stage1['on_time']} of {stage1['responded']} Stage 1 responses "
            f"({_pct(stage1['on_time_percent'])}) were sent on time."
        )
    merit = stage1.get("some_merit_found")
    if isinstance(merit, int) and isinstance(stage1["responded"], int) and stage1["responded"]:
        sentences.append(
            f"{_share(merit, stage1['responded'])} of them found some merit in the complaint "
            "(upheld or partly upheld)."
        )
    reasons = [say(r) for r, n in stage1.get("by_reason", {}).items() if n][:3]
    if reasons:
        listed = (
            reasons[0] if len(reasons) == 1 else ", ".join(reasons[:-1]) + " and " + reasons[-1]
        )
        sentences.append(f"The most common reasons were {listed.lower()}.")
    ombudsman = report["ombudsman"]
    if ombudsman["decided"]:
        sentences.append(
            f"The Ombudsman decided {ombudsman['decided']} cases and upheld {ombudsman['upheld']}."
        )
    return sentences


def _money_change(this: Any, last: Any) -> str:
    try:
        now, before = float(this), float(last)
    except (TypeError, ValueError):
        return "-"
    return f"{100 * (now - before) / before:+.0f}%" if before else "-"


def _union(now: dict[str, Any], before: dict[str, Any]) -> list[str]:
    return list(now) + [name for name in before if name not in now]


def sections(
    report: dict[str, Any], labels: Labels | None = None
) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The report's tables: (title, header, rows), shared by Markdown, CSV and HTML.

    Where the document carries last year's figures (``previous``), every table shows
    them beside this year's, with the change; percentages are computed, never typed.
    Taxonomy names are shown by their ``labels``.
    """
    say = default_labels(labels)
    tables: list[tuple[str, list[str], list[list[Any]]]] = []
    prev: dict[str, Any] = report.get("previous") or {}
    received = [
        [
            STAGE_TITLES[key],
            report[key]["received"],
            report[key].get("received_previous", 0),
            _pct(report[key].get("change_percent")),
        ]
        for key in ("stage1", "stage2", "stage3")
    ]
    ombudsman = report["ombudsman"]
    received.append(
        [
            "Ombudsman enquiries",
            ombudsman["enquiries"],
            ombudsman["enquiries_previous"],
            _change_of(ombudsman["enquiries"], ombudsman["enquiries_previous"]),
        ]
    )
    tables.append(("Complaints received", ["stage", "this year", "last year", "change"], received))
    stage1 = report["stage1"]
    stage1_before = prev.get("stage1", {})
    for key, title, named in (
        ("by_service_area", "Stage 1 by service area", False),
        ("by_team", "Stage 1 by team", False),
        ("by_reason", "Stage 1 by reason", True),
        ("by_channel", "Stage 1 by how received", True),
        ("by_role", "Stage 1 by who complained", True),
    ):
        now, before = stage1[key], stage1_before.get(key, {})
        rows = [
            [
                say(name) if named else name,
                now.get(name, 0),
                _share(now.get(name, 0), stage1["received"]),
                before.get(name, 0),
                _change_of(now.get(name, 0), before.get(name, 0)),
            ]
            for name in _union(now, before)
        ]
        tables.append((title, ["name", "count", "share", "last year", "change"], rows))
    outcome_rows = []
    for key in ("stage1", "stage2", "stage3"):
        for label, figures in (
            (STAGE_TITLES[key], report[key]),
            (f"{STAGE_TITLES[key]}, last year", prev.get(key)),
        ):
            if not figures:
                continue
            outcomes = figures["outcomes"]
            parts = (figures["responded"], outcomes["withdrawn"])
            closed = sum(parts) if all(isinstance(p, int) for p in parts) else "-"
            outcome_rows.append(
                [label]
                + [
                    f"{outcomes[o]} ({_share(outcomes[o], closed)})"
                    for o in ("upheld", "partly_upheld", "not_upheld", "withdrawn")
                ]
            )
    tables.append(
        (
            "Outcomes (by date closed)",
            ["stage", "upheld", "partly upheld", "not upheld", "withdrawn"],
            outcome_rows,
        )
    )
    timeliness = [
        [
            STAGE_TITLES[key],
            report[key].get("acknowledged", "-"),
            _pct(report[key].get("acknowledged_on_time_percent")),
            report[key]["responded"],
            report[key]["on_time"],
            _pct(report[key].get("on_time_percent")),
            _pct(prev.get(key, {}).get("on_time_percent")),
        ]
        for key in ("stage1", "stage2", "stage3")
    ]
    tables.append(
        (
            "Timeliness",
            [
                "stage",
                "acknowledged",
                "acknowledged on time %",
                "responded",
                "on time",
                "on time %",
                "last year on time %",
            ],
            timeliness,
        )
    )
    tables.extend(_council_tables(report))
    bands = stage1["response_bands"]
    bands_before = stage1_before.get("response_bands", {})
    tables.append(
        (
            "Stage 1 response times (working days)",
            ["band", "count", "share", "last year", "change"],
            [
                [
                    band.replace("_", " "),
                    n,
                    _share(n, stage1["responded"]),
                    bands_before.get(band, 0),
                    _change_of(n, bands_before.get(band, 0)),
                ]
                for band, n in bands.items()
            ],
        )
    )
    tables.extend(_scrutiny_tables(report, say))
    if "points_by_finding" in report["stage2"]:
        before_points = prev.get("stage2", {}).get("points_by_finding", {})
        tables.append(
            (
                "Stage 2 points by finding",
                ["finding", "points", "last year"],
                [
                    [say(k), v, before_points.get(k, 0)]
                    for k, v in report["stage2"]["points_by_finding"].items()
                ],
            )
        )
    if "panels_held" in report["stage3"]:
        stage3, stage3_before = report["stage3"], prev.get("stage3", {})
        tables.append(
            (
                "Stage 3 review panels",
                ["measure", "count", "last year"],
                [
                    [label, stage3.get(key, 0), stage3_before.get(key, 0)]
                    for label, key in (
                        ("panels held", "panels_held"),
                        ("panels held within 30 working days", "panels_on_time"),
                        ("panels that changed Stage 2 findings", "panels_changed_stage2_findings"),
                    )
                ],
            )
        )
    decisions, decisions_before = (
        ombudsman["decisions"],
        prev.get("ombudsman", {}).get("decisions", {}),
    )
    tables.append(
        (
            "Ombudsman decisions",
            ["decision", "count", "last year"],
            [
                [say(k), decisions.get(k, 0), decisions_before.get(k, 0)]
                for k in _union(decisions, decisions_before)
            ]
            + [
                [
                    label,
                    _pct(ombudsman.get(key)),
                    _pct(prev.get("ombudsman", {}).get(key)),
                ]
                for label, key in (
                    ("uphold rate", "uphold_rate_percent"),
                    (
                        "satisfactory remedy by the council (of upheld)",
                        "satisfactory_remedy_percent",
                    ),
                    ("complied with on time", "compliance_percent"),
                )
            ],
        )
    )
    money, money_before = report["compensation"], prev.get("compensation", {})
    stages_before = money_before.get("by_stage", {})
    tables.append(
        (
            "Compensation",
            ["stage", "amount", "last year", "change"],
            [
                [
                    _stage_name(k),
                    _pounds(v),
                    _pounds(stages_before.get(k, "0.00")),
                    _money_change(v, stages_before.get(k)),
                ]
                for k, v in money["by_stage"].items()
            ]
            + [
                [
                    "total",
                    _pounds(money["total"]),
                    _pounds(money_before.get("total", "-")),
                    _money_change(money["total"], money_before.get("total")),
                ],
                [
                    "cases",
                    money["cases"],
                    money_before.get("cases", "-"),
                    _change_of(money["cases"], money_before.get("cases")),
                ],
            ],
        )
    )
    remedies, remedies_before = report.get("remedies", {}), prev.get("remedies", {})
    remedy_rows = [
        [
            ("Ombudsman" if stage == "ombudsman" else f"Stage {stage}"),
            say(name),
            remedies.get(stage, {}).get(name, 0),
            remedies_before.get(stage, {}).get(name, 0),
        ]
        for stage in _union(remedies, remedies_before)
        for name in _union(remedies.get(stage, {}), remedies_before.get(stage, {}))
    ]
    tables.append(("Remedies", ["given at", "remedy", "count", "last year"], remedy_rows))
    recs, recs_before = report["recommendations"], prev.get("recommendations", {})
    tables.append(
        (
            "Recommendations",
            ["measure", "count", "last year"],
            [
                [k, recs[k], recs_before.get(k, "-")]
                for k in ("made", "accepted", "rejected", "completed", "open", "overdue")
            ],
        )
    )
    tables.extend(_representation_tables(report, say))
    tables.extend(case_link_tables(report))  # linked, merged, split, re-opened (ADR 0038)
    said = report.get("you_said_we_did") or []
    if said:  # learning statements' wordings approved for publication (ADR 0030)
        tables.append(
            (
                "You said, we did",
                ["team", "theme", "what we did"],
                [[w["team"], say(w["theme"]) if w["theme"] else "-", w["wording"]] for w in said],
            )
        )
    tables.extend(casework_tables(report))  # ADR 0039
    tables.extend(contact_register_tables(report))  # restrictions, subject access (ADR 0040)
    tables.append(
        (
            "Five-year trend (received)",
            ["year", "Stage 1", "Stage 2", "Stage 3", "Ombudsman"],
            [
                [y["label"], y["stage1"], y["stage2"], y["stage3"], y["ombudsman"]]
                for y in report["trend"]
            ],
        )
    )
    return tables


def _by_name_with_last_year(now: dict[str, Any], before: dict[str, Any]) -> list[list[Any]]:
    rows = []
    for name in list(now) + [n for n in before if n not in now]:
        this, last = now.get(name, 0), before.get(name, 0)
        change = (
            f"{100 * (this - last) / last:+.0f}%"
            if isinstance(this, int) and isinstance(last, int) and last
            else "-"
        )
        rows.append([name, this, last, change])
    return rows


def _representation_tables(
    report: dict[str, Any], say: Labels
) -> list[tuple[str, list[str], list[list[Any]]]]:
    tables: list[tuple[str, list[str], list[list[Any]]]] = []
    with_last_year = ["name", "this year", "last year", "change"]
    compliments = report["compliments"]
    tables.append(
        (
            "Compliments by team",
            with_last_year,
            [
                *_by_name_with_last_year(
                    compliments["by_team"], compliments.get("by_team_previous", {})
                ),
                [
                    "total",
                    compliments["received"],
                    compliments["received_previous"],
                    _pct(compliments.get("change_percent")),
                ],
            ],
        )
    )
    enquiries = report["enquiries"]
    tables.append(
        (
            "Councillor and MP enquiries",
            with_last_year,
            [
                [
                    "councillor",
                    enquiries["councillor"],
                    enquiries.get("councillor_previous", "-"),
                    "-",
                ],
                ["MP", enquiries["mp"], enquiries.get("mp_previous", "-"), "-"],
                *_by_name_with_last_year(
                    enquiries.get("by_team", {}), enquiries.get("by_team_previous", {})
                ),
            ],
        )
    )
    tables.append(
        (
            "Enquiries answered on time",
            ["answered", "on time", "on time %"],
            [
                [
                    enquiries["responded"],
                    enquiries["on_time"],
                    _pct(enquiries.get("on_time_percent")),
                ]
            ],
        )
    )
    feedback = report.get("feedback")
    if feedback:
        tables.append(
            (
                "Initial feedback and enquiries that were not complaints",
                ["measure", "count"],
                [
                    ["received", feedback["received"]],
                    ["last year", feedback["received_previous"]],
                    ["resolved without a complaint", feedback["resolved"]],
                    ["became formal complaints", feedback["became_complaints"]],
                ]
                + [[f"of which {say(kind).lower()}", n] for kind, n in feedback["by_kind"].items()],
            )
        )
    advocacy = report.get("advocacy")
    if advocacy:
        tables.append(
            (
                "Advocacy referrals by age band",
                ["age band", "referrals"],
                [[say(k), v] for k, v in advocacy["by_age_band"].items()]
                + [
                    ["total", advocacy["referrals"]],
                    ["last year", advocacy["referrals_previous"]],
                    ["led to a complaint", advocacy["led_to_complaint"]],
                ],
            )
        )
        tables.append(
            (
                "Advocacy referrals by theme",
                ["theme", "referrals"],
                [[say(k), v] for k, v in advocacy["by_theme"].items()],
            )
        )
    profile = report.get("profile")
    if profile:
        for key, title, named in (
            ("by_age_band", "Who complained: age band (Stage 1)", True),
            ("by_ethnicity", "Who complained: ethnicity (Stage 1)", False),
            ("by_disability", "Who complained: disability (Stage 1)", True),
        ):
            rows = [[say(k) if named else k, v] for k, v in profile[key].items()]
            tables.append((title, ["answer", "count"], rows))
    extracts = compliments.get("extracts") or []
    if extracts:
        tables.append(
            (
                "What people said: compliments approved for publication",
                ["team", "extract"],
                [[e["team"] or "-", e["extract"]] for e in extracts],
            )
        )
    return tables


def markdown(report: dict[str, Any], labels: Labels | None = None) -> str:
    period = report["period"]
    lines = [
        f"# {report_title(report)}",
        "",
        f"Period {period['start']} to {period['end']}. Counted by date received for receipts, "
        "by date closed for outcomes and timeliness.",
        "",
    ]
    if report.get("suppressed_below"):
        lines += [
            f"Public version: counts below {report['suppressed_below']} are shown as "
            f"<{report['suppressed_below']} and their percentages withheld.",
            "",
        ]
    lines += ["## Summary", "", " ".join(executive_summary(report, default_labels(labels))), ""]
    if report.get("narrative"):
        lines += ["## The council's commentary", "", report["narrative"].strip(), ""]
    for title, header, rows in sections(report, labels):
        lines += [f"## {title}", "", _md_row(header), _md_row(["---"] * len(header))]
        lines += [_md_row(_md_cell(c) for c in row) for row in rows] or [
            _md_row(["(none)"] + [""] * (len(header) - 1))
        ]
        lines.append("")
    note = integrity_note(report)
    if note:
        lines += ["---", "", note, ""]
    return "\n".join(lines)


def integrity_note(report: dict[str, Any]) -> str | None:
    """The ledger's head hash when the report was made: anyone can later check that
    the ledger still leads to it (``complaints verify``)."""
    stamp = report.get("integrity")
    if not stamp:
        return None
    position = stamp.get("head_position", stamp["events"])
    return (
        f"Made from a ledger whose hash chain ends at position {position} in "
        f"{stamp['head_hash']}. `complaints verify --expect {position}:{stamp['head_hash']}` "
        "shows whether the ledger still contains it."
    )


def _md_row(cells: Iterable[Any]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


#: The start of an HTML tag, comment or declaration (``<b``, ``</``, ``<!``, ``<?``); a
#: suppressed count such as ``<5`` is not one.
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")


def _md_cell(value: Any) -> str:
    """A row's cell as Markdown text: on one line, a ``|`` escaped and a tag's ``<``
    written ``&lt;``, so a name (a team, a provider) stays one cell and is shown, never
    rendered as HTML (ADR 0044)."""
    text = " ".join(str(value).split()).replace("|", "\\|")
    return _TAG_START.sub("&lt;", text)


def csv_text(report: dict[str, Any], labels: Labels | None = None) -> str:
    """One table per section: a title row, a header row, the rows, a blank row; cells
    that start like a formula are neutralised (:mod:`reports.csv_cells`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for title, header, rows in sections(report, labels):
        writer.writerow(safe_row([title]))
        writer.writerow(safe_row(header))
        writer.writerows(safe_row(row) for row in rows)
        writer.writerow([])
    stamp = report.get("integrity")
    if stamp:
        position = stamp.get("head_position", stamp["events"])
        writer.writerow(["Integrity"])
        writer.writerow(["head_position", "head_hash", "check with"])
        writer.writerow(
            [
                position,
                stamp["head_hash"],
                f"complaints verify --expect {position}:{stamp['head_hash']}",
            ]
        )
        writer.writerow([])
    return out.getvalue()


def numeric_cell(cell: Any) -> bool:
    """Counts, money, shares, "-" and the public version's "<N": no letters."""
    text = str(cell)
    return isinstance(cell, int | float) or (
        text[:1] in "<-+0123456789" and not any(c.isalpha() for c in text)
    )


#: How a table's cell is written: its column, its value, the column's alignment class.
CellWriter = Callable[[int, Any, str], str]


def _plain_cell(i: int, value: Any, align: str) -> str:
    text = escape(str(value))
    return f'<th scope="row">{text}</th>' if i == 0 else f"<td{align}>{text}</td>"


def html_table(
    name: str, header: list[str], rows: list[list[Any]], cell: CellWriter = _plain_cell
) -> str:
    """A table with its first column as row headings, numeric columns right-aligned,
    and "(none)" for no rows; ``cell`` writes each cell."""
    align = [
        ' class="num"' if i and rows and all(numeric_cell(r[i]) for r in rows) else ""
        for i in range(len(header))
    ]
    head = "".join(
        f'<th scope="col"{a}>{escape(str(h))}</th>' for h, a in zip(header, align, strict=True)
    )
    body = [
        "<tr>" + "".join(cell(i, c, align[i]) for i, c in enumerate(row)) + "</tr>"
        for row in rows
    ] or [f'<tr><td colspan="{len(header)}">(none)</td></tr>']
    return (
        f'<table aria-label="{escape(name)}"><thead><tr>{head}</tr></thead>\n'
        "<tbody>\n" + "\n".join(body) + "\n</tbody></table>"
    )


def html(report: dict[str, Any], labels: Labels | None = None) -> str:
    """A single self-contained, printable page: every table, with charts as inline SVG.

    Nothing is fetched from elsewhere (no scripts, stylesheets, fonts or images), so
    the file can be mailed or archived as it is. The charts come from
    :mod:`reports.charts`, imported here so that only this format loads matplotlib;
    each sits under the heading of the table it draws, and prints A4 without being split.
    """
    import re

    from reports.charts import Chart, charts

    style = """
:root{color-scheme:light}
body{font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;
 color:#1b1b1b;background:#fff;max-width:52rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem;line-height:1.2;margin:0 0 .4rem}
h2{font-size:1.15rem;margin:2rem 0 .7rem;padding-bottom:.2rem;border-bottom:2px solid #0b3c78}
.intro{color:#404040;margin:0 0 1rem}
table{border-collapse:collapse;margin:0 0 1rem;min-width:22rem;font-variant-numeric:tabular-nums}
th,td{border:1px solid #b5b5b5;padding:.28rem .6rem;text-align:left;vertical-align:top}
thead th{background:#e4ebf5}
tbody th{font-weight:normal}
.num{text-align:right}
figure.chart{margin:0 0 1rem}
figure.chart svg{display:block;width:100%;height:auto}
figcaption{font-size:.9rem;color:#404040;margin-top:.3rem}
figcaption b{color:#1b1b1b}
footer{margin-top:2rem;padding-top:.5rem;border-top:1px solid #b5b5b5;font-size:.85rem}
.integrity{color:#404040;overflow-wrap:anywhere}
@page{size:A4;margin:16mm 15mm}
@media print{
 body{font-size:10pt;max-width:none;margin:0;padding:0}
 h2{margin-top:1.1rem}
 h2{break-after:avoid;page-break-after:avoid}
 .keep,figure,tr{break-inside:avoid;page-break-inside:avoid}
 thead{display:table-header-group}
 thead th{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
""".strip()
    period = report["period"]
    title = report_title(report)
    tables = sections(report, labels)
    titles = {name for name, _, _ in tables}
    placed: dict[str, list[Chart]] = {}
    for chart in charts(report, labels):
        placed.setdefault(chart.after if chart.after in titles else "", []).append(chart)
    numbered: list[Chart] = []
    long_table = 15  # rows: a longer table may break across printed pages

    def figure(chart: Chart) -> str:
        numbered.append(chart)
        return (
            f'<figure class="chart" id="figure-{chart.key}">\n{chart.svg}\n'
            f"<figcaption><b>Figure {len(numbered)}. {escape(chart.title)}.</b> "
            f"{escape(chart.note)}</figcaption>\n"
            "</figure>"
        )

    def section(name: str, blocks: list[str], long: bool) -> str:
        # The heading stays on the page of the block under it, unless that block is a
        # table too long to keep whole: then only its rows are kept whole.
        keep = "" if long and len(blocks) == 1 else ' class="keep"'
        first = f"<div{keep}><h2>{escape(name)}</h2>\n{blocks[0]}</div>"
        return "<section>\n" + "\n".join([first, *blocks[1:]]) + "\n</section>"

    intro = (
        f"Period {escape(period['start'])} to {escape(period['end'])}. Counted by date "
        "received for receipts, by date closed for outcomes and timeliness."
    )
    if report.get("suppressed_below"):
        limit = report["suppressed_below"]
        intro += (
            f" Public version: counts below {limit} are shown as &lt;{limit}, their "
            "percentages withheld, and they are not drawn in the charts."
        )
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{escape(title)}</title>",
        f"<style>{style}</style>",
        "</head><body>",
        f'<header><h1>{escape(title)}</h1>\n<p class="intro">{intro}</p></header>',
        "<main>",
        section(
            "Summary",
            [f"<p>{escape(' '.join(executive_summary(report, default_labels(labels))))}</p>"],
            long=False,
        ),
    ]
    if report.get("narrative"):
        paragraphs = [p.strip() for p in report["narrative"].split("\n\n") if p.strip()]
        parts.append(
            section(
                "The council's commentary",
                ["\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)],
                long=len(paragraphs) > 4,
            )
        )
    for name, header, rows in tables:
        blocks = [figure(c) for c in placed.get(name, [])] + [html_table(name, header, rows)]
        parts.append(section(name, blocks, long=len(rows) > long_table))
    if placed.get(""):
        parts.append(section("More charts", [figure(c) for c in placed[""]], long=False))
    parts.append("</main>")
    note = integrity_note(report)
    if note:
        code = re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(note))
        parts.append(f'<footer><p class="integrity">{code}</p></footer>')
    parts.append("</body></html>")
    return "\n".join(parts)


def render(report: dict[str, Any], output_format: str, labels: Labels | None = None) -> str:
    """The report in ``output_format``: md, csv or html (json is emitted as data), with
    taxonomy names shown by their ``labels`` (the council's taxonomy's)."""
    if output_format == "csv":
        return csv_text(report, labels)
    if output_format == "html":
        return html(report, labels) + "\n"
    return markdown(report, labels) + "\n"
