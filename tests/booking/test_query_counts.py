"""Every booking page costs a fixed number of SQL queries, whatever the number of slots (issue 6).

This is a correctness test of the queries' shape, not a timing test: a page whose query count grows
with the slots would melt under the rush.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from resourcebooks.services import slots_publish
from tests.factories import WeekTemplateFactory
from tests.world import build_world

pytestmark = pytest.mark.django_db

MAX_QUERIES = 25


def clinic(weeks: int):
    """The shared world's clinic, its slots published from a week template for ``weeks`` weeks."""
    world = build_world(slots=0)
    template = WeekTemplateFactory(
        timebook=world.timebook,
        location=world.location,
        valid_from=timezone.localdate(),
        valid_to=timezone.localdate() + dt.timedelta(days=400),
    )
    start = timezone.localdate() + dt.timedelta(days=1)
    slots_publish(template=template, date_from=start, date_to=start + dt.timedelta(weeks=weeks))
    return world.timebook, world.location, world.citizen


def pages(timebook, location) -> list[tuple[str, str, dict]]:
    her = timebook.service.her_id
    slot = timebook.slots.filter(state="free").order_by("start").first()
    day = timezone.localtime(slot.start).date()
    time_url = reverse("booking:time", args=[her, timebook.pk])
    return [
        ("get", reverse("booking:choose_contact"), {}),
        ("get", reverse("booking:choose_timebook", args=[her]), {}),
        ("get", f"{time_url}?sted={location.pk}", {}),
        ("get", f"{time_url}?sted={location.pk}&dag={day.isoformat()}", {}),
        ("get", reverse("booking:review", args=[her, timebook.pk, slot.pk]), {}),
        (
            "post",
            reverse("booking:review", args=[her, timebook.pk, slot.pk]),
            {"reason": "Vaksine", "idempotency_key": str(uuid.uuid4())},
        ),
        ("get", reverse("booking:appointments"), {}),
    ]


def counts(client, timebook, location, citizen) -> list[int]:
    client.force_login(citizen.user)
    result = []
    for method, url, data in pages(timebook, location):
        with CaptureQueriesContext(connection) as queries:
            response = getattr(client, method)(url, data)
        assert response.status_code in (200, 302), url
        result.append(len(queries))
    return result


def test_booking_pages_cost_the_same_queries_for_a_week_and_a_year_of_slots(client):
    small = counts(client, *clinic(weeks=1))
    client.logout()
    large = counts(client, *clinic(weeks=52))
    assert small == large
    assert max(large) <= MAX_QUERIES, large
