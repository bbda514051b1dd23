"""The portal's pages as a citizen finds them: the header's «Meny» lists them and «Søk» searches them (source 003
shows both in the header). Here, at the top, because the list names pages of every app below.

«Søk» on helsenorge.no searches its articles and services; the simulator has no articles, so it searches what it
has, its services, by name and by what they are for, and says so on the page."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from core.text import has_control_characters

QUERY_MAX = 100  # longer searches are cut, never refused


@dataclass(frozen=True)
class PortalPage:
    title: Promise
    about: Promise
    url_name: str
    args: tuple[str, ...] = ()

    @property
    def href(self) -> str:
        return _href(self.url_name, self.args)

    def matches(self, query: str) -> bool:
        query = query.casefold()
        return query in str(self.title).casefold() or query in str(self.about).casefold()


@cache
def _href(url_name: str, args: tuple[str, ...]) -> str:
    return reverse(url_name, args=args)


PAGES = (
    PortalPage(
        _("Timeavtaler"), _("Se timene dine, avbestill eller legg dem i egen kalender."), "booking:appointments"
    ),
    PortalPage(_("Bestill time"), _("Bestill time hos fastlegen eller i kommunen."), "booking:choose_contact"),
    PortalPage(_("Resepter"), _("Be fastlegen om å fornye resepter."), "dialogues:new", ("forny-resept",)),
    PortalPage(_("Innboks"), _("Meldinger om timene dine og samtaler med legekontoret."), "inbox:inbox"),
    # The dialogues themselves only through «Din fastlege», which says which the office offers and why not.
    PortalPage(
        _("Din fastlege"),
        _("Bestill time, forny resept, e-konsultasjon og kontakt med legekontoret."),
        "dialogues:panel",
    ),
    PortalPage(
        _("Kontaktinformasjon og varseloppsett"),
        _("Mobilnummer, e-post, og hvordan du vil bli varslet."),
        "citizens:settings",
    ),
    PortalPage(_("Varsler"), _("Varsler fra Helsenorge."), "booking:alerts"),
    PortalPage(_("Telefon (SMS)"), _("SMS-ene simulatoren har sendt deg."), "booking:phone"),
    PortalPage(_("Helsenorge-appen"), _("Push-varslene simulatoren har sendt deg."), "booking:app_feed"),
)


def menu(request: HttpRequest) -> dict[str, Any]:
    """The header's «Meny» (a context processor: the list is fixed, so it costs nothing to offer)."""
    return {"portal_pages": PAGES}


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """«Søk»: the services whose name or description holds the words, in any case; nothing asked, all of them."""
    query = request.GET.get("q", "").strip()[:QUERY_MAX]
    if has_control_characters(query):
        query = ""
    hits = [page for page in PAGES if page.matches(query)] if query else list(PAGES)
    return render(request, "search.html", {"q": query, "hits": hits, "query_max": QUERY_MAX})
