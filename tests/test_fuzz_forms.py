"""Bad input never causes a 500 or a change of data (issue 7, «Bad input»): property-based tests with
Hypothesis over the booking portal's forms, the NHN support pages and the clinic admin's forms.

Each test builds its small world once with factories, then posts arbitrary data (any Unicode text, very
long text, markup, numbers far outside any column, dates that do not exist or lie at the ends of the
calendar, other organisations' and other people's ids). Every example runs in a savepoint that is rolled
back, and asserts that

- the answer is never a server error (the test client re-raises an exception in a view), and
- nothing changed, unless the input was valid and the answer was the form's success redirect; then only
  what that form may change, and only to values the form's own rules allow.

Examples found to break a rule are kept as explicit ``@example``s, so they run first on every run.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group
from django.core.validators import validate_email
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from hypothesis import example, given
from hypothesis import strategies as st

from addressregistry.models import ServiceProcess
from booking.models import TimeRequest
from booking.services import appointment_request
from citizens.models import Citizen
from core.limits import REASON_MAX
from core.national_id import parse_national_id
from resourcebooks.admin import PublishForm
from resourcebooks.demo import STAFF_GROUP, staff_group
from resourcebooks.models import PatientBlock, Slot, Timebook, TimebookListEntry, WeekTemplate
from resourcebooks.services import MAX_PUBLISH_DAYS
from tests.factories import (
    NO_PASSWORD,
    RESOURCE,
    LocationFactory,
    OrganisationFactory,
    PatientBlockFactory,
    RepresentationFactory,
    ServiceFactory,
    SlotFactory,
    StaffMembershipFactory,
    TimebookFactory,
    TimeTypeFactory,
    WeekTemplateFactory,
)
from tests.fuzz_support import (
    FUZZ,
    FUZZ_ADMIN,
    assert_no_server_error,
    changed,
    checkboxes,
    date_strings,
    form,
    fresh_key,
    ids,
    month_strings,
    new_rows,
    numbers,
    resolve,
    rolled_back,
    snapshot,
    synthetic_number_strings,
    texts,
    time_strings,
    url,
    uuid_strings,
)
from tests.pages import log_in
from tests.world import build_world

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
ASCII_NATIONAL_ID = re.compile(r"[0-9]{11}", re.ASCII)
E164_NORWAY = re.compile(r"\+47[0-9]{8}", re.ASCII)
# A valid synthetic number written with full-width digits, the check digits left in ASCII:
# str.isdecimal() and stdnum's int() accept it as the same number as "17858010039".
FULL_WIDTH_NUMBER = "１７８５８０１００39"
HUGE_DIGITS = "9" * 5000  # str.isdecimal() is True, int() refuses it (Python's 4300-digit limit)


def _ascii_number(value: str) -> bool:
    return bool(ASCII_NATIONAL_ID.fullmatch(value))


# --- The patient portal -------------------------------------------------------------------------------


@pytest.fixture
def portal(db):
    """The citizen's own clinic and a clinic in another municipality, each with free slots; one slot booked
    by a neighbour (with a known idempotency key), one past, one withdrawn; a listed test person."""
    home, away = build_world(), build_world()
    neighbour = home.resident()
    taken = home.slots[-1]
    others = appointment_request(
        person=neighbour,
        booked_by=neighbour,
        timebook=home.timebook,
        slot_id=taken.pk,
        reason="Opptatt",
        idempotency_key=uuid.uuid4(),
    ).appointment
    past = SlotFactory(timebook=home.timebook, location=home.location, start=timezone.now() - dt.timedelta(hours=2))
    withdrawn = SlotFactory(
        timebook=home.timebook,
        location=home.location,
        start=home.slots[0].start + dt.timedelta(days=1),
        state=Slot.State.WITHDRAWN,
    )
    elsewhere = LocationFactory(organisation=OrganisationFactory())
    listed = home.resident(listed_on_test_login=True)
    child = RepresentationFactory(
        representative=home.citizen, represented=home.resident(birth_date=dt.date(2015, 5, 5))
    )
    named = {
        "@home": home.service.her_id,
        "@away": away.service.her_id,
        "@home_org": home.municipality.her_id,
        "@home_timebook": home.timebook,
        "@away_timebook": away.timebook,
        "@free": home.slots[0],
        "@free2": home.slots[1],
        "@taken": taken,
        "@past": past,
        "@withdrawn": withdrawn,
        "@away_free": away.slots[0],
        "@home_place": home.location,
        "@away_place": away.location,
        "@elsewhere": elsewhere,
        "@listed": listed,
        "@neighbour": neighbour,
        "@citizen": home.citizen,
        "@child": child.represented,
        "@away_org": away.municipality.her_id,
    }
    return SimpleNamespace(
        home=home, away=away, citizen=home.citizen, others_key=str(others.idempotency_key), named=named
    )


@pytest.fixture
def citizen_client(portal):
    return log_in(Client(), portal.citizen)


HER_IDS = ids("@home", "@away", "@home_org")
TIMEBOOK_IDS = ids("@home_timebook", "@away_timebook")
SLOT_IDS = ids("@free", "@free2", "@taken", "@past", "@withdrawn", "@away_free")


@FUZZ
@example(her_id="@home", timebook_id="@home_timebook", slot_id="@free", reason="Vondt\x00i halsen", key="@fresh")
@given(
    her_id=st.one_of(st.just("@home"), HER_IDS),
    timebook_id=st.one_of(st.just("@home_timebook"), TIMEBOOK_IDS),
    slot_id=st.one_of(st.just("@free"), SLOT_IDS),
    reason=texts(),
    key=st.one_of(st.sampled_from(["@fresh", "@others"]), uuid_strings()),
)
def test_send_bestilling_with_any_input(portal, citizen_client, her_id, timebook_id, slot_id, reason, key):
    """«Se gjennom før du sender» → «Send bestilling»: the reason and the form's idempotency key, and the
    contact, timebook and slot in the address."""
    named = portal.named | {"@fresh": fresh_key(), "@others": portal.others_key}
    path = url("booking:review", resolve(her_id, named), resolve(timebook_id, named), resolve(slot_id, named))
    with rolled_back():
        before = snapshot()
        response = citizen_client.post(path, {"reason": reason, "idempotency_key": resolve(key, named)})
        assert_no_server_error(response)
        after = snapshot()
        if response.status_code == 302 and response["Location"].startswith("/bestill/sendt/"):
            assert changed(before, after) <= {"appointments", "slots"}
            created = new_rows(before["appointments"], after["appointments"])
            assert len(created) <= 1  # none when the same form was sent before
            for _, slot_pk, citizen_pk, _, stored in created:
                assert citizen_pk == portal.citizen.pk
                assert stored == " ".join(reason.split())
                assert 1 <= len(stored) <= REASON_MAX
                assert "\x00" not in stored, "a NUL character was stored (PostgreSQL refuses it with a 500)"
                assert Slot.objects.get(pk=slot_pk).state in (Slot.State.HELD, Slot.State.BOOKED)
        else:
            assert changed(before, after) == set(), response.status_code


@FUZZ
@example(her_id="@home", timebook="@home_timebook", subject="Vaksine\x00", suggested="Mandag", htmx=False)
@example(her_id="@home", timebook="@home_timebook", subject="Vaksine", suggested="Man\x00dag", htmx=False)
@example(her_id="@home", timebook=HUGE_DIGITS, subject="Vaksine", suggested="Mandag", htmx=False)
@given(
    her_id=st.one_of(st.just("@home"), HER_IDS),
    timebook=st.one_of(st.none(), st.just("@home_timebook"), TIMEBOOK_IDS),
    subject=texts(),
    suggested=texts(400),
    htmx=st.booleans(),
)
def test_send_timeforesporsel_with_any_input(portal, citizen_client, her_id, timebook, subject, suggested, htmx):
    """«Send timeforespørsel»: Emne (max 50), tidspunkter som passer (max 250) and the timebook."""
    path = url("booking:time_request", resolve(her_id, portal.named))
    data = form(
        timebok=None if timebook is None else resolve(timebook, portal.named),
        subject=subject,
        suggested_times=suggested,
    )
    with rolled_back():
        before = snapshot()
        response = citizen_client.post(path, data, headers={"HX-Request": "true"} if htmx else {})
        assert_no_server_error(response)
        after = snapshot()
        if response.status_code == 302 and response["Location"] == reverse("booking:appointments"):
            assert changed(before, after) <= {"time_requests", "inbox"}
            (created,) = new_rows(before["time_requests"], after["time_requests"])
            _, _, stored_subject, stored_suggested, _ = created
            assert stored_subject == " ".join(subject.split())
            assert 1 <= len(stored_subject) <= REASON_MAX
            assert 1 <= len(stored_suggested) <= 250
            assert "\x00" not in stored_subject + stored_suggested, "a NUL character was stored"
            assert TimeRequest.objects.get(pk=created[0]).citizen_id == portal.citizen.pk
        else:
            assert changed(before, after) == set(), response.status_code


@FUZZ
@example(person=None, national_id=FULL_WIDTH_NUMBER, next_url=None)
@example(person=HUGE_DIGITS, national_id="", next_url=None)
@example(person="@listed", national_id=None, next_url="0")
@given(
    person=st.one_of(st.none(), ids("@listed", "@citizen", "@neighbour")),
    national_id=st.one_of(st.none(), synthetic_number_strings()),
    next_url=st.one_of(
        st.none(),
        st.sampled_from(["/timeavtaler/", "//evil.example/", "https://evil.example/", "javascript:x"]),
        texts(80),
    ),
)
def test_test_login_with_any_input(portal, person, national_id, next_url):
    """The test login: a listed test person, or «Fødselsnummer» (a valid new number makes a test person)."""
    data = form(
        person=None if person is None else resolve(person, portal.named), national_id=national_id, next=next_url
    )
    with rolled_back():
        before = snapshot()
        response = Client().post(reverse("citizens:login"), data)
        assert_no_server_error(response)
        after = snapshot()
        if response.status_code == 302:
            assert url_has_allowed_host_and_scheme(response["Location"], allowed_hosts={"testserver"})
            assert changed(before, after) <= {"citizens"}
            for created in new_rows(before["citizens"], after["citizens"]):
                number = created[1]
                assert _ascii_number(number), f"a citizen was created with the national id {number!r}"
                parse_national_id(number)
        else:
            assert changed(before, after) == set(), response.status_code


@FUZZ
@given(
    phone=st.one_of(
        st.none(),
        st.sampled_from(
            ["412 34 567", "+47 412 34 567", "0047 41234567", "22 22 22 22", "+46 70 123 45 67", "４１２３４５６７"]
        ),
        texts(40),
    ),
    email=st.one_of(st.none(), st.emails().map(str), texts(300)),
    notify_sms=checkboxes(),
    notify_email=checkboxes(),
    notify_push=checkboxes(),
)
def test_contact_settings_with_any_input(portal, citizen_client, phone, email, notify_sms, notify_email, notify_push):
    """«Kontaktinformasjon og varseloppsett»: mobile number, e-mail and the three channels."""
    data = form(phone=phone, email=email, notify_sms=notify_sms, notify_email=notify_email, notify_push=notify_push)
    with rolled_back():
        before = snapshot()
        response = citizen_client.post(reverse("citizens:settings"), data)
        assert_no_server_error(response)
        after = snapshot()
        if response.status_code == 302:
            assert changed(before, after) <= {"citizens"}
            me = Citizen.objects.get(pk=portal.citizen.pk)
            assert me.phone == "" or E164_NORWAY.fullmatch(me.phone), me.phone
            if me.email:
                validate_email(me.email)
            assert not me.notify_sms or me.phone
            assert not me.notify_email or me.email
            others = [row for row in after["citizens"] if row[0] != me.pk]
            assert others == [row for row in before["citizens"] if row[0] != me.pk]
        else:
            assert changed(before, after) == set(), response.status_code


@FUZZ
@example(her_id="@home", timebook_id="@home_timebook", maned=None, dag=None, sted=HUGE_DIGITS, htmx=False)
@given(
    her_id=st.one_of(st.just("@home"), HER_IDS),
    timebook_id=st.one_of(st.just("@home_timebook"), TIMEBOOK_IDS),
    maned=st.one_of(st.none(), month_strings(near=TODAY)),
    dag=st.one_of(st.none(), date_strings(near=TODAY)),
    sted=st.one_of(st.none(), ids("@home_place", "@away_place", "@elsewhere")),
    htmx=st.booleans(),
)
def test_the_calendar_with_any_parameters(portal, citizen_client, her_id, timebook_id, maned, dag, sted, htmx):
    """«Velg time»: the month (maned), the day (dag) and the place (sted) in the address."""
    path = url("booking:time", resolve(her_id, portal.named), resolve(timebook_id, portal.named))
    params = form(maned=maned, dag=dag, sted=None if sted is None else resolve(sted, portal.named))
    with rolled_back():
        before = snapshot()
        response = citizen_client.get(path, params, headers={"HX-Request": "true"} if htmx else {})
        assert_no_server_error(response)
        assert changed(before, snapshot()) == set()


@FUZZ
@example(step="timebook", value=HUGE_DIGITS, next_url=None)
@example(step="kommune", value=HUGE_DIGITS, next_url=None)
@example(step="person", value=HUGE_DIGITS, next_url=None)
@example(step="person", value="@child", next_url="0")
@given(
    step=st.sampled_from(["timebook", "kommune", "person"]),
    value=ids("@home_timebook", "@away_timebook", "@child", "@neighbour", "@citizen", "@away_org", "@home_org"),
    next_url=st.one_of(st.none(), st.sampled_from(["/innboks/", "//evil.example/"]), texts(80)),
)
def test_the_other_choices_in_the_flow_with_any_value(portal, step, value, next_url):
    """«Hva trenger du?» (timebook), «Bestill koronatest i annen kommune» (kommune) and acting for someone
    else (person, with the way back): choosing changes no data."""
    value = resolve(value, portal.named)
    with rolled_back():
        client = log_in(Client(), portal.citizen)  # a fresh session: choosing a person is remembered in it
        before = snapshot()
        if step == "timebook":
            response = client.post(url("booking:choose_timebook", portal.home.service.her_id), {"timebook": value})
        elif step == "kommune":
            response = client.get(reverse("booking:other_municipality"), {"kommune": value})
        else:
            response = client.post(reverse("citizens:switch_person"), form(person=value, next=next_url))
        assert_no_server_error(response)
        if response.status_code == 302:
            assert url_has_allowed_host_and_scheme(response["Location"], allowed_hosts={"testserver"})
        assert changed(before, snapshot()) == set()


# --- NHN support: the Adresseregisteret pages --------------------------------------------------------


@pytest.fixture
def register(db):
    service = ServiceFactory(processes=RESOURCE)
    other = ServiceFactory(processes=("timebestilling",))
    named = {
        "@service": service.her_id,
        "@other_service": other.her_id,
        "@organisation": service.organisation.her_id,
        "@service_pk": service.pk,
    }
    return SimpleNamespace(service=service, other=other, named=named)


REGISTER_HER_IDS = ids("@service", "@other_service", "@organisation", "@service_pk")


@FUZZ
@example(q="Smitte\x00vern")
@given(q=st.one_of(REGISTER_HER_IDS, texts(300)))
def test_the_register_search_with_any_query(register, support_client, q):
    with rolled_back():
        before = snapshot()
        response = support_client.get(reverse("addressregistry:search"), {"q": resolve(q, register.named)})
        assert_no_server_error(response)
        assert response.status_code == 200
        assert changed(before, snapshot()) == set()


@FUZZ
@example(her_id=HUGE_DIGITS, page="addressregistry:service")
@given(
    her_id=REGISTER_HER_IDS,
    page=st.sampled_from(
        ["addressregistry:organisation", "addressregistry:service", "addressregistry:api_communication_party"]
    ),
)
def test_a_her_id_in_the_address_may_be_anything(register, support_client, her_id, page):
    with rolled_back():
        before = snapshot()
        response = support_client.get(url(page, resolve(her_id, register.named)))
        assert_no_server_error(response)
        assert response.status_code in (200, 400, 404)
        assert changed(before, snapshot()) == set()


@FUZZ
@example(her_id=HUGE_DIGITS, process="timebestilling", active="off", htmx=False)
@given(
    her_id=st.one_of(st.just("@service"), REGISTER_HER_IDS),
    process=st.one_of(st.sampled_from(ServiceProcess.Process.values), texts(40)),
    active=st.one_of(st.sampled_from(["on", "off"]), texts(10)),
    htmx=st.booleans(),
)
def test_switching_a_process_with_any_input(register, support_client, her_id, process, active, htmx):
    """The support page's switch: only a known process, «on» or «off», on the service in the address."""
    valid = process in ServiceProcess.Process.values and active in ("on", "off")
    target = resolve(her_id, register.named)
    with rolled_back():
        before = snapshot()
        response = support_client.post(
            url("addressregistry:service_process_toggle", target),
            form(process=process, active=active),
            headers={"HX-Request": "true"} if htmx else {},
        )
        assert_no_server_error(response)
        after = snapshot()
        if valid and response.status_code in (200, 302):
            assert changed(before, after) <= {"processes", "process_changes"}
            moved = {row[1] for row in after["processes"] if row not in before["processes"]}
            assert moved <= {register.service.pk, register.other.pk}
            for _, service_pk, changed_process in new_rows(before["process_changes"], after["process_changes"]):
                assert changed_process == process
                stored = ServiceProcess.objects.get(service_id=service_pk, process=process).active
                assert stored == (active == "on")
        else:
            assert changed(before, after) == set(), response.status_code


# --- The clinic admin -----------------------------------------------------------------------------------


@pytest.fixture
def clinic_admin(db):
    """Organisations X (the staff user's) and Y, each with a timebook, a place, a time type, a small week
    template (Wednesdays 08:00–09:00, 30 minutes) and a free slot."""
    staff_group()
    sides = {}
    for key in ("x", "y"):
        timebook = TimebookFactory(name=f"Timebok {key.upper()}")
        org = timebook.service.organisation
        template = WeekTemplateFactory(
            timebook=timebook,
            weekdays=[2],
            start_time=dt.time(8),
            end_time=dt.time(9),
            slot_minutes=30,
            valid_from=TODAY,
            valid_to=TODAY + dt.timedelta(days=500),
        )
        slot = SlotFactory(
            timebook=timebook,
            location=template.location,
            start=dt.datetime.combine(TODAY + dt.timedelta(days=3), dt.time(12), tzinfo=dt.UTC),
        )
        sides[key] = SimpleNamespace(
            organisation=org,
            service=timebook.service,
            timebook=timebook,
            template=template,
            location=template.location,
            time_type=TimeTypeFactory(organisation=org),
            slot=slot,
        )
    PatientBlockFactory(organisation=sides["x"].organisation)
    membership = StaffMembershipFactory(
        organisation=sides["x"].organisation, user__is_staff=True, user__password=NO_PASSWORD
    )
    membership.user.groups.add(Group.objects.get(name=STAFF_GROUP))
    client = Client()
    client.force_login(membership.user)
    x, y = sides["x"], sides["y"]
    named = {
        "@x_org": x.organisation,
        "@y_org": y.organisation,
        "@x_service": x.service,
        "@y_service": y.service,
        "@x_timebook": x.timebook,
        "@y_timebook": y.timebook,
        "@x_template": x.template,
        "@y_template": y.template,
        "@x_place": x.location,
        "@y_place": y.location,
        "@x_type": x.time_type,
        "@y_type": y.time_type,
    }
    return SimpleNamespace(client=client, x=x, y=y, named=named)


@FUZZ_ADMIN
@given(
    timebook=st.one_of(st.just("@x_timebook"), ids("@x_timebook", "@y_timebook")),
    location=st.one_of(st.just("@x_place"), ids("@x_place", "@y_place")),
    name=texts(150),
    weekdays=st.lists(st.one_of(st.integers(-2, 9).map(str), texts(5)), max_size=9),
    start_time=time_strings(),
    end_time=time_strings(),
    slot_minutes=numbers(),
    valid_from=date_strings(near=TODAY),
    valid_to=date_strings(near=TODAY),
)
def test_adding_a_week_template_with_any_input(
    clinic_admin, timebook, location, name, weekdays, start_time, end_time, slot_minutes, valid_from, valid_to
):
    named = clinic_admin.named
    data = {
        "timebook": resolve(timebook, named),
        "location": resolve(location, named),
        "name": name,
        "weekdays": weekdays,
        "start_time": start_time,
        "end_time": end_time,
        "slot_minutes": slot_minutes,
        "valid_from": valid_from,
        "valid_to": valid_to,
    }
    with rolled_back():
        before = snapshot()
        response = clinic_admin.client.post(reverse("admin:resourcebooks_weektemplate_add"), data)
        assert_no_server_error(response)
        after = snapshot()
        if response.status_code == 302:
            assert changed(before, after) == {"week_templates"}
            (row,) = new_rows(before["week_templates"], after["week_templates"])
            template = WeekTemplate.objects.select_related("timebook__service", "location").get(pk=row[0])
            assert template.timebook.service.organisation_id == clinic_admin.x.organisation.pk
            assert template.location.organisation_id == clinic_admin.x.organisation.pk
            assert template.weekdays and set(template.weekdays) <= set(range(7))
            assert template.start_time < template.end_time
            assert 5 <= template.slot_minutes <= 480
            assert template.window_minutes % template.slot_minutes == 0
            assert template.valid_from <= template.valid_to
        else:
            assert changed(before, after) == set(), response.status_code


@FUZZ_ADMIN
@example(template="0.0", date_from=TODAY.isoformat(), date_to=TODAY.isoformat(), via_action=True)
@given(
    template=st.one_of(st.just("@x_template"), ids("@x_template", "@y_template")),
    date_from=date_strings(near=TODAY),
    date_to=date_strings(near=TODAY),
    via_action=st.booleans(),
)
def test_publishing_with_any_period(clinic_admin, template, date_from, date_to, via_action):
    """«Publiser timer» from the template's own page and as the list's action."""
    target = resolve(template, clinic_admin.named)
    period = {"date_from": date_from, "date_to": date_to}
    if via_action:
        path = reverse("admin:resourcebooks_weektemplate_changelist")
        data = {"action": "publish", "_selected_action": [target], "apply": "1", **period}
    else:
        path, data = url("admin:resourcebooks_weektemplate_publish", target), period
    with rolled_back():
        before = snapshot()
        response = clinic_admin.client.post(path, data)
        assert_no_server_error(response)
        after = snapshot()
        if response.status_code == 302:
            assert changed(before, after) <= {"slots"}
            created = Slot.objects.filter(pk__in=[row[0] for row in new_rows(before["slots"], after["slots"])])
            period_form = PublishForm(period)
            assert period_form.is_valid() or not created
            for slot in created:
                assert slot.template_id == clinic_admin.x.template.pk
                assert slot.state == Slot.State.FREE
                local_day = timezone.localtime(slot.start).date()
                assert period_form.cleaned_data["date_from"] <= local_day <= period_form.cleaned_data["date_to"]
                assert TODAY <= local_day <= TODAY + dt.timedelta(days=MAX_PUBLISH_DAYS)
        else:
            assert changed(before, after) == set(), response.status_code


@FUZZ_ADMIN
@example(organisation="@x_org", national_id=FULL_WIDTH_NUMBER, reason="Misbruk", blocked_on="2026-11-22")
@given(
    organisation=st.one_of(st.just("@x_org"), ids("@x_org", "@y_org")),
    national_id=synthetic_number_strings(),
    reason=texts(400),
    blocked_on=st.one_of(st.none(), date_strings(near=TODAY)),
)
def test_adding_a_patient_block_with_any_input(clinic_admin, organisation, national_id, reason, blocked_on):
    data = form(
        organisation=resolve(organisation, clinic_admin.named),
        national_id=national_id,
        reason=reason,
        blocked_on=blocked_on,
    )
    with rolled_back():
        before = snapshot()
        response = clinic_admin.client.post(reverse("admin:resourcebooks_patientblock_add"), data)
        assert_no_server_error(response)
        after = snapshot()
        if response.status_code == 302:
            assert changed(before, after) == {"blocks"}
            (row,) = new_rows(before["blocks"], after["blocks"])
            block = PatientBlock.objects.get(pk=row[0])
            assert block.organisation_id == clinic_admin.x.organisation.pk
            assert _ascii_number(block.national_id), f"a block was stored for {block.national_id!r}"
            parse_national_id(block.national_id)
            assert 1 <= len(block.reason.strip()) <= 300
        else:
            assert changed(before, after) == set(), response.status_code


@FUZZ_ADMIN
@example(
    service="@x_service",
    name="Ny timebok",
    description="",
    office_information="",
    owner="Hele klinikken",
    type_="vaksine",
    who_may_book="named_list",
    confirmation="automatic",
    time_types=[],
    numbers_=("24", "1"),
    checks=(None, None),
    entries=("1", FULL_WIDTH_NUMBER),
)
@example(
    service="@x_service",
    name="Ny timebok",
    description="",
    office_information="",
    owner="Hele klinikken",
    type_="vaksine",
    who_may_book="municipality",
    confirmation="automatic",
    time_types=["9" * 30],  # SQLite: pk__in overflow in ModelMultipleChoiceField
    numbers_=("24", "1"),
    checks=(None, None),
    entries=("0", ""),
)
@given(
    service=st.one_of(st.just("@x_service"), ids("@x_service", "@y_service")),
    name=texts(150),
    description=texts(250),
    office_information=texts(350),
    owner=texts(150),
    type_=st.one_of(st.sampled_from([t for t, _ in Timebook._meta.get_field("type").choices]), texts(25)),
    who_may_book=st.one_of(st.sampled_from(Timebook.WhoMayBook.values), texts(25)),
    confirmation=st.one_of(st.sampled_from(Timebook.Confirmation.values), texts(25)),
    time_types=st.lists(ids("@x_type", "@y_type"), max_size=3),
    numbers_=st.tuples(numbers(), numbers()),
    checks=st.tuples(checkboxes(), checkboxes()),
    # TOTAL_FORMS stays small: Django builds up to 2000 inline forms for a large one, which is slow but not wrong.
    entries=st.tuples(
        st.one_of(st.sampled_from(["0", "1", "2", "-1", "", "1.5", "x", "١"]), texts(4)), synthetic_number_strings()
    ),
)
def test_adding_a_timebook_with_any_input(
    clinic_admin,
    service,
    name,
    description,
    office_information,
    owner,
    type_,
    who_may_book,
    confirmation,
    time_types,
    numbers_,
    checks,
    entries,
):
    """The timebook form, with its inline patient list (management form included)."""
    named = clinic_admin.named
    total, national_id = entries
    data = form(
        service=resolve(service, named),
        type=type_,
        name=name,
        description=description,
        office_information=office_information,
        owner=owner,
        online=checks[0],
        time_types=[resolve(t, named) for t in time_types],
        who_may_book=who_may_book,
        confirmation=confirmation,
        cancellation_deadline_hours=numbers_[0],
        max_active_bookings=numbers_[1],
        fallback_notifications=checks[1],
        **{
            "list_entries-TOTAL_FORMS": total,
            "list_entries-INITIAL_FORMS": "0",
            "list_entries-MIN_NUM_FORMS": "0",
            "list_entries-MAX_NUM_FORMS": "1000",
            "list_entries-0-national_id": national_id,
        },
    )
    with rolled_back():
        before = snapshot()
        response = clinic_admin.client.post(reverse("admin:resourcebooks_timebook_add"), data)
        assert_no_server_error(response)
        after = snapshot()
        if response.status_code == 302:
            assert changed(before, after) <= {"timebooks", "list_entries"}
            (row,) = new_rows(before["timebooks"], after["timebooks"])
            timebook = Timebook.objects.select_related("service").get(pk=row[0])
            assert timebook.service.organisation_id == clinic_admin.x.organisation.pk
            assert {t.organisation_id for t in timebook.time_types.all()} <= {clinic_admin.x.organisation.pk}
            assert 1 <= timebook.max_active_bookings <= 20
            assert timebook.cancellation_deadline_hours <= 24 * 14
            for entry in TimebookListEntry.objects.filter(timebook=timebook):
                assert _ascii_number(entry.national_id), f"a list entry was stored for {entry.national_id!r}"
        else:
            assert changed(before, after) == set(), response.status_code


@FUZZ_ADMIN
@example(timebook="@x_timebook", date_from=TODAY.isoformat(), date_to="9999-12-31")
@example(timebook="@x_timebook", date_from="0001-01-01", date_to=TODAY.isoformat())
@example(timebook="9" * 30, date_from=TODAY.isoformat(), date_to=TODAY.isoformat())  # SQLite: pk__in overflow
@given(
    timebook=st.one_of(st.just("@x_timebook"), ids("@x_timebook", "@y_timebook")),
    date_from=date_strings(near=TODAY),
    date_to=date_strings(near=TODAY),
)
def test_withdrawing_free_slots_over_any_period(clinic_admin, timebook, date_from, date_to):
    """The timebook list's action «Trekk tilbake ledige timer» with its period form."""
    data = {
        "action": "withdraw_free_slots",
        "_selected_action": [resolve(timebook, clinic_admin.named)],
        "apply": "1",
        "date_from": date_from,
        "date_to": date_to,
    }
    with rolled_back():
        before = snapshot()
        response = clinic_admin.client.post(reverse("admin:resourcebooks_timebook_changelist"), data)
        assert_no_server_error(response)
        after = snapshot()
        if response.status_code == 302:
            assert changed(before, after) <= {"slots"}
            moved = [row for row in after["slots"] if row not in before["slots"]]
            assert all(row[0] == clinic_admin.x.slot.pk and row[4] == Slot.State.WITHDRAWN for row in moved)
        else:
            assert changed(before, after) == set(), response.status_code


@FUZZ_ADMIN
@example(timebook="@x_timebook", dato="9999-12-31", weeks=None, post=False)
@example(timebook="@x_timebook", dato="0001-01-01", weeks=None, post=False)
@example(timebook="@x_timebook", dato="9999-12-31", weeks=None, post=True)
@given(
    timebook=st.one_of(st.just("@x_timebook"), ids("@x_timebook", "@y_timebook")),
    dato=st.one_of(st.none(), date_strings(near=TODAY)),
    weeks=st.one_of(st.none(), numbers()),
    post=st.booleans(),
)
def test_the_day_view_and_chart_with_any_parameters(clinic_admin, timebook, dato, weeks, post):
    """The timebook's «Dagvisning» (dato; a POST withdraws that day's free slots) and «Belegg» (uker)."""
    target = resolve(timebook, clinic_admin.named)
    day_path = url("admin:resourcebooks_timebook_day", target)
    with rolled_back():
        before = snapshot()
        if post:
            response = clinic_admin.client.post(
                day_path + (f"?{urlencode({'dato': dato})}" if dato is not None else "")
            )
        else:
            response = clinic_admin.client.get(day_path, form(dato=dato))
        assert_no_server_error(response)
        after = snapshot()
        if post and response.status_code == 302:
            moved = [row for row in after["slots"] if row not in before["slots"]]
            assert changed(before, after) <= {"slots"}
            assert all(row[0] == clinic_admin.x.slot.pk and row[4] == Slot.State.WITHDRAWN for row in moved)
        else:
            assert changed(before, after) == set(), response.status_code
        chart = clinic_admin.client.get(url("admin:resourcebooks_timebook_chart", target), form(uker=weeks))
        assert_no_server_error(chart)
        assert changed(after, snapshot()) == set()


ADMIN_LISTS = [
    "resourcebooks_timebook",
    "resourcebooks_weektemplate",
    "resourcebooks_slot",
    "resourcebooks_patientblock",
    "resourcebooks_location",
    "resourcebooks_timetype",
    "booking_appointment",
    "booking_timerequest",
]
LIST_PARAMETERS = ["o", "p", "e", "all", "state", "status", "dato", "start__year", "start__month", "_to_field"]


@FUZZ_ADMIN
@example(model="resourcebooks_patientblock", q="178580\x00", key="p", value="1")
@example(model="resourcebooks_slot", q=None, key="start__year", value="9999")
@example(model="resourcebooks_slot", q=None, key="start__year", value="35184372088833")
@given(
    model=st.sampled_from(ADMIN_LISTS),
    q=st.one_of(st.none(), texts(100)),
    key=st.one_of(st.sampled_from(LIST_PARAMETERS), texts(20)),
    value=st.one_of(numbers(), texts(40), date_strings()),
)
def test_the_admin_lists_with_any_search_and_filter(clinic_admin, model, q, key, value):
    """The lists' search box, filters, ordering and paging in the address: reading changes nothing."""
    params = {key: value} | ({} if q is None else {"q": q})
    with rolled_back():
        before = snapshot()
        response = clinic_admin.client.get(reverse(f"admin:{model}_changelist"), params)
        assert_no_server_error(response)
        assert changed(before, snapshot()) == set()
