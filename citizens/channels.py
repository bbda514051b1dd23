"""Where Helsenorge reaches a citizen: the channels they chose, on the addresses they gave (booking's and
dialogues' notifications alike)."""

from __future__ import annotations

from notifications.models import Notification

from .models import Citizen


def portal_channels(recipient: Citizen) -> list[tuple[str, str]]:
    """The (channel, address) pairs Helsenorge notifies a citizen on: those they chose and can be reached on."""
    wanted = [
        (Notification.Channel.SMS, recipient.phone, recipient.notify_sms),
        (Notification.Channel.EMAIL, recipient.email, recipient.notify_email),
        (Notification.Channel.PUSH, "app", recipient.notify_push),
    ]
    return [(channel, address) for channel, address, on in wanted if on and address]
