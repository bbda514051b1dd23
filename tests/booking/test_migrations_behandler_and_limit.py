"""Issue 22's migrations keep what existing rows meant: an appointment made in a fastlege's timebook before the
behandler was recorded is with that fastlege («Behandler: Fastlege August September», as its page said), and an
office whose fastlege's timebook allowed more active bookings than one keeps that limit as its new setting."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from booking.models import Appointment
from resourcebooks.models import ClinicSettings
from tests.citizens.test_migrations_out_of_booking import _migrate
from tests.world import gp_office

BEFORE = [("booking", "0009_video_signal_moves_out"), ("resourcebooks", "0009_waiting_room_rate")]


@pytest.mark.django_db(transaction=True)
def test_old_appointments_are_with_the_fastlege_and_the_offices_limit_is_kept():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    gp = gp_office()
    gp.timebook.max_active_bookings = 3
    gp.timebook.save()
    appointment = Appointment.objects.create(slot=gp.slot(), citizen=gp.citizen, booked_by=gp.citizen, reason="Test")
    ClinicSettings.objects.filter(organisation=gp.office).delete()  # an office that never saved its settings
    try:
        _migrate(BEFORE)

        _migrate(latest)

        assert Appointment.objects.get(pk=appointment.pk).behandler_id == gp.fastlege.pk
        assert ClinicSettings.objects.get(organisation=gp.office).fastlege_max_active_bookings == 3
    finally:
        _migrate(latest)
