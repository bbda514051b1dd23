"""The GP office's admin: practitioners, setting and removing a vikar, and the kind of a timebook."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from audit.models import AuditEvent
from resourcebooks.demo import staff_group
from resourcebooks.models import Practitioner, Timebook, VikarAssignment
from tests.factories import PractitionerFactory, PractitionerTimebookFactory, StaffMembershipFactory

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:resourcebooks_practitioner_changelist"


@pytest.fixture
def office():
    timebook = PractitionerTimebookFactory()
    august = timebook.practitioner
    astrid = PractitionerFactory(organisation=august.organisation, first_name="Astrid", role=Practitioner.Role.VIKAR)
    return {"timebook": timebook, "august": august, "astrid": astrid}


@pytest.fixture
def staff(client, office):
    staff_group()
    membership = StaffMembershipFactory(organisation=office["august"].organisation, user__is_staff=True)
    membership.user.groups.add(Group.objects.get(name="Klinikkansatt"))
    client.force_login(membership.user)
    return client


def set_vikar(client, fastlege, vikar, **extra):
    data = {
        "action": "set_vikar",
        "_selected_action": [fastlege.pk],
        "apply": "1",
        "vikar": vikar.pk,
        "valid_from": "2026-12-01",
        **extra,
    }
    return client.post(reverse(CHANGELIST), data)


def test_staff_set_a_vikar_on_the_fastlege(staff, office):
    response = set_vikar(staff, office["august"], office["astrid"], valid_to="2026-12-24")

    assert response.status_code == 302
    assignment = VikarAssignment.objects.get(fastlege=office["august"])
    assert assignment.vikar == office["astrid"]
    assert assignment.is_set_on(dt.date(2026, 12, 24)) and not assignment.is_set_on(dt.date(2026, 12, 25))
    assert AuditEvent.objects.filter(object_type="practitioner", summary__startswith="Satte").exists()


def test_the_form_offers_only_the_offices_own_vikarer(staff, office):
    stranger = PractitionerFactory(role=Practitioner.Role.VIKAR, first_name="Fremmed")

    response = staff.post(reverse(CHANGELIST), {"action": "set_vikar", "_selected_action": [office["august"].pk]})
    assert "Astrid" in response.content.decode() and "Fremmed" not in response.content.decode()

    set_vikar(staff, office["august"], stranger)
    assert not VikarAssignment.objects.exists()


def test_staff_remove_the_vikar_and_the_record_is_kept(staff, office):
    set_vikar(staff, office["august"], office["astrid"])

    chosen = VikarAssignment.objects.get().pk
    data = {"action": "remove_vikar", "_selected_action": [office["august"].pk], "apply": "1", "assignment": chosen}
    staff.post(reverse(CHANGELIST), data)

    assignment = VikarAssignment.objects.get()
    assert assignment.removed_at is not None


def test_another_offices_practitioner_is_not_found(staff):
    other = PractitionerFactory()

    response = staff.get(reverse("admin:resourcebooks_practitioner_change", args=[other.pk]))

    assert response.status_code == 404
    assert other.last_name not in staff.get(reverse(CHANGELIST)).content.decode()


def test_a_practitioner_timebook_needs_an_owner_and_no_type(staff, office):
    timebook = office["timebook"]
    data = {
        "service": timebook.service.pk,
        "kind": Timebook.Kind.PRACTITIONER,
        "practitioner": "",
        "type": "vaksine",
        "name": "Ny timebok",
        "owner": "x",
        "who_may_book": "gp_list",
        "confirmation": "automatic",
        "cancellation_deadline_hours": "24",
        "max_active_bookings": "1",
        "list_entries-TOTAL_FORMS": "0",
        "list_entries-INITIAL_FORMS": "0",
    }

    response = staff.post(reverse("admin:resourcebooks_timebook_add"), data)

    assert response.status_code == 200
    text = response.content.decode()
    assert "En behandlertimebok må ha en behandler som eier." in text
    assert "En behandlertimebok har ingen timeboktype." in text
    assert not Timebook.objects.filter(name="Ny timebok").exists()


def test_a_lis1_cannot_be_added_as_vikar(staff, office):
    lis1 = PractitionerFactory(organisation=office["august"].organisation, role=Practitioner.Role.LIS1)

    response = staff.post(
        reverse("admin:resourcebooks_vikarassignment_add"),
        {"fastlege": office["august"].pk, "vikar": lis1.pk, "valid_from": "2026-12-01"},
    )

    assert response.status_code == 200
    assert "En LIS1 kan ikke settes som vikar for fastlege på Helsenorge." in response.content.decode()
    assert not VikarAssignment.objects.exists()
