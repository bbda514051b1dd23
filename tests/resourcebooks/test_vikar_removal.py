"""«Fjern vikar fra fastlegen» and «Sett vikar» in the GP office's admin (issue 22, items 2 and 5): staff choose
which vikar to remove and confirm it, only that assignment ends and the audit trail names the vikar; nothing is
removed without a choice, through another fastlege's assignment, or by another office's staff. «Sett vikar»
starts today unless told otherwise."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from dialogues.demo import staff_dialogue_permissions
from resourcebooks.demo import staff_group
from resourcebooks.models import Practitioner, VikarAssignment
from tests.factories import PractitionerFactory, StaffMembershipFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:resourcebooks_practitioner_changelist")
SOURCE_004 = "Hvis du som fastlege hadde vikar, må vikaren fjernes fra ansattkortet ditt."


@pytest.fixture
def august():
    return PractitionerFactory(last_name="September")


def vikar(fastlege: Practitioner, first_name: str, **period) -> VikarAssignment:
    person = PractitionerFactory(
        organisation=fastlege.organisation, first_name=first_name, middle_name="", role=Practitioner.Role.VIKAR
    )
    return VikarAssignment.objects.create(fastlege=fastlege, vikar=person, valid_from=dt.date(2026, 12, 1), **period)


def staff_of(organisation) -> Client:
    staff_group()
    membership = StaffMembershipFactory(organisation=organisation, user__is_staff=True)
    membership.user.groups.add(Group.objects.get(name="Klinikkansatt"))
    client = Client()
    client.force_login(membership.user)
    return client


def remove(client: Client, fastlege: Practitioner, **extra):
    return client.post(CHANGELIST, {"action": "remove_vikar", "_selected_action": [fastlege.pk], **extra})


def still_set(fastlege: Practitioner) -> list[str]:
    active = VikarAssignment.objects.filter(fastlege=fastlege, removed_at__isnull=True)
    return sorted(active.values_list("vikar__first_name", flat=True))


def test_staff_choose_which_vikar_to_remove_confirm_and_only_that_one_is_removed(august):
    astrid = vikar(august, "Astrid")
    vikar(august, "Ingar", valid_to=dt.date(2026, 12, 24))
    staff = staff_of(august.organisation)

    asked = remove(staff, august)

    page = text_of(asked)
    assert asked.status_code == 200
    assert SOURCE_004 in page
    assert "Astrid" in page and "fra og med 01.12.2026 til vikaren fjernes" in page
    assert "Ingar" in page and "til og med 24.12.2026" in page
    assert still_set(august) == ["Astrid", "Ingar"]

    done = remove(staff, august, apply="1", assignment=astrid.pk)

    assert done.status_code == 302
    assert still_set(august) == ["Ingar"]
    assert "Astrid" in text_of(staff.get(done["Location"]))
    summaries = list(AuditEvent.objects.filter(summary__startswith="Fjernet").values_list("summary", flat=True))
    assert summaries == [f"Fjernet Astrid {astrid.vikar.last_name} som vikar for {august.display_name}"]


def test_without_a_choice_nothing_is_removed_and_staff_are_told_why(august):
    vikar(august, "Astrid")
    vikar(august, "Ingar")

    response = remove(staff_of(august.organisation), august, apply="1")

    assert response.status_code == 400
    assert "Velg vikaren som skal fjernes." in text_of(response)
    assert still_set(august) == ["Astrid", "Ingar"]


def test_another_fastleges_assignment_is_not_removed_through_this_one(august):
    vikar(august, "Astrid")
    colleague = PractitionerFactory(organisation=august.organisation)
    theirs = vikar(colleague, "Ingar")
    stranger = vikar(PractitionerFactory(), "Fremmed")
    staff = staff_of(august.organisation)

    for assignment in (theirs, stranger):
        response = remove(staff, august, apply="1", assignment=assignment.pk)
        assert response.status_code == 400
        assert "Velg en av vikarene som er satt på fastlegen nå." in text_of(response)

    assert still_set(august) == ["Astrid"] and still_set(colleague) == ["Ingar"]
    assert VikarAssignment.objects.filter(removed_at__isnull=False).count() == 0
    assert not AuditEvent.objects.filter(summary__startswith="Fjernet").exists()


def test_another_offices_staff_remove_nothing(august):
    astrid = vikar(august, "Astrid")
    outsider = staff_of(PractitionerFactory().organisation)

    remove(outsider, august, apply="1", assignment=astrid.pk)

    assert still_set(august) == ["Astrid"]


def test_a_removed_vikar_is_not_offered_again_and_cannot_be_removed_twice(august):
    astrid = vikar(august, "Astrid")
    staff = staff_of(august.organisation)
    remove(staff, august, apply="1", assignment=astrid.pk)

    again = remove(staff, august, apply="1", assignment=astrid.pk)

    assert "Fastlegen har ingen vikar å fjerne." in text_of(staff.get(again["Location"]))
    assert AuditEvent.objects.filter(summary__startswith="Fjernet").count() == 1


def test_sett_vikar_starts_today_unless_told_otherwise(august):
    staff = staff_of(august.organisation)

    response = staff.post(CHANGELIST, {"action": "set_vikar", "_selected_action": [august.pk]})

    today = timezone.localdate().isoformat()
    assert f'name="valid_from" value="{today}"' in response.content.decode()


def test_the_absence_page_says_it_in_source_004s_words(august):
    staff = staff_of(august.organisation)
    staff_dialogue_permissions()

    page = text_of(staff.get(reverse("admin:dialogues_routingabsence_add")))

    assert SOURCE_004 in page
