"""The subject of a journalled dialogue is shown only to those the dialogue was sent to (source 004: an
e-konsultasjon goes to the patient's behandler), on the patient's journal page and in the admin's «Journalnotater»
alike: the list, the row's own page and its history, a filter or sort on the title. The others see that there is
an entry, not what it is about."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dialogues.models import JournalEntry
from tests.dialogues import test_staff_pages as staff_pages
from tests.pages import html_of, text_of

patient = staff_pages.patient  # fixture
staff, start = staff_pages.staff, staff_pages.start

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

SUBJECT = "Et privat spørsmål"
HIDDEN = "E-konsultasjon (helsenorge.no)"
LIST = reverse("admin:dialogues_journalentry_changelist")


@pytest.fixture
def entry(patient) -> JournalEntry:
    dialogue = start(patient, subject=SUBJECT)  # routed to the fastlege alone
    return JournalEntry.objects.get(dialogue=dialogue)


def test_the_admin_list_shows_the_subject_to_the_fastlege_and_hides_it_from_the_secretary(entry):
    assert SUBJECT in text_of(staff("august-september").get(LIST))
    secretary = staff("legekontor-ansatt").get(LIST)
    assert secretary.status_code == 200
    assert SUBJECT not in text_of(secretary) and HIDDEN in text_of(secretary)
    assert entry.citizen.full_name in text_of(secretary)  # the entry is there, its subject is not


def test_the_entrys_own_page_and_history_answer_404_to_the_secretary(entry):
    for name in ("admin:dialogues_journalentry_change", "admin:dialogues_journalentry_history"):
        url = reverse(name, args=[entry.pk])
        assert staff("august-september").get(url).status_code == 200
        response = staff("legekontor-ansatt").get(url)
        assert response.status_code == 404 and SUBJECT not in text_of(response)


def _listed(query: dict[str, str]) -> tuple[int, str]:
    response = staff("legekontor-ansatt").get(LIST, query, follow=True)
    return response.status_code, text_of(response)


@pytest.mark.parametrize(
    "lookup",
    ["title__icontains", "title__startswith", "title__gt", "dialogue__thread__subject__icontains"],
)
def test_a_filter_on_the_subject_tells_the_secretary_nothing(entry, lookup):
    """The same page whether the guess is right or wrong."""
    right = "E-konsultasjon (helsenorge.no): Et" if lookup in ("title__startswith", "title__gt") else "privat"
    status, shown = _listed({lookup: right})
    assert SUBJECT not in shown
    assert (status, shown) == _listed({lookup: "zzz"})


def test_sorting_by_the_subject_is_not_offered(entry):
    """An order by title would tell where a hidden subject falls in the alphabet."""
    html = html_of(staff("legekontor-ansatt").get(LIST))
    assert 'href="?o=1"' not in html and 'href="?o=2"' in html  # the title column is not sortable, the patient is
    status, shown = _listed({"o": "1"})
    assert status == 200 and SUBJECT not in shown


def test_the_audit_trail_that_support_reads_names_the_dialogue_not_its_subject(patient):
    dialogue = start(patient, subject=SUBJECT)
    staff_pages.staff("august-september").post(
        reverse("dialogues:staff_answer", args=[dialogue.pk]), {"body": "Kom innom."}
    )
    trail = staff("nhn-support").get(reverse("admin:audit_auditevent_changelist"), {"object_type": "dialogue"})
    assert trail.status_code == 200 and "E-konsultasjon: svar" in text_of(trail)  # the rows are there
    assert SUBJECT not in text_of(trail)
