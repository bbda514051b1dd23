"""The diagnosis's vocabulary: process and service-type codes, what it knows of a service, and what it says."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ..contact_names import GP_OFFICE, contact_name, gp_office_contact_name
from ..timebook_types import TimebookType

# Process and service-type codes, as stored in ``ServiceProcess.process`` and ``Service.service_type``.
TIMEBESTILLING = "timebestilling"
TIMERESERVASJON = "timereservasjon"
RESSURSOVERSIKT = "ressursoversikt"
BEHANDLEROVERSIKT = "behandleroversikt"
E_KONTAKT = "e_kontakt"
E_KONSULTASJON = "e_konsultasjon"
RESEPTFORNYELSE = "reseptfornyelse"
# The dialogues a fastlege offers in the citizen's «Din fastlege» panel, each switched on by its own AR process.
DIALOGUE_PROCESSES = (E_KONTAKT, E_KONSULTASJON, RESEPTFORNYELSE)
RESOURCE_PROCESSES = (TIMEBESTILLING, TIMERESERVASJON, RESSURSOVERSIKT)
BOOKING_PROCESSES = frozenset({*RESOURCE_PROCESSES, BEHANDLEROVERSIKT})
PROCESS_LABEL = {
    TIMEBESTILLING: "Timebestilling",
    TIMERESERVASJON: "Timereservasjon",
    RESSURSOVERSIKT: "Ressursoversikt",
    BEHANDLEROVERSIKT: "Behandleroversikt",
    E_KONTAKT: "E-kontakt",
    E_KONSULTASJON: "E-konsultasjon",
    RESEPTFORNYELSE: "Reseptfornyelse",
}

SMITTEVERN = "smittevern"
VAKSINASJON = "vaksinasjon"
LEGEVAKT = "legevakt"
FASTLEGE = "fastlege"
RECOMMENDED_SERVICE_TYPES = frozenset({SMITTEVERN, VAKSINASJON, LEGEVAKT})
MUNICIPALITY = "municipality"
# A fastlege's own service: «Bestill time» (Timebestilling), the booking reserved in the EPJ (Timereservasjon)
# and the practitioners to choose among under «Velg behandler» (Behandleroversikt). Ressursoversikt is for
# resource timebooks and has no part in it (sources 000, 003, 004).
PRACTITIONER_PROCESSES = (TIMEBESTILLING, TIMERESERVASJON, BEHANDLEROVERSIKT)

# Timebook kinds and practitioner roles: the diagnosis' words, which ``resourcebooks`` stores as the values of
# ``Timebook.Kind`` and ``Practitioner.Role`` (it imports them from here; this app never imports it).
RESOURCE_TIMEBOOK = "resource"
PRACTITIONER_TIMEBOOK = "practitioner"
ROLE_FASTLEGE = "fastlege"
ROLE_VIKAR = "vikar"
ROLE_LIS1 = "lis1"


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "Feil", "warning": "Advarsel", "info": "Til informasjon"}[self.value]

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


class Offer(StrEnum):
    """What the citizen is offered after choosing the service under «Hvem vil du bestille time hos?»."""

    TIMEBOOKS = "timebooks"  # the resource timebooks, under «Hva trenger du?»
    PRACTITIONER_ROLE = "practitioner_role"  # the «mellomløsning» symptom: a role instead of timebooks
    PRACTITIONER = "practitioner"  # ordinary booking with a practitioner (fastlege)
    NOTHING = "nothing"


@dataclass(frozen=True)
class TimebookFacts:
    """What the diagnosis needs to know of one timebook (owned by ``resourcebooks``): a resource timebook, or a
    practitioner's own (``kind`` «practitioner», with its owner's role and how many timebooks the owner has)."""

    name: str
    type: str
    id: int | None = None
    online: bool = True
    is_practitioner_timebook: bool = False
    time_type_count: int = 1
    # None when nothing is known about slots (no source has said).
    has_future_free_slot: bool | None = None
    description: str = ""
    kind: str = RESOURCE_TIMEBOOK
    practitioner_name: str = ""
    practitioner_role: str = ""
    owner_timebook_count: int = 0
    # The names of the timebook's time types that are not online, and how many of them are.
    offline_time_types: tuple[str, ...] = ()
    online_time_type_count: int = 1
    # A fastlege's timebook: whom «Velg behandler» lists today («August (Ddf - Tri) September (fastlege)», then
    # the vikarer set on him), and whether the office's journal system supports the vikar solution (sources 003
    # and 004 disagree: it is the office's setting). Empty: nobody said.
    behandlere: tuple[str, ...] = ()
    vikar_solution: bool = True

    @property
    def behandler_radios(self) -> list[dict[str, Any]]:
        """«Velg behandler» as the citizen's form draws it (``templates/partials/velg_behandler.html``): the
        fastlege first and chosen, then the vikarer."""
        names = self.behandlere or ((f"{self.practitioner_name} (fastlege)",) if self.practitioner_name else ())
        return [{"data": {"value": i, "selected": i == 0}, "choice_label": name} for i, name in enumerate(names)]

    @property
    def is_resource(self) -> bool:
        return self.kind == RESOURCE_TIMEBOOK

    @property
    def is_practitioner_owned(self) -> bool:
        return self.kind == PRACTITIONER_TIMEBOOK

    @property
    def bookable_by_fastlege_patients(self) -> bool:
        """A fastlege's only timebook, online, with at least one time type online (source 004)."""
        return (
            self.is_practitioner_owned
            and self.practitioner_role == ROLE_FASTLEGE
            and self.owner_timebook_count <= 1
            and self.online
            and self.online_time_type_count > 0
        )

    @property
    def type_label(self) -> str:
        return str(TimebookType(self.type).label) if self.type in TimebookType.values else self.type


@dataclass(frozen=True)
class ServiceSetup:
    her_id: int
    name: str
    service_type: str
    organisation_name: str
    organisation_kind: str
    processes: frozenset[str]
    # None when no timebook source is registered: the timebook rules are then not applied.
    timebooks: tuple[TimebookFacts, ...] | None = None

    @property
    def contact_name(self) -> str:
        return contact_name(self.organisation_name, self.organisation_kind, self.name)

    def has(self, process: str) -> bool:
        return process in self.processes

    @property
    def resource_timebooks(self) -> tuple[TimebookFacts, ...]:
        return tuple(tb for tb in self.timebooks or () if tb.is_resource)

    @property
    def practitioner_timebooks(self) -> tuple[TimebookFacts, ...]:
        return tuple(tb for tb in self.timebooks or () if tb.is_practitioner_owned)


@dataclass(frozen=True)
class Finding:
    code: str
    level: Level
    message: str
    fix: str = ""
    timebook: str = ""


@dataclass(frozen=True)
class TimebookVisibility:
    timebook: TimebookFacts
    listed: bool
    why_not: str = ""
    local_only: bool = False
    in_other_municipality: bool = False
    type_shown_blank: bool = False


@dataclass(frozen=True)
class PortalView:
    """What the patient portal shows for one service. The portal must decide from this and nothing else."""

    has_bestill_time: bool
    offer: Offer
    can_reserve: bool
    timebooks: tuple[TimebookVisibility, ...] = ()
    lines: tuple[str, ...] = ()

    @property
    def listed_timebooks(self) -> tuple[TimebookFacts, ...]:
        return tuple(v.timebook for v in self.timebooks if v.listed)

    @property
    def in_other_municipality(self) -> tuple[TimebookFacts, ...]:
        return tuple(v.timebook for v in self.timebooks if v.listed and v.in_other_municipality)


@dataclass(frozen=True)
class Diagnosis:
    setup: ServiceSetup
    findings: tuple[Finding, ...]
    portal: PortalView
    codes: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "codes", frozenset(f.code for f in self.findings))

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.level is Level.ERROR)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    @property
    def worst_level(self) -> Level | None:
        return self.findings[0].level if self.findings else None


__all__ = [
    "BEHANDLEROVERSIKT",
    "BOOKING_PROCESSES",
    "DIALOGUE_PROCESSES",
    "E_KONSULTASJON",
    "E_KONTAKT",
    "FASTLEGE",
    "GP_OFFICE",
    "LEGEVAKT",
    "MUNICIPALITY",
    "PRACTITIONER_PROCESSES",
    "PRACTITIONER_TIMEBOOK",
    "PROCESS_LABEL",
    "RECOMMENDED_SERVICE_TYPES",
    "RESEPTFORNYELSE",
    "RESOURCE_PROCESSES",
    "RESOURCE_TIMEBOOK",
    "RESSURSOVERSIKT",
    "ROLE_FASTLEGE",
    "ROLE_LIS1",
    "ROLE_VIKAR",
    "SMITTEVERN",
    "TIMEBESTILLING",
    "TIMERESERVASJON",
    "VAKSINASJON",
    "Diagnosis",
    "Finding",
    "Level",
    "Offer",
    "PortalView",
    "ServiceSetup",
    "TimebookFacts",
    "TimebookVisibility",
    "contact_name",
    "gp_office_contact_name",
]
