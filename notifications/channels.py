"""Delivery channels behind one interface: e-mail through Django's e-mail backend, SMS through a gateway
adapter, push to the simulated Helsenorge app feed.

In the simulator the SMS gateway and the app feed "deliver" by recording the row as sent: the citizen's
phone page and app feed read the sent rows. ``SIMULATED_FAILURES`` (settings) makes a channel fail, to
train and test retries.
"""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage

from .models import Notification


class ChannelError(Exception):
    """The channel could not deliver now; the notification is retried."""


class Channel(Protocol):
    def send(self, notification: Notification) -> None: ...


def _simulated_failure(channel: str) -> None:
    if channel in getattr(settings, "NOTIFICATION_SIMULATED_FAILURES", ()):
        raise ChannelError(f"Simulert feil i kanalen {channel}")


class EmailChannel:
    def send(self, notification: Notification) -> None:
        _simulated_failure("email")
        message = EmailMessage(
            subject=notification.subject or "Melding fra Helsenorge",
            body=notification.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notification.address],
        )
        try:
            message.send(fail_silently=False)
        except OSError as exc:  # SMTP connection and protocol errors
            raise ChannelError(f"E-post kunne ikke sendes: {exc}") from exc


class SmsGatewayChannel:
    def send(self, notification: Notification) -> None:
        _simulated_failure("sms")
        if not notification.address:
            raise ChannelError("Mangler mobilnummer")


class AppPushChannel:
    def send(self, notification: Notification) -> None:
        _simulated_failure("push")


CHANNELS: dict[str, Channel] = {
    Notification.Channel.EMAIL: EmailChannel(),
    Notification.Channel.SMS: SmsGatewayChannel(),
    Notification.Channel.PUSH: AppPushChannel(),
}
