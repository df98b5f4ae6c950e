"""Static SVG charts: well-formed, proportional, accessible, and safe with hostile labels."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bubbleup.site.charts import MAX_LABEL_CHARS, PALETTE, bar_chart, column_chart, stacked_bar, svg_block

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = ["<script>alert(1)</script>", '" onload="x', "a & b 'quoted'"]


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def bars(root: ET.Element) -> list[ET.Element]:
    return [rect for rect in root.iter(f"{SVG}rect") if rect.get("class") == "bar"]


def texts(root: ET.Element) -> list[ET.Element]:
    return list(root.iter(f"{SVG}text"))


def all_charts() -> list[str]:
    return [
        bar_chart("a", "Bars", ["x", "y"], [3, 1]),
        column_chart("b", "Columns", ["2026-01", "2026-02"], [3, 1]),
        stacked_bar("c", "Stacked", [("x", 3), ("y", 1)]),
        bar_chart("d", "Empty", [], []),
    ]


def test_bar_chart_has_one_rect_per_value_and_widths_are_proportional() -> None:
    root = parse(bar_chart("top-tags", "Top tags", ["big", "half", "quarter", "zero"], [40, 20, 10, 0]))
    rects = root.findall(f".//{SVG}rect")
    assert len(rects) == 4 and bars(root) == rects
    widths = [float(rect.get("width", "nan")) for rect in rects]
    full = widths[0]
    view_width = float(root.get("viewBox", "").split()[2])
    assert 0.5 * view_width < full < view_width
    assert abs(widths[1] - full / 2) <= 1
    assert abs(widths[2] - full / 4) <= 1
    assert widths[3] == 0
    # Bars start together, so their lengths compare.
    assert len({rect.get("x") for rect in rects}) == 1
    # The largest bar runs to the end of the plot: only its number's room is left after it.
    end = float(rects[0].get("x", "nan")) + full
    assert 0 < view_width - end <= len("40") * 12 * 0.6 + 8 + 8 + 1
    # The same layout with other magnitudes gives the same lengths: the scale is the maximum.
    scaled = parse(bar_chart("top-tags", "Top tags", ["big", "half", "quarter", "zero"], [80, 40, 20, 0]))
    assert [float(rect.get("width", "nan")) for rect in bars(scaled)] == widths


def test_bar_chart_labels_and_values_with_unit() -> None:
    root = parse(bar_chart("funnel", "Funnel", ["proposed", "done"], [12, 2.5], unit="ideas"))
    shown = ["".join(text.itertext()) for text in texts(root)]
    assert shown == ["Funnel", "proposed", "12 ideas", "done", "2.5 ideas"]
    root = parse(bar_chart("share", "Share", ["a"], [50], unit="%"))
    assert "50%" in ["".join(text.itertext()) for text in texts(root)]


def test_negative_and_zero_values_clamp_to_no_width_but_keep_their_number() -> None:
    root = parse(bar_chart("neg", "Net score", ["up", "flat", "down"], [4, 0, -3]))
    widths = [float(rect.get("width", "nan")) for rect in bars(root)]
    assert widths[0] > 0 and widths[1] == 0 and widths[2] == 0
    numbers = [text.text for text in texts(root)]
    assert "0" in numbers and "-3" in numbers

    root = parse(bar_chart("all-neg", "All down", ["a", "b"], [-1, -2]))
    assert [float(rect.get("width", "nan")) for rect in bars(root)] == [0, 0]

    root = parse(column_chart("cols", "Per month", ["2026-01", "2026-02"], [-5, 10]))
    heights = [float(rect.get("height", "nan")) for rect in bars(root)]
    assert heights[0] == 0 and heights[1] > 0
    assert "-5" in [text.text for text in texts(root)]


def test_column_chart_heights_are_proportional_and_share_a_baseline() -> None:
    root = parse(column_chart("per-month", "Ideas per month", ["2026-01", "2026-02", "2026-03"], [8, 4, 2]))
    rects = root.findall(f".//{SVG}rect")
    assert len(rects) == 3
    heights = [float(rect.get("height", "nan")) for rect in rects]
    assert abs(heights[1] - heights[0] / 2) <= 1 and abs(heights[2] - heights[0] / 4) <= 1
    # The tallest column fills the plot: twice the values, the same heights.
    doubled = parse(column_chart("per-month", "Ideas per month", ["2026-01", "2026-02", "2026-03"], [16, 8, 4]))
    assert [float(rect.get("height", "nan")) for rect in bars(doubled)] == heights
    bottoms = {round(float(rect.get("y", "nan")) + float(rect.get("height", "nan")), 1) for rect in rects}
    assert len(bottoms) == 1
    xs = [float(rect.get("x", "nan")) for rect in rects]
    assert xs == sorted(xs) and len(set(xs)) == 3


def test_column_chart_shows_every_label_up_to_twelve_then_every_nth_including_the_last() -> None:
    months = [f"2025-{m:02d}" for m in range(1, 13)]
    shown = {text.text for text in texts(parse(column_chart("m", "T", months, [1.0] * 12)))}
    assert set(months) <= shown

    many = [f"{2020 + i // 12}-{i % 12 + 1:02d}" for i in range(40)]
    root = parse(column_chart("many", "T", many, [float(i) for i in range(40)]))
    labels = [text for text in texts(root) if text.text in many]
    assert 2 <= len(labels) <= 12
    assert many[-1] in [text.text for text in labels]
    # Drawn labels must not overlap: centres at least a label's estimated width apart.
    centres = sorted(float(text.get("x", "nan")) for text in labels)
    assert min(b - a for a, b in zip(centres, centres[1:], strict=False)) > len(many[0]) * 11 * 0.6
    # And none runs off the viewBox.
    view_width = float(root.get("viewBox", "").split()[2])
    assert all(len(many[0]) * 11 * 0.3 <= x <= view_width - len(many[0]) * 11 * 0.3 for x in centres)


def test_column_chart_value_labels_only_up_to_twenty_four_columns() -> None:
    labels = [f"d{i}" for i in range(30)]
    few = parse(column_chart("few", "T", labels[:24], [float(100 + i) for i in range(24)]))
    assert {str(100 + i) for i in range(24)} <= {text.text for text in texts(few)}
    many = parse(column_chart("many", "T", labels, [float(100 + i) for i in range(30)]))
    numbers = {text.text for text in texts(many)} & {str(100 + i) for i in range(30)}
    assert numbers == {"129"}, "only the maximum is marked when columns are too many to number"
    assert len(bars(many)) == 30


def test_stacked_bar_splits_the_width_and_has_a_legend() -> None:
    root = parse(stacked_bar("votes", "Votes", [("Employees", 30), ("Customers", 10), ("None", 0)]))
    parts = bars(root)
    assert len(parts) == 3
    widths = [float(rect.get("width", "nan")) for rect in parts]
    assert abs(widths[0] - 3 * widths[1]) <= 1 and widths[2] == 0
    # Parts sit end to end.
    assert abs(float(parts[0].get("x", "nan")) + widths[0] - float(parts[1].get("x", "nan"))) <= 0.01
    swatches = [rect for rect in root.iter(f"{SVG}rect") if rect.get("class") == "swatch"]
    assert [rect.get("fill") for rect in swatches] == [rect.get("fill") for rect in parts] == list(PALETTE[:3])
    legend = ["".join(text.itertext()) for text in texts(root)][1:]
    assert legend == ["Employees 30 (75%)", "Customers 10 (25%)", "None 0 (0%)"]


def test_stacked_bar_legend_wraps_and_colours_repeat_after_the_palette() -> None:
    parts = [(f"Part number {i}", float(i + 1)) for i in range(9)]
    root = parse(stacked_bar("many", "Many", parts, width=320))
    swatches = [rect for rect in root.iter(f"{SVG}rect") if rect.get("class") == "swatch"]
    assert len(swatches) == 9 and len(bars(root)) == 9
    assert len({swatch.get("y") for swatch in swatches}) > 1
    assert swatches[6].get("fill") == PALETTE[0]
    view_width, view_height = (float(v) for v in root.get("viewBox", "").split()[2:])
    assert all(float(s.get("x", "nan")) + 12 <= view_width for s in swatches)
    assert all(float(s.get("y", "nan")) + 12 <= view_height for s in swatches)


@pytest.mark.parametrize("chart", ["bar", "column", "stacked"])
def test_hostile_labels_are_only_ever_escaped_text(chart: str) -> None:
    hostile_title = '</title><script>alert("t")</script>'
    if chart == "bar":
        svg = bar_chart("evil", hostile_title, HOSTILE, [3, 2, 1], unit='<b onclick="x">')
    elif chart == "column":
        svg = column_chart("evil", hostile_title, HOSTILE, [3, 2, 1], unit='<b onclick="x">')
    else:
        svg = stacked_bar("evil", hostile_title, [(label, 1.0) for label in HOSTILE])
    assert "<script" not in svg.lower() and "<b " not in svg
    assert "onload=" not in svg.replace("onload=&quot;", "")
    root = parse(svg)
    for element in root.iter():
        assert not any(name.lower().startswith("on") for name in element.attrib), element.attrib
        assert not element.tag.endswith(("script", "style", "foreignObject", "a", "image", "use"))
    for name in ("href", "{http://www.w3.org/1999/xlink}href"):
        assert all(name not in element.attrib for element in root.iter())
    drawn = ["".join(text.itertext()) for text in texts(root)]
    for label in HOSTILE:
        assert any(text == label or text.startswith(label + " ") for text in drawn), (label, drawn)
    assert root.findtext(f"{SVG}title") == hostile_title
    if chart != "stacked":
        assert '1<b onclick="x">' in drawn


def test_long_labels_are_cut_with_an_ellipsis_and_kept_whole_in_a_title() -> None:
    long = "An idea whose title goes on and on and never seems to stop at all"
    root = parse(bar_chart("long", "Long", [long, "short"], [1, 2]))
    label = next(text for text in texts(root) if text.text and text.text.startswith("An idea"))
    assert label.text is not None and label.text.endswith("…")
    assert len(label.text) <= MAX_LABEL_CHARS
    assert label.findtext(f"{SVG}title") == long
    short = next(text for text in texts(root) if text.text == "short")
    assert short.find(f"{SVG}title") is None


def test_text_that_xml_cannot_carry_is_dropped_and_whitespace_folded() -> None:
    root = parse(bar_chart("ctl", "Title\x00 with\nnewline", ["bell\x07 label", "tab\tlabel"], [1, 2]))
    shown = [text.text for text in texts(root)]
    assert "bell label" in shown and "tab label" in shown
    assert root.findtext(f"{SVG}title") == "Title with newline"


@pytest.mark.parametrize("svg", all_charts())
def test_every_chart_is_an_accessible_scalable_image(svg: str) -> None:
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert root.get("preserveAspectRatio") == "xMinYMin meet"
    assert root.get("font-family") == "system-ui, sans-serif"
    assert len(root.get("viewBox", "").split()) == 4
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None and (desc.text or "").strip()
    assert root.get("aria-labelledby", "").split() == [title.get("id"), desc.get("id")]
    ids = [element.get("id") for element in root.iter() if element.get("id")]
    assert len(ids) == len(set(ids)) == 2


def test_chart_ids_make_the_referenced_ids_unique() -> None:
    first, second = parse(bar_chart("one", "T", ["a"], [1])), parse(bar_chart("two", "T", ["a"], [1]))
    assert not {e.get("id") for e in first.iter() if e.get("id")} & {e.get("id") for e in second.iter() if e.get("id")}
    assert all("one" in (e.get("id") or "") for e in first.iter() if e.get("id"))


@pytest.mark.parametrize(
    "make",
    [
        lambda: bar_chart("empty", "Top tags", [], []),
        lambda: column_chart("empty", "Per month", [], []),
        lambda: stacked_bar("empty", "Votes", []),
    ],
)
def test_empty_data_says_no_data_yet(make) -> None:  # type: ignore[no-untyped-def]
    root = parse(make())
    assert "No data yet" in [text.text for text in texts(root)]
    assert root.find(f".//{SVG}rect") is None


@pytest.mark.parametrize("chart_id", ["", "Top", "1st", "-a", "a_b", "a b", "a\n", 'top"x', "é", "a.b"])
def test_invalid_chart_id_is_refused(chart_id: str) -> None:
    with pytest.raises(ValueError, match="chart_id"):
        bar_chart(chart_id, "T", ["a"], [1])
    with pytest.raises(ValueError, match="chart_id"):
        column_chart(chart_id, "T", [], [])
    with pytest.raises(ValueError, match="chart_id"):
        stacked_bar(chart_id, "T", [])


def test_bad_data_is_refused() -> None:
    with pytest.raises(ValueError, match="labels"):
        bar_chart("a", "T", ["a", "b"], [1])
    with pytest.raises(ValueError, match="finite"):
        column_chart("a", "T", ["a"], [float("nan")])
    with pytest.raises(ValueError, match="finite"):
        stacked_bar("a", "T", [("a", float("inf"))])
    with pytest.raises(ValueError, match="width"):
        bar_chart("a", "T", ["a"], [1], width=10)


def test_svg_block_wraps_in_a_figure_without_blank_lines() -> None:
    svg = bar_chart("wrapped", "Multi\n\nline title", ["a\n\nb", "c"], [1, 2])
    block = svg_block(svg)
    assert block.startswith('<figure class="bubbleup-chart">\n<svg ')
    assert block.endswith("</svg>\n</figure>")
    assert all(line.strip() for line in block.split("\n"))
    assert "\n\n" not in block and "\r" not in block
    figure = ET.fromstring(block)
    assert figure.tag == "figure" and figure.find(f"{SVG}svg") is not None
    # Blank lines in what it is given are dropped too.
    assert all(line.strip() for line in svg_block("<svg>\n\n  \n</svg>").split("\n"))


def test_matrix_chart_places_points_on_both_scales() -> None:
    import xml.etree.ElementTree as ElementTree

    from bubbleup.site.charts import matrix_chart

    svg = matrix_chart(
        "matrix",
        "Impact against effort",
        [("<script>x</script>", 1, 5), ("b", 5, 1)],
        x_label="Effort",
        y_label="Impact",
    )
    root = ElementTree.fromstring(svg)
    circles = [e for e in root.iter() if e.tag.endswith("circle")]
    assert len(circles) == 2
    first, second = ({k: float(v) for k, v in c.attrib.items() if k in ("cx", "cy")} for c in circles)
    assert first["cx"] < second["cx"] and first["cy"] < second["cy"]  # low effort left, high impact up
    assert "<script" not in svg and circles[0].find("{http://www.w3.org/2000/svg}title").text == "<script>x</script>"
    assert "No data yet" in matrix_chart("empty", "Nothing", [], x_label="x", y_label="y")


def test_column_chart_draws_any_number_of_columns_in_runs() -> None:
    # 1990-01 to 2026-10 is 442 months: at 640 px each column had under one pixel and the build failed.
    labels = [f"{1990 + i // 12}-{i % 12 + 1:02d}" for i in range(442)]
    svg = column_chart("per-month", "Ideas per month", labels, [1.0] * 441 + [5.0])
    ElementTree = ET.fromstring(svg)
    bars = [e for e in ElementTree.iter("{http://www.w3.org/2000/svg}rect") if e.get("class") == "bar"]
    assert 1 < len(bars) <= (640 - 16) // 4
    assert "(sums of up to 3 in a row)" in svg and "1990-01 – 1990-03" in svg
    shares = column_chart("answered", "Share", labels, [50.0] * 442, unit="%", combine="mean")
    assert "averages of up to 3" in shares and "at 50%." in shares  # the mean of a run of 50% is 50%
    with pytest.raises(ValueError, match="combine"):
        column_chart("x", "X", ["a"], [1.0], combine="max")


@settings(max_examples=40, deadline=None)
@given(
    count=st.integers(min_value=1, max_value=5000),
    width=st.integers(min_value=160, max_value=2000),
    combine=st.sampled_from(["sum", "mean"]),
)
def test_column_chart_never_fails_for_a_long_series(count: int, width: int, combine: str) -> None:
    values = [float(i % 7) for i in range(count)]
    svg = column_chart("series", "A series", [str(i) for i in range(count)], values, width=width, combine=combine)
    root = ET.fromstring(svg)
    bars = [e for e in root.iter("{http://www.w3.org/2000/svg}rect") if e.get("class") == "bar"]
    assert 1 <= len(bars) <= max(1, count)
    assert all(float(bar.get("width", "0")) >= 1 for bar in bars)
