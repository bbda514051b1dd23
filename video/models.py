"""A video room's signalling (issue 13): what the two browsers send each other through the portal.

Moved from booking (issue 21): migration ``booking/0009`` forgets the model and ``video/0001`` takes it over,
state only: the table keeps its name, ``booking_videosignal``, and no row moves.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from booking.models import Appointment


class VideoSignal(models.Model):
    """One message through a video room's signalling (issue 13): the two browsers' WebRTC offer, answer and
    ICE candidates, each side's arrival and leaving, the practitioner's «Slipp inn», camera and microphone
    on or off. There is no video service: the portal only passes these on, and the id is the cursor a side
    polls from."""

    class Sender(models.TextChoices):
        PATIENT = "patient", _("pasient")
        PRACTITIONER = "practitioner", _("behandler")

    class Kind(models.TextChoices):
        JOIN = "join", _("kom inn i rommet")
        ADMIT = "admit", _("sluppet inn")
        OFFER = "offer", _("tilbud (WebRTC)")
        ANSWER = "answer", _("svar (WebRTC)")
        CANDIDATE = "candidate", _("nettverksadresse (WebRTC)")
        MEDIA = "media", _("kamera eller mikrofon av/på")
        LEAVE = "leave", _("forlot rommet")

    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="video_signals", verbose_name=_("timeavtale")
    )
    sender = models.CharField(_("avsender"), max_length=12, choices=Sender.choices)
    kind = models.CharField(_("slag"), max_length=10, choices=Kind.choices)
    payload = models.JSONField(_("innhold"), default=dict, blank=True)
    created_at = models.DateTimeField(_("sendt"), default=timezone.now)

    class Meta:
        db_table = "booking_videosignal"  # the table it had in booking (moved state only, as citizens did)
        ordering = ["pk"]
        verbose_name = _("signal i videorom")
        verbose_name_plural = _("signaler i videorom")
        constraints = [
            models.CheckConstraint(condition=Q(sender__in=["patient", "practitioner"]), name="video_signal_sender"),
            models.CheckConstraint(
                condition=Q(kind__in=["join", "admit", "offer", "answer", "candidate", "media", "leave"]),
                name="video_signal_kind",
            ),
            # Only the practitioner lets anyone in, even if a bug in the service let a patient's «admit» through.
            models.CheckConstraint(
                condition=~Q(sender="patient", kind="admit"), name="video_signal_only_practitioner_admits"
            ),
        ]
        indexes = [models.Index(fields=["appointment", "sender", "id"], name="video_signal_cursor")]

    def __str__(self) -> str:
        return f"{self.get_sender_display()}: {self.get_kind_display()} ({self.appointment_id})"
