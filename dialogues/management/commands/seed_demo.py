"""``manage.py seed_demo``: idempotent demo data for every app. Running it twice changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from addressregistry.demo import seed_addressregistry, seed_support_users
from booking.demo import seed_citizens
from dialogues.demo import seed_dialogues
from resourcebooks.demo import seed_resourcebooks, seed_staff_users


class Command(BaseCommand):
    help = "Last demodata (idempotent): Adresseregisteret, timebøker med timer, ansatte, resepter og NHN kundesenter."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            ar = seed_addressregistry()
            books = seed_resourcebooks()
            logins = seed_staff_users() + seed_support_users()
            people = seed_citizens()
            gp_staff = seed_dialogues()
            printed = {username for username, _, _ in gp_staff}
            logins = [row for row in logins if row[0] not in printed] + gp_staff
        self.stdout.write(
            f"Adresseregisteret: {ar['organisations']} nye virksomheter, {ar['services']} nye tjenester, "
            f"{ar['process_changes']} prosessendringer."
        )
        self.stdout.write(
            f"Ressurstimebøker: {books['timebooks']} nye timebøker, {books['templates']} nye ukemaler, "
            f"{books['slots']} nye timer."
        )
        self.stdout.write(f"Innbyggere: {people['citizens']} nye testpersoner (logg inn på /innlogging/).")
        self.stdout.write("Innlogging for ansatte (/ansatt/logg-inn/ eller /admin/):")
        for username, password, description in logins:
            self.stdout.write(f"  {username} / {password}  ({description})")
