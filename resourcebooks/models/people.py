"""Who works where and with whom: practitioners and their vikarer, patient blocks, who-may-book lists, staff
membership, and each office's own settings for Helsenorge."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from addressregistry.diagnosis.facts import ROLE_FASTLEGE, ROLE_LIS1, ROLE_VIKAR
from addressregistry.models import Organisation
from core.limits import HER_ID_MAX
from core.national_id import validate_national_id

from .timebooks import Timebook


class Practitioner(models.Model):
    """A person at a GP office who may have a timebook (source 004): a fastlege, a vikar for a fastlege, a LIS1 or
    another practitioner. Names as the sources show them: «August (Ddf - Tri) September (fastlege)»."""

    class Role(models.TextChoices):
        # The values the AR diagnosis knows are its words for them (``TimebookFacts.practitioner_role``).
        FASTLEGE = ROLE_FASTLEGE, _("fastlege")
        VIKAR = ROLE_VIKAR, _("vikar for fastlege")
        LIS1 = ROLE_LIS1, _("LIS1")
        OTHER = "other", _("annen behandler")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="practitioners",
        limit_choices_to={"kind": Organisation.Kind.GP_OFFICE},
        verbose_name=_("legekontor"),
    )
    her_id = models.PositiveIntegerField(
        _("HER-id"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(HER_ID_MAX)]
    )
    first_name = models.CharField(_("fornavn"), max_length=100)
    middle_name = models.CharField(_("mellomnavn"), max_length=100, blank=True)
    last_name = models.CharField(_("etternavn"), max_length=100)
    role = models.CharField(_("rolle"), max_length=10, choices=Role.choices, default=Role.FASTLEGE)

    class Meta:
        ordering = ["organisation", "last_name", "first_name"]
        verbose_name = _("behandler")
        verbose_name_plural = _("behandlere")
        constraints = [models.CheckConstraint(condition=Q(her_id__gt=0), name="practitioner_her_id_positive")]

    def __str__(self) -> str:
        return self.listed_name

    @property
    def display_name(self) -> str:
        """«August (Ddf - Tri) September»."""
        return " ".join(part for part in (self.first_name, self.middle_name, self.last_name) if part)

    @property
    def listed_name(self) -> str:
        """«August (Ddf - Tri) September (fastlege)», «Astrid Psa Info (vikar for fastlege)» (source 003)."""
        return f"{self.display_name} ({self.get_role_display()})"

    @property
    def full_name(self) -> str:
        """«August September», as Innboks and «Behandler: Fastlege August September» write it."""
        return f"{self.first_name} {self.last_name}"


class VikarAssignment(models.Model):
    """A vikar set on a fastlege for a period: the vikar books into the fastlege's timebook and receives the
    fastlege's dialogues while set (source 004). Removing it keeps the record (``removed_at``)."""

    fastlege = models.ForeignKey(
        Practitioner, on_delete=models.CASCADE, related_name="vikar_assignments", verbose_name=_("fastlege")
    )
    vikar = models.ForeignKey(Practitioner, on_delete=models.CASCADE, related_name="vikar_for", verbose_name=_("vikar"))
    valid_from = models.DateField(_("fra og med"), default=timezone.localdate)
    valid_to = models.DateField(_("til og med"), null=True, blank=True)
    removed_at = models.DateTimeField(_("fjernet"), null=True, blank=True)

    class Meta:
        ordering = ["fastlege", "-valid_from"]
        verbose_name = _("vikar for fastlege")
        verbose_name_plural = _("vikarer for fastleger")
        constraints = [
            models.CheckConstraint(condition=~Q(fastlege=F("vikar")), name="vikar_not_own_fastlege"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")), name="vikar_period_forward"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vikar.display_name} er vikar for {self.fastlege.display_name}"

    def is_set_on(self, day: dt.date) -> bool:
        return self.removed_at is None and self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


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
    """Which Django user works for which organisation, and may see and change only that organisation's data.
    At a GP office also the position's role and, for a practitioner, which ``Practitioner`` the user is: what
    routes a dialogue to «Pasientens behandler», a role or a single position (source 004)."""

    class Role(models.TextChoices):
        LEGE = "lege", _("Lege")
        HELSESEKRETAER = "helsesekretaer", _("Helsesekretær")
        SYKEPLEIER = "sykepleier", _("Sykepleier")
        BIOINGENIOR = "bioingenior", _("Bioingeniør")
        ADMINISTRATOR = "administrator", _("Klinikkadministrator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("bruker")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="staff_memberships", verbose_name=_("virksomhet")
    )
    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices, blank=True)
    practitioner = models.OneToOneField(
        Practitioner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="membership",
        verbose_name=_("behandler"),
        help_text=_("Behandleren denne brukeren er (fastlege, vikar, LIS1): får «Pasientens behandler»-dialogene."),
    )

    class Meta:
        verbose_name = _("ansatt i virksomhet")
        verbose_name_plural = _("ansatte i virksomheter")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="staffmembership_unique"),
        ]

    def __str__(self) -> str:
        name = self.user.get_full_name() or self.user.get_username()
        return f"{name} – {self.organisation}"


class StaffGroup(models.Model):
    """A group of staff at one organisation (e.g. «Resepsjonen», «LAB-gruppen»): a recipient of dialogues."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="staff_groups", verbose_name=_("virksomhet")
    )
    name = models.CharField(_("navn"), max_length=100)
    members = models.ManyToManyField(
        StaffMembership, blank=True, related_name="staff_groups", verbose_name=_("medlemmer")
    )

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("gruppe")
        verbose_name_plural = _("grupper")
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="staffgroup_unique_name")]

    def __str__(self) -> str:
        return self.name


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
    # «Tilpass Helsenorge» for a GP office (source 003): the three combinations of calendar booking and
    # timeønske give the citizen the three step-5 screens.
    calendar_booking = models.BooleanField(_("timebestilling i kalender"), default=True)
    time_wish = models.BooleanField(_("timeønske"), default=True)
    survey_choices = models.TextField(
        _("kartleggingsskjema"),
        blank=True,
        help_text=_("«Hva gjelder timebestillingen?»: ett valg per linje. Tomt: uten kartleggingsskjema."),
    )
    information = models.CharField(
        _("informasjon fra legekontoret"), max_length=300, blank=True, help_text=_("Maks 300 tegn.")
    )
    phone = models.CharField(_("telefonnummer"), max_length=20, blank=True)
    # Sources 003 and 004 disagree: 003 lists «Astrid Psa Info (vikar for fastlege)» under «Velg behandler»; 004's
    # journal system «har ikke støtte for denne løsningen», so «det ikke vil synes for pasienten at fastlegen har
    # vikar». Which one holds depends on the office's journal system: its setting, 003's by default.
    vikar_solution = models.BooleanField(
        _("Journalsystemet støtter vikarløsningen"),
        default=True,
        help_text=_(
            "På: vikarer satt på fastlegen vises for pasienten under «Velg behandler». Av: pasienten ser bare "
            "fastlegen, og det vil ikke synes for pasienten at fastlegen har vikar når timen bestilles."
        ),
    )
    urgent_online = models.BooleanField(_("hastetimer kan bestilles på nett"), default=False)
    urgent_online_hours_before = models.PositiveSmallIntegerField(
        _("hastetimer kan bestilles fra (timer før)"),
        default=24,
        validators=[MaxValueValidator(24 * 14)],
        help_text=_("En hastetime blir ledig på nett først så mange timer før den begynner."),
    )
    # The sources give no limit for booking with the fastlege (003 and 004 name none): the office sets it, as a
    # resource timebook has its own. The default is the one the fastlege's timebook had.
    fastlege_max_active_bookings = models.PositiveSmallIntegerField(
        _("maks aktive bestillinger hos fastlegen per innbygger"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("Hvor mange aktive timer en innbygger kan ha bestilt på nett i fastlegens timebok samtidig."),
    )

    class Meta:
        verbose_name = _("innstillinger for virksomheten")
        verbose_name_plural = _("innstillinger for virksomheten")
        constraints = [
            models.CheckConstraint(
                condition=Q(fastlege_max_active_bookings__gte=1), name="clinicsettings_fastlege_max_active_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Innstillinger for {self.organisation}"
