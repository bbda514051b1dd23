"""What a few real users leave in a `make run` database, for ``tests/test_migrate_forward.py``.

Run with the OLD code, in its checkout, on the database that `manage.py migrate` and `manage.py seed_demo` have just
made: this file copied to the checkout's root as ``_make_run_activity.py``, then
``manage.py shell -c "import _make_run_activity as a; a.main()"``. ``scripts/make_migration_fixture.py`` does it all.
Written against commit f502261; for a later commit, adjust the calls that have changed since.

Through the site (Django's test client): Kurt logs in on the test login, books a flu vaccine on the review page
(a hold, then «Send bestilling»: the appointment, the EPJ's confirmation, a notification, an Innboks message, audit
rows), reads his appointment and his Innboks, and stays logged in (a session row); Viktig opens a review page and
leaves it (a slot hold); a staff user types a wrong password (a login throttle row). Through the services: a
video appointment with signals from both sides, dialogues with an attachment, a staff answer and a journal entry,
a time request, an invitation campaign with a batch sent, a cancelled and a moved appointment, the GP office's
routing settings, a patient list entry, a user permission and an admin log entry.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import helsenorge_sim
from addressregistry.models import Organisation, Service
from booking import services as booking
from booking.models import Appointment
from citizens.models import Citizen
from dialogues import services as dialogues
from dialogues.models import (
    Dialogue,
    Kind,
    Prescription,
    RoutingAbsence,
    RoutingRecipient,
    RoutingSetting,
    Target,
)
from inbox.models import InboxMessage
from inbox.services import message_mark_read
from resourcebooks.models import Slot, StaffMembership, Timebook, TimebookListEntry

# The smallest valid PDF the attachment check accepts (its type is told by its content).
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def citizen(first_name: str) -> Citizen:
    return Citizen.objects.get(first_name=first_name)


def free_slot(timebook: Timebook, *, video: bool = False, skip: int = 0) -> Slot:
    slots = Slot.objects.filter(
        timebook=timebook, state=Slot.State.FREE, start__gt=timezone.now() + dt.timedelta(days=2)
    )
    if video:
        slots = slots.filter(time_type__mode="video")
    elif timebook.kind == Timebook.Kind.PRACTITIONER:
        slots = slots.filter(time_type__mode="in_person", time_type__online=True, time_type__urgent=False)
    return slots.order_by("start")[skip]


def ok(response: Any, *codes: int) -> None:
    if response.status_code not in (codes or (200, 302)):
        raise SystemExit(f"{response.request['PATH_INFO']}: {response.status_code}\n{response.content[:2000]!r}")


def log_in(client: Client, person: Citizen) -> None:
    ok(client.get(reverse("booking:login")))
    ok(client.post(reverse("booking:login"), {"person": str(person.pk)}), 302)


def review(client: Client, slot: Slot) -> str:
    """Open «Se gjennom før du sender» (it holds the slot) and return the form's idempotency key."""
    timebook = slot.timebook
    url = reverse("booking:review", args=[timebook.service.her_id, timebook.pk, slot.pk])
    response = client.get(url)
    ok(response, 200)
    html = response.content.decode()
    return html.split('name="idempotency_key" value="', 1)[1].split('"', 1)[0]


def citizens_on_the_site() -> None:
    """Kurt books and reads; Viktig holds a slot and walks away; a staff user mistypes a password."""
    kurt = Client()
    log_in(kurt, citizen("Kurt Håkon"))
    slot = free_slot(Timebook.objects.get(name="Influensavaksine"))
    key = review(kurt, slot)
    url = reverse("booking:review", args=[slot.timebook.service.her_id, slot.timebook_id, slot.pk])
    ok(kurt.post(url, {"reason": "Vaksine før vinteren", "idempotency_key": key}), 302)
    appointment = Appointment.objects.get(slot=slot)
    ok(kurt.get(reverse("booking:appointment", args=[appointment.pk])), 200)
    ok(kurt.get(reverse("booking:inbox")), 200)
    viktig = Client()
    log_in(viktig, citizen("Viktig"))
    review(viktig, free_slot(Timebook.objects.get(name="Influensavaksine"), skip=3))
    staff = Client()
    ok(staff.post(reverse("staff_login"), {"username": "kommune-ansatt", "password": "feil-passord"}), 200)


def video_call() -> Appointment:
    """The clinic puts Kurt on a video time of his fastlege; both sides join the room when it opens."""
    timebook = Timebook.objects.get(kind=Timebook.Kind.PRACTITIONER)
    appointment = booking.appointment_book_by_clinic(
        person=citizen("Kurt Håkon"), slot=free_slot(timebook, video=True), reason="Utslett"
    )
    at = appointment.slot.start + dt.timedelta(minutes=1)
    booking.video_signal_send(appointment=appointment, sender="patient", kind="join", now=at)
    booking.video_signal_send(appointment=appointment, sender="practitioner", kind="join", now=at)
    offer = {"type": "offer", "sdp": "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n"}
    booking.video_signal_send(appointment=appointment, sender="practitioner", kind="offer", payload=offer, now=at)
    return appointment


def appointments_changed() -> None:
    """Ola's lab appointment is moved by the clinic; Per books a koronatest and cancels it."""
    ola = Appointment.objects.get(citizen=citizen("Ola"))
    booking.appointment_move(appointment=ola, to_slot=free_slot(ola.slot.timebook), note="Legen er syk")
    per = citizen("Per")
    timebook = Timebook.objects.get(name="Koronatest1")
    outcome = booking.appointment_request(
        person=per,
        booked_by=per,
        timebook=timebook,
        slot_id=free_slot(timebook).pk,
        reason="Sår hals",
        idempotency_key=uuid.uuid4(),
    )
    booking.appointment_cancel(appointment=Appointment.objects.get(pk=outcome.appointment.pk), by=per)


def routing(office: Organisation) -> None:
    """The office's «Mottaker av dialoger»: e-kontakt to the reception and the fastlege, and a fastlege away."""
    setting = RoutingSetting.objects.create(organisation=office, kind=Kind.E_KONTAKT, mode=RoutingSetting.Mode.BOTH)
    RoutingRecipient.objects.create(setting=setting, target=Target.CLINIC)
    vikar = StaffMembership.objects.get(user__username="astrid-info")
    fastlege = StaffMembership.objects.get(user__username="august-september").practitioner
    today = timezone.localdate()
    RoutingAbsence.objects.create(fastlege=fastlege, substitute=vikar, valid_from=today, valid_to=today)


def conversations() -> None:
    """Kurt writes to his GP office with a PDF (answered and closed) and asks for an e-konsultasjon (read, and he
    adds to it); Viktig asks for two prescriptions to be renewed."""
    kurt = citizen("Kurt Håkon")
    office = Organisation.objects.get(kind=Organisation.Kind.GP_OFFICE)
    routing(office)
    upload = SimpleUploadedFile("resept.pdf", PDF, content_type="application/pdf")
    contact = dialogues.dialogue_start(
        person=kurt, written_by=kurt, kind=Kind.E_KONTAKT, subject="Spørsmål", body="Hei!", uploads=[upload]
    )
    lars = User.objects.get(username="legekontor-ansatt")
    dialogues.dialogue_answer(dialogue=contact, user=lars, body="Hei, vi ringer deg i morgen.", close=True)
    consultation = dialogues.dialogue_start(
        person=kurt, written_by=kurt, kind=Kind.E_KONSULTASJON, subject="Utslett", body="Det klør."
    )
    dialogues.dialogue_mark_read(dialogue=consultation, user=User.objects.get(username="august-september"))
    dialogues.dialogue_reply(
        dialogue=Dialogue.objects.get(pk=consultation.pk), written_by=kurt, body="Og det sprer seg."
    )
    viktig = citizen("Viktig")
    dialogues.dialogue_start(
        person=viktig,
        written_by=viktig,
        kind=Kind.RESEPTFORNYELSE,
        subject="Fornye resept",
        body="Takk!",
        prescription_ids=list(Prescription.objects.filter(citizen=viktig).values_list("pk", flat=True)[:2]),
    )
    message_mark_read(message=InboxMessage.objects.filter(citizen=kurt, read_at__isnull=True).earliest("sent_at"))


def time_request_and_campaign() -> None:
    per = citizen("Per")
    service = Service.objects.filter(organisation__her_id=8100100).order_by("her_id").first()
    assert service is not None
    booking.time_request_send(
        person=per, booked_by=per, service=service, timebook=None, subject="Blodprøve", suggested_times="Mandag"
    )
    timebook = Timebook.objects.get(name="Influensavaksine")
    user = User.objects.get(username="kommune-ansatt")
    booking.campaign_create(
        timebook=timebook, born_from=1900, born_to=2000, batch_size=2, pause_seconds=60, text="", created_by=user
    )
    booking.campaigns_tick()


def clinic_admin() -> None:
    """What staff do in /admin/: a patient list entry, a permission given to one user, and the admin's history."""
    timebook = Timebook.objects.get(name="Influensa")
    TimebookListEntry.objects.create(timebook=timebook, national_id=citizen("Astrid").national_id)
    user = User.objects.get(username="beste-ansatt")
    user.user_permissions.add(Permission.objects.get(codename="view_timebooklistentry"))
    LogEntry.objects.create(
        user=User.objects.get(username="kommune-ansatt"),
        content_type=ContentType.objects.get_for_model(Timebook),
        object_id=str(timebook.pk),
        object_repr=str(timebook)[:200],
        action_flag=ADDITION,
        change_message='[{"added": {}}]',
    )


def main() -> None:
    if Path(helsenorge_sim.__file__).resolve().parent.parent != Path.cwd().resolve():
        raise SystemExit(f"Run this in the old commit's checkout: the code imported is {helsenorge_sim.__file__}.")
    citizens_on_the_site()
    video_call()
    appointments_changed()
    conversations()
    time_request_and_campaign()
    clinic_admin()
    print("activity: done")
