"""Server-drawn SVG bar charts: data in, geometry (a dataclass) and SVG markup out.

Pure Python, no Django: every text is escaped here, so the markup can be shown as is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

WIDTH = 640
HEIGHT = 260
MARGIN_TOP = 16
MARGIN_BOTTOM = 36
MARGIN_LEFT = 52
MARGIN_RIGHT = 12
HORIZONTAL_LABEL_WIDTH = 190


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float
    value_x: float
    value_y: float
    reached: bool | None  # against the target; None without one


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    label: str


@dataclass(frozen=True)
class BarChart:
    chart_id: str
    title: str
    description: str
    unit: str
    width: int
    height: int
    bars: tuple[Bar, ...]
    target: Line | None
    horizontal: bool
    scale_max: float
    # Write every n-th bar's label under the axis (many bars: one label a week); every bar
    # keeps its label in its tooltip.
    label_every: int = 1


def nice_max(value: float) -> float:
    """Round a scale's top up to 1, 2 or 5 times a power of ten (at least 1)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return float(step * power)
    return float(10 * power)  # pragma: no cover - the loop always returns


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    points: list[tuple[str, float]],
    target: float | None = None,
    unit: str = "mg",
    horizontal: bool = False,
    label_every: int = 1,
) -> BarChart:
    """Lay out one bar per point, scaled so the tallest bar and the target both fit."""
    top = nice_max(max([value for _, value in points] + [target or 0]) * 1.05)
    bars = _horizontal_bars(points, top, target) if horizontal else _bars(points, top, target)
    height = MARGIN_TOP + MARGIN_BOTTOM + 28 * max(1, len(points)) if horizontal else HEIGHT
    line = None
    if target is not None:
        line = _horizontal_target(target, top, height) if horizontal else _target(target, top)
    return BarChart(
        chart_id=chart_id,
        title=title,
        description=description,
        unit=unit,
        width=WIDTH,
        height=height,
        bars=tuple(bars),
        target=line,
        horizontal=horizontal,
        scale_max=top,
        label_every=max(1, label_every),
    )


def _reached(value: float, target: float | None) -> bool | None:
    return None if target is None else value >= target - 0.5


def _bars(points: list[tuple[str, float]], top: float, target: float | None) -> list[Bar]:
    plot_width = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    slot = plot_width / max(1, len(points))
    bars = []
    for index, (label, value) in enumerate(points):
        height = plot_height * max(0.0, value) / top
        x = MARGIN_LEFT + index * slot + slot * 0.15
        y = MARGIN_TOP + plot_height - height
        bars.append(
            Bar(
                label=label,
                value=value,
                x=round(x, 1),
                y=round(y, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                label_x=round(x + slot * 0.35, 1),
                label_y=HEIGHT - MARGIN_BOTTOM + 16,
                value_x=round(x + slot * 0.35, 1),
                value_y=round(max(MARGIN_TOP + 10, y - 4), 1),
                reached=_reached(value, target),
            )
        )
    return bars


def _target(target: float, top: float) -> Line:
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    y = round(MARGIN_TOP + plot_height - plot_height * target / top, 1)
    return Line(MARGIN_LEFT, y, WIDTH - MARGIN_RIGHT, y, f"target {target:.0f}")


def _horizontal_bars(
    points: list[tuple[str, float]], top: float, target: float | None
) -> list[Bar]:
    plot_width = WIDTH - HORIZONTAL_LABEL_WIDTH - MARGIN_RIGHT - 60
    bars = []
    for index, (label, value) in enumerate(points):
        width = plot_width * max(0.0, value) / top
        y = MARGIN_TOP + index * 28
        bars.append(
            Bar(
                label=label,
                value=value,
                x=HORIZONTAL_LABEL_WIDTH,
                y=y,
                width=round(width, 1),
                height=20,
                label_x=HORIZONTAL_LABEL_WIDTH - 6,
                label_y=y + 14,
                value_x=round(HORIZONTAL_LABEL_WIDTH + width + 4, 1),
                value_y=y + 14,
                reached=_reached(value, target),
            )
        )
    return bars


def _horizontal_target(target: float, top: float, height: int) -> Line:
    plot_width = WIDTH - HORIZONTAL_LABEL_WIDTH - MARGIN_RIGHT - 60
    x = round(HORIZONTAL_LABEL_WIDTH + plot_width * target / top, 1)
    return Line(x, MARGIN_TOP - 6, x, height - MARGIN_BOTTOM + 8, f"target {target:.0f}")


def _bar_class(bar: Bar) -> str:
    if bar.reached is None:
        return "chart-bar"
    return "chart-bar chart-bar-reached" if bar.reached else "chart-bar chart-bar-short"


def render_svg(chart: BarChart) -> str:
    """Return the chart as accessible SVG markup: a title, a description, labelled bars."""
    title_id, desc_id = f"{chart.chart_id}-title", f"{chart.chart_id}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{escape(chart.chart_id)}" class="chart-svg" '
        f'viewBox="0 0 {chart.width} {chart.height}" width="{chart.width}" '
        f'height="{chart.height}" role="img" aria-labelledby="{title_id} {desc_id}">',
        f'<title id="{title_id}">{escape(chart.title)}</title>',
        f'<desc id="{desc_id}">{escape(chart.description)}</desc>',
    ]
    if chart.horizontal:
        baseline = (chart.bars[0].x if chart.bars else HORIZONTAL_LABEL_WIDTH, MARGIN_TOP - 6)
        parts.append(
            f'<line class="chart-axis" x1="{baseline[0]}" y1="{baseline[1]}" '
            f'x2="{baseline[0]}" y2="{chart.height - MARGIN_BOTTOM + 8}" stroke="#6c757d"/>'
        )
    else:
        axis_y = chart.height - MARGIN_BOTTOM
        parts.append(
            f'<line class="chart-axis" x1="{MARGIN_LEFT}" y1="{axis_y}" '
            f'x2="{chart.width - MARGIN_RIGHT}" y2="{axis_y}" stroke="#6c757d"/>'
        )
        for fraction in (0.5, 1.0):
            value = chart.scale_max * fraction
            y = round(axis_y - (axis_y - MARGIN_TOP) * fraction, 1)
            parts.append(
                f'<text class="chart-tick" x="{MARGIN_LEFT - 6}" y="{y + 4}" '
                f'text-anchor="end" font-size="11">{value:.0f}</text>'
            )
    for index, bar in enumerate(chart.bars):
        text = f"{bar.label}: {bar.value:.0f} {chart.unit}"
        anchor = "end" if chart.horizontal else "middle"
        value_anchor = "start" if chart.horizontal else "middle"
        labels = ""
        if chart.label_every == 1:
            labels = (
                f'<text class="chart-label" x="{bar.label_x}" y="{bar.label_y}" '
                f'text-anchor="{anchor}" font-size="12">{escape(bar.label)}</text>'
                f'<text class="chart-value" x="{bar.value_x}" y="{bar.value_y}" '
                f'text-anchor="{value_anchor}" font-size="11">{bar.value:.0f}</text>'
            )
        elif index % chart.label_every == 0:
            labels = (
                f'<text class="chart-label" x="{bar.label_x}" y="{bar.label_y}" '
                f'text-anchor="{anchor}" font-size="12">{escape(bar.label)}</text>'
            )
        parts.append(
            f'<g class="chart-point"><rect class="{_bar_class(bar)}" x="{bar.x}" y="{bar.y}" '
            f'width="{bar.width}" height="{bar.height}" fill="#198754">'
            f"<title>{escape(text)}</title></rect>{labels}</g>"
        )
    if chart.target:
        line = chart.target
        parts.append(
            f'<line class="chart-target" x1="{line.x1}" y1="{line.y1}" x2="{line.x2}" '
            f'y2="{line.y2}" stroke="#dc3545" stroke-width="2" stroke-dasharray="6 4">'
            f"<title>{escape(line.label)} {escape(chart.unit)}</title></line>"
        )
    parts.append("</svg>")
    return "".join(parts)
