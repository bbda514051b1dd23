"""Time publishing a year of 5-minute slots, 08:00–16:00 on weekdays (~25,000 slots), in one bulk call.

Runs in a throwaway test database (created and dropped here) on whatever DATABASE_URL points at:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helsenorge_sim python bench/publish_year.py
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helsenorge_sim.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

ROUNDS = 3


def main() -> None:
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from addressregistry.models import Organisation, Service
        from resourcebooks.models import Location, Slot, Timebook, WeekTemplate
        from resourcebooks.services import slots_publish

        org = Organisation.objects.create(
            her_id=1, name="Benchkommune", kind="municipality", municipality_name="Bench", municipality_number="9999"
        )
        service = Service.objects.create(organisation=org, her_id=2, service_type="smittevern", name="Smittevern")
        location = Location.objects.create(organisation=org, name="Hall", attendance_place="Hall 1")
        today = timezone.localdate()
        timings, created = [], 0
        for round_ in range(ROUNDS):
            timebook = Timebook.objects.create(service=service, name=f"Bench {round_}", type="vaksine")
            template = WeekTemplate.objects.create(
                timebook=timebook,
                location=location,
                weekdays=[0, 1, 2, 3, 4],
                start_time=dt.time(8),
                end_time=dt.time(16),
                slot_minutes=5,
                valid_from=today,
                valid_to=today + dt.timedelta(days=366),
            )
            began = time.perf_counter()
            result = slots_publish(template=template, date_from=today, date_to=today + dt.timedelta(days=365))
            timings.append(time.perf_counter() - began)
            created = result.created
            began = time.perf_counter()
            again = slots_publish(template=template, date_from=today, date_to=today + dt.timedelta(days=365))
            repeat = time.perf_counter() - began
            assert again.created == 0
        total = Slot.objects.count()
        print(f"database: {connection.vendor}; slots per publish: {created}; total slots: {total}")
        rounds = ", ".join(f"{t:.2f}" for t in timings)
        print(f"publish a year: median {statistics.median(timings):.2f} s (rounds: {rounds})")
        print(f"publish the same year again (idempotent, nothing created): {repeat:.2f} s")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
