"""The pieces every chart is drawn with: input checks, numbers, text and the SVG frame.

Kept apart from charts.py so that each chart function there reads as layout only.
Everything drawn here that came from a user (titles, labels, units) is cleaned of what
XML cannot carry and HTML-escaped, and only ever placed in element content; attributes
hold numbers, fixed colours and a validated chart id.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Sequence

FONT_FAMILY = "system-ui, sans-serif"
NO_DATA = "No data yet"

_ID = re.compile(r"[a-z][a-z0-9-]*")
# Characters XML 1.0 cannot carry at all (a page with them would not parse as XML).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_SPACE = re.compile(r"\s+")

PAD = 8
TITLE_PX = 14
LABEL_PX = 12
SMALL_PX = 11
TITLE_ROW = 32
CHAR_EM = 0.6
"""Estimated average glyph width in em; generous for system-ui so estimates err wide."""


# --- checks -------------------------------------------------------------------------------


def checked(
    chart_id: str, labels: Sequence[str], values: Sequence[float], **sizes: tuple[int, int]
) -> list[tuple[str, float]]:
    """The checks every series chart makes: its id, each size against its minimum, the data."""
    check_id(chart_id)
    for name, (value, minimum) in sizes.items():
        check_size(name, value, minimum)
    return check_series(labels, values)


def check_id(chart_id: str) -> None:
    # fullmatch: with `$`, re.match would accept a trailing newline.
    if not isinstance(chart_id, str) or not _ID.fullmatch(chart_id):
        raise ValueError(f"chart_id must match ^[a-z][a-z0-9-]*$, got {chart_id!r}")


def check_size(name: str, value: int, minimum: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ValueError(f"{name} must be an integer of at least {minimum}, got {value!r}")


def check_series(labels: Sequence[str], values: Sequence[float]) -> list[tuple[str, float]]:
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


def scale(values: list[float]) -> Callable[[float], float]:
    """The fraction of the full length each value gets: the largest 1, anything <= 0 none."""
    top = max(max(values), 0.0)
    return lambda value: max(value, 0.0) / top if top > 0 else 0.0


def number(value: float) -> str:
    """A value as people write it: 12, 2.5, 0.33 (at most two decimals, no "-0")."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def with_unit(value: float, unit: str) -> str:
    unit = clean(unit)
    if not unit:
        return number(value)
    glue = " " if unit[0].isalnum() else ""
    return f"{number(value)}{glue}{unit}"


def n(value: float) -> str:
    """A coordinate for an attribute: at most two decimals, no exponent, no "-0"."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


# --- text ---------------------------------------------------------------------------------


def clean(text: str) -> str:
    """Drop what XML cannot carry and fold whitespace: a label is drawn on one line."""
    return _SPACE.sub(" ", _NOT_XML.sub("", str(text))).strip()


def escape(text: str) -> str:
    return html.escape(clean(text), quote=True)


def truncate(text: str, max_chars: int) -> str:
    if len(text) <= max_chars:
        return text
    return text[: max(max_chars - 1, 0)].rstrip() + "…"


def text_width(text: str, size: int) -> float:
    return len(text) * size * CHAR_EM


def text(
    x: float,
    y: float,
    text: str,
    *,
    anchor: str = "start",
    size: int = LABEL_PX,
    max_chars: int | None = None,
    dy: str | None = None,
    after: str = "",
    weight: str | None = None,
) -> str:
    """A `<text>` element; cut to `max_chars` with the full text in a `<title>` child."""
    full = clean(text)
    shown = full if max_chars is None else truncate(full, max_chars)
    attributes = f'x="{n(x)}" y="{n(y)}" font-size="{size}px" fill="currentColor"'
    if anchor != "start":
        attributes += f' text-anchor="{anchor}"'
    if dy:
        attributes += f' dy="{dy}"'
    if weight:
        attributes += f' font-weight="{weight}"'
    tooltip = f"<title>{html.escape(full, quote=True)}</title>" if shown != full else ""
    return f"<text {attributes}>{html.escape(shown + after, quote=True)}{tooltip}</text>"


def rect(kind: str, x: float, y: float, width: float, height: float, fill: str, tooltip: str = "") -> str:
    """A `<rect>` of a class and a fixed colour, with an escaped `<title>` tooltip if given."""
    shape = f'<rect class="{kind}" x="{n(x)}" y="{n(y)}" width="{n(width)}" height="{n(height)}" fill="{fill}"'
    return f"{shape}><title>{escape(tooltip)}</title></rect>" if tooltip else f"{shape}/>"


def line(x1: float, y1: float, x2: float, y2: float, *, dashed: bool = False) -> str:
    dash = ' stroke-dasharray="3 3"' if dashed else ""
    return (
        f'<line x1="{n(x1)}" y1="{n(y1)}" x2="{n(x2)}" y2="{n(y2)}" stroke="currentColor" '
        f'stroke-opacity="0.45" stroke-width="1"{dash}/>'
    )


# --- frame --------------------------------------------------------------------------------


def frame(chart_id: str, title: str, desc: str, width: int, height: float) -> list[str]:
    """The root element, the accessible name and description, and the drawn title."""
    title_id, desc_id = f"chart-{chart_id}-title", f"chart-{chart_id}-desc"
    title_chars = int((width - 2 * PAD) / (TITLE_PX * CHAR_EM))
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {n(math.ceil(height))}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" font-family="{FONT_FAMILY}" font-size="{LABEL_PX}px">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{html.escape(desc, quote=True)}</desc>',
        text(PAD, 20, title, size=TITLE_PX, weight="600", max_chars=title_chars),
    ]


def close(out: list[str]) -> str:
    return "\n".join([*out, "</svg>"])


def empty(chart_id: str, title: str, width: int) -> str:
    height = TITLE_ROW + 48
    out = frame(chart_id, title, f"{NO_DATA}.", width, height)
    out.append(text(width / 2, TITLE_ROW + 24, NO_DATA, anchor="middle", dy="0.35em"))
    return close(out)
