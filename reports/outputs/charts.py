"""Small charts drawn on the server as inline SVG: no JavaScript, no outside host.

Each chart is built from plain data and carries its own text equivalent (a caption and
rows) so that screen readers and printed copies get the same figures.
"""

from dataclasses import dataclass, field
from html import escape

PALETTE = ("#2f5d8a", "#e39b35", "#5b9a68", "#b8514f", "#7a68a6", "#8c7b63", "#4fa3b8")


@dataclass
class Chart:
    title: str
    svg: str
    headers: list
    rows: list = field(default_factory=list)

    @property
    def text(self):
        """One sentence a screen reader can say instead of the picture."""
        parts = [
            "；".join(
                f"{header}{value}" for header, value in zip(self.headers[1:], row[1:], strict=False)
            )
            for row in self.rows
        ]
        labelled = [f"{row[0]}：{part}" for row, part in zip(self.rows, parts, strict=False)]
        return f"{self.title}。" + "。".join(labelled) + "。"


def _nice_ceiling(value):
    """A round axis maximum at or above value (1, 2, 5 × 10^n)."""
    if value <= 0:
        return 1
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def bar_chart(title, categories, series, width=640, height=260):
    """Grouped vertical bars: one group per category, one bar per (name, values) series."""
    left, right, top, bottom = 40, 10, 30, 46
    plot_width, plot_height = width - left - right, height - top - bottom
    maximum = _nice_ceiling(max((value for _, values in series for value in values), default=0))
    group_width = plot_width / max(len(categories), 1)
    bar_width = group_width * 0.8 / max(len(series), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" class="gk-chart" font-size="11">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in range(5):
        value = maximum * tick / 4
        y = top + plot_height - plot_height * tick / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
        )
        parts.append(
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" fill="#555">{value:g}</text>'
        )
    for index, category in enumerate(categories):
        x0 = left + index * group_width + group_width * 0.1
        for series_index, (name, values) in enumerate(series):
            value = values[index]
            bar_height = plot_height * value / maximum
            x = x0 + series_index * bar_width
            y = top + plot_height - bar_height
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_width * 0.92:.1f}" height="{bar_height:.1f}" '
                f'fill="{PALETTE[series_index % len(PALETTE)]}"><title>{escape(str(category))} {escape(name)}：{value}</title></rect>'
            )
        parts.append(
            f'<text x="{x0 + group_width * 0.4:.1f}" y="{top + plot_height + 14}" text-anchor="middle" fill="#333">'
            f"{escape(str(category))}</text>"
        )
    legend_x = left
    for series_index, (name, _) in enumerate(series):
        parts.append(
            f'<rect x="{legend_x}" y="{height - 16}" width="10" height="10" fill="{PALETTE[series_index % len(PALETTE)]}"/>'
        )
        parts.append(
            f'<text x="{legend_x + 14}" y="{height - 7}" fill="#333">{escape(name)}</text>'
        )
        legend_x += 14 + 13 * len(name) + 18
    parts.append("</svg>")
    headers = ["", *[name for name, _ in series]]
    rows = [
        [str(category), *[values[index] for _, values in series]]
        for index, category in enumerate(categories)
    ]
    return Chart(title=title, svg="".join(parts), headers=headers, rows=rows)


def share_chart(title, parts_data, width=640, height=90):
    """One horizontal bar split into the shares of each (label, value) part, with a legend."""
    total = sum(value for _, value in parts_data)
    bar_left, bar_width, bar_top, bar_height = 10, width - 20, 8, 26
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" class="gk-chart" font-size="11">',
        f"<title>{escape(title)}</title>",
    ]
    if total == 0:
        parts.append(
            f'<rect x="{bar_left}" y="{bar_top}" width="{bar_width}" height="{bar_height}" fill="#eee"/>'
        )
        parts.append(
            f'<text x="{width / 2}" y="{bar_top + 17}" text-anchor="middle" fill="#666">本年无数据</text>'
        )
    x = bar_left
    legend_x, legend_y = bar_left, bar_top + bar_height + 20
    for index, (label, value) in enumerate(parts_data):
        color = PALETTE[index % len(PALETTE)]
        if total:
            segment = bar_width * value / total
            if segment > 0:
                parts.append(
                    f'<rect x="{x:.1f}" y="{bar_top}" width="{segment:.1f}" height="{bar_height}" fill="{color}">'
                    f"<title>{escape(label)}：{value}</title></rect>"
                )
            x += segment
        entry = f"{label} {value}"
        entry_width = 14 + 12 * len(entry) + 12
        if legend_x + entry_width > width:
            legend_x, legend_y = bar_left, legend_y + 18
        parts.append(
            f'<rect x="{legend_x}" y="{legend_y - 9}" width="10" height="10" fill="{color}"/>'
        )
        parts.append(f'<text x="{legend_x + 14}" y="{legend_y}" fill="#333">{escape(entry)}</text>')
        legend_x += entry_width
    parts.append("</svg>")
    svg = "".join(parts).replace(
        f'viewBox="0 0 {width} {height}"', f'viewBox="0 0 {width} {max(height, legend_y + 8)}"', 1
    )
    rows = [
        [label, value, f"{value / total:.0%}" if total else "0%"] for label, value in parts_data
    ]
    return Chart(title=title, svg=svg, headers=["", "件数", "占比"], rows=rows)
