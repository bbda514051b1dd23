"""The patient portal shows exactly what the AR diagnosis says, for every demo service: the support page's
«Hva innbyggeren ser» and the citizen's steps 1–2 cannot disagree."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from addressregistry.diagnosis import Offer, diagnose_service
from addressregistry.models import Service
from booking.selectors import GpOfficeContact, contacts_for, timebooks_for
from citizens.models import Citizen
from resourcebooks.models import Timebook

pytestmark = pytest.mark.django_db


@pytest.fixture
def viktig(demo_db):
    return Citizen.objects.get(first_name="Viktig")  # Helsenorge kommune, GP at Helsenorge testlegekontor


def services_behind(contacts: list) -> list:
    """Each service behind step 1's contacts: «Ditt fastlegekontor» stands for all its office's (source 003)."""
    return [s for c in contacts for s in (c.services if isinstance(c, GpOfficeContact) else (c,))]


def test_step_1_lists_exactly_the_services_the_diagnosis_gives_a_bestill_time(viktig):
    mine = Service.objects.filter(organisation_id__in=[viktig.municipality_id, viktig.gp_office_id])
    expected = {s.her_id for s in mine if diagnose_service(s).portal.has_bestill_time}
    assert {c.service.her_id for c in services_behind(contacts_for(viktig))} == expected
    assert 8100013 not in expected  # Helsestasjon Test has no Timebestilling


def test_step_2_lists_exactly_the_timebooks_the_diagnosis_lists(viktig, client):
    client.force_login(viktig.user)
    for step_1 in contacts_for(viktig):
        html = client.get(reverse("booking:choose_timebook", args=[step_1.her_id])).content.decode()
        for contact in services_behind([step_1]):
            listed = {tb.id for tb in contact.diagnosis.portal.listed_timebooks}
            assert {tb.pk for tb in timebooks_for(viktig, contact)} <= listed
            for tb in contact.diagnosis.portal.listed_timebooks:
                if any(t.pk == tb.id for t in timebooks_for(viktig, contact)):
                    assert f'name="timebook" value="{tb.id}"' in html


def test_changing_a_process_on_the_support_page_changes_what_the_citizen_sees(viktig, support_client):
    client = Client()
    client.force_login(viktig.user)
    step2 = reverse("booking:choose_timebook", args=[8100011])
    radio = f'name="timebook" value="{Timebook.objects.get(name="Influensavaksine").pk}"'
    assert radio in client.get(step2).content.decode()
    support_client.post(
        reverse("addressregistry:service_process_toggle", args=[8100011]),
        {"process": "behandleroversikt", "active": "on"},
    )
    assert diagnose_service(Service.objects.get(her_id=8100011)).portal.offer is Offer.PRACTITIONER_ROLE
    html = client.get(step2).content.decode()
    assert "Helsefaglig kontakt Smittevern (Feberpoliklinikk Test)" in html
    assert radio not in html
    support_client.post(
        reverse("addressregistry:service_process_toggle", args=[8100011]),
        {"process": "timebestilling", "active": "off"},
    )
    assert (
        "Helsenorge kommune Smittevern (Feberpoliklinikk Test)"
        not in client.get(reverse("booking:choose_contact")).content.decode()
    )
    assert client.get(step2).status_code == 404
