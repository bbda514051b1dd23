"""Invitations on SMS in batches (source 002: avoid a rush): the recipients by municipality and birth years,
one batch per tick and then a pause, pause and resume, no batch sent twice, and the admin's progress bar."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from booking.models import CampaignRecipient, InvitationCampaign
from booking.services import BookingError, campaign_create, campaign_pause, campaign_resume, campaigns_tick
from booking.tasks import campaigns_tick_task
from notifications.models import Notification
from tests.factories import NO_PASSWORD, CitizenFactory, StaffMembershipFactory, UserFactory
from tests.notifications.support import in_threads
from tests.pages import log_in, text_of
from tests.world import ACTOR, build_world

pytestmark = pytest.mark.django_db

PAUSE = 300
CHANGELIST = reverse("admin:booking_invitationcampaign_changelist")
ADD = reverse("admin:booking_invitationcampaign_add")


def resident(world, year: int, **fields):
    fields.setdefault("phone", f"+47412{year:05d}")
    return CitizenFactory(
        municipality=world.organisation,
        birth_date=dt.date(year, 5, 17),
        first_name=f"Født{year}",
        user__password=NO_PASSWORD,
        **fields,
    )


def start(world, *, born=(1950, 1970), batch_size=2, pause=PAUSE, text="") -> InvitationCampaign:
    return campaign_create(
        timebook=world.timebook,
        born_from=born[0],
        born_to=born[1],
        batch_size=batch_size,
        pause_seconds=pause,
        text=text,
    )


def invitations(campaign: InvitationCampaign) -> list[Notification]:
    return list(Notification.objects.filter(dedupe_key__startswith=f"campaign:{campaign.pk}:").order_by("pk"))


def fresh(campaign: InvitationCampaign) -> InvitationCampaign:
    return InvitationCampaign.objects.get(pk=campaign.pk)


@pytest.fixture
def five(world):
    """Five citizens born 1950–1970 with a mobile number."""
    return [resident(world, year) for year in (1950, 1955, 1960, 1965, 1970)]


# --- Who is invited --------------------------------------------------------------------------------------


def test_it_picks_citizens_of_the_municipality_born_in_the_years_with_a_mobile_number(world, five):
    resident(world, 1960, phone="")
    resident(world, 1980)
    CitizenFactory(birth_date=dt.date(1960, 1, 1), user__password=NO_PASSWORD)  # another municipality

    campaign = start(world, born=(1955, 1965))

    chosen = set(CampaignRecipient.objects.filter(campaign=campaign).values_list("citizen_id", flat=True))
    assert chosen == {five[1].pk, five[2].pk, five[3].pk}
    assert campaign.total == 3
    assert campaign.sent_count == 0
    assert campaign.state == InvitationCampaign.State.RUNNING


def test_the_default_text_says_booking_is_open_where(world, five):
    campaign = start(world)

    assert campaign.text == (
        f"Nå kan du bestille time til vaksine hos {ACTOR}. Logg inn på Helsenorge, velg Timeavtaler og Bestill time."
    )


def test_a_campaign_without_recipients_is_done_at_once(world, five):
    campaign = start(world, born=(2001, 2002))

    assert (campaign.total, campaign.state) == (0, InvitationCampaign.State.DONE)
    assert campaigns_tick(now=timezone.now()) == 0


@pytest.mark.parametrize(
    ("born", "batch_size", "message"),
    [
        ((1970, 1950), 10, "«Født til og med» kan ikke være før «født fra og med»."),
        ((1950, 1970), 0, "Antall per bolk må være minst 1."),
    ],
)
def test_a_wrong_campaign_is_refused_in_norwegian(world, born, batch_size, message):
    with pytest.raises(BookingError) as refused:
        start(world, born=born, batch_size=batch_size)

    assert refused.value.message == message
    assert not InvitationCampaign.objects.exists()


# --- Batches and pauses ----------------------------------------------------------------------------------


def test_each_tick_sends_one_batch_and_then_waits_out_the_pause(world, five):
    campaign = start(world, batch_size=2, text="Nå kan du bestille influensavaksine.")
    t0 = timezone.now()

    assert campaigns_tick(now=t0) == 2
    assert fresh(campaign).sent_count == 2
    assert campaigns_tick(now=t0 + dt.timedelta(seconds=PAUSE - 1)) == 0  # the pause is not over
    assert fresh(campaign).sent_count == 2

    assert campaigns_tick(now=t0 + dt.timedelta(seconds=PAUSE)) == 2
    assert fresh(campaign).sent_count == 4
    assert fresh(campaign).state == InvitationCampaign.State.RUNNING

    assert campaigns_tick(now=t0 + dt.timedelta(seconds=2 * PAUSE)) == 1
    campaign = fresh(campaign)
    assert (campaign.sent_count, campaign.total, campaign.state) == (5, 5, InvitationCampaign.State.DONE)
    assert campaigns_tick(now=t0 + dt.timedelta(seconds=3 * PAUSE)) == 0

    sms = invitations(campaign)
    assert len(sms) == 5
    assert {n.recipient_key for n in sms} == {f"citizen:{c.pk}" for c in five}
    for n in sms:
        assert n.channel == Notification.Channel.SMS
        assert n.event == Notification.Event.INVITATION
        assert n.text == "Nå kan du bestille influensavaksine."
        assert n.sender_name == "Helsenorge kommune"
        assert n.owner_her_id == world.organisation.her_id


def test_the_batches_go_in_a_stable_order_and_nobody_twice(world, five):
    campaign = start(world, batch_size=2)
    t0 = timezone.now()

    for i in range(3):
        campaigns_tick(now=t0 + dt.timedelta(seconds=i * PAUSE))

    keys = [n.recipient_key for n in invitations(campaign)]
    assert len(keys) == len(set(keys)) == 5
    assert not CampaignRecipient.objects.filter(campaign=campaign, sent_at__isnull=True).exists()


def test_the_invitations_are_delivered_to_the_phones(client, world, five, django_capture_on_commit_callbacks):
    campaign = start(world, batch_size=5, text="Nå kan du bestille influensavaksine.")

    with django_capture_on_commit_callbacks(execute=True):
        campaigns_tick_task.apply()

    assert {n.state for n in invitations(campaign)} == {Notification.State.SENT}
    assert "Nå kan du bestille influensavaksine." in text_of(log_in(client, five[0]).get("/telefon/"))


def test_pause_stops_the_ticks_and_resume_continues(world, five):
    campaign = start(world, batch_size=2)
    t0 = timezone.now()
    campaigns_tick(now=t0)

    assert campaign_pause(campaign=campaign) is True
    assert campaign_pause(campaign=campaign) is False  # already paused
    assert campaigns_tick(now=t0 + dt.timedelta(seconds=10 * PAUSE)) == 0
    assert fresh(campaign).state == InvitationCampaign.State.PAUSED
    assert fresh(campaign).sent_count == 2

    assert campaign_resume(campaign=campaign) is True
    assert campaign_resume(campaign=campaign) is False  # already running
    # Resuming keeps what is left of the pause between batches, then the next batch goes.
    assert campaigns_tick(now=t0 + dt.timedelta(seconds=1)) == 0
    assert campaigns_tick(now=t0 + dt.timedelta(seconds=PAUSE + 1)) == 2
    assert fresh(campaign).sent_count == 4


def test_a_finished_campaign_cannot_be_paused_or_resumed(world, five):
    campaign = start(world, batch_size=10)
    campaigns_tick(now=timezone.now())

    assert campaign_pause(campaign=campaign) is False
    assert campaign_resume(campaign=campaign) is False
    assert fresh(campaign).state == InvitationCampaign.State.DONE


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_ticks_do_not_send_a_batch_twice():
    world = build_world()
    people = [resident(world, 1950 + i) for i in range(7)]
    campaign = start(world, born=(1950, 1960), batch_size=3)
    now = timezone.now()

    results = in_threads(lambda: campaigns_tick(now=now), count=3)

    assert sorted(results) == [0, 0, 3], results
    assert len(invitations(campaign)) == 3
    assert CampaignRecipient.objects.filter(campaign=campaign, sent_at__isnull=False).count() == 3
    assert fresh(campaign).sent_count == 3
    assert len(people) == fresh(campaign).total


# --- In the clinic admin ---------------------------------------------------------------------------------


def staff_of(client, organisation, username="kommune-ansatt"):
    user = UserFactory(username=username, is_staff=True, password=NO_PASSWORD)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="booking",
            codename__in=["view_invitationcampaign", "add_invitationcampaign", "change_invitationcampaign"],
        )
    )
    StaffMembershipFactory(user=user, organisation=organisation)
    client.force_login(user)
    return user


def test_the_admin_list_shows_the_progress_bar(client, world, five):
    campaign = start(world, batch_size=2)
    campaigns_tick(now=timezone.now())
    staff_of(client, world.organisation)

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<progress max="5" value="2" aria-label="2 av 5 sendt"></progress> 2 / 5' in html
    assert [c.pk for c in response.context["cl"].result_list] == [campaign.pk]


def test_staff_create_a_campaign_in_the_admin_and_it_starts(client, world, five):
    user = staff_of(client, world.organisation)

    response = client.post(
        ADD,
        {
            "timebook": world.timebook.pk,
            "born_from": 1955,
            "born_to": 1965,
            "batch_size": 2,
            "pause_seconds": 60,
            "text": "",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    campaign = InvitationCampaign.objects.get()
    assert (campaign.timebook, campaign.total, campaign.created_by) == (world.timebook, 3, user)
    assert campaign.state == InvitationCampaign.State.RUNNING
    assert campaign.text.startswith("Nå kan du bestille time til vaksine hos ")
    assert campaigns_tick(now=timezone.now()) == 2


def test_staff_cannot_start_a_campaign_for_another_organisations_timebook(client, world, five):
    other = build_world(organisation_name="Beste kommune")
    staff_of(client, world.organisation)

    response = client.post(
        ADD,
        {"timebook": other.timebook.pk, "born_from": 1950, "born_to": 1970, "batch_size": 2, "pause_seconds": 60},
    )

    assert response.status_code == 200
    assert "timebook" in response.context["adminform"].form.errors
    assert not InvitationCampaign.objects.exists()


def test_staff_of_another_organisation_do_not_see_the_campaign(client, world, five):
    start(world)
    other = build_world(organisation_name="Beste kommune")
    staff_of(client, other.organisation, username="beste-ansatt")

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


def test_staff_pause_and_resume_in_the_admin(client, world, five):
    campaign = start(world, batch_size=2)
    staff_of(client, world.organisation)

    client.post(CHANGELIST, {"action": "pause", "_selected_action": [campaign.pk]})
    assert fresh(campaign).state == InvitationCampaign.State.PAUSED

    client.post(CHANGELIST, {"action": "resume", "_selected_action": [campaign.pk]})
    assert fresh(campaign).state == InvitationCampaign.State.RUNNING
