"""Shared fixtures, and the rule for tests that need a real service.

Tests marked ``postgres``, ``redis`` or ``browser`` are skipped when that service is not configured
on this machine (so ``make test`` runs on a bare machine). ``.ci/run`` configures all of them and fails
the run if any test was skipped.
"""

from __future__ import annotations

import os
import shutil

import pytest
from django.conf import settings

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reasons = {
        "postgres": None if settings.USING_POSTGRES else "needs PostgreSQL: set DATABASE_URL=postgres://…",
        "redis": None if settings.REDIS_URL else "needs Redis: set REDIS_URL=redis://…",
        "browser": None if shutil.which(CHROMIUM) else f"needs Chromium at {CHROMIUM} (apt-get install chromium)",
    }
    for item in items:
        for marker, reason in reasons.items():
            if reason and marker in item.keywords:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture
def support_user(django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        username="support", password="pw-support-123", first_name="Nora", last_name="Kundesenter"
    )
    user.groups.add(Group.objects.get_or_create(name=settings.NHN_SUPPORT_GROUP)[0])
    return user


@pytest.fixture
def support_client(client, support_user):
    client.force_login(support_user)
    return client


@pytest.fixture
def other_staff_client(client, django_user_model):
    """A logged-in user who is not in the NHN support group (e.g. a clinic worker)."""
    user = django_user_model.objects.create_user(username="klinikk", password="pw-klinikk-123", is_staff=True)
    client.force_login(user)
    return client


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Passwords are hashed with a fast hasher in tests, as Django's testing guide advises: PBKDF2's million rounds
    take about half a second a hash on this machine, and the demo (six staff users, loaded by 41 modules) and the
    factories' staff users (five per GP office) made the suite twice as slow. PBKDF2 stays second in the list, so
    a hash made with it still checks; production keeps Django's default."""
    from django.test import override_settings

    fast = override_settings(
        PASSWORD_HASHERS=[
            "django.contrib.auth.hashers.MD5PasswordHasher",
            "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        ]
    )
    fast.enable()
    yield
    fast.disable()


@pytest.fixture(autouse=True)
def _tasks_run_in_process(request):
    """Celery tasks run in-process (eagerly, still after commit) as in `make run`, even when CI sets
    REDIS_URL; tests about delivery through a real worker use the ``celery_worker`` fixture instead."""
    from celery._state import _set_task_join_will_block

    from helsenorge_sim.celery import app

    # A Celery worker started in this process (tests/notifications/test_worker.py) marks it as one whose
    # result.get() would block, from its own thread and possibly after its fixture ended; with the suite split
    # over processes, a later test here that reads an eager result would then fail.
    _set_task_join_will_block(False)
    if "celery_worker" in request.fixturenames:
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (cached diagnoses are keyed by ids a rolled-back test may reuse), and
    with Redis's breakers closed: a time-out in one test must not leave the next without its cache."""
    from django.core.cache import cache

    from core.breaker import redis_breakers_reset

    redis_breakers_reset()
    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _norwegian_to_begin_with():
    """Each test starts in the site's language (Norwegian), as a request does: a page an earlier test in the same
    process asked for in English leaves the language active in the thread, which services called outside a
    request would then speak."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker):
    """The sources' demo (``seed_demo``) loaded once per test module inside a transaction that is rolled back
    at the end; each test then runs in its own savepoint. Much faster than seeding per test."""
    from io import StringIO

    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("seed_demo", stdout=StringIO())
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo(demo_db, db):
    """Look-ups in the seeded demo (``tests.demo.Demo``), for tests of the demo and of what `make run` shows."""
    from tests.demo import Demo

    return Demo()


@pytest.fixture
def world(db):
    """The small shared world of ``tests/world.py``: a municipal clinic with six free slots and a citizen."""
    from tests.world import build_world

    return build_world()
