"""Server-rendered SVG charts for the clinic admin: no JavaScript, readable at a glance, with a table beside."""

from __future__ import annotations

from dataclasses import dataclass

from .selectors import DayLoad

BAR_WIDTH = 12
GAP = 4
HEIGHT = 160
TOP = 10
LEFT = 36
BOTTOM = 28


@dataclass(frozen=True)
class Bar:
    x: int
    iso: str
    day_label: str
    week_label: str
    title: str
    # (y, height) of each stacked part, bottom up: booked, held, free
    booked: tuple[float, float]
    held: tuple[float, float]
    free: tuple[float, float]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    plot_bottom: int
    max_value: int
    gridlines: list[tuple[float, int]]
    bars: list[Bar]
    summary: str


def utilisation_chart(loads: list[DayLoad]) -> Chart:
    """Stacked bars per day: booked at the bottom, then held, then free."""
    max_value = max((load.offered for load in loads), default=0) or 1
    scale = HEIGHT / max_value
    plot_bottom = TOP + HEIGHT
    bars = []
    for i, load in enumerate(loads):
        x = LEFT + i * (BAR_WIDTH + GAP)
        y = float(plot_bottom)
        parts = []
        for value in (load.booked, load.held, load.free):
            h = value * scale
            y -= h
            parts.append((round(y, 1), round(h, 1)))
        bars.append(
            Bar(
                x=x,
                iso=load.day.isoformat(),
                day_label=f"{load.day.day}",
                week_label=f"uke {load.day.isocalendar().week}" if load.day.weekday() == 0 else "",
                title=(
                    f"{load.day:%d.%m.%Y}: {load.booked} bestilt, {load.held} reservert, {load.free} ledige"
                    + (f", {load.withdrawn} trukket tilbake" if load.withdrawn else "")
                ),
                booked=parts[0],
                held=parts[1],
                free=parts[2],
            )
        )
    step = max(1, round(max_value / 4))
    gridlines = [(round(plot_bottom - v * scale, 1), v) for v in range(0, max_value + 1, step)]
    totals = (sum(x.booked for x in loads), sum(x.held for x in loads), sum(x.free for x in loads))
    summary = f"Totalt {totals[0]} bestilt, {totals[1]} reservert og {totals[2]} ledige timer over {len(loads)} dager."
    return Chart(
        width=LEFT + len(loads) * (BAR_WIDTH + GAP) + 8,
        height=plot_bottom + BOTTOM,
        plot_bottom=plot_bottom,
        max_value=max_value,
        gridlines=gridlines,
        bars=bars,
        summary=summary,
    )
