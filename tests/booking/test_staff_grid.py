"""The clinic's grid (issue 22): a staff member puts a patient on a free time from the practitioner's day or week
(search by name or fødselsnummer, the time type, what it is about) and moves an appointment by picking its new free
time. Another office's timebook, slot, patient or appointment is not found; inactive and removed staff are refused."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from booking.demo import STAFF_BOOKING_PERMISSIONS
from booking.models import Appointment
from resourcebooks.demo import staff_group
from resourcebooks.models import Slot, StaffMembership
from tests.factories import CitizenFactory
from tests.pages import text_of
from tests.world import GpClinic, gp_clinic

pytestmark = pytest.mark.django_db


def clinic_staff(user):
    """``user`` as the demo's clinic staff: the staff login and the booking permissions."""
    group = staff_group()
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="booking", codename__in=STAFF_BOOKING_PERMISSIONS)
    )
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(Group.objects.get(pk=group.pk))
    return user


@pytest.fixture
def c() -> GpClinic:
    clinic = gp_clinic()
    clinic_staff(clinic.secretary)
    clinic_staff(clinic.outsider)
    return clinic


def grid(c: GpClinic) -> str:
    return reverse("booking:staff_timebook", args=[c.gp.timebook.pk])


def book_url(c: GpClinic, slot: Slot) -> str:
    return reverse("booking:staff_book", args=[c.gp.timebook.pk, slot.pk])


def post_book(client, c: GpClinic, slot: Slot, **data):
    fields = {"pasient": "Libront", "patient": c.citizen.pk, "time_type": c.gp.konsultasjon.pk, "reason": "Vondt"}
    return client.post(book_url(c, slot), fields | data)


def test_the_week_shows_free_times_as_links_and_booked_ones_with_patient_and_behandler(client, c) -> None:
    free, taken = c.gp.slot(hour=9), c.gp.slot(hour=10)
    client.force_login(c.secretary)
    assert post_book(client, c, taken).status_code == 302
    day = timezone.localtime(free.start).date().isoformat()
    response = client.get(grid(c), {"dato": day})
    text = text_of(response)
    assert response.status_code == 200
    assert book_url(c, free) in response.content.decode()
    assert f"Thomas Libront, hos {c.gp.fastlege.listed_name}" in text
    assert "Flytt" in text


def test_the_search_finds_the_offices_patient_by_name_and_by_fodselsnummer_and_never_another_offices(client, c) -> None:
    slot = c.gp.slot()
    stranger = CitizenFactory(first_name="Thomas", last_name="Libront")  # not on this office's list
    client.force_login(c.secretary)
    by_name = client.get(book_url(c, slot), {"pasient": "thomas lib"})
    by_number = client.get(book_url(c, slot), {"pasient": c.citizen.national_id[:6]})
    for response in (by_name, by_number):
        assert f'value="{c.citizen.pk}"' in response.content.decode()
        assert f'value="{stranger.pk}"' not in response.content.decode()
    assert "Fant ingen pasient" in text_of(client.get(book_url(c, slot), {"pasient": "Ingensteds"}))


def test_the_search_answers_with_a_handful_at_most(client, c) -> None:
    for _ in range(8):
        CitizenFactory(last_name="Hansen", gp_office=c.gp.office)
    client.force_login(c.secretary)
    html = client.get(book_url(c, c.gp.slot()), {"pasient": "Hansen"}).content.decode()
    assert html.count('name="patient"') == 5


def test_staff_put_the_patient_on_the_time_with_the_chosen_type_and_it_is_audited(client, c) -> None:
    slot = c.gp.slot(c.gp.konsultasjon)
    client.force_login(c.secretary)
    response = post_book(client, c, slot, time_type=c.gp.video.pk)
    appointment = Appointment.objects.get(slot=slot)
    assert response.status_code == 302
    assert f"valgt={appointment.pk}" in response.url
    assert appointment.status == Appointment.Status.ASSIGNED
    assert appointment.citizen == c.citizen
    assert appointment.behandler == c.gp.fastlege
    slot.refresh_from_db()
    assert slot.state == Slot.State.BOOKED and slot.time_type == c.gp.video
    assert AuditEvent.objects.filter(object_type="appointment", object_id=str(appointment.pk)).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": ""}, "Du må skrive hva timen gjelder"),
        ({"reason": "x" * 51}, "Du kan skrive maks 50 tegn"),
        ({"time_type": 999_999}, "Velg en av timebokens timetyper."),
        ({"patient": ""}, "Velg pasienten timen er til."),
    ],
)
def test_bad_input_is_told_in_norwegian_and_changes_nothing(client, c, data, message) -> None:
    slot = c.gp.slot()
    client.force_login(c.secretary)
    response = post_book(client, c, slot, **data)
    assert response.status_code == 400
    assert message in text_of(response)
    assert not Appointment.objects.exists()
    slot.refresh_from_db()
    assert slot.state == Slot.State.FREE


def test_a_taken_time_is_told_and_nothing_changes(client, c) -> None:
    slot = c.gp.slot()
    Slot.objects.filter(pk=slot.pk).update(state=Slot.State.BOOKED)
    client.force_login(c.secretary)
    response = post_book(client, c, slot)
    assert response.status_code == 400
    assert "Timen er ikke ledig" in text_of(response)
    assert not Appointment.objects.exists()


def test_a_time_type_of_another_timebook_is_refused(client, c) -> None:
    from tests.factories import TimeTypeFactory

    foreign = TimeTypeFactory(organisation=c.gp.office, name="Annen")
    client.force_login(c.secretary)
    response = post_book(client, c, c.gp.slot(), time_type=foreign.pk)
    assert response.status_code == 400
    assert not Appointment.objects.exists()


def test_another_offices_patient_is_not_found(client, c) -> None:
    stranger = CitizenFactory()
    client.force_login(c.secretary)
    assert post_book(client, c, c.gp.slot(), patient=stranger.pk).status_code == 404
    assert not Appointment.objects.exists()


def test_another_offices_staff_find_neither_timebook_slot_nor_appointment(client, c) -> None:
    slot, other = c.gp.slot(hour=9), c.gp.slot(hour=10)
    client.force_login(c.secretary)
    post_book(client, c, slot)
    appointment = Appointment.objects.get()
    client.force_login(c.outsider)
    assert client.get(grid(c)).status_code == 404
    assert client.get(book_url(c, other), {"pasient": "Libront"}).status_code == 404
    assert post_book(client, c, other).status_code == 404
    move_url = reverse("booking:staff_move", args=[appointment.pk])
    assert client.get(move_url).status_code == 404
    assert client.post(move_url, {"slot": other.pk}).status_code == 404
    assert Appointment.objects.get().slot == slot


def test_a_slot_of_another_timebook_is_not_found(client, c) -> None:
    from tests.world import gp_office

    elsewhere = gp_office().slot()
    client.force_login(c.secretary)
    assert client.get(reverse("booking:staff_book", args=[c.gp.timebook.pk, elsewhere.pk])).status_code == 404


def test_inactive_and_removed_staff_are_refused(client, c) -> None:
    slot = c.gp.slot()
    client.force_login(c.secretary)
    StaffMembership.objects.filter(user=c.secretary).delete()
    assert client.get(grid(c)).status_code == 404  # removed: the office's timebook is not theirs any more
    assert post_book(client, c, slot).status_code == 404
    c.secretary.is_active = False
    c.secretary.save(update_fields=["is_active"])
    response = client.get(grid(c))
    assert response.status_code == 302 and response.url.startswith(reverse("staff_login"))
    assert not Appointment.objects.exists()


def test_staff_without_the_booking_permission_are_refused(client, c) -> None:
    client.force_login(c.nurse)
    c.nurse.is_staff = True
    c.nurse.save(update_fields=["is_staff"])
    assert client.get(grid(c)).status_code == 403


def test_staff_move_the_appointment_by_picking_its_new_free_time(client, c) -> None:
    first, later = c.gp.slot(hour=9), c.gp.slot(hour=11)
    client.force_login(c.secretary)
    post_book(client, c, first)
    old = Appointment.objects.get()
    move_url = reverse("booking:staff_move", args=[old.pk])
    page = client.get(move_url)
    assert f'name="slot" value="{later.pk}"' in page.content.decode()
    response = client.post(move_url, {"slot": later.pk})
    new = Appointment.objects.get(status=Appointment.Status.ASSIGNED)
    assert response.status_code == 302 and f"valgt={new.pk}" in response.url
    assert new.slot == later and new.replaces == old
    first.refresh_from_db()
    assert first.state == Slot.State.FREE
    assert AuditEvent.objects.filter(object_type="appointment", object_id=str(new.pk)).exists()


def test_moving_to_a_taken_time_or_nonsense_is_told_and_changes_nothing(client, c) -> None:
    first, taken = c.gp.slot(hour=9), c.gp.slot(hour=10)
    client.force_login(c.secretary)
    post_book(client, c, first)
    old = Appointment.objects.get()
    Slot.objects.filter(pk=taken.pk).update(state=Slot.State.WITHDRAWN)
    move_url = reverse("booking:staff_move", args=[old.pk])
    for data in ({"slot": taken.pk}, {"slot": "abc"}, {}):
        response = client.post(move_url, data, follow=True)
        assert any(word in text_of(response) for word in ("ikke ledig", "Velg en ledig time"))
    assert list(Appointment.objects.values_list("pk", "slot_id", "status")) == [
        (old.pk, first.pk, Appointment.Status.ASSIGNED)
    ]


def test_a_bad_date_is_told_and_today_shown(client, c) -> None:
    client.force_login(c.secretary)
    response = client.get(grid(c), {"dato": "2026-13-40", "visning": "dag"})
    assert response.status_code == 200
    assert "Ugyldig dato" in text_of(response)


def test_wrong_methods_are_refused(client, c) -> None:
    client.force_login(c.secretary)
    assert client.post(grid(c)).status_code == 405
    assert client.delete(book_url(c, c.gp.slot())).status_code == 405


def test_opening_the_grid_is_a_read_in_the_audit_trail(client, c) -> None:
    client.force_login(c.secretary)
    client.get(grid(c))
    read = AuditEvent.objects.get(action="read", object_type="timebook")
    assert read.object_id == str(c.gp.timebook.pk)
    assert read.organisation_her_id == c.gp.office.her_id


def test_a_time_that_has_passed_is_refused(client, c) -> None:
    slot = c.gp.slot(days=-1)
    client.force_login(c.secretary)
    response = post_book(client, c, slot)
    assert response.status_code == 400
    assert "Timen er ikke ledig, eller den er passert" in text_of(response)
    assert not Appointment.objects.exists()


# --- What the red team found -------------------------------------------------------------------------------------


def test_a_fodselsnummer_typed_with_its_space_is_found(client, c) -> None:
    slot = c.gp.slot()
    client.force_login(c.secretary)
    number = c.citizen.national_id
    response = client.get(book_url(c, slot), {"pasient": f"{number[:6]} {number[6:]}"})
    assert f'value="{c.citizen.pk}"' in response.content.decode()


def test_each_patient_search_is_a_read_in_the_audit_trail(client, c) -> None:
    slot = c.gp.slot()
    client.force_login(c.secretary)
    before = AuditEvent.objects.filter(action="read", object_type="timebook").count()
    client.get(book_url(c, slot), {"pasient": c.citizen.national_id[:6]})
    reads = AuditEvent.objects.filter(action="read", object_type="timebook").order_by("-pk")
    assert reads.count() == before + 1
    assert reads.first().object_id == str(c.gp.timebook.pk)


def test_digits_that_are_not_ascii_are_no_id_and_no_500(client, c) -> None:
    c.gp.slot()
    free = c.gp.slot(hour=11)
    client.force_login(c.secretary)
    post_book(client, c, c.gp.slot(hour=10))
    appointment = Appointment.objects.get()
    assert client.get(grid(c), {"valgt": "\u00b2"}).status_code == 200
    moved = client.post(reverse("booking:staff_move", args=[appointment.pk]), {"slot": "\u00b2"}, follow=True)
    assert moved.status_code == 200 and "Velg en ledig time å flytte til." in text_of(moved)
    assert Appointment.objects.get().slot_id == appointment.slot_id and free.pk != appointment.slot_id
