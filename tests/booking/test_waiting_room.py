"""The waiting room (issue 15): beyond a timebook's capacity, citizens who open its booking steps queue
first-come, see their place and an estimate, and are let in when someone inside finishes or goes idle; with
Redis down nobody queues; staff see the queue; an invitation campaign waits while the queue is long."""

from __future__ import annotations

import datetime as dt
import logging
import time

import pytest
from django.contrib.auth.models import Permission
from django.http import HttpResponseRedirect
from django.test import Client
from django.urls import reverse

from booking.models import CampaignRecipient
from booking.services import campaign_create, campaigns_tick
from booking.waiting_room import timebook_capacity_forget, waiting_room, waiting_room_enter, waiting_room_leave
from citizens.models import Citizen
from resourcebooks.models import StaffMembership
from resourcebooks.waiting import INSIDE_IDLE_SECONDS, QUEUE_IDLE_SECONDS, waiting_reset
from tests.booking.test_flow_support import Clinic, log_in, make_clinic, text_of, time_url
from tests.conftest import UserFactory
from tests.redis_support import own_redis_cache

pytestmark = [pytest.mark.redis, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _fresh_waiting_room():
    timebook_capacity_forget()
    waiting_reset()
    yield
    timebook_capacity_forget()
    waiting_reset()


@pytest.fixture
def clinic(db) -> Clinic:
    return make_clinic(waiting_room_capacity=2)


def citizen_client(clinic: Clinic, name: str) -> Client:
    return log_in(Client(), clinic.resident(first_name=name))


def member_of(client: Client) -> str:
    return f"c{client.session['citizen']}"


def waiting_url(clinic: Clinic, *, place_only: bool = False) -> str:
    name = "booking:waiting_room_place" if place_only else "booking:waiting_room"
    return reverse(name, args=[clinic.service.her_id, clinic.timebook.pk])


def calendar(clinic: Clinic) -> str:
    return f"{time_url(clinic.timebook)}?sted={clinic.location.pk}"


def enter(client: Client, clinic: Clinic):  # type: ignore[no-untyped-def]
    """Open «Velg time», following a redirect to the waiting room."""
    return client.get(calendar(clinic), follow=True)


def place_in(response) -> int | None:  # type: ignore[no-untyped-def]
    text = text_of(response)
    marker = "Du er nummer "
    if marker not in text:
        return None
    return int(text.split(marker, 1)[1].split()[0])


def test_the_third_citizen_queues_with_place_one_and_is_let_in_when_one_finishes(clinic):
    anne, bjorn, cecilie = (citizen_client(clinic, name) for name in ("Anne", "Bjørn", "Cecilie"))
    for client in (anne, bjorn):
        response = enter(client, clinic)
        assert response.redirect_chain == []
        assert "Timebestilling: Velg time" in text_of(response)

    response = enter(cecilie, clinic)
    assert response.redirect_chain[-1][0].startswith(waiting_url(clinic))
    assert place_in(response) == 1
    assert "Du er i kø" in text_of(response)
    assert 'role="status"' in response.content.decode()
    assert 'http-equiv="refresh"' in response.content.decode()

    # Anne sends her booking: her place inside goes to Cecilie at the page's next poll.
    waiting_room_leave(clinic.timebook.pk, member_of(anne))
    poll = cecilie.get(response.redirect_chain[-1][0].replace("/ko/", "/ko/plass/"), headers={"HX-Request": "true"})
    assert poll["HX-Redirect"] == calendar(clinic)
    assert "Timebestilling: Velg time" in text_of(enter(cecilie, clinic))


def test_the_queue_keeps_first_come_order(clinic):
    inside = [citizen_client(clinic, name) for name in ("Anne", "Bjørn")]
    for client in inside:
        enter(client, clinic)
    cecilie, david, eva = (citizen_client(clinic, name) for name in ("Cecilie", "David", "Eva"))
    assert [place_in(enter(c, clinic)) for c in (cecilie, david, eva)] == [1, 2, 3]

    # Eva and David ask again before Cecilie does: asking often does not jump the queue.
    assert place_in(enter(eva, clinic)) == 3
    waiting_room_leave(clinic.timebook.pk, member_of(inside[0]))
    assert place_in(enter(eva, clinic)) == 2
    assert place_in(enter(david, clinic)) == 1
    assert "Timebestilling: Velg time" in text_of(enter(cecilie, clinic))


def test_the_place_partial_shows_the_place_and_an_estimate_from_people_leaving(clinic):
    inside = [citizen_client(clinic, name) for name in ("Anne", "Bjørn")]
    for client in inside:
        enter(client, clinic)
    queued = [citizen_client(clinic, name) for name in ("Cecilie", "David", "Eva", "Frida", "Gunn")]
    for client in queued:
        enter(client, clinic)
    last = queued[-1]
    before = text_of(last.get(waiting_url(clinic, place_only=True), headers={"HX-Request": "true"}))
    assert "Du er nummer 5 i køen" in before
    assert "Vi beregner ventetiden når de første er ferdige." in before

    # Two left the booking steps just now: about two places a minute, and Gunn is third.
    for client in inside:
        waiting_room_leave(clinic.timebook.pk, member_of(client))
    after = text_of(last.get(waiting_url(clinic, place_only=True), headers={"HX-Request": "true"}))
    assert "Du er nummer 3 i køen" in after
    assert "Beregnet ventetid: omtrent 2 minutter" in after


def test_a_queued_citizen_who_opens_the_calendar_by_htmx_is_sent_to_the_waiting_room(clinic):
    for name in ("Anne", "Bjørn"):
        enter(citizen_client(clinic, name), clinic)
    cecilie = citizen_client(clinic, "Cecilie")
    response = cecilie.get(calendar(clinic), headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith(waiting_url(clinic))


def test_the_waiting_room_only_sends_on_to_this_timebooks_steps(clinic):
    cecilie = citizen_client(clinic, "Cecilie")
    response = cecilie.get(waiting_url(clinic), {"neste": "//evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == reverse("booking:place", args=[clinic.service.her_id, clinic.timebook.pk])


def test_nobody_queues_for_a_timebook_outside_the_contact(clinic):
    other = make_clinic().timebook
    url = reverse("booking:waiting_room", args=[clinic.service.her_id, other.pk])
    assert citizen_client(clinic, "Anne").get(url).status_code == 404


def test_idle_citizens_inside_leave_and_the_next_is_let_in(clinic):
    tb, long_ago = clinic.timebook.pk, time.time() - INSIDE_IDLE_SECONDS - 1
    assert waiting_room_enter(room=tb, member="c-left-a", capacity=2, now=long_ago).admitted
    assert waiting_room_enter(room=tb, member="c-left-b", capacity=2, now=long_ago).admitted
    cecilie = citizen_client(clinic, "Cecilie")
    assert "Timebestilling: Velg time" in text_of(enter(cecilie, clinic))


def test_a_queued_citizen_who_stops_asking_loses_the_place(clinic):
    tb, now = clinic.timebook.pk, time.time()
    for name in ("Anne", "Bjørn"):
        enter(citizen_client(clinic, name), clinic)
    gone = waiting_room_enter(room=tb, member="c-gone", capacity=2, now=now - QUEUE_IDLE_SECONDS - 1)
    assert gone.place == 1
    assert place_in(enter(citizen_client(clinic, "Cecilie"), clinic)) == 1


def test_leaving_the_flow_by_a_redirect_out_of_the_timebooks_steps_frees_the_place(clinic, rf):
    """A decorated step that sends the citizen elsewhere (e.g. «Timebestillingen er sendt») ends their visit."""

    @waiting_room
    def step(request, her_id, timebook_id):  # type: ignore[no-untyped-def]
        return HttpResponseRedirect(reverse("booking:appointments"))

    anne = citizen_client(clinic, "Anne")
    enter(anne, clinic)
    enter(citizen_client(clinic, "Bjørn"), clinic)
    request = rf.get("/")
    request.citizen = Citizen.objects.get(pk=anne.session["citizen"])
    step(request, clinic.service.her_id, clinic.timebook.pk)
    assert "Timebestilling: Velg time" in text_of(enter(citizen_client(clinic, "Cecilie"), clinic))


# --- Redis down ------------------------------------------------------------------------------------------


@pytest.fixture
def own_redis():
    with own_redis_cache() as redis:
        yield redis


def test_with_redis_down_everyone_is_let_in_and_it_is_logged_once(own_redis, caplog, monkeypatch):
    # Ask Redis on every request, as after each back-off: the outage is still logged once.
    monkeypatch.setattr("resourcebooks.waiting.BACKOFF_SECONDS", 0.0)
    clinic = make_clinic(waiting_room_capacity=1)
    enter(citizen_client(clinic, "Anne"), clinic)
    assert place_in(enter(citizen_client(clinic, "Bjørn"), clinic)) == 1

    own_redis.stop()
    with caplog.at_level(logging.WARNING, logger="resourcebooks.waiting"):
        for name in ("Cecilie", "David", "Eva"):
            response = enter(citizen_client(clinic, name), clinic)
            assert response.redirect_chain == []
            assert "Timebestilling: Velg time" in text_of(response)
    outage = [r for r in caplog.records if "Venterommet (Redis) svarer ikke" in r.getMessage()]
    assert len(outage) == 1


# --- Staff -----------------------------------------------------------------------------------------------


def test_staff_see_the_queue_and_who_is_inside_in_the_timebook_list(clinic):
    for name in ("Anne", "Bjørn", "Cecilie"):
        enter(citizen_client(clinic, name), clinic)
    user = UserFactory(username="kommune-ansatt", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_timebook"))
    StaffMembership.objects.create(user=user, organisation=clinic.municipality)
    staff = Client()
    staff.force_login(user)
    page = text_of(staff.get(reverse("admin:resourcebooks_timebook_changelist")))
    assert "I kø: 1, i bestillingsstegene: 2" in page


def test_the_staff_column_is_a_dash_when_redis_is_down(own_redis, clinic):
    own_redis.stop()
    user = UserFactory(username="kommune-ansatt", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_timebook"))
    StaffMembership.objects.create(user=user, organisation=clinic.municipality)
    staff = Client()
    staff.force_login(user)
    response = staff.get(reverse("admin:resourcebooks_timebook_changelist"))
    assert response.status_code == 200
    assert "I kø:" not in text_of(response)


# --- The invitation campaign -----------------------------------------------------------------------------


def test_the_invitation_campaign_waits_while_the_queue_is_long_and_goes_on_after(clinic, caplog):
    for name in ("Anne", "Bjørn"):
        enter(citizen_client(clinic, name), clinic)
    queued = [citizen_client(clinic, name) for name in ("Cecilie", "David")]
    for client in queued:
        enter(client, clinic)
    for year in (1950, 1960):
        clinic.resident(first_name=f"Født{year}", birth_date=dt.date(year, 5, 17), phone=f"+47412{year:05d}")
    campaign = campaign_create(
        timebook=clinic.timebook, born_from=1950, born_to=1960, batch_size=1, pause_seconds=0, text=""
    )

    # Two queued is more than half the capacity of two: no SMS goes out, and the log says why.
    with caplog.at_level(logging.INFO, logger="booking.services.campaigns"):
        assert campaigns_tick() == 0
    assert not CampaignRecipient.objects.filter(campaign=campaign, sent_at__isnull=False).exists()
    assert any("venter med neste bolk: lang kø" in r.getMessage() for r in caplog.records)

    waiting_room_leave(clinic.timebook.pk, member_of(queued[0]))
    assert campaigns_tick() == 1
    assert CampaignRecipient.objects.filter(campaign=campaign, sent_at__isnull=False).count() == 1


def test_avbryt_on_the_review_page_gives_the_place_to_the_next_in_the_queue(client, clinic):
    """«Avbryt» leaves the flow: the hold goes, and so does the place inside the booking steps."""
    from tests.booking.test_flow_support import open_review

    slot = clinic.slots[0]
    log_in(client, clinic.citizen)
    open_review(client, slot)
    waiting = waiting_room_enter(room=clinic.timebook.pk, member="c-next", capacity=1)
    assert waiting.place == 1  # the citizen on the review page fills the only place
    release = reverse("booking:review_release", args=[slot.timebook.service.her_id, slot.timebook_id, slot.pk])
    client.post(release)
    assert waiting_room_enter(room=clinic.timebook.pk, member="c-next", capacity=1).place == 0
