"""A GP office whose fastlege offers all three dialogues (source 004), with its staff: the fastlege as a user,
a helsesekretær in the group «Resepsjonen», a nurse, and a member of another organisation. Holds no tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from addressregistry.diagnosis.facts import DIALOGUE_PROCESSES
from addressregistry.services import service_processes_apply
from citizens.models import Citizen
from dialogues.models import Dialogue, Kind, Prescription
from dialogues.selectors import dialogues_for_staff
from dialogues.services import dialogue_start
from resourcebooks.models import StaffGroup, StaffMembership
from tests.addressregistry.factories import OrganisationFactory
from tests.booking.gp_support import PRACTITIONER_PROCESSES, GpOffice, gp_office
from tests.conftest import UserFactory
from tests.resourcebooks.factories import StaffMembershipFactory

Role = StaffMembership.Role


@dataclass
class Clinic:
    gp: GpOffice
    doctor: Any  # the fastlege's user
    secretary: Any  # helsesekretær, in «Resepsjonen»
    nurse: Any  # sykepleier
    outsider: Any  # staff of another GP office
    reception: StaffGroup

    @property
    def citizen(self) -> Citizen:
        return self.gp.citizen

    def member(self, user: Any) -> StaffMembership:
        return StaffMembership.objects.get(user=user, organisation=self.gp.office)

    def staff(self, role: str = Role.LEGE, practitioner: Any = None, name: str = "Ansatt") -> Any:
        return StaffMembershipFactory(
            organisation=self.gp.office, role=role, practitioner=practitioner, user__first_name=name
        ).user

    def prescription(self, citizen: Citizen | None = None, medication: str = "Levaxin") -> Prescription:
        return Prescription.objects.create(
            citizen=citizen or self.citizen,
            medication=medication,
            strength="50 mikrog",
            prescribed_on=timezone.localdate() - dt.timedelta(days=100),
        )

    def send(self, kind: str = Kind.E_KONTAKT, *, person: Citizen | None = None, **fields: Any) -> Dialogue:
        person = person or self.citizen
        if kind == Kind.RESEPTFORNYELSE and "prescription_ids" not in fields:
            fields["prescription_ids"] = [self.prescription(person).pk]
        fields.setdefault("written_by", person)
        fields.setdefault("subject", "Spørsmål")
        fields.setdefault("body", "Hei, jeg lurer på noe.")
        return dialogue_start(person=person, kind=kind, **fields)


def clinic() -> Clinic:
    gp = gp_office()
    service_processes_apply(service=gp.service, active=(*PRACTITIONER_PROCESSES, *DIALOGUE_PROCESSES), changed_by=None)
    Citizen.objects.filter(pk=gp.citizen.pk).update(
        phone="+4741234567", email="thomas@example.test", notify_sms=True, notify_email=True, notify_push=True
    )
    gp.citizen.refresh_from_db()
    doctor = StaffMembershipFactory(
        organisation=gp.office, role=Role.LEGE, practitioner=gp.fastlege, user__first_name="August"
    ).user
    secretary_membership = StaffMembershipFactory(
        organisation=gp.office, role=Role.HELSESEKRETAER, user__first_name="Lars"
    )
    nurse = StaffMembershipFactory(organisation=gp.office, role=Role.SYKEPLEIER, user__first_name="Siri").user
    reception = StaffGroup.objects.create(organisation=gp.office, name="Resepsjonen")
    reception.members.add(secretary_membership)
    other = OrganisationFactory(kind=gp.office.kind, name="Annet legekontor")
    outsider = StaffMembershipFactory(organisation=other, role=Role.LEGE, user__first_name="Kommune").user
    return Clinic(gp, doctor, secretary_membership.user, nurse, outsider, reception)


def visible(user: Any, today: dt.date | None = None) -> set[int]:
    return set(dialogues_for_staff(user, today).values_list("pk", flat=True))


__all__ = ["Clinic", "UserFactory", "clinic", "visible"]
