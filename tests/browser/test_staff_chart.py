"""«Belegg» as Chromium draws it (issue 12): bars as tall as their counts, whole-number axis labels, and the
chart inside the page at 1280 px. Measured from the drawn geometry, not from the markup."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from resourcebooks.models import Slot, Timebook

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_data")]

BOOKED, HELD = 21, 7  # of the 84 five-minute slots of an «Influensavaksine» weekday


def log_in_as_kari(page: Page, next_path: str) -> None:
    page.goto(f"/admin/login/?next={next_path}")
    page.get_by_label("Brukernavn").fill("kommune-ansatt")
    page.get_by_label("Passord").fill("kommune-demo")
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(lambda url: url.endswith(next_path))


def busy_day(timebook: Timebook) -> dt.date:
    """A weekday ahead with all its 84 slots free; ``BOOKED`` of them booked and ``HELD`` held from now on."""
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    for offset in range(14):
        day = tomorrow + dt.timedelta(days=offset)
        slots = list(Slot.objects.filter(timebook=timebook, start__date=day).order_by("start"))
        if len(slots) == 84:
            break
    else:
        pytest.fail("no weekday with 84 slots in the demo's next two weeks")
    Slot.objects.filter(pk__in=[s.pk for s in slots[:BOOKED]]).update(state=Slot.State.BOOKED)
    Slot.objects.filter(pk__in=[s.pk for s in slots[BOOKED : BOOKED + HELD]]).update(state=Slot.State.HELD)
    return day


GEOMETRY = """(day) => {
    const box = (el) => el.getBoundingClientRect();
    const svg = document.querySelector('svg.utilisation-chart');
    const bar = document.querySelector(`svg.utilisation-chart g[data-day="${day}"]`);
    const part = (name) => box(bar.querySelector(`rect.${name}`)).height;
    const labels = [...svg.querySelectorAll('text.axis-label')].map((t) => ({
        text: t.textContent, top: box(t).top, bottom: box(t).bottom, left: box(t).left, width: box(t).width,
    }));
    const grid = [...svg.querySelectorAll('line.grid')].map((l) => box(l).top);
    return {
        svg: {left: box(svg).left, right: box(svg).right, top: box(svg).top, bottom: box(svg).bottom},
        viewport: window.innerWidth,
        pageWidth: document.documentElement.scrollWidth,
        booked: part('booked'), held: part('held'), free: part('free'),
        fill: getComputedStyle(bar.querySelector('rect.booked')).fill,
        labels, grid,
    };
}"""


def test_the_bars_are_drawn_in_proportion_to_the_counts_and_the_chart_fits_at_1280_px(page: Page) -> None:
    timebook = Timebook.objects.get(name="Influensavaksine")
    day = busy_day(timebook)
    page.set_viewport_size({"width": 1280, "height": 900})
    chart = f"/admin/resourcebooks/timebook/{timebook.pk}/belegg/"
    log_in_as_kari(page, chart)
    expect(page.locator("svg.utilisation-chart")).to_be_visible()

    drawn = page.evaluate(GEOMETRY, day.isoformat())

    # The chart lies inside the window: no part of it, and nothing else, runs off to the right.
    assert 0 <= drawn["svg"]["left"] < drawn["svg"]["right"] <= drawn["viewport"] == 1280
    assert drawn["pageWidth"] <= drawn["viewport"]
    # Each part of the day's bar is as tall as its count: 21 booked, 7 held, 56 free of the 84.
    whole = drawn["booked"] + drawn["held"] + drawn["free"]
    assert whole > 50, drawn
    assert drawn["booked"] / whole == pytest.approx(BOOKED / 84, abs=0.01)
    assert drawn["held"] / whole == pytest.approx(HELD / 84, abs=0.01)
    assert drawn["free"] / whole == pytest.approx((84 - BOOKED - HELD) / 84, abs=0.01)
    assert drawn["fill"] == "rgb(11, 90, 118)"  # the stylesheet's colour for «Bestilt», not SVG's black
    # The axis: whole numbers 0, 25, … 100, each drawn in full at its own gridline, inside the chart.
    labels = drawn["labels"]
    assert [label["text"] for label in labels] == ["0", "25", "50", "75", "100"]
    for label, line in zip(labels, drawn["grid"], strict=True):
        assert label["top"] <= line <= label["bottom"], (label, line)
        assert drawn["svg"]["left"] <= label["left"] and drawn["svg"]["top"] <= label["top"]
    assert labels[-1]["width"] > 2 * labels[0]["width"]  # «100» is three digits wide, not cut to «1»
    # 84 slots on an axis of 100: the whole bar is 84 % of the axis from 0 to 100.
    axis = drawn["grid"][0] - drawn["grid"][-1]
    assert whole / axis == pytest.approx(84 / 100, abs=0.01)
