"""Reads of the Adresseregisteret shared by the support pages, the JSON lookup and the commands."""

from __future__ import annotations

import re

from django.db.models import Prefetch, Q, QuerySet

from core.limits import HER_ID_MAX

from .diagnosis import Diagnosis, diagnose_service
from .models import Organisation, ProcessChange, Service, ServiceProcess


class InvalidHerId(ValueError):
    """A HER-id that is not a positive whole number."""


def parse_her_id(raw: str) -> int:
    raw = raw.strip()
    if not re.fullmatch(r"[0-9]{1,10}", raw) or int(raw) <= 0 or int(raw) > HER_ID_MAX:
        raise InvalidHerId(f"«{raw[:40]}» er ikke en gyldig HER-id. En HER-id er et positivt heltall, f.eks. 8142519.")
    return int(raw)


def services_with_processes() -> QuerySet[Service]:
    return Service.objects.select_related("organisation").prefetch_related(
        Prefetch("processes", queryset=ServiceProcess.objects.order_by("process"))
    )


def organisations_with_services() -> QuerySet[Organisation]:
    return Organisation.objects.prefetch_related(Prefetch("services", queryset=services_with_processes()))


def registry_search(query: str) -> tuple[list[Organisation], list[Service]]:
    """Organisations and services whose HER-id is ``query`` (when numeric) or whose name contains it."""
    query = "".join(ch for ch in query if ch.isprintable()).strip()  # no NUL or other control characters
    if not query:
        return [], []
    if re.fullmatch(r"[0-9]{1,10}", query):
        her_id = int(query)
        orgs = Organisation.objects.filter(her_id=her_id)
        services = services_with_processes().filter(her_id=her_id)
    else:
        orgs = Organisation.objects.filter(Q(name__icontains=query) | Q(municipality_name__icontains=query))
        services = services_with_processes().filter(Q(name__icontains=query) | Q(organisation__name__icontains=query))
    return list(orgs), list(services)


def service_history(service: Service, limit: int = 50) -> QuerySet[ProcessChange]:
    return service.process_changes.select_related("changed_by").order_by("-changed_at", "-id")[:limit]


def diagnoses_for(services: list[Service]) -> dict[int, Diagnosis]:
    """The diagnosis of each service by its pk, also set as ``service.diagnosis`` for templates."""
    result = {}
    for service in services:
        service.diagnosis = result[service.pk] = diagnose_service(service)  # type: ignore[attr-defined]
    return result
