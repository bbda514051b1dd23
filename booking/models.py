"""The citizen's side: citizens, who may act for whom, appointments, the inbox, and time requests.

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

from addressregistry.models import Organisation, Service
from resourcebooks.models import Slot, Timebook
from resourcebooks.national_id import parse_national_id, validate_national_id

REASON_MAX = 50


class Citizen(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="citizen")
    national_id = models.CharField(_("fødselsnummer"), max_length=11, unique=True, validators=[validate_national_id])
    first_name = models.CharField(_("fornavn"), max_length=100)
    last_name = models.CharField(_("etternavn"), max_length=100)
    municipality = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="residents",
        limit_choices_to={"kind": Organisation.Kind.MUNICIPALITY},
        verbose_name=_("bostedskommune"),
    )
    gp_office = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="gp_list_patients",
        limit_choices_to={"kind": Organisation.Kind.GP_OFFICE},
        verbose_name=_("fastlegekontor"),
    )
    phone = models.CharField(_("mobilnummer"), max_length=20, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    notify_sms = models.BooleanField(_("varsel på SMS"), default=True)
    notify_email = models.BooleanField(_("varsel på e-post"), default=False)
    notify_push = models.BooleanField(_("varsel i Helsenorge-appen"), default=True)
    active_on_portal = models.BooleanField(_("aktiv på Helsenorge"), default=True)
    digital_contact_consent = models.BooleanField(_("samtykke til digital kontakt"), default=True)
    listed_on_test_login = models.BooleanField(_("vises på testinnloggingen"), default=False)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("innbygger")
        verbose_name_plural = _("innbyggere")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def birth_date(self) -> dt.date:
        return parse_national_id(self.national_id).birth_date

    def age_on(self, day: dt.date) -> int:
        return parse_national_id(self.national_id).age_on(day)

    @property
    def masked_national_id(self) -> str:
        return f"{self.national_id[:6]} *****"


class Representation(models.Model):
    """``representative`` may act for ``represented`` on the portal."""

    class Kind(models.TextChoices):
        PARENT = "parent", _("Foreldreansvar")
        POWER_OF_ATTORNEY = "power_of_attorney", _("Fullmakt")

    representative = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="represents")
    represented = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="represented_by")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = _("representasjon")
        verbose_name_plural = _("representasjoner")
        constraints = [
            models.UniqueConstraint(fields=["representative", "represented"], name="representation_unique"),
            models.CheckConstraint(condition=~Q(representative=F("represented")), name="representation_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.representative} → {self.represented} ({self.get_kind_display()})"


class Appointment(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Sendt, venter på bekreftelse")
        ASSIGNED = "assigned", _("Tildelt")
        REJECTED = "rejected", _("Avvist")
        CANCELLED_BY_CITIZEN = "cancelled_by_citizen", _("Avbestilt")
        CANCELLED_BY_CLINIC = "cancelled_by_clinic", _("Avlyst")
        MOVED = "moved", _("Flyttet")

    ACTIVE = (Status.REQUESTED, Status.ASSIGNED)

    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="appointments")
    citizen = models.ForeignKey(
        Citizen, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("timen gjelder")
    )
    booked_by = models.ForeignKey(
        Citizen, on_delete=models.PROTECT, related_name="appointments_booked", verbose_name=_("bestilt av")
    )
    reason = models.CharField(_("hva gjelder det"), max_length=REASON_MAX)
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.REQUESTED)
    hidden = models.BooleanField(
        _("skjult time"), default=False, help_text=_("Vises ikke for foreldre (for ungdom 12–16 år).")
    )
    idempotency_key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    replaces = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaced_by"
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


class InboxMessage(models.Model):
    class Kind(models.TextChoices):
        NEW_APPOINTMENT = "new_appointment", _("Ny timeavtale")
        REJECTED = "rejected", _("Avvist timebestilling")
        CANCELLATION_RECEIPT = "cancellation_receipt", _("Kvittering for avbestilling")
        CANCELLED_BY_CLINIC = "cancelled_by_clinic", _("Avlyst time")
        MOVED = "moved", _("Endret time")
        AUTOMATIC_REPLY = "automatic_reply", _("Automatisk svar")
        TIME_REQUEST = "time_request", _("Timeforespørsel")

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="inbox")
    appointment = models.ForeignKey(
        Appointment, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    sender = models.CharField(_("avsender"), max_length=200)
    subject = models.CharField(_("emne"), max_length=200)
    body = models.TextField(_("tekst"))
    can_reply = models.BooleanField(default=False)
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("melding i innboksen")
        verbose_name_plural = _("meldinger i innboksen")

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("booking:message", args=[self.pk])


class TimeRequest(models.Model):
    """«Send timeforespørsel» when no free time suits (source 003)."""

    class Status(models.TextChoices):
        NEW = "new", _("Ny")
        HANDLED = "handled", _("Behandlet")
        REFUSED_BLOCKED = "refused_blocked", _("Avvist automatisk (sperret pasient)")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="time_requests")
    timebook = models.ForeignKey(
        Timebook, on_delete=models.SET_NULL, null=True, blank=True, related_name="time_requests"
    )
    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="time_requests")
    booked_by = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="time_requests_sent")
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
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
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
    campaign = models.ForeignKey(InvitationCampaign, on_delete=models.CASCADE, related_name="recipients")
    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "citizen"], name="campaign_recipient_unique"),
        ]
        indexes = [models.Index(fields=["campaign", "sent_at"], name="campaign_recipient_pending")]

    def __str__(self) -> str:
        return f"{self.citizen} ({self.campaign})"
