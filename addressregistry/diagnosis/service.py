"""The diagnosis of a stored service, and its cache for the patient portal."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..models import Service

from .facts import (
    Diagnosis,
    ServiceSetup,
    TimebookFacts,
)
from .portal import portal_view
from .rules import RULES


def diagnose(setup: ServiceSetup) -> Diagnosis:
    findings = [f for rule in RULES for f in rule(setup)]
    findings.sort(key=lambda f: f.level.rank)  # stable: rule order kept within a level
    return Diagnosis(setup=setup, findings=tuple(findings), portal=portal_view(setup))


# --- From the database ------------------------------------------------------------------------------

TimebookSource = Callable[["Service"], Iterable[TimebookFacts]]
_timebook_sources: list[TimebookSource] = []


def register_timebook_source(source: TimebookSource) -> None:
    """Let an app that owns timebooks tell the diagnosis about them (called from its ``AppConfig.ready``)."""
    if source not in _timebook_sources:
        _timebook_sources.append(source)


def setup_for_service(service: Service) -> ServiceSetup:
    timebooks: tuple[TimebookFacts, ...] | None = None
    if _timebook_sources:
        timebooks = tuple(tb for source in _timebook_sources for tb in source(service))
    return ServiceSetup(
        her_id=service.her_id,
        name=service.name,
        service_type=service.service_type,
        organisation_name=service.organisation.name,
        organisation_kind=service.organisation.kind,
        processes=service.active_processes(),
        timebooks=timebooks,
    )


def diagnose_service(service: Service) -> Diagnosis:
    return diagnose(setup_for_service(service))


# --- Cached for the patient portal --------------------------------------------------------------------

SETUP_VERSION_KEY = "ar:setup-version"
PORTAL_CACHE_SECONDS = 60


def setup_changed() -> None:
    """Call after anything the diagnosis reads changes (a process, a timebook): cached diagnoses are dropped."""
    from django.core.cache import cache

    try:
        cache.incr(SETUP_VERSION_KEY)
    except ValueError:
        cache.set(SETUP_VERSION_KEY, 2, None)


def portal_diagnosis(service: Service) -> Diagnosis:
    """The diagnosis for the patient portal, cached until the setup changes (and at most a minute, so that
    "has a future free slot", which only the support page's findings use, is never far behind).

    Every booking step needs it; computing it costs a query per timebook source. The version key makes a
    support user's change visible to citizens at once.
    """
    from django.core.cache import cache

    version = cache.get_or_set(SETUP_VERSION_KEY, 1, None)
    key = f"ar:diagnosis:{service.pk}:{service.her_id}:{version}"
    diagnosis = cache.get(key)
    if diagnosis is None:
        diagnosis = diagnose_service(service)
        cache.set(key, diagnosis, PORTAL_CACHE_SECONDS)
    return diagnosis
