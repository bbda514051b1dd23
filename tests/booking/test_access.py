"""Another citizen's appointment, message, receipt page or child answers 404 (not 403: do not reveal that it
exists, DESIGN §5), and nothing changes. Anyone not logged in as a citizen goes to the test login."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from booking.models import Appointment
from booking.services import appointment_confirm, appointment_request
from citizens.models import Representation
from inbox.models import InboxMessage
from resourcebooks.models import Slot
from tests.factories import RepresentationFactory
from tests.pages import log_in
from tests.world import new_citizen

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_things(world):
    """The clinic's citizen (the owner) with a confirmed appointment, its message, and a child."""
    owner = world.citizen
    outcome = appointment_request(
        person=owner,
        booked_by=owner,
        timebook=world.timebook,
        slot_id=world.slots[0].pk,
        reason="Vaksine",
        idempotency_key=uuid.uuid4(),
    )
    appointment = outcome.appointment
    appointment_confirm(appointment_id=appointment.pk)
    child = new_citizen(municipality=world.municipality, birth_date=dt.date(2018, 3, 3), first_name="Lille")
    RepresentationFactory(representative=owner, represented=child, kind=Representation.Kind.PARENT)
    return {
        "owner": owner,
        "appointment": appointment,
        "message": InboxMessage.objects.get(appointment=appointment),
        "child": child,
    }


@pytest.fixture
def intruder_child(world):
    return new_citizen(municipality=world.municipality, birth_date=dt.date(2017, 4, 4), first_name="Egen")


@pytest.fixture
def intruder(client, world, intruder_child):
    """Logged in as another citizen of the same municipality, who has a child of their own."""
    other = world.resident()
    RepresentationFactory(representative=other, represented=intruder_child, kind=Representation.Kind.PARENT)
    return log_in(client, other)


def snapshot(things) -> tuple:
    a = Appointment.objects.get(pk=things["appointment"].pk)
    m = InboxMessage.objects.get(pk=things["message"].pk)
    return (a.status, a.cancelled_at, Slot.objects.get(pk=a.slot_id).state, m.read_at, InboxMessage.objects.count())


def appointment_urls(pk: int) -> list[tuple[str, str]]:
    return [
        ("get", reverse("booking:appointment", args=[pk])),
        ("get", reverse("booking:ics", args=[pk])),
        ("get", reverse("booking:cancel", args=[pk])),
        ("post", reverse("booking:cancel", args=[pk])),
        ("get", reverse("booking:sent", args=[pk])),
    ]


@pytest.mark.parametrize("index", range(5), ids=["detail", "ics", "cancel-get", "cancel-post", "sent"])
def test_another_citizens_appointment_is_404_and_nothing_changes(intruder, owner_things, index):
    before = snapshot(owner_things)
    method, url = appointment_urls(owner_things["appointment"].pk)[index]
    assert getattr(intruder, method)(url).status_code == 404
    assert snapshot(owner_things) == before


def test_another_citizens_message_is_404_and_stays_unread(intruder, owner_things):
    before = snapshot(owner_things)
    assert intruder.get(owner_things["message"].get_absolute_url()).status_code == 404
    assert snapshot(owner_things) == before


def test_another_citizens_things_are_not_in_ones_own_lists(intruder, owner_things):
    assert (
        owner_things["appointment"].get_absolute_url()
        not in intruder.get(reverse("booking:appointments")).content.decode()
    )
    assert owner_things["message"].get_absolute_url() not in intruder.get(reverse("inbox:inbox")).content.decode()


@pytest.mark.parametrize("whom", ["child", "owner"])
def test_switching_to_another_citizens_child_or_to_them_is_404(intruder, owner_things, whom):
    response = intruder.post(reverse("citizens:switch_person"), {"person": owner_things[whom].pk})
    assert response.status_code == 404
    assert "acting_for" not in intruder.session


def test_acting_for_ones_own_child_opens_nothing_of_others(intruder, intruder_child, owner_things):
    assert intruder.post(reverse("citizens:switch_person"), {"person": intruder_child.pk}).status_code == 302
    before = snapshot(owner_things)
    for method, url in appointment_urls(owner_things["appointment"].pk):
        assert getattr(intruder, method)(url).status_code == 404
    assert intruder.get(owner_things["message"].get_absolute_url()).status_code == 404
    assert snapshot(owner_things) == before


def test_the_owner_still_has_it_all(client, owner_things):
    log_in(client, owner_things["owner"])
    pk = owner_things["appointment"].pk
    for method, url in [*appointment_urls(pk)[:3], ("get", reverse("booking:sent", args=[pk]))]:
        assert getattr(client, method)(url).status_code == 200
    assert client.get(owner_things["message"].get_absolute_url()).status_code == 200


def test_someone_with_power_of_attorney_may_open_the_appointment(client, owner_things, world):
    attorney = world.resident(first_name="Fullmektig")
    RepresentationFactory(
        representative=attorney, represented=owner_things["owner"], kind=Representation.Kind.POWER_OF_ATTORNEY
    )
    log_in(client, attorney)
    assert client.get(owner_things["appointment"].get_absolute_url()).status_code == 200
    # The receipt page belongs to whoever pressed «Send bestilling».
    assert client.get(reverse("booking:sent", args=[owner_things["appointment"].pk])).status_code == 404


def test_unknown_ids_are_404(intruder):
    for _method, url in appointment_urls(987654)[:3] + appointment_urls(987654)[4:]:
        assert intruder.get(url).status_code == 404
    assert intruder.get(reverse("inbox:message", args=[987654])).status_code == 404


@pytest.mark.parametrize("as_staff", [False, True], ids=["anonymous", "staff"])
def test_anyone_but_a_citizen_is_sent_to_the_login_and_nothing_changes(owner_things, django_user_model, as_staff):
    client = Client()
    if as_staff:
        client.force_login(django_user_model.objects.create_user(username="ansatt", is_staff=True))
    before = snapshot(owner_things)
    pk = owner_things["appointment"].pk
    urls = [*appointment_urls(pk), ("get", owner_things["message"].get_absolute_url())]
    urls += [("get", reverse("booking:appointments")), ("get", reverse("inbox:inbox"))]
    urls += [("get", reverse("booking:choose_contact")), ("post", reverse("citizens:switch_person"))]
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response.url.startswith(f"{reverse('citizens:login')}?next="), url
    assert snapshot(owner_things) == before
