"""Issue 21, item 4: a dialogue's kind, patient and office are kept once, on its thread (dialogues 0003).

A database from before keeps every dialogue with its meaning. Where the two copies differed (only a hand edit
could do that), the one the app acted on wins: the dialogue's kind and office (the clinic's inbox, routing and
journal read those), the thread's patient (whose Innboks holds the conversation's messages).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from dialogues.models import Dialogue
from inbox.models import InboxMessage, Thread
from tests.citizens.test_migrations_out_of_booking import _migrate, _number


def _before(latest):
    """Every app as it is now, dialogues at the migration before 0003."""
    return [node for node in latest if node[0] != "dialogues"] + [("dialogues", "0002_readable_constraint_messages")]


def _world(apps):
    """Two offices and two people of a municipality."""
    organisation = apps.get_model("addressregistry", "Organisation")
    citizen = apps.get_model("citizens", "Citizen")
    user = apps.get_model("auth", "User")
    offices = [
        organisation.objects.create(
            her_id=8199100 + n,
            name=f"Legekontor {n}",
            kind="gp_office",
            municipality_name="K",
            municipality_number="9903",
        )
        for n in (1, 2)
    ]
    municipality = organisation.objects.create(
        her_id=8199100, name="Kommune", kind="municipality", municipality_name="K", municipality_number="9903"
    )
    people = [
        citizen.objects.create(
            user=user.objects.create(username=f"person{n}"),
            national_id=_number(dt.date(1980, 1, 1 + n), 100 + 10 * n),
            first_name=f"Person{n}",
            last_name="Gammel",
            municipality=municipality,
        )
        for n in (1, 2)
    ]
    return offices, people


def _dialogue(apps, *, thread: dict, dialogue: dict) -> int:
    """A thread with its first message and its dialogue; returns the dialogue's id."""
    t = apps.get_model("inbox", "Thread").objects.create(subject="Emne", **thread)
    apps.get_model("inbox", "InboxMessage").objects.create(
        citizen_id=t.citizen_id, kind="dialogue", sender="Pasient", subject="Emne", body="Tekst", thread=t
    )
    return apps.get_model("dialogues", "Dialogue").objects.create(thread=t, **dialogue).pk


@pytest.mark.django_db(transaction=True)
def test_every_dialogue_keeps_its_kind_patient_and_office_on_its_thread():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        apps = _migrate(_before(latest))
        (a, b), (x, y) = _world(apps)
        now = timezone.now()
        same = _dialogue(
            apps,
            thread={"citizen": x, "organisation": a, "kind": "reseptfornyelse"},
            dialogue={"citizen": x, "organisation": a, "kind": "reseptfornyelse", "outcome": "fornyet"},
        )
        # A conversion whose thread was never changed, the thread moved to another office and another person.
        differing = _dialogue(
            apps,
            thread={"citizen": y, "organisation": b, "kind": "e_kontakt"},
            dialogue={
                "citizen": x,
                "organisation": a,
                "kind": "e_konsultasjon",
                "journalled_at": now,
                "converted_at": now,
            },
        )
        apps.get_model("inbox", "Thread").objects.create(
            citizen=x, organisation=a, kind="timeforesporsel", subject="Uten dialog"
        )

        _migrate(latest)

        kept = Dialogue.objects.select_related("thread").get(pk=same)
        assert (kept.kind, kept.citizen_id, kept.organisation_id, kept.outcome) == (
            "reseptfornyelse",
            x.pk,
            a.pk,
            "fornyet",
        )
        moved = Dialogue.objects.select_related("thread").get(pk=differing)
        assert (moved.kind, moved.organisation_id, moved.journalled_at) == ("e_konsultasjon", a.pk, now)
        # The patient whose Innboks holds the messages stays the thread's.
        assert moved.citizen_id == y.pk
        assert set(InboxMessage.objects.filter(thread=moved.thread).values_list("citizen_id", flat=True)) == {y.pk}
        assert Thread.objects.get(subject="Uten dialog").kind == "timeforesporsel"
        assert (Dialogue.objects.count(), Thread.objects.count(), InboxMessage.objects.count()) == (2, 3, 2)

        # The rules the old CHECKs kept hold on, now across the two tables.
        with pytest.raises(IntegrityError), transaction.atomic():
            Dialogue.objects.filter(pk=differing).update(journalled_at=None)
        with pytest.raises(IntegrityError), transaction.atomic():
            Thread.objects.filter(pk=kept.thread_id).update(kind="e_kontakt")
    finally:
        _migrate(latest)


@pytest.mark.django_db(transaction=True)
def test_going_back_gives_each_dialogue_its_copies_from_the_thread():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        (a, _b), (x, _y) = _world(_migrate(latest))
        thread = Thread.objects.create(citizen_id=x.pk, organisation_id=a.pk, kind="e_konsultasjon", subject="Emne")
        pk = Dialogue.objects.create(thread=thread, journalled_at=timezone.now()).pk

        old = _migrate(_before(latest)).get_model("dialogues", "Dialogue").objects.get(pk=pk)

        assert (old.kind, old.citizen_id, old.organisation_id) == ("e_konsultasjon", x.pk, a.pk)
    finally:
        _migrate(latest)
