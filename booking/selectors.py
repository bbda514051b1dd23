"""Reads of the patient portal: whom a citizen can book with, what, where and when.

Which contacts and timebooks appear is decided by the AR diagnosis (``PortalView``), the timebook's
who-may-book rule, and patient blocks; nothing here second-guesses the diagnosis.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone

from addressregistry.diagnosis import Diagnosis, Offer, gp_office_contact_name, portal_diagnosis
from addressregistry.models import Organisation, Service
from citizens.models import Citizen
from resourcebooks.models import Slot, Timebook, TimebookListEntry
from resourcebooks.selectors import SlotBooking

from . import texts
from .calendar_selectors import (  # noqa: F401 - the flow's views and services read them from here
    CalendarDay,
    FreeSlot,
    first_free_day,
    free_slots,
    free_slots_on,
    locations_with_free_slots,
    month_calendar,
    nearest_free_slots,
    prefetch_calendar,
)
from .gp_selectors import booking_limit, fastlege_timebook, may_book_practitioner
from .models import Appointment


@dataclass(frozen=True)
class Contact:
    """One service as a health contact: under «Hvem vil du bestille time hos?» for a municipality's service, and
    behind every step after «Hva trenger du?» (the URL carries the service's HER-id)."""

    service: Service
    diagnosis: Diagnosis

    @property
    def name(self) -> str:
        return self.service.contact_name

    @property
    def her_id(self) -> int:
        return self.service.her_id

    @property
    def label(self) -> str:
        """As step 1 lists it (and AR support's page says it): ``Service.listed_as``."""
        return self.service.listed_as

    @property
    def offer(self) -> Offer:
        return self.diagnosis.portal.offer

    @property
    def is_gp_office(self) -> bool:
        return False


@dataclass(frozen=True)
class GpOfficeContact:
    """«Ditt fastlegekontor …» (source 003 steps 3–4): the person's GP office as one contact, whose «Hva trenger
    du?» lists what all its services offer. Each service is still shown as its own diagnosis says; the URL of
    step 2 carries the office's HER-id."""

    organisation: Organisation
    services: tuple[Contact, ...]

    @property
    def name(self) -> str:
        return self.organisation.name

    @property
    def her_id(self) -> int:
        return self.organisation.her_id

    @property
    def label(self) -> str:
        """«Ditt fastlegekontor …», from the same function as AR support's «Navn hos innbyggeren»."""
        return gp_office_contact_name(self.organisation.name)

    @property
    def is_gp_office(self) -> bool:
        return True

    @property
    def main(self) -> Contact:
        """The service a «Send timeforespørsel» from step 2 goes to, and whose phone number it shows: the first
        that books in resource timebooks, else the first."""
        books = [c for c in self.services if c.offer is Offer.TIMEBOOKS]
        return (books or list(self.services))[0]


def _services() -> QuerySet[Service]:
    """Services as the flow reads them: the diagnosis comes from its cache (``portal_diagnosis``), so their
    processes are read only when it must be computed again, not prefetched on every page."""
    return Service.objects.select_related("organisation")


def _booking_contacts(services: QuerySet[Service]) -> list[Contact]:
    contacts = []
    for service in services:
        diagnosis = portal_diagnosis(service)
        if diagnosis.portal.has_bestill_time:
            contacts.append(Contact(service=service, diagnosis=diagnosis))
    return contacts


# --- Step 1 and 2: contacts and timebooks -----------------------------------------------------------


def contacts_for(person: Citizen) -> list[Contact | GpOfficeContact]:
    """The person's health contacts whose AR setup gives a «Bestill time»: «Ditt fastlegekontor …» first (all
    the GP office's such services as one contact, source 003), then each such service of their municipality."""
    contacts: list[Contact | GpOfficeContact] = []
    office = gp_office_contact(person)
    if office is not None:
        contacts.append(office)
    services = _services().filter(organisation_id=person.municipality_id).order_by("name")
    return contacts + list(_booking_contacts(services))


def gp_office_contact(person: Citizen, her_id: int | None = None) -> GpOfficeContact | None:
    """The person's GP office as one contact, if any of its services gives a «Bestill time»; with ``her_id``,
    only when that is the office's HER-id or one of those services'."""
    office = person.gp_office
    if office is None:
        return None
    contacts = _booking_contacts(_services().filter(organisation=office).order_by("name"))
    if not contacts or her_id not in {None, office.her_id, *(c.her_id for c in contacts)}:
        return None
    return GpOfficeContact(organisation=office, services=tuple(contacts))


def _own_organisations(person: Citizen) -> list[int]:
    return [person.municipality_id] + ([person.gp_office_id] if person.gp_office_id else [])


def contact_for(person: Citizen, her_id: int) -> Contact | None:
    """One of the person's services (steps 3 and on): only that service is diagnosed. Read by its HER-id (unique)
    alone, and whose it is checked here: cheaper than building the condition into the query."""
    service = next(iter(_services().filter(her_id=her_id).order_by()), None)
    if service is None or service.organisation_id not in _own_organisations(person):
        return None
    return contact_of(service)


def contact_of(service: Service) -> Contact | None:
    """The service as a contact, if its diagnosis gives a «Bestill time»."""
    diagnosis = portal_diagnosis(service)
    return Contact(service=service, diagnosis=diagnosis) if diagnosis.portal.has_bestill_time else None


def own_resource_timebook(person: Citizen, her_id: int, timebook_id: int) -> Timebook | None:
    """Steps 3 and on, in one query where it took two: the resource timebook ``timebook_id`` of the person's own
    service ``her_id``, with its service and organisation (``contact_for``'s read). Whether the person may
    book in it is not asked here: see ``timebook_listed_for``. None when there is no such timebook (then the
    steps ask as before: another municipality, a practitioner's timebook, or a 404).

    Read by its primary key alone, without the model's ordering (by organisation name: a join), and checked
    here: those conditions and that ordering cost more to build into the query than the rest of it."""
    one = Timebook.objects.filter(pk=timebook_id).select_related("service__organisation").order_by()
    timebook = next(iter(one), None)
    if timebook is None or timebook.kind != Timebook.Kind.RESOURCE or timebook.service.her_id != her_id:
        return None
    return timebook if timebook.service.organisation_id in _own_organisations(person) else None


def other_municipalities(person: Citizen) -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY).exclude(pk=person.municipality_id)


def other_municipality_contacts(municipality: Organisation) -> list[Contact]:
    """«Bestill koronatest i annen kommune»: only that municipality's Smittevern services (source 002)."""
    services = _services().filter(organisation=municipality, service_type=Service.Type.SMITTEVERN)
    contacts = []
    for service in services:
        diagnosis = portal_diagnosis(service)
        if diagnosis.portal.in_other_municipality:
            contacts.append(Contact(service=service, diagnosis=diagnosis))
    return contacts


def may_book(person: Citizen, timebook: Timebook, *, other_municipality: bool = False) -> bool:
    """The timebook's who-may-book rule; a practitioner's timebook only the fastlege's own list (source 004)."""
    if timebook.kind == Timebook.Kind.PRACTITIONER:
        return may_book_practitioner(person, timebook)
    org = timebook.service.organisation
    rule = timebook.who_may_book
    if rule == Timebook.WhoMayBook.NAMED_LIST:
        return TimebookListEntry.objects.filter(timebook=timebook, national_id=person.national_id).exists()
    if rule == Timebook.WhoMayBook.GP_LIST:
        return person.gp_office_id == org.pk
    if org.kind == Organisation.Kind.MUNICIPALITY:
        return other_municipality or person.municipality_id == org.pk
    return person.gp_office_id == org.pk


def _listed_ids(contact: Contact, *, other_municipality: bool, only: int | None) -> list[int]:
    portal = contact.diagnosis.portal
    listed = portal.in_other_municipality if other_municipality else portal.listed_timebooks
    return [tb.id for tb in listed if tb.id is not None and (only is None or tb.id == only)]


def timebook_listed_for(person: Citizen, contact: Contact, timebook: Timebook) -> bool:
    """``timebooks_for(person, contact, only=timebook.pk)`` for a resource timebook already read with its
    service and organisation (``own_resource_timebook``): the same rules, without reading it again."""
    listed = _listed_ids(contact, other_municipality=False, only=timebook.pk)
    return bool(listed) and timebook.kind == Timebook.Kind.RESOURCE and may_book(person, timebook)


def timebooks_for(
    person: Citizen, contact: Contact, *, other_municipality: bool = False, only: int | None = None
) -> list[Timebook]:
    """«Hva trenger du?»: the timebooks the diagnosis lists (or, from another municipality, those it shows
    there), that the person may book; with ``only``, just that one if it is among them (the steps after)."""
    ids = _listed_ids(contact, other_municipality=other_municipality, only=only)
    if not ids:
        return []
    # A practitioner's timebook is booked through «Konsultasjon med fastlegen», never listed by its name.
    timebooks = list(
        Timebook.objects.filter(pk__in=ids, kind=Timebook.Kind.RESOURCE, service=contact.service).order_by("name")
    )
    for timebook in timebooks:
        timebook.service = contact.service  # already read, with its organisation: not joined in again
    return [tb for tb in timebooks if may_book(person, tb, other_municipality=other_municipality)]


@dataclass(frozen=True)
class Choice:
    """One radio under «Hva trenger du?»: a resource timebook, or booking with a practitioner."""

    value: str  # the radio's value: the timebook's id, or «behandler-<the service's HER-id>»
    label: str
    service: Service
    timebook: Timebook | None = None
    description: str = ""
    unavailable: str = ""  # why it cannot be chosen (the person's limit of active bookings is reached)


PRACTITIONER_CHOICE = "behandler"


def choices_for(
    person: Citizen, contacts: Sequence[Contact], *, acting_for_other: bool = False, other_municipality: bool = False
) -> list[Choice]:
    """«Hva trenger du?» of one contact, or of «Ditt fastlegekontor» (all its services, source 003): booking with
    the practitioner first, then the timebooks by label. A timebook the person holds as many active bookings
    in as it allows is marked with why, before a slot is picked and a reason written."""
    practitioners: list[Choice] = []
    timebooks: list[tuple[Contact, Timebook]] = []
    name = person.full_name if acting_for_other else None
    for contact in contacts:
        if contact.offer in (Offer.PRACTITIONER, Offer.PRACTITIONER_ROLE):
            label = texts.practitioner_choice_label(contact.service, role=contact.offer is Offer.PRACTITIONER_ROLE)
            value = f"{PRACTITIONER_CHOICE}-{contact.her_id}"
            full = _fastlege_limit_reached(person, contact, name) if contact.offer is Offer.PRACTITIONER else ""
            practitioners.append(Choice(value, label, contact.service, unavailable=full))
        timebooks += [(contact, tb) for tb in timebooks_for(person, contact, other_municipality=other_municipality)]
    active = active_counts(person, [tb for _, tb in timebooks])
    labels = texts.timebook_choice_labels([tb for _, tb in timebooks])
    books = [
        Choice(
            str(tb.pk),
            label,
            contact.service,
            timebook=tb,
            description=tb.description,
            unavailable=(
                texts.booking_limit_reached(active[tb.pk], name=name)
                if active.get(tb.pk, 0) >= tb.max_active_bookings
                else ""
            ),
        )
        for (contact, tb), label in zip(timebooks, labels, strict=True)
    ]
    return practitioners + sorted(books, key=lambda c: c.label)


def _fastlege_limit_reached(person: Citizen, contact: Contact, name: str | None) -> str:
    """Why «Konsultasjon med fastlegen» cannot be chosen: the person holds as many active bookings in the fastlege's
    timebook as the office allows. Said here, as a resource timebook's limit is, not first at «Send bestilling»."""
    timebook = fastlege_timebook(person, contact.service.organisation_id)
    if timebook is None:
        return ""
    active = active_count(person, timebook)
    return texts.booking_limit_reached(active, name=name) if active >= booking_limit(timebook) else ""


# --- Step 3 and 4: places, the calendar and the day's slots: booking/calendar_selectors.py (cached) ---------


# --- Timeavtaler and Innboks --------------------------------------------------------------------------


def appointments_visible(person: Citizen, viewer: Citizen) -> QuerySet[Appointment]:
    """The person's appointments as ``viewer`` may see them: hidden ones only to the person."""
    qs = Appointment.objects.filter(citizen=person).select_related(
        "slot__timebook__service__organisation", "slot__location", "slot__time_type", "booked_by", "behandler"
    )
    if viewer.pk != person.pk:
        qs = qs.exclude(hidden=True)
    return qs


@dataclass(frozen=True)
class Timeavtaler:
    """The lists of *Timeavtaler*: what is coming, what was cancelled or not granted, and what has been."""

    upcoming: list[Appointment]  # requested or assigned, not over yet
    cancelled: list[Appointment]  # «Avbestilt», «Avlyst» or «Avvist», not over yet
    past: list[Appointment]  # over, whatever became of them (newest first, at most 50)


def timeavtaler(person: Citizen, viewer: Citizen) -> Timeavtaler:
    """A moved appointment is left out: the one that replaced it is shown."""
    now = timezone.now()
    shown = appointments_visible(person, viewer).exclude(status=Appointment.Status.MOVED)
    # Which appointments, then the appointments: a query over six joined tables costs more to build than to
    # run, so it is built once, for what is shown, and not at all for a citizen with none (most of them).
    order = list(shown.select_related(None).order_by("slot__start", "pk").values_list("pk", "slot__end"))
    coming_ids = [pk for pk, end in order if end >= now]
    past_ids = [pk for pk, end in reversed(order) if end < now][:50]
    found = shown.order_by().in_bulk(coming_ids + past_ids) if order else {}
    coming = [found[pk] for pk in coming_ids if pk in found]  # «in»: one deleted in between is left out
    return Timeavtaler(
        upcoming=[a for a in coming if a.status in Appointment.ACTIVE],
        cancelled=[a for a in coming if a.status not in Appointment.ACTIVE],
        past=[found[pk] for pk in past_ids if pk in found],
    )


def _active_bookings(person: Citizen) -> QuerySet[Appointment]:
    """What counts against a timebook's «maks aktive bestillinger per innbygger»."""
    return Appointment.objects.filter(citizen=person, status__in=Appointment.ACTIVE, slot__start__gt=timezone.now())


def active_count(person: Citizen, timebook: Timebook) -> int:
    return _active_bookings(person).filter(slot__timebook=timebook).count()


def active_counts(person: Citizen, timebooks: Sequence[Timebook]) -> dict[int, int]:
    """``active_count`` for several timebooks in one query (timebooks with none are left out)."""
    rows = (
        _active_bookings(person)
        .filter(slot__timebook__in=timebooks)
        .order_by()
        .values_list("slot__timebook")
        .annotate(n=Count("pk"))
    )
    return dict(rows)


def appointment_bookings(slots: list[Slot]) -> dict[int, SlotBooking]:
    """For the clinic's day and week: the active appointment of each slot (who, reason, status, link)."""
    active = Appointment.objects.filter(slot__in=slots, status__in=Appointment.ACTIVE).select_related(
        "citizen", "booked_by", "behandler"
    )
    result = {}
    for a in active:
        who = f"{a.citizen.full_name} ({a.citizen.masked_national_id})"
        if a.booked_by_id != a.citizen_id:
            who += f", bestilt av {a.booked_by.full_name}"
        if a.hidden:
            who += " – skjult time"
        url = reverse("admin:booking_appointment_change", args=[a.pk])
        behandler = a.behandler.listed_name if a.behandler is not None else ""
        result[a.slot_id] = SlotBooking(
            who=who, reason=a.reason, status=a.get_status_display(), url=url, behandler=behandler
        )
    return result


def received(citizen: Citizen, channel: str, limit: int = 100) -> list[Any]:
    """The notifications a citizen has received on one channel, newest first."""
    from notifications.models import Notification

    return list(
        Notification.objects.filter(
            recipient_key=f"citizen:{citizen.pk}", channel=channel, state=Notification.State.SENT
        ).order_by("-sent_at")[:limit]
    )
