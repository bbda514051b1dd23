"""E-mail through a real SMTP server (aiosmtpd on a free local port): the confirmation arrives once, with the
right subject and the source's text, Norwegian letters intact; an SMTP server that is down is a recorded,
retried failure."""

from __future__ import annotations

import email
import socket
from email import policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from notifications.delivery import notification_deliver
from notifications.models import Notification
from tests.notifications.support import book, rows_for, source_confirmation
from tests.world import build_world

pytestmark = pytest.mark.django_db


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.original_content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield inbox
    controller.stop()


def test_the_confirmation_e_mail_arrives_with_the_right_subject_and_text(smtp, django_capture_on_commit_callbacks):
    world = build_world()
    kurt = world.resident(notify_email=True, email="kurt.hakon@example.test")
    slot = world.future_slot()

    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(kurt, slot)

    (recipients, message), *others = smtp.messages
    assert others == []
    assert recipients == ["kurt.hakon@example.test"]
    assert message["To"] == "kurt.hakon@example.test"
    assert message["Subject"] == "Du har fått en ny timeavtale"
    assert message["From"] == "Helsenorge <ikke-svar@helsenorge.test>"
    assert message.get_content().strip() == source_confirmation("Kurt Håkon", slot.start)
    assert "Kurt Håkon, du har fått time" in message.get_content()
    (row,) = rows_for(appointment, channel="email")
    assert row.state == Notification.State.SENT


def test_delivering_the_e_mail_row_again_sends_nothing_more(smtp, django_capture_on_commit_callbacks):
    world = build_world()
    kurt = world.resident(notify_email=True, email="kurt.hakon@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(kurt, world.future_slot())
    (row,) = rows_for(appointment, channel="email")

    assert notification_deliver(notification_id=row.pk) == "skipped"

    assert len(smtp.messages) == 1


def test_an_smtp_server_that_is_down_is_a_recorded_failure_retried_later(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens there
    settings.EMAIL_TIMEOUT = 2
    world = build_world()
    kurt = world.resident(notify_email=True, email="kurt.hakon@example.test")

    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(kurt, world.future_slot())

    (row,) = rows_for(appointment, channel="email")
    assert row.state == Notification.State.PENDING
    assert row.attempts == 1
    assert row.last_error.startswith("E-post kunne ikke sendes:")
    assert {n.state for n in rows_for(appointment) if n.channel != "email"} == {Notification.State.SENT}
