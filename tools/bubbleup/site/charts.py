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
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Sequence

__all__ = ["PALETTE", "MAX_LABEL_CHARS", "bar_chart", "column_chart", "stacked_bar", "svg_block"]

PALETTE: tuple[str, ...] = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#A6761D", "#6F7F8F")
"""Okabe-Ito colours (safe for colour blindness), with yellow and orange darkened and a grey
added: each has a contrast of at least 3:1 both on white and on Material's dark "slate"
background, as WCAG asks of graphical objects."""

MAX_LABEL_CHARS = 28
"""Longest label drawn in full; longer ones are cut with an ellipsis."""

FONT_FAMILY = "system-ui, sans-serif"
NO_DATA = "No data yet"

_ID = re.compile(r"[a-z][a-z0-9-]*")
# Characters XML 1.0 cannot carry at all (a page with them would not parse as XML).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_SPACE = re.compile(r"\s+")

_PAD = 8
_TITLE_PX = 14
_LABEL_PX = 12
_SMALL_PX = 11
_TITLE_ROW = 32
_CHAR_EM = 0.6
"""Estimated average glyph width in em; generous for system-ui so estimates err wide."""


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
        chart_id: Makes the SVG's ids unique on the page; must match `^[a-z][a-z0-9-]*$`.
        title: The chart's accessible name, also drawn above it.
        labels: One label per bar, drawn to the left of it.
        values: One number per label, drawn at the end of the bar.
        unit: Appended to every number ("%" directly, words after a space).
        width: Width of the viewBox in px; the SVG itself scales to its container.
        bar_height: Thickness of each bar in px.

    Returns:
        The SVG markup.

    Raises:
        ValueError: For a bad `chart_id`, lengths that differ, a value that is not finite,
            or sizes too small to draw in.
    """
    data = _checked(chart_id, labels, values, width=(width, 160), bar_height=(bar_height, 8))
    if not data:
        return _empty(chart_id, title, width)

    texts = [_with_unit(value, unit) for _, value in data]
    value_w = max(_text_width(text, _LABEL_PX) for text in texts) + 2 * 4
    label_chars = min(
        MAX_LABEL_CHARS, max(len(_clean(label)) for label, _ in data), int(width * 0.35 / (_LABEL_PX * _CHAR_EM))
    )
    label_chars = max(label_chars, 4)
    plot_x = _PAD + label_chars * _LABEL_PX * _CHAR_EM + 6
    plot_w = width - plot_x - value_w - _PAD
    if plot_w < 40:
        raise ValueError(f"width {width} leaves no room for bars next to the labels and values")

    gap = max(4, round(bar_height * 0.3))
    top = _TITLE_ROW + 4
    height = top + len(data) * (bar_height + gap) - gap + _PAD
    scale = _scale([value for _, value in data])
    largest = max(range(len(data)), key=lambda i: data[i][1])
    desc = (
        f"Horizontal bar chart with {_count(len(data), 'bar')}; the largest is "
        f"{_clean(data[largest][0])} at {texts[largest]}."
    )

    out = _open(chart_id, title, desc, width, height)
    out.append(_line(plot_x, top - 2, plot_x, height - _PAD + 2))
    for i, ((label, value), text) in enumerate(zip(data, texts, strict=True)):
        y = top + i * (bar_height + gap)
        middle = y + bar_height / 2
        bar_w = plot_w * scale(value)
        out.append(
            f'<rect class="bar" x="{_n(plot_x)}" y="{_n(y)}" width="{_n(bar_w)}" '
            f'height="{_n(bar_height)}" fill="{PALETTE[0]}"/>'
        )
        out.append(_text(plot_x - 6, middle, label, anchor="end", max_chars=label_chars, dy="0.35em"))
        out.append(_text(plot_x + bar_w + 4, middle, text, dy="0.35em"))
    return _close(out)


def column_chart(
    chart_id: str,
    title: str,
    labels: list[str],
    values: Sequence[float],
    *,
    unit: str = "",
    width: int = 640,
    height: int = 220,
) -> str:
    """Vertical columns in order, for a quantity over time (ideas per month, "2026-03").

    Time reads left to right, so columns suit it. Every label is drawn when there are at
    most 12; beyond that only every Nth, always including the latest, so they never
    overlap. Each column carries its number when there are at most 24; beyond that the
    numbers would collide, so a dashed line marks the maximum instead, and the table has
    the rest. The tallest column fills the plot height; zero and negative values draw a
    column of zero height but keep their number.

    Args:
        chart_id: Makes the SVG's ids unique on the page; must match `^[a-z][a-z0-9-]*$`.
        title: The chart's accessible name, also drawn above it.
        labels: One label per column, drawn below it.
        values: One number per label.
        unit: Appended to every number ("%" directly, words after a space).
        width: Width of the viewBox in px; the SVG itself scales to its container.
        height: Height of the whole chart in px, title and labels included.

    Returns:
        The SVG markup.

    Raises:
        ValueError: For a bad `chart_id`, lengths that differ, a value that is not finite,
            or sizes too small to draw in.
    """
    data = _checked(chart_id, labels, values, width=(width, 160), height=(height, 100))
    if not data:
        return _empty(chart_id, title, width)

    n = len(data)
    texts = [_with_unit(value, unit) for _, value in data]
    plot_x, plot_w = _PAD, width - 2 * _PAD
    plot_top = _TITLE_ROW + 16
    baseline = height - 28
    plot_h = baseline - plot_top
    slot = plot_w / n
    column_w = min(slot * 0.7, 56)
    if column_w < 1:
        raise ValueError(f"width {width} is too small for {n} columns")

    cleaned = [_clean(label) for label, _ in data]
    widest = min(max(len(label) for label in cleaned), MAX_LABEL_CHARS) * _SMALL_PX * _CHAR_EM
    step = 1 if n <= 12 else max(math.ceil(n / 12), math.ceil((widest + 6) / slot))
    label_chars = max(1, min(MAX_LABEL_CHARS, int((slot * step - 4) / (_SMALL_PX * _CHAR_EM))))
    scale = _scale([value for _, value in data])
    highest = max(range(n), key=lambda i: data[i][1])
    desc = (
        f"Column chart with {_count(n, 'column')}, from {cleaned[0]} to {cleaned[-1]}; "
        f"the highest is {cleaned[highest]} at {texts[highest]}."
    )

    out = _open(chart_id, title, desc, width, height)
    if n > 24 and data[highest][1] > 0:
        out.append(_line(plot_x, plot_top, plot_x + plot_w, plot_top, dashed=True))
        out.append(_text(plot_x, plot_top - 4, texts[highest], size=_SMALL_PX))
    for i, ((label, value), text) in enumerate(zip(data, texts, strict=True)):
        middle = plot_x + slot * (i + 0.5)
        column_h = plot_h * scale(value)
        out.append(
            f'<rect class="bar" x="{_n(middle - column_w / 2)}" y="{_n(baseline - column_h)}" '
            f'width="{_n(column_w)}" height="{_n(column_h)}" fill="{PALETTE[0]}"/>'
        )
        if n <= 24:
            out.append(_text(middle, baseline - column_h - 4, text, anchor="middle", size=_SMALL_PX))
        if (n - 1 - i) % step == 0:
            # Keep the first and last labels inside the viewBox, which would otherwise cut them.
            half = _text_width(_truncate(cleaned[i], label_chars), _SMALL_PX) / 2
            x = min(max(middle, plot_x + half), plot_x + plot_w - half)
            out.append(_text(x, baseline + 16, label, anchor="middle", size=_SMALL_PX, max_chars=label_chars))
    out.append(_line(plot_x, baseline, plot_x + plot_w, baseline))
    return _close(out)


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
        chart_id: Makes the SVG's ids unique on the page; must match `^[a-z][a-z0-9-]*$`.
        title: The chart's accessible name, also drawn above it.
        parts: (label, value) pairs, in the order to draw them.
        width: Width of the viewBox in px; the SVG itself scales to its container.
        height: Thickness of the bar in px; the title and the legend add to it.

    Returns:
        The SVG markup.

    Raises:
        ValueError: For a bad `chart_id`, a value that is not finite, or sizes too small
            to draw in.
    """
    _check_id(chart_id)
    _check_size("width", width, 160)
    _check_size("height", height, 4)
    data = _check_series([label for label, _ in parts], [value for _, value in parts])
    if not data:
        return _empty(chart_id, title, width)

    total = sum(max(value, 0.0) for _, value in data)
    entries = []
    for label, value in data:
        share = f" ({_n(round(100 * value / total))}%)" if total > 0 and value >= 0 else ""
        entries.append((label, f"{_number(value)}{share}"))
    plot_w = width - 2 * _PAD
    top = _TITLE_ROW + 4

    # Lay out the legend first: its rows decide the height.
    swatch, row_h = 12, 20
    legend_chars = max(4, min(MAX_LABEL_CHARS, int((plot_w - swatch - 6) / (_LABEL_PX * _CHAR_EM)) - 12))
    placed: list[tuple[float, int]] = []
    x, row = 0.0, 0
    for label, number in entries:
        shown = _truncate(_clean(label), legend_chars)
        item_w = swatch + 6 + _text_width(f"{shown} {number}", _LABEL_PX)
        if x > 0 and x + item_w > plot_w:
            x, row = 0.0, row + 1
        placed.append((x, row))
        x += item_w + 16
    legend_top = top + height + 12
    total_h = legend_top + (row + 1) * row_h + _PAD - 6

    summary = "; ".join(f"{_clean(label)}: {number}" for label, number in entries)
    desc = f"Stacked bar with {_count(len(data), 'part')}. {summary}."
    out = _open(chart_id, title, desc, width, total_h)
    offset = 0.0
    for i, (label, value) in enumerate(data):
        part_w = plot_w * max(value, 0.0) / total if total > 0 else 0.0
        out.append(
            f'<rect class="bar" x="{_n(_PAD + offset)}" y="{_n(top)}" width="{_n(part_w)}" '
            f'height="{_n(height)}" fill="{PALETTE[i % len(PALETTE)]}">'
            f"<title>{_escape(label)}: {_escape(entries[i][1])}</title></rect>"
        )
        offset += part_w
    for i, ((label, number), (x, row)) in enumerate(zip(entries, placed, strict=True)):
        y = legend_top + row * row_h
        out.append(
            f'<rect class="swatch" x="{_n(_PAD + x)}" y="{_n(y)}" width="{swatch}" '
            f'height="{swatch}" fill="{PALETTE[i % len(PALETTE)]}"/>'
        )
        out.append(
            _text(_PAD + x + swatch + 6, y + swatch / 2, label, dy="0.35em", max_chars=legend_chars, after=f" {number}")
        )
    return _close(out)


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


# --- checks -------------------------------------------------------------------------------


def _checked(
    chart_id: str, labels: Sequence[str], values: Sequence[float], **sizes: tuple[int, int]
) -> list[tuple[str, float]]:
    """The checks every series chart makes: its id, each size against its minimum, the data."""
    _check_id(chart_id)
    for name, (value, minimum) in sizes.items():
        _check_size(name, value, minimum)
    return _check_series(labels, values)


def _check_id(chart_id: str) -> None:
    # fullmatch: with `$`, re.match would accept a trailing newline.
    if not isinstance(chart_id, str) or not _ID.fullmatch(chart_id):
        raise ValueError(f"chart_id must match ^[a-z][a-z0-9-]*$, got {chart_id!r}")


def _check_size(name: str, value: int, minimum: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ValueError(f"{name} must be an integer of at least {minimum}, got {value!r}")


def _check_series(labels: Sequence[str], values: Sequence[float]) -> list[tuple[str, float]]:
    if len(labels) != len(values):
        raise ValueError(f"{len(labels)} labels but {len(values)} values")
    data = []
    for label, value in zip(labels, values, strict=True):
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(f"value for {label!r} is not a finite number: {value!r}")
        data.append((str(label), number))
    return data


# --- numbers ------------------------------------------------------------------------------


def _scale(values: list[float]) -> Callable[[float], float]:
    """The fraction of the full length each value gets: the largest 1, anything <= 0 none."""
    top = max(max(values), 0.0)
    return lambda value: max(value, 0.0) / top if top > 0 else 0.0


def _number(value: float) -> str:
    """A value as people write it: 12, 2.5, 0.33 (at most two decimals, no "-0")."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _with_unit(value: float, unit: str) -> str:
    unit = _clean(unit)
    if not unit:
        return _number(value)
    glue = " " if unit[0].isalnum() else ""
    return f"{_number(value)}{glue}{unit}"


def _n(value: float) -> str:
    """A coordinate for an attribute: at most two decimals, no exponent, no "-0"."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


# --- text ---------------------------------------------------------------------------------


def _clean(text: str) -> str:
    """Drop what XML cannot carry and fold whitespace: a label is drawn on one line."""
    return _SPACE.sub(" ", _NOT_XML.sub("", str(text))).strip()


def _escape(text: str) -> str:
    return html.escape(_clean(text), quote=True)


def _truncate(text: str, max_chars: int) -> str:
    if len(text) <= max_chars:
        return text
    return text[: max(max_chars - 1, 0)].rstrip() + "…"


def _text_width(text: str, size: int) -> float:
    return len(text) * size * _CHAR_EM


def _text(
    x: float,
    y: float,
    text: str,
    *,
    anchor: str = "start",
    size: int = _LABEL_PX,
    max_chars: int | None = None,
    dy: str | None = None,
    after: str = "",
    weight: str | None = None,
) -> str:
    """A `<text>` element; cut to `max_chars` with the full text in a `<title>` child."""
    full = _clean(text)
    shown = full if max_chars is None else _truncate(full, max_chars)
    attributes = f'x="{_n(x)}" y="{_n(y)}" font-size="{size}px" fill="currentColor"'
    if anchor != "start":
        attributes += f' text-anchor="{anchor}"'
    if dy:
        attributes += f' dy="{dy}"'
    if weight:
        attributes += f' font-weight="{weight}"'
    tooltip = f"<title>{html.escape(full, quote=True)}</title>" if shown != full else ""
    return f"<text {attributes}>{html.escape(shown + after, quote=True)}{tooltip}</text>"


def _line(x1: float, y1: float, x2: float, y2: float, *, dashed: bool = False) -> str:
    dash = ' stroke-dasharray="3 3"' if dashed else ""
    return (
        f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="currentColor" '
        f'stroke-opacity="0.45" stroke-width="1"{dash}/>'
    )


# --- frame --------------------------------------------------------------------------------


def _open(chart_id: str, title: str, desc: str, width: int, height: float) -> list[str]:
    """The root element, the accessible name and description, and the drawn title."""
    title_id, desc_id = f"chart-{chart_id}-title", f"chart-{chart_id}-desc"
    title_chars = int((width - 2 * _PAD) / (_TITLE_PX * _CHAR_EM))
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {_n(math.ceil(height))}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" font-family="{FONT_FAMILY}" font-size="{_LABEL_PX}px">',
        f'<title id="{title_id}">{_escape(title)}</title>',
        f'<desc id="{desc_id}">{html.escape(desc, quote=True)}</desc>',
        _text(_PAD, 20, title, size=_TITLE_PX, weight="600", max_chars=title_chars),
    ]


def _close(out: list[str]) -> str:
    return "\n".join([*out, "</svg>"])


def _empty(chart_id: str, title: str, width: int) -> str:
    height = _TITLE_ROW + 48
    out = _open(chart_id, title, f"{NO_DATA}.", width, height)
    out.append(_text(width / 2, _TITLE_ROW + 24, NO_DATA, anchor="middle", dy="0.35em"))
    return _close(out)


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
    _check_id(chart_id)
    if not points:
        return _empty(chart_id, title, width)
    left, right, upper, lower = _PAD + 44, width - _PAD, _TITLE_ROW + 8, height - 40
    span = max(top - 1, 1)

    def x(value: float) -> float:
        return left + (min(max(value, 1), top) - 1) / span * (right - left)

    def y(value: float) -> float:
        return lower - (min(max(value, 1), top) - 1) / span * (lower - upper)

    desc = "; ".join(
        f"{n}. {_clean(label)}: {y_label} {_n(v)}, {x_label} {_n(u)}" for n, (label, u, v) in enumerate(points, 1)
    )
    out = _open(chart_id, title, desc, width, height)
    out += [_line(left, lower, right, lower), _line(left, upper, left, lower)]
    middle = (1 + top) / 2
    out += [
        _line(x(middle), upper, x(middle), lower, dashed=True),
        _line(left, y(middle), right, y(middle), dashed=True),
    ]
    out.append(_text((left + right) / 2, height - 8, x_label, anchor="middle"))
    middle_y = (upper + lower) / 2
    out.append(
        f'<text x="{_n(_PAD + 8)}" y="{_n(middle_y)}" font-size="{_LABEL_PX}px" fill="currentColor" '
        f'text-anchor="middle" transform="rotate(-90 {_n(_PAD + 8)} {_n(middle_y)})">{_escape(y_label)}</text>'
    )
    for tick in range(1, int(top) + 1):
        out.append(_text(x(tick), lower + 16, str(tick), anchor="middle", size=11))
        out.append(_text(left - 8, y(tick), str(tick), anchor="end", size=11, dy="0.35em"))
    for number, (label, across, up) in enumerate(points, 1):
        colour = PALETTE[(number - 1) % len(PALETTE)]
        out.append(
            f'<circle class="point" cx="{_n(x(across))}" cy="{_n(y(up))}" r="11" fill="{colour}" '
            f'fill-opacity="0.85"><title>{_escape(label)}</title></circle>'
        )
        out.append(
            f'<text x="{_n(x(across))}" y="{_n(y(up))}" dy="0.35em" text-anchor="middle" font-size="11px" '
            f'fill="#fff">{number}</text>'
        )
    return _close(out)
