from __future__ import annotations

import factory

from addressregistry.models import Organisation, ProcessChange, Service, ServiceProcess
from addressregistry.services import service_processes_apply

RESOURCE = ("timebestilling", "timereservasjon", "ressursoversikt")
PRACTITIONER_PROCESSES = ("timebestilling", "timereservasjon", "behandleroversikt")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    her_id = factory.Sequence(lambda n: 9_000_000 + n)
    name = factory.Sequence(lambda n: f"Testkommune {n}")
    kind = Organisation.Kind.MUNICIPALITY
    organisation_number = "999900003"
    municipality_name = "Testkommune"
    municipality_number = "9999"


class ServiceFactory(factory.django.DjangoModelFactory):
    """A service; ``processes=(…)`` switches those on through the service (recording history)."""

    class Meta:
        model = Service
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    her_id = factory.Sequence(lambda n: 9_500_000 + n)
    service_type = Service.Type.SMITTEVERN
    name = factory.Sequence(lambda n: f"Smittevern (Test {n})")

    @factory.post_generation
    def processes(self, create, extracted, **kwargs):
        if create and extracted is not None:
            service_processes_apply(service=self, active=extracted, changed_by=None, changed_by_label="factory")


class ServiceProcessFactory(factory.django.DjangoModelFactory):
    """A process row as such; to switch processes on as the register does, use ``ServiceFactory(processes=…)``."""

    class Meta:
        model = ServiceProcess

    service = factory.SubFactory(ServiceFactory)
    process = ServiceProcess.Process.TIMEBESTILLING
    active = True


class ProcessChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcessChange

    service = factory.SubFactory(ServiceFactory)
    process = ServiceProcess.Process.TIMEBESTILLING
    active = True
    changed_by_label = "factory"
