"""The clinic worker's whole round in the admin, as the issue's acceptance list walks it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from resourcebooks.models import Location, Slot, Timebook, WeekTemplate

pytestmark = pytest.mark.django_db


@pytest.fixture
def kari(client, demo_db):
    assert client.login(username="kommune-ansatt", password="kommune-demo")
    return client


def next_monday() -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_staff_create_a_location_and_template_publish_withdraw_and_publish_again(kari):
    timebook = Timebook.objects.get(name="Influensavaksine")
    start = next_monday()

    # 1. A new location.
    response = kari.post(
        reverse("admin:resourcebooks_location_add"),
        {
            "organisation": timebook.service.organisation.pk,
            "name": "Rådhuset",
            "description": "",
            "attendance_place": "Rådhuset, 2. etasje",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    location = Location.objects.get(name="Rådhuset")

    # 2. A week template: Saturdays 09:00–11:00 in 10-minute slots (the demo template uses weekdays).
    response = kari.post(
        reverse("admin:resourcebooks_weektemplate_add"),
        {
            "timebook": timebook.pk,
            "location": location.pk,
            "name": "Lørdagsvaksine",
            "weekdays": ["5"],
            "start_time": "09:00",
            "end_time": "11:00",
            "slot_minutes": "10",
            "valid_from": start.isoformat(),
            "valid_to": (start + dt.timedelta(days=365)).isoformat(),
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    template = WeekTemplate.objects.get(name="Lørdagsvaksine")

    # 3. Publish four weeks.
    publish = reverse("admin:resourcebooks_weektemplate_publish", args=[template.pk])
    last = start + dt.timedelta(weeks=4) - dt.timedelta(days=1)
    response = kari.post(publish, {"date_from": start.isoformat(), "date_to": last.isoformat()}, follow=True)
    assert any("Publiserte 48 nye timer" in m for m in messages_of(response))  # 4 Saturdays × 12 slots
    assert template.slots.count() == 48

    # 4. The day view and the chart show them.
    saturday = start + dt.timedelta(days=5)
    day = kari.get(reverse("admin:resourcebooks_timebook_day", args=[timebook.pk]), {"dato": saturday.isoformat()})
    html = day.content.decode()
    assert "09:00 - 09:10" in html and "10:50 - 11:00" in html
    assert "Rådhuset, 2. etasje" in html
    assert "12 timer, 12 ledige" in html
    chart = kari.get(reverse("admin:resourcebooks_timebook_chart", args=[timebook.pk]))
    saturday_load = next(load for load in chart.context["loads"] if load.day == saturday)
    assert saturday_load.free == 12
    assert f"{saturday:%d.%m.%Y}: 0 bestilt, 0 reservert, 12 ledige" in chart.content.decode()

    # 5. Withdraw that day.
    response = kari.post(
        reverse("admin:resourcebooks_timebook_day", args=[timebook.pk]) + f"?dato={saturday.isoformat()}", follow=True
    )
    assert any("Trakk tilbake 12 ledige timer" in m for m in messages_of(response))
    assert template.slots.filter(state=Slot.State.WITHDRAWN).count() == 12

    # 6. Publish again: nothing duplicated, and the withdrawn day stays withdrawn.
    response = kari.post(publish, {"date_from": start.isoformat(), "date_to": last.isoformat()}, follow=True)
    assert any("Ingen nye timer" in m for m in messages_of(response))
    assert template.slots.count() == 48
    assert template.slots.filter(state=Slot.State.WITHDRAWN).count() == 12


def test_publishing_bad_input_shows_a_norwegian_message_and_creates_nothing(kari):
    template = WeekTemplate.objects.filter(timebook__name="Influensavaksine").first()
    before = Slot.objects.count()
    today = timezone.localdate()
    url = reverse("admin:resourcebooks_weektemplate_publish", args=[template.pk])
    cases = [
        ({"date_from": (today - dt.timedelta(days=3)).isoformat(), "date_to": today.isoformat()}, "tilbake i tid"),
        ({"date_from": today.isoformat(), "date_to": (today + dt.timedelta(days=400)).isoformat()}, "høyst ett år"),
        ({"date_from": today.isoformat(), "date_to": (today - dt.timedelta(days=1)).isoformat()}, "kan ikke være før"),
    ]
    for data, message in cases:
        response = kari.post(url, data)
        assert response.status_code == 200
        assert message in response.content.decode()
    assert Slot.objects.count() == before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end_time": "08:00"}, "end_time", "Sluttidspunktet må være etter starttidspunktet."),
        ({"slot_minutes": "7"}, "slot_minutes", "går ikke opp i tidsrommet"),
        ({"weekdays": []}, "weekdays", ""),
        ({"valid_to": "2026-01-01", "valid_from": "2026-02-01"}, "valid_to", "kan ikke være før"),
        ({"name": "x" * 101}, "name", ""),
    ],
)
def test_a_bad_week_template_is_refused_with_a_message(kari, changes, field, message):
    timebook = Timebook.objects.get(name="Influensavaksine")
    data = {
        "timebook": timebook.pk,
        "location": Location.objects.filter(organisation=timebook.service.organisation).first().pk,
        "name": "Ny",
        "weekdays": ["0"],
        "start_time": "09:00",
        "end_time": "10:00",
        "slot_minutes": "10",
        "valid_from": "2027-01-01",
        "valid_to": "2027-12-31",
    } | changes
    before = WeekTemplate.objects.count()
    response = kari.post(reverse("admin:resourcebooks_weektemplate_add"), data)
    errors = response.context["adminform"].form.errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert WeekTemplate.objects.count() == before


def test_too_long_timebook_texts_are_refused(kari):
    timebook = Timebook.objects.get(name="Influensavaksine")
    url = reverse("admin:resourcebooks_timebook_change", args=[timebook.pk])
    form = kari.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "time_types"}
    data |= {
        "service": timebook.service.pk,
        "time_types": [t.pk for t in timebook.time_types.all()],
        "description": "x" * 201,
        "office_information": "y" * 301,
        "list_entries-TOTAL_FORMS": 0,
        "list_entries-INITIAL_FORMS": 0,
    }
    response = kari.post(url, data)
    errors = response.context["adminform"].form.errors
    assert {"description", "office_information"} <= set(errors)
    timebook.refresh_from_db()
    assert len(timebook.description) <= 200


def test_the_timebook_action_withdraws_free_slots_over_a_period(kari):
    timebook = Timebook.objects.get(name="Influensavaksine")
    monday = next_monday()
    response = kari.post(
        reverse("admin:resourcebooks_timebook_changelist"),
        {
            "action": "withdraw_free_slots",
            "_selected_action": [timebook.pk],
            "apply": "1",
            "date_from": monday.isoformat(),
            "date_to": (monday + dt.timedelta(days=4)).isoformat(),
        },
        follow=True,
    )
    assert any("Trakk tilbake 420 ledige timer" in m for m in messages_of(response))  # 5 days × 84 slots


def test_the_timebook_list_shows_the_first_free_slot_and_links_to_day_view_and_chart(kari):
    html = kari.get(reverse("admin:resourcebooks_timebook_changelist")).content.decode()
    assert "Influensavaksine" in html
    assert "Dagvisning" in html and "Belegg" in html
    assert "Koronatest1" not in html  # Beste kommune's
