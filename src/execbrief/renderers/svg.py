"""A small SVG layer for charts: line and bar charts of document series, no JavaScript.

Charts carry ``role="img"``, a ``<title>`` and a ``<desc>`` listing the values, so a screen reader
(or a mail client that blocks images) still gets the numbers.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from execbrief.document import Chart
from execbrief.renderers.formatting import format_value, numeric

WIDTH = 640
HEIGHT = 220
MARGIN_LEFT = 64
MARGIN_RIGHT = 32
MARGIN_TOP = 16
MARGIN_BOTTOM = 40
PALETTE = ("#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df", "#bf3989")


def _fmt(number: float) -> str:
    return f"{number:.1f}"


def _axis_label(value: Decimal) -> str:
    magnitude = abs(value)
    for limit, suffix in ((Decimal(1_000_000), "M"), (Decimal(1_000), "K")):
        if magnitude >= limit:
            return f"{(value / limit).normalize():f}{suffix}"
    return f"{value.normalize():f}"


def describe(chart: Chart) -> str:
    """The chart's values in words (``Cash: 2026-09 $1,200.00, 2026-10 ...``): its SVG
    ``<desc>`` and its PNG's alt text."""
    return "; ".join(
        f"{series.name}: " + ", ".join(f"{p.label} {format_value(p.value)}" for p in series.points)
        for series in chart.series
    )


def render_chart(chart: Chart, chart_id: str) -> str:
    """The chart as an inline ``<svg>`` element."""
    labels: list[str] = []
    for series in chart.series:
        for point in series.points:
            if point.label not in labels:
                labels.append(point.label)
    values = [numeric(p.value) for s in chart.series for p in s.points]
    present = [v for v in values if v is not None]
    desc = describe(chart)
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" aria-labelledby="{title_id} {desc_id}">',
        f'<title id="{title_id}">{escape(chart.title)}</title>',
        f'<desc id="{desc_id}">{escape(desc)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
    ]
    if not present or not labels:
        parts.append(
            f'<text x="{WIDTH // 2}" y="{HEIGHT // 2}" text-anchor="middle" fill="#57606a">No data</text>'
        )
        parts.append("</svg>")
        return "".join(parts)
    low = min(min(present), Decimal(0))
    high = max(max(present), Decimal(0))
    if high == low:
        high = low + 1
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    step = plot_w / max(len(labels) - 1, 1) if chart.kind == "line" else plot_w / len(labels)

    def y_of(value: Decimal) -> float:
        return MARGIN_TOP + plot_h * float((high - value) / (high - low))

    def x_of(index: int) -> float:
        if chart.kind == "line":
            return MARGIN_LEFT + (step * index if len(labels) > 1 else plot_w / 2)
        return MARGIN_LEFT + step * index + step / 2

    for tick in range(5):
        value = low + (high - low) * Decimal(tick) / 4
        y = y_of(value)
        parts.append(
            f'<line x1="{MARGIN_LEFT}" y1="{_fmt(y)}" x2="{WIDTH - MARGIN_RIGHT}" y2="{_fmt(y)}" stroke="#d0d7de" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{MARGIN_LEFT - 6}" y="{_fmt(y + 4)}" text-anchor="end" font-size="11" fill="#57606a">'
            f"{escape(_axis_label(value.quantize(Decimal('0.01'))))}</text>"
        )
    every = max(1, len(labels) // 8)
    for index, label in enumerate(labels):
        if index % every == 0 or index == len(labels) - 1:
            parts.append(
                f'<text x="{_fmt(x_of(index))}" y="{HEIGHT - MARGIN_BOTTOM + 16}" text-anchor="middle" font-size="11" '
                f'fill="#57606a">{escape(label)}</text>'
            )
    zero = y_of(Decimal(0))
    count = len(chart.series)
    for number, series in enumerate(chart.series):
        colour = PALETTE[number % len(PALETTE)]
        points = [(labels.index(p.label), numeric(p.value)) for p in series.points]
        present_points = [(index, value) for index, value in points if value is not None]
        if chart.kind == "bar":
            width = step * 0.8 / count
            for index, value in present_points:
                x = MARGIN_LEFT + step * index + step * 0.1 + width * number
                y = y_of(value)
                top, height = min(y, zero), abs(zero - y)
                parts.append(
                    f'<rect x="{_fmt(x)}" y="{_fmt(top)}" width="{_fmt(width)}" height="{_fmt(max(height, 0.5))}" fill="{colour}"/>'
                )
        else:
            coords = [(_fmt(x_of(i)), _fmt(y_of(v))) for i, v in present_points]
            if len(coords) > 1:
                parts.append(
                    f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
                    f'points="{" ".join(f"{cx},{cy}" for cx, cy in coords)}"/>'
                )
            for cx, cy in coords:
                parts.append(f'<circle cx="{cx}" cy="{cy}" r="3" fill="{colour}"/>')
    for number, series in enumerate(chart.series):
        colour = PALETTE[number % len(PALETTE)]
        x = MARGIN_LEFT + 140 * number
        parts.append(f'<rect x="{x}" y="{HEIGHT - 14}" width="10" height="10" fill="{colour}"/>')
        parts.append(
            f'<text x="{x + 14}" y="{HEIGHT - 5}" font-size="11" fill="#24292f">{escape(series.name[:22])}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
