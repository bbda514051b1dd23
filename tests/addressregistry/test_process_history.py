"""The history of process changes, and the service that writes it."""

from __future__ import annotations

import itertools
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from addressregistry.models import ProcessChange, ServiceProcess
from addressregistry.services import service_process_set, service_processes_apply
from tests.factories import RESOURCE, ServiceFactory


@pytest.mark.django_db
def test_every_change_is_recorded_with_who_and_when(support_user):
    service = ServiceFactory()
    service_process_set(service=service, process="timebestilling", active=True, changed_by=support_user)
    service_process_set(service=service, process="timebestilling", active=False, changed_by=support_user)
    history = list(ProcessChange.objects.filter(service=service))
    assert [(c.process, c.active) for c in history] == [("timebestilling", False), ("timebestilling", True)]
    assert all(c.changed_by == support_user and c.changed_by_label == "Nora Kundesenter" for c in history)
    assert history[0].changed_at >= history[1].changed_at


@pytest.mark.django_db
def test_setting_a_process_to_the_state_it_has_writes_nothing():
    service = ServiceFactory(processes=RESOURCE)
    before = ProcessChange.objects.count()
    assert service_process_set(service=service, process="timebestilling", active=True, changed_by=None) is None
    assert service_processes_apply(service=service, active=RESOURCE, changed_by=None) == []
    assert ProcessChange.objects.count() == before


@pytest.mark.django_db
def test_an_unknown_process_is_refused_and_nothing_is_written():
    service = ServiceFactory()
    with pytest.raises(ValidationError):
        service_process_set(service=service, process="telepati", active=True, changed_by=None)
    with pytest.raises(ValidationError):
        service_processes_apply(service=service, active={"timebestilling", "telepati"}, changed_by=None)
    assert not ProcessChange.objects.filter(service=service).exists()
    assert not ServiceProcess.objects.filter(service=service, active=True).exists()


@pytest.mark.django_db
def test_the_history_survives_the_user_who_made_it(support_user):
    service = ServiceFactory()
    service_process_set(service=service, process="timebestilling", active=True, changed_by=support_user)
    support_user.delete()
    change = ProcessChange.objects.get(service=service)
    assert change.changed_by is None
    assert change.changed_by_label == "Nora Kundesenter"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_switches_leave_a_history_that_ends_in_the_stored_state():
    """Eight support users switch the same process at once; the row lock keeps history and state in step."""
    service = ServiceFactory()
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def switch(on: bool) -> None:
        try:
            barrier.wait()
            service_process_set(service=service, process="timebestilling", active=on, changed_by=None)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=switch, args=(i % 2 == 0,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    history = list(ProcessChange.objects.filter(service=service).order_by("id"))
    # Each recorded change flips the state, and the last one is what is stored.
    assert all(a.active != b.active for a, b in itertools.pairwise(history))
    assert history[-1].active == ServiceProcess.objects.get(service=service, process="timebestilling").active
