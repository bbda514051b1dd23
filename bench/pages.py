"""What one page of the booking flow costs, in CPU, next to a trivial view (issue 15, «Fast: the page is cheap»).

    make bench-pages                        # the embedded default (SQLite, local-memory cache)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helsenorge_sim REDIS_URL=redis://127.0.0.1:6379/0 make bench-pages

In one process, against a throwaway test database (created and dropped here, as bench/publish_year.py does),
it seeds a municipality with two timebooks — a small one (two weeks of half-hour slots at two places) and a
large one (a year of 5-minute slots, about 25,000) — logs a citizen in through the test login with Django's
test Client, and times every page of the booking flow: ``time.process_time`` (CPU of this process: Django,
the templates, the database driver; not the database server's or Redis's own time), the median of
``--runs`` after a warm-up. Absolute times drift on a shared machine, so the figure that matters is each
page's ratio to the trivial view (``/ping``, logged in) measured in the same run. The goal is every flow
page within 3× of it, whatever the number of slots. The table goes to stdout and to
``bench/results/pages-<date>.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
GOAL_RATIO = 3.0

sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helsenorge_sim.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("REQUEST_LOG_LEVEL", "WARNING")  # a line per request would bury the table

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

FREE_DAY = re.compile(r'class="calendar__day calendar__day--free[^"]*"\s+href="([^"]+)"')
SLOT_LINK = re.compile(r'<a class="slot" href="([^"]+)"')


@dataclass(frozen=True)
class Seeded:
    her_id: int
    small: int  # timebook id: two weeks, two places
    large: int  # timebook id: a year of 5-minute slots, one place
    small_place: int
    large_place: int
    national_id: str


def seed() -> Seeded:
    """The municipality, its Smittevern with the three processes on, the two timebooks and one citizen."""
    from django.contrib.auth import get_user_model

    from addressregistry.models import Organisation, Service
    from addressregistry.services import service_processes_apply
    from booking.demo import synthetic_number
    from citizens.models import Citizen
    from resourcebooks.models import Location, Timebook, WeekTemplate
    from resourcebooks.services import slots_publish

    org = Organisation.objects.create(
        her_id=8800001, name="Sidekommune", kind="municipality", municipality_name="Side", municipality_number="9980"
    )
    service = Service.objects.create(
        organisation=org, her_id=8800011, service_type="smittevern", name="Smittevern (Vaksine)"
    )
    service_processes_apply(
        service=service, active={"timebestilling", "timereservasjon", "ressursoversikt"}, changed_by=None
    )
    places = [
        Location.objects.create(organisation=org, name=name, attendance_place=f"{name}, inngang A")
        for name in ("Vaksinesenteret", "Legevakten")
    ]
    start = timezone.localdate() + dt.timedelta(days=1)
    books = {}
    plans = (("Influensavaksine", places, 30, 13), ("Koronavaksine", places[:1], 5, 364))
    for name, places_used, minutes, days in plans:
        timebook = Timebook.objects.create(service=service, name=name, type="koronavaksine")
        for i, place in enumerate(places_used):
            template = WeekTemplate.objects.create(
                timebook=timebook, location=place, weekdays=[0, 1, 2, 3, 4],
                start_time=dt.time(8 + 4 * i), end_time=dt.time(12 + 4 * i), slot_minutes=minutes,
                valid_from=start, valid_to=start + dt.timedelta(days=days + 1),
            )  # fmt: skip
            slots_publish(template=template, date_from=start, date_to=start + dt.timedelta(days=days))
        books[name] = timebook.pk
    number = synthetic_number(dt.date(1980, 5, 17), 10)
    user = get_user_model().objects.create(username=f"innbygger-{number}", first_name="Side", last_name="Målt")
    Citizen.objects.create(
        user=user, national_id=number, first_name="Side", last_name="Målt", municipality=org, phone="41234567"
    )
    return Seeded(
        her_id=service.her_id,
        small=books["Influensavaksine"],
        large=books["Koronavaksine"],
        small_place=places[0].pk,
        large_place=places[0].pk,
        national_id=number,
    )


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    htmx: bool = False


def flow_pages(client: Client, s: Seeded, timebook: int, place: int, label: str) -> list[Page]:
    """The calendar, the day's slots (as the calendar's htmx link asks for them) and the review of the first
    free slot, found the way a person finds them: by following the links on the pages."""
    time_url = f"/bestill/{s.her_id}/{timebook}/tid/?sted={place}"
    calendar = client.get(time_url)
    day = FREE_DAY.search(calendar.content.decode())
    if day is None:
        sys.exit(f"No free day in the calendar of {label}")
    day_url = day.group(1).replace("&amp;", "&")
    slots = SLOT_LINK.findall(client.get(day_url, headers={"HX-Request": "true"}).content.decode())
    if not slots:
        sys.exit(f"No free slot on the first free day of {label}")
    return [
        Page(f"Velg time, kalender ({label})", time_url),
        Page(f"Ledige timer, dagen (htmx, {label})", day_url, htmx=True),
        Page(f"Se gjennom ({label})", slots[0]),
    ]


def _get(client: Client, page: Page) -> Any:
    return client.get(page.url, headers={"HX-Request": "true"} if page.htmx else {})


def measure(client: Client, pages: list[Page], *, runs: int, warmup: int) -> list[dict[str, Any]]:
    """Round-robin: each run asks every page once, so a slow moment of the shared machine falls on all pages
    alike instead of on whichever page was being measured then."""
    rows: list[dict[str, Any]] = []
    times: list[list[float]] = [[] for _ in pages]
    for page in pages:
        for _ in range(warmup):
            response = _get(client, page)
        if response.status_code != 200:
            sys.exit(f"{page.name}: {page.url} answered {response.status_code}")
        with CaptureQueriesContext(connection) as queries:
            response = _get(client, page)
        # Counted now: the log is cleared when the connection is renewed.
        rows.append({"page": page.name, "queries": len(queries), "bytes": len(response.content)})
    for _ in range(runs):
        for page, page_times in zip(pages, times, strict=True):
            began = time.process_time()
            _get(client, page)
            page_times.append(time.process_time() - began)
    for row, page_times in zip(rows, times, strict=True):
        row["ms"] = statistics.median(page_times) * 1000
    return rows


def table(rows: list[dict[str, Any]], trivial_ms: float) -> str:
    lines = [
        "| page | median CPU ms | × trivial | queries | bytes |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        ratio = row["ms"] / trivial_ms
        mark = "" if ratio <= GOAL_RATIO or row["page"].startswith("/ping") else " ✗"
        lines.append(f"| {row['page']} | {row['ms']:.2f} | {ratio:.2f}{mark} | {row['queries']} | {row['bytes']:,} |")
    return "\n".join(lines)


def run(runs: int, warmup: int, profile: str = "", sort: str = "cumulative") -> str:
    s = seed()
    _open_the_door()
    client = Client()
    response = client.post("/innlogging/", data={"national_id": s.national_id})
    if response.status_code != 302:
        sys.exit(f"The test login answered {response.status_code}")
    pages = [
        Page("/ping (trivial, logged in)", "/ping"),
        Page("Forsiden", "/"),
        Page("Timeavtaler", "/timeavtaler/"),
        Page("Bestill time (velg kontakt)", "/bestill/"),
        Page("Hva trenger du (velg timebok)", f"/bestill/{s.her_id}/"),
        Page("Velg sted", f"/bestill/{s.her_id}/{s.small}/sted/"),
        *flow_pages(client, s, s.small, s.small_place, "2 uker"),
        *flow_pages(client, s, s.large, s.large_place, "1 år"),
        Page("Innboks", "/innboks/"),
    ]
    if profile:
        return profile_page(client, pages, profile, runs, sort)
    rows = measure(client, pages, runs=runs, warmup=warmup)
    return table(rows, rows[0]["ms"])


def _open_the_door() -> None:
    """Each run is a new visitor at the portal's door (``queueing.door``): its queue and its rate's bucket are
    emptied first, as on a fresh start, so runs close together are not queued behind each other. Once let in,
    the pages cost what they cost in production: a signed cookie is checked, Redis is not asked."""
    from resourcebooks.waiting import DOOR, waiting_client, waiting_keys

    client = waiting_client()
    if client is not None:
        client.delete(*waiting_keys(DOOR).all())


def profile_page(client: Client, pages: list[Page], name: str, runs: int, sort: str = "cumulative") -> str:
    """cProfile of ``runs`` requests of the first page whose name contains ``name``: where its CPU goes (timed
    with ``time.process_time``, as the table is, so that waiting for PostgreSQL or Redis does not count)."""
    import cProfile
    import io
    import pstats

    page = next((p for p in pages if name.lower() in p.name.lower()), None)
    if page is None:
        sys.exit(f"No page named like {name!r}: {', '.join(p.name for p in pages)}")
    for _ in range(5):
        _get(client, page)
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _ in range(runs):
        _get(client, page)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(sort).print_stats(60)
    return f"## Profile of {page.name}, {runs} requests\n\n```\n{out.getvalue()}```"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="print only; no file in bench/results")
    parser.add_argument("--profile", default="", help="profile one page (part of its name) instead; print only")
    parser.add_argument("--sort", default="cumulative", help="the profile's order: cumulative, tottime, …")
    args = parser.parse_args()
    # The test environment lets the test Client log in as a browser would ('testserver', a test e-mail box),
    # but it also instruments every template render to send a signal the Client answers by copying the
    # whole context, per template and include. gunicorn renders without that, so the page is timed without it.
    from django.template import Template

    rendering = Template._render
    setup_test_environment()
    Template._render = rendering  # type: ignore[method-assign]
    backend = connection.vendor
    from django.conf import settings

    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    began = time.monotonic()
    try:
        result = run(args.runs, args.warmup, args.profile, args.sort)
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
    header = (
        f"# bench-pages {timezone.localdate().isoformat()}\n\n"
        f"Database: {backend}; cache: {cache}; sessions: {settings.SESSION_ENGINE.rsplit('.', 1)[-1]}; "
        f"median of {args.runs} runs after {args.warmup} warm-up; CPU of this process (`time.process_time`). "
        f"Goal: every flow page ≤ {GOAL_RATIO:g}× the trivial view (✗ marks a miss). "
        f"Took {time.monotonic() - began:.0f} s.\n\n"
    )
    text = header + result + "\n"
    print(text)
    if not args.no_write and not args.profile:
        RESULTS.mkdir(parents=True, exist_ok=True)
        path = RESULTS / f"pages-{timezone.localdate().isoformat()}.md"
        path.write_text(text)
        print(f"Written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
