"""Dialogues with a GP office and where they go (source 004 «Dialoger», «Motta dialog», «Reseptforespørsler»,
«Ved ferie og fravær»).

A ``Dialogue`` is the clinic's side of an Innboks ``Thread`` (which alone holds the kind, the patient and the
office): the patient's fastlege when it was sent, whether it is journalled, a prescription request's outcome, and
the ``DialogueRoute`` rows saying whose inbox it went to. Who sees it is worked out when they look (``selectors``),
so a vikar sees the fastlege's dialogues while set and, once removed, only those they took part in.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from addressregistry.models import Organisation
from citizens.models import Citizen
from inbox.models import Thread
from resourcebooks.models import Practitioner, StaffGroup, StaffMembership

Kind = Thread.Kind


class Target(models.TextChoices):
    """Who a dialogue can be routed to: «Enkeltstillinger», «Grupper», «Roller», «Hele klinikken» (source 004)."""

    MEMBER = "member", _("Enkeltstilling")
    GROUP = "group", _("Gruppe")
    ROLE = "role", _("Rolle")
    CLINIC = "clinic", _("Hele klinikken")


def _one_target() -> Q:
    """Exactly the field the target names is set."""
    member, group, role = Q(membership__isnull=False), Q(group__isnull=False), ~Q(role="")
    return (
        (Q(target=Target.MEMBER) & member & ~group & Q(role=""))
        | (Q(target=Target.GROUP) & group & ~member & Q(role=""))
        | (Q(target=Target.ROLE) & role & ~member & ~group)
        | (Q(target=Target.CLINIC) & ~member & ~group & Q(role=""))
    )


class RoutingSetting(models.Model):
    """«Mottakerformat» for one kind of message at one office. Without a row the source's defaults hold:
    e-konsultasjon to the patient's behandler, e-kontakt and reseptfornyelse to the whole clinic."""

    class Mode(models.TextChoices):
        BEHANDLER = "behandler", _("Pasientens behandler")
        FIXED = "fixed", _("Fast (klinikken velger mottaker)")
        BOTH = "both", _("Fast (klinikken velger mottaker) og pasientens behandler")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="routing_settings",
        limit_choices_to={"kind": Organisation.Kind.GP_OFFICE},
        verbose_name=_("legekontor"),
    )
    kind = models.CharField(_("meldingstype"), max_length=20, choices=Kind.choices)
    mode = models.CharField(_("mottakerformat"), max_length=10, choices=Mode.choices)

    class Meta:
        ordering = ["organisation", "kind"]
        verbose_name = _("mottaker av dialoger")
        verbose_name_plural = _("mottakere av dialoger (HelseNorge-oppsett)")
        constraints = [models.UniqueConstraint(fields=["organisation", "kind"], name="routingsetting_unique_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_mode_display()}"


class RoutingRecipient(models.Model):
    """One «Mottaker» of a fixed routing."""

    setting = models.ForeignKey(
        RoutingSetting, on_delete=models.CASCADE, related_name="recipients", verbose_name=_("oppsett")
    )
    target = models.CharField(_("mottaker"), max_length=10, choices=Target.choices)
    membership = models.ForeignKey(
        StaffMembership, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("ansatt")
    )
    group = models.ForeignKey(
        StaffGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("gruppe")
    )
    role = models.CharField(_("rolle"), max_length=20, choices=StaffMembership.Role.choices, blank=True)

    class Meta:
        verbose_name = _("mottaker")
        verbose_name_plural = _("mottakere")
        constraints = [
            models.CheckConstraint(
                condition=_one_target(),
                name="routingrecipient_one_target",
                violation_error_message=_(
                    "Velg mottakeren som passer til typen: en ansatt for «Enkeltstilling», en gruppe for «Gruppe», "
                    "en rolle for «Rolle», og ingen av dem for «Hele klinikken»."
                ),
            )
        ]

    def __str__(self) -> str:
        return describe_target(self.target, self.membership, self.group, self.role)


class RoutingAbsence(models.Model):
    """«Dialoger skal håndteres av noen andre» (source 004, alternative 2): for a period, what would go to a
    fastlege as «Pasientens behandler» goes to someone else instead."""

    fastlege = models.ForeignKey(
        Practitioner,
        on_delete=models.CASCADE,
        related_name="routing_absences",
        limit_choices_to={"role": Practitioner.Role.FASTLEGE},
        verbose_name=_("fastlege"),
    )
    substitute = models.ForeignKey(
        StaffMembership, on_delete=models.CASCADE, related_name="+", verbose_name=_("håndteres av")
    )
    valid_from = models.DateField(_("fra og med"), default=timezone.localdate)
    valid_to = models.DateField(_("til og med"))

    class Meta:
        ordering = ["fastlege", "-valid_from"]
        verbose_name = _("fravær: dialoger til en annen")
        verbose_name_plural = _("fravær: dialoger til en annen")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gte=models.F("valid_from")),
                name="absence_period_forward",
                violation_error_message=_("«Til og med» kan ikke være før «Fra og med»."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fastlege.display_name} → {self.substitute} ({self.valid_from:%d.%m.%Y}–{self.valid_to:%d.%m.%Y})"


class Prescription(models.Model):
    """One of the citizen's earlier prescriptions: what «Forny resept» offers to renew."""

    citizen = models.ForeignKey(
        Citizen, on_delete=models.CASCADE, related_name="prescriptions", verbose_name=_("pasient")
    )
    medication = models.CharField(_("legemiddel"), max_length=100)
    strength = models.CharField(_("styrke"), max_length=50, blank=True)
    dosage = models.CharField(_("dosering"), max_length=200, blank=True)
    prescribed_on = models.DateField(_("forskrevet"))
    prescriber = models.CharField(_("forskrevet av"), max_length=200, blank=True)

    class Meta:
        ordering = ["citizen", "medication"]
        verbose_name = _("resept")
        verbose_name_plural = _("resepter")

    def __str__(self) -> str:
        return f"{self.medication} {self.strength}".strip()


class Dialogue(models.Model):
    class Outcome(models.TextChoices):
        """The four answers to a prescription request (source 004), shown to the patient as a note."""

        REJECTED = "avvist", _("Forespørsel avvist")
        RENEWED = "fornyet", _("Resept fornyet")
        CANNOT_RENEW = "kan_ikke", _("Resept kan ikke fornyes")
        PARTLY_RENEWED = "delvis", _("Resepter delvis fornyet")

    # The kind, the patient and the office are the thread's, stored there only (read them through the properties
    # below, and filter on ``thread__kind``, ``thread__citizen``, ``thread__organisation``).
    thread = models.OneToOneField(Thread, on_delete=models.CASCADE, related_name="dialogue", verbose_name=_("samtale"))
    fastlege = models.ForeignKey(
        Practitioner, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("fastlege")
    )
    started_by_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("startet av ansatt"),
    )
    time_request = models.OneToOneField(
        "booking.TimeRequest",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="dialogue",
        verbose_name=_("timeforespørsel"),
    )
    prescriptions = models.ManyToManyField(Prescription, blank=True, related_name="+", verbose_name=_("resepter"))
    outcome = models.CharField(_("svar på reseptforespørsel"), max_length=10, choices=Outcome.choices, blank=True)
    journalled_at = models.DateTimeField(_("journalført"), null=True, blank=True)
    converted_at = models.DateTimeField(_("konvertert til e-konsultasjon"), null=True, blank=True)
    created_at = models.DateTimeField(_("opprettet"), default=timezone.now, db_index=True)
    # When the patient side last wrote: a staff member who read it before then has something unread.
    patient_wrote_at = models.DateTimeField(_("sist skrevet av pasienten"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("dialog")
        verbose_name_plural = _("dialoger")
        # Two rules join the thread's kind, which no CHECK can see: an e-konsultasjon is journalled, always (source
        # 004), and only a prescription request has an outcome. The database keeps them by triggers on both tables
        # (migration 0003, ``dialogue_consultation_journalled`` and ``dialogue_outcome_only_prescriptions``).

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.thread.subject}"

    @property
    def kind(self) -> str:
        return self.thread.kind

    @property
    def citizen(self) -> Citizen:
        return self.thread.citizen

    @property
    def citizen_id(self) -> int:
        return self.thread.citizen_id

    @property
    def organisation(self) -> Organisation:
        return self.thread.organisation

    @property
    def organisation_id(self) -> int:
        return self.thread.organisation_id

    def get_kind_display(self) -> str:
        return self.thread.get_kind_display()


class DialogueRoute(models.Model):
    """Whose inbox a dialogue went to, fixed when it was sent: a practitioner (as «Pasientens behandler»; their
    vikarer see it through them), or one of the fixed targets."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="routes", verbose_name=_("dialog"))
    target = models.CharField(_("mottaker"), max_length=10, choices=[("behandler", _("Behandler")), *Target.choices])
    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("behandler")
    )
    membership = models.ForeignKey(
        StaffMembership, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("ansatt")
    )
    group = models.ForeignKey(
        StaffGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("gruppe")
    )
    role = models.CharField(_("rolle"), max_length=20, choices=StaffMembership.Role.choices, blank=True)

    class Meta:
        verbose_name = _("ruting")
        verbose_name_plural = _("ruting")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        target="behandler",
                        practitioner__isnull=False,
                        membership__isnull=True,
                        group__isnull=True,
                        role="",
                    )
                )
                | (_one_target() & Q(practitioner__isnull=True)),
                name="dialogueroute_one_target",
            ),
        ]

    def __str__(self) -> str:
        if self.target == "behandler" and self.practitioner is not None:
            return self.practitioner.listed_name
        return describe_target(self.target, self.membership, self.group, self.role)


class StaffRead(models.Model):
    """When a member of staff last opened a dialogue: what is unread for them."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dialogue", "user"], name="staffread_unique")]

    def __str__(self) -> str:
        return f"{self.user} leste {self.dialogue_id} {self.read_at:%d.%m.%Y %H:%M}"


class JournalEntry(models.Model):
    """The dialogue as written to the patient's journal: an e-konsultasjon when sent, an e-kontakt when
    converted (source 004 «Journalføre dialoger»). Once per dialogue."""

    dialogue = models.OneToOneField(
        Dialogue, on_delete=models.CASCADE, related_name="journal_entry", verbose_name=_("dialog")
    )
    citizen = models.ForeignKey(
        Citizen, on_delete=models.CASCADE, related_name="journal_entries", verbose_name=_("pasient")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("legekontor")
    )
    written_at = models.DateTimeField(_("journalført"), default=timezone.now)
    title = models.CharField(_("tittel"), max_length=250)

    class Meta:
        ordering = ["-written_at"]
        verbose_name = _("journalnotat")
        verbose_name_plural = _("journalnotater")

    def __str__(self) -> str:
        return self.title


def describe_target(target: str, membership: StaffMembership | None, group: StaffGroup | None, role: str) -> str:
    if target == Target.MEMBER and membership is not None:
        return membership.user.get_full_name() or membership.user.get_username()
    if target == Target.GROUP and group is not None:
        return str(_("Gruppe: %(name)s") % {"name": group.name})
    if target == Target.ROLE:
        return str(_("Rolle: %(role)s") % {"role": StaffMembership.Role(role).label})
    return str(Target.CLINIC.label)
