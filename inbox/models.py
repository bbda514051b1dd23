"""Innboks: the messages a citizen receives (appointments now, dialogues next)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from addressregistry.models import Organisation
from citizens.models import Citizen
from core.limits import ATTACHMENTS_MAX_BYTES


class Thread(models.Model):
    """A conversation in Innboks with an organisation (source 004's dialogues and source 003's time requests):
    the citizen may answer while it is open; the clinic closes it."""

    class Kind(models.TextChoices):
        E_KONTAKT = "e_kontakt", _("E-kontakt")
        E_KONSULTASJON = "e_konsultasjon", _("E-konsultasjon")
        RESEPTFORNYELSE = "reseptfornyelse", _("Reseptfornyelse")
        TIMEFORESPORSEL = "timeforesporsel", _("Timeforespørsel")

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="threads", verbose_name=_("pasient"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="threads", verbose_name=_("virksomhet")
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    subject = models.CharField(_("emne"), max_length=200)
    created_at = models.DateTimeField(_("opprettet"), default=timezone.now, db_index=True)
    last_message_at = models.DateTimeField(_("siste melding"), default=timezone.now, db_index=True)
    closed_at = models.DateTimeField(_("avsluttet"), null=True, blank=True)
    # A 12–16-year-old's own conversation: only the person reads it, never whoever acts for them (source 004).
    hidden = models.BooleanField(
        _("skjult for foreldre"), default=False, help_text=_("Vises bare for pasienten selv (ungdom 12–16 år).")
    )
    # «Skjul samtale for fullmakt» (source 003, step 9): the person's own choice, from 16 on, to keep the
    # conversation from whoever acts for them. Apart from ``hidden``: turning it off never shows a 12–16-year-old's
    # conversation to the parents.
    hidden_for_proxies = models.BooleanField(_("skjult for fullmakt"), default=False)

    class Meta:
        ordering = ["-last_message_at", "-id"]
        verbose_name = _("samtale")
        verbose_name_plural = _("samtaler")

    def __str__(self) -> str:
        return self.subject

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class InboxMessage(models.Model):
    class Kind(models.TextChoices):
        NEW_APPOINTMENT = "new_appointment", _("Ny timeavtale")
        REJECTED = "rejected", _("Avvist timebestilling")
        CANCELLATION_RECEIPT = "cancellation_receipt", _("Kvittering for avbestilling")
        CANCELLED_BY_CLINIC = "cancelled_by_clinic", _("Avlyst time")
        MOVED = "moved", _("Endret time")
        AUTOMATIC_REPLY = "automatic_reply", _("Automatisk svar")
        TIME_REQUEST = "time_request", _("Timeforespørsel")
        DIALOGUE = "dialogue", _("Melding til legekontoret")
        ANSWER = "answer", _("Melding fra legekontoret")
        HOLD_WITHDRAWN = "hold_withdrawn", _("Timen er trukket tilbake")

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
    # In a conversation: who wrote it. The citizen side (``from_citizen``, and who acted, ``written_by``), or a
    # member of staff (``staff_user``); neither for an automatic reply. ``note`` is the outcome the clinic chose
    # («Resept fornyet»), shown with the message.
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, null=True, blank=True, related_name="messages", verbose_name=_("samtale")
    )
    from_citizen = models.BooleanField(_("fra innbyggeren"), default=False)
    written_by = models.ForeignKey(
        Citizen, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("skrevet av")
    )
    staff_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("besvart av"),
    )
    note = models.CharField(_("merknad"), max_length=100, blank=True)
    # «Skjul samtale for fullmakt» (source 003, step 9) on a message that is not part of a conversation (a
    # conversation is hidden on its thread): only the person reads it, never whoever acts for them.
    hidden = models.BooleanField(_("skjult for fullmakt"), default=False)

    class Meta:
        db_table = "booking_inboxmessage"  # the table it had when Innboks lived in booking
        ordering = ["-sent_at", "-id"]
        verbose_name = _("melding i innboksen")
        verbose_name_plural = _("meldinger i innboksen")
        constraints = [
            models.CheckConstraint(
                condition=~(Q(from_citizen=True) & Q(staff_user__isnull=False)), name="inboxmessage_one_side"
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("inbox:message", args=[self.pk])


class Attachment(models.Model):
    """A file sent with a message (source 004: «Filene kan totalt ikke overskride 12 MB»). Kept in the database,
    so a refused or rolled-back message leaves no file behind."""

    message = models.ForeignKey(
        InboxMessage, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("melding")
    )
    name = models.CharField(_("filnavn"), max_length=200)
    content_type = models.CharField(_("filtype"), max_length=100)
    size = models.PositiveIntegerField(_("størrelse (byte)"))
    data = models.BinaryField(_("innhold"))

    class Meta:
        ordering = ["message", "id"]
        verbose_name = _("vedlegg")
        verbose_name_plural = _("vedlegg")
        constraints = [
            models.CheckConstraint(
                condition=Q(size__gt=0) & Q(size__lte=ATTACHMENTS_MAX_BYTES), name="attachment_size_in_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name
