"""The diagnosis of a stored service, and its cache for the patient portal."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from ..models import Service

from ..signals import timebooks_asked
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


def setup_for_service(service: Service) -> ServiceSetup:
    """The service's AR setup, with its timebooks as the apps that own them answer ``signals.timebooks_asked``
    (None, unknown, when no such app is installed)."""
    timebooks: tuple[TimebookFacts, ...] | None = None
    answers = timebooks_asked.send(sender=type(service), service=service)
    if answers:
        timebooks = tuple(tb for _receiver, facts in answers for tb in cast(Iterable[TimebookFacts], facts))
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
# Kept in this process too, a few seconds: every booking page of every citizen asks for the same few services,
# and unpickling the diagnosis from Redis on each costs more than the rest of the lookup. The version is still
# read from Redis on every call, so a support user's change reaches this process at once.
LOCAL_SECONDS = 10
LOCAL_MAX = 256
_local: dict[str, tuple[float, Diagnosis]] = {}


def _new_version() -> int:
    """A version never used before (microseconds of the clock), so that a counter that was lost (Redis flushed
    or restarted) cannot start again at a number a process still has entries under."""
    return time.time_ns() // 1000


def setup_changed() -> None:
    """Call after anything the diagnosis reads changes (a process, a timebook): cached diagnoses are dropped."""
    from django.core.cache import cache

    try:
        cache.incr(SETUP_VERSION_KEY)
    except ValueError:
        cache.add(SETUP_VERSION_KEY, _new_version(), None)


def _setup_version() -> int | None:
    """The current version; None when the cache cannot say (Redis down): then nothing cached is trusted."""
    from django.core.cache import cache

    version = cache.get(SETUP_VERSION_KEY)
    if version is None:
        cache.add(SETUP_VERSION_KEY, _new_version(), None)
        version = cache.get(SETUP_VERSION_KEY)
    return int(version) if version is not None else None


def portal_diagnosis(service: Service) -> Diagnosis:
    """The diagnosis for the patient portal, cached until the setup changes (and at most a minute, so that
    "has a future free slot", which only the support page's findings use, is never far behind).

    Every booking step needs it; computing it costs a query per timebook source. The version key makes a
    support user's change visible to citizens at once.
    """
    from django.core.cache import cache

    version = _setup_version()
    if version is None:
        return diagnose_service(service)
    key = f"ar:diagnosis:{service.pk}:{service.her_id}:{version}"
    now = time.monotonic()
    local = _local.get(key)
    if local is not None and local[0] > now:
        return local[1]
    diagnosis = cache.get(key)
    if diagnosis is None:
        diagnosis = diagnose_service(service)
        cache.set(key, diagnosis, PORTAL_CACHE_SECONDS)
    if len(_local) >= LOCAL_MAX:
        _local.clear()
    _local[key] = (now + LOCAL_SECONDS, diagnosis)
    return diagnosis  # type: ignore[no-any-return]
