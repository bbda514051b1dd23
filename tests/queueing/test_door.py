"""The portal's front door (issues 15 and 20): a virtual waiting room that lets visitors onto the citizen pages
at a rate (``WAITING_ROOM_DOOR_RATE`` a minute, with a burst of ``WAITING_ROOM_BURST_SECONDS`` of it). The ids
are the server's own and signed; a request without one gets no place; an admission is a signed cookie that is
good for one login; a network's new places are limited; the page asks for the place by itself without the
database. Staff and other pages never queue; with Redis down nobody does.

The door's clock (``time`` in the door's modules) stands still in these tests and is moved on by hand, so the
rate's arithmetic is exact whatever the machine's speed."""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from booking.models import CampaignRecipient
from booking.services import campaign_create, campaigns_tick
from queueing.admission import burst, waiting_room_enter
from queueing.door import ADMISSION_COOKIE, COOKIE, LOGIN_WITHIN_SECONDS, VISITOR_SALT
from queueing.rooms import POLL_SECONDS_FAR, POLL_STEPS
from resourcebooks.waiting import DOOR, door_counts, waiting_reset
from tests.factories import StaffMembershipFactory, UserFactory
from tests.pages import html_of, log_in, text_of, time_url
from tests.redis_support import own_redis_cache
from tests.video.test_room import video_appointment
from tests.world import World, build_world, new_citizen

pytestmark = [pytest.mark.redis, pytest.mark.django_db]

LOGIN = "/innlogging/"
QUEUED_FOR_LOGIN = "/ko/?neste=/innlogging/"
HX = {"HX-Request": "true"}
NO_PLACE_YET = "Vi gir deg en plass i køen."
REFUSED = "Svært mange fra samme nettverk som deg står allerede i køen."


class Clock:
    """The door's ``time``: standing still at ``now`` until the test moves it on (``monotonic`` stays real)."""

    def __init__(self) -> None:
        self.now = float(int(time.time()))  # a whole second: the bucket's arithmetic stays exact

    def time(self) -> float:
        return self.now

    def monotonic(self) -> float:
        return time.monotonic()

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(autouse=True)
def clock(monkeypatch) -> Iterator[Clock]:  # type: ignore[no-untyped-def]
    """The clock of the door, the rooms' admission and their counts (the rest of Django keeps the real one)."""
    waiting_reset()
    frozen = Clock()
    for module in ("queueing.door", "queueing.admission", "resourcebooks.waiting"):
        monkeypatch.setattr(f"{module}.time", frozen)
    yield frozen
    waiting_reset()


@pytest.fixture
def door_of_one():
    """One visitor a minute (a burst of one): the second visitor of a test queues, and waits a minute."""
    with override_settings(WAITING_ROOM_DOOR_RATE=1):
        yield


def visitor_of(client: Client) -> str:
    """The visitor's id, from the signed ``hs_door`` cookie the door gave them."""
    request = RequestFactory().get("/")
    request.COOKIES[COOKIE] = client.cookies[COOKIE].value
    return str(request.get_signed_cookie(COOKIE, salt=VISITOR_SALT))


def calendar_of(world: World) -> str:
    return f"{time_url(world.timebook)}?sted={world.location.pk}"


def door_page(next_url: str = LOGIN, *, place_only: bool = False) -> str:
    return f"{'/ko/plass/' if place_only else '/ko/'}?{urlencode({'neste': next_url}, safe='/')}"


def place_in(response) -> int | None:  # type: ignore[no-untyped-def]
    found = re.search(r"Du er nummer (\d+) i køen", text_of(response))
    return int(found.group(1)) if found else None


def poll_every(response) -> int:  # type: ignore[no-untyped-def]
    found = re.search(r'hx-trigger="every (\d+)s"', html_of(response))
    assert found, "the door page does not poll"
    return int(found.group(1))


def refresh_after(response) -> int:  # type: ignore[no-untyped-def]
    found = re.search(r'<meta http-equiv="refresh" content="(\d+)">', html_of(response))
    assert found, "the door page has no refresh without JavaScript"
    return int(found.group(1))


def at_the_door(client: Client, path: str = LOGIN, **extra):  # type: ignore[no-untyped-def]
    """The visitor opens ``path`` and waits: the queue's page, shown at the same address or after a redirect to
    ``/ko/``, which asks for the place of ``path`` and then goes on to it. Returns the page."""
    response = client.get(path, follow=True, **extra)
    assert response.redirect_chain in ([], [(door_page(path), 302)]), response.redirect_chain
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert "Du er i kø" in text_of(response)
    assert f'hx-get="{door_page(path, place_only=True)}"' in html_of(response)
    return response


def let_in(client: Client, path: str = LOGIN):  # type: ignore[no-untyped-def]
    """The visitor opens ``path`` and it opens, without the queue."""
    response = client.get(path, follow=True)
    assert response.status_code == 200
    assert "Du er i kø" not in text_of(response)
    return response


def arrive(path: str = LOGIN, **defaults: Any) -> Client:
    """A new visitor (a browser of their own) opens ``path``: let in, or given an id and no place yet."""
    client = Client(**defaults)
    client.get(path)
    return client


def queue_up(client: Client | None = None, path: str = LOGIN) -> Client:
    """A visitor arrives at the full door and comes back with the id it gave them, as the page does by itself:
    now they have a place."""
    client = client or Client()
    first = at_the_door(client, path)
    assert place_in(first) is None
    assert NO_PLACE_YET in text_of(first)
    assert place_in(at_the_door(client, path)) is not None
    return client


def queued_at(client: Client, path: str = LOGIN) -> int | None:
    """The visitor opens ``path`` again, following the door; their place (None when let in)."""
    return place_in(client.get(path, follow=True))


def queued() -> int:
    counts = door_counts()
    assert counts is not None
    return counts.queued


# --- 1. A quiet door ----------------------------------------------------------------------------------------


def test_on_a_quiet_day_nobody_sees_the_door_and_the_visitor_gets_a_signed_id_and_an_admission(clock):
    client = Client()
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert "Logg inn på Helsenorge" in text_of(response)
    assert "Du er i kø" not in text_of(response)
    for name in (COOKIE, ADMISSION_COOKIE):
        assert response.cookies[name]["httponly"]
        assert response.cookies[name]["samesite"] == "Lax"
    assert len(visitor_of(client)) >= 16  # signed by the server: its id, not one the client chose

    # The same visitor: no new id, and the admission is not signed afresh more than once a minute.
    again = client.get(LOGIN)
    assert again.status_code == 200
    assert COOKIE not in again.cookies
    assert ADMISSION_COOKIE not in again.cookies
    clock.advance(61)
    later = client.get(LOGIN)
    assert COOKIE not in later.cookies
    assert ADMISSION_COOKIE in later.cookies


def test_with_the_default_rate_a_crowd_of_ordinary_size_sees_no_door():
    for _ in range(5):
        response = Client().get(LOGIN)
        assert response.status_code == 200
        assert "Logg inn på Helsenorge" in text_of(response)


def test_the_doors_cookies_are_secure_where_the_session_cookie_is(settings):
    settings.SESSION_COOKIE_SECURE = True
    response = Client().get(LOGIN)
    assert response.cookies[COOKIE]["secure"]
    assert response.cookies[ADMISSION_COOKIE]["secure"]


# --- 2. Beyond the rate: the queue ----------------------------------------------------------------------------


def test_a_visitor_beyond_the_rate_gets_no_place_at_first_and_place_one_when_the_page_comes_back(door_of_one):
    arrive()  # the minute's one admission

    cecilie = Client()
    first = at_the_door(cecilie)
    assert cecilie.cookies[COOKIE].value  # the id that will hold the place
    assert place_in(first) is None
    assert NO_PLACE_YET in text_of(first)
    assert refresh_after(first) == 1  # comes back at once, with the id
    assert poll_every(first) == 1
    assert queued() == 0

    page = at_the_door(cecilie)
    text = text_of(page)
    assert "Du er nummer 1 i køen" in text
    assert "Mange bruker Helsenorge akkurat nå." in text
    assert "Beregnet ventetid: omtrent 1 minutt" in text  # place 1 at one a minute
    html = html_of(page)
    assert re.search(r'<div id="waiting-place"[^>]*role="status"', html)
    assert 'aria-live="polite"' in html
    assert refresh_after(page) == 10
    assert f'href="{door_page()}"' in html  # «Oppdater nå» without JavaScript
    assert queued() == 1


def test_first_come_order_holds_and_asking_often_does_not_jump_the_queue(door_of_one, clock):
    arrive()
    cecilie, david, eva = queue_up(), queue_up(), queue_up()
    assert [queued_at(c) for c in (cecilie, david, eva)] == [1, 2, 3]

    # Eva asks again and again, at the door and at the page she wanted: still third.
    for _ in range(3):
        assert place_in(eva.get(door_page())) == 3
        assert queued_at(eva) == 3
    assert place_in(eva.get(door_page(place_only=True), headers=HX)) == 3

    # A minute on, the rate lets one more in: Cecilie, the head of the queue, though Eva and David ask first.
    clock.advance(60)
    assert queued_at(eva) == 2
    assert queued_at(david) == 1
    response = cecilie.get(door_page())
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert "Logg inn på Helsenorge" in text_of(let_in(cecilie))
    assert queued_at(david) == 1


def test_the_rate_lets_a_burst_in_at_once_and_the_rest_one_by_one_at_the_rate(clock):
    # Sixty a minute: a burst of ten (WAITING_ROOM_BURST_SECONDS = 10), then one a second.
    t0 = clock.now
    first = [waiting_room_enter(room=DOOR, member=f"v{i:02d}", rate=60, now=t0) for i in range(15)]
    assert [a.place for a in first] == [0] * 10 + [1, 2, 3, 4, 5]
    assert first[-1].wait_seconds() == 5  # the place at the rate

    for k in range(1, 6):
        head = waiting_room_enter(room=DOOR, member=f"v{9 + k:02d}", rate=60, now=t0 + k - 0.5)
        assert head.place == 1  # not before the second is up
        assert waiting_room_enter(room=DOOR, member=f"v{9 + k:02d}", rate=60, now=t0 + k).admitted
        if k < 5:
            assert waiting_room_enter(room=DOOR, member=f"v{10 + k:02d}", rate=60, now=t0 + k).place == 1

    # After an hour's quiet the bucket holds a burst, no more: ten straight in, the eleventh queues.
    later = t0 + 3600
    again = [waiting_room_enter(room=DOOR, member=f"w{i:02d}", rate=60, now=later) for i in range(11)]
    assert [a.place for a in again] == [0] * 10 + [1]


def test_the_burst_is_at_least_one(clock):
    assert waiting_room_enter(room=DOOR, member="v-a", rate=1).admitted
    assert waiting_room_enter(room=DOOR, member="v-b", rate=1).place == 1


def test_through_the_door_the_burst_goes_straight_in_and_the_queue_moves_at_the_rate(clock):
    with override_settings(WAITING_ROOM_DOOR_RATE=60):
        for _ in range(10):
            assert "Logg inn på Helsenorge" in text_of(let_in(Client()))
        eleventh, twelfth = queue_up(), queue_up()
        assert (queued_at(eleventh), queued_at(twelfth)) == (1, 2)
        assert "Beregnet ventetid: under ett minutt" in text_of(twelfth.get(door_page()))

        clock.advance(1)
        poll = eleventh.get(door_page(place_only=True), headers=HX)
        assert poll["HX-Redirect"] == LOGIN
        assert place_in(twelfth.get(door_page(place_only=True), headers=HX)) == 1
        clock.advance(1)
        assert twelfth.get(door_page(place_only=True), headers=HX)["HX-Redirect"] == LOGIN


def test_idle_visitors_let_in_hold_nobody_out(clock):
    with override_settings(WAITING_ROOM_DOOR_RATE=60):
        first = [arrive() for _ in range(10)]  # the burst: all in, and they sit there with the page open
        assert all(ADMISSION_COOKIE in c.cookies for c in first)
        assert "Du er i kø" in text_of(Client().get(LOGIN))  # the rate is used up for now

        # Ten seconds on, ten newcomers go straight in though none of the first ten has left.
        clock.advance(10)
        for _ in range(10):
            let_in(Client())
        # Twenty minutes on, the same; and the first ten, idle all along, still read their pages unqueued.
        clock.advance(20 * 60)
        for _ in range(10):
            let_in(Client())
        for client in first:
            let_in(client)
        assert queued() == 0


def test_an_admission_lapses_after_half_an_hour_idle_and_after_eight_hours_in_all(door_of_one, clock, monkeypatch):
    asked: list[str] = []
    real_enter = waiting_room_enter

    def counting_enter(**kwargs):  # type: ignore[no-untyped-def]
        asked.append(kwargs["member"])
        return real_enter(**kwargs)

    monkeypatch.setattr("queueing.door.waiting_room_enter", counting_enter)
    anne = arrive()
    assert len(asked) == 1
    clock.advance(29 * 60)
    let_in(anne)
    assert len(asked) == 1  # 29 minutes idle: still admitted, the door not asked
    clock.advance(31 * 60)
    let_in(anne)  # 31 minutes idle: the door is asked again (and, quiet, lets her in)
    assert asked[1:] == [f"v{visitor_of(anne)}"]

    # A page every twenty minutes keeps the admission for eight hours, no longer.
    asked.clear()
    for _ in range(23):
        clock.advance(20 * 60)
        let_in(anne)
    assert asked == []
    clock.advance(20 * 60 + 1)
    let_in(anne)
    assert asked == [f"v{visitor_of(anne)}"]


def test_places_left_behind_by_a_crowd_that_stopped_asking_use_no_admission_and_bounded_work(clock):
    """Six hundred places whose pages stopped asking (more than one admission tidies away) neither make the next
    visitor wait nor use the rate: the head of the queue that stopped asking is skipped, a bounded number a call."""
    from queueing.admission import PRUNE_PER_CALL

    assert PRUNE_PER_CALL < 600
    start = clock.now
    for n in range(10 + 600):  # the burst of ten goes in, six hundred wait and then stop asking
        waiting_room_enter(room=DOOR, member=f"gone{n}", rate=60, now=start)
    later = start + 3600
    answer = waiting_room_enter(room=DOOR, member="real", rate=60, now=later)
    assert answer.admitted


# --- 3. Strangers: made-up ids, no cookies ----------------------------------------------------------------


@pytest.mark.parametrize("made_up", ["A" * 22, "0123456789abcdefghijkl", "short", "abc:forged-signature"])
def test_a_made_up_or_unsigned_id_is_a_stranger_given_an_id_of_the_doors_own_and_no_place(door_of_one, made_up):
    arrive()
    forger = Client()
    forger.cookies[COOKIE] = made_up
    response = forger.get(LOGIN)
    assert response.cookies[COOKIE].value != made_up
    assert visitor_of(forger) != made_up
    assert NO_PLACE_YET in text_of(response)
    assert queued() == 0


def test_another_cookie_of_the_door_is_not_an_id_either(door_of_one):
    anne = arrive()
    forger = Client()
    forger.cookies[COOKIE] = anne.cookies[ADMISSION_COOKIE].value  # signed, but not as a visitor's id
    response = forger.get(LOGIN)
    assert NO_PLACE_YET in text_of(response)
    assert visitor_of(forger) != visitor_of(anne)


def test_bots_with_made_up_ids_hold_no_place_and_a_real_visitor_is_let_in_at_the_rate(door_of_one, clock):
    # The attack: 32 requests with random ids, again and again; at one a minute the first takes the one
    # admission, and none of the others ever holds a place.
    def bots() -> None:
        for _ in range(32):
            bot = Client()
            bot.cookies[COOKIE] = secrets.token_urlsafe(16)
            bot.get("/")

    bots()
    assert queued() == 0
    kari = queue_up(path="/")
    assert queued_at(kari, "/") == 1
    clock.advance(30)
    bots()
    assert queued_at(kari, "/") == 1
    clock.advance(30)  # a minute: one admission, and it is Kari's
    poll = kari.get(door_page("/", place_only=True), headers=HX)
    assert poll["HX-Redirect"] == "/"
    bots()
    let_in(kari, "/")


def test_a_flood_without_cookies_leaves_the_queue_empty_and_a_real_visitor_is_first(clock, settings):
    # The default door (240 a minute, a burst of 40). The flood keeps no cookies: 300 GETs of the front page.
    rate = settings.WAITING_ROOM_DOOR_RATE
    pages = [Client().get("/") for _ in range(300)]
    assert sum("Du er i kø" not in text_of(page) for page in pages) == int(burst(rate))  # let straight in
    assert all(place_in(page) is None for page in pages)
    assert queued() == 0

    kari = queue_up(path="/")
    page = at_the_door(kari, "/")
    assert place_in(page) == 1
    assert "Beregnet ventetid: under ett minutt" in text_of(page)
    clock.advance(60 / rate)  # one admission at the rate
    assert kari.get(door_page("/", place_only=True), headers=HX)["HX-Redirect"] == "/"


# --- 4. One admission, one login -------------------------------------------------------------------------------


def test_twenty_clients_sharing_one_admission_log_in_once_and_the_rest_queue_with_ids_of_their_own(door_of_one, world):
    anne = arrive()
    shared = {name: anne.cookies[name].value for name in (COOKIE, ADMISSION_COOKIE)}
    copies = []
    for _ in range(20):
        copy = Client()
        for name, value in shared.items():
            copy.cookies[name] = value
        copies.append(copy)

    answers = [copy.post(LOGIN, {"national_id": world.citizen.national_id}) for copy in copies]
    logged_in = [copy for copy in copies if copy.session.get("citizen") == world.citizen.pk]
    assert len(logged_in) == 1
    assert answers[0]["Location"] == reverse("booking:appointments")

    ids = set()
    for copy, answer in zip(copies[1:], answers[1:], strict=True):
        assert answer.status_code == 302
        assert answer["Location"] == QUEUED_FOR_LOGIN
        assert "_auth_user_id" not in copy.session
        assert copy.cookies[ADMISSION_COOKIE].value == ""  # the copied admission is taken back
        ids.add(visitor_of(copy))
    assert len(ids) == 19
    assert visitor_of(anne) not in ids
    assert [place_in(copy.get(QUEUED_FOR_LOGIN)) for copy in copies[1:]] == list(range(1, 20))


def test_a_failed_login_does_not_use_the_admission_up(door_of_one, world):
    anne = arrive()
    wrong = anne.post(LOGIN, {"national_id": "123"})
    assert wrong.status_code == 400
    assert "Du er i kø" not in text_of(wrong)
    right = anne.post(LOGIN, {"national_id": world.citizen.national_id})
    assert right.status_code == 302
    assert right["Location"] == reverse("booking:appointments")
    assert anne.session.get("citizen") == world.citizen.pk


def test_logging_in_again_on_a_quiet_day_is_one_click_with_a_new_id(world):
    anne = arrive()
    first_id = visitor_of(anne)
    assert anne.post(LOGIN, {"national_id": world.citizen.national_id}).status_code == 302
    anne.post(reverse("logout"))
    again = anne.post(LOGIN, {"national_id": world.citizen.national_id})
    assert again.status_code == 302
    assert again["Location"] == reverse("booking:appointments")
    assert anne.session.get("citizen") == world.citizen.pk
    assert visitor_of(anne) != first_id


def test_a_login_form_sent_soon_after_being_let_in_is_not_lost_to_the_queue(door_of_one, world, clock):
    anne = arrive()
    clock.advance(LOGIN_WITHIN_SECONDS - 1)  # she reads the login page a while; meanwhile the door fills
    arrive()
    queue_up()
    response = anne.post(LOGIN, {"national_id": world.citizen.national_id})
    assert response.status_code == 302
    assert response["Location"] == reverse("booking:appointments")
    assert anne.session.get("citizen") == world.citizen.pk


def test_an_admission_not_used_to_log_in_in_time_meets_the_door_again_and_queues_with_its_own_id(
    door_of_one, world, clock
):
    anne = arrive()
    clock.advance(LOGIN_WITHIN_SECONDS + 1)
    arrive()  # the door's one admission of the minute
    bjorn = queue_up()
    response = anne.post(LOGIN, {"national_id": world.citizen.national_id})
    assert response["Location"] == QUEUED_FOR_LOGIN
    assert "citizen" not in anne.session
    assert anne.cookies[ADMISSION_COOKIE].value == ""
    assert queued_at(anne) == 2  # behind Bjørn, who was waiting when her form came
    clock.advance(60)
    assert queued_at(bjorn) is None
    clock.advance(60)
    let_in(anne)  # her turn: the login page again, and a fresh admission to log in with
    assert anne.post(LOGIN, {"national_id": world.citizen.national_id})["Location"] == reverse("booking:appointments")
    assert anne.session.get("citizen") == world.citizen.pk


def test_on_a_quiet_day_an_old_admission_still_logs_in_with_one_click(world, clock):
    anne = arrive()
    clock.advance(20 * 60)
    response = anne.post(LOGIN, {"national_id": world.citizen.national_id})
    assert response["Location"] == reverse("booking:appointments")
    assert anne.session.get("citizen") == world.citizen.pk


def test_admissions_saved_up_on_a_quiet_day_cannot_all_log_in_at_once_in_a_rush(door_of_one, world, clock):
    """Red team: a bot gathered admissions while the door was quiet, kept them, and sent all their logins at once
    when the door was full; 149 of 150 logged in within 2.4 s while a real visitor stayed queued."""
    saved = []
    for _ in range(5):
        saved.append(arrive())
        clock.advance(60)
    clock.advance(LOGIN_WITHIN_SECONDS)
    arrive()
    cecilie = queue_up()
    numbers = [new_citizen(municipality=world.municipality).national_id for _ in saved]
    answers = [bot.post(LOGIN, {"national_id": number}) for bot, number in zip(saved, numbers, strict=True)]
    assert [answer["Location"] for answer in answers] == [QUEUED_FOR_LOGIN] * 5
    assert not any("citizen" in bot.session for bot in saved)
    assert queued_at(cecilie) == 1  # the real visitor who was waiting stays first
    assert sorted(queued_at(bot) for bot in saved) == [2, 3, 4, 5, 6]


def test_a_tampered_admission_or_one_of_another_visitor_is_no_admission(door_of_one):
    anne = arrive()
    good = anne.cookies[ADMISSION_COOKIE].value
    anne.cookies[ADMISSION_COOKIE] = good[:-1] + ("A" if good[-1] != "A" else "B")
    assert place_in(at_the_door(anne)) == 1  # her own id still holds, so she queues at once

    bjorn = queue_up()
    bjorn.cookies[ADMISSION_COOKIE] = good  # Anne's admission with Bjørn's own id
    assert queued_at(bjorn) == 2


def test_a_form_from_a_visitor_who_only_saw_the_queue_waits_like_a_page(door_of_one, world):
    arrive()
    cecilie = queue_up()
    response = cecilie.post(LOGIN, {"national_id": world.citizen.national_id})
    assert response["Location"] == QUEUED_FOR_LOGIN
    assert "_auth_user_id" not in cecilie.session
    assert queued_at(cecilie) == 1


def test_the_login_form_of_a_stranger_at_the_full_door_goes_to_the_queue_and_logs_nobody_in(door_of_one, world):
    arrive()
    cecilie = Client()
    response = cecilie.post(LOGIN, {"national_id": world.citizen.national_id})
    assert response.status_code in (302, 303)
    assert response["Location"] == QUEUED_FOR_LOGIN
    assert "_auth_user_id" not in cecilie.session
    assert "citizen" not in cecilie.session
    assert place_in(at_the_door(cecilie)) == 1
    at_the_door(cecilie, "/timeavtaler/")
    assert "_auth_user_id" not in cecilie.session


def test_a_used_admissions_login_posts_make_no_places_of_their_own(door_of_one, world):
    """A bot that logged in once cannot turn its admission into queue places with one login form after another
    (no cookies kept, no CSRF token, an empty form): each is a stranger with no place, like a cookieless
    request, and the real visitor who then arrives is first in line."""
    anne = arrive()
    assert anne.post(LOGIN, {"national_id": world.citizen.national_id}).status_code == 302
    used = {name: anne.cookies[name].value for name in (COOKIE, ADMISSION_COOKIE)}
    for _ in range(30):
        bot = Client(enforce_csrf_checks=True)
        for name, value in used.items():
            bot.cookies[name] = value
        answer = bot.post(LOGIN, {})
        assert answer.status_code == 302
        assert answer["Location"] == QUEUED_FOR_LOGIN
    assert queued() == 0
    assert queued_at(queue_up()) == 1


def test_a_copied_id_of_a_visitor_let_in_from_the_queue_lets_nobody_else_in(door_of_one, clock):
    """Once a visitor has collected their admission (the signed cookie), the door no longer keeps them as let
    in: copies of their id alone meet the queue like anyone, and the admission's eight hours cannot be renewed
    by asking with the id."""
    arrive()
    bjorn = queue_up()
    clock.advance(60)
    let_in(bjorn)
    copies = []
    for _ in range(3):
        copy = Client()
        copy.cookies[COOKIE] = bjorn.cookies[COOKIE].value
        copies.append(copy)
    assert [place_in(at_the_door(copy)) for copy in copies] == [1, 1, 1]  # one place, the id's own
    assert queued() == 1


# --- 5. A network's allowance of new places -----------------------------------------------------------------


def test_five_hundred_visitors_behind_one_address_all_get_a_place_at_the_defaults(settings):
    # A school or a municipality's network (or `make bench`): one address, the default door and the default
    # allowance. Each visitor's page asks twice: once for an id, once for a place.
    let_in_at_once = int(burst(settings.WAITING_ROOM_DOOR_RATE))
    crowd = [Client() for _ in range(500)]
    first = [visitor.get(door_page(place_only=True), headers=HX) for visitor in crowd]
    waiting = [visitor for visitor, answer in zip(crowd, first, strict=True) if "HX-Redirect" not in answer]
    assert len(waiting) == 500 - let_in_at_once  # the burst went straight in
    second = [visitor.get(door_page(place_only=True), headers=HX) for visitor in waiting]
    assert not [text_of(answer) for answer in second if REFUSED in text_of(answer)][:1]
    assert sorted(place_in(answer) or 0 for answer in second) == list(range(1, 500 - let_in_at_once + 1))


def test_beyond_a_networks_allowance_a_visitor_is_refused_a_place_and_told_so(door_of_one, clock, settings):
    settings.WAITING_ROOM_PER_ADDRESS = 5
    arrive(REMOTE_ADDR="192.0.2.7")  # the minute's admission, from elsewhere
    placed = [queue_up() for _ in range(5)]
    assert [queued_at(visitor) for visitor in placed] == [1, 2, 3, 4, 5]

    sixth = Client()
    at_the_door(sixth)
    refused = at_the_door(sixth)
    assert REFUSED in text_of(refused)
    assert place_in(refused) is None
    assert poll_every(refused) == 30
    assert refresh_after(refused) == 30
    assert queued() == 5

    # Another network still gets a place.
    assert queued_at(queue_up(Client(REMOTE_ADDR="192.0.2.8"))) == 6

    # The allowance fills again (five per ten minutes: one every two minutes), and the sixth gets a place.
    clock.advance(120)
    assert place_in(at_the_door(sixth)) is not None


def test_ipv6_addresses_in_one_56_share_a_networks_allowance(door_of_one, settings):
    settings.WAITING_ROOM_PER_ADDRESS = 2
    arrive(REMOTE_ADDR="192.0.2.7")
    queue_up(Client(REMOTE_ADDR="2001:db8:1:2::1"))
    queue_up(Client(REMOTE_ADDR="2001:db8:1:3:ffff:ffff:ffff:fffe"))  # another /64 of the same household's /56
    neighbour = Client(REMOTE_ADDR="2001:db8:1:2::2")
    at_the_door(neighbour)
    assert REFUSED in text_of(at_the_door(neighbour))
    assert queued_at(queue_up(Client(REMOTE_ADDR="2001:db8:1:100::1"))) == 3  # the next /56 is another network


def test_an_ipv4_address_written_as_ipv6_is_that_ipv4_network_not_everyones(door_of_one, settings):
    """A server bound to ``[::]`` sees IPv4 clients as ``::ffff:a.b.c.d``: each is still its own network, not
    one /56 shared by every IPv4 visitor (and ``::1``)."""
    settings.WAITING_ROOM_PER_ADDRESS = 1
    arrive(REMOTE_ADDR="192.0.2.7")
    queue_up(Client(REMOTE_ADDR="::ffff:198.51.100.1"))
    same = Client(REMOTE_ADDR="198.51.100.1")
    at_the_door(same)
    assert REFUSED in text_of(at_the_door(same))  # the same IPv4 network, however it is written
    assert queued_at(queue_up(Client(REMOTE_ADDR="::ffff:203.0.113.9"))) == 2
    assert queued_at(queue_up(Client(REMOTE_ADDR="::1"))) == 3


# --- 6. What waiting and being let in cost --------------------------------------------------------------------


def test_the_poll_costs_no_database_query_and_lets_a_logged_in_citizen_on_at_their_turn(door_of_one, clock):
    world = build_world()
    arrive()
    bjorn = queue_up(log_in(Client(), world.resident(first_name="Bjørn", last_name="Kø")), "/timeavtaler/")
    page = at_the_door(bjorn, "/timeavtaler/")
    assert place_in(page) == 1
    assert "Bjørn Kø" in text_of(page)  # the header still says who is logged in

    with CaptureQueriesContext(connection) as queries:
        poll = bjorn.get(door_page("/timeavtaler/", place_only=True), headers=HX)
    assert poll.status_code == 200
    assert len(queries) == 0, [q["sql"] for q in queries.captured_queries]
    assert "Du er nummer 1 i køen" in text_of(poll)
    assert "<html" not in html_of(poll)  # the place alone, for htmx to swap
    assert "HX-Redirect" not in poll

    clock.advance(60)
    with CaptureQueriesContext(connection) as queries:
        poll = bjorn.get(door_page("/timeavtaler/", place_only=True), headers=HX)
    assert len(queries) == 0, [q["sql"] for q in queries.captured_queries]
    assert poll["HX-Redirect"] == "/timeavtaler/"
    assert "Timeavtaler" in text_of(let_in(bjorn, poll["HX-Redirect"]))


def test_a_stranger_and_an_anonymous_visitors_poll_cost_no_query(door_of_one):
    arrive()
    cecilie = Client()
    with CaptureQueriesContext(connection) as queries:
        first = cecilie.get(LOGIN)
        poll = cecilie.get(door_page(place_only=True), headers=HX)
        page = cecilie.get(door_page())
    assert NO_PLACE_YET in text_of(first)
    assert place_in(poll) == 1
    assert place_in(page) == 1
    assert len(queries) == 0, [q["sql"] for q in queries.captured_queries]


def test_an_admitted_visitors_pages_make_no_redis_call(door_of_one, world, monkeypatch):
    import redis.client

    anne = arrive()
    commands: list[object] = []
    real_command, real_pipeline = redis.client.Redis.execute_command, redis.client.Pipeline.execute

    def counted_command(self, *args, **options):  # type: ignore[no-untyped-def]
        commands.append(args[:1])
        return real_command(self, *args, **options)

    def counted_pipeline(self, *args, **options):  # type: ignore[no-untyped-def]
        commands.append("pipeline")
        return real_pipeline(self, *args, **options)

    monkeypatch.setattr(redis.client.Redis, "execute_command", counted_command)
    monkeypatch.setattr(redis.client.Pipeline, "execute", counted_pipeline)
    for _ in range(3):
        assert "Logg inn på Helsenorge" in text_of(let_in(anne))
    assert commands == []

    # Logged in, her pages read the session (from the cache), but the door asks Redis nothing.
    assert anne.post(LOGIN, {"national_id": world.citizen.national_id}).status_code == 302
    door_calls: list[str] = []
    for module in ("queueing.door", "queueing.admission"):
        real = __import__(module, fromlist=["waiting_client"]).waiting_client
        monkeypatch.setattr(f"{module}.waiting_client", lambda real=real: door_calls.append("asked") or real())
    for _ in range(3):
        let_in(anne, "/timeavtaler/")
    assert door_calls == []


# --- 7. Staff and other pages never pass the door -------------------------------------------------------------


@pytest.fixture
def full_door(door_of_one):
    assert waiting_room_enter(room=DOOR, member="v-somebody-inside", rate=1).admitted
    queue_up()  # the door is indeed full


def not_queued(response) -> bool:  # type: ignore[no-untyped-def]
    location = response.get("Location", "") + response.get("HX-Redirect", "")
    return "/ko/" not in location and response.status_code < 500 and "Du er i kø" not in text_of(response)


def test_staff_and_other_pages_never_pass_the_door_when_it_is_full(full_door, client):
    admin = client.get("/admin/", follow=True)
    assert admin.status_code == 200
    assert not_queued(admin)
    assert admin.redirect_chain[-1][0].startswith("/admin/login/")
    assert not_queued(client.get("/admin/login/"))
    staff_login = client.get("/ansatt/logg-inn/")
    assert staff_login.status_code == 200
    assert not_queued(staff_login)
    assert not_queued(client.get("/ar/"))
    assert client.get("/ping").status_code == 200
    assert client.get("/healthz").status_code in (200, 503)  # the service's health, never the queue
    assert not_queued(client.get("/healthz"))
    static = client.get("/static/vendor/htmx/htmx.min.js")
    assert static.status_code == 200
    assert not_queued(client.get("/i18n/setlang/"))
    assert not_queued(client.get("/telefon/"))
    assert COOKIE not in client.cookies  # no page outside the door gave a visitor id


def test_the_clinics_staff_and_a_patient_in_the_video_room_pass_the_full_door(full_door):
    room = video_appointment(start=timezone.now() - dt.timedelta(minutes=5))
    staff = Client()
    staff.force_login(room.staff)
    inbox = staff.get("/klinikk/innboks/")
    assert inbox.status_code == 200, inbox.get("Location")
    assert not_queued(inbox)
    video = f"/video/{room.appointment.pk}/"
    assert not_queued(staff.get(video))
    patient = log_in(Client(), room.patient)
    in_the_room = patient.get(video)
    assert in_the_room.status_code == 200
    assert not_queued(in_the_room)
    # The same patient queues for the citizen pages.
    at_the_door(patient, "/timeavtaler/")


def test_rate_zero_turns_the_door_off():
    with override_settings(WAITING_ROOM_DOOR_RATE=0):
        for _ in range(3):
            response = Client().get(LOGIN)
            assert response.status_code == 200
            assert COOKIE not in response.cookies
        door = Client().get(door_page("/timeavtaler/"))
        assert door.status_code == 302
        assert door["Location"] == "/timeavtaler/"


# --- 8. «neste» stays on the citizen pages ------------------------------------------------------------------


@pytest.mark.parametrize(
    "neste",
    [
        "//evil.example",
        "//evil.example/innlogging/",
        "https://evil.example",
        "https://evil.example/innlogging/",
        "/\\evil.example",
        "/innlogging/\\\\evil.example",
        "/admin/",
        "/ar/",
        "",
        "innlogging/",
    ],
)
def test_neste_cannot_lead_off_site_or_outside_the_citizen_pages(neste):
    response = Client().get("/ko/", {"neste": neste})
    assert response.status_code == 302
    assert response["Location"] == "/"
    poll = Client().get("/ko/plass/", {"neste": neste}, headers=HX)
    assert poll["HX-Redirect"] == "/"


@pytest.mark.parametrize("neste", ["/innlogging/../admin/", "/innlogging/%2e%2e/admin/", "/bestill/../../ar/"])
def test_neste_cannot_climb_out_of_the_citizen_pages_by_dot_segments(neste):
    response = Client().get("/ko/", {"neste": neste})
    assert response["Location"] == "/"
    assert Client().get("/ko/plass/", {"neste": neste}, headers=HX)["HX-Redirect"] == "/"


def test_a_queued_visitors_page_leads_only_to_the_front_page_for_a_foreign_neste(door_of_one):
    arrive()
    cecilie = queue_up()
    page = cecilie.get("/ko/", {"neste": "https://evil.example/"})
    assert place_in(page) == 1
    html = html_of(page)
    # The page's own links go on to the front page (the language switch only names the page itself).
    assert f'href="{door_page("/")}"' in html
    assert f'hx-get="{door_page("/", place_only=True)}"' in html
    assert not re.search(r'(href|hx-get)="[^"]*evil', html)


# --- 9. An htmx request, and the page asked for ----------------------------------------------------------------


def test_an_htmx_request_of_a_queued_visitor_gets_an_htmx_redirect_to_the_door(door_of_one, world):
    arrive()
    cecilie = log_in(Client(), world.citizen)
    calendar = calendar_of(world)
    # The calendar's day switch, say: an htmx request from the calendar page.
    day = world.slots[0].start.date().isoformat()
    response = cecilie.get(f"{calendar}&dag={day}", headers={**HX, "HX-Current-URL": f"http://testserver{calendar}"})
    assert response.status_code == 200
    assert "Location" not in response
    assert "Du er i kø" not in text_of(response)  # no page swapped into the calendar
    door = urlsplit(response["HX-Redirect"])
    assert door.path == "/ko/"
    # Back to the page it was on, once let in.
    assert parse_qs(door.query)["neste"][0] == calendar  # the page with its query (?sted=)
    assert place_in(cecilie.get(response["HX-Redirect"])) == 1


def test_the_door_keeps_the_query_string_of_the_page_asked_for(door_of_one, world, clock):
    arrive()
    cecilie = log_in(Client(), world.citizen)
    calendar = calendar_of(world)
    queue_up(cecilie, calendar)
    clock.advance(60)
    poll = cecilie.get(door_page(calendar, place_only=True), headers=HX)
    assert poll["HX-Redirect"] == calendar
    assert "Timebestilling: Velg time" in text_of(let_in(cecilie, calendar))


def test_the_page_asks_often_near_the_head_and_seldom_far_back(door_of_one):
    arrive()
    head = queue_up()
    near = at_the_door(head)
    assert place_in(near) == 1
    assert poll_every(near) <= 5
    assert refresh_after(near) == 10  # without JavaScript: at least every 10 s

    # A crowd queues behind: beyond the last step of the pace, the page asks every 30 s.
    crowd = POLL_STEPS[-1][0] + 1
    for i in range(crowd):
        waiting_room_enter(room=DOOR, member=f"v-crowd-{i:05d}", rate=1)
    last = queue_up()
    far = at_the_door(last)
    assert place_in(far) == crowd + 2
    assert poll_every(far) == POLL_SECONDS_FAR == 30
    assert refresh_after(far) == 30
    assert poll_every(last.get(door_page(place_only=True), headers=HX)) == 30
    # The head still asks often.
    assert poll_every(head.get(door_page(place_only=True), headers=HX)) == poll_every(near)


# --- 10. Redis down ------------------------------------------------------------------------------------------------


@pytest.fixture
def own_redis():
    with own_redis_cache() as redis:
        yield redis


def test_with_redis_down_everyone_passes_the_door_and_logs_in(own_redis, door_of_one, world, monkeypatch):
    monkeypatch.setattr("resourcebooks.waiting.BACKOFF_SECONDS", 0.0)
    anne = arrive()
    bjorn = queue_up()
    assert queued_at(bjorn) == 1

    own_redis.stop()
    response = bjorn.get(LOGIN)
    assert response.status_code == 200
    assert "Logg inn på Helsenorge" in text_of(response)
    for _ in range(3):
        response = Client().get(LOGIN)
        assert response.status_code == 200
        assert "Logg inn på Helsenorge" in text_of(response)
    door = Client().get(door_page("/timeavtaler/"))
    assert door.status_code == 302
    assert door["Location"] == "/timeavtaler/"
    poll = Client().get(door_page(place_only=True), headers=HX)
    assert poll["HX-Redirect"] == LOGIN
    login = anne.post(LOGIN, {"national_id": world.citizen.national_id})  # the one-login check fails open
    assert login.status_code == 302
    assert login["Location"] == reverse("booking:appointments")


def test_with_redis_down_the_door_is_open_but_hands_out_no_admission_to_keep(own_redis, door_of_one, monkeypatch):
    """Failing open lets everyone through, but gives them nothing that outlives the outage: once Redis is back,
    those who came during it meet the queue like anyone, and the queue is not jumped with harvested cookies."""
    monkeypatch.setattr("resourcebooks.waiting.BACKOFF_SECONDS", 0.0)
    own_redis.stop()
    harvested = [Client() for _ in range(5)]
    for client in harvested:
        response = client.get(LOGIN)
        assert "Logg inn på Helsenorge" in text_of(response)
        assert COOKIE in response.cookies
        assert ADMISSION_COOKIE not in response.cookies
    own_redis.start()
    arrive()  # the one admission the door has for this minute
    assert [place_in(at_the_door(client)) for client in harvested] == [1, 2, 3, 4, 5]


# --- 11. In English -------------------------------------------------------------------------------------------------


def test_the_door_page_reads_in_english_when_the_language_cookie_says_en(door_of_one, settings):
    arrive()
    cecilie = Client()
    cecilie.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    first = text_of(cecilie.get(LOGIN))
    assert "You are in a queue" in first
    assert NO_PLACE_YET not in first
    text = text_of(cecilie.get(LOGIN, follow=True))
    assert "You are in a queue" in text
    assert "You are number 1 in the queue" in text
    assert "Many people are using Helsenorge right now." in text
    assert "Estimated waiting time: about 1 minute" in text
    assert "You keep your place as long as this page is open." in text
    assert "The page updates itself every 10 seconds." in text
    assert "Update now" in text
    for norwegian in ("Du er i kø", "Du er nummer", "Mange bruker", "Beregnet", "Du beholder", "Oppdater nå"):
        assert norwegian not in text
    assert "You are number 1 in the queue" in text_of(cecilie.get(door_page(place_only=True), headers=HX))


# --- 12. Staff see the door; the invitation campaign waits for it ----------------------------------------------------


def test_staff_see_the_portals_door_above_their_timebook_list(door_of_one, world):
    arrive()
    queue_up()
    queue_up()
    user = UserFactory(username="kommune-ansatt", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_timebook"))
    StaffMembershipFactory(user=user, organisation=world.municipality)
    staff = Client()
    staff.force_login(user)
    page = text_of(staff.get(reverse("admin:resourcebooks_timebook_changelist")))
    assert "Helsenorge-portalen: i kø ved inngangen: 2; slipper inn 1 i minuttet." in page


def test_the_invitation_campaign_waits_while_the_door_queues_more_than_half_a_minutes_admissions(world, clock, caplog):
    for year in (1950, 1951):
        world.resident(first_name=f"Født{year}", birth_date=dt.date(year, 5, 17), phone=f"+47412{year:05d}")
    campaign = campaign_create(
        timebook=world.timebook, born_from=1950, born_to=1951, batch_size=1, pause_seconds=0, text=""
    )
    sent = CampaignRecipient.objects.filter(campaign=campaign, sent_at__isnull=False)
    with override_settings(WAITING_ROOM_DOOR_RATE=2):  # half a minute's admissions: one
        arrive()
        waiting = [queue_up()]
        assert campaigns_tick() == 1  # one queued is not more than one
        waiting.append(queue_up())
        with caplog.at_level(logging.INFO, logger="booking.services.campaigns"):
            assert campaigns_tick() == 0
        assert any("ved portalens inngang" in r.getMessage() for r in caplog.records)
        assert sent.count() == 1

        # A minute on, the rate has let both in (one every half minute): the next batch goes.
        for visitor in waiting:
            clock.advance(30)
            assert queued_at(visitor) is None
        assert queued() == 0
        assert campaigns_tick() == 1
        assert sent.count() == 2
