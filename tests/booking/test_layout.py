"""The portal's base layout: wordmark, Varsler, the person's name, Logg ut, Språk/Language, skip link, landmarks."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_layout_has_the_portal_header_skip_link_and_landmarks(client):
    html = client.get(reverse("booking:home")).content.decode()
    assert '<html lang="nb">' in html
    assert 'class="skip-link" href="#main"' in html
    assert "HELSE<span>NORGE</span>" in html
    assert "Varsler" in html
    assert "Språk/Language" in html
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in html
    assert "/static/vendor/htmx/htmx.min.js" in html
    assert "<script>" not in html  # no inline scripts


def test_the_header_shows_the_logged_in_persons_name_and_logg_ut(support_client):
    html = support_client.get(reverse("booking:home")).content.decode()
    assert "Nora Kundesenter" in html
    assert "Logg ut" in html


def test_logg_ut_ends_the_session(support_client):
    response = support_client.post(reverse("logout"))
    assert response.status_code == 302
    assert "Nora Kundesenter" not in support_client.get(reverse("booking:home")).content.decode()


def test_the_language_switch_turns_the_page_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("booking:home")})
    assert response.status_code == 302
    html = client.get(reverse("booking:home")).content.decode()
    assert '<html lang="en">' in html
    assert 'value="nb"' in html  # the switch now offers Norwegian
    client.post(reverse("set_language"), {"language": "nb", "next": "/"})
    assert '<html lang="nb">' in client.get(reverse("booking:home")).content.decode()


def test_an_unknown_page_is_a_404_in_the_portals_layout(client):
    response = client.get("/finnes-ikke/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Fant ikke siden" in html and "HELSE<span>NORGE</span>" in html


def test_staff_log_in_with_the_login_form_and_return_where_they_were_going(client, support_user):
    response = client.post(
        reverse("staff_login"), {"username": "support", "password": "pw-support-123", "next": "/ar/"}
    )
    assert response.status_code == 302 and response.url == "/ar/"


def test_a_wrong_password_gets_a_clear_norwegian_message(client, support_user):
    response = client.post(reverse("staff_login"), {"username": "support", "password": "feil"})
    assert response.status_code == 200
    assert "Vennligst oppgi korrekt brukernavn og passord" in response.content.decode()


def test_the_browsers_language_does_not_decide_only_the_switch_does(client):
    html = client.get(reverse("booking:home"), headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert '<html lang="nb">' in html
    assert "Hva vil du gjøre?" in html
