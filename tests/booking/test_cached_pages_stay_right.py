"""Issue 15, «Fast: the page is cheap»: what makes the pages cheap must never make them wrong.

The month's free days and a day's free slots come from the cache, keyed by the timebook's slot version;
these tests change slots behind a page the citizen already looked at and check that the next page shows
the change. The session is written at most once a minute, and the 30-minute idle end still holds. With
Redis down, the pages read the database and are just as right.
"""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from booking.services import appointment_book_by_clinic, appointment_cancel
from resourcebooks.freshness import NO_CACHE, slots_version
from resourcebooks.models import Slot
from resourcebooks.services import slots_withdraw
from tests.pages import html_of, idempotency_key_in, log_in, review_url, session_reads, time_url
from tests.world import World, build_world, new_citizen

pytestmark = pytest.mark.django_db

DEAD_REDIS = {
    "default": {
        "BACKEND": "core.cache.FailSoftRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there: every call fails at once
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


def day_page(client: Client, world: World) -> str:
    """The day's slots as the calendar's link asks for them (htmx)."""
    day = timezone.localtime(world.slots[0].start).date()
    url = f"{time_url(world.timebook)}?sted={world.location.pk}&dag={day.isoformat()}"
    response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    return html_of(response)


def month_page(client: Client, world: World) -> str:
    day = timezone.localtime(world.slots[0].start).date()
    response = client.get(f"{time_url(world.timebook)}?sted={world.location.pk}&maned={day:%Y-%m}")
    assert response.status_code == 200
    return html_of(response)


def offered(html: str, slot: Slot) -> bool:
    return f'href="{review_url(slot)}"' in html


def marked_free(html: str, slot: Slot) -> bool:
    return f'id="dag-{timezone.localtime(slot.start).date().isoformat()}"' in html


@pytest.fixture
def citizen_client(client: Client, world: World) -> Client:
    return log_in(client, world.citizen)


@pytest.mark.redis
def test_the_calendar_is_cached_when_redis_is_there(world):
    """The guard tests below are only worth something if the cache is really in use (with Redis, as in CI: the
    ``redis`` mark makes a run without it a skip that CI refuses)."""
    version = slots_version(world.timebook.pk)
    assert version != NO_CACHE
    assert slots_version(world.timebook.pk) == version


def test_a_slot_the_clinic_books_is_gone_from_the_day_at_once(citizen_client, world):
    assert offered(day_page(citizen_client, world), world.slots[0])
    appointment_book_by_clinic(person=new_citizen(), slot=world.slots[0], reason="Satt opp")
    html = day_page(citizen_client, world)
    assert not offered(html, world.slots[0])
    assert offered(html, world.slots[1])


def test_a_slot_another_citizen_books_is_gone_from_the_day_at_once(citizen_client, world):
    assert offered(day_page(citizen_client, world), world.slots[2])
    other = log_in(Client(), new_citizen(municipality=world.timebook.service.organisation))
    key = other.get(review_url(world.slots[2]))
    assert key.status_code == 200
    sent = other.post(
        review_url(world.slots[2]), {"reason": "Vaksine", "idempotency_key": idempotency_key_in(html_of(key))}
    )
    assert sent.status_code == 302
    assert not offered(day_page(citizen_client, world), world.slots[2])


def test_a_cancelled_time_is_offered_again_at_once(citizen_client, world):
    other = new_citizen()
    appointment = appointment_book_by_clinic(person=other, slot=world.slots[0], reason="Satt opp")
    assert not offered(day_page(citizen_client, world), world.slots[0])
    appointment_cancel(appointment=appointment, by=other)
    assert offered(day_page(citizen_client, world), world.slots[0])


def test_a_withdrawn_day_is_no_longer_free_in_the_month(citizen_client, world):
    assert marked_free(month_page(citizen_client, world), world.slots[0])
    day = timezone.localtime(world.slots[0].start).date()
    slots_withdraw(timebook=world.timebook, date_from=day, date_to=day)
    html = month_page(citizen_client, world)
    assert not marked_free(html, world.slots[0])
    assert "Det er ingen ledige timer i denne timeboken nå." in html


def test_a_plain_page_within_a_minute_writes_no_session(citizen_client):
    """Measured on both session engines: the full stack's (cached in Redis) and the embedded default's."""
    citizen_client.get(reverse("booking:appointments"))
    with CaptureQueriesContext(connection) as queries:
        response = citizen_client.get(reverse("booking:appointments"))
    assert response.status_code == 200
    session_sql = [q["sql"] for q in queries if "django_session" in q["sql"]]
    assert not [sql for sql in session_sql if not sql.startswith("SELECT")]  # nothing written, on either engine
    assert len(session_sql) == session_reads()  # and nothing read where sessions live in the cache


def test_activity_after_a_minute_moves_the_idle_end(citizen_client):
    session = citizen_client.session
    session["last_seen"] = int(time.time()) - 29 * 60
    session.save()
    assert citizen_client.get(reverse("booking:appointments")).status_code == 200
    assert citizen_client.session["last_seen"] >= int(time.time()) - 5
    assert citizen_client.get(reverse("booking:appointments")).status_code == 200


def test_thirty_idle_minutes_still_end_the_session(citizen_client):
    session = citizen_client.session
    session["last_seen"] = int(time.time()) - 31 * 60
    session.save()
    response = citizen_client.get(reverse("booking:appointments"))
    assert response.status_code == 302
    assert reverse("citizens:login") in response["Location"]
    again = citizen_client.get(reverse("booking:appointments"))
    assert again.status_code == 302  # logged out, not only sent away once


@override_settings(CACHES=DEAD_REDIS, SESSION_ENGINE="django.contrib.sessions.backends.cached_db")
def test_with_redis_down_the_calendar_reads_the_database_and_is_right(client):
    world = build_world()
    assert slots_version(world.timebook.pk) == NO_CACHE
    log_in(client, world.citizen)
    assert offered(day_page(client, world), world.slots[0])
    appointment_book_by_clinic(person=new_citizen(), slot=world.slots[0], reason="Satt opp")
    assert not offered(day_page(client, world), world.slots[0])
    assert offered(day_page(client, world), world.slots[1])
    assert marked_free(month_page(client, world), world.slots[1])


# --- What the cheaper pages of helper q must still show -------------------------------------------------


def test_the_days_slots_partial_asks_nothing_for_the_header_it_does_not_show(citizen_client, world):
    day = timezone.localtime(world.slots[0].start).date()
    url = f"{time_url(world.timebook)}?sted={world.location.pk}&dag={day.isoformat()}"
    citizen_client.get(url, headers={"HX-Request": "true"})
    with CaptureQueriesContext(connection) as queries:
        response = citizen_client.get(url, headers={"HX-Request": "true"})
    assert offered(html_of(response), world.slots[0])
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "booking_inboxmessage" not in sql and "representation" not in sql


def test_the_month_labels_each_day_for_screen_readers(citizen_client, world):
    html = month_page(citizen_client, world)
    day = timezone.localtime(world.slots[0].start).date()
    assert f'aria-label="{day.day}. ' in html and ", ledige timer" in html
    assert ", ingen ledige timer</span>" in html


def test_reopening_the_review_keeps_the_hold_and_frees_no_slot(citizen_client, world):
    slot = world.slots[0]
    assert citizen_client.get(review_url(slot)).status_code == 200
    assert citizen_client.get(review_url(slot)).status_code == 200
    slot.refresh_from_db()
    assert slot.state == Slot.State.ON_HOLD
    assert not offered(day_page(log_in(Client(), new_citizen()), world), slot)
