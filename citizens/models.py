"""Citizens (innbyggere) and who may act for whom on the portal (parental responsibility, power of attorney)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from addressregistry.models import Organisation
from core.national_id import parse_national_id, validate_national_id
from resourcebooks.models import Practitioner


class Citizen(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="citizen", verbose_name=_("bruker")
    )
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
    fastlege = models.ForeignKey(
        Practitioner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="list_patients",
        limit_choices_to={"role": Practitioner.Role.FASTLEGE},
        verbose_name=_("fastlege"),
        help_text=_("Fastlegelisten: hvilken fastleges liste innbyggeren står på."),
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
        db_table = "booking_citizen"  # the table it had when citizens lived in booking
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

    def contact_choices(self) -> dict[str, Any]:
        """Where and how the person chose to be notified, as plain values (``notifications.portal_channels``)."""
        return {
            "phone": self.phone,
            "email": self.email,
            "sms": self.notify_sms,
            "mail": self.notify_email,
            "push": self.notify_push,
        }


class RepresentationQuerySet(models.QuerySet["Representation"]):
    def valid_on(self, day: dt.date) -> RepresentationQuerySet:
        """Not revoked, and not expired on ``day``. (A parent's also ends when the child turns 16: see
        ``citizens.selectors``, which knows the child's age.)"""
        return self.filter(revoked_at__isnull=True).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class Representation(models.Model):
    """``representative`` may act for ``represented`` on the portal: parental responsibility for a child under
    16, or a power of attorney, which may run out (``valid_to``) or be revoked (``revoked_at``, kept for the
    record rather than deleted)."""

    class Kind(models.TextChoices):
        PARENT = "parent", _("Foreldreansvar")
        POWER_OF_ATTORNEY = "power_of_attorney", _("Fullmakt")

    representative = models.ForeignKey(
        Citizen, on_delete=models.CASCADE, related_name="represents", verbose_name=_("representant")
    )
    represented = models.ForeignKey(
        Citizen, on_delete=models.CASCADE, related_name="represented_by", verbose_name=_("den som representeres")
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    valid_to = models.DateField(_("gyldig til og med"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("trukket tilbake"), null=True, blank=True)

    objects = RepresentationQuerySet.as_manager()

    class Meta:
        db_table = "booking_representation"
        verbose_name = _("representasjon")
        verbose_name_plural = _("representasjoner")
        constraints = [
            models.UniqueConstraint(fields=["representative", "represented"], name="representation_unique"),
            models.CheckConstraint(condition=~Q(representative=F("represented")), name="representation_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.representative} → {self.represented} ({self.get_kind_display()})"
