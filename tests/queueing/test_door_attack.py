"""Nobody holds the portal's door shut (issue 20): the attacks a red-team pass used against the old door, run
against a real gunicorn and a Redis of the test's own, while a real citizen arrives and gets through within the
time the door's rate promises.

The old door counted who was inside and trusted the id in the visitor's cookie. Thirty-two made-up cookie values
repeated every few minutes kept it full; 300 requests without cookies filled it and put a real visitor at place
269; and one admitted cookie copied to twenty clients let all twenty in and log in. The door now admits by rate,
issues and signs its own ids, gives a request without its cookie no place, and lets one admission log in once.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from django.conf import settings

from booking.demo import synthetic_number
from tests.factories import OrganisationFactory
from tests.redis_support import OwnRedis, free_port

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
RATE = 60  # let in a minute: one a second
BURST_SECONDS = 3  # three at once after a quiet spell
POLL = re.compile(r'hx-get="([^"]+)" hx-trigger="every (\d+)s"')
PLACE = re.compile(r"Du er nummer (\d+) i køen")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def portal(request: pytest.FixtureRequest, transactional_db: None) -> Iterator[str]:
    """gunicorn (two workers, as a small production) on the test database, with a Redis of its own and a door
    that lets in ``RATE`` a minute (or the test's ``door_rate`` mark). Yields its base URL."""
    mark = request.node.get_closest_marker("door_rate")
    rate, burst_seconds = mark.args if mark else (RATE, BURST_SECONDS)
    OrganisationFactory(kind="municipality")  # where a new test person typed in lives
    redis = OwnRedis()
    redis.start()
    port = free_port()
    database = settings.DATABASES["default"]
    env = os.environ | {
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "REDIS_URL": redis.url,
        "CACHE_URL": redis.url,
        "DJANGO_ENV": "test",
        "WAITING_ROOM_DOOR_RATE": str(rate),
        "WAITING_ROOM_BURST_SECONDS": str(burst_seconds),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("PYTEST_XDIST_WORKER", None)  # the server's Redis is the test's own, whatever process runs the test
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), "helsenorge_sim.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
    command += ["--worker-class", "gthread", "--threads", "8", "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/ping", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)
        redis.stop()


def wait_until_let_in(browser: httpx.Client, path: str, *, give_up_after: float) -> tuple[list[int], httpx.Response]:
    """A person's browser opens ``path`` and, while «Du er i kø», asks for its place as often as the page says
    (as htmx does), then follows the page on. Returns the places it was shown and the page it reached."""
    page = browser.get(path)
    places: list[int] = []
    deadline = time.monotonic() + give_up_after
    while "Du er i kø" in page.text or "Du er nummer" in page.text:
        places += [int(found) for found in PLACE.findall(page.text)]
        poll = POLL.search(page.text)
        assert poll is not None, page.text
        assert time.monotonic() < deadline, f"still queued after {give_up_after:.0f} s, shown places {places}"
        time.sleep(int(poll.group(2)))
        answer = browser.get(poll.group(1).replace("&amp;", "&"), headers={"HX-Request": "true"})
        page = browser.get(answer.headers["HX-Redirect"]) if "HX-Redirect" in answer.headers else answer
    assert page.status_code == 200, page.status_code
    return places, page


def log_in(browser: httpx.Client, number: str) -> httpx.Response:
    login = browser.get("/innlogging/")
    token = CSRF.search(login.text)
    assert token is not None, login.text[:500]
    return browser.post("/innlogging/", data={"csrfmiddlewaretoken": token.group(1), "national_id": number})


class Bots:
    """The attacks, in threads, bounded in count and time: made-up door cookies (a few dozen a round, as the bot
    that held the old door every 240 s, here every 2 s) and a flood of requests without cookies."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.stop = threading.Event()
        self.answers: Counter[str] = Counter()
        self.threads = [threading.Thread(target=self.forged_cookies)]
        self.threads += [threading.Thread(target=self.cookieless_flood) for _ in range(4)]

    def __enter__(self) -> Bots:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def _get(self, cookies: dict[str, str] | None = None) -> None:
        try:
            answer = httpx.get(f"{self.base}/", cookies=cookies, timeout=10)
        except httpx.HTTPError:
            self.answers["error"] += 1
            return
        self.answers["queue" if "Du er i kø" in answer.text else str(answer.status_code)] += 1

    def forged_cookies(self) -> None:
        for _ in range(30):
            if self.stop.is_set():
                return
            for _ in range(32):
                self._get({"hs_door": secrets.token_urlsafe(16)[:22]})
            self.stop.wait(2)

    def cookieless_flood(self) -> None:
        for _ in range(400):
            if self.stop.is_set():
                return
            self._get()


def test_a_citizen_gets_through_the_door_while_bots_flood_it_and_forge_its_cookies(portal):
    with Bots(portal) as bots:
        time.sleep(3)  # the flood has eaten every admission the quiet door had to spare
        began = time.monotonic()
        with httpx.Client(base_url=portal, timeout=30) as citizen:
            places, page = wait_until_let_in(citizen, "/innlogging/", give_up_after=60)
            waited = time.monotonic() - began
            assert "Logg inn på Helsenorge" in page.text
            # Nobody the bots sent holds a place: the citizen is first in line, or let straight in.
            assert max(places, default=1) <= 2, places
            # The rate promised: the place at one a second, the first answer without a place (1 s), a poll at
            # the head of the queue (2 s), and the machine's slack under the flood.
            assert waited <= max(places, default=1) * 60 / RATE + 1 + 2 + 10, (waited, places)
            answer = log_in(citizen, synthetic_number(dt.date(1990, 5, 17), 11))
            assert answer.status_code == 302 and answer.headers["Location"] == "/timeavtaler/", answer.status_code
            assert citizen.get("/timeavtaler/").status_code == 200
    # The door was busy: the flood met the queue far more often than a page (only the admissions to spare).
    assert bots.answers["queue"] > 2 * bots.answers["200"], bots.answers
    assert bots.answers.get("500", 0) == 0 and bots.answers.get("error", 0) == 0, bots.answers


@pytest.mark.door_rate(6, 10)  # one let in every ten seconds, one at a time: the copies meet a full door
def test_one_admission_copied_to_twenty_clients_logs_in_once_and_the_rest_queue(portal):
    with httpx.Client(base_url=portal, timeout=30) as first:
        wait_until_let_in(first, "/innlogging/", give_up_after=30)
        copied = dict(first.cookies.items())
    results: list[tuple[int, str]] = []

    def copy_logs_in(n: int) -> None:
        with httpx.Client(base_url=portal, timeout=30, cookies=copied) as clone:
            login = clone.get("/innlogging/")
            token = CSRF.search(login.text)
            assert token is not None, "the copied admission opens the login page"
            number = synthetic_number(dt.date(1980, 1, 1) + dt.timedelta(days=97 * n), 11)
            answer = clone.post("/innlogging/", data={"csrfmiddlewaretoken": token.group(1), "national_id": number})
            results.append((answer.status_code, answer.headers.get("Location", "")))

    clones = [threading.Thread(target=copy_logs_in, args=(n,)) for n in range(20)]
    for clone in clones:
        clone.start()
    for clone in clones:
        clone.join(timeout=60)
    assert len(results) == 20
    logged_in = [result for result in results if result[1] == "/timeavtaler/"]
    queued = [result for result in results if result[1] == "/ko/?neste=/innlogging/"]
    assert len(logged_in) == 1, results
    assert len(queued) == 19, results
