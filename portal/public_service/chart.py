"""A server-rendered trend chart (SVG, no JavaScript): the twelve months of an indicator as a
line with dots, the target as a dashed line; the template also prints the same numbers as a
table for screen readers and for print."""

from __future__ import annotations

from dataclasses import dataclass

from portal.public_service.indicators import Point

WIDTH, HEIGHT = 600, 220
LEFT, RIGHT, TOP, BOTTOM = 56, 14, 14, 32


@dataclass
class Chart:
    width: int
    height: int
    path: str  # the polyline through the months with a value ("M x y L x y ...")
    dots: list[tuple[float, float, int, float]]  # x, y, month, value
    target_y: float | None
    ticks: list[tuple[float, float]]  # y, value of the grid lines
    months: list[tuple[float, int]]  # x, month


def build(points: list[Point], target: float | None) -> Chart:
    values = [p.value for p in points if p.value is not None]
    if target is not None:
        values.append(target)
    top = max(values, default=1.0)
    top = top * 1.1 if top > 0 else 1.0
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_of(month: int) -> float:
        return round(LEFT + (month - 1) * plot_w / 11, 1)

    def y_of(value: float) -> float:
        return round(TOP + plot_h - max(0.0, value) / top * plot_h, 1)

    dots = [(x_of(p.month), y_of(p.value), p.month, p.value) for p in points if p.value is not None]
    path = " ".join(f"{'M' if i == 0 else 'L'} {x} {y}" for i, (x, y, _m, _v) in enumerate(dots))
    ticks = [(y_of(top * share / 4), top * share / 4) for share in range(5)]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        path=path,
        dots=dots,
        target_y=y_of(target) if target is not None else None,
        ticks=ticks,
        months=[(x_of(month), month) for month in range(1, 13)],
    )
