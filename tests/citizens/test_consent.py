"""Consent to digital contact on «Kontaktinformasjon og varseloppsett» (issue 22, item 1): «Din fastlege» sends a
citizen without consent there, so the page must let them give it (and withdraw it), say what it means, and keep a
record of each change; the panel then offers the dialogues. Bad input changes nothing; only the logged-in citizen's
own consent can change."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from citizens.models import Citizen
from tests.factories import CitizenFactory
from tests.pages import log_in, text_of
from tests.world import gp_clinic as clinic

pytestmark = pytest.mark.django_db

SETTINGS = reverse("citizens:settings")
CONSENT = reverse("citizens:consent")
PANEL = reverse("dialogues:panel")
NO_CONSENT = "Du har ikke gitt samtykke til digital kontakt med legekontoret."


@pytest.fixture
def thomas():
    """A patient on a fastlege's list whose office offers every dialogue, who has not consented."""
    citizen = clinic().citizen
    Citizen.objects.filter(pk=citizen.pk).update(digital_contact_consent=False)
    citizen.refresh_from_db()
    return citizen


def consent_of(citizen: Citizen) -> bool:
    return Citizen.objects.values_list("digital_contact_consent", flat=True).get(pk=citizen.pk)


def consent_rows(citizen: Citizen) -> list[str]:
    rows = AuditEvent.objects.filter(object_type="citizen", object_id=str(citizen.pk), summary__contains="samtykke")
    return list(rows.order_by("pk").values_list("summary", flat=True))


def test_the_panel_points_to_a_page_that_gives_consent_and_the_panel_then_offers_the_dialogues(client, thomas):
    log_in(client, thomas)
    before = client.get(PANEL)
    assert NO_CONSENT in text_of(before)
    assert f'href="{SETTINGS}#samtykke"' in before.content.decode()

    page = text_of(client.get(SETTINGS))
    assert "Samtykke til digital kontakt" in page
    assert "Du har ikke samtykket til å bli kontaktet digitalt." in page
    assert "du vil ikke motta varsel om oppsatt time via Helsenorge" in page

    response = client.post(CONSENT, {"consent": "ja"})

    assert response.status_code == 302 and response["Location"] == SETTINGS
    assert "Samtykket er registrert." in text_of(client.get(SETTINGS))
    assert consent_of(thomas) is True
    panel = client.get(PANEL)
    assert NO_CONSENT not in text_of(panel)
    assert 'href="/fastlege/kontakt-legekontoret/"' in panel.content.decode()
    assert consent_rows(thomas) == ["Ga samtykke til digital kontakt"]


def test_the_citizen_withdraws_consent_and_the_panel_says_why_again(client, thomas):
    Citizen.objects.filter(pk=thomas.pk).update(digital_contact_consent=True)
    log_in(client, thomas)
    assert "Du har samtykket til å bli kontaktet digitalt." in text_of(client.get(SETTINGS))

    client.post(CONSENT, {"consent": "nei"})

    assert consent_of(thomas) is False
    assert "Samtykket er trukket tilbake." in text_of(client.get(SETTINGS))
    assert NO_CONSENT in text_of(client.get(PANEL))
    assert consent_rows(thomas) == ["Trakk samtykke til digital kontakt"]


def test_giving_consent_twice_records_one_change(client, thomas):
    log_in(client, thomas)

    client.post(CONSENT, {"consent": "ja"})
    client.post(CONSENT, {"consent": "ja"})

    assert consent_rows(thomas) == ["Ga samtykke til digital kontakt"]


@pytest.mark.parametrize("data", [{}, {"consent": "kanskje"}, {"consent": ""}])
def test_bad_input_is_refused_in_norwegian_and_changes_nothing(client, thomas, data):
    log_in(client, thomas)

    response = client.post(CONSENT, data)

    assert response.status_code == 400
    assert "Velg om du vil gi eller trekke samtykket til digital kontakt." in text_of(response)
    assert consent_of(thomas) is False and consent_rows(thomas) == []


def test_saving_contact_settings_leaves_consent_as_it_was(client, thomas):
    log_in(client, thomas)

    client.post(SETTINGS, {"phone": "412 34 567", "notify_sms": "on", "digital_contact_consent": "on"})

    assert consent_of(thomas) is False


def test_only_the_logged_in_citizens_own_consent_changes(client, thomas):
    other = CitizenFactory(digital_contact_consent=False)
    log_in(client, other)

    client.post(CONSENT, {"consent": "ja", "citizen": thomas.pk, "person": thomas.pk})

    assert consent_of(thomas) is False and consent_of(other) is True


def test_the_logged_out_and_get_change_nothing(client, thomas):
    assert client.post(CONSENT, {"consent": "ja"})["Location"].startswith(reverse("citizens:login"))
    log_in(client, thomas)
    assert client.get(CONSENT).status_code == 405
    assert consent_of(thomas) is False and consent_rows(thomas) == []


def test_the_consent_control_speaks_english_when_english_is_chosen(client, thomas):
    log_in(client, thomas)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    page = text_of(client.get(SETTINGS))
    assert "Consent to digital contact" in page
    assert "You have not consented to being contacted digitally." in page
    assert "you will not be notified through Helsenorge of appointments the office books for you" in page
    assert "Give consent" in page and "Gi samtykke" not in page

    client.post(CONSENT, {"consent": "ja"})
    given = text_of(client.get(SETTINGS))
    assert "Your consent is registered. You can now contact the GP office digitally." in given
    assert "Withdraw consent" in given
