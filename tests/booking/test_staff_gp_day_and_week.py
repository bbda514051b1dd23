"""The GP office's staff in the clinic admin (source 004): the fastlege's day and week, «Sett opp pasient på time»,
«Flytt time», «Start video», and taking away a holiday's free slots in the practitioner's timebook."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from addressregistry.models import Organisation
from booking.demo import STAFF_BOOKING_PERMISSIONS
from booking.models import Appointment
from inbox.models import InboxMessage
from notifications.models import Notification
from resourcebooks.demo import staff_group
from resourcebooks.models import Slot, StaffMembership, TimeType
from tests.factories import (
    CitizenFactory,
    LocationFactory,
    OrganisationFactory,
    PractitionerTimebookFactory,
    SlotFactory,
    StaffMembershipFactory,
    TimeTypeFactory,
)
from tests.pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    timebook = PractitionerTimebookFactory()
    org = timebook.service.organisation
    location = LocationFactory(organisation=org, name="Legekontoret", attendance_place="Legekontoret")
    types = {
        name: TimeTypeFactory(organisation=org, name=name, mode=mode, duration_minutes=15)
        for name, mode in (("Konsultasjon", TimeType.Mode.IN_PERSON), ("Videotime", TimeType.Mode.VIDEO))
    }
    timebook.time_types.set(types.values())
    day = timezone.localdate() + dt.timedelta(days=3)

    def slot(hour: int, minute: int, type_name: str) -> Slot:
        start = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
        return SlotFactory(
            timebook=timebook,
            location=location,
            time_type=types[type_name],
            start=start,
            end=start + dt.timedelta(minutes=15),
        )

    municipality = OrganisationFactory(
        her_id=9_700_001,
        name="Kommune",
        kind=Organisation.Kind.MUNICIPALITY,
        organisation_number="",
        municipality_name="",
        municipality_number="",
    )
    patient = CitizenFactory(
        first_name="Kurt Håkon", municipality=municipality, gp_office=org, fastlege=timebook.practitioner
    )
    return {
        "timebook": timebook,
        "day": day,
        "video": slot(8, 0, "Videotime"),
        "visit": slot(13, 15, "Konsultasjon"),
        "later": slot(13, 30, "Konsultasjon"),
        "patient": patient,
    }


@pytest.fixture
def staff(client, office):
    from django.contrib.auth.models import Permission

    group = staff_group()
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="booking", codename__in=STAFF_BOOKING_PERMISSIONS)
    )
    membership = StaffMembershipFactory(organisation=office["timebook"].service.organisation, user__is_staff=True)
    membership.user.groups.add(Group.objects.get(name="Klinikkansatt"))
    client.force_login(membership.user)
    return client


def book(client, office, slot_key="visit", national_id=None):
    return client.post(
        reverse("admin:booking_appointment_book"),
        {
            "national_id": national_id or office["patient"].national_id,
            "slot": office[slot_key].pk,
            "reason": "Vondt i ryggen",
        },
    )


def test_put_a_patient_on_a_time_tells_them_once(staff, office):
    response = book(staff, office)

    appointment = Appointment.objects.get(citizen=office["patient"])
    assert response.status_code == 302
    assert appointment.status == Appointment.Status.ASSIGNED
    messages = InboxMessage.objects.filter(citizen=office["patient"], appointment=appointment)
    assert [m.subject for m in messages] == ["Du har fått en ny timeavtale"]
    assert Notification.objects.filter(recipient_key=f"citizen:{office['patient'].pk}").count() >= 1


def test_a_patient_not_on_the_list_is_refused(staff, office):
    stranger = CitizenFactory(first_name="Fremmed")

    response = book(staff, office, national_id=stranger.national_id)

    assert response.status_code == 200
    assert "Fant ingen pasient med dette fødselsnummeret på legekontorets liste." in response.content.decode()
    assert not Appointment.objects.exists()


def test_move_makes_a_new_linked_appointment_and_tells_the_patient(staff, office):
    book(staff, office)
    old = Appointment.objects.get()

    response = staff.post(
        reverse("admin:booking_appointment_changelist"),
        {"action": "move", "_selected_action": [old.pk], "apply": "1", "to_slot": office["later"].pk},
    )

    assert response.status_code == 302
    new = Appointment.objects.get(status=Appointment.Status.ASSIGNED)
    assert new.slot == office["later"] and new.replaces == old
    old.refresh_from_db()
    assert old.status == Appointment.Status.MOVED
    assert InboxMessage.objects.filter(citizen=office["patient"]).count() == 2


def test_the_move_form_offers_only_free_slots_of_the_same_timebook(staff, office):
    book(staff, office)
    other = PractitionerTimebookFactory()
    foreign = SlotFactory(
        timebook=other,
        location=LocationFactory(organisation=other.service.organisation, name="x", attendance_place="x"),
        start=office["later"].start,
        end=office["later"].end,
    )

    response = staff.post(
        reverse("admin:booking_appointment_changelist"),
        {"action": "move", "_selected_action": [Appointment.objects.get().pk]},
    )

    options = response.content.decode()
    assert f'value="{office["later"].pk}"' in options and f'value="{foreign.pk}"' not in options
    assert f'value="{office["visit"].pk}"' not in options  # taken by the appointment itself


def test_the_week_shows_who_type_reason_and_status(staff, office):
    book(staff, office)

    response = staff.get(
        reverse("admin:resourcebooks_timebook_week", args=[office["timebook"].pk]), {"dato": office["day"].isoformat()}
    )

    text = response.content.decode()
    assert "13:15 - 13:30" in text and "Konsultasjon" in text and "08:00 - 08:15" in text and "Videotime" in text
    assert "Kurt Håkon" in text and "Vondt i ryggen" in text and "Tildelt" in text


def test_the_day_shows_the_appointment_too(staff, office):
    book(staff, office)

    response = staff.get(
        reverse("admin:resourcebooks_timebook_day", args=[office["timebook"].pk]), {"dato": office["day"].isoformat()}
    )

    assert "Vondt i ryggen" in response.content.decode()


def test_a_video_appointment_has_start_video_for_its_practitioner(staff, office):
    book(staff, office, slot_key="video")
    appointment = Appointment.objects.get()
    membership = StaffMembership.objects.get(user_id=int(staff.session["_auth_user_id"]))
    membership.practitioner = office["timebook"].practitioner
    membership.save()

    response = staff.get(reverse("admin:booking_appointment_change", args=[appointment.pk]))

    assert f'href="{reverse("video:room", args=[appointment.pk])}"' in response.content.decode()
    assert "Start video" in text_of(response)


def test_the_rest_of_the_office_is_told_who_starts_the_video_and_gets_no_button(staff, office):
    book(staff, office, slot_key="video")
    appointment = Appointment.objects.get()

    response = staff.get(reverse("admin:booking_appointment_change", args=[appointment.pk]))

    assert response.status_code == 200
    assert reverse("video:room", args=[appointment.pk]) not in response.content.decode()
    assert "Bare behandleren timen er hos, eller vikaren for behandleren, kan starte video." in text_of(response)
    assert staff.get(reverse("video:room", args=[appointment.pk])).status_code == 404


def test_a_holiday_takes_away_the_practitioners_free_slots_in_one_action(staff, office):
    book(staff, office)
    day = office["day"].isoformat()

    staff.post(
        reverse("admin:resourcebooks_timebook_changelist"),
        {
            "action": "withdraw_free_slots",
            "_selected_action": [office["timebook"].pk],
            "apply": "1",
            "date_from": day,
            "date_to": day,
        },
    )

    states = dict(Slot.objects.values_list("pk", "state"))
    assert states[office["video"].pk] == Slot.State.WITHDRAWN
    assert states[office["later"].pk] == Slot.State.WITHDRAWN
    assert states[office["visit"].pk] == Slot.State.BOOKED
