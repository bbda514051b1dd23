from __future__ import annotations

import factory

from notifications.models import Notification


class NotificationFactory(factory.django.DjangoModelFactory):
    """A pending SMS in the outbox."""

    class Meta:
        model = Notification

    dedupe_key = factory.Sequence(lambda n: f"test:{n}")
    recipient_key = "citizen:0"
    recipient_name = "Kari Nordmann"
    address = "+4741234567"
    channel = Notification.Channel.SMS
    event = Notification.Event.CONFIRMED
    text = "Kari, du har fått time."
