"""The audit trail (Normen's logging): plain values, so any app may record here and nothing is lost when the
object is deleted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Who (citizen, representative, staff, support) read or changed what, and when (Normen's logging).

    Plain values only, so any app may record here and nothing is lost when the object is deleted. Never edited:
    the admin shows it read-only.
    """

    class Action(models.TextChoices):
        READ = "read", _("Lest")
        CREATE = "create", _("Opprettet")
        UPDATE = "update", _("Endret")
        DELETE = "delete", _("Slettet")

    at = models.DateTimeField(_("tidspunkt"), auto_now_add=True, db_index=True)
    actor_kind = models.CharField(_("hvem"), max_length=20)
    actor_label = models.CharField(_("navn"), max_length=200)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bruker"),
    )
    acting_for = models.CharField(_("på vegne av"), max_length=200, blank=True)
    action = models.CharField(_("handling"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("objekttype"), max_length=50, db_index=True)
    object_id = models.CharField(_("objekt-id"), max_length=50, db_index=True)
    organisation_her_id = models.PositiveIntegerField(_("virksomhet (HER-id)"), null=True, blank=True)
    summary = models.CharField(_("beskrivelse"), max_length=300, blank=True)

    class Meta:
        # The table keeps the name it had when the audit trail lived in addressregistry.
        db_table = "addressregistry_auditevent"
        ordering = ["-at", "-id"]
        verbose_name = _("revisjonslogg")
        verbose_name_plural = _("revisjonslogg")

    def __str__(self) -> str:
        what = f"{self.get_action_display()} {self.object_type} {self.object_id}"
        return f"{self.at:%d.%m.%Y %H:%M} {self.actor_label}: {what}"
