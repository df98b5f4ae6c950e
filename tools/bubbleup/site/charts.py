"""Charts drawn at build time as static inline SVG: no JavaScript, no fonts, nothing fetched.

The published site is static and must work offline and under a strict content security
policy, so a chart is plain SVG markup written into the page. Every chart comes with a
table of the same numbers (rendered by the caller); the SVG is therefore a picture with
an accessible name (`role="img"`, `<title>` and `<desc>` referenced by `aria-labelledby`)
rather than a second, harder-to-read copy of the data.

All text drawn (titles, labels, units) is user data: it is cleaned of characters XML
cannot carry, escaped with `html.escape(..., quote=True)`, and only ever placed in element
content. Attributes hold numbers, fixed colours and the validated `chart_id`, nothing else.

Text widths are estimated (no font metrics at build time), so long labels are cut to a
number of characters with an ellipsis, and the full label is kept in a `<title>` child of
the text element, which browsers show as a tooltip.

Every chart takes `chart_id` (it makes the SVG's ids unique on the page and must match
`^[a-z][a-z0-9-]*$`), `title` (the accessible name, also drawn above the chart) and `width`
(of the viewBox in px; the SVG scales to its container), and returns the SVG markup. Each
raises ValueError for a bad `chart_id`, lengths that differ, a value that is not finite,
or sizes too small to draw in.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from bubbleup.site import svg

__all__ = ["PALETTE", "MAX_LABEL_CHARS", "bar_chart", "column_chart", "stacked_bar", "svg_block"]

PALETTE: tuple[str, ...] = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#A6761D", "#6F7F8F")
"""Okabe-Ito colours (safe for colour blindness), with yellow and orange darkened and a grey
added: each has a contrast of at least 3:1 both on white and on Material's dark "slate"
background, as WCAG asks of graphical objects."""

MAX_LABEL_CHARS = 28
"""Longest label drawn in full; longer ones are cut with an ellipsis."""

MIN_SLOT = 4
"""The narrowest room a column gets, in px; more columns than fit are drawn in runs."""

COMBINE = {"sum": "sums", "mean": "averages"}
"""How a run of columns drawn as one gets its value, and how the description says it."""


def bar_chart(
    chart_id: str,
    title: str,
    labels: list[str],
    values: Sequence[float],
    *,
    unit: str = "",
    width: int = 640,
    bar_height: int = 22,
) -> str:
    """Horizontal bars, one per label, for ranked categories ("top tags", a status funnel).

    Horizontal bars leave room for long labels on the left, which columns do not. The
    largest value spans the whole plot width and the others are proportional to it, so
    the longest bar is the first thing the eye compares against. Zero and negative values
    draw a bar of zero width (a bar cannot run backwards into the labels) but still show
    their number.

    Args:
        labels: One label per bar, drawn to the left of it.
        values: One number per label, drawn at the end of the bar.
        unit: Appended to every number ("%" directly, words after a space).
        bar_height: Thickness of each bar in px.
    """
    data = svg.checked(chart_id, labels, values, width=(width, 160), bar_height=(bar_height, 8))
    if not data:
        return svg.empty(chart_id, title, width)

    texts = [svg.with_unit(value, unit) for _, value in data]
    value_w = max(svg.text_width(text, svg.LABEL_PX) for text in texts) + 2 * 4
    longest = max(len(svg.clean(label)) for label, _ in data)
    label_chars = max(4, min(MAX_LABEL_CHARS, longest, int(width * 0.35 / (svg.LABEL_PX * svg.CHAR_EM))))
    plot_x = svg.PAD + label_chars * svg.LABEL_PX * svg.CHAR_EM + 6
    plot_w = width - plot_x - value_w - svg.PAD
    if plot_w < 40:
        raise ValueError(f"width {width} leaves no room for bars next to the labels and values")

    gap = max(4, round(bar_height * 0.3))
    top = svg.TITLE_ROW + 4
    height = top + len(data) * (bar_height + gap) - gap + svg.PAD
    scale = svg.scale([value for _, value in data])
    largest = max(range(len(data)), key=lambda i: data[i][1])
    desc = (
        f"Horizontal bar chart with {svg.count(len(data), 'bar')}; the largest is "
        f"{svg.clean(data[largest][0])} at {texts[largest]}."
    )

    out = svg.frame(chart_id, title, desc, width, height)
    out.append(svg.line(plot_x, top - 2, plot_x, height - svg.PAD + 2))
    for i, ((label, value), text) in enumerate(zip(data, texts, strict=True)):
        y = top + i * (bar_height + gap)
        middle = y + bar_height / 2
        bar_w = plot_w * scale(value)
        out.append(svg.rect("bar", plot_x, y, bar_w, bar_height, PALETTE[0]))
        out.append(svg.text(plot_x - 6, middle, label, anchor="end", max_chars=label_chars, dy="0.35em"))
        out.append(svg.text(plot_x + bar_w + 4, middle, text, dy="0.35em"))
    return svg.close(out)


def column_chart(
    chart_id: str,
    title: str,
    labels: list[str],
    values: Sequence[float],
    *,
    unit: str = "",
    width: int = 640,
    height: int = 220,
    combine: str = "sum",
) -> str:
    """Vertical columns in order, for a quantity over time (ideas per month, "2026-03").

    Time reads left to right, so columns suit it. Up to 12 columns all have a label, beyond
    that every Nth (the latest included), so that none overlap; up to 24 carry their number,
    beyond that a dashed line marks the maximum and the table has the rest. The tallest
    fills the plot height; zero and negative values draw no column but keep their number.
    Columns narrower than `MIN_SLOT` are drawn in runs labelled "first – last", so any
    range of dates (decades of months) gives a readable chart.

    Args:
        labels: One label per column, drawn below it.
        values: One number per label.
        unit: Appended to every number ("%" directly, words after a space).
        height: Height of the whole chart in px, title and labels included.
        combine: How a run of columns drawn as one gets its value: "sum" for counts,
            "mean" for shares and rates (anything else is a ValueError).
    """
    plot_x, plot_w = svg.PAD, width - 2 * svg.PAD
    checked = svg.checked(chart_id, labels, values, width=(width, 160), height=(height, 100))
    data, size = _grouped(checked, plot_w, combine)
    if not data:
        return svg.empty(chart_id, title, width)
    n, texts = len(data), [svg.with_unit(value, unit) for _, value in data]
    plot_top, baseline = svg.TITLE_ROW + 16, height - 28
    slot = plot_w / n
    column_w = min(slot * 0.7, 56)
    cleaned = [svg.clean(label) for label, _ in data]
    step, label_chars = _label_step(cleaned, slot)
    scale = svg.scale([value for _, value in data])
    highest = max(range(n), key=lambda i: data[i][1])
    grouping = f" ({COMBINE[combine]} of up to {size} in a row)" if size > 1 else ""
    desc = f"Column chart with {svg.count(n, 'column')}{grouping}, from {cleaned[0]} to {cleaned[-1]}; "
    desc += f"the highest is {cleaned[highest]} at {texts[highest]}."
    out = svg.frame(chart_id, title, desc, width, height)
    if n > 24 and data[highest][1] > 0:
        out.append(svg.line(plot_x, plot_top, plot_x + plot_w, plot_top, dashed=True))
        out.append(svg.text(plot_x, plot_top - 4, texts[highest], size=svg.SMALL_PX))
    for i, ((label, value), text) in enumerate(zip(data, texts, strict=True)):
        middle = plot_x + slot * (i + 0.5)
        column_h = (baseline - plot_top) * scale(value)
        out.append(svg.rect("bar", middle - column_w / 2, baseline - column_h, column_w, column_h, PALETTE[0]))
        if n <= 24:
            out.append(svg.text(middle, baseline - column_h - 4, text, anchor="middle", size=svg.SMALL_PX))
        if (n - 1 - i) % step == 0:
            out.append(_column_label(label, middle, (plot_x, plot_x + plot_w), baseline + 16, label_chars))
    out.append(svg.line(plot_x, baseline, plot_x + plot_w, baseline))
    return svg.close(out)


def _column_label(label: str, middle: float, between: tuple[float, float], y: float, max_chars: int) -> str:
    """A label centred under its column, moved inward at either end so the viewBox does not cut it."""
    half = svg.text_width(svg.truncate(svg.clean(label), max_chars), svg.SMALL_PX) / 2
    x = min(max(middle, between[0] + half), between[1] - half)
    return svg.text(x, y, label, anchor="middle", size=svg.SMALL_PX, max_chars=max_chars)


def _label_step(cleaned: list[str], slot: float) -> tuple[int, int]:
    """Every how many columns a label is drawn (all up to 12, then so that none overlap),
    and how many characters each may take."""
    widest = min(max(len(label) for label in cleaned), MAX_LABEL_CHARS) * svg.SMALL_PX * svg.CHAR_EM
    step = 1 if len(cleaned) <= 12 else max(math.ceil(len(cleaned) / 12), math.ceil((widest + 6) / slot))
    return step, max(1, min(MAX_LABEL_CHARS, int((slot * step - 4) / (svg.SMALL_PX * svg.CHAR_EM))))


def _grouped(data: list[tuple[str, float]], room: float, combine: str) -> tuple[list[tuple[str, float]], int]:
    """`data` with runs of neighbours merged so that each column gets `MIN_SLOT` px of
    `room`, and how many each run holds (1: nothing merged)."""
    if combine not in COMBINE:
        raise ValueError(f"combine must be one of {', '.join(COMBINE)}, got {combine!r}")
    size = max(1, math.ceil(len(data) * MIN_SLOT / room))
    if size == 1:
        return data, 1
    groups = []
    for start in range(0, len(data), size):
        run = data[start : start + size]
        label = run[0][0] if len(run) == 1 else f"{svg.clean(run[0][0])} – {svg.clean(run[-1][0])}"
        total = math.fsum(value for _, value in run)
        groups.append((label, total if combine == "sum" else total / len(run)))
    return groups, size


def stacked_bar(
    chart_id: str, title: str, parts: Sequence[tuple[str, float]], *, width: int = 640, height: int = 40
) -> str:
    """One bar split into coloured parts of a whole (employee against customer votes).

    Parts are drawn left to right in the given order, each as wide as its share of the
    positive total; a zero or negative part takes no room but keeps its legend entry and
    number. The legend below names each colour with its number and share, so the chart
    does not rely on colour alone; it wraps onto more rows when it does not fit. Colours
    repeat after six parts.

    Args:
        parts: (label, value) pairs, in the order to draw them.
        height: Thickness of the bar in px; the title and the legend add to it.
    """
    svg.check_id(chart_id)
    svg.check_size("width", width, 160)
    svg.check_size("height", height, 4)
    data = svg.check_series([label for label, _ in parts], [value for _, value in parts])
    if not data:
        return svg.empty(chart_id, title, width)

    total = sum(max(value, 0.0) for _, value in data)
    entries = []
    for label, value in data:
        share = f" ({svg.n(round(100 * value / total))}%)" if total > 0 and value >= 0 else ""
        entries.append((label, f"{svg.number(value)}{share}"))
    plot_w = width - 2 * svg.PAD
    top = svg.TITLE_ROW + 4

    # Lay out the legend first: its rows decide the height.
    swatch, row_h = 12, 20
    legend_chars, placed = _legend(entries, plot_w, swatch)
    legend_top = top + height + 12
    total_h = legend_top + (placed[-1][1] + 1) * row_h + svg.PAD - 6

    summary = "; ".join(f"{svg.clean(label)}: {number}" for label, number in entries)
    desc = f"Stacked bar with {svg.count(len(data), 'part')}. {summary}."
    out = svg.frame(chart_id, title, desc, width, total_h)
    offset = 0.0
    for i, (label, value) in enumerate(data):
        part_w = plot_w * max(value, 0.0) / total if total > 0 else 0.0
        colour = PALETTE[i % len(PALETTE)]
        out.append(svg.rect("bar", svg.PAD + offset, top, part_w, height, colour, f"{label}: {entries[i][1]}"))
        offset += part_w
    for i, ((label, number), (x, row)) in enumerate(zip(entries, placed, strict=True)):
        y = legend_top + row * row_h
        out.append(svg.rect("swatch", svg.PAD + x, y, swatch, swatch, PALETTE[i % len(PALETTE)]))
        out.append(
            svg.text(
                svg.PAD + x + swatch + 6, y + swatch / 2, label, dy="0.35em", max_chars=legend_chars, after=f" {number}"
            )
        )
    return svg.close(out)


def _legend(entries: list[tuple[str, str]], room: float, swatch: int) -> tuple[int, list[tuple[float, int]]]:
    """How many characters a legend label may take, and where each entry goes: (x, row),
    wrapping onto a new row when an entry does not fit."""
    legend_chars = max(4, min(MAX_LABEL_CHARS, int((room - swatch - 6) / (svg.LABEL_PX * svg.CHAR_EM)) - 12))
    placed: list[tuple[float, int]] = []
    x, row = 0.0, 0
    for label, number in entries:
        shown = svg.truncate(svg.clean(label), legend_chars)
        item_w = swatch + 6 + svg.text_width(f"{shown} {number}", svg.LABEL_PX)
        if x > 0 and x + item_w > room:
            x, row = 0.0, row + 1
        placed.append((x, row))
        x += item_w + 16
    return legend_chars, placed


def svg_block(svg: str) -> str:
    """Wrap a chart in `<figure class="bubbleup-chart">` to embed as a raw HTML block.

    Python-Markdown can end a raw HTML block at a blank line and then treat the rest as
    Markdown, which would mangle the SVG, so any blank line is dropped. The result has no
    trailing newline; leave a blank line before and after it in the page.

    Args:
        svg: Markup from one of this module's chart functions.

    Returns:
        The figure markup, without empty lines.
    """
    lines = [line for line in svg.splitlines() if line.strip()]
    return "\n".join(['<figure class="bubbleup-chart">', *lines, "</figure>"])


def matrix_chart(
    chart_id: str,
    title: str,
    points: list[tuple[str, float, float]],
    *,
    x_label: str,
    y_label: str,
    top: float = 5,
    width: int = 480,
    height: int = 420,
) -> str:
    """A scatter of items on two scales from 1 to `top` (impact against effort).

    Each point carries its number (its row in the table beside the chart), not its label:
    titles on a scatter overlap. The quadrant lines at the middle of each scale mark the
    quick wins (high impact, low effort) at the top left.
    """
    svg.check_id(chart_id)
    if not points:
        return svg.empty(chart_id, title, width)
    left, right, upper, lower = svg.PAD + 44, width - svg.PAD, svg.TITLE_ROW + 8, height - 40
    span = max(top - 1, 1)

    def x(value: float) -> float:
        return left + (min(max(value, 1), top) - 1) / span * (right - left)

    def y(value: float) -> float:
        return lower - (min(max(value, 1), top) - 1) / span * (lower - upper)

    desc = "; ".join(
        f"{n}. {svg.clean(label)}: {y_label} {svg.n(v)}, {x_label} {svg.n(u)}"
        for n, (label, u, v) in enumerate(points, 1)
    )
    out = svg.frame(chart_id, title, desc, width, height)
    out += [svg.line(left, lower, right, lower), svg.line(left, upper, left, lower)]
    middle = (1 + top) / 2
    out += [
        svg.line(x(middle), upper, x(middle), lower, dashed=True),
        svg.line(left, y(middle), right, y(middle), dashed=True),
    ]
    out.append(svg.text((left + right) / 2, height - 8, x_label, anchor="middle"))
    middle_y = (upper + lower) / 2
    out.append(
        f'<text x="{svg.n(svg.PAD + 8)}" y="{svg.n(middle_y)}" font-size="{svg.LABEL_PX}px" fill="currentColor" '
        f'text-anchor="middle" transform="rotate(-90 {svg.n(svg.PAD + 8)} {svg.n(middle_y)})">{svg.escape(y_label)}</text>'
    )
    for tick in range(1, int(top) + 1):
        out.append(svg.text(x(tick), lower + 16, str(tick), anchor="middle", size=11))
        out.append(svg.text(left - 8, y(tick), str(tick), anchor="end", size=11, dy="0.35em"))
    for number, (label, across, up) in enumerate(points, 1):
        colour = PALETTE[(number - 1) % len(PALETTE)]
        out.append(
            f'<circle class="point" cx="{svg.n(x(across))}" cy="{svg.n(y(up))}" r="11" fill="{colour}" '
            f'fill-opacity="0.85"><title>{svg.escape(label)}</title></circle>'
        )
        out.append(
            f'<text x="{svg.n(x(across))}" y="{svg.n(y(up))}" dy="0.35em" text-anchor="middle" font-size="11px" '
            f'fill="#fff">{number}</text>'
        )
    return svg.close(out)
