"""``manage.py seed_demo``: idempotent demo data for every app. Running it twice changes nothing."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from addressregistry.demo import seed_addressregistry

# Demo passwords are printed on purpose: this is a simulator with synthetic data only.
DEMO_USERS = (
    # username, full name, password, groups
    ("nhn-support", "Nora Kundesenter", "nhn-support-demo", (settings.NHN_SUPPORT_GROUP,)),
)


class Command(BaseCommand):
    help = "Last demodata (idempotent): Adresseregisteret, brukere for NHN kundesenter."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            ar = seed_addressregistry()
            users_created = self._users()
        self.stdout.write(
            f"Adresseregisteret: {ar['organisations']} nye virksomheter, {ar['services']} nye tjenester, "
            f"{ar['process_changes']} prosessendringer."
        )
        self.stdout.write(f"Brukere: {users_created} nye.")
        self.stdout.write("Innlogging for ansatte (/ansatt/logg-inn/):")
        for username, full_name, password, groups in DEMO_USERS:
            self.stdout.write(f"  {username} / {password}  ({full_name}; {', '.join(groups)})")

    def _users(self) -> int:
        User = get_user_model()
        created_count = 0
        for username, full_name, password, groups in DEMO_USERS:
            first, _, last = full_name.partition(" ")
            user, created = User.objects.get_or_create(
                username=username, defaults={"first_name": first, "last_name": last}
            )
            if created:
                # Set only on creation so that a second run changes nothing (a new hash would).
                user.set_password(password)
                user.save(update_fields=["password"])
                created_count += 1
            for name in groups:
                group, _ = Group.objects.get_or_create(name=name)
                user.groups.add(group)
        return created_count
