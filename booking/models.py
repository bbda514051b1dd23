"""The citizen's side: appointments, time requests and invitation campaigns.

At most one active appointment (requested or assigned) per slot is a partial unique index, on every
database: a bug in the booking service still cannot double-book.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from addressregistry.models import Service
from citizens.models import Citizen
from core.limits import HIDDEN_AGE_RANGE, HOLD_MAX_SECONDS, REASON_MAX
from resourcebooks.models import Practitioner, Slot, Timebook


class Appointment(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Sendt, venter på bekreftelse")
        ASSIGNED = "assigned", _("Tildelt")
        REJECTED = "rejected", _("Avvist")
        CANCELLED_BY_CITIZEN = "cancelled_by_citizen", _("Avbestilt")
        CANCELLED_BY_CLINIC = "cancelled_by_clinic", _("Avlyst")
        MOVED = "moved", _("Flyttet")

    ACTIVE = (Status.REQUESTED, Status.ASSIGNED)

    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("time"))
    # «Timen gjelder» is the reason on the citizen's pages; in the admin the person is the patient.
    citizen = models.ForeignKey(
        Citizen, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("pasient")
    )
    booked_by = models.ForeignKey(
        Citizen, on_delete=models.PROTECT, related_name="appointments_booked", verbose_name=_("bestilt av")
    )
    reason = models.CharField(_("hva gjelder det"), max_length=REASON_MAX)
    # Whom the citizen chose under «Velg behandler» (source 003, step 6): the fastlege or a vikar set on him, booked
    # in the fastlege's timebook. Empty for a resource timebook.
    behandler = models.ForeignKey(
        Practitioner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name=_("behandler"),
    )
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.REQUESTED)
    hidden = models.BooleanField(
        _("skjult time"),
        default=False,
        # Staff pages are Norwegian only; the age range is source 004's.
        help_text=f"Vises ikke for foreldre (for ungdom {HIDDEN_AGE_RANGE[0]}–{HIDDEN_AGE_RANGE[1]} år).",
    )
    idempotency_key = models.UUIDField(
        _("nøkkel mot dobbel bestilling"), unique=True, default=uuid.uuid4, editable=False
    )
    replaces = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("erstatter"),
    )
    created_at = models.DateTimeField(_("bestilt"), default=timezone.now)
    decided_at = models.DateTimeField(_("besvart"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("avbestilt/avlyst"), null=True, blank=True)
    reminder_claimed_at = models.DateTimeField(_("påminnelse sendt"), null=True, blank=True)

    class Meta:
        ordering = ["slot__start"]
        verbose_name = _("timeavtale")
        verbose_name_plural = _("timeavtaler")
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(status__in=["requested", "assigned"]),
                name="one_active_appointment_per_slot",
            ),
        ]
        indexes = [
            models.Index(fields=["citizen", "status"], name="appointment_citizen_status"),
        ]

    def __str__(self) -> str:
        return f"{self.citizen} {timezone.localtime(self.slot.start):%d.%m.%Y %H:%M} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("booking:appointment", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def timebook(self) -> Timebook:
        return self.slot.timebook


class TimeRequest(models.Model):
    """«Send timeforespørsel» when no free time suits (source 003)."""

    class Status(models.TextChoices):
        NEW = "new", _("Ny")
        HANDLED = "handled", _("Behandlet")
        REFUSED_BLOCKED = "refused_blocked", _("Avvist automatisk (sperret pasient)")

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="time_requests", verbose_name=_("tjeneste")
    )
    timebook = models.ForeignKey(
        Timebook,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="time_requests",
        verbose_name=_("timebok"),
    )
    citizen = models.ForeignKey(
        Citizen, on_delete=models.CASCADE, related_name="time_requests", verbose_name=_("pasient")
    )
    booked_by = models.ForeignKey(
        Citizen, on_delete=models.CASCADE, related_name="time_requests_sent", verbose_name=_("sendt av")
    )
    subject = models.CharField(_("emne"), max_length=REASON_MAX)
    suggested_times = models.CharField(_("tidspunkter som passer"), max_length=250)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    created_at = models.DateTimeField(_("sendt"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("timeforespørsel")
        verbose_name_plural = _("timeforespørsler")

    def __str__(self) -> str:
        return f"{self.subject} ({self.citizen})"


class InvitationCampaign(models.Model):
    """«Nå kan du bestille time»: an SMS to a group of citizens, sent in batches with a pause between them
    (source 002: avoid many people trying to book at the same moment)."""

    class State(models.TextChoices):
        RUNNING = "running", _("Sendes")
        PAUSED = "paused", _("Pause")
        DONE = "done", _("Ferdig")

    timebook = models.ForeignKey(
        Timebook, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("timebok")
    )
    born_from = models.PositiveSmallIntegerField(_("født fra og med år"))
    born_to = models.PositiveSmallIntegerField(_("født til og med år"))
    batch_size = models.PositiveIntegerField(_("antall per bolk"), default=100)
    pause_seconds = models.PositiveIntegerField(_("pause mellom bolker (sekunder)"), default=300)
    text = models.CharField(_("SMS-tekst"), max_length=320)
    state = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.RUNNING)
    total = models.PositiveIntegerField(_("mottakere"), default=0)
    sent_count = models.PositiveIntegerField(_("sendt"), default=0)
    next_batch_at = models.DateTimeField(_("neste bolk"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opprettet av"),
    )
    created_at = models.DateTimeField(_("opprettet"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitasjon på SMS")
        verbose_name_plural = _("invitasjoner på SMS")
        constraints = [
            models.CheckConstraint(condition=Q(born_to__gte=F("born_from")), name="campaign_birth_years"),
            models.CheckConstraint(condition=Q(batch_size__gte=1), name="campaign_batch_size_positive"),
            models.CheckConstraint(condition=Q(sent_count__lte=F("total")), name="campaign_sent_within_total"),
        ]

    def __str__(self) -> str:
        return f"{self.timebook.name}: født {self.born_from}–{self.born_to}"


class CampaignRecipient(models.Model):
    campaign = models.ForeignKey(
        InvitationCampaign, on_delete=models.CASCADE, related_name="recipients", verbose_name=_("invitasjon")
    )
    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="+", verbose_name=_("mottaker"))
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)

    class Meta:
        verbose_name = _("mottaker av invitasjon")
        verbose_name_plural = _("mottakere av invitasjoner")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "citizen"], name="campaign_recipient_unique"),
        ]
        indexes = [models.Index(fields=["campaign", "sent_at"], name="campaign_recipient_pending")]

    def __str__(self) -> str:
        return f"{self.citizen} ({self.campaign})"


class SlotHold(models.Model):
    """A free slot held for one citizen while they look at «Se gjennom før du sender» (NHS's booking service holds
    a provisional booking for 5 minutes; Cal.com's reserve-slot the same). While the row exists the slot's state
    is ``on_hold`` and it is offered to no one else; «Send bestilling» on it cannot lose. It ends on send, when
    the citizen leaves the flow or holds another slot in the timebook, or at ``until`` (a periodic sweep).

    The database allows one hold per slot, one per citizen per timebook, one per login (``held_by``) per timebook,
    and no hold that lasts past ``HOLD_MAX_SECONDS`` from its first taking (``created_at``), however renewed."""

    slot = models.OneToOneField(Slot, on_delete=models.CASCADE, related_name="hold", verbose_name=_("time"))
    timebook = models.ForeignKey(Timebook, on_delete=models.CASCADE, related_name="+", verbose_name=_("timebok"))
    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="holds", verbose_name=_("innbygger"))
    # Who opened the page: the citizen, or a parent or attorney acting for them (who may switch person and
    # book the slot they were looking at for someone else).
    held_by = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="+", verbose_name=_("holdt av av"))
    created_at = models.DateTimeField(_("holdt av"), default=timezone.now)
    until = models.DateTimeField(_("holdt av til"), db_index=True)

    class Meta:
        verbose_name = _("time holdt av")
        verbose_name_plural = _("timer holdt av")
        constraints = [
            models.UniqueConstraint(fields=["timebook", "citizen"], name="slothold_one_per_citizen_per_timebook"),
            models.CheckConstraint(condition=Q(until__gt=F("created_at")), name="slothold_until_after_created"),
            models.UniqueConstraint(fields=["timebook", "held_by"], name="slothold_one_per_login_per_timebook"),
            models.CheckConstraint(
                condition=Q(until__lte=F("created_at") + dt.timedelta(seconds=HOLD_MAX_SECONDS)),
                name="slothold_until_within_cap",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.slot} holdt av til {self.citizen}"
