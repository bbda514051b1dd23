from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from dialogues.models import (
    Dialogue,
    DialogueRoute,
    JournalEntry,
    Prescription,
    RoutingAbsence,
    RoutingRecipient,
    RoutingSetting,
    StaffRead,
    Target,
)
from inbox.models import Thread
from tests.factories.addressregistry import OrganisationFactory
from tests.factories.citizens import CitizenFactory
from tests.factories.inbox import ThreadFactory
from tests.factories.resourcebooks import PractitionerFactory, StaffMembershipFactory
from tests.factories.users import UserFactory


class RoutingSettingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoutingSetting

    organisation = factory.SubFactory(OrganisationFactory, kind="gp_office")
    kind = Thread.Kind.E_KONTAKT
    mode = RoutingSetting.Mode.FIXED


class RoutingRecipientFactory(factory.django.DjangoModelFactory):
    """«Hele klinikken» unless told otherwise (the one target that needs no other field)."""

    class Meta:
        model = RoutingRecipient

    setting = factory.SubFactory(RoutingSettingFactory)
    target = Target.CLINIC


class RoutingAbsenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoutingAbsence

    fastlege = factory.SubFactory(PractitionerFactory)
    substitute = factory.SubFactory(
        StaffMembershipFactory, organisation=factory.SelfAttribute("..fastlege.organisation")
    )
    valid_to = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))


class PrescriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prescription

    citizen = factory.SubFactory(CitizenFactory)
    medication = "Levaxin"
    strength = "50 mikrog"
    prescribed_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=100))


class DialogueFactory(factory.django.DjangoModelFactory):
    """Rows only; a dialogue as a citizen sends it is ``dialogues.services.dialogue_start``."""

    class Meta:
        model = Dialogue

    thread = factory.SubFactory(ThreadFactory)


class DialogueRouteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DialogueRoute

    dialogue = factory.SubFactory(DialogueFactory)
    target = Target.CLINIC


class StaffReadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffRead

    dialogue = factory.SubFactory(DialogueFactory)
    user = factory.SubFactory(UserFactory)


class JournalEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JournalEntry

    dialogue = factory.SubFactory(DialogueFactory)
    citizen = factory.SelfAttribute("dialogue.thread.citizen")
    organisation = factory.SelfAttribute("dialogue.thread.organisation")
    title = "E-kontakt"
