"""A timebook's waiting room (issues 15 and 20): citizens are let into its booking steps at the timebook's rate (its
own ``waiting_room_rate``, else ``WAITING_ROOM_DEFAULT_RATE``, with a burst of ``WAITING_ROOM_BURST_SECONDS`` of
it); beyond it they queue first-come, see their place and the estimate (the place at the rate), and are let in as
the rate allows, however long those let in before them stay. With Redis down nobody queues; staff see the queue;
an invitation campaign waits while the queue is long.

The rooms' clock stands still in these tests and is moved on by hand (``tests.queueing.test_door.clock``); the
portal's door is off, so only the timebook's room is at work."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.contrib.auth.models import Permission
from django.http import HttpResponseRedirect
from django.test import Client
from django.urls import reverse

from booking.models import CampaignRecipient
from booking.services import campaign_create, campaigns_tick
from booking.waiting_room import waiting_room
from citizens.models import Citizen
from queueing.admission import waiting_room_enter
from queueing.rooms import timebook_rate_forget
from resourcebooks.waiting import QUEUE_IDLE_SECONDS, waiting_counts
from tests.factories import StaffMembershipFactory, UserFactory
from tests.pages import log_in, open_review, review_url, text_of, time_url
from tests.queueing import test_door
from tests.redis_support import own_redis_cache
from tests.world import World, build_world

pytestmark = [pytest.mark.redis, pytest.mark.django_db]

clock = test_door.clock  # fixture (autouse): the rooms' clock stands still until moved on
HX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _only_the_timebooks_room(settings):
    settings.WAITING_ROOM_DOOR_RATE = 0
    timebook_rate_forget()
    yield
    timebook_rate_forget()


@pytest.fixture
def world(db) -> World:
    """Twelve a minute: a burst of two, then one every five seconds."""
    return build_world(waiting_room_rate=12)


def citizen_client(world: World, name: str) -> Client:
    return log_in(Client(), world.resident(first_name=name))


def member_of(client: Client) -> str:
    return f"c{client.session['citizen']}"


def waiting_url(world: World, *, place_only: bool = False) -> str:
    name = "booking:waiting_room_place" if place_only else "booking:waiting_room"
    return reverse(name, args=[world.service.her_id, world.timebook.pk])


def calendar(world: World) -> str:
    return f"{time_url(world.timebook)}?sted={world.location.pk}"


def enter(client: Client, world: World):  # type: ignore[no-untyped-def]
    """Open «Velg time», following a redirect to the waiting room."""
    return client.get(calendar(world), follow=True)


def let_in(client: Client, world: World) -> None:
    response = enter(client, world)
    assert response.redirect_chain == []
    assert "Timebestilling: Velg time" in text_of(response)


def poll(client: Client, world: World):  # type: ignore[no-untyped-def]
    """The waiting page's own question for the place (htmx)."""
    return client.get(waiting_url(world, place_only=True), {"neste": calendar(world)}, headers=HX)


def place_in(response) -> int | None:  # type: ignore[no-untyped-def]
    text = text_of(response)
    marker = "Du er nummer "
    if marker not in text:
        return None
    return int(text.split(marker, 1)[1].split()[0])


def in_the_steps(world: World) -> int:
    counts = waiting_counts([world.timebook.pk])
    assert counts is not None
    return counts[world.timebook.pk].inside


# --- The rate --------------------------------------------------------------------------------------------


def test_beyond_the_burst_the_third_citizen_queues_with_place_one_and_is_let_in_at_the_rate(world, clock):
    anne, bjorn, cecilie = (citizen_client(world, name) for name in ("Anne", "Bjørn", "Cecilie"))
    let_in(anne, world)
    let_in(bjorn, world)

    response = enter(cecilie, world)
    assert response.redirect_chain[-1][0].startswith(waiting_url(world))
    assert place_in(response) == 1
    assert "Du er i kø" in text_of(response)
    assert "Beregnet ventetid: under ett minutt" in text_of(response)  # place 1 at twelve a minute: 5 s
    assert 'role="status"' in response.content.decode()
    assert 'http-equiv="refresh"' in response.content.decode()

    # Neither Anne nor Bjørn has left; five seconds on, the rate lets Cecilie in at her page's next poll.
    assert "HX-Redirect" not in poll(cecilie, world)
    clock.advance(5)
    assert poll(cecilie, world)["HX-Redirect"] == calendar(world)
    let_in(cecilie, world)


def test_the_queue_keeps_first_come_order(world, clock):
    for name in ("Anne", "Bjørn"):
        let_in(citizen_client(world, name), world)
    cecilie, david, eva = (citizen_client(world, name) for name in ("Cecilie", "David", "Eva"))
    assert [place_in(enter(c, world)) for c in (cecilie, david, eva)] == [1, 2, 3]

    # Eva and David ask again before Cecilie does: asking often does not jump the queue.
    assert place_in(enter(eva, world)) == 3
    clock.advance(5)
    assert place_in(enter(eva, world)) == 2
    assert place_in(enter(david, world)) == 1
    let_in(cecilie, world)


def test_the_estimate_is_the_place_at_the_timebooks_rate(clock):
    world = build_world(waiting_room_rate=2)  # one every half minute
    let_in(citizen_client(world, "Anne"), world)
    queued = [citizen_client(world, name) for name in ("Cecilie", "David", "Eva", "Frida", "Gunn")]
    for client in queued:
        enter(client, world)
    gunn = queued[-1]
    before = text_of(poll(gunn, world))
    assert "Du er nummer 5 i køen" in before
    assert "Beregnet ventetid: omtrent 3 minutter" in before  # 5 × 30 s

    # A minute on, two more were let in at the rate: Gunn is third, an estimated minute and a half away.
    for _ in range(2):
        clock.advance(30)
        poll(queued[0], world)
    after = text_of(poll(gunn, world))
    assert "Du er nummer 3 i køen" in after
    assert "Beregnet ventetid: omtrent 2 minutter" in after


def test_a_timebook_without_a_rate_of_its_own_has_the_default(settings):
    settings.WAITING_ROOM_DEFAULT_RATE = 6  # a burst of one
    world = build_world()
    let_in(citizen_client(world, "Anne"), world)
    assert place_in(enter(citizen_client(world, "Bjørn"), world)) == 1


def test_citizens_let_in_hold_nobody_out_however_long_they_stay(clock):
    world = build_world(waiting_room_rate=1)  # one a minute
    anne = citizen_client(world, "Anne")
    let_in(anne, world)
    bjorn, cecilie = citizen_client(world, "Bjørn"), citizen_client(world, "Cecilie")
    assert place_in(enter(bjorn, world)) == 1
    assert place_in(enter(cecilie, world)) == 2

    # Anne stays in the steps, a page a minute; the queue still moves one a minute.
    for waiting in (bjorn, cecilie):
        clock.advance(60)
        let_in(anne, world)
        let_in(waiting, world)
    assert in_the_steps(world) == 3

    # Twenty minutes on, with Anne's page open all along and the others gone quiet, a newcomer goes straight in.
    clock.advance(20 * 60)
    let_in(citizen_client(world, "David"), world)


def test_a_citizen_let_in_goes_on_through_the_steps_while_others_queue(clock):
    world = build_world(waiting_room_rate=1)
    anne = citizen_client(world, "Anne")
    let_in(anne, world)
    assert place_in(enter(citizen_client(world, "Bjørn"), world)) == 1
    clock.advance(5 * 60)  # reading the calendar a while
    review = anne.get(review_url(world.slots[0]))
    assert review.status_code == 200
    assert "Se gjennom før du sender" in text_of(review)


def test_a_queued_citizen_who_stops_asking_loses_the_place(clock):
    world = build_world(waiting_room_rate=1)
    let_in(citizen_client(world, "Anne"), world)
    gone = waiting_room_enter(room=world.timebook.pk, member="c-gone", rate=1)
    assert gone.place == 1
    # The page of the one queued stopped asking three minutes ago: the minute's admission goes to Cecilie.
    clock.advance(QUEUE_IDLE_SECONDS + 1)
    let_in(citizen_client(world, "Cecilie"), world)


def test_a_queued_citizen_who_opens_the_calendar_by_htmx_is_sent_to_the_waiting_room(world):
    for name in ("Anne", "Bjørn"):
        enter(citizen_client(world, name), world)
    cecilie = citizen_client(world, "Cecilie")
    response = cecilie.get(calendar(world), headers=HX)
    assert response["HX-Redirect"].startswith(waiting_url(world))


# --- Where the waiting room sends the citizen on ------------------------------------------------------------


def test_the_waiting_room_sends_on_to_the_page_of_this_timebook_asked_for(world):
    response = citizen_client(world, "Cecilie").get(waiting_url(world), {"neste": calendar(world)})
    assert response.status_code == 302
    assert response["Location"] == calendar(world)


@pytest.mark.parametrize(
    "neste",
    [
        "//evil.example/",
        "https://evil.example/",
        "/admin/",
        "{steps}../../../admin/",
        "{steps}%2e%2e/%2e%2e/%2e%2e/admin/",
        "{steps}..%2f..%2f..%2fadmin/",
        "{steps}./../../../ar/",
        "{steps}..\\..\\..\\admin/",
        "{steps}%5c%5cevil.example/",
        "{other}",
    ],
)
def test_the_waiting_room_only_sends_on_to_this_timebooks_steps(world, neste):
    """Finding 11: dot segments («/bestill/<her>/<timebook>/../../../admin/»), which the browser would resolve out
    of the timebook's steps, are not kept; neither is another host, page or timebook."""
    steps = reverse("booking:place", args=[world.service.her_id, world.timebook.pk]).rsplit("/", 2)[0] + "/"
    other = time_url(build_world().timebook)
    first_step = reverse("booking:place", args=[world.service.her_id, world.timebook.pk])
    cecilie = citizen_client(world, "Cecilie")
    response = cecilie.get(waiting_url(world), {"neste": neste.format(steps=steps, other=other)})
    assert response.status_code == 302
    assert response["Location"] == first_step
    answer = cecilie.get(
        waiting_url(world, place_only=True), {"neste": neste.format(steps=steps, other=other)}, headers=HX
    )
    assert answer["HX-Redirect"] == first_step


def test_nobody_queues_for_a_timebook_outside_the_contact(world):
    other = build_world().timebook
    url = reverse("booking:waiting_room", args=[world.service.her_id, other.pk])
    assert citizen_client(world, "Anne").get(url).status_code == 404


# --- Leaving the steps ------------------------------------------------------------------------------------------


def test_leaving_the_flow_by_a_redirect_out_of_the_timebooks_steps_ends_the_visit(world, rf):
    """A decorated step that sends the citizen elsewhere (e.g. «Timebestillingen er sendt») ends their visit:
    staff no longer count them in the booking steps."""

    @waiting_room
    def step(request, her_id, timebook_id):  # type: ignore[no-untyped-def]
        return HttpResponseRedirect(reverse("booking:appointments"))

    anne = citizen_client(world, "Anne")
    let_in(anne, world)
    let_in(citizen_client(world, "Bjørn"), world)
    assert in_the_steps(world) == 2
    request = rf.get("/")
    request.citizen = Citizen.objects.get(pk=anne.session["citizen"])
    step(request, world.service.her_id, world.timebook.pk)
    assert in_the_steps(world) == 1


def test_avbryt_on_the_review_page_takes_the_citizen_out_of_the_booking_steps(client, world):
    slot = world.slots[0]
    log_in(client, world.citizen)
    open_review(client, slot)
    assert in_the_steps(world) == 1
    release = reverse("booking:review_release", args=[slot.timebook.service.her_id, slot.timebook_id, slot.pk])
    client.post(release)
    assert in_the_steps(world) == 0


# --- Redis down ------------------------------------------------------------------------------------------


@pytest.fixture
def own_redis():
    with own_redis_cache() as redis:
        yield redis


def test_with_redis_down_everyone_is_let_in_and_it_is_logged_once(own_redis, caplog, monkeypatch):
    # Ask Redis on every request, as after each back-off: the outage is still logged once.
    monkeypatch.setattr("resourcebooks.waiting.BACKOFF_SECONDS", 0.0)
    world = build_world(waiting_room_rate=1)
    let_in(citizen_client(world, "Anne"), world)
    assert place_in(enter(citizen_client(world, "Bjørn"), world)) == 1

    own_redis.stop()
    with caplog.at_level(logging.WARNING, logger="resourcebooks.waiting"):
        for name in ("Cecilie", "David", "Eva"):
            let_in(citizen_client(world, name), world)
    outage = [r for r in caplog.records if "Venterommet (Redis) svarer ikke" in r.getMessage()]
    assert len(outage) == 1


# --- Staff -----------------------------------------------------------------------------------------------


def staff_client(world: World) -> Client:
    user = UserFactory(username="kommune-ansatt", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_timebook"))
    StaffMembershipFactory(user=user, organisation=world.municipality)
    staff = Client()
    staff.force_login(user)
    return staff


def test_staff_see_the_queue_and_who_is_in_the_steps_in_the_timebook_list(world):
    for name in ("Anne", "Bjørn", "Cecilie"):
        enter(citizen_client(world, name), world)
    page = text_of(staff_client(world).get(reverse("admin:resourcebooks_timebook_changelist")))
    assert "I kø: 1, i bestillingsstegene: 2" in page


def test_the_staff_column_is_a_dash_when_redis_is_down(own_redis, world):
    own_redis.stop()
    response = staff_client(world).get(reverse("admin:resourcebooks_timebook_changelist"))
    assert response.status_code == 200
    assert "I kø:" not in text_of(response)


# --- The invitation campaign -----------------------------------------------------------------------------


def test_the_invitation_campaign_waits_while_the_queue_is_long_and_goes_on_after(clock, caplog):
    world = build_world(waiting_room_rate=2)  # half a minute's admissions: one
    let_in(citizen_client(world, "Anne"), world)
    queued = [citizen_client(world, name) for name in ("Cecilie", "David")]
    for client in queued:
        enter(client, world)
    for year in (1950, 1960):
        world.resident(first_name=f"Født{year}", birth_date=dt.date(year, 5, 17), phone=f"+47412{year:05d}")
    campaign = campaign_create(
        timebook=world.timebook, born_from=1950, born_to=1960, batch_size=1, pause_seconds=0, text=""
    )

    # Two queued is more than half a minute's admissions: no SMS goes out, and the log says why.
    with caplog.at_level(logging.INFO, logger="booking.services.campaigns"):
        assert campaigns_tick() == 0
    assert not CampaignRecipient.objects.filter(campaign=campaign, sent_at__isnull=False).exists()
    assert any("venter med neste bolk: lang kø" in r.getMessage() for r in caplog.records)

    # Half a minute on, Cecilie is let in: one queued, and the batch goes.
    clock.advance(30)
    let_in(queued[0], world)
    assert campaigns_tick() == 1
    assert CampaignRecipient.objects.filter(campaign=campaign, sent_at__isnull=False).count() == 1
