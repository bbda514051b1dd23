"""The clinic's side, what a journal system (EPJ) holds: timebooks, time types, locations, week templates,
slots, patient blocks, and which staff user works for which organisation.

One timebook is one person's calendar: its slots never overlap. ``(timebook, start)`` is unique on every
database; on PostgreSQL an exclusion constraint (migration 0002) also forbids any overlap.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from addressregistry.models import Organisation, Service
from addressregistry.timebook_types import TimebookType
from core.national_id import validate_national_id

WEEKDAY_NAMES = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")


class TimeType(models.Model):
    """A time type (timetype) of an organisation, e.g. "Influensavaksine", offered in one or more timebooks."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="time_types", verbose_name=_("virksomhet")
    )
    name = models.CharField(_("navn"), max_length=100)
    description = models.CharField(
        _("tilleggsinformasjon"), max_length=200, blank=True, help_text=_("Vises under navnet. Maks 200 tegn.")
    )
    fallback_notifications = models.BooleanField(
        _("varsler fra journalsystemet"),
        default=False,
        help_text=_(
            "Send klinikkens egne varsler (SMS/e-post) for denne timetypen til pasienter som ikke er aktive "
            "på Helsenorge."
        ),
    )

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("timetype")
        verbose_name_plural = _("timetyper")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="timetype_unique_name_per_organisation"),
        ]

    def __str__(self) -> str:
        return self.name


class Timebook(models.Model):
    """A resource timebook (ressurstimebok) on an AR service."""

    class WhoMayBook(models.TextChoices):
        MUNICIPALITY = "municipality", _("Alle innbyggere i kommunen")
        GP_LIST = "gp_list", _("Legekontorets egne fastlegepasienter")
        NAMED_LIST = "named_list", _("En egendefinert pasientliste")

    class Confirmation(models.TextChoices):
        AUTOMATIC = "automatic", _("Automatisk av journalsystemet")
        MANUAL = "manual", _("Manuelt av de ansatte")

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="timebooks", verbose_name=_("tjeneste"))
    type = models.CharField(_("timeboktype"), max_length=20, choices=TimebookType.choices)
    name = models.CharField(
        _("navn"), max_length=100, help_text=_("Navnet fra journalsystemet, slik det vises på Helsenorge.")
    )
    description = models.CharField(
        _("tekst under navnet"), max_length=200, blank=True, help_text=_("Vises under navnet. Maks 200 tegn.")
    )
    office_information = models.CharField(
        _("informasjon fra kontoret"),
        max_length=300,
        blank=True,
        help_text=_("Vises i boksen «Informasjon fra legekontoret». Maks 300 tegn."),
    )
    owner = models.CharField(
        _("eier"),
        max_length=100,
        default="Hele klinikken",
        help_text=_("Hele klinikken, en gruppe (f.eks. LAB-gruppen) eller en ansatt som ikke er fastlege."),
    )
    online = models.BooleanField(_("tilgjengelig på nett"), default=True)
    time_types = models.ManyToManyField(TimeType, related_name="timebooks", verbose_name=_("timetyper"), blank=True)
    who_may_book = models.CharField(
        _("hvem kan bestille"), max_length=20, choices=WhoMayBook.choices, default=WhoMayBook.MUNICIPALITY
    )
    cancellation_deadline_hours = models.PositiveSmallIntegerField(
        _("avbestillingsfrist (timer før)"), default=24, validators=[MaxValueValidator(24 * 14)]
    )
    max_active_bookings = models.PositiveSmallIntegerField(
        _("maks aktive bestillinger per innbygger"), default=1, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    confirmation = models.CharField(
        _("bekreftelse av reservasjoner"), max_length=20, choices=Confirmation.choices, default=Confirmation.AUTOMATIC
    )
    fallback_notifications = models.BooleanField(
        _("varsler fra journalsystemet"),
        default=False,
        help_text=_("Klinikkens egne varsler for pasienter som ikke er aktive på Helsenorge."),
    )

    class Meta:
        ordering = ["service__organisation__name", "name"]
        verbose_name = _("ressurstimebok")
        verbose_name_plural = _("ressurstimebøker")
        constraints = [
            models.UniqueConstraint(fields=["service", "name"], name="timebook_unique_name_per_service"),
            models.CheckConstraint(condition=Q(max_active_bookings__gte=1), name="timebook_max_active_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.service.organisation.name})"

    @property
    def organisation(self) -> Organisation:
        return self.service.organisation


class Location(models.Model):
    """A place an organisation offers slots at, with the attendance place (oppmøtested) the citizen sees."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="locations", verbose_name=_("virksomhet")
    )
    name = models.CharField(_("navn"), max_length=100, help_text=_("Vises under «Velg sted»."))
    description = models.CharField(_("tekst under navnet"), max_length=200, blank=True)
    attendance_place = models.CharField(
        _("oppmøtested"), max_length=200, help_text=_("F.eks. «Feberpoliklinikk inngang A» eller en adresse.")
    )

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("lokasjon")
        verbose_name_plural = _("lokasjoner")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="location_unique_name_per_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.attendance_place}"


class WeekTemplate(models.Model):
    """A week template (ukemal): on these weekdays, from start to end local time, slots of this length."""

    timebook = models.ForeignKey(
        Timebook, on_delete=models.CASCADE, related_name="week_templates", verbose_name=_("timebok")
    )
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="week_templates", verbose_name=_("lokasjon")
    )
    name = models.CharField(_("navn"), max_length=100, blank=True)
    weekdays = models.JSONField(_("ukedager"), default=list, help_text=_("0 = mandag … 6 = søndag."))
    start_time = models.TimeField(_("fra klokken"))
    end_time = models.TimeField(_("til klokken"))
    slot_minutes = models.PositiveSmallIntegerField(
        _("timelengde (minutter)"), validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    valid_from = models.DateField(_("gyldig fra"))
    valid_to = models.DateField(_("gyldig til"))
    skip_holidays = models.BooleanField(
        _("hopp over helligdager"),
        default=True,
        help_text=_(
            "Publiser ikke timer på offentlige helligdager, julaften og nyttårsaften. "
            "Slå av for tilbud som har åpent på slike dager, f.eks. legevakt."
        ),
    )

    class Meta:
        ordering = ["timebook", "valid_from", "start_time"]
        verbose_name = _("ukemal")
        verbose_name_plural = _("ukemaler")
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=F("start_time")), name="weektemplate_end_after_start"),
            models.CheckConstraint(condition=Q(valid_to__gte=F("valid_from")), name="weektemplate_valid_range"),
            models.CheckConstraint(condition=Q(slot_minutes__gte=5), name="weektemplate_slot_at_least_5_minutes"),
        ]

    def __str__(self) -> str:
        days = ", ".join(WEEKDAY_NAMES[d] for d in sorted(self.weekdays))
        label = self.name or f"{self.timebook.name}"
        return f"{label}: {days} {self.start_time:%H:%M}–{self.end_time:%H:%M}, {self.slot_minutes} min"

    @property
    def window_minutes(self) -> int:
        start = dt.datetime.combine(dt.date.min, self.start_time)
        end = dt.datetime.combine(dt.date.min, self.end_time)
        return int((end - start).total_seconds() // 60)


class Slot(models.Model):
    class State(models.TextChoices):
        FREE = "free", _("Ledig")
        HELD = "held", _("Reservert (venter på bekreftelse)")
        BOOKED = "booked", _("Bestilt")
        WITHDRAWN = "withdrawn", _("Trukket tilbake")

    timebook = models.ForeignKey(Timebook, on_delete=models.CASCADE, related_name="slots", verbose_name=_("timebok"))
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="slots", verbose_name=_("lokasjon"))
    template = models.ForeignKey(
        WeekTemplate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="slots",
        verbose_name=_("ukemal"),
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("slutt"))
    state = models.CharField(_("status"), max_length=12, choices=State.choices, default=State.FREE)
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)

    class Meta:
        ordering = ["start"]
        verbose_name = _("time")
        verbose_name_plural = _("timer")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="slot_end_after_start"),
            models.UniqueConstraint(fields=["timebook", "start"], name="slot_unique_start_per_timebook"),
        ]
        indexes = [
            models.Index(fields=["timebook", "state", "start"], name="slot_timebook_state_start"),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.start)
        return f"{self.timebook.name} {local:%d.%m.%Y %H:%M} ({self.get_state_display()})"

    @property
    def duration_minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


class PatientBlock(models.Model):
    """A citizen blocked by an organisation (sperring): sees no free slots and gets an automatic reply."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="patient_blocks", verbose_name=_("virksomhet")
    )
    national_id = models.CharField(_("fødselsnummer"), max_length=11, validators=[validate_national_id])
    reason = models.CharField(_("årsak"), max_length=300)
    blocked_on = models.DateField(_("sperret fra"), default=dt.date.today)
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sperret av"),
    )

    class Meta:
        ordering = ["organisation", "-blocked_on"]
        verbose_name = _("sperring")
        verbose_name_plural = _("sperringer")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "national_id"], name="patientblock_unique_per_organisation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.national_id[:6]} ***** ({self.organisation.name})"


class TimebookListEntry(models.Model):
    """One citizen on a timebook's named patient list (when "who may book" is the named list)."""

    timebook = models.ForeignKey(
        Timebook, on_delete=models.CASCADE, related_name="list_entries", verbose_name=_("timebok")
    )
    national_id = models.CharField(_("fødselsnummer"), max_length=11, validators=[validate_national_id])

    class Meta:
        verbose_name = _("pasient på liste")
        verbose_name_plural = _("pasientliste")
        constraints = [
            models.UniqueConstraint(fields=["timebook", "national_id"], name="timebooklist_unique_entry"),
        ]

    def __str__(self) -> str:
        return f"{self.national_id[:6]} *****"


class StaffMembership(models.Model):
    """Which Django user works for which organisation, and may see and change only that organisation's data."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("bruker")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="staff_memberships", verbose_name=_("virksomhet")
    )

    class Meta:
        verbose_name = _("ansatt i virksomhet")
        verbose_name_plural = _("ansatte i virksomheter")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="staffmembership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation}"


class ClinicSettings(models.Model):
    """An organisation's own settings in its journal system (source 004: notifications "activated for the
    clinic in the platform")."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="clinic_settings", verbose_name=_("virksomhet")
    )
    fallback_notifications = models.BooleanField(
        _("varsler fra journalsystemet"),
        default=False,
        help_text=_("Send egne varsler (SMS/e-post) til pasienter som ikke er aktive på Helsenorge."),
    )

    class Meta:
        verbose_name = _("innstillinger for virksomheten")
        verbose_name_plural = _("innstillinger for virksomheten")

    def __str__(self) -> str:
        return f"Innstillinger for {self.organisation}"
