"""A staff user sees and changes only their own organisations' data in the clinic admin; anything else is 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from resourcebooks.demo import staff_group
from resourcebooks.models import Location, Slot, Timebook, WeekTemplate
from tests.factories import (
    PatientBlockFactory,
    SlotFactory,
    StaffMembershipFactory,
    TimebookFactory,
    TimeTypeFactory,
    WeekTemplateFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Two organisations, X and Y, each with a full set of objects, and a staff user of X."""
    staff_group()
    objects = {}
    for key in ("x", "y"):
        timebook = TimebookFactory(name=f"Timebok {key.upper()}")
        org = timebook.service.organisation
        template = WeekTemplateFactory(timebook=timebook)
        objects[key] = {
            "organisation": org,
            "service": timebook.service,
            "timebook": timebook,
            "location": template.location,
            "template": template,
            "timetype": TimeTypeFactory(organisation=org, name=f"Timetype {key.upper()}"),
            "slot": SlotFactory(timebook=timebook, location=template.location),
            "patientblock": PatientBlockFactory(organisation=org),
        }
    return objects


@pytest.fixture
def staff_x(client, world):
    membership = StaffMembershipFactory(organisation=world["x"]["organisation"], user__is_staff=True)
    membership.user.groups.add(Group.objects.get(name="Klinikkansatt"))
    client.force_login(membership.user)
    return client


MODELS = ["timebook", "location", "weektemplate", "timetype", "slot", "patientblock"]
KEY = {"weektemplate": "template"}


@pytest.mark.parametrize("model", MODELS)
def test_lists_show_only_the_users_own_organisation(staff_x, world, model):
    response = staff_x.get(reverse(f"admin:resourcebooks_{model}_changelist"))
    assert response.status_code == 200
    ids = {obj.pk for obj in response.context["cl"].result_list}
    assert ids == {world["x"][KEY.get(model, model)].pk}


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_another_organisations_object_is_404_by_direct_url(staff_x, world, model, view):
    other = world["y"][KEY.get(model, model)]
    response = staff_x.get(reverse(f"admin:resourcebooks_{model}_{view}", args=[other.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("model", ["timebook", "location", "weektemplate", "timetype", "patientblock"])
def test_the_users_own_object_opens(staff_x, world, model):
    own = world["x"][KEY.get(model, model)]
    assert staff_x.get(reverse(f"admin:resourcebooks_{model}_change", args=[own.pk])).status_code == 200


@pytest.mark.parametrize("url_name", ["admin:resourcebooks_timebook_day", "admin:resourcebooks_timebook_chart"])
def test_another_organisations_day_view_and_chart_are_404(staff_x, world, url_name):
    assert staff_x.get(reverse(url_name, args=[world["y"]["timebook"].pk])).status_code == 404
    assert staff_x.get(reverse(url_name, args=[world["x"]["timebook"].pk])).status_code == 200


def test_another_organisations_publish_page_is_404_and_publishes_nothing(staff_x, world):
    template = world["y"]["template"]
    url = reverse("admin:resourcebooks_weektemplate_publish", args=[template.pk])
    before = Slot.objects.count()
    assert staff_x.get(url).status_code == 404
    assert staff_x.post(url, {"date_from": "2030-01-01", "date_to": "2030-01-31"}).status_code == 404
    assert Slot.objects.count() == before


def test_withdrawing_through_another_organisations_day_view_is_404(staff_x, world):
    slot = world["y"]["slot"]
    url = reverse("admin:resourcebooks_timebook_day", args=[world["y"]["timebook"].pk])
    assert staff_x.post(f"{url}?dato=2030-01-07").status_code == 404
    slot.refresh_from_db()
    assert slot.state == Slot.State.FREE


def choices(response, field: str) -> set[int]:
    return {obj.pk for obj in response.context["adminform"].form.fields[field].queryset}


def test_new_timebook_offers_only_own_services_and_time_types(staff_x, world):
    response = staff_x.get(reverse("admin:resourcebooks_timebook_add"))
    assert choices(response, "service") == {world["x"]["service"].pk}
    assert choices(response, "time_types") == {world["x"]["timetype"].pk}


def test_new_week_template_offers_only_own_timebooks_and_locations(staff_x, world):
    response = staff_x.get(reverse("admin:resourcebooks_weektemplate_add"))
    assert choices(response, "timebook") == {world["x"]["timebook"].pk}
    assert choices(response, "location") == {world["x"]["location"].pk}


@pytest.mark.parametrize(
    ("model", "field"), [("location", "organisation"), ("timetype", "organisation"), ("patientblock", "organisation")]
)
def test_new_objects_can_only_belong_to_the_users_own_organisation(staff_x, world, model, field):
    response = staff_x.get(reverse(f"admin:resourcebooks_{model}_add"))
    assert choices(response, field) == {world["x"]["organisation"].pk}


def test_posting_another_organisations_service_is_refused(staff_x, world):
    response = staff_x.post(
        reverse("admin:resourcebooks_timebook_add"),
        {
            "service": world["y"]["service"].pk,
            "type": "vaksine",
            "name": "Snik",
            "owner": "Hele klinikken",
            "who_may_book": "municipality",
            "confirmation": "automatic",
            "cancellation_deadline_hours": 24,
            "max_active_bookings": 1,
            "list_entries-TOTAL_FORMS": 0,
            "list_entries-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200  # the form again, with an error
    assert "service" in response.context["adminform"].form.errors
    assert not Timebook.objects.filter(name="Snik").exists()


def test_posting_another_organisations_location_into_a_template_is_refused(staff_x, world):
    response = staff_x.post(
        reverse("admin:resourcebooks_weektemplate_add"),
        {
            "timebook": world["x"]["timebook"].pk,
            "location": world["y"]["location"].pk,
            "weekdays": ["0"],
            "start_time": "08:00",
            "end_time": "09:00",
            "slot_minutes": 5,
            "valid_from": "2030-01-01",
            "valid_to": "2030-12-31",
        },
    )
    assert "location" in response.context["adminform"].form.errors
    assert WeekTemplate.objects.count() == 2


def test_list_filters_offer_only_the_users_own_timebooks(staff_x, world):
    second = TimebookFactory(service=world["x"]["service"], name="Timebok X2")
    SlotFactory(timebook=second, location=world["x"]["location"])
    response = staff_x.get(reverse("admin:resourcebooks_slot_changelist"))
    timebook_filter = next(f for f in response.context["cl"].filter_specs if getattr(f, "field_path", "") == "timebook")
    assert {label for _pk, label in timebook_filter.lookup_choices} == {str(world["x"]["timebook"]), str(second)}
    assert "Timebok Y" not in response.content.decode()


def test_filtering_by_another_organisations_timebook_never_shows_its_slots(staff_x, world):
    response = staff_x.get(
        reverse("admin:resourcebooks_slot_changelist"), {"timebook__id__exact": world["y"]["timebook"].pk}
    )
    assert world["y"]["slot"] not in response.context["cl"].result_list


def test_a_user_with_no_membership_sees_nothing(client, world, django_user_model):
    user = django_user_model.objects.create_user("ny", password="pw-ny-12345", is_staff=True)
    user.groups.add(Group.objects.get(name="Klinikkansatt"))
    client.force_login(user)
    response = client.get(reverse("admin:resourcebooks_timebook_changelist"))
    assert list(response.context["cl"].result_list) == []


def test_a_user_of_two_organisations_sees_both(client, world):
    membership = StaffMembershipFactory(organisation=world["x"]["organisation"], user__is_staff=True)
    StaffMembershipFactory(organisation=world["y"]["organisation"], user=membership.user)
    membership.user.groups.add(Group.objects.get(name="Klinikkansatt"))
    client.force_login(membership.user)
    response = client.get(reverse("admin:resourcebooks_timebook_changelist"))
    assert {tb.pk for tb in response.context["cl"].result_list} == {
        world["x"]["timebook"].pk,
        world["y"]["timebook"].pk,
    }


def test_staff_cannot_see_or_change_memberships(staff_x):
    assert staff_x.get(reverse("admin:resourcebooks_staffmembership_changelist")).status_code == 403


def test_staff_cannot_add_or_edit_slots_by_hand(staff_x, world):
    assert staff_x.get(reverse("admin:resourcebooks_slot_add")).status_code == 403
    slot = world["x"]["slot"]
    response = staff_x.post(reverse("admin:resourcebooks_slot_change", args=[slot.pk]), {"state": "booked"})
    assert response.status_code in (403, 200)
    slot.refresh_from_db()
    assert slot.state == Slot.State.FREE


def test_the_withdraw_action_ignores_another_organisations_slots(staff_x, world):
    response = staff_x.post(
        reverse("admin:resourcebooks_slot_changelist"),
        {"action": "withdraw_selected", "_selected_action": [world["x"]["slot"].pk, world["y"]["slot"].pk]},
    )
    assert response.status_code == 302
    world["x"]["slot"].refresh_from_db()
    world["y"]["slot"].refresh_from_db()
    assert world["x"]["slot"].state == Slot.State.WITHDRAWN
    assert world["y"]["slot"].state == Slot.State.FREE


def test_a_location_of_another_organisation_cannot_be_attached_by_editing_the_url_id(staff_x, world):
    # Changing the own location's organisation to Y is not offered and not accepted.
    location = world["x"]["location"]
    response = staff_x.post(
        reverse("admin:resourcebooks_location_change", args=[location.pk]),
        {"organisation": world["y"]["organisation"].pk, "name": "Flyttet", "attendance_place": "Et sted"},
    )
    assert "organisation" in response.context["adminform"].form.errors
    assert Location.objects.get(pk=location.pk).organisation == world["x"]["organisation"]


def test_the_day_view_lists_the_days_slots_in_local_time(staff_x, world):
    slot = world["x"]["slot"]  # 2030-01-07 08:00 UTC = 09:00 in Oslo
    response = staff_x.get(
        reverse("admin:resourcebooks_timebook_day", args=[world["x"]["timebook"].pk]), {"dato": "2030-01-07"}
    )
    html = response.content.decode()
    assert "09:00 - 09:05" in html
    assert slot.location.attendance_place in html
    assert "Ledig" in html
    assert dt.date(2030, 1, 7) == response.context["day"]
