"""Issue 12 («What a new user found»): the clinic admin's defects, each with a test that failed before its fix.

On the seeded demo (once per module): Kari Kommune (``kommune-ansatt``) works for Helsenorge kommune, whose
«Influensavaksine» confirms by itself; Lars Legekontor (``legekontor-ansatt``) for the GP office, whose
«Ta prøve på laboratoriet» staff confirm or reject by hand. Kurt Håkon is the parent of Ola (13) and Emma (8).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from booking.models import Appointment
from booking.services import appointment_book_by_clinic, appointment_request
from citizens.models import Citizen
from core.limits import MAX_PUBLISH_DAYS
from inbox.models import InboxMessage
from resourcebooks.demo import seed_resourcebooks
from resourcebooks.models import Slot, Timebook, WeekTemplate
from resourcebooks.services import slots_publish
from tests.demo import Demo
from tests.factories import (
    NotificationFactory,
    PatientBlockFactory,
    TimebookFactory,
    TimeRequestFactory,
    WeekTemplateFactory,
)
from tests.pages import html_of, log_in, text_of

APPOINTMENTS = reverse("booking:appointments")
APPOINTMENT_LIST = reverse("admin:booking_appointment_changelist")


def as_staff(client: Client, username: str) -> Client:
    client.force_login(get_user_model().objects.get(username=username))
    return client


def book(person: Citizen, timebook: Timebook, index: int = 0) -> Appointment:
    """The clinic puts ``person`` on a free time (assigned at once)."""
    return appointment_book_by_clinic(person=person, slot=demo_free_slot(timebook, index), reason="Kontroll")


def request_time(person: Citizen, timebook: Timebook, index: int = 0) -> Appointment:
    """``person`` sends a booking, still waiting for the clinic's answer."""
    slot = demo_free_slot(timebook, index)
    outcome = appointment_request(
        person=person,
        booked_by=person,
        timebook=timebook,
        slot_id=slot.pk,
        reason="Blodprøve",
        idempotency_key=uuid.uuid4(),
    )
    assert outcome.appointment.status == Appointment.Status.REQUESTED
    return outcome.appointment


def demo_free_slot(timebook: Timebook, index: int) -> Slot:
    return Demo().free_slot(timebook, index)


def change_url(appointment: Appointment) -> str:
    return reverse("admin:booking_appointment_change", args=[appointment.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def run_action(client: Client, url: str, action: str, objects, **data) -> object:
    """Choose ``action`` for ``objects`` in a list, as the list's «Utfør» button does (``index`` set)."""
    post = {"action": action, "_selected_action": [o.pk for o in objects], "index": "0", **data}
    return client.post(url, post, follow=True)


# --- 1. «Belegg»: numbers in the SVG are numbers (the drawing is measured in tests/browser) ------------------


def test_the_chart_writes_its_coordinates_without_a_decimal_comma_and_fits_the_page(client, demo):
    response = as_staff(client, "kommune-ansatt").get(
        reverse("admin:resourcebooks_timebook_chart", args=[demo.influensavaksine.pk])
    )
    svg = re.search(r'<svg class="utilisation-chart".*?</svg>', html_of(response), re.S).group(0)
    values = re.findall(r' (?:x|y|x1|x2|y1|y2|height)="([^"]*)"', svg)
    assert values and all(re.fullmatch(r"-?\d+(\.\d+)?", v) for v in values), sorted(set(values))[:10]
    assert 'width="100%"' in svg and re.search(r'viewBox="0 0 \d+ \d+"', svg)
    labels = re.findall(r'<text class="axis-label"[^>]*>([^<]*)</text>', svg)
    assert labels == ["0", "25", "50", "75", "100"]  # 84 slots a day: whole steps up past 84


# --- 4 and 14. Of an appointment staff change «Skjult time» only ----------------------------------------


def test_the_appointment_page_offers_only_skjult_time_to_change(client, demo):
    appointment = book(demo.kurt, demo.influensavaksine)
    html = html_of(as_staff(client, "kommune-ansatt").get(change_url(appointment)))
    assert 'name="hidden"' in html
    for internal in ("slot", "citizen", "booked_by", "reason", "status", "reminder_claimed_at_0", "decided_at_0"):
        assert f'name="{internal}"' not in html, internal
    assert "idempotency" not in html.lower() and "Nøkkel mot dobbel bestilling" not in html


def test_a_post_changing_internal_fields_changes_nothing(client, demo):
    appointment = book(demo.kurt, demo.influensavaksine)
    other = book(demo.viktig, demo.influensavaksine, 1)
    before = Appointment.objects.filter(pk=appointment.pk).values().get()
    response = as_staff(client, "kommune-ansatt").post(
        change_url(appointment),
        {
            "slot": demo_free_slot(demo.influensavaksine, 5).pk,
            "citizen": demo.viktig.pk,
            "booked_by": demo.viktig.pk,
            "reason": "Endret av ansatt",
            "status": Appointment.Status.CANCELLED_BY_CLINIC,
            "created_at_0": "01.01.2030",
            "created_at_1": "08:00:00",
            "decided_at_0": "01.01.2030",
            "decided_at_1": "08:00:00",
            "cancelled_at_0": "01.01.2030",
            "cancelled_at_1": "08:00:00",
            "reminder_claimed_at_0": "01.01.2030",
            "reminder_claimed_at_1": "08:00:00",
            "idempotency_key": str(uuid.uuid4()),
            "replaces": other.pk,
            "_save": "Lagre",
        },
    )
    assert response.status_code == 302
    assert Appointment.objects.filter(pk=appointment.pk).values().get() == before


def test_staff_hide_olas_appointment_and_his_parent_no_longer_sees_it(client, demo):
    appointment = book(demo.ola, demo.lab)
    kurt = log_in(Client(), demo.kurt)
    kurt.post(reverse("citizens:switch_person"), {"person": demo.ola.pk})
    assert appointment.get_absolute_url() in html_of(kurt.get(APPOINTMENTS))

    response = as_staff(client, "legekontor-ansatt").post(change_url(appointment), {"hidden": "on", "_save": "Lagre"})

    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.hidden and appointment.status == Appointment.Status.ASSIGNED
    assert appointment.get_absolute_url() not in html_of(kurt.get(APPOINTMENTS))
    assert kurt.get(appointment.get_absolute_url()).status_code == 404
    ola = log_in(Client(), demo.ola)
    assert appointment.get_absolute_url() in html_of(ola.get(APPOINTMENTS))
    event = AuditEvent.objects.get(object_type="appointment", object_id=str(appointment.pk), summary="Skjult time på")
    assert (event.action, event.organisation_her_id) == ("update", 8100300)
    assert event.actor_label == "Lars Legekontor"


def test_skjult_time_is_refused_for_an_eight_year_old(client, demo):
    appointment = book(demo.emma, demo.lab)

    response = as_staff(client, "legekontor-ansatt").post(change_url(appointment), {"hidden": "on", "_save": "Lagre"})

    assert response.status_code == 200
    day = timezone.localtime(appointment.slot.start)
    assert (
        "Skjult time kan bare brukes for pasienter som er 12–16 år på timens dag. "
        f"Emma Grytten er 8 år {day:%d.%m.%Y}." in text_of(response)
    )
    appointment.refresh_from_db()
    assert not appointment.hidden
    assert not AuditEvent.objects.filter(object_type="appointment", summary__startswith="Skjult time").exists()


def test_staff_can_show_a_hidden_appointment_again_and_it_is_recorded(client, demo):
    hidden = demo.hidden_appointment()

    response = as_staff(client, "legekontor-ansatt").post(change_url(hidden), {"_save": "Lagre"})

    assert response.status_code == 302
    hidden.refresh_from_db()
    assert not hidden.hidden
    assert AuditEvent.objects.filter(object_id=str(hidden.pk), summary="Skjult time av").count() == 1


# --- 6. Norwegian all through the admin ------------------------------------------------------------------

ENGLISH = (
    "Timebook", "Location", "Organisation", "Blocked by", "Service", "Citizen", "Booked by", "Slot", "Replaces",
    "Recipient name", "Show counts", "Start typing to filter", "Skip to main content", "Toggle theme", "Search",
    "Model name", "Select this object", "Created at", "Template",
)  # fmt: skip


class _Readable(HTMLParser):
    """What a person reads or hears of a page: its text (not scripts or styles) and the labelling attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._hidden += tag in ("script", "style")
        self.parts += [v for k, v in attrs if k in ("title", "aria-label", "placeholder", "alt") and v]

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def readable(response) -> str:
    parser = _Readable()
    parser.feed(html_of(response))
    return " ".join(" ".join(parser.parts).split())


def test_the_admin_pages_speak_norwegian(client, demo):
    appointment = book(demo.kurt, demo.influensavaksine)
    office = demo.influensavaksine.service
    time_request = TimeRequestFactory(
        service=office,
        timebook=demo.influensavaksine,
        citizen=demo.kurt,
        booked_by=demo.kurt,
        subject="Vaksine",
        suggested_times="",
    )
    NotificationFactory(
        dedupe_key="issue-12",
        recipient_key=f"citizen:{demo.kurt.pk}",
        recipient_name="Kurt Håkon Grytten",
        address="+4741234567",
        channel="sms",
        event="confirmed",
        text="Test",
        owner_her_id=office.organisation.her_id,
    )
    PatientBlockFactory(
        organisation=office.organisation, national_id=demo.per.national_id, reason="Test", blocked_by=None
    )
    template = WeekTemplate.objects.filter(timebook=demo.influensavaksine).first()
    # A second timebook at a second place: the template list's filters show only where there is a choice.
    WeekTemplateFactory(timebook=TimebookFactory(service=office, name="Koronavaksine"))
    slot = Slot.objects.filter(timebook=demo.influensavaksine).first()
    pages = {
        "/admin/": ["Gå til hovedinnholdet", "Bytt fargetema", "Modellnavn"],
        "/admin/resourcebooks/weektemplate/": ["Vis antall", "Etter timebok", "Etter lokasjon", "Skriv for å filtrere"],
        f"/admin/resourcebooks/weektemplate/{template.pk}/change/": ["Timebok:", "Lokasjon:", "Hopp over helligdager"],
        "/admin/resourcebooks/location/": ["Søk"],
        "/admin/resourcebooks/location/add/": ["Virksomhet:"],
        "/admin/resourcebooks/timebook/": ["Vis antall", "Etter timeboktype"],
        "/admin/resourcebooks/patientblock/": ["Sperret av", "Virksomhet"],
        f"/admin/resourcebooks/slot/{slot.pk}/change/": ["Timebok:", "Lokasjon:", "Ukemal:", "Opprettet:"],
        APPOINTMENT_LIST: ["Pasient", "Bestilt av", "Velg dette objektet for en handling"],
        change_url(appointment): ["Time:", "Pasient:", "Bestilt av:", "Erstatter:", "Påminnelse sendt:"],
        "/admin/booking/timerequest/": ["Tjeneste", "Timebok", "Pasient"],
        reverse("admin:booking_timerequest_change", args=[time_request.pk]): ["Pasient:", "Sendt av:"],
        "/admin/notifications/notification/": ["Mottaker"],
    }
    as_staff(client, "kommune-ansatt")
    for path, norwegian in pages.items():
        response = client.get(path)
        assert response.status_code == 200, path
        text = readable(response)
        english = [word for word in ENGLISH if re.search(rf"\b{word}\b", text)]
        assert not english, f"{path}: {english}"
        assert [word for word in norwegian if word not in text] == [], path


# --- 7 and 8. Counts agree with their nouns; the admin's «Timen gjelder» is the patient -----------------------


def test_the_appointment_list_calls_the_person_the_patient(client, demo):
    book(demo.kurt, demo.influensavaksine)
    text = readable(as_staff(client, "kommune-ansatt").get(APPOINTMENT_LIST))
    assert "Pasient" in text and "Timen gjelder" not in text


def test_one_of_a_thing_is_written_in_the_singular(client, demo):
    lars = as_staff(client, "legekontor-ansatt")
    requested = request_time(demo.kurt, demo.lab)
    assert "1 time bekreftet (Tildelt)." in messages_of(run_action(lars, APPOINTMENT_LIST, "confirm", [requested]))
    assert "1 time avlyst." in messages_of(run_action(lars, APPOINTMENT_LIST, "cancel_by_clinic", [requested]))
    two = [book(demo.kurt, demo.lab, 1), book(demo.viktig, demo.lab, 2)]
    assert "2 timer avlyst." in messages_of(run_action(lars, APPOINTMENT_LIST, "cancel_by_clinic", two))

    slot = demo_free_slot(demo.lab, 3)
    slots = reverse("admin:resourcebooks_slot_changelist")
    assert "Trakk tilbake 1 ledig time." in messages_of(run_action(lars, slots, "withdraw_selected", [slot]))

    asked = TimeRequestFactory(
        service=demo.lab.service,
        citizen=demo.kurt,
        booked_by=demo.kurt,
        subject="Blodprøve",
        suggested_times="Når som helst",
    )
    handled = run_action(lars, reverse("admin:booking_timerequest_changelist"), "mark_handled", [asked])
    assert "1 timeforespørsel merket som behandlet." in messages_of(handled)

    evening = WeekTemplateFactory(
        timebook=demo.lab,
        location=demo.lab.week_templates.first().location,
        weekdays=list(range(7)),
        start_time=dt.time(20),
        end_time=dt.time(20, 30),
        slot_minutes=30,
    )
    day = timezone.localdate() + dt.timedelta(days=2)
    publish = reverse("admin:resourcebooks_weektemplate_publish", args=[evening.pk])
    response = lars.post(publish, {"date_from": day.isoformat(), "date_to": day.isoformat()}, follow=True)
    assert any("Publiserte 1 ny time for perioden" in m for m in messages_of(response)), messages_of(response)


# --- 11. Publishing: the template's own dates, and no slots on holidays -----------------------------------


def test_the_publish_form_starts_with_the_templates_own_period(client, demo):
    today = timezone.localdate()
    template = WeekTemplate.objects.filter(timebook=demo.influensavaksine).first()
    kari = as_staff(client, "kommune-ansatt")
    publish = reverse("admin:resourcebooks_weektemplate_publish", args=[template.pk])

    template.valid_from, template.valid_to = today + dt.timedelta(days=10), today + dt.timedelta(days=60)
    template.save()
    initial = kari.get(publish).context["form"].initial
    assert (initial["date_from"], initial["date_to"]) == (template.valid_from, template.valid_to)

    template.valid_from, template.valid_to = today - dt.timedelta(days=30), today + dt.timedelta(days=900)
    template.save()
    html = html_of(kari.get(publish))
    assert f'value="{today.isoformat()}"' in html
    assert f'value="{(today + dt.timedelta(days=MAX_PUBLISH_DAYS)).isoformat()}"' in html


def test_a_new_week_template_skips_holidays_unless_told_otherwise(client, demo):
    html = html_of(as_staff(client, "kommune-ansatt").get(reverse("admin:resourcebooks_weektemplate_add")))
    assert re.search(r'<input type="checkbox" name="skip_holidays"[^>]* checked', html)
    assert WeekTemplateFactory().skip_holidays is True


CHRISTMAS_TODAY = dt.date(2027, 12, 1)


@pytest.fixture
def before_christmas_2027(monkeypatch):
    now = dt.datetime.combine(CHRISTMAS_TODAY, dt.time(9), tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: now)


def local_days(template: WeekTemplate) -> set[dt.date]:
    return {timezone.localtime(start).date() for start in template.slots.values_list("start", flat=True)}


@pytest.mark.usefixtures("before_christmas_2027")
@pytest.mark.parametrize("skip", [True, False], ids=["skips", "switched-off"])
def test_publishing_over_christmas(db, skip):
    template = WeekTemplateFactory(weekdays=list(range(7)), start_time=dt.time(8), end_time=dt.time(9), slot_minutes=60)
    template.skip_holidays = skip
    template.save()

    slots_publish(
        template=template, date_from=dt.date(2027, 12, 20), date_to=dt.date(2028, 1, 2), today=CHRISTMAS_TODAY
    )

    days = local_days(template)
    closed = {dt.date(2027, 12, d) for d in (24, 25, 26, 31)} | {dt.date(2028, 1, 1)}
    assert {dt.date(2027, 12, 23), dt.date(2027, 12, 27), dt.date(2027, 12, 30), dt.date(2028, 1, 2)} <= days
    if skip:
        assert not days & closed  # Christmas Eve, both Christmas days, New Year's Eve and Day
        assert len(days) == 14 - len(closed)
    else:
        assert closed <= days and len(days) == 14


def test_the_demo_publishes_nothing_on_christmas_eve_christmas_day_or_new_years_eve(demo):
    today = timezone.localdate()
    first = dt.date(today.year if today < dt.date(today.year, 12, 20) else today.year + 1, 12, 20)
    WeekTemplate.objects.update(valid_to=first + dt.timedelta(days=60))

    seed_resourcebooks(today=first)

    starts = Slot.objects.filter(start__gte=timezone.now()).values_list("start", flat=True)
    days = {timezone.localtime(start).date() for start in starts}
    assert {(d.month, d.day) for d in days if d >= first} & {(12, 24), (12, 25), (12, 31)} == set()
    assert {dt.date(first.year, 12, 22), dt.date(first.year, 12, 23)} & days  # the demo did publish around them


# --- 13. Rejecting with a reason the patient reads in Innboks ----------------------------------------------


def test_rejecting_asks_for_a_reason_and_the_patient_reads_it_in_innboks(client, demo):
    requested = request_time(demo.kurt, demo.lab)
    lars = as_staff(client, "legekontor-ansatt")

    page = run_action(lars, APPOINTMENT_LIST, "reject", [requested])
    assert page.status_code == 200
    assert "Begrunnelse til pasienten" in text_of(page)
    assert re.search(r'<textarea name="reason"[^>]* maxlength="300"[^>]* required', html_of(page))
    assert Appointment.objects.get(pk=requested.pk).status == Appointment.Status.REQUESTED

    reason = "Laboratoriet er stengt denne dagen. Velg en annen time."
    done = run_action(lars, APPOINTMENT_LIST, "reject", [requested], apply="1", reason=reason)

    assert "1 forespørsel avvist." in messages_of(done)
    assert Appointment.objects.get(pk=requested.pk).status == Appointment.Status.REJECTED
    message = InboxMessage.objects.get(appointment=requested, kind=InboxMessage.Kind.REJECTED)
    assert message.body.endswith(f"\n\n{reason}")
    kurt = log_in(Client(), demo.kurt)
    assert reason in text_of(kurt.get(message.get_absolute_url()))


@pytest.mark.parametrize(
    ("reason", "error"),
    [
        ("", "Skriv en begrunnelse til pasienten."),
        ("   ", "Skriv en begrunnelse til pasienten."),
        ("x" * 301, "Begrunnelsen kan være høyst 300 tegn (den er 301)."),
    ],
    ids=["empty", "blank", "too-long"],
)
def test_a_rejection_without_a_fitting_reason_rejects_nothing(client, demo, reason, error):
    requested = request_time(demo.kurt, demo.lab)

    page = run_action(
        as_staff(client, "legekontor-ansatt"), APPOINTMENT_LIST, "reject", [requested], apply="1", reason=reason
    )

    assert page.status_code == 200 and error in text_of(page)
    assert Appointment.objects.get(pk=requested.pk).status == Appointment.Status.REQUESTED
    assert not InboxMessage.objects.filter(appointment=requested, kind=InboxMessage.Kind.REJECTED).exists()
