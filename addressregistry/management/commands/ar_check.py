"""``manage.py ar_check [--her-id N]``: the AR setup diagnosis in a terminal; exit status 1 on any error."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from addressregistry.diagnosis import Level
from addressregistry.models import Service
from addressregistry.selectors import diagnoses_for, services_with_processes


class Command(BaseCommand):
    help = "Kontroller oppsettet i Adresseregisteret for én tjeneste (eller en virksomhets tjenester) eller alle."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--her-id", type=int, help="HER-id for en tjeneste eller en virksomhet.")

    def handle(self, *args: Any, her_id: int | None = None, **options: Any) -> None:
        services = services_with_processes().order_by("organisation__name", "name")
        if her_id is not None:
            services = services.filter(Q(her_id=her_id) | Q(organisation__her_id=her_id))
            if not services.exists():
                raise CommandError(f"Fant ingen tjeneste eller virksomhet med HER-id {her_id}.")
        service_list: list[Service] = list(services)
        diagnoses = diagnoses_for(service_list)
        style: dict[Level, Callable[[str], str]] = {
            Level.ERROR: self.style.ERROR,
            Level.WARNING: self.style.WARNING,
            Level.INFO: str,
        }
        errors = warnings = 0
        for service in service_list:
            diagnosis = diagnoses[service.pk]
            self.stdout.write(self.style.MIGRATE_HEADING(f"{service.contact_name} (HER-id {service.her_id})"))
            active = [p.get_process_display() for p in service.processes.all() if p.active]
            self.stdout.write(f"  Prosesser: {', '.join(active) or 'ingen'}")
            if not diagnosis.findings:
                self.stdout.write(self.style.SUCCESS("  OK: ingen funn."))
            for finding in diagnosis.findings:
                colour = style[finding.level]
                self.stdout.write(colour(f"  {finding.level.label.upper()}: {finding.message}"))
                if finding.fix:
                    self.stdout.write(f"      Løsning: {finding.fix}")
            for line in diagnosis.portal.lines:
                self.stdout.write(f"  Innbyggeren ser: {line}")
            self.stdout.write("")
            errors += len(diagnosis.errors)
            warnings += sum(1 for f in diagnosis.findings if f.level is Level.WARNING)
        summary = f"{len(service_list)} tjenester kontrollert: {errors} feil, {warnings} advarsler."
        if errors:
            self.stdout.write(self.style.ERROR(summary))
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(summary))
