from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from booking.models import Appointment, CampaignRecipient, InvitationCampaign, SlotHold, TimeRequest
from tests.factories.addressregistry import ServiceFactory
from tests.factories.citizens import CitizenFactory
from tests.factories.resourcebooks import SlotFactory, TimebookFactory
from video.models import VideoSignal


class AppointmentFactory(factory.django.DjangoModelFactory):
    """An appointment on a slot, booked by the citizen themself. Rows only: the slot's state is the caller's."""

    class Meta:
        model = Appointment

    slot = factory.SubFactory(SlotFactory)
    citizen = factory.SubFactory(CitizenFactory)
    booked_by = factory.SelfAttribute("citizen")
    reason = "Influensavaksine"


class TimeRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimeRequest

    service = factory.SubFactory(ServiceFactory)
    citizen = factory.SubFactory(CitizenFactory)
    booked_by = factory.SelfAttribute("citizen")
    subject = "Time hos fastlegen"
    suggested_times = "Formiddag"


class InvitationCampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InvitationCampaign

    timebook = factory.SubFactory(TimebookFactory)
    born_from = 1950
    born_to = 1970
    text = "Du kan nå bestille time til influensavaksine."


class CampaignRecipientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignRecipient

    campaign = factory.SubFactory(InvitationCampaignFactory)
    citizen = factory.SubFactory(CitizenFactory)


class VideoSignalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VideoSignal

    appointment = factory.SubFactory(AppointmentFactory)
    sender = VideoSignal.Sender.PATIENT
    kind = VideoSignal.Kind.JOIN


class SlotHoldFactory(factory.django.DjangoModelFactory):
    """A hold of five minutes. Rows only: the slot's ``on_hold`` state is the caller's."""

    class Meta:
        model = SlotHold

    slot = factory.SubFactory(SlotFactory)
    timebook = factory.SelfAttribute("slot.timebook")
    citizen = factory.SubFactory(CitizenFactory)
    held_by = factory.SelfAttribute("citizen")
    created_at = factory.LazyFunction(timezone.now)
    until = factory.LazyAttribute(lambda o: o.created_at + dt.timedelta(minutes=5))
