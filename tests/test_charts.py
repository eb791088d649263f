"""Server-side SVG charts: well-formed, self-contained, with a text equivalent."""

import xml.etree.ElementTree as ET

from reports.outputs.charts import bar_chart, share_chart

SVG = "{http://www.w3.org/2000/svg}"


def test_bar_chart_is_valid_svg_with_one_bar_per_value_and_a_title():
    chart = bar_chart(
        "每月收到申请", ["1月", "2月", "3月"], [("收到", [3, 0, 7]), ("答复", [1, 2, 5])]
    )
    root = ET.fromstring(chart.svg)
    assert root.get("role") == "img" and root.get("aria-label") == "每月收到申请"
    assert root.find(f"{SVG}title").text == "每月收到申请"
    bars = [rect for rect in root.iter(f"{SVG}rect") if rect.find(f"{SVG}title") is not None]
    assert len(bars) == 6
    heights = [float(rect.get("height")) for rect in bars]
    assert heights[4] > heights[0] > heights[2] == 0  # 7 > 3 > 0, on one scale


def test_bar_chart_text_equivalent_lists_every_figure():
    chart = bar_chart("五年对比", ["2020", "2021"], [("新收", [5, 8]), ("结转下年", [1, 0])])
    assert chart.headers == ["", "新收", "结转下年"]
    assert chart.rows == [["2020", 5, 1], ["2021", 8, 0]]
    assert chart.text == "五年对比。2020：新收5；结转下年1。2021：新收8；结转下年0。"


def test_share_chart_splits_the_bar_by_share_and_escapes_labels():
    chart = share_chart("办理结果构成", [("予以公开", 3), ("<不予公开>", 1)])
    root = ET.fromstring(chart.svg)
    segments = [rect for rect in root.iter(f"{SVG}rect") if rect.find(f"{SVG}title") is not None]
    widths = [float(rect.get("width")) for rect in segments]
    assert abs(widths[0] - 3 * widths[1]) < 0.5
    assert "&lt;不予公开&gt;" in chart.svg
    assert chart.rows == [["予以公开", 3, "75%"], ["<不予公开>", 1, "25%"]]


def test_charts_reference_no_outside_host():
    for chart in (bar_chart("x", ["a"], [("b", [1])]), share_chart("y", [("a", 1)])):
        assert "http://" not in chart.svg.replace("http://www.w3.org/2000/svg", "")
        assert "https://" not in chart.svg


def test_empty_share_chart_says_there_is_no_data():
    chart = share_chart("办理结果构成", [("予以公开", 0)])
    assert "本年无数据" in chart.svg
    ET.fromstring(chart.svg)
