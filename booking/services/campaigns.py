"""Invitation SMS in batches with pauses (source 002: avoid everyone trying to book at the same moment)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest
from django.utils import timezone

import audit
from citizens.models import Citizen
from notifications.models import Notification
from notifications.services import Outgoing, notifications_enqueue
from resourcebooks.models import Timebook
from resourcebooks.waiting import waiting_queue_is_long

from ..errors import BookingError
from ..models import CampaignRecipient, InvitationCampaign
from ..texts import campaign_default_text

log = logging.getLogger(__name__)

__all__ = ["campaign_create", "campaign_default_text", "campaign_pause", "campaign_resume", "campaigns_tick"]


def campaign_create(
    *,
    timebook: Timebook,
    born_from: int,
    born_to: int,
    batch_size: int,
    pause_seconds: int,
    text: str,
    created_by: Any = None,
) -> InvitationCampaign:
    """Pick the recipients (citizens of the timebook's municipality or GP list, born in the years, with a
    mobile number) and start sending at once, one batch at a time."""
    if born_to < born_from:
        raise BookingError("«Født til og med» kan ikke være før «født fra og med».")
    if batch_size < 1:
        raise BookingError("Antall per bolk må være minst 1.")
    org = timebook.service.organisation
    people = Citizen.objects.filter(Q(municipality=org) | Q(gp_office=org)).exclude(phone="")
    chosen = [c.pk for c in people.only("pk", "national_id") if born_from <= c.birth_date.year <= born_to]
    with transaction.atomic():
        campaign = InvitationCampaign.objects.create(
            timebook=timebook,
            born_from=born_from,
            born_to=born_to,
            batch_size=batch_size,
            pause_seconds=pause_seconds,
            text=text.strip() or campaign_default_text(timebook),
            total=len(chosen),
            created_by=created_by,
            state=InvitationCampaign.State.RUNNING if chosen else InvitationCampaign.State.DONE,
        )
        CampaignRecipient.objects.bulk_create(
            [CampaignRecipient(campaign=campaign, citizen_id=pk) for pk in chosen], batch_size=2000
        )
        summary = f"{timebook.name}: født {born_from}–{born_to}, {len(chosen)} mottakere"
        audit.record("create", "campaign", campaign.pk, organisation_her_id=org.her_id, summary=summary)
    return campaign


def campaign_pause(*, campaign: InvitationCampaign) -> bool:
    """A running campaign stops after the batch it is sending; False if it was not running."""
    with transaction.atomic():
        paused = InvitationCampaign.objects.filter(pk=campaign.pk, state=InvitationCampaign.State.RUNNING).update(
            state=InvitationCampaign.State.PAUSED
        )
        if paused:
            _record_update(campaign, "Satt på pause")
    return paused == 1


def campaign_resume(*, campaign: InvitationCampaign) -> bool:
    """A paused campaign goes on; False if it was not paused."""
    with transaction.atomic():
        resumed = InvitationCampaign.objects.filter(pk=campaign.pk, state=InvitationCampaign.State.PAUSED).update(
            # What is left of the pause between batches is kept.
            state=InvitationCampaign.State.RUNNING,
            next_batch_at=Greatest(F("next_batch_at"), Value(timezone.now())),
        )
        if resumed:
            _record_update(campaign, "Utsendelsen fortsetter")
    return resumed == 1


def _record_update(campaign: InvitationCampaign, summary: str) -> None:
    her_id = campaign.timebook.service.organisation.her_id
    audit.record("update", "campaign", campaign.pk, organisation_her_id=her_id, summary=summary)


def _invitations_write(campaign: InvitationCampaign, batch: list[CampaignRecipient]) -> None:
    """One invitation SMS per recipient of the batch, each with its own dedupe key."""
    org = campaign.timebook.service.organisation
    notifications_enqueue(
        [
            Outgoing(
                dedupe_key=f"campaign:{campaign.pk}:citizen:{r.citizen_id}:sms",
                recipient_key=f"citizen:{r.citizen_id}",
                recipient_name=r.citizen.full_name,
                channel=Notification.Channel.SMS,
                address=r.citizen.phone,
                event=Notification.Event.INVITATION,
                text=campaign.text,
                owner_her_id=org.her_id,
                sender_name=org.name,
            )
            for r in batch
        ]
    )


def campaigns_tick(*, now: dt.datetime | None = None) -> int:
    """Send the next batch of every running campaign whose pause is over; returns how many SMS were written.
    A campaign whose timebook has a long queue in its waiting room (over half a minute's admissions), or while
    the portal's door has one, waits.

    A campaign is claimed for a batch by moving its ``next_batch_at`` forward in one conditional update,
    so two ticks at once never send the same batch; each SMS also has its own dedupe key.
    """
    now = now or timezone.now()
    written = 0
    due = InvitationCampaign.objects.filter(state=InvitationCampaign.State.RUNNING, next_batch_at__lte=now)
    for campaign in due.select_related("timebook__service__organisation"):
        if waiting_queue_is_long(campaign.timebook):
            # Source 002: don't send more people into a rush. The batch stays due and goes at the first tick
            # after the queue is short again; the pause between batches is kept from then on.
            log.info(
                "Invitasjon %s venter med neste bolk: lang kø i venterommet til timeboken %s "
                "eller ved portalens inngang.",
                campaign.pk,
                campaign.timebook_id,
            )
            continue
        with transaction.atomic():
            claimed = InvitationCampaign.objects.filter(
                pk=campaign.pk, state=InvitationCampaign.State.RUNNING, next_batch_at=campaign.next_batch_at
            ).update(next_batch_at=now + dt.timedelta(seconds=campaign.pause_seconds))
            if claimed != 1:
                continue
            batch = list(
                CampaignRecipient.objects.filter(campaign=campaign, sent_at__isnull=True)
                .select_related("citizen")
                .order_by("pk")[: campaign.batch_size]
            )
            _invitations_write(campaign, batch)
            CampaignRecipient.objects.filter(pk__in=[r.pk for r in batch]).update(sent_at=now)
            remaining = CampaignRecipient.objects.filter(campaign=campaign, sent_at__isnull=True).exists()
            InvitationCampaign.objects.filter(pk=campaign.pk).update(
                sent_count=F("sent_count") + len(batch),
                state=InvitationCampaign.State.RUNNING if remaining else InvitationCampaign.State.DONE,
            )
            written += len(batch)
    return written
