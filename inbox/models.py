"""Innboks: the messages a citizen receives (appointments now, dialogues next)."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citizens.models import Citizen


class InboxMessage(models.Model):
    class Kind(models.TextChoices):
        NEW_APPOINTMENT = "new_appointment", _("Ny timeavtale")
        REJECTED = "rejected", _("Avvist timebestilling")
        CANCELLATION_RECEIPT = "cancellation_receipt", _("Kvittering for avbestilling")
        CANCELLED_BY_CLINIC = "cancelled_by_clinic", _("Avlyst time")
        MOVED = "moved", _("Endret time")
        AUTOMATIC_REPLY = "automatic_reply", _("Automatisk svar")
        TIME_REQUEST = "time_request", _("Timeforespørsel")

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="inbox", verbose_name=_("mottaker"))
    appointment = models.ForeignKey(
        # By name, not by import: inbox sits below booking. A message about an appointment follows it
        # (a hidden appointment's messages are hidden from parents too).
        "booking.Appointment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("timeavtale"),
    )
    kind = models.CharField(_("type melding"), max_length=24, choices=Kind.choices)
    sender = models.CharField(_("avsender"), max_length=200)
    subject = models.CharField(_("emne"), max_length=200)
    body = models.TextField(_("tekst"))
    can_reply = models.BooleanField(_("kan besvares"), default=False)
    sent_at = models.DateTimeField(_("sendt"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("lest"), null=True, blank=True)

    class Meta:
        db_table = "booking_inboxmessage"  # the table it had when Innboks lived in booking
        ordering = ["-sent_at", "-id"]
        verbose_name = _("melding i innboksen")
        verbose_name_plural = _("meldinger i innboksen")

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("booking:message", args=[self.pk])
