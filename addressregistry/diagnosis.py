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
- a timebook that is offline is not shown; an online one with no future free slot offers nothing.

Timebook facts come from the apps that own timebooks, which register a source with
``register_timebook_source`` (this app never imports them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from .timebook_types import TimebookType

if TYPE_CHECKING:
    from .models import Service

# Process and service-type codes, as stored in ``ServiceProcess.process`` and ``Service.service_type``.
TIMEBESTILLING = "timebestilling"
TIMERESERVASJON = "timereservasjon"
RESSURSOVERSIKT = "ressursoversikt"
BEHANDLEROVERSIKT = "behandleroversikt"
RESOURCE_PROCESSES = (TIMEBESTILLING, TIMERESERVASJON, RESSURSOVERSIKT)
BOOKING_PROCESSES = frozenset({*RESOURCE_PROCESSES, BEHANDLEROVERSIKT})
PROCESS_LABEL = {
    TIMEBESTILLING: "Timebestilling",
    TIMERESERVASJON: "Timereservasjon",
    RESSURSOVERSIKT: "Ressursoversikt",
    BEHANDLEROVERSIKT: "Behandleroversikt",
}

SMITTEVERN = "smittevern"
VAKSINASJON = "vaksinasjon"
LEGEVAKT = "legevakt"
RECOMMENDED_SERVICE_TYPES = frozenset({SMITTEVERN, VAKSINASJON, LEGEVAKT})
MUNICIPALITY = "municipality"


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
    """What the diagnosis needs to know of one resource timebook (owned by ``resourcebooks``)."""

    name: str
    type: str
    id: int | None = None
    online: bool = True
    is_practitioner_timebook: bool = False
    time_type_count: int = 1
    # None when nothing is known about slots (no source has said).
    has_future_free_slot: bool | None = None
    description: str = ""

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
        return f"{self.organisation_name} {self.name}"

    def has(self, process: str) -> bool:
        return process in self.processes


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


# --- Rules ------------------------------------------------------------------------------------------


def expects_resource_booking(setup: ServiceSetup) -> bool:
    """Whether the service is meant for resource-timebook booking.

    Smittevern and Vaksinasjon are resource-timebook services by nature (sources 000 and 002); any other
    service is one as soon as it has Ressursoversikt on or timebooks attached. A Fastlege service with
    Behandleroversikt and no timebooks is ordinary practitioner booking and not judged by these rules.
    """
    return setup.service_type in {SMITTEVERN, VAKSINASJON} or setup.has(RESSURSOVERSIKT) or bool(setup.timebooks)


def _names(processes: Iterable[str]) -> str:
    labels = [PROCESS_LABEL[p] for p in processes]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " og " + labels[-1]


def rule_timebestilling(setup: ServiceSetup) -> Iterable[Finding]:
    if setup.has(TIMEBESTILLING):
        return
    if setup.processes & BOOKING_PROCESSES or setup.timebooks:
        yield Finding(
            "timebestilling_missing",
            Level.ERROR,
            "Prosessen Timebestilling er ikke aktivert. Uten den får tjenesten ingen «Bestill time»-knapp "
            "på Helsenorge, og innbyggeren finner den ikke under «Hvem vil du bestille time hos?».",
            "Aktiver Timebestilling på tjenesten.",
        )
    else:
        yield Finding(
            "no_booking",
            Level.INFO,
            "Tjenesten har ingen prosesser for timebestilling og vises ikke under «Bestill time».",
            "Skal tjenesten tilby timebestilling i ressurstimebok, aktiver Timebestilling, "
            "Timereservasjon og Ressursoversikt.",
        )


def rule_resource_processes(setup: ServiceSetup) -> Iterable[Finding]:
    if not setup.has(TIMEBESTILLING) or not expects_resource_booking(setup):
        return  # rule_timebestilling already says what is wrong
    missing = [p for p in (TIMERESERVASJON, RESSURSOVERSIKT) if not setup.has(p)]
    if not missing:
        return
    effects = []
    if RESSURSOVERSIKT in missing:
        effects.append("timebøkene ikke listes under «Hva trenger du?»")
    if TIMERESERVASJON in missing:
        effects.append("bestillingen ikke kan sendes, fordi timen ikke kan reserveres")
    yield Finding(
        "resource_processes_missing",
        Level.ERROR,
        "Timebestilling i ressurstimebok krever at Timebestilling, Timereservasjon og Ressursoversikt "
        f"alle er aktivert. Mangler: {_names(missing)}. Følgen er at " + " og ".join(effects) + ".",
        f"Aktiver {_names(missing)}.",
    )


def rule_mellomlosning(setup: ServiceSetup) -> Iterable[Finding]:
    if setup.has(BEHANDLEROVERSIKT) and expects_resource_booking(setup):
        yield Finding(
            "mellomlosning",
            Level.ERROR,
            "Behandleroversikt er aktivert på en tjeneste for ressurstimebøker (oppsettet fra "
            "«mellomløsningen»). Innbyggeren ser da en behandlerrolle, f.eks. «Helsefaglig kontakt», "
            "under «Velg behandler» i stedet for timebøkene.",
            "Slå på Ressursoversikt og Timebestilling, og slå av Behandleroversikt.",
        )


def rule_pairings(setup: ServiceSetup) -> Iterable[Finding]:
    """Sources 000 and 002: advice for municipalities, «ikke krav, men en anbefaling»."""
    if setup.organisation_kind != MUNICIPALITY or not setup.timebooks:
        return
    if setup.service_type not in RECOMMENDED_SERVICE_TYPES:
        yield Finding(
            "pairing_service",
            Level.INFO,
            "Anbefaling: ressurstimebøker i en kommune kobles til smittevern-, vaksinasjons- eller legevakttjenesten.",
            "Vurder å flytte timebøkene til en av disse tjenestene (anbefaling, ikke krav).",
        )
    for tb in setup.timebooks:
        if tb.type == TimebookType.KORONATEST and setup.service_type == LEGEVAKT:
            yield Finding(
                "koronatest_on_legevakt",
                Level.WARNING,
                f"Koronatest-timeboken «{tb.name}» ligger på legevakttjenesten. Den vises bare lokalt, "
                "ikke under «Bestill koronatest i annen kommune».",
                "Koble koronatest-timebøker til smitteverntjenesten (anbefaling, ikke krav).",
                tb.name,
            )
        elif tb.type == TimebookType.KORONATEST and setup.service_type != SMITTEVERN:
            yield Finding(
                "pairing_koronatest",
                Level.INFO,
                f"Anbefaling: timebøker av type koronatest, som «{tb.name}», kobles til smitteverntjenesten.",
                "Koble timeboken til smitteverntjenesten (anbefaling, ikke krav).",
                tb.name,
            )
        if tb.type == TimebookType.KORONAVAKSINE and setup.service_type != VAKSINASJON:
            yield Finding(
                "pairing_koronavaksine",
                Level.INFO,
                f"Anbefaling: timebøker av type koronavaksine, som «{tb.name}», kobles til vaksinasjonstjenesten.",
                "Koble timeboken til vaksinasjonstjenesten (anbefaling, ikke krav).",
                tb.name,
            )
        if tb.type != TimebookType.KORONATEST and setup.service_type == SMITTEVERN:
            yield Finding(
                "shown_in_other_municipality",
                Level.INFO,
                f"«{tb.name}» (type {tb.type_label.lower()}) ligger på smitteverntjenesten og vises derfor "
                "også under «Bestill koronatest i annen kommune», der innbyggere fra andre kommuner kan "
                "velge den.",
                "Ønsker dere ikke det, kobles timeboken til vaksinasjons- eller legevakttjenesten.",
                tb.name,
            )


def rule_timebooks(setup: ServiceSetup) -> Iterable[Finding]:
    if setup.timebooks is None:
        return
    if not setup.timebooks and setup.has(RESSURSOVERSIKT):
        yield Finding(
            "no_timebooks",
            Level.WARNING,
            "Tjenesten har Ressursoversikt, men ingen ressurstimebøker. Innbyggeren får ingenting å velge "
            "under «Hva trenger du?».",
            "Opprett en ressurstimebok på tjenesten i journalsystemet.",
        )
    for tb in setup.timebooks:
        if tb.is_practitioner_timebook:
            yield Finding(
                "resource_and_practitioner",
                Level.ERROR,
                f"«{tb.name}» er satt opp både som ressurstimebok og som behandlertimebok. Krav: man kan ikke "
                "ha ressurstimebøker brukt som ressurs og behandler. Timeboken vises ikke.",
                "Fjern behandlerkoblingen, eller bruk en egen timebok for behandleren.",
                tb.name,
            )
        if tb.time_type_count > 1:
            yield Finding(
                "multiple_time_types",
                Level.WARNING,
                f"«{tb.name}» har {tb.time_type_count} timetyper. Helsenorge støtter ikke flere timetyper på "
                "en ressursavtale: det feiler ikke, men timetypen vises blank.",
                "Bruk én timetype per timebok (ikke i kombinasjon med Hastetime eller MustCall).",
                tb.name,
            )
        if not tb.online:
            yield Finding(
                "timebook_offline",
                Level.INFO,
                f"«{tb.name}» er ikke tilgjengelig på nett og vises ikke for innbyggeren.",
                "Gjør timeboken tilgjengelig på nett når den skal kunne bestilles.",
                tb.name,
            )
        elif tb.has_future_free_slot is False and not tb.is_practitioner_timebook:
            yield Finding(
                "no_free_slots",
                Level.WARNING,
                f"«{tb.name}» er tilgjengelig på nett, men har ingen ledige timer fram i tid. Innbyggeren "
                "får beskjed om at det ikke finnes ledige timer.",
                "Publiser timer fra en ukemal.",
                tb.name,
            )


RULES: tuple[Callable[[ServiceSetup], Iterable[Finding]], ...] = (
    rule_timebestilling,
    rule_resource_processes,
    rule_mellomlosning,
    rule_timebooks,
    rule_pairings,
)


# --- What the citizen sees --------------------------------------------------------------------------


def portal_view(setup: ServiceSetup) -> PortalView:
    has_button = setup.has(TIMEBESTILLING)
    if not has_button:
        offer = Offer.NOTHING
    elif setup.has(BEHANDLEROVERSIKT):
        offer = Offer.PRACTITIONER_ROLE if expects_resource_booking(setup) else Offer.PRACTITIONER
    elif setup.has(RESSURSOVERSIKT):
        offer = Offer.TIMEBOOKS
    else:
        offer = Offer.NOTHING
    can_reserve = has_button and setup.has(TIMERESERVASJON)

    visibilities = []
    for tb in setup.timebooks or ():
        why_not = ""
        if offer is not Offer.TIMEBOOKS:
            why_not = "tjenesten viser ikke ressurstimebøker"
        elif not tb.online:
            why_not = "timeboken er ikke på nett"
        elif tb.is_practitioner_timebook:
            why_not = "timeboken er også behandlertimebok"
        listed = not why_not
        visibilities.append(
            TimebookVisibility(
                timebook=tb,
                listed=listed,
                why_not=why_not,
                local_only=listed and tb.type == TimebookType.KORONATEST and setup.service_type == LEGEVAKT,
                in_other_municipality=listed and setup.service_type == SMITTEVERN,
                type_shown_blank=tb.time_type_count > 1,
            )
        )
    visible = tuple(visibilities)

    lines: list[str] = []
    if not has_button:
        lines.append(
            "Tjenesten vises ikke under «Hvem vil du bestille time hos?», og det finnes ingen «Bestill time» for den."
        )
    else:
        lines.append(f"Tjenesten vises som «{setup.contact_name}» under «Hvem vil du bestille time hos?».")
        if offer is Offer.PRACTITIONER_ROLE:
            lines.append(
                "Etter valget ser innbyggeren en behandlerrolle (f.eks. «Helsefaglig kontakt») under "
                "«Velg behandler» i stedet for timebøkene."
            )
        elif offer is Offer.PRACTITIONER:
            lines.append("Etter valget bestiller innbyggeren time hos en behandler (ikke i ressurstimebok).")
        elif offer is Offer.NOTHING:
            lines.append("Under «Hva trenger du?» vises ingen timebøker, fordi Ressursoversikt ikke er aktivert.")
        elif setup.timebooks is None:
            lines.append("Under «Hva trenger du?» vises tjenestens ressurstimebøker.")
        else:
            names = [v.timebook.name for v in visible if v.listed]
            if names:
                lines.append("Under «Hva trenger du?» vises: " + ", ".join(f"«{n}»" for n in names) + ".")
            else:
                lines.append("Under «Hva trenger du?» vises ingen timebøker.")
            if any(v.in_other_municipality for v in visible):
                lines.append("De vises også under «Bestill koronatest i annen kommune».")
            for v in visible:
                if v.local_only:
                    lines.append(f"«{v.timebook.name}» vises bare for innbyggere i kommunen.")
                if v.listed and v.type_shown_blank:
                    lines.append(f"Timetypen til «{v.timebook.name}» vises blank.")
        if not can_reserve:
            lines.append("«Send bestilling» fører ikke fram, fordi Timereservasjon ikke er aktivert.")
    return PortalView(
        has_bestill_time=has_button,
        offer=offer,
        can_reserve=can_reserve,
        timebooks=visible,
        lines=tuple(lines),
    )


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
