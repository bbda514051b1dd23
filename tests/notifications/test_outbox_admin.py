"""The outbox in the clinic admin: staff see their own organisation's rows with attempts and last error, filter
them, and retry failed ones; another organisation's rows are neither listed nor retried."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notifications.delivery import MAX_ATTEMPTS, notification_deliver
from notifications.models import Notification
from notifications.services import Outgoing, notifications_enqueue
from tests.factories import NO_PASSWORD, OrganisationFactory, StaffMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

OUTBOX = reverse("admin:notifications_notification_changelist")


@pytest.fixture
def own():
    return OrganisationFactory(name="Helsenorge kommune")


@pytest.fixture
def other():
    return OrganisationFactory(name="Beste kommune")


def staff_client(client, organisation):
    user = UserFactory(username=f"ansatt-{organisation.her_id}", is_staff=True, password=NO_PASSWORD)
    StaffMembershipFactory(user=user, organisation=organisation)
    client.force_login(user)
    return client


def row(
    organisation, *, name="Kari Nordmann", channel="sms", state=Notification.State.PENDING, error=""
) -> Notification:
    (notification,) = notifications_enqueue(
        [
            Outgoing(
                dedupe_key=f"test:{organisation.her_id}:{name}:{channel}",
                recipient_key="citizen:1",
                recipient_name=name,
                channel=channel,
                address={"sms": "+4741234567", "push": "app"}[channel],
                event=Notification.Event.CONFIRMED,
                text=f"{name.split()[0]}, du har fått time til vaksine.",
                owner_her_id=organisation.her_id,
                sender_name="Helsenorge",
            )
        ]
    )
    if state == Notification.State.FAILED:
        Notification.objects.filter(pk=notification.pk).update(state=state, attempts=MAX_ATTEMPTS, last_error=error)
    notification.refresh_from_db()
    return notification


def listed(response) -> set[int]:
    assert response.status_code == 200
    return {n.pk for n in response.context["cl"].result_list}


def test_staff_see_their_failed_rows_with_attempts_and_last_error(client, own):
    failed = row(own, state=Notification.State.FAILED, error="Simulert feil i kanalen sms")
    row(own, name="Ola Nordmann")

    response = staff_client(client, own).get(OUTBOX, {"state__exact": "failed"})

    assert listed(response) == {failed.pk}
    html = response.content.decode()
    assert "Kari Nordmann" in html
    assert "Simulert feil i kanalen sms" in html
    assert f'<td class="field-attempts">{MAX_ATTEMPTS}</td>' in html


def test_staff_filter_the_outbox_by_channel(client, own):
    sms = row(own, channel="sms")
    push = row(own, channel="push")

    staff = staff_client(client, own)

    assert listed(staff.get(OUTBOX, {"channel__exact": "sms"})) == {sms.pk}
    assert listed(staff.get(OUTBOX, {"channel__exact": "push"})) == {push.pk}
    assert listed(staff.get(OUTBOX, {"event__exact": "confirmed"})) == {sms.pk, push.pk}


def test_staff_of_another_organisation_do_not_see_the_row(client, own, other):
    mine = row(own, name="Kari Nordmann", state=Notification.State.FAILED, error="Simulert feil")
    theirs = row(other, name="Per Beste")

    response = staff_client(client, other).get(OUTBOX)

    assert listed(response) == {theirs.pk}
    assert "Kari Nordmann" not in response.content.decode()
    assert client.get(reverse("admin:notifications_notification_change", args=[mine.pk])).status_code in (302, 404)


def test_a_user_without_an_organisation_has_no_outbox(client):
    user = UserFactory(username="uten-virksomhet", is_staff=True, password=NO_PASSWORD)
    client.force_login(user)

    assert client.get(OUTBOX).status_code == 403


def test_the_retry_action_puts_failed_rows_back_and_they_are_delivered(
    client, own, channel_log, django_capture_on_commit_callbacks
):
    failed = row(own, state=Notification.State.FAILED, error="Simulert feil i kanalen sms")
    staff = staff_client(client, own)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(OUTBOX, {"action": "retry", "_selected_action": [failed.pk]}, follow=True)

    assert "1 feilet varsel sendes på nytt." in [str(m) for m in response.context["messages"]]
    failed.refresh_from_db()
    assert failed.state == Notification.State.SENT
    assert failed.attempts == 1
    assert failed.last_error == ""
    assert channel_log.count(failed.pk) == 1


def test_the_retry_action_does_not_send_a_row_that_was_already_sent_again(
    client, own, channel_log, django_capture_on_commit_callbacks
):
    sent = row(own)
    notification_deliver(notification_id=sent.pk)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client(client, own).post(
            OUTBOX, {"action": "retry", "_selected_action": [sent.pk]}, follow=True
        )

    assert "0 feilede varsler sendes på nytt." in [str(m) for m in response.context["messages"]]
    assert channel_log.count(sent.pk) == 1


def test_staff_cannot_retry_another_organisations_failed_row(client, own, other, channel_log):
    failed = row(own, state=Notification.State.FAILED, error="Simulert feil")

    staff_client(client, other).post(OUTBOX, {"action": "retry", "_selected_action": [failed.pk]})

    failed.refresh_from_db()
    assert failed.state == Notification.State.FAILED
    assert channel_log.calls == []


def test_nhn_support_sees_every_organisations_outbox(client, support_user):
    from tests.factories import OrganisationFactory

    first, second = OrganisationFactory(), OrganisationFactory()
    rows = [row(first, name="Kari A"), row(second, name="Ola B")]
    support_user.is_staff = True
    support_user.save(update_fields=["is_staff"])
    client.force_login(support_user)
    response = client.get(reverse("admin:notifications_notification_changelist"))
    assert response.status_code == 200
    assert {n.pk for n in response.context["cl"].result_list} >= {r.pk for r in rows}
