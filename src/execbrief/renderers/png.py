"""Charts as PNG images for a mail's HTML part (Gmail and Outlook do not show inline SVG).

Made with matplotlib, an optional extra (``pip install 'execbrief[charts]'``): without it
``chart_png`` returns None and the mail simply has no charts. The Agg backend draws off screen and
the PNG carries no date or software stamp, so the same chart gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass

from execbrief.document import Chart
from execbrief.renderers.formatting import numeric
from execbrief.renderers.svg import PALETTE, describe

#: 600 x 300 pixels: readable on a phone, small in the mail.
SIZE_INCHES = (6.0, 3.0)
DPI = 100
MAX_TICKS = 7


@dataclass(frozen=True)
class ChartImage:
    """One chart drawn as PNG, with the Content-ID a mail refers to it by and its alt text."""

    content_id: str
    png: bytes
    title: str
    alt: str


def chart_png(chart: Chart) -> bytes | None:
    """The chart as PNG bytes (600 x 300 px); None when matplotlib is not installed."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.ticker import EngFormatter
    except ImportError:
        return None
    figure = Figure(figsize=SIZE_INCHES, dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    labels = list(dict.fromkeys(p.label for s in chart.series for p in s.points))
    count = max(len(chart.series), 1)
    for number, series in enumerate(chart.series):
        colour = PALETTE[number % len(PALETTE)]
        points = [(labels.index(p.label), numeric(p.value)) for p in series.points]
        xs = [index for index, value in points if value is not None]
        ys = [float(value) for _index, value in points if value is not None]
        if chart.kind == "bar":
            width = 0.8 / count
            offsets = [x - 0.4 + width * (number + 0.5) for x in xs]
            axes.bar(offsets, ys, width=width, color=colour, label=series.name)
        else:
            axes.plot(xs, ys, marker="o", color=colour, label=series.name)
    axes.set_title(chart.title, fontsize=11)
    every = max(1, -(-len(labels) // MAX_TICKS))  # at most MAX_TICKS labels, never overlapping
    ticks = [i for i in range(len(labels)) if i % every == 0]
    axes.set_xticks(ticks, [labels[i] for i in ticks], fontsize=8)
    axes.yaxis.set_major_formatter(EngFormatter(sep=""))
    axes.tick_params(axis="y", labelsize=8)
    units = {s.unit for s in chart.series if s.unit}
    if len(units) == 1:
        axes.set_ylabel(units.pop(), fontsize=9)
    axes.grid(axis="y", color="#d0d7de", linewidth=0.8)
    axes.set_axisbelow(True)
    if len(chart.series) > 1:
        axes.legend(fontsize=8, frameon=False)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()


def chart_images(charts: Sequence[Chart]) -> tuple[ChartImage, ...]:
    """The charts drawn as PNG, each with a Content-ID derived from its bytes; empty when
    matplotlib is not installed."""
    images = []
    for number, chart in enumerate(charts, 1):
        png = chart_png(chart)
        if png is None:
            return ()
        token = hashlib.sha256(png).hexdigest()[:16]
        images.append(
            ChartImage(f"chart-{number}-{token}@execbrief", png, chart.title, describe(chart))
        )
    return tuple(images)
