"""Horizontal stacked bar charts laid out in Python and drawn as inline SVG by a template.

Nothing is fetched from another site and no JavaScript runs. In right-to-left languages the chart is mirrored:
labels on the right, bars growing leftwards.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.text import Truncator

LABEL_WIDTH = 220
VALUE_WIDTH = 56
BAR_HEIGHT = 20
ROW_GAP = 10
LABEL_CHARS = 32


@dataclass(frozen=True)
class Series:
    key: str
    label: Any
    colour: str


@dataclass(frozen=True)
class Segment:
    series: Series
    value: int
    x: float
    width: float


@dataclass(frozen=True)
class Bar:
    label: str
    full_label: str
    total: int
    y: float
    text_y: float
    label_x: float
    value_x: float
    segments: list[Segment]


@dataclass(frozen=True)
class BarChart:
    title: Any
    series: list[Series]
    bars: list[Bar]
    width: int
    height: int
    bar_height: int
    label_anchor: str
    value_anchor: str
    axis_x: float

    @property
    def is_empty(self) -> bool:
        return not self.bars


def bar_chart(
    *,
    title: Any,
    series: Sequence[Series],
    rows: Sequence[tuple[str, Mapping[str, int]]],
    rtl: bool,
    width: int = 760,
) -> BarChart:
    """One bar per row; each bar stacks the row's value for every series, in series order."""
    plot_width = width - LABEL_WIDTH - VALUE_WIDTH
    largest = max((sum(values.get(s.key, 0) for s in series) for _, values in rows), default=0)
    scale = plot_width / largest if largest else 0.0
    axis_x = float(width - LABEL_WIDTH if rtl else LABEL_WIDTH)
    bars = []
    for index, (label, values) in enumerate(rows):
        y = float(index * (BAR_HEIGHT + ROW_GAP) + ROW_GAP)
        segments, filled = [], 0.0
        for item in series:
            value = int(values.get(item.key, 0))
            if value:
                length = value * scale
                x = axis_x - filled - length if rtl else axis_x + filled
                segments.append(Segment(series=item, value=value, x=round(x, 1), width=round(length, 1)))
                filled += length
        total = sum(segment.value for segment in segments)
        bars.append(
            Bar(
                label=Truncator(label).chars(LABEL_CHARS),
                full_label=label,
                total=total,
                y=y,
                text_y=y + BAR_HEIGHT * 0.7,
                label_x=axis_x + 8 if rtl else axis_x - 8,
                value_x=round(axis_x - filled - 6 if rtl else axis_x + filled + 6, 1),
                segments=segments,
            )
        )
    return BarChart(
        title=title,
        series=list(series),
        bars=bars,
        width=width,
        height=len(rows) * (BAR_HEIGHT + ROW_GAP) + ROW_GAP,
        bar_height=BAR_HEIGHT,
        label_anchor="start" if rtl else "end",
        value_anchor="end" if rtl else "start",
        axis_x=axis_x,
    )
