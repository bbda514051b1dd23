"""Issue 12, «What a new user found»: the texts and formats that differed from the sources, each row checked
against the source's own words (quoted here, with the source they come from), on the seeded demo.

Where two sources disagree, the newer wins for the kind of office it describes: 000 (15.06.2026) for
municipalities, 001 (11.06.2026) and 003 (16.12.2025) for GP offices; 002 (09.06.2021) is the oldest.
"""

from __future__ import annotations

import re

from django.urls import reverse

from addressregistry.services import service_process_set
from booking.models import Appointment
from booking.services import appointment_book_by_clinic
from inbox.models import InboxMessage
from tests.demo import Demo
from tests.pages import html_of, log_in, moment, review_url, send_booking, text_of, time_url

GP_OFFICE = 8100300  # Helsenorge testlegekontor, whose services are one contact
GP_OFFICE_NAME = "Helsenorge testlegekontor"
OFFICE_TEXT = "Dette er en tekst legekontoret selv kan legge til på opptil 300 tegn."  # sources 001, 003

# Source 001 and 003: under «Timebestilling: Velg time».
ALL_FIELDS = "Alle felt må fylles ut"
# Source 001, the GP office's review page; source 000, the municipality's.
GP_JOURNAL = "Henvendelsen lagres i legens journalsystem."
GP_HINT = "Maks 50 tegn."
MUNICIPAL_HINT = "Maksimum 50 tegn."
# Source 001: «Vaksine «Time til vaksine hos [navn på legekontor]»».
GP_TITLE = "Time til vaksine hos [navn på legekontor]"
# Source 000 (newer, municipalities) and 002 (older) for the confirmed appointment.
TITLE_000 = "6. februar 2025 kl. 11:15: Time for vaksine hos Influensavaksine, Smittevern (Feberpoliklinikk Test), "
TITLE_002 = "1. mai 2021, kl. 08:00: Time til koronatest hos Koronatest1 Beste kommune"
# Source 003 step 4, the GP office's «Hva trenger du?».
GP_CHOICES_003 = ["Konsultasjon med fastlegen", "Ta prøve på laboratoriet", "Vaksine"]
# Source 003, «Send timeforespørsel» at a GP office.
LEGETIME_HINT = (
    "Vennligst foreslå dager og tidspunkter som passer. Skriv gjerne en kort beskrivelse av hvorfor du trenger "
    "legetime (maks 250 tegn)."
)
# Source 003 step 9, Innboks.
LINKED = "Meldingen(e) er knyttet til en timeavtale"
DETAILS = "Se detaljer →"
COUNT_108 = "108 meldinger"
# Source 000 step 2: the radio labelled «Vaksine», the timebook's own text under it.
EPJ_TEXT = "Dette er en tekst som kan egendefines i journalsystemet på maks 200 tegn"
# Source 001, the blocked patient's thread.
BLOCKED_REPLY = "Legekontoret har ikke gitt deg tilgang til denne tjenesten."
FASTLEGE_001 = "Testfastlege (fastlege)"


def step_2(her_id: int) -> str:
    return reverse("booking:choose_timebook", args=[her_id])


def place_url(timebook) -> str:
    return reverse("booking:place", args=[timebook.service.her_id, timebook.pk])


def radios(html: str) -> list[str]:
    """The labels of «Hva trenger du?»'s radios, in order."""
    return re.findall(r'<input type="radio"[^>]*>\s*<label for="[^"]+">([^<]+)</label>', html)


def book(client, slot, capture) -> Appointment:
    with capture(execute=True):
        response = send_booking(client, slot)
    assert response.status_code == 302, text_of(response)[:300]
    return Appointment.objects.get(slot=slot, status__in=Appointment.ACTIVE)


# --- «Alle felt må fylles ut» (001, 003) ---------------------------------------------------------------


def test_velg_sted_and_velg_time_say_alle_felt_ma_fylles_ut_under_the_heading(client, demo):
    log_in(client, demo.kurt)
    for response in (
        client.get(place_url(demo.influensa)),
        client.get(time_url(demo.influensavaksine), {"sted": demo.free_slot(demo.influensavaksine).location_id}),
    ):
        assert response.status_code == 200
        assert f"Timebestilling: Velg time {ALL_FIELDS}" in text_of(response)


def test_the_blocked_patients_calendar_has_nothing_to_fill_in_and_says_no_alle_felt(client, demo):
    # Source 001's screenshot of the blocked patient: «Timebestilling: Velg time», the information box, no line.
    log_in(client, demo.berit)
    slot = demo.free_slot(demo.influensa)
    text = text_of(client.get(time_url(demo.influensa), {"sted": slot.location_id}))
    assert "Tjenesten kunne ikke hente ledige timer. Prøv igjen senere." in text
    assert ALL_FIELDS not in text


# --- The review page at a GP office (001) and at a municipality (000) ---------------------------------


def test_the_gp_offices_review_page_says_maks_50_tegn_and_that_it_is_stored_in_the_journal(client, demo):
    log_in(client, demo.kurt)
    text = text_of(client.get(review_url(demo.free_slot(demo.influensa))))
    assert f"Hva gjelder det? {GP_HINT} 0/50 tegn" in text
    assert MUNICIPAL_HINT not in text
    assert GP_JOURNAL in text
    assert text.index(GP_JOURNAL) < text.index("Send bestilling")


def test_the_municipalitys_review_page_keeps_maksimum_50_tegn_and_no_journal_line(client, demo):
    log_in(client, demo.kurt)
    text = text_of(client.get(review_url(demo.free_slot(demo.influensavaksine))))
    assert f"Hva gjelder det? {MUNICIPAL_HINT} 0/50 tegn" in text
    assert GP_JOURNAL not in text


# --- Titles: GP office (001); municipality, 000 over 002 ------------------------------------------------


def test_a_gp_office_vaksine_title_is_time_til_vaksine_hos_the_office(client, demo, django_capture_on_commit_callbacks):
    slot = demo.free_slot(demo.influensa)
    log_in(client, demo.kurt)
    appointment = book(client, slot, django_capture_on_commit_callbacks)
    expected = GP_TITLE.replace("[navn på legekontor]", GP_OFFICE_NAME)
    html = html_of(client.get(appointment.get_absolute_url()))
    assert f'<h1 class="appointment-title">{moment(slot.start)}: {expected}</h1>' in html
    assert "Time for vaksine" not in html


def test_a_municipalitys_title_follows_000_not_002(client, demo, django_capture_on_commit_callbacks):
    slot = demo.free_slot(demo.timebook("Koronatest1"))
    log_in(client, demo.per)
    appointment = book(client, slot, django_capture_on_commit_callbacks)
    text = text_of(client.get(appointment.get_absolute_url()))
    # 000's shape, «6. februar 2025 kl. 11:15: … hos <timebook>, <service>, <municipality>», with 002's words for
    # the type 000 does not show; 002's own shape puts a comma before «kl.» and writes «Koronatest1 Beste kommune».
    shape_000 = TITLE_000.replace("6. februar 2025 kl. 11:15", "{moment}").replace("Time for vaksine", "{prefix}")
    assert shape_000.startswith("{moment}: {prefix} hos Influensavaksine, Smittevern (Feberpoliklinikk Test), ")
    assert f"{moment(slot.start)}: Time til koronatest hos Koronatest1, Smittevern, Beste kommune" in text
    assert moment(slot.start).replace(" kl.", ", kl.") not in text
    assert TITLE_002.split(": ", 1)[1] not in text


# --- «Velg sted» in the office's order (001) -----------------------------------------------------------


def test_velg_sted_lists_the_places_in_the_offices_order_influenza_first(client, demo):
    log_in(client, demo.kurt)
    text = text_of(client.get(place_url(demo.influensa)))
    # Source 001: «Influenza», «Inflensavaksine 2», «Inflensavaksinea» (the demo's are spelt right).
    positions = [text.index(name) for name in ("Influenza", "Influensavaksine 2", "Influensavaksine 3")]
    assert positions == sorted(positions)


# --- «Ditt fastlegekontor …» as one contact (003 steps 3–4) ----------------------------------------------


def test_step_1_shows_the_gp_office_once_as_ditt_fastlegekontor(client, demo):
    log_in(client, demo.kurt)
    response = client.get(reverse("booking:choose_contact"))
    text = text_of(response)
    assert text.count("Ditt fastlegekontor") == 1
    assert f"Ditt fastlegekontor {GP_OFFICE_NAME} ›" in text
    assert f'href="{step_2(GP_OFFICE)}"' in html_of(response)
    assert text.index("Ditt fastlegekontor") < text.index("Helsenorge kommune Smittevern (Feberpoliklinikk Test)")


def test_the_gp_offices_step_2_lists_its_services_together_with_the_office_information(client, demo):
    log_in(client, demo.kurt)
    response = client.get(step_2(GP_OFFICE))
    assert response.status_code == 200
    text = text_of(response)
    assert radios(html_of(response)) == GP_CHOICES_003
    assert f"Informasjon fra legekontoret {OFFICE_TEXT}" in text
    assert text.index(OFFICE_TEXT) < text.index("Konsultasjon med fastlegen")
    # The office's services' own addresses show the same page (the steps after it go back there).
    for her_id in (Demo.FASTLEGE, Demo.RESSURSTIMEBOK):
        assert radios(html_of(client.get(step_2(her_id)))) == GP_CHOICES_003


def test_konsultasjon_med_fastlegen_leads_to_the_practitioner_page_and_a_timebook_to_its_places(client, demo):
    log_in(client, demo.kurt)
    response = client.post(step_2(GP_OFFICE), {"timebook": f"behandler-{Demo.FASTLEGE}"})
    assert response.status_code == 302
    assert response.url == reverse("booking:practitioner", args=[Demo.FASTLEGE])
    page = client.get(response.url)
    assert "Timebestilling hos fastlegen" in text_of(page)  # step 5 of source 003 (issue 13)
    assert f'href="{step_2(GP_OFFICE)}"' in html_of(page)  # «Tilbake»

    response = client.post(step_2(GP_OFFICE), {"timebook": demo.influensa.pk})
    assert response.status_code == 302
    assert response.url == place_url(demo.influensa)
    assert f'href="{step_2(GP_OFFICE)}"' in html_of(client.get(response.url))  # «Tilbake»


def test_the_diagnosis_still_decides_per_service_what_the_gp_office_shows(client, demo):
    service_process_set(service=demo.service(Demo.FASTLEGE), process="timebestilling", active=False, changed_by=None)
    log_in(client, demo.kurt)
    assert radios(html_of(client.get(step_2(GP_OFFICE)))) == ["Ta prøve på laboratoriet", "Vaksine"]
    assert client.get(step_2(Demo.FASTLEGE)).status_code == 404
    response = client.post(step_2(GP_OFFICE), {"timebook": f"behandler-{Demo.FASTLEGE}"})
    assert response.status_code == 400


def test_someone_elses_gp_office_is_not_a_contact(client, demo):
    log_in(client, demo.per)  # no GP office
    assert client.get(step_2(GP_OFFICE)).status_code == 404
    assert client.get(step_2(Demo.RESSURSTIMEBOK)).status_code == 404


# --- «Send timeforespørsel»: legetime at a GP office (003), time at a municipality ------------------------


def test_a_time_request_to_the_gp_office_asks_why_you_need_legetime(client, demo):
    log_in(client, demo.kurt)
    text = text_of(client.get(reverse("booking:time_request", args=[Demo.RESSURSTIMEBOK])))
    assert LEGETIME_HINT in text
    municipal = text_of(client.get(reverse("booking:time_request", args=[Demo.SMITTEVERN])))
    assert LEGETIME_HINT.replace("legetime", "time") in municipal
    assert "legetime" not in municipal


# --- Innboks (003 step 9) ----------------------------------------------------------------------------------


def test_innboks_says_meldingen_e_and_se_detaljer_and_counts_with_the_right_plural(
    client, demo, django_capture_on_commit_callbacks
):
    log_in(client, demo.viktig)
    appointment = book(client, demo.free_slot(demo.influensavaksine), django_capture_on_commit_callbacks)
    message = InboxMessage.objects.get(appointment=appointment)
    response = client.get(reverse("inbox:inbox"))
    text, html = text_of(response), html_of(response)
    assert InboxMessage.objects.filter(citizen=demo.viktig).count() == 1
    assert "1 melding " in text and "1 meldinger" not in text
    assert LINKED in text
    assert re.search(
        rf'href="{message.get_absolute_url()}"[^>]*>Se detaljer <span aria-hidden="true">→</span></a>', html
    )
    assert DETAILS.split(" →")[0] in text
    page = text_of(client.get(message.get_absolute_url()))
    assert LINKED in page and "Vis timeavtale" in page


def test_more_messages_than_one_are_counted_as_meldinger(client, world):
    for slot in world.slots[:2]:
        appointment_book_by_clinic(person=world.citizen, slot=slot, reason="Vaksine")
    log_in(client, world.citizen)
    text = text_of(client.get(reverse("inbox:inbox")))
    assert COUNT_108.replace("108", "2") in text


# --- «Hva trenger du?» labelled by the type of time (000) ---------------------------------------------------


def test_step_2_labels_the_radio_vaksine_with_the_timebooks_text_under_it(client, demo):
    log_in(client, demo.kurt)
    response = client.get(step_2(Demo.SMITTEVERN))
    html = html_of(response)
    assert radios(html) == ["Vaksine"]
    tb = demo.influensavaksine
    assert f'<label for="tb-{tb.pk}">Vaksine</label>' in html
    assert f'<p class="radio__hint" id="tb-{tb.pk}-desc">{EPJ_TEXT}</p>' in html
    assert ">Influensavaksine</label>" not in html
    # The timebook's EPJ name first shows on «Velg time» (source 000 step 3).
    calendar = text_of(client.get(time_url(tb), {"sted": demo.free_slot(tb).location_id}))
    assert f"Influensavaksine, Smittevern (Feberpoliklinikk Test), Helsenorge kommune {EPJ_TEXT}" in calendar


# --- The blocked patient's thread (001) --------------------------------------------------------------------


def test_the_blocked_patients_thread_has_their_message_and_the_fastleges_reply(client, demo):
    log_in(client, demo.berit)
    client.post(
        reverse("booking:time_request", args=[Demo.RESSURSTIMEBOK]),
        {"subject": "Trenger time", "suggested_times": "Mandag formiddag"},
    )
    reply = InboxMessage.objects.get(citizen=demo.berit, kind=InboxMessage.Kind.AUTOMATIC_REPLY)
    own = InboxMessage.objects.get(citizen=demo.berit, kind=InboxMessage.Kind.TIME_REQUEST)
    assert own.read_at is not None  # one's own message is never news
    # Source 001 names the GP («Testfastlege (fastlege)»): here Berit's own fastlege (issue 22).
    assert reply.sender == FASTLEGE_001.replace("Testfastlege", "August September")
    for message in (reply, own):
        article = re.search(r"<article.*</article>", html_of(client.get(message.get_absolute_url())), re.S)
        assert article is not None
        text = " ".join(re.sub(r"<[^>]+>", " ", article.group(0)).split())
        assert text.index("August September (fastlege)") < text.index(BLOCKED_REPLY) < text.index("Berit Sperret")
        assert "Mandag formiddag" in text
    assert InboxMessage.objects.get(pk=reply.pk).read_at is not None


def test_an_ordinary_time_request_is_in_the_senders_innboks_as_read(client, demo):
    log_in(client, demo.kurt)
    client.post(
        reverse("booking:time_request", args=[Demo.SMITTEVERN]),
        {"subject": "Vaksine", "suggested_times": "Fredag"},
    )
    own = InboxMessage.objects.get(citizen=demo.kurt, kind=InboxMessage.Kind.TIME_REQUEST)
    assert (own.sender, own.subject, own.read_at is not None) == ("Kurt Håkon Grytten", "Vaksine", True)
    assert not InboxMessage.objects.filter(citizen=demo.kurt, kind=InboxMessage.Kind.AUTOMATIC_REPLY).exists()
