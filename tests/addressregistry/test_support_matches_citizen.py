"""AR support's page and the citizen's «Hvem vil du bestille time hos?» name a GP office's service alike (issue 22,
item 7): «Ditt fastlegekontor …», from one function, not «<kontor> Fastlege» on one side only."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.pages import log_in, text_of
from tests.world import gp_office

pytestmark = pytest.mark.django_db


def test_the_support_page_names_the_gp_office_as_the_citizen_sees_it(support_client):
    gp = gp_office()
    citizen_page = text_of(log_in(Client(), gp.citizen).get(reverse("booking:choose_contact")))

    page = text_of(support_client.get(reverse("addressregistry:service", args=[gp.service.her_id])))

    assert "Ditt fastlegekontor DDFL CGM Test ›" in citizen_page
    assert "Navn hos innbyggeren Ditt fastlegekontor DDFL CGM Test" in page
    assert "Tjenesten vises som «Ditt fastlegekontor DDFL CGM Test»" in page
    assert "Ditt fastlegekontor DDFL CGM Test ›" in page
    assert "DDFL CGM Test Fastlege" not in page
