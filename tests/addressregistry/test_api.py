"""The read-only JSON lookup in the spirit of AR's GetCommunicationPartyDetails."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import RESOURCE, OrganisationFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def url(her_id) -> str:
    return reverse("addressregistry:api_communication_party", args=[her_id])


def test_it_describes_an_organisation_with_its_services_and_their_active_processes(client):
    org = OrganisationFactory(
        her_id=8100001, name="Helsenorge kommune", municipality_name="Helsenorge", municipality_number="9901"
    )
    ServiceFactory(organisation=org, her_id=8100011, name="Smittevern (Feberpoliklinikk Test)", processes=RESOURCE)
    response = client.get(url(8100001))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["HerId"] == 8100001
    assert body["Name"] == "Helsenorge kommune"
    assert body["Type"] == "Organization"
    assert body["ParentHerId"] is None
    assert body["Municipality"] == {"Name": "Helsenorge", "Number": "9901"}
    assert body["Services"] == [
        {
            "HerId": 8100011,
            "Name": "Smittevern (Feberpoliklinikk Test)",
            "ServiceType": "Smittevern",
            "ActiveProcesses": ["Ressursoversikt", "Timebestilling", "Timereservasjon"],
        }
    ]


def test_it_describes_a_service_with_its_parent(client):
    service = ServiceFactory(her_id=8100202, processes=("timebestilling", "behandleroversikt"))
    body = client.get(url(8100202)).json()
    assert body["Type"] == "Service"
    assert body["ParentHerId"] == service.organisation.her_id
    assert body["ActiveProcesses"] == ["Behandleroversikt", "Timebestilling"]


def test_an_unknown_her_id_is_a_json_404(client):
    response = client.get(url(12345))
    assert response.status_code == 404
    assert response.json()["error"] == "NotFound"


def test_a_non_numeric_her_id_is_a_json_400_with_a_message(client):
    response = client.get(url("8100x"))
    assert response.status_code == 400
    assert "er ikke en gyldig HER-id" in response.json()["message"]


def test_it_is_read_only(client):
    ServiceFactory(her_id=8100011)
    assert client.post(url(8100011)).status_code == 405
