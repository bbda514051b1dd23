"""Issue 10 moved Citizen, Representation and InboxMessage out of booking and AuditEvent out of addressregistry.

A database made before the move (by `make run` on the commit before it) must migrate forward and keep every
row: the migrations are state-only, the tables keep their names, and the content types (permissions, admin
history) follow the models to their new apps.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from audit.models import AuditEvent
from citizens.models import Citizen, Representation
from core.national_id import make_synthetic_national_id
from inbox.models import InboxMessage

BEFORE_THE_MOVE = [
    ("addressregistry", "0002_audit_event"),
    ("booking", "0003_invitation_campaigns"),
    ("audit", None),
    ("citizens", None),
    ("inbox", None),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def _number(birth_date: dt.date, start: int) -> str:
    for individual in range(start, start + 100):
        try:
            return make_synthetic_national_id(birth_date, individual)
        except ValueError:
            continue
    raise AssertionError("no synthetic number")


def _rows_made_before(apps):
    """What `make run` had stored before the move: a municipality, a parent and child, a message, an audit row."""
    user_model = apps.get_model("auth", "User")
    organisation = apps.get_model("addressregistry", "Organisation").objects.create(
        her_id=8199001,
        name="Gammel kommune",
        kind="municipality",
        municipality_name="Gammel",
        municipality_number="9901",
    )
    old_citizen = apps.get_model("booking", "Citizen")
    parent = old_citizen.objects.create(
        user=user_model.objects.create(username="forelder"),
        national_id=_number(dt.date(1980, 1, 1), 100),
        first_name="Kari",
        last_name="Gammel",
        municipality_id=organisation.pk,
    )
    child = old_citizen.objects.create(
        user=user_model.objects.create(username="barn"),
        national_id=_number(dt.date(2016, 1, 1), 600),
        first_name="Emma",
        last_name="Gammel",
        municipality_id=organisation.pk,
    )
    apps.get_model("booking", "Representation").objects.create(representative=parent, represented=child, kind="parent")
    apps.get_model("booking", "InboxMessage").objects.create(
        citizen=child, kind="automatic_reply", sender="Gammel kommune", subject="Emne", body="Tekst"
    )
    apps.get_model("addressregistry", "AuditEvent").objects.create(
        actor_kind="citizen", actor_label="Kari Gammel", action="read", object_type="appointment", object_id="1"
    )
    return parent.pk, child.pk


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_move_migrates_forward_with_every_row():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old_apps = _migrate(BEFORE_THE_MOVE)
        ContentType.objects.clear_cache()
        # The content types the old admin knew the models by (permissions and admin history point at them).
        old_types = {
            model: ContentType.objects.get_or_create(app_label=app, model=model)[0].pk
            for app, model in [("booking", "citizen"), ("booking", "inboxmessage"), ("addressregistry", "auditevent")]
        }
        parent_id, child_id = _rows_made_before(old_apps)

        _migrate(latest)
        ContentType.objects.clear_cache()

        parent, child = Citizen.objects.get(pk=parent_id), Citizen.objects.get(pk=child_id)
        assert (parent.full_name, child.full_name) == ("Kari Gammel", "Emma Gammel")
        assert child.age_on(dt.date(2026, 12, 1)) == 10
        assert Representation.objects.get().represented == child
        assert InboxMessage.objects.get().citizen == child
        assert AuditEvent.objects.get().actor_label == "Kari Gammel"
        # The same content-type rows now name the new apps, so permissions and admin history follow.
        assert ContentType.objects.get(pk=old_types["citizen"]).app_label == "citizens"
        assert ContentType.objects.get(pk=old_types["inboxmessage"]).app_label == "inbox"
        assert ContentType.objects.get(pk=old_types["auditevent"]).app_label == "audit"
    finally:
        _migrate(latest)


@pytest.mark.django_db(transaction=True)
def test_test_persons_named_after_their_number_get_a_neutral_name():
    """Issue 11, finding 6: the old test login named a new person after the last five digits of the number."""
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    before = [("citizens", "0003_norwegian_names")]
    try:
        apps = _migrate(before)
        organisation = apps.get_model("addressregistry", "Organisation").objects.create(
            her_id=8199002, name="Kommune", kind="municipality", municipality_name="K", municipality_number="9902"
        )
        number = _number(dt.date(1990, 5, 5), 200)
        user = apps.get_model("auth", "User").objects.create(username="innbygger-x", last_name=number[-5:])
        citizen = apps.get_model("citizens", "Citizen").objects.create(
            user=user,
            national_id=number,
            first_name="Testperson",
            last_name=number[-5:],
            municipality_id=organisation.pk,
        )
        _migrate(latest)
        renamed = Citizen.objects.get(pk=citizen.pk)
        assert renamed.first_name == "Testperson"
        assert number[-5:] not in renamed.full_name and number[-5:] not in renamed.user.last_name
    finally:
        _migrate(latest)
