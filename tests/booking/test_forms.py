"""The forms of «Se gjennom før du sender», «Send timeforespørsel» and the test login: the limits come from
``core.limits``, the messages are the services' Norwegian ones, and a refused form changes nothing."""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import reverse

from booking.forms import ReviewForm, TimeRequestForm
from citizens.forms import LoginForm
from core.limits import REASON_MAX
from tests.pages import html_of, idempotency_key_in, log_in, nothing_booked, open_review, review_url, text_of
from tests.world import new_citizen

LOGIN = reverse("citizens:login")
EXPIRED = "Skjemaet er ugyldig eller utløpt. Gå tilbake til kalenderen og velg timen på nytt."


@pytest.fixture
def slot(client, world):
    log_in(client, world.citizen)
    return world.slots[0]


def test_the_reason_is_limited_to_reason_max_in_the_page(client, slot):
    response = client.get(review_url(slot))
    html = html_of(response)
    textarea = re.search(r"<textarea [^>]*>", html)
    assert textarea, "the review page has no textarea"
    assert 'id="reason"' in textarea.group(0)
    assert f'maxlength="{REASON_MAX}"' in textarea.group(0)
    assert f"Maksimum {REASON_MAX} tegn." in text_of(response)
    assert f"0/{REASON_MAX} tegn" in html


def test_an_over_long_reason_gets_the_services_message_and_books_nothing(client, slot):
    reason = "x" * (REASON_MAX + 1)
    response = client.post(review_url(slot), {"reason": reason, "idempotency_key": open_review(client, slot)})
    assert response.status_code == 400
    message = f"Du kan skrive maks {REASON_MAX} tegn. Teksten din har {REASON_MAX + 1} tegn."
    assert f'<span class="field-error" id="reason-error">{message}</span>' in html_of(response)
    assert nothing_booked(slot)


def test_a_missing_idempotency_key_is_refused_with_a_fresh_key_and_books_nothing(client, slot):
    response = client.post(review_url(slot), {"reason": "Vondt i halsen"})
    assert response.status_code == 400
    assert EXPIRED in text_of(response)
    uuid.UUID(idempotency_key_in(html_of(response)))  # a new key, so the form can be sent again
    assert ">Vondt i halsen</textarea>" in html_of(response)  # what was typed is kept
    assert nothing_booked(slot)


def test_the_review_form_lets_the_service_tidy_the_reason_before_it_counts(db):
    """Django's own length check would refuse this; the service tidies the white space away first."""
    raw = "  Vondt " + " " * REASON_MAX + "i halsen  "
    form = ReviewForm({"reason": raw, "idempotency_key": str(uuid.uuid4())}, person=new_citizen())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["reason"] == "Vondt i halsen"


def test_a_time_request_error_goes_to_the_field_it_is_about(db):
    form = TimeRequestForm({"subject": "Vaksine", "suggested_times": "   "}, person=new_citizen())
    assert not form.is_valid()
    assert form.errors == {"suggested_times": ["Du må foreslå ett eller flere tidspunkt som passer"]}


@pytest.mark.parametrize("person", ["abc", "１２", "-1", "1e3", "9" * 40])
def test_the_login_refuses_a_person_id_that_is_not_digits(client, db, person):
    response = client.post(LOGIN, {"person": person})
    assert response.status_code == 400
    assert "Fant ikke testpersonen. Velg en person i listen." in text_of(response)
    assert "_auth_user_id" not in client.session
    form = LoginForm({"person": person})
    assert not form.is_valid()
    assert form.errors == {"person": ["Fant ikke testpersonen. Velg en person i listen."]}
