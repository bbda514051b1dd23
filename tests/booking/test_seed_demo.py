"""``manage.py seed_demo`` loads the sources' demo data and is idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from addressregistry.models import Organisation, Service

pytestmark = pytest.mark.django_db


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table our apps and auth own, so that 'nothing changed' means exactly that."""
    labels = ("addressregistry", "resourcebooks", "booking", "notifications", "auth")
    return {
        model._meta.label: sorted(model.objects.values_list(), key=repr)
        for label in labels
        for model in apps.get_app_config(label).get_models()
    }


def test_running_it_twice_changes_nothing():
    call_command("seed_demo", stdout=StringIO())
    first = snapshot()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert snapshot() == first
    assert "0 nye virksomheter, 0 nye tjenester, 0 prosessendringer" in out.getvalue()


def test_it_loads_the_organisations_and_services_of_the_sources():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    names = set(Organisation.objects.values_list("name", flat=True))
    assert {"Helsenorge kommune", "Beste kommune", "Helsenorge testlegekontor"} <= names
    assert Service.objects.get(her_id=8100011).contact_name == "Helsenorge kommune Smittevern (Feberpoliklinikk Test)"
    assert {"smittevern", "vaksinasjon", "legevakt"} <= set(
        Service.objects.filter(organisation__name="Beste kommune").values_list("service_type", flat=True)
    )
    assert "nhn-support / nhn-support-demo" in out.getvalue()


def test_it_keeps_a_support_users_later_changes():
    from addressregistry.services import service_process_set

    call_command("seed_demo", stdout=StringIO())
    service = Service.objects.get(her_id=8100201)
    service_process_set(service=service, process="timereservasjon", active=True, changed_by=None)
    call_command("seed_demo", stdout=StringIO())
    assert "timereservasjon" in Service.objects.get(her_id=8100201).active_processes()
