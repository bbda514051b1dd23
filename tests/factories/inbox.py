from __future__ import annotations

import factory

from inbox.models import Attachment, InboxMessage, Thread
from tests.factories.addressregistry import OrganisationFactory
from tests.factories.citizens import CitizenFactory


class ThreadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Thread

    citizen = factory.SubFactory(CitizenFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    kind = Thread.Kind.E_KONTAKT
    subject = "Spørsmål"


class InboxMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InboxMessage

    citizen = factory.SubFactory(CitizenFactory)
    kind = InboxMessage.Kind.NEW_APPOINTMENT
    sender = "Helsenorge kommune"
    subject = "Ny timeavtale"
    body = "Du har fått time."


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment

    message = factory.SubFactory(InboxMessageFactory)
    name = "vedlegg.pdf"
    content_type = "application/pdf"
    data = b"%PDF-1.4 test"
    size = factory.LazyAttribute(lambda o: len(o.data))
