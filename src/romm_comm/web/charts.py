"""Charts as geometry for server-rendered SVG (no script): a line of values over time and bars
per period, fitted into a small viewBox that reads on a phone. The template draws them; every
label goes through Jinja's escaping like any other text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 360.0
HEIGHT = 180.0
LEFT = 44.0  # room for the value labels
RIGHT = 8.0
TOP = 10.0
BOTTOM = 28.0  # room for the period labels


@dataclass(frozen=True)
class Tick:
    x: float
    y: float
    text: str
    anchor: str = "middle"  # SVG text-anchor: the last label ends at the edge, not past it


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    title: str  # shown as the bar's tooltip and read by screen readers


@dataclass(frozen=True)
class Chart:
    title: str
    width: float
    height: float
    points: str  # the line's "x,y x,y …" (empty for a bar chart)
    bars: tuple[Bar, ...]
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]
    baseline: float
    empty: bool

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:g} {self.height:g}"


def _scale_top(top: float) -> float:
    """The chart's top: four equal steps of a round size (1, 2 or 5 × 10ⁿ) reaching the
    largest value, so the value labels are whole numbers."""
    wanted = max(top, 1.0) / 4
    step = 1.0
    while True:
        for factor in (1, 2, 5):
            if step * factor >= wanted:
                return step * factor * 4
        step *= 10


def _y_ticks(top: float) -> tuple[Tick, ...]:
    plot = HEIGHT - TOP - BOTTOM
    return tuple(
        Tick(LEFT - 4, TOP + plot * (1 - i / 4) + 4, _short(top * i / 4), "end") for i in range(5)
    )


def _short(value: float) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:.3g}M"
    if value >= 1000:
        return f"{value / 1000:.3g}k"
    return f"{value:.3g}" if value % 1 else str(int(value))


def _x_ticks(labels: Sequence[str], xs: Sequence[float], most: int = 5) -> tuple[Tick, ...]:
    if not labels:
        return ()
    every = max(1, -(-len(labels) // most))
    picked = list(range(0, len(labels), every))
    return tuple(Tick(xs[i], HEIGHT - BOTTOM + 16, labels[i], _anchor(xs[i])) for i in picked)


def _anchor(x: float) -> str:
    if x > WIDTH - RIGHT - 20:
        return "end"
    if x < LEFT + 20:
        return "start"
    return "middle"


def line_chart(title: str, values: Sequence[tuple[str, float]]) -> Chart:
    """One value per moment, oldest first (label, value)."""
    top = _scale_top(max((v for _, v in values), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = len(values)
    xs = [LEFT + (plot_w * i / (n - 1) if n > 1 else plot_w / 2) for i in range(n)]
    ys = [TOP + plot_h * (1 - v / top) for _, v in values]
    return Chart(
        title=title,
        width=WIDTH,
        height=HEIGHT,
        points=" ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True)),
        bars=(),
        y_ticks=_y_ticks(top),
        x_ticks=_x_ticks([label for label, _ in values], xs),
        baseline=HEIGHT - BOTTOM,
        empty=n == 0,
    )


def bar_chart(title: str, values: Sequence[tuple[str, float]], unit: str) -> Chart:
    """One bar per period, oldest first (label, value)."""
    top = _scale_top(max((v for _, v in values), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = max(1, len(values))
    slot = plot_w / n
    bars = []
    for i, (label, value) in enumerate(values):
        height = plot_h * value / top
        bars.append(
            Bar(
                x=LEFT + slot * i + slot * 0.15,
                y=TOP + plot_h - height,
                width=slot * 0.7,
                height=height,
                title=f"{label}: {_short(value)} {unit}",
            )
        )
    centres = [LEFT + slot * (i + 0.5) for i in range(len(values))]
    return Chart(
        title=title,
        width=WIDTH,
        height=HEIGHT,
        points="",
        bars=tuple(bars),
        y_ticks=_y_ticks(top),
        x_ticks=_x_ticks([label for label, _ in values], centres),
        baseline=HEIGHT - BOTTOM,
        empty=not values or all(v == 0 for _, v in values),
    )
