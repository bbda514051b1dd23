"""The citizen's header as source 003 shows it: «Meny» and «Søk» (issue 22, texts). «Meny» opens the portal's
pages as a list (a disclosure: keyboard and screen readers work without JavaScript); «Søk» finds a service
among them by its name or what it is for."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.pages import html_of, log_in, text_of

pytestmark = pytest.mark.django_db

HOME = reverse("booking:home")
SEARCH = reverse("search")


def header(response) -> str:
    return re.search(r'<header class="site-header">(.*?)</header>', html_of(response), re.S).group(1)


def test_the_citizens_header_has_meny_with_the_portals_pages_and_sok(client, world):
    log_in(client, world.citizen)
    top = header(client.get(HOME))
    menu = re.search(r'<details class="site-menu">\s*<summary[^>]*>(.*?)</summary>(.*?)</details>', top, re.S)
    assert menu is not None and "Meny" in menu.group(1)
    for target in ("booking:appointments", "inbox:inbox", "dialogues:panel", "citizens:settings"):
        assert f'href="{reverse(target)}"' in menu.group(2)
    assert f'href="{SEARCH}"' in top and ">Søk<" in top


def test_sok_finds_a_service_by_what_it_is_for(client, world):
    log_in(client, world.citizen)
    response = client.get(SEARCH, {"q": "resept"})
    assert response.status_code == 200
    html = html_of(response)
    assert f'href="{reverse("dialogues:new", args=["forny-resept"])}"' in html
    assert "Timeavtaler" not in re.search(r'<ul class="search-results">(.*?)</ul>', html, re.S).group(1)


def test_sok_with_no_match_says_so_and_an_empty_search_lists_every_service(client, world):
    log_in(client, world.citizen)
    assert "Ingen tjenester passer søket «blodbank»." in text_of(client.get(SEARCH, {"q": "blodbank"}))
    everything = html_of(client.get(SEARCH))
    assert f'href="{reverse("booking:appointments")}"' in everything
    assert f'href="{reverse("inbox:inbox")}"' in everything


def test_sok_takes_a_long_or_odd_query_without_failing(client, world):
    log_in(client, world.citizen)
    response = client.get(SEARCH, {"q": "x" * 5000 + "\x00"})
    assert response.status_code == 200


def test_sok_refuses_post(client, world):
    assert client.post(SEARCH).status_code == 405
