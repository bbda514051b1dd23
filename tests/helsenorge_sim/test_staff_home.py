"""Where the staff login lands (issue 22): GP-office staff on their day (today's appointments with behandler, the
unread dialogues with the way to /klinikk/innboks/, the time requests waiting), municipal staff on their
timebooks, NHN support on /ar/; removed and inactive staff are refused."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from booking.models import TimeRequest
from booking.services import appointment_book_by_clinic
from resourcebooks.models import StaffMembership
from tests.booking.test_staff_grid import clinic_staff
from tests.factories import OrganisationFactory, StaffMembershipFactory, UserFactory
from tests.pages import text_of
from tests.world import gp_clinic

pytestmark = pytest.mark.django_db
HOME = "/klinikk/"


def test_the_staff_login_lands_on_the_staff_home(client) -> None:
    UserFactory(username="resepsjon", is_staff=True)
    response = client.post(reverse("staff_login"), {"username": "resepsjon", "password": "pw-test-123"})
    assert response.status_code == 302
    assert response.url == reverse("staff_home") == HOME


def test_gp_staff_see_their_day(client) -> None:
    c = gp_clinic()
    clinic_staff(c.secretary)
    soon = c.gp.slot(days=0, hour=23)
    appointment_book_by_clinic(person=c.citizen, slot=soon, reason="Vondt i ryggen")
    c.send(subject="Spørsmål om attest")
    TimeRequest.objects.create(
        service=c.gp.service, citizen=c.citizen, booked_by=c.citizen, subject="Kontroll", suggested_times="Mandager"
    )
    client.force_login(c.secretary)
    response = client.get(HOME)
    text = text_of(response)
    assert response.status_code == 200
    assert "Dagens timer (1)" in text
    assert (
        f"Thomas Libront ({c.citizen.masked_national_id}), Konsultasjon, behandler: {c.gp.fastlege.listed_name}" in text
    )
    assert "Uleste dialoger (1)" in text and "Spørsmål om attest" in text
    assert "Timeforespørsler som venter (1)" in text and "Kontroll: Thomas Libront" in text
    html = response.content.decode()
    assert 'href="/klinikk/innboks/"' in html
    assert reverse("booking:staff_timebook", args=[c.gp.timebook.pk]) in html


def test_the_day_shows_no_other_offices_appointments(client) -> None:
    c, other = gp_clinic(), gp_clinic()
    clinic_staff(c.secretary)
    slot = other.gp.slot(days=0, hour=23)
    appointment_book_by_clinic(person=other.citizen, slot=slot, reason="Hemmelig")
    client.force_login(c.secretary)
    text = text_of(client.get(HOME))
    assert "Dagens timer (0)" in text and "Hemmelig" not in text


def test_municipal_staff_land_on_their_timebooks(client) -> None:
    membership = StaffMembershipFactory(organisation=OrganisationFactory(), user__is_staff=True)
    client.force_login(membership.user)
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url == reverse("admin:resourcebooks_timebook_changelist")


def test_nhn_support_land_on_the_support_pages(client, settings) -> None:
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=settings.NHN_SUPPORT_GROUP)[0])
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 302 and response.url == reverse("addressregistry:search")


def test_removed_staff_are_refused_and_inactive_staff_sent_to_the_login(client) -> None:
    c = gp_clinic()
    clinic_staff(c.secretary)
    client.force_login(c.secretary)
    StaffMembership.objects.filter(user=c.secretary).delete()
    assert client.get(HOME).status_code == 403
    c.secretary.is_active = False
    c.secretary.save(update_fields=["is_active"])
    response = client.get(HOME)
    assert response.status_code == 302 and response.url.startswith(reverse("staff_login"))


def test_citizens_and_anonymous_go_to_the_staff_login(client) -> None:
    response = client.get(HOME)
    assert response.status_code == 302 and response.url.startswith(reverse("staff_login"))


def test_it_rejects_post(client) -> None:
    c = gp_clinic()
    clinic_staff(c.secretary)
    client.force_login(c.secretary)
    assert client.post(HOME).status_code == 405


def test_tomorrows_appointments_are_not_on_today(client) -> None:
    c = gp_clinic()
    clinic_staff(c.secretary)
    appointment_book_by_clinic(person=c.citizen, slot=c.gp.slot(days=1, hour=0), reason="I morgen")
    client.force_login(c.secretary)
    text = text_of(client.get(HOME))
    assert "Ingen timer i dag." in text and "I morgen" not in text
