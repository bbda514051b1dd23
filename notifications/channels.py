"""Delivery channels behind one interface: e-mail through Django's e-mail backend, SMS through a gateway
adapter, push to the simulated Helsenorge app feed.

In the simulator the SMS gateway and the app feed "deliver" by recording the row as sent: the citizen's
phone page and app feed read the sent rows, one per row, so a repeat of the same ``message_id`` (the
idempotency key every channel is given) can never show twice. ``SIMULATED_FAILURES`` (settings) makes a
channel fail, to train and test retries.
"""

from __future__ import annotations

import smtplib
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from .models import Notification


class ChannelError(Exception):
    """The channel could not deliver now, and has not taken the message; the notification is retried."""


class ChannelUncertain(Exception):
    """The handover broke off midway (a timeout, a dropped connection after the message was given): the
    receiver may have it. Never retried by itself, so never sent twice."""


class Channel(Protocol):
    def send(self, notification: Notification) -> None: ...


def _simulated_failure(channel: str) -> None:
    if channel in getattr(settings, "NOTIFICATION_SIMULATED_FAILURES", ()):
        raise ChannelError(f"Simulert feil i kanalen {channel}")


class EmailChannel:
    """E-mail by SMTP (``EMAIL_TIMEOUT`` bounds every step), with the row's stable Message-ID.

    Failing to connect, or a server that answers «no», means the server does not have the message: retried.
    A timeout or a dropped connection once the conversation has begun may come after the server took it:
    uncertain.
    """

    def send(self, notification: Notification) -> None:
        _simulated_failure("email")
        connection = get_connection(fail_silently=False)
        try:
            connection.open()
        except OSError as exc:  # refused, unreachable, or no answer while connecting: nothing was handed over
            raise ChannelError(f"E-post kunne ikke sendes: {exc}") from exc
        message = EmailMessage(
            subject=notification.subject or "Melding fra Helsenorge",
            body=notification.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notification.address],
            headers={"Message-ID": notification.message_id},
            connection=connection,
        )
        try:
            message.send(fail_silently=False)
        except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused) as exc:  # the server said no
            raise ChannelError(f"E-post kunne ikke sendes: {exc}") from exc
        except OSError as exc:
            raise ChannelUncertain(
                f"E-postserveren svarte ikke ferdig ({exc or type(exc).__name__}); e-posten kan ha kommet fram."
            ) from exc
        finally:
            connection.close()


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
