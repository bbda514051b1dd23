"""After «Send bestilling» (source 000 step 6, source 003 steps 9–10): the EPJ's confirmation, Timeavtaler,
the appointment page, staff confirming or rejecting by hand, the titles by timebook type, «Avbestill time»
and «Legg i egen kalender», on the seeded demo."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from booking.models import Appointment
from booking.tasks import appointment_confirm_task
from inbox.models import InboxMessage
from resourcebooks.models import Slot, Timebook
from tests.demo import Demo
from tests.pages import day_heading, html_of, log_in, moment, oslo, review_line, send_booking, slot_label, text_of

APPOINTMENTS = reverse("booking:appointments")
INBOX = reverse("inbox:inbox")
ADMIN_APPOINTMENTS = reverse("admin:booking_appointment_changelist")


def book(client, slot, capture, reason="Testmelding") -> Appointment:
    with capture(execute=True):
        response = send_booking(client, slot, reason)
    assert response.status_code == 302, text_of(response)[:400]
    return Appointment.objects.select_related("slot__location").get(slot=slot, status__in=Appointment.ACTIVE)


def staff(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def hrefs(response, pattern: str) -> list[str]:
    """The page's own links (in ``<main>``; the header's «Meny» links to every page)."""
    main = html_of(response).split("<main", 1)[1]
    return [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', main) if re.search(pattern, h)]


# --- The whole walk, by following the links -------------------------------------------------------------


def test_kurt_books_influensavaksine_by_following_the_links_and_gets_it_confirmed(
    client, demo, django_capture_on_commit_callbacks
):
    log_in(client, demo.kurt)
    page = client.get(APPOINTMENTS)
    (bestill,) = hrefs(page, r"^/bestill/$")
    page = client.get(bestill)
    (contact,) = hrefs(page, rf"^/bestill/{Demo.SMITTEVERN}/$")
    page = client.get(contact)
    response = client.post(contact, {"timebook": demo.influensavaksine.pk})
    place = client.get(response.url)
    assert place.status_code == 302  # one place: straight on to «Velg time»
    calendar = client.get(place.url)
    first_day = hrefs(calendar, r"dag=")[0]
    day = client.get(first_day)
    slot_link = hrefs(day, r"/se-gjennom/")[0]
    slot = Slot.objects.get(pk=int(slot_link.rstrip("/").rsplit("/", 1)[1]))
    assert day_heading(oslo(slot.start).date()) in text_of(day)
    review = client.get(slot_link)
    assert review_line(slot) in text_of(review)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', html_of(review)).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(slot_link, {"reason": "Testmelding", "idempotency_key": key})
    assert "Timebestillingen er sendt" in text_of(client.get(sent.url))

    appointment = Appointment.objects.get(slot=slot)
    assert appointment.status == Appointment.Status.ASSIGNED
    assert appointment.citizen == appointment.booked_by == demo.kurt
    assert Slot.objects.get(pk=slot.pk).state == Slot.State.BOOKED


def test_the_confirmation_is_queued_only_after_commit(client, demo, django_capture_on_commit_callbacks):
    slot = demo.free_slot(demo.influensavaksine)
    log_in(client, demo.kurt)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send_booking(client, slot)
    appointment = Appointment.objects.get(slot=slot)
    # After commit: the EPJ's confirmation, once (the others bump the calendar's cache version).
    confirm = appointment_confirm_task.name
    confirmations = [c for c in callbacks if getattr(getattr(c, "task", None), "name", "") == confirm]
    assert len(confirmations) == 1
    assert appointment.status == Appointment.Status.REQUESTED  # not yet: the EPJ answers after commit
    assert Slot.objects.get(pk=slot.pk).state == Slot.State.HELD
    confirmations[0]()
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.ASSIGNED


# --- Timeavtaler, the appointment page and Innboks -------------------------------------------------------


def test_the_confirmed_appointment_reads_like_the_source(client, demo, django_capture_on_commit_callbacks):
    slot = demo.free_slot(demo.influensavaksine)
    log_in(client, demo.kurt)
    appointment = book(client, slot, django_capture_on_commit_callbacks)
    title = (
        f"{moment(slot.start)}: Time for vaksine hos Influensavaksine, Smittevern (Feberpoliklinikk Test), "
        "Helsenorge kommune"
    )

    listing = client.get(APPOINTMENTS)
    assert f'href="{appointment.get_absolute_url()}"' in html_of(listing)
    assert title in text_of(listing)  # issue 22: the list uses the title, not the timebook's name
    assert "Tildelt" in text_of(listing)

    page = client.get(appointment.get_absolute_url())
    assert page.status_code == 200
    text = text_of(page)
    assert f'<h1 class="appointment-title">{title}</h1>' in html_of(page)
    assert "Antatt varighet: 5 min" in text
    assert "Oppmøtested: Feberpoliklinikk inngang A" in text
    assert "Timen gjelder: Testmelding" in text
    assert "Status: Tildelt" in text
    assert "Beskrivelse Din timereservasjon er bekreftet. Smittevern (Feberpoliklinikk Test)." in text
    assert "Legg i egen kalender" in text
    assert "Avbestill time" in text
    assert "Meldinger til timen (1)" in text
    assert "Bestilt av" not in text  # booked for himself


def test_innboks_has_the_new_appointment_message_unread(client, demo, django_capture_on_commit_callbacks):
    slot = demo.free_slot(demo.influensavaksine)
    log_in(client, demo.kurt)
    appointment = book(client, slot, django_capture_on_commit_callbacks)
    message = InboxMessage.objects.get(appointment=appointment)

    inbox = client.get(INBOX)
    text = text_of(inbox)
    assert "Testmelding" in text  # the list is titled by the reason (source 003, step 9)
    assert re.search(r"Influensavaksine, Smittevern \(Feberpoliklinikk Test\), Helsenorge kommune Ny ", text)
    assert message.read_at is None

    body = text_of(client.get(message.get_absolute_url()))
    long_date = moment(slot.start).rsplit(" kl. ", 1)[0]  # «23. november 2026»
    assert (
        f"Du har fått tildelt en timeavtale {long_date} kl. {slot_label(slot)} hos Influensavaksine, "
        "Smittevern (Feberpoliklinikk Test), Helsenorge kommune."
    ) in body
    assert "Du har fått en ny timeavtale" in body
    assert "Din timereservasjon er bekreftet. Vis timeavtale" not in body
    assert "Din timereservasjon er bekreftet. Smittevern (Feberpoliklinikk Test)." not in body  # «Beskrivelse» has it
    assert "Vis timeavtale" in body
    assert "Denne meldingen kan ikke besvares." in body


def test_a_gp_office_appointment_is_confirmed_by_the_office(client, demo, django_capture_on_commit_callbacks):
    slot = demo.free_slot(demo.influensa)
    log_in(client, demo.kurt)
    appointment = book(client, slot, django_capture_on_commit_callbacks)
    text = text_of(client.get(appointment.get_absolute_url()))
    # Source 001: «Time til vaksine hos [navn på legekontor]» (000's «Time for» is the municipalities').
    assert f"{moment(slot.start)}: Time til vaksine hos Helsenorge testlegekontor" in text
    assert "Antatt varighet: 15 min" in text
    assert f"Oppmøtested: {slot.location.attendance_place}" in text
    assert "Din timereservasjon er bekreftet. Helsenorge testlegekontor." in text


def test_the_appointment_pages_refuse_post(client, demo, django_capture_on_commit_callbacks):
    log_in(client, demo.kurt)
    appointment = book(client, demo.free_slot(demo.influensavaksine), django_capture_on_commit_callbacks)
    assert client.post(APPOINTMENTS).status_code == 405
    assert client.post(appointment.get_absolute_url()).status_code == 405
    assert client.post(reverse("booking:ics", args=[appointment.pk])).status_code == 405


# --- The lab timebook: staff confirm or reject by hand ----------------------------------------------------


def test_a_lab_request_waits_for_the_staff(client, demo, django_capture_on_commit_callbacks):
    slot = demo.free_slot(demo.lab)
    log_in(client, demo.kurt)
    appointment = book(client, slot, django_capture_on_commit_callbacks)
    assert appointment.status == Appointment.Status.REQUESTED
    assert Slot.objects.get(pk=slot.pk).state == Slot.State.HELD
    assert not InboxMessage.objects.filter(appointment=appointment).exists()

    text = text_of(client.get(appointment.get_absolute_url()))
    assert (
        f"{moment(slot.start)}: Time til laboratoriet hos Helsenorge testlegekontor" in text  # source 001
    )
    assert "Status: Sendt, venter på bekreftelse" in text
    assert "Bestillingen er kun en forespørsel. Timen er ikke tildelt før du mottar en bekreftelse." in text


def test_staff_confirm_a_lab_request_with_bekreft_reservasjon(client, demo, django_capture_on_commit_callbacks):
    slot = demo.free_slot(demo.lab)
    log_in(client, demo.kurt)
    appointment = book(client, slot, django_capture_on_commit_callbacks)

    office = staff("legekontor-ansatt")
    changelist = office.get(ADMIN_APPOINTMENTS)
    assert "Bekreft reservasjon" in html_of(changelist)
    assert appointment.pk in {a.pk for a in changelist.context["cl"].result_list}
    response = office.post(ADMIN_APPOINTMENTS, {"action": "confirm", "_selected_action": [appointment.pk]})
    assert response.status_code == 302

    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.ASSIGNED
    assert Slot.objects.get(pk=slot.pk).state == Slot.State.BOOKED
    text = text_of(client.get(appointment.get_absolute_url()))
    assert "Status: Tildelt" in text
    assert "Din timereservasjon er bekreftet. Helsenorge testlegekontor." in text
    assert "Testmelding" in text_of(client.get(INBOX))


def test_staff_reject_a_lab_request_and_the_slot_is_free_again(client, demo, django_capture_on_commit_callbacks):
    slot = demo.free_slot(demo.lab)
    log_in(client, demo.kurt)
    appointment = book(client, slot, django_capture_on_commit_callbacks)

    response = staff("legekontor-ansatt").post(
        ADMIN_APPOINTMENTS,
        {"action": "reject", "_selected_action": [appointment.pk], "apply": "1", "reason": "Legen er bortreist."},
    )
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.REJECTED
    assert Slot.objects.get(pk=slot.pk).state == Slot.State.FREE

    inbox = text_of(client.get(INBOX))
    assert "Timebestillingen ble ikke godkjent" in inbox
    message = InboxMessage.objects.get(appointment=appointment, kind=InboxMessage.Kind.REJECTED)
    body = text_of(client.get(message.get_absolute_url()))
    assert f"Timebestillingen din {moment(slot.start)} hos Ta prøve på laboratoriet, Helsenorge testlegekontor" in body
    page = text_of(client.get(appointment.get_absolute_url()))
    assert "Status: Avvist" in page
    assert "Legg i egen kalender" not in page
    assert "Avbestill time" not in page
    # The freed slot can be booked again.
    other = log_in(Client(), demo.viktig)
    assert book(other, slot, django_capture_on_commit_callbacks).citizen == demo.viktig


def test_staff_of_another_organisation_cannot_confirm(client, demo, django_capture_on_commit_callbacks):
    log_in(client, demo.kurt)
    appointment = book(client, demo.free_slot(demo.lab), django_capture_on_commit_callbacks)
    municipality = staff("kommune-ansatt")
    assert appointment.pk not in {a.pk for a in municipality.get(ADMIN_APPOINTMENTS).context["cl"].result_list}
    municipality.post(ADMIN_APPOINTMENTS, {"action": "confirm", "_selected_action": [appointment.pk]})
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.REQUESTED
    assert not InboxMessage.objects.filter(appointment=appointment).exists()


def test_confirming_twice_changes_nothing_the_second_time(client, demo, django_capture_on_commit_callbacks):
    log_in(client, demo.kurt)
    appointment = book(client, demo.free_slot(demo.lab), django_capture_on_commit_callbacks)
    office = staff("legekontor-ansatt")
    for _ in range(2):
        office.post(ADMIN_APPOINTMENTS, {"action": "confirm", "_selected_action": [appointment.pk]})
    assert InboxMessage.objects.filter(appointment=appointment).count() == 1


# --- Titles by type (sources 000–002) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("her_id", "timebook", "title"),
    [
        (Demo.BESTE_SMITTEVERN, "Koronatest1", "Time til koronatest hos Koronatest1, Smittevern, Beste kommune"),
        (
            Demo.BESTE_VAKSINASJON,
            "Covid-19 vaksinering",
            "Time til koronavaksine hos Covid-19 vaksinering, Vaksinasjon, Beste kommune",
        ),
    ],
)
def test_the_title_follows_the_timebook_type(client, demo, django_capture_on_commit_callbacks, her_id, timebook, title):
    slot = demo.free_slot(demo.timebook(timebook))
    log_in(client, demo.per)
    appointment = book(client, slot, django_capture_on_commit_callbacks)
    text = text_of(client.get(appointment.get_absolute_url()))
    assert f"{moment(slot.start)}: {title}" in text
    assert f"Oppmøtested: {slot.location.attendance_place}" in text


# --- «Avbestill time» ------------------------------------------------------------------------------------


def test_avbestill_time_before_the_deadline_frees_the_slot_and_sends_a_receipt(
    client, demo, django_capture_on_commit_callbacks
):
    slot = demo.free_slot(demo.influensavaksine)
    log_in(client, demo.kurt)
    appointment = book(client, slot, django_capture_on_commit_callbacks)
    deadline = oslo(slot.start - dt.timedelta(hours=24))
    page = text_of(client.get(appointment.get_absolute_url()))
    assert (
        f"Du kan avbestille på nett fram til {deadline.day}.{deadline.month}.{deadline.year} kl. {deadline:%H:%M}"
        in (page)
    )

    confirm = client.get(reverse("booking:cancel", args=[appointment.pk]))
    assert confirm.status_code == 200
    assert "Vil du avbestille denne timen?" in text_of(confirm)
    assert f"{moment(slot.start)}: Time for vaksine hos" in text_of(confirm)

    response = client.post(reverse("booking:cancel", args=[appointment.pk]), follow=True)
    assert response.redirect_chain[-1][0] == appointment.get_absolute_url()
    text = text_of(response)
    assert "Timen er avbestilt. Du finner en kvittering i innboksen." in text
    assert "Status: Avbestilt" in text
    assert "Du har avbestilt timen." in text
    assert "Legg i egen kalender" not in text
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED_BY_CITIZEN
    assert appointment.cancelled_at is not None
    assert Slot.objects.get(pk=slot.pk).state == Slot.State.FREE

    receipt = InboxMessage.objects.get(appointment=appointment, kind=InboxMessage.Kind.CANCELLATION_RECEIPT)
    assert "Kvittering for avbestilt time" in text_of(client.get(INBOX))
    assert f"Du har avbestilt timen {moment(slot.start)} hos Influensavaksine" in text_of(
        client.get(receipt.get_absolute_url())
    )


def test_avbestill_time_after_the_deadline_is_refused_and_changes_nothing(
    client, demo, django_capture_on_commit_callbacks
):
    slot = demo.free_slot(demo.influensavaksine)
    log_in(client, demo.kurt)
    appointment = book(client, slot, django_capture_on_commit_callbacks)
    Timebook.objects.filter(pk=slot.timebook_id).update(cancellation_deadline_hours=24 * 14)
    messages_before = InboxMessage.objects.count()

    page = text_of(client.get(appointment.get_absolute_url()))
    assert "Timen kan ikke lenger avbestilles på nett. Ta kontakt med Helsenorge kommune." in page
    assert reverse("booking:cancel", args=[appointment.pk]) not in html_of(client.get(appointment.get_absolute_url()))

    response = client.post(reverse("booking:cancel", args=[appointment.pk]), follow=True)
    assert (
        "Timen kan ikke avbestilles på nett senere enn 336 timer før. "
        "Ta kontakt med Helsenorge kommune for å avbestille."
    ) in text_of(response)
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.ASSIGNED
    assert Slot.objects.get(pk=slot.pk).state == Slot.State.BOOKED
    assert InboxMessage.objects.count() == messages_before


def test_cancelling_twice_changes_nothing_the_second_time(client, demo, django_capture_on_commit_callbacks):
    slot = demo.free_slot(demo.influensavaksine)
    log_in(client, demo.kurt)
    appointment = book(client, slot, django_capture_on_commit_callbacks)
    client.post(reverse("booking:cancel", args=[appointment.pk]))
    # Someone else books the freed slot before the second click arrives.
    other = log_in(Client(), demo.viktig)
    theirs = book(other, slot, django_capture_on_commit_callbacks)

    response = client.post(reverse("booking:cancel", args=[appointment.pk]), follow=True)
    assert "Timen er allerede avbestilt eller ikke lenger aktiv." in text_of(response)
    theirs.refresh_from_db()
    assert theirs.status == Appointment.Status.ASSIGNED
    assert Slot.objects.get(pk=slot.pk).state == Slot.State.BOOKED
    assert (
        InboxMessage.objects.filter(appointment=appointment, kind=InboxMessage.Kind.CANCELLATION_RECEIPT).count() == 1
    )


def test_avbestill_refuses_put(client, demo, django_capture_on_commit_callbacks):
    log_in(client, demo.kurt)
    appointment = book(client, demo.free_slot(demo.influensavaksine), django_capture_on_commit_callbacks)
    assert client.put(reverse("booking:cancel", args=[appointment.pk])).status_code == 405
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.ASSIGNED


# --- «Legg i egen kalender» --------------------------------------------------------------------------------


def test_legg_i_egen_kalender_gives_an_ics_file_of_the_appointment(client, demo, django_capture_on_commit_callbacks):
    slot = demo.free_slot(demo.influensavaksine)
    log_in(client, demo.kurt)
    appointment = book(client, slot, django_capture_on_commit_callbacks)
    url = reverse("booking:ics", args=[appointment.pk])
    assert f'href="{url}"' in html_of(client.get(appointment.get_absolute_url()))

    first, second = client.get(url), client.get(url)
    assert first.status_code == 200
    assert first["Content-Type"].startswith("text/calendar")
    assert first["Content-Disposition"].startswith("attachment")
    calendars = [Calendar.from_ical(r.content) for r in (first, second)]
    events = [c.walk("VEVENT") for c in calendars]
    assert [len(e) for e in events] == [1, 1]
    event = events[0][0]
    assert str(event["UID"]) == str(events[1][0]["UID"])
    assert event["DTSTART"].params["TZID"] == "Europe/Oslo"
    start = event.decoded("DTSTART")
    assert start == slot.start
    assert str(start.tzinfo) == "Europe/Oslo"
    assert start.hour == oslo(slot.start).hour
    assert event.decoded("DTEND") == slot.end
    assert [str(tz["TZID"]) for tz in calendars[0].walk("VTIMEZONE")] == ["Europe/Oslo"]
    title = (
        f"{moment(slot.start)}: Time for vaksine hos Influensavaksine, Smittevern (Feberpoliklinikk Test), "
        "Helsenorge kommune"
    )
    assert str(event["SUMMARY"]) == title
    assert str(event["LOCATION"]) == "Feberpoliklinikk inngang A"


def test_the_calendar_file_of_a_cancelled_appointment_says_cancelled(client, demo, django_capture_on_commit_callbacks):
    log_in(client, demo.kurt)
    appointment = book(client, demo.free_slot(demo.influensavaksine), django_capture_on_commit_callbacks)
    url = reverse("booking:ics", args=[appointment.pk])
    before = Calendar.from_ical(client.get(url).content).walk("VEVENT")[0]
    assert str(before["STATUS"]) == "CONFIRMED"
    client.post(reverse("booking:cancel", args=[appointment.pk]))
    after = Calendar.from_ical(client.get(url).content).walk("VEVENT")[0]
    assert str(after["STATUS"]) == "CANCELLED"
    assert str(after["UID"]) == str(before["UID"])  # the same entry in the person's calendar is updated
