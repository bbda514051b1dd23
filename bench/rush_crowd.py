"""The crowd of the rush benchmark (see ``bench/rush.py``): each citizen a thread with a browser of its own
(own cookies), doing what a person does after the invitation SMS, and waiting in the portal's waiting room
when it sends them there."""

from __future__ import annotations

import random
import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx
from rush_setup import BASE

MAX_TRIES = 3  # «Send bestilling» at most three times, then the citizen gives up
MAX_REVIEWS = 8  # review pages opened without getting a hold, before giving up
POLL_JITTER = (0.9, 1.1)  # the queue's page says how often it asks again (hx-trigger); browsers drift a little
GRACE_SECONDS = 10.0  # after the cap, those inside may go on this long; then they stop where they are
MAX_DAYS = 3  # free days tried when a day marked free shows no slot

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
KEY_INPUT = re.compile(r'name="idempotency_key" value="([^"]+)"')
FREE_DAY = re.compile(r'class="calendar__day calendar__day--free[^"]*"\s+href="([^"]+)"')
SLOT_LINK = re.compile(r'<a class="slot" href="([^"]+)"')
HELD_LINK = re.compile(r'class="card review held">.*?<a class="button" href="([^"]+)"', re.S)
HOLD_TEXT = "Timen er holdt av til deg til kl."
PLACE = re.compile(r"Du er nummer (\d+) i køen")
POLL_EVERY = re.compile(r'hx-trigger="every (\d+)s"')
WAITING_POLL = re.compile(r'id="waiting-poll" hx-get="([^"]+)"')
SENT = re.compile(r"/bestill/sendt/\d+/")


class Capped(Exception):
    """The run's cap came while this citizen was waiting in the queue: they stop, with their place seen."""


class Stopped(Exception):
    """The cap and its grace have passed while this citizen was inside: they stop before their next page."""


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: Counter = field(default_factory=Counter)
    outcomes: Counter = field(default_factory=Counter)  # booked, gave up, waiting at the cap, error
    tries: Counter = field(default_factory=Counter)  # «Send bestilling» presses per booked citizen
    reviews: Counter = field(default_factory=Counter)  # what opening the review page gave
    waited: list[float] = field(default_factory=list)  # seconds in the waiting room, per citizen who waited
    rooms: Counter = field(default_factory=Counter)  # queues entered: the portal's door, a timebook's room
    last_places: list[int] = field(default_factory=list)  # the place seen last by those waiting at the cap
    places_missing: int = 0  # queue answers without a visible place
    transport_retries: int = 0
    in_window: Counter = field(default_factory=Counter)  # requests and bookings done before the cap
    empty_days: int = 0  # days the calendar marked free whose page showed no slot
    errors: list[str] = field(default_factory=list)

    def merge(self, other: Stats) -> None:
        for step, values in other.latencies.items():
            self.latencies.setdefault(step, []).extend(values)
        for name in ("statuses", "outcomes", "tries", "reviews", "rooms"):
            getattr(self, name).update(getattr(other, name))
        self.waited += other.waited
        self.last_places += other.last_places
        self.places_missing += other.places_missing
        self.transport_retries += other.transport_retries
        self.in_window.update(other.in_window)
        self.empty_days += other.empty_days
        self.errors += other.errors


@dataclass
class Citizen:
    """One person in the crowd: their browser, what they saw, and when the run's cap comes."""

    client: httpx.Client
    stats: Stats
    cap: float  # time.monotonic() after which those still queued stop
    waited: float = 0.0
    place: int = 0

    def timed(self, step: str, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One request, timed. A transport error on the client side is retried once: every request of the
        journey may be repeated (GETs, and «Send bestilling» carries its idempotency key, which is what that
        key is for). Retries are counted, not hidden."""
        if time.monotonic() > self.cap + GRACE_SECONDS:
            raise Stopped
        for attempt in range(2):
            began = time.perf_counter()
            try:
                response = self.client.request(method, url, **kwargs)
            except httpx.TransportError as exc:
                if attempt == 0:
                    self.stats.transport_retries += 1
                    continue
                self.stats.errors.append(f"{step}: {type(exc).__name__} {exc}")
                raise
            self.stats.latencies.setdefault(step, []).append(time.perf_counter() - began)
            self.stats.statuses[response.status_code] += 1
            if time.monotonic() <= self.cap:
                self.stats.in_window["requests"] += 1
            if response.status_code >= 500:
                self.stats.errors.append(f"{step}: {response.status_code}")
            return response
        raise AssertionError("unreachable")

    def step(self, step: str, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """A booking step: if the portal answers with its queue (the portal's door answers a page with the
        queue's page in place; a timebook's room redirects, or HX-Redirect for an htmx request), wait there
        until let in, then ask again."""
        while True:
            response = self.timed(step, method, url, **kwargs)
            queue = _queue_url(response)
            in_place = WAITING_POLL.search(response.text) if queue is None and response.status_code == 200 else None
            if queue is None and in_place is None:
                return response
            if in_place is not None:
                self.wait_in_queue(in_place.group(1).replace("&amp;", "&"), page=response)
            else:
                self.wait_in_queue(queue)  # type: ignore[arg-type]
            if method == "POST":  # the form is gone: open the page again before sending
                return response

    def wait_in_queue(self, url: str, page: httpx.Response | None = None) -> None:
        """«Du er nummer N i køen»: the page (unless it came in place of the page asked for), then its place
        (htmx) as often as the page says, until HX-Redirect. The portal's door (``/ko/``) and a timebook's
        room (``/bestill/…/ko/``) alike."""
        began = time.monotonic()
        self.stats.rooms["door" if url.startswith("/ko/") else "timebook"] += 1
        if page is None:
            page = self.timed("waiting room", "GET", url)
        admitted = page.status_code == 302
        self.see_place(page, admitted)
        poll, every = url.replace("/ko/?", "/ko/plass/?", 1), _poll_seconds(page)
        while not admitted:
            if time.monotonic() > self.cap:
                self.waited += time.monotonic() - began
                raise Capped
            time.sleep(every * random.uniform(*POLL_JITTER))
            answer = self.timed("queue poll", "GET", poll, headers={"HX-Request": "true"})
            every = _poll_seconds(answer, every)
            admitted = "HX-Redirect" in answer.headers
            self.see_place(answer, admitted)
        self.waited += time.monotonic() - began

    def see_place(self, response: httpx.Response, admitted: bool) -> None:
        if admitted:
            return
        found = PLACE.search(response.text)
        if found is None:
            self.stats.places_missing += 1
        else:
            self.place = int(found.group(1))


def _poll_seconds(response: httpx.Response, default: float = 5.0) -> float:
    found = POLL_EVERY.search(response.text)
    return float(found.group(1)) if found else default


def _queue_url(response: httpx.Response) -> str | None:
    target = response.headers.get("HX-Redirect") or (
        response.headers.get("location", "") if response.status_code in (301, 302, 303) else ""
    )
    return target if "/ko/" in target else None


def reach_day(c: Citizen, number: str, her_id: int, timebook: int) -> list[str]:
    """Log in, Bestill time, the contact, the timebook, (the place,) the calendar and its first free day:
    the day's slots, as links to their review pages. The portal's door may queue them at any page."""
    for _ in range(3):  # a form sent just as the door filled is lost: open its page again
        page = c.step("login page", "GET", "/innlogging/")
        token = CSRF_INPUT.search(page.text).group(1)  # type: ignore[union-attr]
        form = {"csrfmiddlewaretoken": token, "national_id": number}
        if "/ko/" not in c.step("login", "POST", "/innlogging/", data=form).headers.get("location", ""):
            break
    c.step("bestill time", "GET", "/bestill/")
    for _ in range(3):
        page = c.step("hva trenger du", "GET", f"/bestill/{her_id}/")
        token = CSRF_INPUT.search(page.text).group(1)  # type: ignore[union-attr]
        form = {"csrfmiddlewaretoken": token, "timebook": timebook}
        chosen = c.step("choose timebook", "POST", f"/bestill/{her_id}/", data=form)
        if "/ko/" not in chosen.headers.get("location", ""):
            break
    place = c.step("velg sted", "GET", chosen.headers["location"])
    calendar = c.step("calendar", "GET", place.headers["location"]) if place.status_code == 302 else place
    for link in FREE_DAY.findall(calendar.text)[:MAX_DAYS]:
        day = c.step("day slots", "GET", link.replace("&amp;", "&"), headers={"HX-Request": "true"})
        slots = SLOT_LINK.findall(day.text)
        if slots:
            return slots
        c.stats.empty_days += 1
    return []


def book(c: Citizen, slot_urls: list[str]) -> str:
    """Open the review of the first free slot (it is held for the citizen, or the answer is 409 with the
    nearest free slot held instead: open that one), then «Send bestilling»; at most three presses."""
    tries = reviews = 0
    url = slot_urls[0] if slot_urls else None
    if url is None:
        return "gave up: no free slot shown"
    while url is not None and tries < MAX_TRIES and reviews < MAX_REVIEWS:
        reviews += 1
        review = c.step("review", "GET", url)
        if review.status_code == 409 or HOLD_TEXT not in review.text:
            held = HELD_LINK.search(review.text)
            c.stats.reviews["409, another held" if held else f"{review.status_code}, none held"] += 1
            others = SLOT_LINK.findall(review.text)
            url = held.group(1) if held else random.choice(others) if others else None
            continue
        c.stats.reviews["held"] += 1
        form = {
            "csrfmiddlewaretoken": CSRF_INPUT.search(review.text).group(1),  # type: ignore[union-attr]
            "idempotency_key": KEY_INPUT.search(review.text).group(1),  # type: ignore[union-attr]
            "reason": "Vaksine",
        }
        tries += 1
        sent = c.step("send bestilling", "POST", url, data=form)
        if sent.status_code == 302 and SENT.search(sent.headers.get("location", "")):
            c.stats.tries[tries] += 1
            if time.monotonic() <= c.cap:
                c.stats.in_window["bookings"] += 1
            return "booked"
        if _queue_url(sent) is not None:
            tries -= 1  # sent to the queue before the page could answer: not a press that lost
            continue
        if sent.status_code != 409:
            c.stats.errors.append(f"send bestilling: {sent.status_code}")
            return "error"
        held = HELD_LINK.search(sent.text)
        others = SLOT_LINK.findall(sent.text)
        url = held.group(1) if held else random.choice(others) if others else None
    return "gave up: three tries" if tries >= MAX_TRIES else "gave up: no slot held"


def journey(number: str, her_id: int, timebook: int, cap: float, transport: httpx.HTTPTransport) -> Stats:
    stats = Stats()
    # Own cookies, shared connections: a client of its own each would build an SSL context per citizen, which
    # costs the load generator more CPU than the whole journey. (Not closed: that would close the shared pool.)
    client = httpx.Client(base_url=BASE, timeout=60, transport=transport)
    c = Citizen(client, stats, cap)
    try:
        slots = reach_day(c, number, her_id, timebook)
        outcome = book(c, slots)
    except Capped:
        outcome = "waiting at the cap"
        stats.last_places.append(c.place)
    except Stopped:
        outcome = "mid-journey at the cap"
    except (httpx.HTTPError, AttributeError, KeyError) as exc:
        stats.errors.append(f"{type(exc).__name__}: {exc}")
        outcome = "error"
    stats.outcomes[outcome] += 1
    if c.waited:
        stats.waited.append(c.waited)
    return stats


def run_crowd(
    numbers: list[str], concurrency: int, her_id: int, timebook: int, cap_seconds: float
) -> tuple[Stats, float]:
    """``concurrency`` citizens at a time; a new one starts when one is done, until the cap. Then those still
    queued stop where they are (their last place recorded) and those inside finish."""
    stats = Stats()
    lock = threading.Lock()
    began = time.monotonic()
    cap = began + cap_seconds

    def one(number: str) -> None:
        if time.monotonic() > cap:
            with lock:
                stats.outcomes["not started by the cap"] += 1
            return
        own = journey(number, her_id, timebook, cap, transport)
        with lock:
            stats.merge(own)

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    with httpx.HTTPTransport(limits=limits) as transport, ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, numbers))
    return stats, time.monotonic() - began
