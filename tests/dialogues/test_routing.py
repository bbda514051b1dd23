"""Source 004 «Motta dialog» and «Ved ferie og fravær»: whose inbox a dialogue lands in, by the office's setting
(or the defaults without one), an absence, a vikar while set; and never another organisation's staff."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from booking.models import TimeRequest
from booking.services.time_requests import time_request_send
from dialogues.models import Dialogue, DialogueRoute, Kind, RoutingSetting, Target
from dialogues.selectors import dialogues_for_staff
from dialogues.services import dialogue_answer
from resourcebooks.models import Practitioner, VikarAssignment
from tests.factories import (
    PatientBlockFactory,
    PractitionerFactory,
    RoutingAbsenceFactory,
    RoutingRecipientFactory,
    RoutingSettingFactory,
    StaffMembershipFactory,
    VikarAssignmentFactory,
)
from tests.world import GpClinic

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
Mode = RoutingSetting.Mode


def visible(user: Any, today: dt.date | None = None) -> set[int]:
    return set(dialogues_for_staff(user, today).values_list("pk", flat=True))


def setting(c: GpClinic, kind: str, mode: str, *recipients: dict) -> RoutingSetting:
    s = RoutingSettingFactory(organisation=c.gp.office, kind=kind, mode=mode)
    for r in recipients:
        RoutingRecipientFactory(setting=s, **r)
    return s


# --- Defaults, without any RoutingSetting ---------------------------------------------------------------------


def test_an_e_konsultasjon_goes_to_the_patients_fastlege_not_to_reception(c):
    d = c.send(Kind.E_KONSULTASJON)
    assert list(d.routes.values_list("target", "practitioner")) == [("behandler", c.gp.fastlege.pk)]
    assert d.pk in visible(c.doctor)
    assert d.pk not in visible(c.secretary)
    assert d.pk not in visible(c.nurse)
    assert d.pk not in visible(c.outsider)


@pytest.mark.parametrize("kind", [Kind.E_KONTAKT, Kind.RESEPTFORNYELSE])
def test_e_kontakt_and_prescriptions_go_to_the_whole_clinic_and_never_to_another_office(c, kind):
    d = c.send(kind)
    assert list(d.routes.values_list("target", flat=True)) == [Target.CLINIC]
    for user in (c.doctor, c.secretary, c.nurse, c.staff(role="")):
        assert d.pk in visible(user), user
    assert d.pk not in visible(c.outsider)


# --- The office's own setting ---------------------------------------------------------------------------------


def test_fixed_to_a_single_member(c):
    setting(c, Kind.E_KONTAKT, Mode.FIXED, {"target": Target.MEMBER, "membership": c.member(c.nurse)})
    d = c.send(Kind.E_KONTAKT)
    assert d.pk in visible(c.nurse)
    assert d.pk not in visible(c.doctor) | visible(c.secretary) | visible(c.outsider)


def test_fixed_to_a_group(c):
    setting(c, Kind.RESEPTFORNYELSE, Mode.FIXED, {"target": Target.GROUP, "group": c.reception})
    d = c.send(Kind.RESEPTFORNYELSE)
    assert d.pk in visible(c.secretary)
    assert d.pk not in visible(c.doctor) | visible(c.nurse) | visible(c.outsider)


def test_fixed_to_a_role(c):
    setting(c, Kind.E_KONSULTASJON, Mode.FIXED, {"target": Target.ROLE, "role": "sykepleier"})
    d = c.send(Kind.E_KONSULTASJON)
    other_nurse = c.staff(role="sykepleier")
    assert {d.pk} <= visible(c.nurse) & visible(other_nurse)
    assert d.pk not in visible(c.doctor) | visible(c.secretary)
    # a nurse at another office has the same role, but not this office's dialogues
    foreign_nurse = StaffMembershipFactory(organisation=c.outsider.memberships.get().organisation, role="sykepleier")
    assert d.pk not in visible(foreign_nurse.user)


def test_both_sends_to_the_fixed_recipient_and_the_fastlege(c):
    setting(c, Kind.E_KONTAKT, Mode.BOTH, {"target": Target.GROUP, "group": c.reception})
    d = c.send(Kind.E_KONTAKT)
    assert sorted(d.routes.values_list("target", flat=True)) == sorted(["behandler", Target.GROUP])
    assert d.pk in visible(c.doctor) & visible(c.secretary)
    assert d.pk not in visible(c.nurse)


def test_a_fixed_setting_without_recipients_goes_to_the_whole_clinic(c):
    setting(c, Kind.E_KONSULTASJON, Mode.FIXED)
    d = c.send(Kind.E_KONSULTASJON)
    assert list(d.routes.values_list("target", flat=True)) == [Target.CLINIC]
    assert d.pk in visible(c.doctor) & visible(c.secretary) & visible(c.nurse)
    assert d.pk not in visible(c.outsider)


# --- Absence: «Dialoger skal håndteres av noen andre» ---------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "substituted"),
    [(-1, 1, True), (0, 0, True), (1, 5, False), (-5, -1, False)],
    ids=["within", "the-one-day", "before", "after"],
)
def test_an_absence_sends_the_behandler_route_to_the_substitute_only_in_its_period(c, start, end, substituted):
    today = timezone.localdate()
    RoutingAbsenceFactory(
        fastlege=c.gp.fastlege,
        substitute=c.member(c.nurse),
        valid_from=today + dt.timedelta(days=start),
        valid_to=today + dt.timedelta(days=end),
    )
    d = c.send(Kind.E_KONSULTASJON)
    assert (d.pk in visible(c.nurse)) is substituted
    assert (d.pk in visible(c.doctor)) is not substituted
    assert d.pk not in visible(c.secretary)


# --- Time requests ----------------------------------------------------------------------------------------------


def _time_request(c: GpClinic) -> TimeRequest:
    return time_request_send(
        person=c.citizen,
        booked_by=c.citizen,
        service=c.gp.service,
        timebook=c.gp.timebook,
        subject="Trenger time",
        suggested_times="Mandag formiddag",
    )


def test_a_time_request_becomes_a_dialogue_routed_like_the_others(c):
    request = _time_request(c)
    d = Dialogue.objects.get(time_request=request)
    assert d.kind == Kind.TIMEFORESPORSEL and d.thread.kind == Kind.TIMEFORESPORSEL
    assert list(d.routes.values_list("target", flat=True)) == [Target.CLINIC]
    assert d.pk in visible(c.doctor) & visible(c.secretary)
    assert d.pk not in visible(c.outsider)


def test_a_time_request_follows_the_offices_setting(c):
    setting(c, Kind.TIMEFORESPORSEL, Mode.FIXED, {"target": Target.GROUP, "group": c.reception})
    d = Dialogue.objects.get(time_request=_time_request(c))
    assert d.pk in visible(c.secretary)
    assert d.pk not in visible(c.doctor)


def test_a_blocked_patients_time_request_is_not_routed(c):
    PatientBlockFactory(organisation=c.gp.office, national_id=c.citizen.national_id)
    request = _time_request(c)
    assert request.status == TimeRequest.Status.REFUSED_BLOCKED
    d = Dialogue.objects.get(time_request=request)
    assert not d.routes.exists()
    assert d.thread.is_closed
    assert d.pk not in visible(c.doctor) | visible(c.secretary)


# --- Vikar --------------------------------------------------------------------------------------------------


def _vikar(c: GpClinic) -> tuple[VikarAssignment, object]:
    vikar = PractitionerFactory(
        organisation=c.gp.office, first_name="Astrid", last_name="Info", role=Practitioner.Role.VIKAR
    )
    user = c.staff(role="lege", practitioner=vikar, name="Astrid")
    assignment = VikarAssignmentFactory(
        fastlege=c.gp.fastlege, vikar=vikar, valid_from=timezone.localdate() - dt.timedelta(days=1)
    )
    return assignment, user


def test_a_vikar_sees_all_the_fastleges_dialogues_while_set_even_those_sent_before(c):
    before = c.send(Kind.E_KONSULTASJON)
    _assignment, astrid = _vikar(c)
    after = c.send(Kind.E_KONSULTASJON)
    assert {before.pk, after.pk} <= visible(astrid)
    assert {before.pk, after.pk} <= visible(c.doctor)


@pytest.mark.parametrize("how", ["removed", "expired"])
def test_when_the_vikar_is_no_longer_set_only_what_they_answered_stays(c, how):
    assignment, astrid = _vikar(c)
    answered, untouched = c.send(Kind.E_KONSULTASJON), c.send(Kind.E_KONSULTASJON, subject="Annet")
    dialogue_answer(dialogue=answered, user=astrid, body="Ta kontakt om det ikke går over.")
    assert {answered.pk, untouched.pk} <= visible(astrid)

    if how == "removed":
        VikarAssignment.objects.filter(pk=assignment.pk).update(removed_at=timezone.now())
        today = None
    else:
        VikarAssignment.objects.filter(pk=assignment.pk).update(valid_to=timezone.localdate())
        today = timezone.localdate() + dt.timedelta(days=1)
    seen = visible(astrid, today)
    assert answered.pk in seen
    assert untouched.pk not in seen
    assert {answered.pk, untouched.pk} <= visible(c.doctor, today)


def test_a_vikar_of_another_fastlege_does_not_see_this_one(c):
    other = PractitionerFactory(organisation=c.gp.office, first_name="Per", last_name="Annen")
    vikar = PractitionerFactory(
        organisation=c.gp.office, first_name="Vera", last_name="September", role=Practitioner.Role.VIKAR
    )
    vera = c.staff(practitioner=vikar, name="Vera")
    VikarAssignmentFactory(fastlege=other, vikar=vikar, valid_from=timezone.localdate())
    d = c.send(Kind.E_KONSULTASJON)
    assert d.pk not in visible(vera)


# --- Efficiency -------------------------------------------------------------------------------------------------


def test_the_staff_inbox_is_one_query_however_many_dialogues(c):
    _assignment, astrid = _vikar(c)
    setting(c, Kind.E_KONTAKT, Mode.BOTH, {"target": Target.GROUP, "group": c.reception})
    for i, kind in enumerate((Kind.E_KONSULTASJON, Kind.E_KONTAKT, Kind.RESEPTFORNYELSE) * 3):
        c.send(kind, subject=f"Spørsmål {i}")  # different messages: the same one twice is one dialogue
    for user in (astrid, c.secretary, c.doctor):
        with CaptureQueriesContext(connection) as queries:
            rows = list(dialogues_for_staff(user))
            shown = [(d.thread.subject, d.citizen.full_name, d.organisation.name, d.unread) for d in rows]
        assert shown
        assert len(queries) == 1, [q["sql"] for q in queries.captured_queries]
    assert DialogueRoute.objects.count() >= 9
