"""Accessible inline SVG charts drawn on the server: no script, a title and a description each.

Every chart is ``<svg role="img" aria-labelledby="<id>-title <id>-desc">`` with a
``<title>`` and a ``<desc>`` that states the figures in words; the page shows
the same numbers in a table beside it. Colours come from CSS classes, so the
stylesheet decides them, and every value is also written as text (never colour
alone); all interpolated text is escaped. In a right-to-left language the chart is
drawn mirrored: labels on the right, bars growing leftwards, and each text anchored by
the SVG's own ``direction``, so a label never runs over its bar.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from markupsafe import Markup, escape

from network.http.locale import localdate, text_direction

WIDTH = 640
LABEL_WIDTH = 200
ROW_HEIGHT = 26
BAR_HEIGHT = 16
PLOT_WIDTH = WIDTH - LABEL_WIDTH - 70


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str  # the value as the page writes it ("12", "EUR 1,200.00", "suppressed")
    css: str = "bar"


class Plane:
    """Horizontal positions as drawn left to right, mirrored for a right-to-left page."""

    def __init__(self, rtl: bool) -> None:
        self.rtl = rtl

    def x(self, at: float) -> float:
        return WIDTH - at if self.rtl else at

    def left(self, at: float, width: float) -> float:
        """Where a box from ``at`` to ``at + width`` begins on the page."""
        return WIDTH - at - width if self.rtl else at

    def text(self, css: str, at: float, y: float, content: str, anchor: str = "start") -> str:
        """A text anchored at ``at``; ``anchor`` follows the SVG's direction, as CSS does."""
        return (
            f'<text class="{css}" x="{self.x(at)}" y="{y}" text-anchor="{anchor}">'
            f"{escape(content)}</text>"
        )

    def close(self, parts: list[str], empty: str | None, empty_y: int) -> Markup:
        """End the chart; ``empty`` is written when there was nothing to draw."""
        if empty is not None:
            parts.append(self.text("chart-empty", 10, empty_y, empty))
        parts.append("</svg>")
        return Markup("".join(parts))  # noqa: S704 - every interpolated text is escaped


def _open(chart_id: str, title: str, desc: str, height: int) -> tuple[list[str], Plane]:
    safe_id = escape(chart_id)
    direction = text_direction()
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-labelledby="{safe_id}-title {safe_id}-desc" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" direction="{direction}">',
        f'<title id="{safe_id}-title">{escape(title)}</title>',
        f'<desc id="{safe_id}-desc">{escape(desc)}</desc>',
    ], Plane(direction == "rtl")


def bar_chart(chart_id: str, title: str, bars: Sequence[Bar], empty: str) -> Markup:
    """Horizontal bars, one per row, with the value written at the end of each bar."""
    desc = empty if not bars else "; ".join(f"{bar.label}: {bar.shown}" for bar in bars)
    height = max(1, len(bars)) * ROW_HEIGHT + 10
    parts, plane = _open(chart_id, title, desc, height)
    largest = max((bar.value for bar in bars), default=0) or 1
    for index, bar in enumerate(bars):
        y = 5 + index * ROW_HEIGHT
        length = 0 if bar.value <= 0 else max(2, round(PLOT_WIDTH * bar.value / largest))
        parts.append(
            plane.text("chart-label", LABEL_WIDTH - 8, y + BAR_HEIGHT - 3, bar.label, "end")
        )
        parts.append(
            f'<rect class="{escape(bar.css)}" x="{plane.left(LABEL_WIDTH, length)}" y="{y}" '
            f'width="{length}" height="{BAR_HEIGHT}"/>'
        )
        parts.append(
            plane.text("chart-value", LABEL_WIDTH + length + 6, y + BAR_HEIGHT - 3, bar.shown)
        )
    return plane.close(parts, None if bars else empty, 22)


@dataclass(frozen=True)
class Span:
    """One row of a timeline: a bar from ``start`` to ``end`` (or a point when they are equal)."""

    label: str
    start: date
    end: date
    css: str
    shown: str  # the dates and status in words, for the description


def timeline_chart(
    chart_id: str, title: str, spans: Sequence[Span], today: date, today_label: str, empty: str
) -> Markup:
    """Rows of date spans on one axis, with a line for today."""
    desc = empty if not spans else "; ".join(f"{span.label}: {span.shown}" for span in spans)
    height = max(1, len(spans)) * ROW_HEIGHT + 40
    parts, plane = _open(chart_id, title, desc, height)
    first = min([today, *(span.start for span in spans)]) - timedelta(days=3)
    last = max([today, *(span.end for span in spans)]) + timedelta(days=3)
    total = max((last - first).days, 1)

    def x_of(day: date) -> int:
        return LABEL_WIDTH + round(PLOT_WIDTH * (day - first).days / total)

    for index, span in enumerate(spans):
        y = 20 + index * ROW_HEIGHT
        start, end = x_of(span.start), x_of(span.end)
        parts.append(
            plane.text("chart-label", LABEL_WIDTH - 8, y + BAR_HEIGHT - 3, span.label, "end")
        )
        if span.end > span.start:
            width = max(end - start, 2)
            parts.append(
                f'<rect class="{escape(span.css)}" x="{plane.left(start, width)}" y="{y}" '
                f'width="{width}" height="{BAR_HEIGHT}"/>'
            )
        else:
            parts.append(
                f'<circle class="{escape(span.css)}" cx="{plane.x(start)}" '
                f'cy="{y + BAR_HEIGHT // 2}" r="6"/>'
            )
    today_x = plane.x(x_of(today))
    parts.append(
        f'<line class="chart-today" x1="{today_x}" y1="12" x2="{today_x}" y2="{height - 4}"/>'
    )
    parts.append(plane.text("chart-today-label", x_of(today) + 4, 10, today_label))
    parts.append(plane.text("chart-axis", LABEL_WIDTH, height - 2, localdate(first)))
    parts.append(
        plane.text("chart-axis", LABEL_WIDTH + PLOT_WIDTH, height - 2, localdate(last), "end")
    )
    return plane.close(parts, None if spans else empty, 40)
