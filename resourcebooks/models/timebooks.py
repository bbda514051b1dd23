"""The clinic's side, what a journal system (EPJ) holds: timebooks, time types, locations, week templates,
slots, patient blocks, and which staff user works for which organisation.

One timebook is one person's calendar: its slots never overlap. ``(timebook, start)`` is unique on every
database; on PostgreSQL an exclusion constraint (migration 0002) also forbids any overlap.
"""

from __future__ import annotations

import datetime as dt

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from addressregistry.diagnosis.facts import PRACTITIONER_TIMEBOOK, RESOURCE_TIMEBOOK
from addressregistry.models import Organisation, Service
from addressregistry.timebook_types import TimebookType

WEEKDAY_NAMES = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")


class TimeType(models.Model):
    """A time type (timetype) of an organisation, e.g. "Influensavaksine", or a GP's "Konsultasjon",
    "Videotime", "Telefontime", "Hastetime" (source 003), offered in one or more timebooks."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("fysisk oppmøte")
        VIDEO = "video", _("video")
        PHONE = "phone", _("telefon")

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
    mode = models.CharField(_("oppmøteform"), max_length=12, choices=Mode.choices, default=Mode.IN_PERSON)
    duration_minutes = models.PositiveSmallIntegerField(
        _("varighet (minutter)"), null=True, blank=True, validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    urgent = models.BooleanField(
        _("hastetime"), default=False, help_text=_("Bestilles på nett bare når legekontoret tillater det.")
    )
    online = models.BooleanField(_("kan bestilles på nett"), default=True)

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
    """A resource timebook (ressurstimebok) on an AR service, or a practitioner's own timebook
    (behandlertimebok, source 004): one person's calendar, owned by exactly one practitioner."""

    class Kind(models.TextChoices):
        # The values are the AR diagnosis' words for them (``TimebookFacts.kind``).
        RESOURCE = RESOURCE_TIMEBOOK, _("ressurstimebok")
        PRACTITIONER = PRACTITIONER_TIMEBOOK, _("behandlertimebok")

    class WhoMayBook(models.TextChoices):
        MUNICIPALITY = "municipality", _("Alle innbyggere i kommunen")
        GP_LIST = "gp_list", _("Legekontorets egne fastlegepasienter")
        NAMED_LIST = "named_list", _("En egendefinert pasientliste")

    class Confirmation(models.TextChoices):
        AUTOMATIC = "automatic", _("Automatisk av journalsystemet")
        MANUAL = "manual", _("Manuelt av de ansatte")

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="timebooks", verbose_name=_("tjeneste"))
    kind = models.CharField(_("slag"), max_length=12, choices=Kind.choices, default=Kind.RESOURCE)
    practitioner = models.ForeignKey(
        "resourcebooks.Practitioner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="timebooks",
        verbose_name=_("behandler"),
        help_text=_("Eieren av en behandlertimebok."),
    )
    type = models.CharField(
        _("timeboktype"),
        max_length=20,
        choices=TimebookType.choices,
        blank=True,
        help_text=_("For ressurstimebøker. En behandlertimebok har ingen timeboktype."),
    )
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
    waiting_room_rate = models.PositiveIntegerField(
        _("slippes inn per minutt"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100_000)],
        help_text=_(
            "Hvor mange innbyggere i minuttet som slippes inn i bestillingsstegene når mange vil inn samtidig; "
            "de neste venter i kø. Tomt: standardverdien fra ytelsesmålingen."
        ),
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
            # A resource timebook has a type and no owner; a practitioner's timebook has an owner and no type:
            # one timebook cannot be both (source 000).
            models.CheckConstraint(
                condition=Q(kind="resource", practitioner__isnull=True) & ~Q(type="")
                | Q(kind="practitioner", practitioner__isnull=False, type=""),
                name="timebook_resource_or_practitioner",
            ),
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
    time_type = models.ForeignKey(
        TimeType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="week_templates",
        verbose_name=_("timetype"),
        help_text=_("Timene ukemalen publiserer får denne timetypen (f.eks. «Videotime»)."),
    )
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


# «Oppmøtested» of a time that has no place to go to (source 003: «Oppmøtested: Videotime»; a phone time
# «Telefon»), in Norwegian as stored and sent texts say it; pages translate it.
ATTENDANCE_BY_MODE: dict[str, str] = {
    TimeType.Mode.VIDEO: gettext_noop("Videotime"),
    TimeType.Mode.PHONE: gettext_noop("Telefon"),
}


class Slot(models.Model):
    class State(models.TextChoices):
        FREE = "free", _("Ledig")
        HELD = "held", _("Reservert (venter på bekreftelse)")
        # «Se gjennom før du sender» holds a free slot for one citizen for a few minutes (``booking.SlotHold``).
        ON_HOLD = "on_hold", _("Holdt av til en innbygger")
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
    time_type = models.ForeignKey(
        TimeType, on_delete=models.PROTECT, null=True, blank=True, related_name="slots", verbose_name=_("timetype")
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

    @property
    def attendance_place(self) -> str:
        """The one «Oppmøtested» of this time, for every page and channel (issue 22): by its time type where that
        says there is no place (a video or phone time), otherwise its location's. Norwegian."""
        time_type = self.time_type if self.time_type_id is not None else None
        return ATTENDANCE_BY_MODE.get(time_type.mode if time_type is not None else "") or self.location.attendance_place
