"""``manage.py ar_check`` on the demo data."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=StringIO())


def run(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("ar_check", *args, "--no-color", stdout=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_it_reports_the_missing_timereservasjon_and_the_mellomlosning_and_exits_1(demo):
    status, out = run()
    assert status == 1
    assert "Dhs kommune Smittevern (Feberpoliklinikk) (HER-id 8100201)" in out
    assert "FEIL: Timebestilling i ressurstimebok krever" in out and "Mangler: Timereservasjon." in out
    assert "Løsning: Aktiver Timereservasjon." in out
    assert "Behandleroversikt er aktivert" in out
    assert "Løsning: Slå på Ressursoversikt og Timebestilling, og slå av Behandleroversikt." in out
    assert "feil" in out.splitlines()[-1]


def test_the_correct_helsenorge_kommune_service_has_no_error(demo):
    status, out = run("--her-id", "8100011")
    assert status == 0
    assert "Helsenorge kommune Smittevern (Feberpoliklinikk Test)" in out
    assert "FEIL" not in out
    assert "1 tjenester kontrollert: 0 feil" in out


def test_an_organisation_her_id_checks_all_its_services(demo):
    status, out = run("--her-id", "8100200")
    assert status == 1
    assert "(HER-id 8100201)" in out and "(HER-id 8100202)" in out
    assert "Helsenorge kommune" not in out


def test_an_unknown_her_id_is_a_clear_error(demo):
    with pytest.raises(CommandError, match="Fant ingen tjeneste eller virksomhet med HER-id 42"):
        call_command("ar_check", "--her-id", "42", stdout=StringIO())
