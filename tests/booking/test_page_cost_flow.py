"""Issue 15, «Fast: the page is cheap»: the flow's pages read less, and say and refuse exactly what they did.

The steps after «Hva trenger du?» read the timebook with its service in one query (``flow_and_timebook``),
Timeavtaler reads its appointments once, «Bestill time» asks only whether there are other municipalities,
and the calendar's cells and the day's slots are made by two filters instead of tags. These tests hold the
query counts down and check that the shortcuts keep every rule of the long way: another organisation's or
an unlisted timebook is a 404, a blocked citizen sees no free times, the lists keep their order.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from addressregistry.diagnosis import setup_changed
from booking.models import Appointment
from resourcebooks.freshness import NO_CACHE, slots_version
from resourcebooks.models import Slot, Timebook
from tests.factories import (
    AppointmentFactory,
    CitizenFactory,
    LocationFactory,
    PatientBlockFactory,
    SlotFactory,
    TimebookFactory,
    TimebookListEntryFactory,
)
from tests.pages import html_of, log_in, review_url, session_reads, slot_label, text_of, time_url
from tests.world import World, build_world

pytestmark = pytest.mark.django_db

NO_FREE_TIMES = "Tjenesten kunne ikke hente ledige timer. Prøv igjen senere."


@pytest.fixture
def citizen_client(client: Client, world: World) -> Client:
    return log_in(client, world.citizen)


def slot_reads(timebook: Timebook) -> int:
    """The calendar's and the day's free slots come from the shared cache (Redis) when there is one; without it
    (the embedded default) each page reads them: three queries."""
    return 0 if slots_version(timebook.pk) != NO_CACHE else 3


def queries_of(client: Client, url: str, *, htmx: bool = False) -> tuple[int, str]:
    """The page's query count and HTML, the second time it is asked (the first fills the caches)."""
    headers = {"HX-Request": "true"} if htmx else {}
    client.get(url, headers=headers)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, text_of(response)[:300]
    return len(queries), html_of(response)


def day_url(world: World, slot: Slot | None = None) -> str:
    day = timezone.localtime((slot or world.slots[0]).start).date()
    return f"{time_url(world.timebook)}?sted={world.location.pk}&dag={day.isoformat()}"


# --- What the pages cost ----------------------------------------------------------------------------


def test_the_steps_after_hva_trenger_du_read_the_timebook_and_its_service_in_one_query(citizen_client, world):
    """The login's user and citizen, the timebook with its service, the place, whether the citizen is
    blocked; the full page adds the header's unread count and «acts for anyone?». The htmx day asks no
    header."""
    calendar, _ = queries_of(citizen_client, f"{time_url(world.timebook)}?sted={world.location.pk}")
    day, html = queries_of(citizen_client, day_url(world), htmx=True)
    extra = session_reads() + slot_reads(world.timebook)
    assert (calendar, day) == (7 + extra, 5 + extra)
    assert f'href="{review_url(world.slots[0])}">{slot_label(world.slots[0])}</a>' in html


def test_velg_sted_reads_the_timebook_and_its_service_in_one_query(citizen_client, world):
    LocationFactory(organisation=world.municipality, name="Legevakten")
    other = Slot.objects.filter(pk=world.slots[-1].pk)
    other.update(location=LocationFactory(organisation=world.municipality, name="Helsestasjonen"))
    place = reverse("booking:place", args=[world.service.her_id, world.timebook.pk])
    count, html = queries_of(citizen_client, place)
    assert count == 6 + session_reads()
    assert "Feberpoliklinikken" in html and "Helsestasjonen" in html and "Legevakten" not in html


def test_timeavtaler_without_appointments_asks_for_them_once(citizen_client):
    count, html = queries_of(citizen_client, reverse("booking:appointments"))
    assert count == 5 + session_reads()
    assert "Du har ingen kommende timer." in html and "Ingen tidligere timer." in html


def test_bestill_time_asks_only_whether_there_are_other_municipalities(citizen_client, world):
    _, html = queries_of(citizen_client, reverse("booking:choose_contact"))
    assert "Bestill koronatest i annen kommune" not in html
    TimebookFactory(service__organisation__name="Nabokommune")
    with CaptureQueriesContext(connection) as queries:
        html = html_of(citizen_client.get(reverse("booking:choose_contact")))
    assert "Bestill koronatest i annen kommune" in html
    organisation_reads = [q["sql"] for q in queries.captured_queries if "addressregistry_organisation" in q["sql"]]
    assert any("LIMIT 1" in sql for sql in organisation_reads)


# --- The short way keeps the rules of the long one ---------------------------------------------------


def test_a_timebook_of_another_service_or_organisation_is_404_on_every_step(citizen_client, world):
    """Under the citizen's own service's HER-id, another municipality's timebook is not theirs to book (under
    its own service's HER-id it is «koronatest i annen kommune», the long way, as before)."""
    elsewhere = build_world()
    slot = elsewhere.slots[0]
    own_her = world.service.her_id
    urls = [
        reverse("booking:place", args=[own_her, elsewhere.timebook.pk]),
        f"{time_url(elsewhere.timebook, own_her)}?sted={elsewhere.location.pk}",
        review_url(slot, own_her),
    ]
    for url in urls:
        assert citizen_client.get(url).status_code == 404, url
    assert Slot.objects.get(pk=slot.pk).state == Slot.State.FREE


def test_a_timebook_not_on_the_net_or_on_a_named_list_is_404(citizen_client, world):
    Timebook.objects.filter(pk=world.timebook.pk).update(online=False)
    setup_changed()  # as a timebook's save tells the diagnosis; ``update()`` does not
    assert citizen_client.get(day_url(world)).status_code == 404

    Timebook.objects.filter(pk=world.timebook.pk).update(online=True, who_may_book=Timebook.WhoMayBook.NAMED_LIST)
    setup_changed()
    assert citizen_client.get(day_url(world)).status_code == 404
    assert citizen_client.get(review_url(world.slots[0])).status_code == 404
    TimebookListEntryFactory(timebook=world.timebook, national_id=world.citizen.national_id)
    assert citizen_client.get(day_url(world)).status_code == 200


def test_a_slot_of_another_timebook_on_the_review_is_the_problem_page(citizen_client, world):
    other = TimebookFactory(service=world.service)
    stranger = SlotFactory(timebook=other, location=world.location, start=world.slots[0].start)
    url = reverse("booking:review", args=[world.service.her_id, world.timebook.pk, stranger.pk])
    response = citizen_client.get(url)
    assert response.status_code == 400
    assert "Timen finnes ikke i denne timeboken" in text_of(response)
    assert Slot.objects.get(pk=stranger.pk).state == Slot.State.FREE


def test_a_blocked_citizen_sees_no_free_times_on_the_calendar_nor_the_review(citizen_client, world):
    PatientBlockFactory(organisation=world.municipality, national_id=world.citizen.national_id, reason="-")
    calendar = citizen_client.get(day_url(world))
    assert NO_FREE_TIMES in text_of(calendar)
    assert "calendar__day--free" not in html_of(calendar)
    review = citizen_client.get(review_url(world.slots[0]))
    assert review.status_code == 400 and NO_FREE_TIMES in text_of(review)
    assert Slot.objects.get(pk=world.slots[0].pk).state == Slot.State.FREE


# --- What the pages show ----------------------------------------------------------------------------


def test_the_calendar_cells_read_as_they_did(citizen_client, world):
    day = timezone.localtime(world.slots[0].start).date()
    html = html_of(citizen_client.get(day_url(world)))
    base = f"{time_url(world.timebook)}?sted={world.location.pk}&amp;dag={day.isoformat()}"
    selected = re.search(rf'<a id="dag-{day.isoformat()}" class="([^"]+)" href="([^"]+)" hx-get="([^"]+)"', html)
    assert selected and selected.group(2) == selected.group(3) == base
    assert selected.group(1).startswith("calendar__day calendar__day--free calendar__day--selected")
    assert 'aria-current="date">' + str(day.day) + "</a></td>" in html
    today = timezone.localdate()
    if today.month == day.month:
        assert f'<td><span class="calendar__day calendar__day--today">{today.day}<span class="visually-hidden">' in html


def test_timeavtaler_lists_coming_cancelled_and_past_in_their_order(citizen_client, world):
    citizen = world.citizen
    now = timezone.now()
    later, sooner = world.slots[3], world.slots[1]
    AppointmentFactory(slot=later, citizen=citizen, booked_by=citizen, reason="Senere")
    AppointmentFactory(slot=sooner, citizen=citizen, booked_by=citizen, reason="Tidligere")
    cancelled = SlotFactory(timebook=world.timebook, location=world.location, start=later.start + dt.timedelta(hours=1))
    AppointmentFactory(
        slot=cancelled,
        citizen=citizen,
        booked_by=citizen,
        reason="Avbestilt",
        status=Appointment.Status.CANCELLED_BY_CITIZEN,
    )
    past = [
        SlotFactory(timebook=world.timebook, location=world.location, start=now - dt.timedelta(days=d))
        for d in (3, 1, 2)
    ]
    for slot in past:
        AppointmentFactory(slot=slot, citizen=citizen, booked_by=citizen, reason="Før")
    html = html_of(citizen_client.get(reverse("booking:appointments")))
    links = re.findall(r'href="/timeavtaler/(\d+)/"', html)
    by_slot = {str(a.pk): a.slot_id for a in Appointment.objects.filter(citizen=citizen)}
    shown = [by_slot[pk] for pk in links]
    newest_first = [p.pk for p in sorted(past, key=lambda s: s.start, reverse=True)]
    assert shown == [sooner.pk, later.pk, cancelled.pk, *newest_first]


def test_timeavtaler_does_not_show_another_citizens_appointments(citizen_client, world):
    other = CitizenFactory(municipality=world.municipality)
    AppointmentFactory(slot=world.slots[0], citizen=other, booked_by=other, reason="Ikke din")
    html = html_of(citizen_client.get(reverse("booking:appointments")))
    assert "Du har ingen kommende timer." in html
    assert not re.search(r'href="/timeavtaler/\d+/"', html)
