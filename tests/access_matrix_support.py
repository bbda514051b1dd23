"""The fixed world, the kinds of user and the outcomes of the access-control matrix (``test_access_matrix``).

This module holds no tests. The world is two municipalities, X and Y, each with a service, a timebook, a
place, a week template, a time type, slots, a patient block, a time request, an SMS campaign and a row in
the outbox; citizen A (in X) with a child of 13 (a hidden appointment of the child's own and one A booked
for the child), citizen B (in Y); a staff user of X, one of Y (the demo's clinic staff group and booking
permissions, a membership of their organisation), and an NHN support user.
"""

from __future__ import annotations

import datetime as dt
import io
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import factory
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from addressregistry.models import Organisation, ProcessChange, Service, ServiceProcess
from audit.models import AuditEvent
from booking.demo import STAFF_BOOKING_PERMISSIONS
from booking.models import Appointment, InvitationCampaign, SlotHold, TimeRequest
from booking.services import appointment_book_by_clinic, appointment_confirm, appointment_request, time_request_send
from booking.services.holds import slot_hold
from citizens.middleware import ACTING_FOR
from citizens.models import Citizen, Representation
from dialogues.demo import staff_dialogue_permissions
from dialogues.models import Dialogue, JournalEntry, RoutingAbsence, RoutingSetting
from dialogues.services import dialogue_start
from inbox.models import Attachment, InboxMessage, Thread
from notifications.models import Notification
from resourcebooks.demo import staff_group
from resourcebooks.models import (
    Location,
    PatientBlock,
    Slot,
    StaffGroup,
    StaffMembership,
    Timebook,
    TimeType,
    WeekTemplate,
)
from tests.factories import (
    RESOURCE,
    AuditEventFactory,
    CitizenFactory,
    ClinicSettingsFactory,
    InvitationCampaignFactory,
    LocationFactory,
    NotificationFactory,
    OrganisationFactory,
    PatientBlockFactory,
    PractitionerFactory,
    PrescriptionFactory,
    RepresentationFactory,
    RoutingAbsenceFactory,
    RoutingSettingFactory,
    ServiceFactory,
    SlotFactory,
    StaffGroupFactory,
    StaffMembershipFactory,
    TimebookFactory,
    TimeTypeFactory,
    UserFactory,
    VikarAssignmentFactory,
    WeekTemplateFactory,
)
from video.models import VideoSignal

OSLO = ZoneInfo("Europe/Oslo")
# Users log in with force_login: an unusable password spares the slow hashing.
NO_PASSWORD = factory.Transformer.Force("!")

# --- The kinds of user ------------------------------------------------------------------------------

ANONYMOUS = "anonymous"
CITIZEN_A = "citizen_a"
CITIZEN_B = "citizen_b"
CHILD = "child"  # A's child, logged in on their own
A_FOR_CHILD = "citizen_a_for_child"  # A, acting for the child («Bytt person»)
STAFF_X = "staff_x"
STAFF_Y = "staff_y"
SUPPORT = "nhn_support"

KINDS = (ANONYMOUS, CITIZEN_A, CITIZEN_B, CHILD, A_FOR_CHILD, STAFF_X, STAFF_Y, SUPPORT)
CITIZENS = (CITIZEN_A, CITIZEN_B, CHILD, A_FOR_CHILD)
NOT_CITIZENS = (ANONYMOUS, STAFF_X, STAFF_Y, SUPPORT)
NOT_STAFF = (ANONYMOUS, *CITIZENS)


# --- Outcomes -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What a request gets: a status, and for a redirect where it leads.

    ``login`` names the login page of a login redirect (which must carry ``?next=`` back to the page);
    ``to`` gives any other redirect's target from the world and the requested path. ``refused`` outcomes
    must leave the data as it was.
    """

    label: str
    status: int
    login: str | None = None
    to: Callable[[Any, str], str] | None = field(default=None, compare=False)
    refused: bool = False

    def expected_location(self, world: Any, path: str) -> str | None:
        if self.login:
            return f"{reverse(self.login)}?{urlencode({'next': path}, safe='/')}"
        if self.to:
            return self.to(world, path)
        return None

    def __str__(self) -> str:
        return self.label


OK = Outcome("the page (200)", 200)
FORBIDDEN = Outcome("refused (403)", 403, refused=True)
NOT_FOUND = Outcome("not found (404)", 404, refused=True)
NOT_ALLOWED = Outcome("method not allowed (405)", 405, refused=True)
TO_CITIZEN_LOGIN = Outcome("to the citizens' test login", 302, login="citizens:login", refused=True)
TO_STAFF_LOGIN = Outcome("to the staff login", 302, login="staff_login", refused=True)
TO_ADMIN_LOGIN = Outcome("to the admin login", 302, login="admin:login", refused=True)
# An admin action on objects outside the user's organisations: Django finds nothing selected and sends the
# user back to the list with «Items must be selected …»; nothing is changed.
BACK_TO_LIST_UNCHANGED = Outcome("back to the list, nothing done", 302, to=lambda w, path: path, refused=True)


def redirect_to(label: str, to: Callable[[Any, str], str]) -> Outcome:
    return Outcome(label, 302, to=to)


# --- The world ------------------------------------------------------------------------------------------


@dataclass
class World:
    x: Organisation
    y: Organisation
    sx: Service  # X's Vaksinasjon: only X's residents book there
    sy: Service  # Y's Smittevern: shown to other municipalities' residents too
    sx_practitioner: Service  # X's Fastlege service with Behandleroversikt (a practitioner booking)
    tx: Timebook
    ty: Timebook
    lx: Location
    ly: Location
    wx: WeekTemplate
    wy: WeekTemplate
    ttx: TimeType
    tty: TimeType
    free_x: Slot
    free_y: Slot
    pbx: PatientBlock
    pby: PatientBlock
    a: Citizen
    b: Citizen
    child: Citizen
    representation: Representation
    appt_a: Appointment
    appt_b: Appointment
    appt_child_hidden: Appointment
    appt_child_visible: Appointment  # booked by A for the child
    appt_video_a: Appointment  # A's «Videotime» in X, going on now: its video room is open
    msg_a: InboxMessage
    msg_b: InboxMessage
    msg_child_hidden: InboxMessage
    msg_child_visible: InboxMessage
    tr_x: TimeRequest
    tr_y: TimeRequest
    campaign_x: InvitationCampaign
    campaign_y: InvitationCampaign
    notif_x: Notification
    notif_y: Notification
    membership_x: StaffMembership
    process_change_x: ProcessChange
    staff_group: Group
    staff_x: Any
    staff_y: Any
    support: Any
    celery: dict[str, Any]
    audit_event: Any = None  # one row of the audit trail (made by the world's own changes)
    # X's practitioner, a vikar set on him, and X's own settings (the GP office's side, issue 13).
    prx: Any = None
    vax: Any = None
    csx: Any = None
    # The dialogues (issue 14): a GP office G where X's staff also work and A is on the fastlege's list; A's
    # e-kontakt there with a PDF, A's e-konsultasjon (journalled), G's routing, absence, group and A's
    # prescription. X's and Y's time requests are dialogues too (``tr_x.dialogue``).
    gx: Any = None
    prgx: Any = None
    dlg_x: Any = None  # A's e-kontakt at G
    thread_x: Any = None
    att_x: Any = None
    dlg_consult_x: Any = None
    journal_x: Any = None
    routing_x: Any = None
    absence_x: Any = None
    group_x: Any = None
    prescription_x: Any = None
    dlg_tr_x: Any = None  # X's time request as a dialogue
    hold_a: Any = None  # A's hold on one of X's free slots
    sessions: dict[str, str] = field(default_factory=dict)  # kind → session key

    # The content types in the admin's «Vis på nettsted» URL (/admin/r/<content type>/<id>/).
    @property
    def appointment_type(self) -> ContentType:
        return ContentType.objects.get_for_model(Appointment)

    @property
    def organisation_type(self) -> ContentType:
        return ContentType.objects.get_for_model(Organisation)


def _local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=OSLO)


def _municipality(key: str, service_type: str) -> dict[str, Any]:
    org = OrganisationFactory(name=f"Kommune {key}", municipality_name=f"Kommune {key}")
    service = ServiceFactory(
        organisation=org, service_type=service_type, name=f"{service_type.capitalize()} {key}", processes=RESOURCE
    )
    timebook = TimebookFactory(service=service, name=f"Influensavaksine {key}", max_active_bookings=5)
    location = LocationFactory(organisation=org, name=f"Feberpoliklinikken {key}")
    template = WeekTemplateFactory(timebook=timebook, location=location)
    time_type = TimeTypeFactory(organisation=org, name=f"Vaksine {key}")
    timebook.time_types.add(time_type)
    day = timezone.localdate() + dt.timedelta(days=3)
    slots = [
        SlotFactory(timebook=timebook, location=location, template=template, start=_local(day, 8, 5 * i))
        for i in range(6)
    ]
    return {
        "org": org,
        "service": service,
        "timebook": timebook,
        "location": location,
        "template": template,
        "time_type": time_type,
        "slots": slots,
    }


def _book(person: Citizen, booked_by: Citizen, slot: Slot) -> Appointment:
    outcome = appointment_request(
        person=person,
        booked_by=booked_by,
        timebook=slot.timebook,
        slot_id=slot.pk,
        reason="Vaksine",
        idempotency_key=uuid.uuid4(),
    )
    assert appointment_confirm(appointment_id=outcome.appointment.pk)
    return Appointment.objects.get(pk=outcome.appointment.pk)


def _video_appointment_now(person: Citizen, municipality: dict[str, Any]) -> Appointment:
    """A «Videotime» that began five minutes ago and lasts two hours: its room stays open while the module runs."""
    video = TimeTypeFactory(organisation=municipality["org"], name="Videotime X", mode=TimeType.Mode.VIDEO)
    start = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(minutes=5)
    slot = SlotFactory(
        timebook=municipality["timebook"],
        location=municipality["location"],
        time_type=video,
        start=start,
        end=start + dt.timedelta(hours=2),
    )
    return appointment_book_by_clinic(person=person, slot=slot, reason="Utslett")


def _staff(username: str, organisation: Organisation, group: Group) -> tuple[Any, StaffMembership]:
    membership = StaffMembershipFactory(
        organisation=organisation, user__username=username, user__is_staff=True, user__password=NO_PASSWORD
    )
    membership.user.groups.add(group)
    return membership.user, membership


def _gp_side(org: Organisation) -> tuple[Any, Any, Any]:
    fastlege = PractitionerFactory(organisation=org)
    vikar = PractitionerFactory(organisation=org, first_name="Astrid", role="vikar")
    assignment = VikarAssignmentFactory(fastlege=fastlege, vikar=vikar, valid_from=timezone.localdate())
    return fastlege, assignment, ClinicSettingsFactory(organisation=org)


def _outbox_row(org: Organisation, citizen: Citizen, *, failed: bool) -> Notification:
    return NotificationFactory(
        dedupe_key=f"matrix:{org.her_id}",
        recipient_key=f"citizen:{citizen.pk}",
        recipient_name=citizen.full_name,
        address="+4741234567",
        channel=Notification.Channel.SMS,
        event=Notification.Event.CONFIRMED,
        text="Du har fått time til vaksine.",
        owner_her_id=org.her_id,
        state=Notification.State.FAILED if failed else Notification.State.PENDING,
        attempts=5 if failed else 0,
        last_error="Simulert feil i kanalen sms" if failed else "",
    )


def _celery_beat_rows() -> dict[str, Any]:
    from django_celery_beat.models import (
        ClockedSchedule,
        CrontabSchedule,
        IntervalSchedule,
        PeriodicTask,
        SolarSchedule,
    )

    interval = IntervalSchedule.objects.create(every=60, period=IntervalSchedule.SECONDS)
    return {
        "intervalschedule": interval,
        "crontabschedule": CrontabSchedule.objects.create(minute="0", hour="3"),
        "solarschedule": SolarSchedule.objects.create(event="sunrise", latitude=59.91, longitude=10.75),
        "clockedschedule": ClockedSchedule.objects.create(clocked_time=timezone.now() + dt.timedelta(days=1)),
        "periodictask": PeriodicTask.objects.create(
            name="matrix: reminders", task="booking.tasks.reminders_task", interval=interval, enabled=False
        ),
    }


def _an_audit_event(world: World) -> Any:
    return AuditEvent.objects.order_by("pk").first() or AuditEventFactory(
        actor_kind="system", actor_label="system", action="update", object_type="timebook", object_id=world.tx.pk
    )


def build_world() -> World:
    group = staff_group()
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="booking", codename__in=STAFF_BOOKING_PERMISSIONS)
    )
    mx = _municipality("X", Service.Type.VAKSINASJON)
    my = _municipality("Y", Service.Type.SMITTEVERN)
    practitioner = ServiceFactory(
        organisation=mx["org"],
        service_type=Service.Type.FASTLEGE,
        name="Fastlege X",
        processes=("timebestilling", "behandleroversikt"),
    )

    a = CitizenFactory(first_name="Anne", municipality=mx["org"], user__password=NO_PASSWORD)
    b = CitizenFactory(first_name="Bjørn", municipality=my["org"], user__password=NO_PASSWORD)
    today = timezone.localdate()
    child = CitizenFactory(
        first_name="Ola",
        municipality=mx["org"],
        birth_date=dt.date(today.year - 13, 1, 15),
        user__password=NO_PASSWORD,
    )
    assert 12 <= child.age_on(today) < 16
    representation = RepresentationFactory(representative=a, represented=child)

    sx_slots, sy_slots = mx["slots"], my["slots"]
    appt_a = _book(a, a, sx_slots[0])
    appt_child_visible = _book(child, a, sx_slots[1])
    appt_child_hidden = appointment_book_by_clinic(person=child, slot=sx_slots[2], reason="Blodprøve", hidden=True)
    appt_b = _book(b, b, sy_slots[0])
    appt_video_a = _video_appointment_now(a, mx)

    tr_x = time_request_send(
        person=a,
        booked_by=a,
        service=mx["service"],
        timebook=mx["timebook"],
        subject="Vaksine",
        suggested_times="Mandag",
    )
    tr_y = time_request_send(
        person=b, booked_by=b, service=my["service"], timebook=my["timebook"], subject="Test", suggested_times="Tirsdag"
    )

    staff_x, membership_x = _staff("ansatt-x", mx["org"], group)
    staff_y, _ = _staff("ansatt-y", my["org"], group)
    support = UserFactory(username="nhn-support", is_staff=True, password=NO_PASSWORD)
    support.groups.add(Group.objects.get_or_create(name=settings.NHN_SUPPORT_GROUP)[0])

    campaigns = {
        key: InvitationCampaignFactory(
            timebook=m["timebook"],
            born_from=1940,
            born_to=1960,
            text="Nå kan du bestille time til influensavaksine.",
            state=InvitationCampaign.State.PAUSED,
            created_by=user,
        )
        for key, m, user in (("x", mx, staff_x), ("y", my, staff_y))
    }

    world = World(
        x=mx["org"],
        y=my["org"],
        sx=mx["service"],
        sy=my["service"],
        sx_practitioner=practitioner,
        tx=mx["timebook"],
        ty=my["timebook"],
        lx=mx["location"],
        ly=my["location"],
        wx=mx["template"],
        wy=my["template"],
        ttx=mx["time_type"],
        tty=my["time_type"],
        free_x=sx_slots[3],
        free_y=sy_slots[3],
        pbx=PatientBlockFactory(organisation=mx["org"], national_id=b.national_id),
        pby=PatientBlockFactory(organisation=my["org"]),
        a=a,
        b=b,
        child=child,
        representation=representation,
        appt_a=appt_a,
        appt_b=appt_b,
        appt_child_hidden=appt_child_hidden,
        appt_child_visible=appt_child_visible,
        appt_video_a=appt_video_a,
        msg_a=InboxMessage.objects.get(appointment=appt_a),
        msg_b=InboxMessage.objects.get(appointment=appt_b),
        msg_child_hidden=InboxMessage.objects.get(appointment=appt_child_hidden),
        msg_child_visible=InboxMessage.objects.get(appointment=appt_child_visible),
        tr_x=tr_x,
        tr_y=tr_y,
        campaign_x=campaigns["x"],
        campaign_y=campaigns["y"],
        notif_x=_outbox_row(mx["org"], a, failed=True),
        notif_y=_outbox_row(my["org"], b, failed=True),
        membership_x=membership_x,
        process_change_x=ProcessChange.objects.filter(service=mx["service"]).order_by("pk").first(),
        staff_group=group,
        staff_x=staff_x,
        staff_y=staff_y,
        support=support,
        celery=_celery_beat_rows(),
    )
    assert world.process_change_x is not None
    world.prx, world.vax, world.csx = _gp_side(mx["org"])
    _dialogue_side(world)
    # A holds one of X's free slots (issue 15): «Tilbake»/«Avbryt» on the review page let it go.
    world.hold_a = slot_hold(person=a, held_by=a, timebook=mx["timebook"], slot_id=sx_slots[4].pk).hold
    world.audit_event = _an_audit_event(world)
    InboxMessage.objects.update(read_at=None)
    return world


class _Pdf(io.BytesIO):
    name = "resept.pdf"

    def __init__(self) -> None:
        super().__init__(b"%PDF-1.4\n%matrix\n")
        self.size = len(self.getvalue())


def _dialogue_side(world: World) -> None:
    """G, a GP office whose fastlege offers all three dialogues; A on his list; X's staff work there too."""
    gx = OrganisationFactory(name="Legekontor G", kind=Organisation.Kind.GP_OFFICE)
    ServiceFactory(
        organisation=gx,
        service_type=Service.Type.FASTLEGE,
        name="Fastlege G",
        processes=("timebestilling", "e_kontakt", "e_konsultasjon", "reseptfornyelse"),
    )
    prgx = PractitionerFactory(organisation=gx)
    Citizen.objects.filter(pk=world.a.pk).update(gp_office=gx, fastlege=prgx)
    world.a.refresh_from_db()
    membership = StaffMembershipFactory(user=world.staff_x, organisation=gx, role=StaffMembership.Role.HELSESEKRETAER)
    staff_dialogue_permissions()
    world.gx, world.prgx = gx, prgx
    world.dlg_x = dialogue_start(
        person=world.a, written_by=world.a, kind="e_kontakt", subject="Attest", body="Hei", uploads=[_Pdf()]
    )
    world.thread_x = world.dlg_x.thread
    world.att_x = Attachment.objects.get(message__thread=world.thread_x)
    world.dlg_consult_x = dialogue_start(
        person=world.a, written_by=world.a, kind="e_konsultasjon", subject="Utslett", body="Det klør"
    )
    world.journal_x = JournalEntry.objects.get(dialogue=world.dlg_consult_x)
    world.routing_x = RoutingSettingFactory(organisation=gx, kind="reseptfornyelse", mode="fixed")
    world.absence_x = RoutingAbsenceFactory(
        fastlege=prgx, substitute=membership, valid_to=timezone.localdate() + dt.timedelta(days=7)
    )
    world.group_x = StaffGroupFactory(organisation=gx, name="Resepsjonen")
    world.prescription_x = PrescriptionFactory(
        citizen=world.a, medication="Levaxin", strength="", prescribed_on=timezone.localdate() - dt.timedelta(days=90)
    )
    world.dlg_tr_x = Dialogue.objects.get(time_request=world.tr_x)


# --- One logged-in session per kind of user ------------------------------------------------------------


def log_in_everyone(world: World) -> dict[str, Client]:
    """A Client per kind of user, logged in as the test login and «Bytt person» would leave them."""
    users = {
        CITIZEN_A: world.a.user,
        CITIZEN_B: world.b.user,
        CHILD: world.child.user,
        A_FOR_CHILD: world.a.user,
        STAFF_X: world.staff_x,
        STAFF_Y: world.staff_y,
        SUPPORT: world.support,
    }
    citizens = {CITIZEN_A: world.a, CITIZEN_B: world.b, CHILD: world.child, A_FOR_CHILD: world.a}
    clients = {ANONYMOUS: Client()}
    for kind, user in users.items():
        client = Client()
        client.force_login(user)
        if kind in citizens:
            session = client.session
            session["citizen"] = citizens[kind].pk
            session["last_seen"] = int(time.time())
            if kind == A_FOR_CHILD:
                session[ACTING_FOR] = world.child.pk
            session.save()
        world.sessions[kind] = client.cookies[settings.SESSION_COOKIE_NAME].value
        clients[kind] = client
    return clients


def reset_cookies(client: Client, world: World, kind: str) -> Client:
    """Back to the kind's own session and nothing else (no message cookie of an earlier request)."""
    client.cookies.clear()
    if kind in world.sessions:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[kind]
    return client


# --- Nothing changed -------------------------------------------------------------------------------------


def state_of_the_world(world: World) -> dict[str, Any]:
    """Everything a refused request might have changed, as plain values."""

    def rows(queryset, *fields):
        return list(queryset.order_by("pk").values_list("pk", *fields))

    return {
        "appointments": rows(Appointment.objects, "status", "cancelled_at", "hidden", "decided_at"),
        "slots": rows(Slot.objects, "state", "start"),
        "inbox": rows(InboxMessage.objects, "read_at", "hidden", "thread__hidden"),
        "time_requests": rows(TimeRequest.objects, "status"),
        "processes": rows(ServiceProcess.objects, "active"),
        "process_changes": rows(ProcessChange.objects),
        "outbox": rows(Notification.objects, "state", "attempts", "last_error"),
        "timebooks": rows(Timebook.objects, "name", "online"),
        "templates": rows(WeekTemplate.objects, "valid_from", "valid_to"),
        "locations": rows(Location.objects, "name"),
        "time_types": rows(TimeType.objects, "name"),
        "blocks": rows(PatientBlock.objects, "national_id"),
        "campaigns": rows(InvitationCampaign.objects, "state"),
        "citizens": rows(
            Citizen.objects, "phone", "email", "notify_sms", "notify_email", "notify_push", "digital_contact_consent"
        ),
        "representations": rows(Representation.objects),
        "video_signals": rows(VideoSignal.objects, "kind"),
        "threads": rows(Thread.objects, "kind", "closed_at"),
        "holds": rows(SlotHold.objects, "slot_id", "citizen_id"),
        "dialogues": rows(Dialogue.objects, "thread__kind", "outcome", "journalled_at"),
        "journal": rows(JournalEntry.objects),
        "routing": rows(RoutingSetting.objects, "mode"),
        "absences": rows(RoutingAbsence.objects, "valid_to"),
        "groups": rows(StaffGroup.objects, "name"),
        "audit_event_kept": type(world.audit_event).objects.filter(pk=world.audit_event.pk).exists(),
        # Whom each session acts for (the idle-timeout middleware may touch «last_seen»: that is no change).
        "acting_for": sorted(
            (s.session_key, s.get_decoded().get(ACTING_FOR))
            for s in Session.objects.filter(session_key__in=world.sessions.values())
        ),
    }
