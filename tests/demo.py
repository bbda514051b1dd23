"""Look-ups in the seeded demo (``seed_demo``, what `make run` shows): people by first name, services by HER-id,
timebooks by name. Only for tests of the demo itself and of its texts and pages as a user of `make run` sees
them; the ``demo`` fixture (tests/conftest.py) loads it once per module. Other tests use ``tests.world``."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from addressregistry.models import Organisation, Service
from booking.models import Appointment
from citizens.models import Citizen
from inbox.models import InboxMessage
from resourcebooks.models import Location, Slot, Timebook


class Demo:
    """Look-ups in the seeded demo: people by first name, services by HER-id, timebooks by name."""

    SMITTEVERN = 8100011  # Helsenorge kommune «Smittevern (Feberpoliklinikk Test)»: «Influensavaksine»
    VAKSINASJON = 8100012  # Helsenorge kommune «Vaksinasjon» (no timebooks)
    HELSESTASJON = 8100013  # Helsenorge kommune «Helsestasjon Test» (no Timebestilling)
    BESTE_SMITTEVERN = 8100101  # «Koronatest1»
    BESTE_VAKSINASJON = 8100102  # «Covid-19 vaksinering»
    BESTE_LEGEVAKT = 8100103  # «Koronatest legevakt»
    DHS_SMITTEVERN = 8100201  # lacks Timereservasjon: «Kovidtest»
    DHS_MELLOMLOSNING = 8100202  # Behandleroversikt on: «Helsefaglig kontakt»
    GP_OFFICE = 8100300  # Helsenorge testlegekontor: «Ditt fastlegekontor …», its services as one contact
    FASTLEGE = 8100301  # practitioner booking
    RESSURSTIMEBOK = 8100302  # «Influensa» (three places), «Ta prøve på laboratoriet» (manual)

    def citizen(self, first_name: str) -> Citizen:
        return Citizen.objects.select_related("user", "municipality", "gp_office").get(first_name=first_name)

    @property
    def kurt(self) -> Citizen:
        return self.citizen("Kurt Håkon")

    @property
    def emma(self) -> Citizen:
        return self.citizen("Emma")

    @property
    def ola(self) -> Citizen:
        return self.citizen("Ola")

    @property
    def viktig(self) -> Citizen:
        return self.citizen("Viktig")

    @property
    def astrid(self) -> Citizen:
        return self.citizen("Astrid")

    @property
    def berit(self) -> Citizen:
        return self.citizen("Berit")

    @property
    def per(self) -> Citizen:
        return self.citizen("Per")

    def organisation(self, her_id: int) -> Organisation:
        return Organisation.objects.get(her_id=her_id)

    def service(self, her_id: int) -> Service:
        return Service.objects.select_related("organisation").get(her_id=her_id)

    def timebook(self, name: str) -> Timebook:
        return Timebook.objects.select_related("service__organisation").get(name=name)

    @property
    def influensavaksine(self) -> Timebook:
        return self.timebook("Influensavaksine")

    @property
    def influensa(self) -> Timebook:
        return self.timebook("Influensa")

    @property
    def lab(self) -> Timebook:
        return self.timebook("Ta prøve på laboratoriet")

    def free_slots(self, timebook: Timebook, location: Location | None = None) -> list[Slot]:
        qs = Slot.objects.filter(timebook=timebook, state=Slot.State.FREE, start__gt=timezone.now())
        if location is not None:
            qs = qs.filter(location=location)
        return list(qs.select_related("location", "timebook__service__organisation").order_by("start"))

    def free_slot(self, timebook: Timebook, index: int = 0) -> Slot:
        """A free slot far enough ahead (over two days) to be cancelled before the default deadline."""
        later = [s for s in self.free_slots(timebook) if s.start > timezone.now() + dt.timedelta(days=2)]
        return later[index]

    def hidden_appointment(self) -> Appointment:
        return Appointment.objects.select_related("slot__timebook").get(citizen__first_name="Ola", hidden=True)

    def hidden_message(self) -> InboxMessage:
        return InboxMessage.objects.get(appointment=self.hidden_appointment())

    def first_free_slot(self, timebook: Timebook, days_ahead: int = 0) -> Slot:
        after = timezone.now() + dt.timedelta(days=days_ahead)
        return (
            Slot.objects.filter(timebook=timebook, state=Slot.State.FREE, start__gt=after)
            .select_related("location")
            .order_by("start")
            .first()
        )
