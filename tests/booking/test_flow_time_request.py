"""«Finner du ikke ledig time?» → «Send timeforespørsel» (source 003: Emne max 50, suggested times max 250;
source 001: the blocked patient's automatic reply), on the seeded demo."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from booking.models import TimeRequest
from inbox.models import InboxMessage
from tests.demo import Demo
from tests.pages import html_of, log_in, text_of

ADMIN_REQUESTS = reverse("admin:booking_timerequest_changelist")


def request_url(her_id: int = Demo.RESSURSTIMEBOK) -> str:
    return reverse("booking:time_request", args=[her_id])


def staff(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_the_form_reads_like_the_source(client, demo):
    log_in(client, demo.kurt)
    response = client.get(request_url(), {"timebok": demo.influensa.pk})
    assert response.status_code == 200
    text, html = text_of(response), html_of(response)
    assert "Send timeforespørsel" in text
    assert "Til Helsenorge testlegekontor Ressurstimebok, Influensa." in text
    assert "Emne Maks 50 tegn." in text
    assert "0/50 tegn" in text
    assert "Foreslå ett eller flere tidspunkt som passer deg" in text
    assert "Vennligst foreslå dager og tidspunkter som passer." in text
    assert "(maks 250 tegn)" in text
    assert "0/250 tegn" in text
    assert 'name="subject" maxlength="50"' in html
    assert 'maxlength="250"' in html
    assert f'name="timebok" value="{demo.influensa.pk}"' in html
    for button in ("Forrige", "Send timeforespørsel", "Avbryt"):
        assert button in text


def test_sending_a_time_request_reaches_the_office(client, demo):
    log_in(client, demo.kurt)
    response = client.post(
        request_url(),
        {"timebok": demo.influensa.pk, "subject": "Influensavaksine", "suggested_times": "Mandager etter kl. 15"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("booking:appointments")
    assert "Timeforespørselen er sendt. Du får svar i innboksen." in text_of(response)
    request = TimeRequest.objects.get()
    assert (request.citizen, request.booked_by) == (demo.kurt, demo.kurt)
    assert request.service.her_id == Demo.RESSURSTIMEBOK
    assert request.timebook == demo.influensa
    assert (request.subject, request.suggested_times) == ("Influensavaksine", "Mandager etter kl. 15")
    assert request.status == TimeRequest.Status.NEW


@pytest.mark.parametrize(
    ("subject", "suggested", "message"),
    [
        ("", "Mandag", "Du må skrive et emne"),
        ("   ", "Mandag", "Du må skrive et emne"),
        ("x" * 51, "Mandag", "Emnet kan ha maks 50 tegn."),
        ("Vaksine", "", "Du må foreslå ett eller flere tidspunkt som passer"),
        ("Vaksine", "y" * 251, "Du kan skrive maks 250 tegn."),
    ],
)
def test_a_bad_time_request_gets_a_message_and_sends_nothing(client, demo, subject, suggested, message):
    log_in(client, demo.kurt)
    response = client.post(request_url(), {"subject": subject, "suggested_times": suggested})
    assert response.status_code == 400
    assert message in text_of(response)
    assert 'aria-invalid="true"' in html_of(response)
    if subject.strip():
        assert f'value="{subject}"' in html_of(response)  # what was typed is kept
    assert not TimeRequest.objects.exists()


def test_limits_of_exactly_50_and_250_are_accepted(client, demo):
    log_in(client, demo.kurt)
    response = client.post(request_url(), {"subject": "x" * 50, "suggested_times": "y" * 250})
    assert response.status_code == 302
    assert TimeRequest.objects.count() == 1


def test_a_timebook_outside_the_contact_is_404(client, demo):
    log_in(client, demo.kurt)
    assert client.get(request_url(), {"timebok": demo.influensavaksine.pk}).status_code == 404
    assert client.get(request_url(), {"timebok": "x"}).status_code == 404
    assert client.post(request_url(), {"timebok": 987654, "subject": "A", "suggested_times": "B"}).status_code == 404
    assert not TimeRequest.objects.exists()


def test_the_form_refuses_put(client, demo):
    log_in(client, demo.kurt)
    assert client.put(request_url()).status_code == 405


def test_staff_see_time_requests_of_their_own_organisation_only(client, demo):
    log_in(client, demo.kurt)
    client.post(request_url(), {"subject": "Til legekontoret", "suggested_times": "Mandag"})
    per = log_in(Client(), demo.per)
    per.post(request_url(Demo.BESTE_SMITTEVERN), {"subject": "Til Beste kommune", "suggested_times": "Tirsdag"})
    to_office = TimeRequest.objects.get(subject="Til legekontoret")
    to_beste = TimeRequest.objects.get(subject="Til Beste kommune")

    office = staff("legekontor-ansatt")
    response = office.get(ADMIN_REQUESTS)
    assert response.status_code == 200
    assert {r.pk for r in response.context["cl"].result_list} == {to_office.pk}
    assert "Til legekontoret" in text_of(response) and "Til Beste kommune" not in text_of(response)
    assert office.get(reverse("admin:booking_timerequest_change", args=[to_beste.pk])).status_code == 404

    beste = staff("beste-ansatt")
    assert {r.pk for r in beste.get(ADMIN_REQUESTS).context["cl"].result_list} == {to_beste.pk}


def test_the_blocked_persons_time_request_gets_the_automatic_reply(client, demo):
    log_in(client, demo.berit)
    client.post(request_url(), {"subject": "Trenger time", "suggested_times": "Når som helst"})
    request = TimeRequest.objects.get()
    assert request.status == TimeRequest.Status.REFUSED_BLOCKED

    inbox = client.get(reverse("inbox:inbox"))
    assert "August September (fastlege)" in text_of(inbox)  # source 001: the reply is the fastlege's, by name
    assert "Trenger time" in text_of(inbox)
    reply = InboxMessage.objects.get(citizen=demo.berit, kind=InboxMessage.Kind.AUTOMATIC_REPLY)
    text = text_of(client.get(reply.get_absolute_url()))
    assert "Legekontoret har ikke gitt deg tilgang til denne tjenesten." in text
    assert "Kontakt fastlegekontoret ved eventuelle spørsmål." in text
    assert "Denne meldingen kan ikke besvares." in text


def test_the_blocked_persons_request_to_another_organisation_is_ordinary(client, demo):
    log_in(client, demo.berit)
    client.post(request_url(Demo.SMITTEVERN), {"subject": "Vaksine", "suggested_times": "Fredag"})
    assert TimeRequest.objects.get().status == TimeRequest.Status.NEW
    assert not InboxMessage.objects.filter(citizen=demo.berit, kind=InboxMessage.Kind.AUTOMATIC_REPLY).exists()


def test_a_time_request_for_a_child_is_the_childs(client, demo):
    log_in(client, demo.kurt)
    client.post(reverse("citizens:switch_person"), {"person": demo.emma.pk})
    client.post(request_url(Demo.SMITTEVERN), {"subject": "Vaksine til Emma", "suggested_times": "Etter skolen"})
    request = TimeRequest.objects.get()
    assert (request.citizen, request.booked_by) == (demo.emma, demo.kurt)
