"""The booking steps as the citizen sees them (source 000 steps 1–4, source 001 «Velg sted» and the blocked
patient, source 003 «Finner du ikke ledig time?»), on the seeded demo."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from addressregistry.services import service_process_set
from booking.models import Appointment
from resourcebooks.models import Slot, Timebook
from tests.demo import Demo
from tests.factories import TimebookListEntryFactory
from tests.pages import (
    day_heading,
    html_of,
    log_in,
    month_title,
    oslo,
    review_line,
    review_url,
    send_booking,
    slot_label,
    text_of,
    time_url,
)
from tests.world import new_citizen

CONTACTS = reverse("booking:choose_contact")


def timebook_url(her_id: int) -> str:
    return reverse("booking:choose_timebook", args=[her_id])


def place_url(timebook: Timebook) -> str:
    return reverse("booking:place", args=[timebook.service.her_id, timebook.pk])


def first_free_day(demo: Demo, timebook: Timebook) -> dt.date:
    return oslo(demo.free_slots(timebook)[0].start).date()


# --- Step 1: «Hvem vil du bestille time hos?» ---------------------------------------------------------


def test_step_1_lists_the_persons_contacts_that_allow_booking_with_the_gp_office_first(client, demo):
    log_in(client, demo.kurt)
    response = client.get(CONTACTS)
    assert response.status_code == 200
    text = text_of(response)
    assert "Hvem vil du bestille time hos?" in text
    assert "Her kan du velge blant dine helsekontakter som støtter timebestilling." in text
    # Source 003 step 3: the GP office is one contact, «Ditt fastlegekontor …».
    expected = [
        "Ditt fastlegekontor Helsenorge testlegekontor ›",
        "Helsenorge kommune Smittevern (Feberpoliklinikk Test)",
        "Helsenorge kommune Vaksinasjon",
    ]
    positions = [text.index(name) for name in expected]
    assert positions == sorted(positions)
    assert "Ressurstimebok" not in text and "Helsenorge testlegekontor Fastlege" not in text
    html = html_of(response)
    for her_id in (Demo.GP_OFFICE, Demo.SMITTEVERN, Demo.VAKSINASJON):
        assert f'href="{timebook_url(her_id)}"' in html
    assert "Avbryt" in text
    assert "Bestill koronatest i annen kommune" in text


def test_step_1_leaves_out_other_municipalities_and_services_without_timebestilling(client, demo):
    log_in(client, demo.kurt)
    text = text_of(client.get(CONTACTS))
    assert "Helsestasjon Test" not in text  # no Timebestilling
    for name in ("Beste kommune", "Dhs kommune", "Koronatest"):
        assert name not in text


def test_step_1_drops_a_service_when_timebestilling_is_switched_off(client, demo):
    service_process_set(service=demo.service(Demo.SMITTEVERN), process="timebestilling", active=False, changed_by=None)
    log_in(client, demo.kurt)
    assert "Smittevern (Feberpoliklinikk Test)" not in text_of(client.get(CONTACTS))
    assert client.get(timebook_url(Demo.SMITTEVERN)).status_code == 404


def test_step_1_for_someone_without_a_gp_office_shows_no_gp_contact(client, demo):
    log_in(client, demo.per)
    text = text_of(client.get(CONTACTS))
    assert "Ditt fastlegekontor" not in text
    assert "Beste kommune Smittevern" in text
    assert "Beste kommune Legevakt" in text
    assert "Helsenorge kommune" not in text


def test_step_1_refuses_post(client, demo):
    log_in(client, demo.kurt)
    assert client.post(CONTACTS).status_code == 405


# --- Step 2: «Hva trenger du?» --------------------------------------------------------------------------


def test_step_2_lists_the_gp_offices_timebooks_with_description_and_the_office_information(client, demo):
    log_in(client, demo.kurt)
    response = client.get(timebook_url(Demo.RESSURSTIMEBOK))
    assert response.status_code == 200
    text = text_of(response)
    assert "Hva trenger du?" in text
    assert "Her kan du se tjenester som tilbys av helsekontakten eller tilhørende behandlingssted." in text
    assert "Informasjon fra legekontoret Dette er en tekst legekontoret selv kan legge til på opptil 300 tegn." in text
    # Both timebooks carry the same office text: it is shown once.
    assert text.count("Dette er en tekst legekontoret selv kan legge til på opptil 300 tegn.") == 1
    # Labelled by the type of time, the timebook's text under it (source 000 step 2).
    assert "Vaksine Influensavaksine for voksne i risikogruppene" in text
    assert "Ta prøve på laboratoriet" in text
    html = html_of(response)
    assert f'name="timebook" value="{demo.influensa.pk}"' in html
    assert f'name="timebook" value="{demo.lab.pk}"' in html
    assert 'type="radio"' in html
    for button in ("Tilbake", "Neste", "Avbryt"):
        assert button in text


def test_step_2_lists_the_municipalitys_timebook_with_the_epj_text_under_it(client, demo):
    log_in(client, demo.kurt)
    text = text_of(client.get(timebook_url(Demo.SMITTEVERN)))
    assert "Vaksine Dette er en tekst som kan egendefines i journalsystemet på maks 200 tegn" in text
    assert "Informasjon fra" not in text  # no office information on this timebook
    for other in ("Koronatest1", "Influensa ", "Ta prøve på laboratoriet"):
        assert other not in text


def test_step_2_next_goes_on_to_the_chosen_timebook(client, demo):
    log_in(client, demo.kurt)
    response = client.post(timebook_url(Demo.RESSURSTIMEBOK), {"timebook": demo.influensa.pk})
    assert response.status_code == 302
    assert response.url == place_url(demo.influensa)


@pytest.mark.parametrize("choice", [None, "", "abc", "999999"])
def test_step_2_without_a_valid_choice_says_so(client, demo, choice):
    log_in(client, demo.kurt)
    data = {} if choice is None else {"timebook": choice}
    response = client.post(timebook_url(Demo.RESSURSTIMEBOK), data)
    assert response.status_code == 400
    assert "Du må velge hva du trenger" in text_of(response)


def test_step_2_refuses_a_timebook_of_another_contact(client, demo):
    log_in(client, demo.kurt)
    response = client.post(timebook_url(Demo.SMITTEVERN), {"timebook": demo.influensa.pk})
    assert response.status_code == 400
    assert "Du må velge hva du trenger" in text_of(response)


def test_step_2_refuses_put(client, demo):
    log_in(client, demo.kurt)
    assert client.put(timebook_url(Demo.SMITTEVERN)).status_code == 405


def test_step_2_of_a_contact_the_person_does_not_have_is_404(client, demo):
    log_in(client, demo.kurt)
    assert client.get(timebook_url(Demo.BESTE_VAKSINASJON)).status_code == 404
    assert client.get(timebook_url(Demo.HELSESTASJON)).status_code == 404
    assert client.get(timebook_url(123)).status_code == 404


def test_step_2_hides_an_offline_timebook(client, demo):
    Timebook.objects.filter(pk=demo.influensavaksine.pk).update(online=False)
    log_in(client, demo.kurt)
    response = client.get(timebook_url(Demo.SMITTEVERN))
    text = text_of(response)
    assert 'name="timebook"' not in html_of(response)
    assert "har ingen timer du kan bestille på Helsenorge nå" in text
    assert "Finner du ikke ledig time?" in text
    assert client.get(time_url(demo.influensavaksine)).status_code == 404


def test_step_2_with_a_named_list_shows_the_timebook_only_to_people_on_it(client, demo):
    timebook = demo.influensavaksine
    Timebook.objects.filter(pk=timebook.pk).update(who_may_book=Timebook.WhoMayBook.NAMED_LIST)
    log_in(client, demo.kurt)
    radio = f'name="timebook" value="{timebook.pk}"'
    assert radio not in html_of(client.get(timebook_url(Demo.SMITTEVERN)))
    assert client.get(review_url(demo.free_slot(timebook))).status_code == 404

    TimebookListEntryFactory(timebook=timebook, national_id=demo.kurt.national_id)
    assert radio in html_of(client.get(timebook_url(Demo.SMITTEVERN)))


def test_step_2_with_the_gp_list_rule_shows_the_timebook_only_to_the_offices_patients(client, demo):
    Timebook.objects.filter(pk=demo.influensa.pk).update(who_may_book=Timebook.WhoMayBook.GP_LIST)
    log_in(client, demo.kurt)  # on the office's GP list
    assert f'name="timebook" value="{demo.influensa.pk}"' in html_of(client.get(timebook_url(Demo.RESSURSTIMEBOK)))
    # A municipality's timebook with the GP-list rule: no municipality keeps a GP list.
    Timebook.objects.filter(pk=demo.influensavaksine.pk).update(who_may_book=Timebook.WhoMayBook.GP_LIST)
    radio = f'name="timebook" value="{demo.influensavaksine.pk}"'
    assert radio not in html_of(client.get(timebook_url(Demo.SMITTEVERN)))


def test_step_2_with_the_municipality_rule_leaves_out_people_from_elsewhere(client, demo):
    # A person living in Beste kommune with Helsenorge testlegekontor as GP office sees the office's
    # timebooks, but not Helsenorge kommune's.
    citizen = new_citizen(municipality=demo.organisation(8100100), gp_office=demo.organisation(8100300))
    log_in(client, citizen)
    text = text_of(client.get(CONTACTS))
    assert "Ditt fastlegekontor Helsenorge testlegekontor" in text
    assert "Helsenorge kommune Smittevern" not in text
    assert f'name="timebook" value="{demo.influensa.pk}"' in html_of(client.get(timebook_url(Demo.GP_OFFICE)))


def test_the_mellomlosning_service_shows_a_practitioner_role_and_then_no_free_times(client, demo):
    dhs = new_citizen(municipality=demo.organisation(8100200))
    log_in(client, dhs)
    assert "Dhs kommune Smittevern (Test COVID-19)" in text_of(client.get(CONTACTS))

    response = client.get(timebook_url(Demo.DHS_MELLOMLOSNING))
    assert response.status_code == 200
    text = text_of(response)
    assert "Velg behandler" in text
    assert "Helsefaglig kontakt Smittevern (Test COVID-19)" in text
    assert "Koronatest alle tjenester hn" not in text  # the timebook is not shown

    response = client.post(timebook_url(Demo.DHS_MELLOMLOSNING), {"timebook": "behandler"})
    assert response.status_code == 302
    practitioner = client.get(response.url)
    text = text_of(practitioner)
    assert "Tjenesten kunne ikke hente ledige timer. Prøv igjen senere." in text
    assert "Finner du ikke ledig time?" in text
    assert "Send timeforespørsel" in text
    assert "/se-gjennom/" not in html_of(practitioner)


def test_the_fastlege_service_offers_konsultasjon_med_fastlegen(client, demo):
    log_in(client, demo.kurt)
    text = text_of(client.get(timebook_url(Demo.FASTLEGE)))
    assert "Konsultasjon med fastlegen" in text
    response = client.post(timebook_url(Demo.FASTLEGE), {"timebook": "behandler"})
    assert response.status_code == 302
    page = text_of(client.get(response.url))
    # Issue 13 ended the dead end («Tjenesten kunne ikke hente ledige timer»): the demo office has a
    # kartleggingsskjema, so step 5 of source 003 comes next.
    assert "Timebestilling hos fastlegen" in page
    assert "Hva gjelder timebestillingen?" in page
    assert "Tjenesten kunne ikke hente ledige timer" not in page


def test_the_practitioner_page_of_a_timebook_service_is_404(client, demo):
    log_in(client, demo.kurt)
    assert client.get(reverse("booking:practitioner", args=[Demo.SMITTEVERN])).status_code == 404
    assert client.post(reverse("booking:practitioner", args=[Demo.FASTLEGE])).status_code == 405


# --- Step 3: «Velg sted» and «Velg time» --------------------------------------------------------------


def test_velg_sted_lists_the_three_places_of_influensa(client, demo):
    log_in(client, demo.kurt)
    response = client.get(place_url(demo.influensa))
    assert response.status_code == 200
    text = text_of(response)
    assert "Velg sted" in text
    assert "Informasjon fra legekontoret" in text
    assert (
        "Influenza Dette er en influensavaksine som vises på Helsenorge Oppmøtested: Influensaveien 3a, 1325 Lysaker"
        in (text)
    )
    assert "Influensavaksine 2 Oppmøtested: Sandviksveien 10, 1337 Sandvika" in text
    assert "Influensavaksine 3 Oppmøtested: Fornebuveien 5, 1366 Lysaker" in text
    html = html_of(response)
    for location_id in {s.location_id for s in demo.free_slots(demo.influensa)}:
        assert f'href="{time_url(demo.influensa)}?sted={location_id}"' in html


def test_a_one_place_timebook_goes_straight_to_the_calendar(client, demo):
    log_in(client, demo.kurt)
    response = client.get(place_url(demo.influensavaksine))
    location = demo.free_slots(demo.influensavaksine)[0].location
    assert response.status_code == 302
    assert response.url == f"{time_url(demo.influensavaksine)}?sted={location.pk}"


def test_the_calendar_of_a_several_place_timebook_asks_for_the_place_first(client, demo):
    log_in(client, demo.kurt)
    response = client.get(time_url(demo.influensa))
    assert response.status_code == 302
    assert response.url == place_url(demo.influensa)


def test_velg_time_shows_the_title_line_and_the_month_of_the_first_free_day(client, demo):
    timebook = demo.influensavaksine
    first = first_free_day(demo, timebook)
    log_in(client, demo.kurt)
    response = client.get(time_url(timebook))
    assert response.status_code == 200
    text = text_of(response)
    assert "Velg time" in text
    assert (
        "Influensavaksine, Smittevern (Feberpoliklinikk Test), Helsenorge kommune "
        "Dette er en tekst som kan egendefines i journalsystemet på maks 200 tegn"
    ) in text
    assert f"I dag &lt; {month_title(first)} &gt;" in text
    for weekday in ("Man", "Tir", "Ons", "Tor", "Fre", "Lør", "Søn"):
        assert f">{weekday}</th>" in html_of(response)


def test_the_calendar_links_exactly_the_days_with_free_slots(client, demo):
    timebook = demo.influensavaksine
    month = (timezone.localdate().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    # Take away every free slot of one weekday in that month: that day is no longer a link.
    emptied = next(d for d in (month + dt.timedelta(days=i) for i in range(28)) if d.weekday() == 2)
    emptied_ids = [s.pk for s in demo.free_slots(timebook) if oslo(s.start).date() == emptied]
    Slot.objects.filter(pk__in=emptied_ids).update(state=Slot.State.BOOKED)
    free_days = {oslo(s.start).date() for s in demo.free_slots(timebook) if oslo(s.start).date().month == month.month}
    assert free_days and emptied not in free_days

    log_in(client, demo.kurt)
    response = client.get(time_url(timebook), {"maned": f"{month:%Y-%m}"})
    html = html_of(response)
    assert f"&lt; {month_title(month)} &gt;" in text_of(response)
    linked = {dt.date.fromisoformat(d) for d in _day_links(html)}
    assert linked == free_days
    assert "calendar__day--free" in html
    assert f"dag={emptied:%Y-%m-%d}" not in html


def _day_links(html: str) -> list[str]:
    """The days the calendar marks as having free slots (links), from the ``dag=`` of each."""
    tags = re.findall(r"<a\b[^>]*calendar__day--free[^>]*>", html)
    return [re.search(r'href="[^"]*dag=(\d{4}-\d{2}-\d{2})"', tag).group(1) for tag in tags]


def test_the_calendar_moves_month_by_month_and_not_before_this_month(client, demo):
    timebook = demo.influensavaksine
    today = timezone.localdate()
    this_month = today.replace(day=1)
    next_month = (this_month + dt.timedelta(days=32)).replace(day=1)
    after = (next_month + dt.timedelta(days=32)).replace(day=1)
    log_in(client, demo.kurt)

    html = html_of(client.get(time_url(timebook), {"maned": f"{next_month:%Y-%m}"}))
    assert f"maned={after:%Y-%m}" in html and 'aria-label="Neste måned"' in html
    assert f"maned={this_month:%Y-%m}" in html and 'aria-label="Forrige måned"' in html

    response = client.get(time_url(timebook), {"maned": f"{this_month:%Y-%m}"})
    assert 'aria-label="Forrige måned"' not in html_of(response)
    assert month_title(this_month) in text_of(response)

    # A month in the past shows this month.
    past = (this_month - dt.timedelta(days=1)).replace(day=1)
    assert month_title(this_month) in text_of(client.get(time_url(timebook), {"maned": f"{past:%Y-%m}"}))


def test_an_htmx_request_gets_only_the_picker(client, demo):
    timebook = demo.influensavaksine
    day = first_free_day(demo, timebook)
    log_in(client, demo.kurt)
    response = client.get(time_url(timebook), {"dag": f"{day:%Y-%m-%d}"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = html_of(response)
    assert html.lstrip().startswith('<div id="picker"')
    assert "<html" not in html and "<header" not in html
    assert day_heading(day) in html
    full = html_of(client.get(time_url(timebook), {"dag": f"{day:%Y-%m-%d}"}))
    assert "<html" in full and html.strip() in full


# --- Step 4: «Ledige timer …» ----------------------------------------------------------------------------


def test_the_day_lists_its_free_slots_and_the_attendance_place(client, demo):
    timebook = demo.influensavaksine
    day = first_free_day(demo, timebook)
    slots = [s for s in demo.free_slots(timebook) if oslo(s.start).date() == day]
    taken = slots[1]
    Slot.objects.filter(pk=taken.pk).update(state=Slot.State.HELD)
    log_in(client, demo.kurt)
    response = client.get(time_url(timebook), {"sted": taken.location_id, "dag": f"{day:%Y-%m-%d}"})
    text, html = text_of(response), html_of(response)
    assert day_heading(day) in text
    assert "Oppmøtested: Feberpoliklinikk inngang A" in text
    for slot in slots:
        if slot.pk == taken.pk:
            assert review_url(slot) not in html
        else:
            assert f'href="{review_url(slot)}">{slot_label(slot)}</a>' in html
    assert 'aria-current="date"' in html


def test_the_first_slot_of_a_day_reads_like_the_source(client, demo):
    timebook = demo.influensavaksine
    day = first_free_day(demo, timebook)
    log_in(client, demo.kurt)
    text = text_of(client.get(time_url(timebook), {"dag": f"{day:%Y-%m-%d}"}))
    if day > timezone.localdate():  # the whole day is ahead: it starts at 08:00 in 5-minute slots
        assert "08:00 - 08:05" in text and "08:05 - 08:10" in text and "14:55 - 15:00" in text


def test_a_day_without_free_slots_says_so_and_offers_a_time_request(client, demo):
    timebook = demo.influensavaksine
    saturday = next(d for d in (timezone.localdate() + dt.timedelta(days=i) for i in range(1, 9)) if d.weekday() == 5)
    log_in(client, demo.kurt)
    response = client.get(time_url(timebook), {"dag": f"{saturday:%Y-%m-%d}"})
    text = text_of(response)
    assert day_heading(saturday) in text
    assert "Det er ingen ledige timer denne dagen." in text
    assert "Finner du ikke ledig time?" in text
    assert f'href="{reverse("booking:time_request", args=[Demo.SMITTEVERN])}?timebok={timebook.pk}"' in html_of(
        response
    )
    assert "/se-gjennom/" not in html_of(response)


def test_a_timebook_with_no_free_slot_at_all_says_so(client, demo):
    timebook = demo.influensavaksine
    Slot.objects.filter(timebook=timebook, state=Slot.State.FREE).update(state=Slot.State.WITHDRAWN)
    log_in(client, demo.kurt)
    text = text_of(client.get(time_url(timebook)))
    assert "Det er ingen ledige timer i denne timeboken nå." in text
    assert "Finner du ikke ledig time?" in text


def test_an_unknown_place_is_404(client, demo):
    log_in(client, demo.kurt)
    other_orgs_location = demo.free_slots(demo.influensa)[0].location
    assert client.get(time_url(demo.influensavaksine), {"sted": other_orgs_location.pk}).status_code == 404
    assert client.get(time_url(demo.influensavaksine), {"sted": "x"}).status_code == 404


def test_the_blocked_person_sees_no_free_slots_at_the_office_that_blocked_her(client, demo):
    timebook = demo.influensa
    slot = demo.free_slots(timebook)[0]
    day = oslo(slot.start).date()
    log_in(client, demo.berit)
    response = client.get(time_url(timebook), {"sted": slot.location_id, "dag": f"{day:%Y-%m-%d}"})
    assert response.status_code == 200
    text, html = text_of(response), html_of(response)
    assert "Tjenesten kunne ikke hente ledige timer. Prøv igjen senere." in text
    assert "/se-gjennom/" not in html
    assert "calendar__day--free" not in html
    assert slot_label(slot) not in text
    assert "Finner du ikke ledig time?" in text


def test_the_blocked_person_still_sees_the_municipalitys_free_slots(client, demo):
    timebook = demo.influensavaksine
    day = first_free_day(demo, timebook)
    log_in(client, demo.berit)
    response = client.get(time_url(timebook), {"dag": f"{day:%Y-%m-%d}"})
    assert "Tjenesten kunne ikke hente ledige timer" not in text_of(response)
    assert "/se-gjennom/" in html_of(response)


def test_the_calendar_refuses_post(client, demo):
    log_in(client, demo.kurt)
    assert client.post(time_url(demo.influensavaksine)).status_code == 405
    assert client.post(place_url(demo.influensa)).status_code == 405


# --- Step 5: «Se gjennom før du sender» and «Timebestillingen er sendt» ----------------------------------


def test_the_review_page_reads_like_the_source(client, demo):
    slot = demo.free_slot(demo.influensavaksine)
    log_in(client, demo.kurt)
    response = client.get(review_url(slot))
    assert response.status_code == 200
    text = text_of(response)
    assert "Se gjennom før du sender" in text
    assert review_line(slot) in text
    assert "Time hos Influensavaksine, Smittevern (Feberpoliklinikk Test), Helsenorge kommune" in text
    assert "Oppmøtested: Feberpoliklinikk inngang A" in text
    assert "Antatt varighet: 5 min" in text
    assert "Hva gjelder det? Maksimum 50 tegn." in text
    assert "0/50 tegn" in text
    for button in ("Tilbake", "Send bestilling", "Avbryt"):
        assert button in text
    html = html_of(response)
    assert 'maxlength="50"' in html
    # «Tilbake» lets the hold go and returns to the day (tests/booking/test_holds.py follows the redirect).
    release = reverse("booking:review_release", args=[slot.timebook.service.her_id, slot.timebook_id, slot.pk])
    assert f'action="{release}"' in html and 'name="til" value="kalender"' in html


def test_the_review_page_at_the_gp_office_names_the_office(client, demo):
    slot = demo.free_slot(demo.influensa)
    log_in(client, demo.kurt)
    text = text_of(client.get(review_url(slot)))
    assert "Time hos Influensa, Helsenorge testlegekontor" in text
    assert "Antatt varighet: 15 min" in text
    assert f"Oppmøtested: {slot.location.attendance_place}" in text


def test_send_bestilling_shows_the_receipt_of_the_source(client, demo, django_capture_on_commit_callbacks):
    slot = demo.free_slot(demo.influensavaksine)
    log_in(client, demo.kurt)
    with django_capture_on_commit_callbacks(execute=True):
        response = send_booking(client, slot)
    appointment = Appointment.objects.get(slot=slot)
    assert response.status_code == 302
    assert response.url == reverse("booking:sent", args=[appointment.pk])
    receipt = client.get(response.url)
    text = text_of(receipt)
    assert "Timebestillingen er sendt" in text
    assert "Takk for din henvendelse." in text
    assert "Bestillingen er kun en forespørsel. Timen er ikke tildelt før du mottar en bekreftelse." in text
    assert f'href="{reverse("booking:appointments")}"' in html_of(receipt) and "Gå til timeavtaler" in text
