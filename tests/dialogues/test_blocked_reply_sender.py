"""The blocked patient's automatic answer comes from their fastlege by name (issue 22, item 3; source 001 shows it
from «Testfastlege (fastlege)»), for a dialogue and for a time request, as Innboks shows it: not from
«Fastlege (fastlege)»."""

from __future__ import annotations

import pytest
from django.test import Client

from booking.services import time_request_send
from dialogues.models import Kind
from inbox.models import InboxMessage
from resourcebooks.models import PatientBlock
from tests.pages import log_in, text_of
from tests.world import gp_clinic as clinic

pytestmark = pytest.mark.django_db

BLOCKED_REPLY = "Legekontoret har ikke gitt deg tilgang til denne tjenesten."


@pytest.fixture
def blocked():
    c = clinic()
    PatientBlock.objects.create(organisation=c.gp.office, national_id=c.citizen.national_id, reason="Misbruk")
    return c


def the_reply(citizen) -> InboxMessage:
    return InboxMessage.objects.get(citizen=citizen, kind=InboxMessage.Kind.AUTOMATIC_REPLY)


def test_a_blocked_patients_dialogue_is_answered_by_their_fastlege_by_name(client: Client, blocked):
    blocked.send(Kind.E_KONTAKT)
    fastlege = blocked.gp.fastlege

    reply = the_reply(blocked.citizen)

    named = f"{fastlege.first_name} {fastlege.last_name} (fastlege)"
    assert reply.sender == named
    page = text_of(log_in(client, blocked.citizen).get(reply.get_absolute_url()))
    assert named in page and BLOCKED_REPLY in page
    assert "Fastlege (fastlege)" not in page


def test_a_blocked_patients_time_request_is_answered_by_their_fastlege_by_name(blocked):
    citizen = blocked.citizen
    time_request_send(
        person=citizen,
        booked_by=citizen,
        service=blocked.gp.service,
        timebook=None,
        subject="Trenger time",
        suggested_times="Mandag",
    )

    fastlege = blocked.gp.fastlege
    assert the_reply(citizen).sender == f"{fastlege.first_name} {fastlege.last_name} (fastlege)"
