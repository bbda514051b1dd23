"""Booking with the fastlege, source 003 steps 4–10, at the client level: each page says what the source
says, in its words."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from booking import texts
from booking.models import Appointment
from tests.factories import VikarAssignmentFactory
from tests.pages import html_of, log_in, open_review, review_url, text_of, time_url
from tests.world import gp_office

pytestmark = pytest.mark.django_db


def practitioner_url(gp) -> str:
    return reverse("booking:practitioner", args=[gp.service.her_id])


def test_konsultasjon_med_fastlegen_leads_to_velg_behandler_and_the_calendar(client):
    gp = gp_office()
    log_in(client, gp.citizen)
    page = client.get(practitioner_url(gp))
    text = text_of(page)
    assert page.status_code == 200
    assert "Timebestilling: Velg time" in text
    assert "Alle felt må fylles ut" in text
    assert "Informasjon fra legekontoret" in text
    assert "Velg behandler ved DDFL CGM Test" in text
    assert "August (Ddf - Tri) September (fastlege)" in text
    response = client.get(practitioner_url(gp), {"behandler": gp.fastlege.pk})
    assert response.status_code == 302
    assert response.url == time_url(gp.timebook, gp.service.her_id)


def test_a_vikar_set_on_the_fastlege_today_is_listed_and_books_in_his_timebook(client):
    gp = gp_office()
    vikar = VikarAssignmentFactory(fastlege=gp.fastlege).vikar
    past = dt.date(2020, 1, 1)
    VikarAssignmentFactory(fastlege=gp.fastlege, vikar__first_name="Ingar", valid_from=past, valid_to=past)
    log_in(client, gp.citizen)
    text = text_of(client.get(practitioner_url(gp)))
    assert "Astrid Psa Info (vikar for fastlege)" in text
    assert "Ingar" not in text  # set only in the past
    client.get(practitioner_url(gp), {"behandler": vikar.pk})
    calendar = text_of(client.get(time_url(gp.timebook)))
    assert "Astrid Psa Info (vikar for fastlege), Timebok Test" in calendar
    slot = gp.slot()
    assert "Time hos Astrid" in text_of(client.get(review_url(slot)))


def test_the_kartleggingsskjema_comes_before_velg_behandler(client):
    gp = gp_office(survey_choices="Sykdom\nKontroll\nAttest")
    log_in(client, gp.citizen)
    text = text_of(client.get(practitioner_url(gp)))
    assert "Timebestilling hos fastlegen" in text
    assert "Hva gjelder timebestillingen?" in text
    assert "Velg ett av alternativene" in text
    refused = client.get(practitioner_url(gp), {"gjelder": ""})
    assert refused.status_code == 400
    assert "Du må velge hva timebestillingen gjelder" in text_of(refused)
    chosen = client.get(practitioner_url(gp), {"gjelder": "Kontroll"})
    assert "Velg behandler ved DDFL CGM Test" in text_of(chosen)
    assert ">Kontroll</textarea>" in html_of(open_review_page(client, gp.slot()))


def open_review_page(client, slot):
    return client.get(review_url(slot))


def test_without_calendar_booking_the_simple_time_request_is_shown(client):
    gp = gp_office(calendar_booking=False)
    log_in(client, gp.citizen)
    response = client.get(practitioner_url(gp))
    assert response.status_code == 302
    assert response.url.startswith(reverse("booking:time_request", args=[gp.service.her_id]))
    text = text_of(client.get(response.url))
    assert "Emne" in text
    assert "Foreslå ett eller flere tidspunkt som passer deg" in text


def test_the_simple_time_request_is_sent_to_the_office(client):
    gp = gp_office(calendar_booking=False)
    log_in(client, gp.citizen)
    url = client.get(practitioner_url(gp)).url
    response = client.post(
        url, {"timebok": str(gp.timebook.pk), "subject": "Vondt i ryggen", "suggested_times": "Mandag formiddag"}
    )
    assert response.status_code == 302, text_of(response)[:400]
    assert not Appointment.objects.exists()


def test_with_neither_calendar_booking_nor_time_wish_the_office_is_called(client):
    gp = gp_office(calendar_booking=False, time_wish=False)
    log_in(client, gp.citizen)
    text = text_of(client.get(practitioner_url(gp)))
    assert "Finner du ikke ledig time?" in text
    assert "Send timeforespørsel" not in text
    assert "Hvis det haster, ring legekontoret på tlf. 815 69 069" in text


def test_the_calendar_titles_the_behandler_and_lists_each_slot_with_its_type(client):
    gp = gp_office()
    slot = gp.slot(gp.konsultasjon, hour=14)
    gp.slot(gp.video, hour=9)
    log_in(client, gp.citizen)
    day = slot.start.astimezone().date().isoformat()
    text = text_of(client.get(time_url(gp.timebook), {"dag": day}))
    assert "August (Ddf - Tri) September (fastlege), Timebok Test" in text
    assert "Ledige timer" in text
    assert "14:00 - 14:15 Konsultasjon" in text
    assert "09:00 - 09:15 Videotime" in text
    assert "Videotime egner seg hvis du ikke trenger å ta prøver eller undersøkelser. Oppmøtested: Videotime" in text
    assert "Finner du ikke ledig time?" in text
    assert "Send timeforespørsel" in text
    assert "Hvis det haster, ring legekontoret på tlf." in text


def test_without_time_wish_the_calendar_offers_no_time_request(client):
    gp = gp_office(time_wish=False)
    gp.slot()
    log_in(client, gp.citizen)
    text = text_of(client.get(time_url(gp.timebook)))
    assert "Send timeforespørsel" not in text
    assert "Hvis det haster, ring legekontoret på tlf." in text


@pytest.mark.parametrize(
    ("mode", "place"),
    [("konsultasjon", "Legekontoret, hvis ikke annet er avtalt"), ("video", "Videotime"), ("phone", "Telefon")],
)
def test_se_gjennom_shows_the_behandler_place_type_and_duration(client, mode, place):
    gp = gp_office()
    slot = gp.slot(getattr(gp, mode))
    log_in(client, gp.citizen)
    response = client.get(review_url(slot))
    text = text_of(response)
    assert "Se gjennom før du sender" in text
    assert "Time hos August" in text
    assert f"Oppmøtested: {place}" in text
    assert f"Type: {slot.time_type.name}" in text
    assert "Antatt varighet: 15 min" in text
    assert "Henvendelsen vil bli journalført." in text
    assert "Hva gjelder det?" in text
    assert 'placeholder="F. eks. magesmerter"' in html_of(response)
    assert "0/50 tegn" in text
    assert "Send bestilling" in text


def test_send_bestilling_then_the_receipt_innboks_and_the_appointment(client, django_capture_on_commit_callbacks):
    gp = gp_office()
    slot = gp.slot(gp.konsultasjon, hour=11)
    log_in(client, gp.citizen)
    key = open_review(client, slot)
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(review_url(slot), {"reason": "Test", "idempotency_key": key})
    assert sent.status_code == 302
    text = text_of(client.get(sent.url))
    assert "Timebestillingen er sendt" in text
    assert "Bestillingen er kun en forespørsel. Timen er ikke tildelt før du mottar en bekreftelse." in text
    assert "Hvis helsetilstanden din endrer seg før timeavtalen, må du ta kontakt med legekontoret." in text
    assert "Du finner informasjon om timebestillingen i innboksen." in text
    assert "Gå til innboksen" in text

    appointment = Appointment.objects.get(slot=slot)
    assert appointment.status == Appointment.Status.ASSIGNED
    inbox = text_of(client.get(reverse("inbox:inbox")))
    # Source 003, step 9: «August», «Sendt: 11:35», «Se detaljer →», «Test»
    assert re.search(r"August Ny Sendt: \d\d:\d\d Se detaljer → Test Meldingen\(e\) er knyttet", inbox)
    assert "Se detaljer" in inbox
    assert "Meldingen(e) er knyttet til en timeavtale" in inbox
    message = appointment.messages.get()
    thread = text_of(client.get(reverse("inbox:message", args=[message.pk])))
    assert "Du har fått en ny timeavtale" in thread
    assert "August September (fastlege)" in thread  # the message names him in full (source 003, step 9)
    assert "kl. 11:00 - 11:15 hos August." in thread
    assert "Din timereservasjon er bekreftet." in thread
    assert "Denne meldingen kan ikke besvares." in thread
    assert "Vis timeavtale" in thread

    page = text_of(client.get(reverse("booking:appointment", args=[appointment.pk])))
    for expected in (
        "Antatt varighet: 15 min",
        "Oppmøtested: DDFL Test(u)",
        "Timen gjelder: Test",
        "Behandler: Fastlege August September",
        "Status:",
        "Legg i egen kalender",
        "Administrer timen",
        "Avbestill time",
        "Beskrivelse",
        "Meldinger til timen (1)",
        "Rettigheter i forbindelse med reise",
        "Gå til Pasientreiser for å søke om penger etter reise",
    ):
        assert expected in page, expected
    assert "Dette er en videotime" not in page


def test_a_video_appointment_is_titled_videotime_and_tells_how_to_prepare(client, django_capture_on_commit_callbacks):
    gp = gp_office()
    slot = gp.slot(gp.video, hour=9)
    log_in(client, gp.citizen)
    key = open_review(client, slot)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(review_url(slot), {"reason": "Test", "idempotency_key": key})
    appointment = Appointment.objects.get(slot=slot)
    page = text_of(client.get(reverse("booking:appointment", args=[appointment.pk])))
    assert "kl. 09:00: Videotime hos DDFL CGM Test" in page
    assert "Oppmøtested: Videotime" in page
    assert "Dette er en videotime" in page
    assert "Gjør deg klar minst 5 minutter før videotimen starter" in page
    assert "Ta kontakt med DDFL CGM Test ved feil." in page
    assert "Se brukerveiledning" in page
    html = client.get(reverse("booking:appointment", args=[appointment.pk])).content.decode()
    assert f'href="{reverse("video:room", args=[appointment.pk])}">Start video' in html


def test_hva_trenger_du_shows_the_offices_information_and_konsultasjon_med_fastlegen(client):
    gp = gp_office()
    log_in(client, gp.citizen)
    text = text_of(client.get(reverse("booking:choose_timebook", args=[gp.office.her_id])))
    assert "Hva trenger du?" in text
    assert "Informasjon fra legekontoret Dette er en tekst legekontoret selv kan legge til på opptil 300 tegn." in text
    assert "Konsultasjon med fastlegen" in text
    assert "Timebok Test" not in text  # the fastlege's timebook is not a resource timebook to list
    contacts = text_of(client.get(reverse("booking:choose_contact")))
    assert "Ditt fastlegekontor DDFL CGM Test" in contacts


def test_the_sms_names_the_time_type_and_the_fastlege():
    gp = gp_office()
    slot = gp.slot(gp.video, hour=9)
    appointment = Appointment(slot=slot, citizen=gp.citizen, booked_by=gp.citizen, reason="Test")
    text = texts.notification_text("confirmed", appointment, recipient_first_name="Thomas", to_person=True)
    assert text.startswith("Thomas, du har fått time til videotime hos August September (fastlege) ")
