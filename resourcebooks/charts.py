"""Server-rendered SVG charts for the clinic admin: no JavaScript, readable at a glance, with a table beside.

The chart is drawn in its own coordinates (the ``viewBox``) and scaled by the browser to the width of the
admin's content, so it never runs off the page however many days it shows. Coordinates are plain numbers
here; the template writes them with ``{% localize off %}`` (a Norwegian decimal comma, ``y="170,0"``, is
not a number to SVG, and nothing is drawn).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import ngettext

from .selectors import DayLoad

PLOT_WIDTH = 880  # the bars share this width, whatever the number of days
HEIGHT = 160
TOP = 12
LEFT = 40  # room for the axis labels, written right-aligned up to the axis
RIGHT = 20  # half a week label: labels are centred under their bars
BOTTOM = 30
BAR_SHARE = 0.75  # of each day's width; the rest is the gap between bars
MIN_LABELLED_STEP = 14  # narrower days are labelled on Mondays only, with the date, or the numbers run together
MIN_LABEL_GAP = 40  # «uke 50» is about 33 wide: far apart Mondays get a label each, close ones every other
NICE_STEPS = (1, 2, 2.5, 5)  # axis steps are these times a power of ten, when whole: 1, 2, 5, 10, 20, 25 …


@dataclass(frozen=True)
class Bar:
    x: float
    width: float
    label_x: float  # the middle of the bar, where its labels are centred
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
    left: int
    plot_right: int
    plot_bottom: int
    max_value: int
    gridlines: list[tuple[float, int]]
    bars: list[Bar]
    summary: str


def axis_step(max_value: int) -> int:
    """The smallest «nice» whole step (1, 2, 5, 10, 20, 25, 50, 100 …) that reaches ``max_value`` in four."""
    wanted = max(max_value, 1) / 4
    magnitude = 1
    while True:
        for factor in NICE_STEPS:
            step = factor * magnitude
            if step == int(step) and step >= wanted:
                return int(step)
        magnitude *= 10


def utilisation_chart(loads: list[DayLoad]) -> Chart:
    """Stacked bars per day: booked at the bottom, then held, then free; heights in proportion to the counts."""
    most = max((load.offered for load in loads), default=0)
    step = axis_step(most)
    axis_max = step * max(1, math.ceil(most / step))
    scale = HEIGHT / axis_max
    plot_bottom = TOP + HEIGHT
    day_width = PLOT_WIDTH / max(len(loads), 1)
    bar_width = round(day_width * BAR_SHARE, 2)
    every_nth_monday = math.ceil(MIN_LABEL_GAP / (7 * day_width))
    bars = []
    for i, load in enumerate(loads):
        y = float(plot_bottom)
        parts = []
        for value in (load.booked, load.held, load.free):
            h = value * scale
            y -= h
            parts.append((round(y, 2), round(h, 2)))
        day_label, week_label = _labels(load, day_width, every_nth_monday)
        bars.append(
            Bar(
                x=round(LEFT + i * day_width + (day_width - bar_width) / 2, 2),
                width=bar_width,
                label_x=round(LEFT + (i + 0.5) * day_width, 2),
                iso=load.day.isoformat(),
                day_label=day_label,
                week_label=week_label,
                title=(
                    f"{load.day:%d.%m.%Y}: {load.booked} bestilt, {load.held} reservert, {load.free} ledige"
                    + (f", {load.withdrawn} trukket tilbake" if load.withdrawn else "")
                ),
                booked=parts[0],
                held=parts[1],
                free=parts[2],
            )
        )
    gridlines = [(round(plot_bottom - v * scale, 2), v) for v in range(0, axis_max + 1, step)]
    return Chart(
        width=LEFT + PLOT_WIDTH + RIGHT,
        height=plot_bottom + BOTTOM,
        left=LEFT,
        plot_right=LEFT + PLOT_WIDTH,
        plot_bottom=plot_bottom,
        max_value=axis_max,
        gridlines=gridlines,
        bars=bars,
        summary=_summary(loads),
    )


def _labels(load: DayLoad, day_width: float, every_nth_monday: int) -> tuple[str, str]:
    """The day's labels under its bar: the day of the month when there is room for every day, else the date
    on (every n-th) Monday; the week under each labelled Monday."""
    day = load.day
    week = day.isocalendar().week
    if day.weekday() != 0:
        return (str(day.day) if day_width >= MIN_LABELLED_STEP else ""), ""
    if day_width >= MIN_LABELLED_STEP:
        return str(day.day), f"uke {week}"
    if week % every_nth_monday:
        return "", ""
    return f"{day.day}.{day.month}", f"uke {week}"


def _summary(loads: list[DayLoad]) -> str:
    booked, held, free = (sum(x.booked for x in loads), sum(x.held for x in loads), sum(x.free for x in loads))
    free_text = ngettext("%(count)d ledig time", "%(count)d ledige timer", free) % {"count": free}
    days_text = ngettext("%(count)d dag", "%(count)d dager", len(loads)) % {"count": len(loads)}
    return f"Totalt {booked} bestilt, {held} reservert og {free_text} over {days_text}."
