"""The AR setup diagnosis: why *Bestill time* does or does not appear for a service, and what the citizen sees.

Everything here is a pure function over plain values (``ServiceSetup`` in, ``Diagnosis`` out), so the
rules can be tested without a database and the same result drives both the NHN support page and the
patient portal: the two can never disagree.

The rules come from the sources (000 «Oppsett i Adresseregisteret», 002 «Mer om oppsett» and the
«mellomløsning» migration):

- without Timebestilling there is no «Bestill time» for the service;
- resource-timebook booking needs Timebestilling + Timereservasjon + Ressursoversikt;
- Behandleroversikt on a resource-timebook service shows a practitioner role instead of the timebooks;
- recommended pairings (advice, not requirements) for municipalities: Smittevern ↔ koronatest,
  Vaksinasjon ↔ koronavaksine, Legevakt ↔ the other types; koronatest on Legevakt is shown only
  locally, and every timebook under Smittevern also appears in «Bestill koronatest i annen kommune»;
- a resource timebook cannot also be a practitioner timebook;
- several time types on one timebook make the type show as blank;
- a timebook that is offline is not shown; an online one with no future free slot offers nothing;
- (source 004) on a fastlege's service, each of E-kontakt, E-konsultasjon and Reseptfornyelse gives the
  citizen «Kontakt legekontoret», «Start e-konsultasjon» and «Forny resept» (``dialogue_availability``); with
  all of them and Timebestilling off, the «fastlegepanelet» disappears for the patient.

Timebook facts come from the apps that own timebooks, which answer ``addressregistry.signals.timebooks_asked``
(this app never imports them).
"""

from . import facts
from .dialogue_rules import DIALOGUE_ACTION, dialogue_availability
from .facts import *  # noqa: F403  (the vocabulary, listed in facts.__all__)
from .portal import portal_view
from .rules import RULES, expects_resource_booking
from .service import (
    PORTAL_CACHE_SECONDS,
    SETUP_VERSION_KEY,
    diagnose,
    diagnose_service,
    portal_diagnosis,
    setup_changed,
    setup_for_service,
)

__all__ = [
    *facts.__all__,
    "DIALOGUE_ACTION",
    "PORTAL_CACHE_SECONDS",
    "RULES",
    "SETUP_VERSION_KEY",
    "diagnose",
    "diagnose_service",
    "dialogue_availability",
    "expects_resource_booking",
    "portal_diagnosis",
    "portal_view",
    "setup_changed",
    "setup_for_service",
]
