"""The portal's front door (issue 15): beyond ``WAITING_ROOM_DOOR_CAPACITY`` visitors on the citizen pages, the
next ones wait first-come at «Du er i kø» before they log in; the page asks for their place by itself (without
the database), lets them on to the page they asked for, and a citizen who sends a booking leaves the door but
keeps a signed pass for the rest of the visit. Staff and other pages never queue; with Redis down nobody does."""

from __future__ import annotations

import datetime as dt
import logging
import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from booking.door import FIRST_VISIT_SECONDS
from booking.models import CampaignRecipient
from booking.services import campaign_create, campaigns_tick
from booking.waiting_room import POLL_SECONDS_FAR, POLL_STEPS, waiting_room_enter, waiting_room_leave
from resourcebooks.models import StaffMembership
from resourcebooks.waiting import DOOR, DOOR_INSIDE_IDLE_SECONDS, waiting_client, waiting_keys, waiting_reset
from tests.booking.test_flow_support import (
    Clinic,
    html_of,
    log_in,
    make_clinic,
    open_review,
    send_booking,
    text_of,
    time_url,
)
from tests.booking.test_video_room import video_appointment
from tests.conftest import UserFactory
from tests.redis_support import own_redis_cache

pytestmark = [pytest.mark.redis, pytest.mark.django_db]

LOGIN = "/innlogging/"
QUEUED_FOR_LOGIN = "/ko/?neste=/innlogging/"
HX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _fresh_door():
    waiting_reset()
    yield
    waiting_reset()


@pytest.fixture
def door_of_two():
    with override_settings(WAITING_ROOM_DOOR_CAPACITY=2):
        yield


@pytest.fixture
def door_of_one():
    with override_settings(WAITING_ROOM_DOOR_CAPACITY=1):
        yield


def visitor_id(client: Client) -> str:
    """The door's name for a visitor: ``v`` and the id in their ``hs_door`` cookie."""
    return f"v{client.cookies['hs_door'].value}"


def let_out(client: Client) -> None:
    """The visitor is done (as a booking sent, or an idle end): their place inside goes to the next in line."""
    waiting_room_leave(DOOR, visitor_id(client))


def inside_the_door() -> list[str]:
    """Who is inside the door now (their member names)."""
    client = waiting_client()
    assert client is not None
    members: list[bytes] = client.zrange(waiting_keys(DOOR).inside, 0, -1)  # type: ignore[assignment]
    return [member.decode() for member in members]


@pytest.fixture
def clinic(db) -> Clinic:
    return make_clinic()


def calendar_of(clinic: Clinic) -> str:
    return f"{time_url(clinic.timebook)}?sted={clinic.location.pk}"


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
    """The visitor opens ``path`` and is queued: the queue's page, shown at the same address or after a redirect
    to ``/ko/``, which asks for the place of ``path`` and then goes on to it. Returns the page."""
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


def arrive(path: str = LOGIN) -> Client:
    """A new visitor (a browser of their own) opens ``path``; the door lets them in or queues them."""
    client = Client()
    client.get(path)
    return client


def queued_at(client: Client, path: str = LOGIN) -> int | None:
    """The visitor opens ``path`` again, following the door; their place (None when let in)."""
    return place_in(client.get(path, follow=True))


# --- 1. Under capacity -----------------------------------------------------------------------------------


def test_under_capacity_nobody_sees_the_door_and_the_visitor_gets_the_door_cookie(door_of_two):
    client = Client()
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert "Logg inn på Helsenorge" in text_of(response)
    assert "Du er i kø" not in text_of(response)
    cookie = response.cookies["hs_door"]
    assert 16 <= len(cookie.value) <= 64
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    # The same visitor, with the cookie, gets the same id and no new cookie.
    again = client.get(LOGIN)
    assert again.status_code == 200
    assert "hs_door" not in again.cookies


def test_with_the_default_capacity_a_crowd_of_ordinary_size_sees_no_door():
    for _ in range(5):
        response = Client().get(LOGIN)
        assert response.status_code == 200
        assert "Logg inn på Helsenorge" in text_of(response)


# --- 2. Capacity reached: the queue --------------------------------------------------------------------


def test_the_third_visitor_is_sent_to_the_door_with_place_one(door_of_two):
    for _ in range(2):
        assert Client().get(LOGIN).status_code == 200

    cecilie = Client()
    first = cecilie.get(LOGIN)
    assert first.status_code in (200, 302)
    assert "hs_door" in first.cookies  # the place is kept by the visitor's cookie
    if first.status_code == 302:
        assert first["Location"] == QUEUED_FOR_LOGIN

    page = at_the_door(cecilie)
    text = text_of(page)
    assert "Du er i kø" in text
    assert "Du er nummer 1 i køen" in text
    assert "Mange bruker Helsenorge akkurat nå." in text
    assert "Vi beregner ventetiden når de første er ferdige." in text
    html = html_of(page)
    assert re.search(r'<div id="waiting-place"[^>]*role="status"', html)
    assert 'aria-live="polite"' in html
    assert refresh_after(page) == 10
    assert f'href="{door_page()}"' in html  # «Oppdater nå» without JavaScript
    assert f'hx-get="{door_page(place_only=True)}"' in html


def test_first_come_order_holds_and_asking_often_does_not_jump_the_queue(door_of_two):
    anne, _bjorn = arrive(), arrive()
    cecilie, david, eva = arrive(), arrive(), arrive()
    assert [queued_at(c) for c in (cecilie, david, eva)] == [1, 2, 3]

    # Eva asks again and again, at the door and at the page she wanted: still third.
    for _ in range(3):
        assert place_in(eva.get(door_page())) == 3
        assert queued_at(eva) == 3
    assert place_in(eva.get(door_page(place_only=True), headers=HX)) == 3

    # Anne is done: the place inside goes to Cecilie, the head of the queue, though Eva and David ask first.
    let_out(anne)
    assert queued_at(eva) == 2
    assert queued_at(david) == 1
    response = cecilie.get(door_page())
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert "Logg inn på Helsenorge" in text_of(let_in(cecilie))
    # And the door is full again.
    assert queued_at(david) == 1


def test_a_visitor_without_cookies_is_a_new_visitor_each_time_and_queues_at_the_back(door_of_one):
    arrive()
    assert queued_at(arrive()) == 1
    # A forged cookie value is not accepted as an id: the visitor gets a new one and a place of their own.
    forger = Client()
    forger.cookies["hs_door"] = "short"
    response = forger.get(LOGIN)
    assert response.cookies["hs_door"].value != "short"
    assert place_in(at_the_door(forger)) == 2


# --- 3. The poll -----------------------------------------------------------------------------------------


def test_the_poll_costs_no_database_query_and_lets_a_logged_in_citizen_on_when_a_place_frees(door_of_one):
    clinic = make_clinic()
    anne = arrive()
    bjorn = log_in(Client(), clinic.resident(first_name="Bjørn", last_name="Kø"))
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

    let_out(anne)
    with CaptureQueriesContext(connection) as queries:
        poll = bjorn.get(door_page("/timeavtaler/", place_only=True), headers=HX)
    assert len(queries) == 0, [q["sql"] for q in queries.captured_queries]
    assert poll["HX-Redirect"] == "/timeavtaler/"
    assert "Timeavtaler" in text_of(let_in(bjorn, poll["HX-Redirect"]))


def test_the_poll_of_an_anonymous_visitor_costs_no_query_either(door_of_one):
    arrive()
    cecilie = arrive()
    with CaptureQueriesContext(connection) as queries:
        poll = cecilie.get(door_page(place_only=True), headers=HX)
        page = cecilie.get(door_page())
    assert place_in(poll) == 1
    assert place_in(page) == 1
    assert len(queries) == 0, [q["sql"] for q in queries.captured_queries]


def test_the_door_keeps_the_query_string_of_the_page_asked_for(door_of_one):
    anne = arrive()
    clinic = make_clinic()
    cecilie = log_in(Client(), clinic.citizen)
    calendar = calendar_of(clinic)
    at_the_door(cecilie, calendar)
    let_out(anne)
    poll = cecilie.get(door_page(calendar, place_only=True), headers=HX)
    assert poll["HX-Redirect"] == calendar
    assert "Timebestilling: Velg time" in text_of(let_in(cecilie, calendar))


# --- 4. Sending a booking leaves the door; the pass -------------------------------------------------


def test_a_citizen_who_sends_a_booking_leaves_the_door_and_keeps_a_pass(door_of_two, clinic):
    anne = log_in(Client(), clinic.citizen)
    bjorn = log_in(Client(), clinic.resident(first_name="Bjørn"))
    cecilie = log_in(Client(), clinic.resident(first_name="Cecilie"))
    calendar = calendar_of(clinic)
    for inside in (anne, bjorn):
        assert "Timebestilling: Velg time" in text_of(inside.get(calendar))
    assert place_in(at_the_door(cecilie, calendar)) == 1

    # Anne books: the calendar, «Se gjennom før du sender», «Send bestilling».
    slot = clinic.slots[0]
    sent = send_booking(anne, slot, key=open_review(anne, slot))
    assert sent.status_code == 302
    assert sent["Location"].startswith("/bestill/sendt/")
    assert "hs_door_pass" in sent.cookies
    assert visitor_id(anne) not in inside_the_door()

    # Cecilie is let in at her next poll, and the calendar opens.
    poll = cecilie.get(door_page(calendar, place_only=True), headers=HX)
    assert poll["HX-Redirect"] == calendar
    assert "Timebestilling: Velg time" in text_of(let_in(cecilie, calendar))

    # The door is full (Bjørn, Cecilie): a newcomer queues, but Anne still reads her confirmation and
    # Timeavtaler without queueing, and takes no place inside.
    assert queued_at(arrive()) == 1
    assert "Timebestillingen er sendt" in text_of(let_in(anne, sent["Location"]))
    assert "Timeavtaler" in text_of(let_in(anne, "/timeavtaler/"))
    assert visitor_id(anne) not in inside_the_door()


def test_the_pass_is_a_secure_cookie_where_the_door_cookie_is(door_of_two, clinic, settings):
    settings.SESSION_COOKIE_SECURE = True
    anne = log_in(Client(), clinic.citizen)
    entered = anne.get(calendar_of(clinic))
    assert entered.cookies["hs_door"]["secure"]
    slot = clinic.slots[0]
    sent = send_booking(anne, slot, key=open_review(anne, slot))
    assert sent.cookies["hs_door_pass"]["httponly"]
    assert sent.cookies["hs_door_pass"]["secure"]


def test_a_tampered_pass_gives_no_pass(door_of_two, clinic):
    anne = log_in(Client(), clinic.citizen)
    anne.get(calendar_of(clinic))
    arrive()
    slot = clinic.slots[0]
    sent = send_booking(anne, slot, key=open_review(anne, slot))
    arrive()  # Anne's place goes to a newcomer: the door is full
    let_in(anne, "/timeavtaler/")

    good = anne.cookies["hs_door_pass"].value
    anne.cookies["hs_door_pass"] = good[:-1] + ("A" if good[-1] != "A" else "B")
    assert place_in(at_the_door(anne, "/timeavtaler/")) == 1
    at_the_door(anne, sent["Location"])


def test_a_pass_copied_to_another_visitor_gives_no_pass(door_of_two, clinic):
    anne = log_in(Client(), clinic.citizen)
    anne.get(calendar_of(clinic))
    arrive()
    slot = clinic.slots[0]
    send_booking(anne, slot, key=open_review(anne, slot))
    arrive()

    copier = Client()
    copier.cookies["hs_door_pass"] = anne.cookies["hs_door_pass"].value
    copier.get("/timeavtaler/")  # a visitor id of its own
    assert place_in(at_the_door(copier, "/timeavtaler/")) == 1


# --- 5. Staff and other pages never pass the door ----------------------------------------------------------


@pytest.fixture
def full_door(door_of_one):
    assert waiting_room_enter(room=DOOR, member="v-somebody-inside", capacity=1).admitted
    assert queued_at(arrive()) == 1  # the door is indeed full


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
    assert "hs_door" not in client.cookies  # no page outside the door gave a visitor id


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


def test_capacity_zero_turns_the_door_off():
    with override_settings(WAITING_ROOM_DOOR_CAPACITY=0):
        for _ in range(3):
            response = Client().get(LOGIN)
            assert response.status_code == 200
            assert "hs_door" not in response.cookies
        door = Client().get(door_page("/timeavtaler/"))
        assert door.status_code == 302
        assert door["Location"] == "/timeavtaler/"


# --- 6. «neste» stays on the citizen pages ------------------------------------------------------------------


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
def test_neste_cannot_lead_off_site_or_outside_the_citizen_pages(door_of_two, neste):
    response = Client().get("/ko/", {"neste": neste})
    assert response.status_code == 302
    assert response["Location"] == "/"
    poll = Client().get("/ko/plass/", {"neste": neste}, headers=HX)
    assert poll["HX-Redirect"] == "/"


@pytest.mark.parametrize("neste", ["/innlogging/../admin/", "/innlogging/%2e%2e/admin/", "/bestill/../../ar/"])
def test_neste_cannot_climb_out_of_the_citizen_pages_by_dot_segments(door_of_two, neste):
    response = Client().get("/ko/", {"neste": neste})
    assert response["Location"] == "/"
    assert Client().get("/ko/plass/", {"neste": neste}, headers=HX)["HX-Redirect"] == "/"


def test_a_queued_visitors_page_leads_only_to_the_front_page_for_a_foreign_neste(door_of_one):
    arrive()
    cecilie = arrive()
    page = cecilie.get("/ko/", {"neste": "https://evil.example/"})
    assert place_in(page) == 1
    html = html_of(page)
    # The page's own links go on to the front page (the language switch only names the page itself).
    assert f'href="{door_page("/")}"' in html
    assert f'hx-get="{door_page("/", place_only=True)}"' in html
    assert not re.search(r'(href|hx-get)="[^"]*evil', html)


# --- 7. A form or an htmx request from a visitor who is not admitted ------------------------------------------


def test_the_login_form_of_a_queued_visitor_goes_to_the_queue_and_logs_nobody_in(door_of_one, clinic):
    arrive()
    cecilie = Client()
    response = cecilie.post(LOGIN, {"national_id": clinic.citizen.national_id})
    assert response.status_code in (302, 303)
    assert response["Location"] == QUEUED_FOR_LOGIN
    assert "_auth_user_id" not in cecilie.session
    assert "citizen" not in cecilie.session
    assert place_in(at_the_door(cecilie)) == 1
    # Still nobody after asking for a page that needs a login.
    at_the_door(cecilie, "/timeavtaler/")
    assert "_auth_user_id" not in cecilie.session


def test_an_htmx_request_of_a_queued_visitor_gets_an_htmx_redirect_to_the_door(door_of_one, clinic):
    arrive()
    cecilie = log_in(Client(), clinic.citizen)
    calendar = calendar_of(clinic)
    # The calendar's day switch, say: an htmx request from the calendar page.
    day = clinic.slots[0].start.date().isoformat()
    response = cecilie.get(f"{calendar}&dag={day}", headers={**HX, "HX-Current-URL": f"http://testserver{calendar}"})
    assert response.status_code == 200
    assert "Location" not in response
    assert "Du er i kø" not in text_of(response)  # no page swapped into the calendar
    door = urlsplit(response["HX-Redirect"])
    assert door.path == "/ko/"
    # Back to the page it was on, once let in.
    assert parse_qs(door.query)["neste"][0] == calendar  # the page with its query (?sted=)
    assert place_in(cecilie.get(response["HX-Redirect"])) == 1


# --- 8. The poll's pace ----------------------------------------------------------------------------------------


def test_the_page_asks_often_near_the_head_and_seldom_far_back(door_of_one):
    arrive()
    head = arrive()
    near = at_the_door(head)
    assert place_in(near) == 1
    assert poll_every(near) <= 5
    assert refresh_after(near) == 10  # without JavaScript: at least every 10 s

    # A crowd queues behind: beyond the last step of the pace, the page asks every 30 s.
    crowd = POLL_STEPS[-1][0] + 1
    for i in range(crowd):
        waiting_room_enter(room=DOOR, member=f"v-crowd-{i:05d}", capacity=1)
    far = at_the_door(Client())
    assert place_in(far) == crowd + 2
    assert poll_every(far) == POLL_SECONDS_FAR == 30
    assert refresh_after(far) == 30
    assert poll_every(Client().get(door_page(place_only=True), headers=HX)) == 30
    # The head still asks often.
    assert poll_every(head.get(door_page(place_only=True), headers=HX)) == poll_every(near)


# --- 9. Redis down ------------------------------------------------------------------------------------------------


@pytest.fixture
def own_redis():
    with own_redis_cache() as redis:
        yield redis


def test_with_redis_down_everyone_passes_the_door(own_redis, door_of_one, monkeypatch):
    monkeypatch.setattr("resourcebooks.waiting.BACKOFF_SECONDS", 0.0)
    arrive()
    bjorn = arrive()
    assert queued_at(bjorn) == 1

    own_redis.stop()
    response = bjorn.get(LOGIN)
    assert response.status_code == 200
    assert "Logg inn på Helsenorge" in text_of(response)
    for _ in range(3):
        response = Client().get(LOGIN)
        assert response.status_code == 200
    door = Client().get(door_page("/timeavtaler/"))
    assert door.status_code == 302
    assert door["Location"] == "/timeavtaler/"
    poll = Client().get(door_page(place_only=True), headers=HX)
    assert poll["HX-Redirect"] == LOGIN


# --- 10. In English -------------------------------------------------------------------------------------------------


def test_the_door_page_reads_in_english_when_the_language_cookie_says_en(door_of_one, settings):
    arrive()
    cecilie = Client()
    cecilie.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = cecilie.get(LOGIN, follow=True)
    text = text_of(page)
    assert "You are in a queue" in text
    assert "You are number 1 in the queue" in text
    assert "Many people are using Helsenorge right now." in text
    assert "We will estimate the waiting time once the first people are done." in text
    assert "You keep your place as long as this page is open." in text
    assert "The page updates itself every 10 seconds." in text
    assert "Update now" in text
    for norwegian in ("Du er i kø", "Du er nummer", "Mange bruker", "Du beholder", "Oppdater nå"):
        assert norwegian not in text
    assert "You are number 1 in the queue" in text_of(cecilie.get(door_page(place_only=True), headers=HX))


# --- A form from a visitor who had their turn --------------------------------------------------------------------


def test_a_form_from_a_visitor_who_had_their_turn_is_not_lost_to_the_queue(door_of_one, clinic):
    anne = Client()
    login_page = anne.get(LOGIN)
    assert login_page.status_code == 200
    assert "hs_door_turn" in anne.cookies
    # Anne reads the login page so long that she is counted out, and Bjørn takes the one place.
    let_out(anne)
    bjorn = Client()
    assert bjorn.get(LOGIN).status_code == 200
    assert place_in(at_the_door(Client())) == 1
    # Her form still goes through: she is logged in, not sent to the back of the queue.
    response = anne.post(LOGIN, {"national_id": clinic.citizen.national_id})
    assert response.status_code == 302
    assert "/ko/" not in response["Location"]
    assert anne.session.get("citizen") == clinic.citizen.pk


def test_a_form_from_a_visitor_who_only_saw_the_queue_waits_like_a_page(door_of_one, clinic):
    arrive()
    cecilie = Client()
    assert place_in(at_the_door(cecilie)) == 1
    assert "hs_door" in cecilie.cookies and "hs_door_turn" not in cecilie.cookies
    response = cecilie.post(LOGIN, {"national_id": clinic.citizen.national_id})
    assert response["Location"] == QUEUED_FOR_LOGIN
    assert "_auth_user_id" not in cecilie.session


# --- Staff see the door; the invitation campaign waits for it ----------------------------------------------------


def test_staff_see_the_portals_door_above_their_timebook_list(door_of_one, clinic):
    arrive()
    arrive()
    arrive()
    user = UserFactory(username="kommune-ansatt", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_timebook"))
    StaffMembership.objects.create(user=user, organisation=clinic.municipality)
    staff = Client()
    staff.force_login(user)
    page = text_of(staff.get(reverse("admin:resourcebooks_timebook_changelist")))
    assert "Helsenorge-portalen: i kø ved inngangen: 2, inne: 1 av 1." in page


def test_the_invitation_campaign_waits_while_the_door_has_a_long_queue(door_of_one, clinic, caplog):
    arrive()
    queued = [arrive(), arrive()]
    clinic.resident(first_name="Født1950", birth_date=dt.date(1950, 5, 17), phone="+4741201950")
    campaign = campaign_create(
        timebook=clinic.timebook, born_from=1950, born_to=1950, batch_size=1, pause_seconds=0, text=""
    )
    # Two at the door of one: more than half its capacity queued. No SMS goes out, and the log says why.
    with caplog.at_level(logging.INFO, logger="booking.services.campaigns"):
        assert campaigns_tick() == 0
    assert any("ved portalens inngang" in r.getMessage() for r in caplog.records)
    assert not CampaignRecipient.objects.filter(campaign=campaign, sent_at__isnull=False).exists()

    # The queue drains: the batch goes at the next tick.
    for client in queued:
        let_out(client)
    assert campaigns_tick() == 1


def test_a_visitor_who_never_comes_back_holds_a_place_only_a_minute(door_of_one):
    # An uptime monitor or a crawler: no cookies kept, one page now and then. It takes the one place...
    Client().get("/")
    cecilie = Client()
    assert place_in(at_the_door(cecilie)) == 1
    # ...for a minute: then Cecilie, first in line, is let in (and a newcomer is first in line).
    later = timezone.now().timestamp() + FIRST_VISIT_SECONDS + 1
    assert (
        waiting_room_enter(
            room=DOOR, member="v-newcomer", capacity=1, inside_idle=DOOR_INSIDE_IDLE_SECONDS, now=later
        ).place
        == 1
    )
    assert visitor_id(cecilie) in inside_the_door()


def test_a_visitor_who_comes_back_with_the_cookie_keeps_the_place_for_the_doors_idle_time(door_of_one):
    anne = Client()
    anne.get("/")
    anne.get("/innlogging/")  # back with her cookie: from now on her place lasts the door's idle time
    later = timezone.now().timestamp() + FIRST_VISIT_SECONDS + 1
    assert (
        waiting_room_enter(
            room=DOOR, member="v-newcomer", capacity=1, inside_idle=DOOR_INSIDE_IDLE_SECONDS, now=later
        ).place
        == 1
    )
    assert inside_the_door() == [visitor_id(anne)]
