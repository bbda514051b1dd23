"""NHN support pages: who may see them, searching, the service page and switching processes."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from addressregistry.models import ProcessChange, ServiceProcess
from tests.factories import RESOURCE, ServiceFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("addressregistry:search")


def service_url(service) -> str:
    return reverse("addressregistry:service", args=[service.her_id])


def toggle_url(service) -> str:
    return reverse("addressregistry:service_process_toggle", args=[service.her_id])


def is_active(service, process: str) -> bool:
    return ServiceProcess.objects.get(service=service, process=process).active


@pytest.mark.parametrize(
    "url",
    [
        SEARCH,
        reverse("addressregistry:organisation", args=[1]),
        reverse("addressregistry:service", args=[1]),
    ],
)
def test_it_sends_anonymous_users_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("staff_login") + "?next=")


def test_it_refuses_a_logged_in_user_outside_the_support_group(other_staff_client):
    service = ServiceFactory(processes=RESOURCE)
    for url in (SEARCH, service_url(service), service.organisation.get_absolute_url()):
        response = other_staff_client.get(url)
        assert response.status_code == 403
        assert "NHN support" in response.content.decode()


def test_it_refuses_a_process_change_from_a_user_outside_the_support_group(other_staff_client):
    service = ServiceFactory(processes=RESOURCE)
    response = other_staff_client.post(toggle_url(service), {"process": "timebestilling", "active": "off"})
    assert response.status_code == 403
    assert is_active(service, "timebestilling")


def test_the_overview_lists_organisations_and_flags_services_with_errors(support_client):
    ok = ServiceFactory(processes=RESOURCE, name="Smittevern (Riktig)")
    broken = ServiceFactory(processes=("timebestilling", "ressursoversikt"), name="Smittevern (Mangler)")
    html = support_client.get(SEARCH).content.decode()
    assert ok.organisation.name in html and broken.organisation.name in html
    assert "1 feil" in html
    assert "Smittevern (Riktig)" in html


def test_it_finds_a_service_by_her_id(support_client):
    service = ServiceFactory(processes=RESOURCE, her_id=8_142_519, name="Smittevern (Feberpoliklinikk Test)")
    ServiceFactory(name="Noe annet")
    html = support_client.get(SEARCH, {"q": "8142519"}).content.decode()
    assert "Smittevern (Feberpoliklinikk Test)" in html
    assert service_url(service) in html
    assert "Noe annet" not in html


def test_it_finds_organisations_and_services_by_name(support_client):
    service = ServiceFactory(name="Vaksinasjon", organisation__name="Beste kommune")
    html = support_client.get(SEARCH, {"q": "beste"}).content.decode()
    assert service.organisation.get_absolute_url() in html
    assert service_url(service) in html


def test_a_search_with_no_hits_says_so(support_client):
    html = support_client.get(SEARCH, {"q": "finnes ikke"}).content.decode()
    assert "Fant ingen virksomhet eller tjeneste" in html


def test_the_organisation_page_lists_its_services(support_client):
    service = ServiceFactory(processes=RESOURCE, name="Smittevern (Feberpoliklinikk Test)")
    html = support_client.get(service.organisation.get_absolute_url()).content.decode()
    assert service.organisation.name in html
    assert "Smittevern (Feberpoliklinikk Test)" in html
    assert str(service.organisation.her_id) in html


def test_the_service_page_shows_processes_history_and_diagnosis_errors_first(support_client):
    service = ServiceFactory(processes=("timebestilling", "timereservasjon", "behandleroversikt"))
    html = support_client.get(service_url(service)).content.decode()
    assert "Behandleroversikt er aktivert" in html
    assert "Slå på Ressursoversikt og Timebestilling, og slå av Behandleroversikt." in html
    assert "Endringshistorikk" in html
    assert html.count("Slått på") == 3  # the history of the three processes switched on
    assert "Helsefaglig kontakt" in html  # what the citizen sees
    # errors come before anything else in the diagnosis
    first_badge = html.index("badge badge--", html.index("Diagnose"))
    assert html[first_badge:].startswith("badge badge--error")


def test_the_service_page_for_a_correct_setup_says_there_are_no_findings(support_client):
    from tests.factories import SlotFactory, TimebookFactory

    timebook = TimebookFactory(type="koronatest", name="Koronatest1")
    SlotFactory(timebook=timebook)  # a free slot in 2030
    html = support_client.get(service_url(timebook.service)).content.decode()
    assert "Ingen funn" in html
    assert "Under «Hva trenger du?» vises: «Koronatest1»." in html
    assert "Ja, også under «Bestill koronatest i annen kommune»" in html  # the timebook table


def test_the_service_page_says_ressursoversikt_without_timebooks_gives_the_citizen_nothing(support_client):
    service = ServiceFactory(processes=RESOURCE)
    html = support_client.get(service_url(service)).content.decode()
    assert "men ingen ressurstimebøker" in html


@pytest.mark.parametrize("view", ["addressregistry:service", "addressregistry:organisation"])
def test_an_unknown_her_id_is_a_404_page(support_client, view):
    response = support_client.get(reverse(view, args=[99999999]))
    assert response.status_code == 404
    assert "Fant ikke siden" in response.content.decode()


@pytest.mark.parametrize("view", ["addressregistry:service", "addressregistry:organisation"])
def test_a_non_numeric_her_id_gets_a_clear_message_not_a_500(support_client, view):
    response = support_client.get(reverse(view, args=["abc"]))
    assert response.status_code == 400
    assert "er ikke en gyldig HER-id" in response.content.decode()


def test_switching_a_process_off_records_who_did_it(support_client, support_user):
    service = ServiceFactory(processes=("timebestilling", "timereservasjon", "ressursoversikt", "behandleroversikt"))
    response = support_client.post(toggle_url(service), {"process": "behandleroversikt", "active": "off"})
    assert response.status_code == 302
    assert not is_active(service, "behandleroversikt")
    change = ProcessChange.objects.filter(service=service).first()
    assert (change.process, change.active, change.changed_by) == ("behandleroversikt", False, support_user)
    assert change.changed_by_label == "Nora Kundesenter"
    html = support_client.get(response.url).content.decode()
    assert "Behandleroversikt er slått av." in html
    assert "Behandleroversikt er aktivert" not in html  # the mellomløsning error is gone


def test_switching_a_process_on_that_is_already_on_changes_nothing(support_client):
    service = ServiceFactory(processes=RESOURCE)
    before = ProcessChange.objects.count()
    response = support_client.post(toggle_url(service), {"process": "timebestilling", "active": "on"}, follow=True)
    assert "var allerede på" in response.content.decode()
    assert ProcessChange.objects.count() == before


def test_an_htmx_toggle_answers_with_the_setup_section_only(support_client):
    service = ServiceFactory(processes=("timebestilling", "ressursoversikt"))
    response = support_client.post(
        toggle_url(service), {"process": "timereservasjon", "active": "on"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    # The message goes out of band into the page's existing live region, so screen readers announce it.
    messages_div, setup = html.split('<div id="setup"', 1)
    assert 'id="messages"' in messages_div and 'hx-swap-oob="true"' in messages_div
    assert "Timereservasjon er slått på." in messages_div
    assert 'id="toggle-timereservasjon"' in setup  # htmx keeps focus on the button it swaps in
    assert "Timebestilling i ressurstimebok krever" not in setup
    assert is_active(service, "timereservasjon")


@pytest.mark.parametrize(
    "data", [{"process": "nope", "active": "on"}, {"process": "timebestilling", "active": "maybe"}, {}]
)
def test_a_bad_process_change_gets_a_clear_message_and_changes_nothing(support_client, data):
    service = ServiceFactory(processes=RESOURCE)
    before = ProcessChange.objects.count()
    response = support_client.post(toggle_url(service), data)
    assert response.status_code == 400
    assert "Ugyldig endring" in response.content.decode()
    assert ProcessChange.objects.count() == before


def test_a_process_change_needs_post(support_client):
    service = ServiceFactory(processes=RESOURCE)
    assert support_client.get(toggle_url(service)).status_code == 405


def test_a_process_change_without_a_csrf_token_is_refused_and_changes_nothing(support_user):
    service = ServiceFactory(processes=RESOURCE)
    client = Client(enforce_csrf_checks=True)
    client.force_login(support_user)
    response = client.post(toggle_url(service), {"process": "timebestilling", "active": "off"})
    assert response.status_code == 403
    assert "Skjemaet manglet en gyldig sikkerhetsnøkkel" in response.content.decode()
    assert is_active(service, "timebestilling")


def test_the_service_page_previews_steps_1_and_2_as_the_portal_shows_them(support_client):
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", stdout=StringIO())
    html = support_client.get(reverse("addressregistry:service", args=[8100011])).content.decode()
    assert "Steg 1: Hvem vil du bestille time hos?" in html
    assert "Helsenorge kommune Smittevern (Feberpoliklinikk Test) ›" in html
    assert "○ Influensavaksine" in html
    assert "Dette er en tekst som kan egendefines i journalsystemet på maks 200 tegn" in html
    mellom = support_client.get(reverse("addressregistry:service", args=[8100202])).content.decode()
    assert "○ Helsefaglig kontakt Smittevern (Test COVID-19)" in mellom
    assert "○ Koronatest alle tjenester hn" not in mellom
