"""The outbox: every notification is a row written in the same transaction as the change that causes it.

This app knows nothing of booking: it takes a recipient (plain values), a channel, a text and a dedupe key.
The unique dedupe key (appointment + event + channel) means no message is ever written, or sent, twice;
being a row, a message is never lost when the broker is down at commit time (the sweep picks it up).
"""

from __future__ import annotations

import hashlib

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("E-post")
        PUSH = "push", _("Varsel i Helsenorge-appen")

    class Event(models.TextChoices):
        CONFIRMED = "confirmed", _("Bekreftelse")
        CHANGED = "changed", _("Endring")
        CANCELLED = "cancelled", _("Avlyst")
        CANCELLATION_RECEIPT = "cancellation_receipt", _("Kvittering for avbestilling")
        REMINDER = "reminder", _("Påminnelse")
        INVITATION = "invitation", _("Invitasjon")
        MESSAGE = "message", _("Ny melding")

    class State(models.TextChoices):
        PENDING = "pending", _("Venter")
        SENDING = "sending", _("Sendes")
        SENT = "sent", _("Sendt")
        FAILED = "failed", _("Feilet")
        # The channel may have taken it (a worker died, or the server went quiet, mid-handover): never sent
        # again by itself, so it is never sent twice; staff check and retry it in the outbox.
        UNCERTAIN = "uncertain", _("Usikker (kan være sendt)")

    dedupe_key = models.CharField(_("nøkkel mot dobbel sending"), max_length=200, unique=True)
    # Plain values: who (an opaque key the caller understands, e.g. "citizen:12"), what to call them, where.
    recipient_key = models.CharField(_("mottakernøkkel"), max_length=100, db_index=True)
    recipient_name = models.CharField(_("mottaker"), max_length=200)
    address = models.CharField(_("adresse"), max_length=254, help_text=_("Mobilnummer, e-post, eller app-kanalen."))
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    event = models.CharField(_("hendelse"), max_length=24, choices=Event.choices)
    subject = models.CharField(_("emne"), max_length=200, blank=True)
    text = models.TextField(_("tekst"))
    # Which organisation's outbox this belongs to (its HER-id), for staff who may see only their own.
    owner_her_id = models.PositiveIntegerField(_("virksomhet (HER-id)"), null=True, blank=True, db_index=True)
    sender_name = models.CharField(_("avsender"), max_length=200, blank=True)
    state = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("forsøk"), default=0)
    last_error = models.TextField(_("siste feil"), blank=True)
    created_at = models.DateTimeField(_("opprettet"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("neste forsøk"), default=timezone.now)
    claimed_at = models.DateTimeField(_("tatt til sending"), null=True, blank=True)
    # Who holds the claim: a worker records its outcome only while its token is still the row's.
    claim_token = models.UUIDField(_("sendenøkkel"), null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("varsel")
        verbose_name_plural = _("varsler (utboks)")
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="notification_due"),
            models.Index(fields=["recipient_key", "channel", "-created_at"], name="notification_inbox"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="sent") | Q(sent_at__isnull=False), name="notification_sent_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} til {self.recipient_name}: {self.get_event_display()}"

    @property
    def message_id(self) -> str:
        """The same on every attempt (the e-mail's Message-ID, the gateways' idempotency key), so a receiver can
        drop a repeat: «<row.digest@helsenorge-sim>»."""
        digest = hashlib.sha256(self.dedupe_key.encode()).hexdigest()[:16]
        return f"<{self.pk}.{digest}@helsenorge-sim>"
