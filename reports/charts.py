"""The annual report's charts, drawn with matplotlib as inline SVG for the HTML report.

Only :func:`reports.render.html` imports this module, and matplotlib is imported inside
:func:`charts` itself, so no other report format or command pays for it.

The SVG is deterministic (a fixed ``svg.hashsalt``, text kept as ``<text>``, no date in
the metadata) and safe to inline several times in one page: every ``id`` is prefixed
with the chart's own id. Colours step in lightness (and late/withdrawn bars are
hatched, lines differ in dash and marker) so the charts still read in greyscale.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any, Literal, cast

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

STAGE_TITLES = {"stage1": "Stage 1", "stage2": "Stage 2", "stage3": "Stage 3"}
OUTCOMES = (
    ("upheld", "Upheld"),
    ("partly_upheld", "Partly upheld"),
    ("not_upheld", "Not upheld"),
    ("withdrawn", "Withdrawn"),
)
BANDS = (("within_10", "Within 10"), ("11_to_20", "11 to 20"), ("over_20", "Over 20"))

#: Lightness (CIE L*) about 26, 48, 73 and 90: distinct in greyscale as well as in colour.
DARK, MID, LIGHT, PALE = "#0b3c78", "#b35806", "#f1a340", "#d1e5f0"
INK, GRID, MUTED = "#1b1b1b", "#d9d9d9", "#555555"
WIDTH = 7.0  # inches: about the width of an A4 page inside its margins
NO_DATA = "No data for this period"

RC: dict[str, Any] = {
    "svg.hashsalt": "complaints-annual-report",
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.size": 9,
    "text.color": INK,
    "axes.labelcolor": INK,
    "axes.edgecolor": MUTED,
    "axes.titlesize": 9.5,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.axisbelow": True,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "xtick.labelcolor": INK,
    "ytick.labelcolor": INK,
    "hatch.color": INK,
    "hatch.linewidth": 0.6,
    "legend.frameon": False,
    "figure.facecolor": "white",
}


@dataclass(frozen=True)
class Chart:
    """One chart: its id, its title (SVG title and aria-label), a note on how to read
    it (for the caption), a summary of its figures (SVG desc), the report section it
    illustrates, and the SVG itself."""

    key: str
    title: str
    note: str
    summary: str
    after: str
    svg: str


Draw = Callable[[Any, dict[str, Any]], tuple["Figure", str]]


def charts(report: dict[str, Any], labels: Callable[[str], str] | None = None) -> list[Chart]:
    """Every chart for ``report``, each placed after the section titled ``after``;
    taxonomy names are drawn by their ``labels`` (the default taxonomy's if none)."""
    import matplotlib
    from matplotlib.figure import Figure

    from reports.render import default_labels

    say = default_labels(labels)

    target = " The black line on a bar is the council's target." if report.get("targets") else ""
    specs: list[tuple[str, str, str, str, Draw]] = [
        (
            "outcomes",
            "Outcomes by stage (by date closed)",
            "Shares are of the complaints closed at each stage in the year: "
            "responded to or withdrawn.",
            "Outcomes (by date closed)",
            _outcomes,
        ),
        (
            "reasons",
            "Stage 1 complaints by reason",
            "Shares are of the Stage 1 complaints received; a complaint may give several "
            "reasons, so they add up to more than 100%.",
            "Stage 1 by reason",
            lambda figure_type, report: _reasons(figure_type, report, say),
        ),
        (
            "timeliness",
            "Responses on time and late, by stage",
            "On time: responded within the stage's timescale, including any agreed "
            "extension." + target,
            "Timeliness",
            _timeliness,
        ),
        (
            "response-times",
            "Stage 1 response times (working days)",
            "Working days from receipt to the Stage 1 response, not counting time on hold. "
            "Shares are of the Stage 1 responses.",
            "Stage 1 response times (working days)",
            _bands,
        ),
        (
            "trend",
            "Complaints received over five years",
            "Stage 1 has its own scale: it is many times the later stages.",
            "Five-year trend (received)",
            _trend,
        ),
    ]
    withheld = report.get("suppressed_below")
    result = []
    with matplotlib.rc_context(cast(Any, RC)):
        for key, title, note, after, draw in specs:
            figure, summary = draw(Figure, report)
            if withheld:
                note += f" Counts below {withheld} are withheld and not drawn."
            chart_id = f"chart-{key}"
            svg = _svg(figure, chart_id, title, summary)
            result.append(Chart(key, title, note, summary, after, svg))
    return result


# ----------------------------------------------------------------- helpers
def _stages(report: dict[str, Any]) -> list[str]:
    return ["stage1", "stage2"] if report.get("procedure") == "corporate" else list(STAGE_TITLES)


def _text(name: str, say: Callable[[str], str]) -> str:
    """A taxonomy name's label; ``$`` escaped so matplotlib never reads mathtext."""
    return say(name).replace("$", r"\$")


def _n(value: Any) -> int | None:
    """A count, or None when the public version withheld it (the text ``"<N"``)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _total(*values: Any) -> int | None:
    counts = [_n(v) for v in values]
    return None if any(c is None for c in counts) else sum(c for c in counts if c is not None)


def _pct(part: Any, whole: Any) -> str:
    """``part`` as a share of ``whole``; withheld (``-``) when either was."""
    part, whole = _n(part), _n(whole)
    return f"{100 * part / whole:.0f}%" if part is not None and whole else "-"


def _show(value: Any, whole: Any) -> str:
    """A bar's label: the count and its share, or the withheld text alone."""
    share = _pct(value, whole)
    return str(value) if share == "-" else f"{value} ({share})"


def _bars(values: Sequence[Any]) -> list[float]:
    """Bar lengths: a withheld count draws nothing (its label says ``<N``)."""
    return [float(v) if _n(v) is not None else 0.0 for v in values]


def _no_data(ax: Axes, message: str = NO_DATA) -> None:
    """Say so instead of drawing empty axes; the figure shrinks to one line."""
    from matplotlib.figure import Figure

    figure = ax.figure
    if isinstance(figure, Figure):
        figure.set_size_inches(WIDTH, 0.5)
    ax.set_axis_off()
    ax.text(
        0.5,
        0.5,
        message,
        transform=ax.transAxes,
        ha="center",
        va="center",
        color=MUTED,
        fontsize=10,
    )


def _count_axis(ax: Axes, axis: Literal["x", "y"]) -> None:
    from matplotlib.ticker import MaxNLocator

    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_locator(MaxNLocator(integer=True, nbins=5))
    ax.grid(axis=axis, color=GRID, linewidth=0.6)


def _svg(figure: Figure, chart_id: str, title: str, summary: str) -> str:
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None})
    svg = out.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, count=1, flags=re.DOTALL)
    svg = re.sub(r'<g id="[^"]*"', "<g", svg)  # matplotlib's group ids: unused, not unique
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{chart_id}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{chart_id}-\1)", svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{chart_id}-\1"', svg)
    head = (
        f'<svg id="{chart_id}" role="img" aria-label="{escape(title)}" '
        f'aria-describedby="{chart_id}-desc" '
    )
    svg = svg.replace("<svg ", head, 1)
    opened = svg.index(">") + 1
    return (
        svg[:opened]
        + f"\n <title>{escape(title)}</title>"
        + f'\n <desc id="{chart_id}-desc">{escape(summary)}</desc>'
        + svg[opened:].rstrip()
    )


def _label_bars(ax: Axes, bars: Any, labels: Sequence[str], **kwargs: Any) -> None:
    ax.bar_label(bars, labels=list(labels), padding=3, fontsize=8.5, color=INK, **kwargs)


# ------------------------------------------------------------------ charts
def _outcomes(figure_type: type[Figure], report: dict[str, Any]) -> tuple[Figure, str]:
    stages = _stages(report)
    figure = figure_type(figsize=(WIDTH, 2.3), layout="constrained")
    if all(
        report[key]["responded"] == 0 and report[key]["outcomes"]["withdrawn"] == 0
        for key in stages
    ):
        _no_data(figure.subplots(), "No complaints closed in this period")
        return figure, "No complaints were closed in the period."
    axes = figure.subplots(1, len(stages), sharey=True)
    names = [label for _, label in OUTCOMES]
    positions = list(range(len(OUTCOMES)))
    summary = []
    for ax, key in zip(axes, stages, strict=True):
        figures = report[key]
        counts = [figures["outcomes"][o] for o, _ in OUTCOMES]
        closed = _total(figures["responded"], figures["outcomes"]["withdrawn"])
        stage = STAGE_TITLES[key]
        ax.set_title(stage if closed is None else f"{stage} ({closed} closed)")
        ax.set_yticks(positions, names)
        ax.set_ylim(len(positions) - 0.5, -0.5)
        if closed == 0:
            summary.append(f"{stage}: none closed.")
            ax.set_xticks([])
            ax.spines["bottom"].set_visible(False)
            ax.text(0.5, 0.5, "None closed", transform=ax.transAxes, ha="center", color=MUTED)
            continue
        bars = ax.barh(
            positions,
            _bars(counts),
            height=0.7,
            color=[DARK, MID, LIGHT, PALE],
            edgecolor=INK,
            linewidth=0.6,
            hatch=["", "", "", "\\\\\\"],
        )
        _label_bars(ax, bars, [_show(n, closed) for n in counts])
        ax.set_xlim(0, max(max(_bars(counts)), 1) * 1.6)
        _count_axis(ax, "x")
        summary.append(
            f"{stage}: "
            + ", ".join(f"{name.lower()} {n}" for name, n in zip(names, counts, strict=True))
            + ("." if closed is None else f" of {closed} closed.")
        )
    return figure, " ".join(summary)


def _reasons(
    figure_type: type[Figure], report: dict[str, Any], say: Callable[[str], str]
) -> tuple[Figure, str]:
    stage1 = report["stage1"]
    reasons: dict[str, Any] = stage1["by_reason"]
    rows = max(len(reasons), 1)
    figure = figure_type(figsize=(WIDTH, 0.75 + 0.27 * rows), layout="constrained")
    ax = figure.subplots()
    if not reasons:
        _no_data(ax)
        return figure, "No Stage 1 complaints were received in the period."
    counts = list(reasons.values())
    positions = list(range(len(counts)))
    bars = ax.barh(positions, _bars(counts), height=0.65, color=DARK, edgecolor=INK, linewidth=0.6)
    ax.set_yticks(positions, [_text(name, say) for name in reasons])
    ax.set_ylim(len(positions) - 0.5, -0.5)
    _label_bars(ax, bars, [_show(n, stage1["received"]) for n in counts])
    ax.set_xlim(0, max(max(_bars(counts)), 1) * 1.2)
    _count_axis(ax, "x")
    ax.set_xlabel(f"Complaints giving the reason (of {stage1['received']} received)")
    summary = "; ".join(f"{say(name)} {n}" for name, n in reasons.items())
    return figure, f"Stage 1 complaints by reason: {summary}."


def _timeliness(figure_type: type[Figure], report: dict[str, Any]) -> tuple[Figure, str]:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    stages = _stages(report)
    targets = report.get("targets") or {}
    figure = figure_type(figsize=(WIDTH, 1.0 + 0.55 * len(stages)), layout="constrained")
    ax = figure.subplots()
    if all(report[key]["responded"] == 0 for key in stages):
        _no_data(ax, "No responses in this period")
        return figure, "No responses were made in the period."
    labels, summary = [], []
    for row, key in enumerate(stages):
        stage = STAGE_TITLES[key]
        responded, on_time = _n(report[key]["responded"]), _n(report[key]["on_time"])
        target = (targets.get(key) or {}).get("target_percent")
        if target is not None:
            ax.plot(
                [target, target], [row - 0.4, row + 0.4], color=INK, linewidth=2.2, clip_on=False
            )
        # The public version withholds a share that could give a small count back.
        if (
            responded is None
            or on_time is None
            or (responded > 0 and report[key].get("on_time_percent", 0) is None)
        ):
            labels.append(f"{stage}\nshare withheld")
            ax.text(50, row, "withheld (small numbers)", ha="center", va="center", color=MUTED)
            summary.append(
                f"{stage}: {report[key]['on_time']} of {report[key]['responded']} on time."
            )
            continue
        if not responded:
            labels.append(f"{stage}\nno responses")
            summary.append(f"{stage}: no responses.")
            continue
        late = responded - on_time
        labels.append(f"{stage}\n{on_time} of {responded} on time")
        summary.append(
            f"{stage}: {on_time} of {responded} on time ({_pct(on_time, responded)}), "
            f"{late} late" + ("." if target is None else f"; target {target:g}%.")
        )
        shares = (100 * on_time / responded, 100 * late / responded)
        left = 0.0
        for share, colour, hatch, ink in (
            (shares[0], DARK, "", "white"),
            (shares[1], LIGHT, "///", INK),
        ):
            if share:
                ax.barh(
                    row,
                    share,
                    left=left,
                    height=0.6,
                    color=colour,
                    edgecolor=INK,
                    linewidth=0.6,
                    hatch=hatch,
                    zorder=1,
                )
            if share >= 10:
                ax.text(
                    left + share / 2,
                    row,
                    f"{share:.0f}%",
                    ha="center",
                    va="center",
                    color=ink,
                    fontweight="bold",
                    bbox={"facecolor": "white", "linewidth": 0, "pad": 1.5} if hatch else None,
                    zorder=3,
                )
            left += share
        if 0 < shares[1] < 10:  # too narrow to hold its label: put it beyond the bar
            ax.text(101, row, f"{shares[1]:.0f}% late", va="center", color=INK)
    ax.set_yticks(range(len(stages)), labels)
    ax.set_ylim(len(stages) - 0.5, -0.5)
    ax.set_xlim(0, 100)
    ax.set_xticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
    ax.grid(axis="x", color=GRID, linewidth=0.6)
    ax.set_xlabel("Share of responses in the period")
    handles: list[Artist] = [
        Patch(facecolor=DARK, edgecolor=INK, linewidth=0.6, label="On time"),
        Patch(facecolor=LIGHT, edgecolor=INK, linewidth=0.6, hatch="///", label="Late"),
    ]
    if targets:
        handles.append(Line2D([], [], color=INK, linewidth=2.2, label="Target"))
    ax.legend(handles=handles, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=3)
    return figure, " ".join(summary)


def _bands(figure_type: type[Figure], report: dict[str, Any]) -> tuple[Figure, str]:
    stage1 = report["stage1"]
    bands = stage1["response_bands"]
    counts = [bands[key] for key, _ in BANDS]
    names = [label for _, label in BANDS]
    figure = figure_type(figsize=(WIDTH, 2.2), layout="constrained")
    ax = figure.subplots()
    if all(n == 0 for n in counts):
        _no_data(ax, "No Stage 1 responses in this period")
        return figure, "No Stage 1 responses were made in the period."
    total = stage1["responded"]
    bars = ax.bar(
        names,
        _bars(counts),
        width=0.55,
        color=[DARK, MID, LIGHT],
        edgecolor=INK,
        linewidth=0.6,
        hatch=["", "", "///"],
    )
    _label_bars(ax, bars, [_show(n, total) for n in counts])
    ax.set_ylim(0, max(max(_bars(counts)), 1) * 1.25)
    _count_axis(ax, "y")
    ax.set_xlabel("Working days taken to respond")
    ax.set_ylabel("Responses")
    summary = ", ".join(f"{name.lower()} {n}" for name, n in zip(names, counts, strict=True))
    return figure, f"Stage 1 responses by working days taken: {summary} (of {total})."


def _trend(figure_type: type[Figure], report: dict[str, Any]) -> tuple[Figure, str]:
    years = report["trend"]
    labels = [y["label"] for y in years]
    lines = [
        ("stage1", "Stage 1", DARK, "-", "o"),
        ("stage2", "Stage 2", MID, "--", "s"),
        ("stage3", "Stage 3", "#2166ac", ":", "^"),
        ("ombudsman", "Ombudsman", MUTED, "-.", "D"),
    ]
    if report.get("procedure") == "corporate":
        lines = [line for line in lines if line[0] != "stage3"]
    figure = figure_type(figsize=(WIDTH, 2.7), layout="constrained")
    summary = "; ".join(
        f"{y['label']}: " + ", ".join(f"{name} {y[key]}" for key, name, *_ in lines) for y in years
    )
    summary = f"Complaints received by financial year: {summary}."
    if all(y[key] == 0 for y in years for key, *_ in lines):
        _no_data(figure.subplots())
        return figure, "No complaints were received in any of the five years."
    # Stage 1 is many times the later stages: each gets its own scale.
    for ax, group in zip(figure.subplots(1, 2), (lines[:1], lines[1:]), strict=True):
        if len(group) == 1:
            ax.set_title(group[0][1])
        top = 1
        for key, name, colour, style, marker in group:
            values = [_n(y[key]) for y in years]
            top = max([top] + [v for v in values if v is not None])
            points = [float("nan") if v is None else float(v) for v in values]
            ax.plot(
                range(len(labels)),
                points,
                color=colour,
                linestyle=style,
                marker=marker,
                linewidth=1.8 if key == "stage1" else 1.4,
                label=name,
            )
            if key != "stage1":
                continue
            for x, y in enumerate(years):
                value = _n(y[key])
                ax.annotate(
                    str(y[key]),
                    (x, 0 if value is None else value),
                    textcoords="offset points",
                    xytext=(0, 6),
                    ha="center",
                    fontsize=8.5,
                )
        ax.set_xticks(range(len(labels)), labels)
        ax.tick_params(axis="x", labelsize=8)
        ax.set_ylim(0, top * 1.25)
        ax.set_xlim(-0.5, len(labels) - 0.5)
        _count_axis(ax, "y")
        ax.set_xlabel("Financial year (received)")
        if len(group) > 1:  # the legend stands where the title would
            ax.legend(
                loc="lower left",
                bbox_to_anchor=(0.0, 1.0),
                borderaxespad=0.2,
                fontsize=8.5,
                ncols=len(group),
                handlelength=2.6,
            )
    return figure, summary
