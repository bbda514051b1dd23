"""Reads of dialogues: what a member of staff may see, what a citizen is offered in «Din fastlege»."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from addressregistry.diagnosis import dialogue_availability
from addressregistry.models import Organisation, Service
from booking.selectors import gp_office_contact
from citizens.models import Citizen
from inbox.models import InboxMessage
from resourcebooks.models import Practitioner, StaffMembership, VikarAssignment

from . import texts
from .models import Dialogue, DialogueRoute, JournalEntry, Kind, Prescription, StaffRead, Target


def _routed_to(user, today: dt.date) -> Q:  # type: ignore[no-untyped-def]
    """The routes that reach the user, as subqueries (no query of its own): to their clinic, to them, their groups
    and their role at the route's office; as «Pasientens behandler», to the practitioner they are and to the
    fastleger they are vikar for today (source 004: the vikar sees all the fastlege has received, while set)."""
    memberships = StaffMembership.objects.filter(user_id=user.pk)
    mine = memberships.filter(practitioner__isnull=False).values("practitioner_id")
    covering = (
        VikarAssignment.objects.filter(vikar_id__in=mine, removed_at__isnull=True, valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .values("fastlege_id")
    )
    my_role = memberships.filter(organisation_id=OuterRef("dialogue__thread__organisation_id"), role=OuterRef("role"))
    routed = Q(target=Target.CLINIC) | Q(membership__user_id=user.pk) | Q(group__members__user_id=user.pk)
    routed |= Q(target="behandler") & (Q(practitioner_id__in=mine) | Q(practitioner_id__in=covering))
    return routed | Q(Q(target=Target.ROLE), Exists(my_role.exclude(role="")))


def dialogues_for_staff(user, today: dt.date | None = None) -> QuerySet[Dialogue]:  # type: ignore[no-untyped-def]
    """The dialogues routed to the user, their groups and roles, their clinic, or (as a vikar) their fastlege;
    and any they took part in or started. Other organisations' never. Unread first. One query."""
    today = today or timezone.localdate()
    qs = Dialogue.objects.select_related("thread__citizen", "thread__organisation", "fastlege")
    if not user.is_superuser:
        offices = StaffMembership.objects.filter(user_id=user.pk).values("organisation_id")
        routes = DialogueRoute.objects.filter(_routed_to(user, today), dialogue=OuterRef("pk"))
        took_part = InboxMessage.objects.filter(thread_id=OuterRef("thread_id"), staff_user_id=user.pk)
        qs = qs.filter(thread__organisation_id__in=offices).filter(
            Exists(routes) | Exists(took_part) | Q(started_by_staff_id=user.pk)
        )
    seen = StaffRead.objects.filter(dialogue=OuterRef("pk"), user_id=user.pk, read_at__gte=OuterRef("patient_wrote_at"))
    return qs.annotate(unread=~Exists(seen)).order_by("-unread", "-thread__last_message_at", "-pk")


def journal_entries_shown(user, entries: QuerySet[JournalEntry]) -> QuerySet[JournalEntry]:  # type: ignore[no-untyped-def]
    """``entries`` with ``title_shown``: whether the user may read what each is about, which is when its dialogue
    is one they may see (``dialogues_for_staff``: an e-konsultasjon only to those it was sent to). The others are
    listed as ``texts.JOURNAL_HIDDEN``, never by their title. The journal page and the admin both ask here."""
    visible = dialogues_for_staff(user).filter(pk=OuterRef("dialogue_id")).order_by()
    return entries.annotate(title_shown=Exists(visible))


@dataclass
class FastlegePanel:
    """«Din fastlege»: the fastlege and office, «Bestill time» and the dialogues the office offers, or why not."""

    person: Citizen
    office: Organisation | None
    fastlege: Practitioner | None
    service: Service | None
    booking_her_id: int | None
    missing: dict[str, str] = field(default_factory=dict)

    @property
    def offered(self) -> list[str]:
        return [k for k in (Kind.RESEPTFORNYELSE, Kind.E_KONSULTASJON, Kind.E_KONTAKT) if k not in self.missing]

    def reason(self, kind: str) -> str | None:
        return self.missing.get(kind)

    @property
    def needs_consent(self) -> bool:
        """The office offers the dialogues, but the person has not consented to digital contact."""
        return self.fastlege is not None and not self.person.digital_contact_consent


def dialogue_service(office: Organisation, fastlege: Practitioner | None) -> Service | None:
    """The AR service whose processes switch the fastlege's dialogues on and off: the service of the fastlege's
    timebook, or else the office's fastlege service."""
    if fastlege is not None:
        timebook = fastlege.timebooks.select_related("service").first()
        if timebook is not None:
            return timebook.service
    return (
        Service.objects.filter(organisation=office, service_type=Service.Type.FASTLEGE)
        .prefetch_related("processes")
        .order_by("her_id")
        .first()
    )


def fastlege_panel(person: Citizen) -> FastlegePanel:
    office, fastlege = person.gp_office, person.fastlege
    if office is None or fastlege is None or fastlege.organisation_id != office.pk:
        reason = str(texts.NO_FASTLEGE)
        return FastlegePanel(person, office, None, None, None, {k: reason for k in texts.ACTION})
    service = dialogue_service(office, fastlege)
    active = service.active_processes() if service is not None else frozenset()
    missing = {k: v for k, v in dialogue_availability(active).items() if v}
    if not person.digital_contact_consent:
        missing = {k: str(texts.NO_CONSENT_CITIZEN) for k in texts.ACTION}
    contact = gp_office_contact(person)
    booking = office.her_id if contact is not None else None
    return FastlegePanel(person, office, fastlege, service, booking, missing)


def prescriptions_of(person: Citizen) -> QuerySet[Prescription]:
    return Prescription.objects.filter(citizen=person).order_by("medication")
