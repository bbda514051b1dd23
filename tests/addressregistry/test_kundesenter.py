"""Source 001 («Hjelp til oppsett»): NHN's kundesenter, «Tlf.: 24 20 00 00» and «E-post: kundesenter@nhn.no», on
every support page, so support can pass it on in the source's words (issue 22, texts)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import RESOURCE, ServiceFactory
from tests.pages import html_of, text_of

pytestmark = pytest.mark.django_db

SOURCE_001 = (
    "For spørsmål om Helsenorge som ikke er direkte berørt av journalsystemet, kan du kontakte vårt kundesenter på:"
)


def support_pages() -> list[str]:
    service = ServiceFactory(processes=RESOURCE)
    return [
        reverse("addressregistry:search"),
        reverse("addressregistry:organisation", args=[service.organisation.her_id]),
        reverse("addressregistry:service", args=[service.her_id]),
    ]


def test_every_support_page_gives_the_kundesenters_phone_and_mail(support_client):
    for url in support_pages():
        response = support_client.get(url)
        text = text_of(response)
        assert SOURCE_001 in text, url
        assert "Tlf.: 24 20 00 00" in text, url
        assert "E-post: kundesenter@nhn.no" in text, url
        html = html_of(response)
        assert 'href="tel:+4724200000"' in html
        assert 'href="mailto:kundesenter@nhn.no"' in html
