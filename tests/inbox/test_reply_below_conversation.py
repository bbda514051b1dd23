"""The citizen's answer sits under the conversation (issue 22, item 4): the page is read top to bottom, every
message of the thread first, then «Svar»; a closed conversation's text is under it too."""

from __future__ import annotations

import pytest

from dialogues.models import Kind
from dialogues.services import dialogue_answer, dialogue_close
from tests.pages import log_in, text_of
from tests.world import gp_clinic as clinic

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation():
    c = clinic()
    dialogue = c.send(Kind.E_KONTAKT, subject="Attest", body="Kan jeg få en attest?")
    dialogue_answer(dialogue=dialogue, user=c.doctor, body="Ja, den ligger klar i resepsjonen.")
    return c, dialogue


def test_the_reply_form_comes_after_every_message_of_the_conversation(client, conversation):
    c, dialogue = conversation
    log_in(client, c.citizen)

    page = text_of(client.get(dialogue.thread.messages.order_by("pk").first().get_absolute_url()))

    answer = page.index("Svar Melding")
    assert page.index("Kan jeg få en attest?") < answer
    assert page.index("Ja, den ligger klar i resepsjonen.") < answer
    assert page.index("Send svar") > answer


def test_the_closed_text_comes_after_the_conversation(client, conversation):
    c, dialogue = conversation
    dialogue_close(dialogue=dialogue, user=c.doctor)
    log_in(client, c.citizen)

    page = text_of(client.get(dialogue.thread.messages.order_by("pk").first().get_absolute_url()))

    closed = page.index("Denne meldingen kan ikke besvares.")
    assert page.index("Kan jeg få en attest?") < closed and page.index("Ja, den ligger klar") < closed
    assert "Send svar" not in page
