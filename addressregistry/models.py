"""Adresseregisteret (AR): organisations, their services, and the processes active on each service.

HER-ids identify both organisations and services; they are unique across the register, which the
database enforces per table and ``her_id_is_free`` checks across the two.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from stdnum.no import orgnr

from core import limits as core_limits

from .contact_names import contact_name
from .timebook_types import TimebookType

__all__ = ["Organisation", "ProcessChange", "Service", "ServiceProcess", "TimebookType"]

HER_ID_MAX = core_limits.HER_ID_MAX


def validate_orgnr(value: str) -> None:
    from django.core.exceptions import ValidationError

    if not orgnr.is_valid(value):
        raise ValidationError(_("Organisasjonsnummeret er ikke gyldig (ni siffer med riktig kontrollsiffer)."))


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Kommune")
        GP_OFFICE = "gp_office", _("Legekontor")
        OTHER = "other", _("Annen virksomhet")

    her_id = models.PositiveIntegerField(
        _("HER-id"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(HER_ID_MAX)]
    )
    name = models.CharField(_("navn"), max_length=200)
    organisation_number = models.CharField(
        _("organisasjonsnummer"), max_length=9, validators=[validate_orgnr], blank=True
    )
    kind = models.CharField(_("type virksomhet"), max_length=20, choices=Kind.choices)
    municipality_name = models.CharField(_("kommunenavn"), max_length=100)
    municipality_number = models.CharField(
        _("kommunenummer"),
        max_length=4,
        validators=[RegexValidator(r"^\d{4}$", _("Kommunenummeret har fire siffer."))],
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("virksomhet")
        verbose_name_plural = _("virksomheter")
        constraints = [
            models.CheckConstraint(condition=models.Q(her_id__gt=0), name="organisation_her_id_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("addressregistry:organisation", args=[self.her_id])

    @property
    def is_gp_office(self) -> bool:
        """A GP office (fastlegekontor) words some texts differently from a municipality (sources 001, 003)."""
        return self.kind == self.Kind.GP_OFFICE


class Service(models.Model):
    """A service (tjeneste) of an organisation, with its own HER-id, e.g. "Smittevern (Feberpoliklinikk Test)"."""

    class Type(models.TextChoices):
        SMITTEVERN = "smittevern", _("Smittevern")
        VAKSINASJON = "vaksinasjon", _("Vaksinasjon")
        LEGEVAKT = "legevakt", _("Legevakt")
        FASTLEGE = "fastlege", _("Fastlege")
        LEGEKONTOR = "legekontor", _("Legekontor")
        HELSESTASJON = "helsestasjon", _("Helsestasjon")
        OTHER = "other", _("Annen tjeneste")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="services", verbose_name=_("virksomhet")
    )
    her_id = models.PositiveIntegerField(
        _("HER-id"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(HER_ID_MAX)]
    )
    service_type = models.CharField(_("tjenestetype"), max_length=20, choices=Type.choices)
    name = models.CharField(
        _("visningsnavn"),
        max_length=200,
        help_text=_("Slik navnet vises på Helsenorge, f.eks. «Smittevern (Feberpoliklinikk Test)»."),
    )
    phone = models.CharField(_("telefon"), max_length=20, blank=True)

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("tjeneste")
        verbose_name_plural = _("tjenester")
        constraints = [
            models.CheckConstraint(condition=models.Q(her_id__gt=0), name="service_her_id_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.name} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("addressregistry:service", args=[self.her_id])

    @property
    def contact_name(self) -> str:
        """The service with its organisation: «Helsenorge kommune Smittevern (Feberpoliklinikk Test)»."""
        return f"{self.organisation.name} {self.name}"

    @property
    def listed_as(self) -> str:
        """As step 1 «Hvem vil du bestille time hos?» lists it (a GP office's: «Ditt fastlegekontor …»)."""
        return contact_name(self.organisation.name, self.organisation.kind, self.name)

    def active_processes(self) -> frozenset[str]:
        return frozenset(p.process for p in self.processes.all() if p.active)


class ServiceProcess(models.Model):
    """Whether one AR process is switched on for one service. Changes go through ``service_process_set``."""

    class Process(models.TextChoices):
        TIMEBESTILLING = "timebestilling", "Timebestilling"
        TIMERESERVASJON = "timereservasjon", "Timereservasjon"
        RESSURSOVERSIKT = "ressursoversikt", "Ressursoversikt"
        BEHANDLEROVERSIKT = "behandleroversikt", "Behandleroversikt"
        E_KONTAKT = "e_kontakt", "E-kontakt"
        E_KONSULTASJON = "e_konsultasjon", "E-konsultasjon"
        RESEPTFORNYELSE = "reseptfornyelse", "Reseptfornyelse"

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="processes", verbose_name=_("tjeneste"))
    process = models.CharField(_("prosess"), max_length=30, choices=Process.choices)
    active = models.BooleanField(_("aktiv"), default=False)

    class Meta:
        ordering = ["service", "process"]
        verbose_name = _("prosess på tjeneste")
        verbose_name_plural = _("prosesser på tjenester")
        constraints = [
            models.UniqueConstraint(fields=["service", "process"], name="service_process_unique"),
        ]

    def __str__(self) -> str:
        state = _("på") if self.active else _("av")
        return f"{self.get_process_display()} ({state})"


class ProcessChange(models.Model):
    """History: who switched which process on or off for a service, and when. Never edited."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="process_changes", verbose_name=_("tjeneste")
    )
    process = models.CharField(_("prosess"), max_length=30, choices=ServiceProcess.Process.choices)
    active = models.BooleanField(_("slått på"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("endret av"),
    )
    changed_by_label = models.CharField(
        _("endret av (navn)"), max_length=150, help_text=_("Navnet slik det var da endringen ble gjort.")
    )
    changed_at = models.DateTimeField(_("tidspunkt"), auto_now_add=True, db_index=True)
    note = models.CharField(_("merknad"), max_length=200, blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("prosessendring")
        verbose_name_plural = _("prosessendringer")

    def __str__(self) -> str:
        verb = "på" if self.active else "av"
        return f"{self.get_process_display()} {verb} ({self.changed_by_label}, {self.changed_at:%d.%m.%Y %H:%M})"
