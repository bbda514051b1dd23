"""The citizen's front page as source 003 shows it: «Hva vil du gjøre?» with «Timeavtaler», «Resepter» and
«Innboks», «Se alle tjenester», the «Din fastlege» card («Kontakt fastlegen og se alle tjenestene») and
«Kvalitetssikret helseinformasjon» with its three articles (issue 22, texts)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.pages import html_of, log_in, text_of

pytestmark = pytest.mark.django_db

HOME = reverse("booking:home")
ARTICLES = (
    "Bestill reisen din selv",
    "Noe du lurer på om mensen, fødsel eller overgangsalder?",
    "Usikker på hvilke vaksiner du har tatt?",
)


@pytest.fixture
def home(client, world):
    log_in(client, world.citizen)
    return client.get(HOME)


def test_the_three_tiles_come_in_source_003s_order(home):
    tiles = re.findall(r'<li class="tile">\s*<h2><a href="([^"]+)">([^<]+)</a>', html_of(home))
    assert [title for _, title in tiles[:3]] == ["Timeavtaler", "Resepter", "Innboks"]
    assert tiles[1][0] == reverse("dialogues:new", args=["forny-resept"])


def test_se_alle_tjenester_opens_the_other_services(home):
    html = html_of(home)
    more = re.search(r'<details class="all-services">\s*<summary[^>]*>(.*?)</summary>(.*?)</details>', html, re.S)
    assert more is not None
    assert "Se alle tjenester" in more.group(1)
    for target in ("dialogues:panel", "citizens:settings", "booking:phone", "booking:app_feed"):
        assert f'href="{reverse(target)}"' in more.group(2)


def test_din_fastlege_says_kontakt_fastlegen_og_se_alle_tjenestene(home):
    text = text_of(home)
    assert "Din fastlege Kontakt fastlegen og se alle tjenestene" in text
    assert "Bestill time, forny resept, start e-konsultasjon eller kontakt legekontoret." not in text


def test_kvalitetssikret_helseinformasjon_has_the_three_articles_and_says_it_is_a_simulator(home):
    html = html_of(home)
    start = html.index("Kvalitetssikret helseinformasjon")
    section = html[start : html.index("</section>", start)]
    summaries = re.findall(r"<summary[^>]*>(.*?)</summary>", section, re.S)
    assert [s.strip() for s in summaries] == list(ARTICLES)
    assert section.count("Dette er en simulator for opplæring og test, og artikkelen finnes ikke her.") == 3


def test_a_visitor_who_is_not_logged_in_sees_no_citizen_tiles(client, db):
    text = text_of(client.get(HOME))
    assert "Resepter" not in text and "Kvalitetssikret helseinformasjon" not in text


def test_the_front_page_and_header_in_english(client, world):
    log_in(client, world.citizen)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    text = text_of(client.get(HOME))
    for english in ("Menu", "Prescriptions", "See all services", "Contact your GP and see all the services"):
        assert english in text
    assert "Quality-assured health information" in text and "Book your journey yourself" in text
    assert "Kvalitetssikret helseinformasjon" not in text
