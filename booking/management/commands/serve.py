"""``manage.py serve``: the development server, plus the periodic work when there is no broker.

With ``REDIS_URL`` unset (``make run``) there is no Celery beat, so a background thread runs what beat
would: the notification sweep, the 48–24 h reminders and the invitation batches. With a broker, beat does
it and this is the plain ``runserver``.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.management.commands.runserver import Command as RunserverCommand
from django.db import close_old_connections

log = logging.getLogger(__name__)

EVERY_SECONDS = 10


def _periodic_loop(stop: threading.Event) -> None:
    from booking.services import campaigns_tick, confirmations_sweep, reminders_send
    from notifications.tasks import notifications_sweep_task

    while not stop.wait(EVERY_SECONDS):
        close_old_connections()
        try:
            campaigns_tick()
            confirmations_sweep()
            reminders_send()
            notifications_sweep_task()
        except Exception:  # keep the loop alive; the next round tries again
            log.exception("Periodisk jobb feilet")
        finally:
            close_old_connections()


class Command(RunserverCommand):
    help = "Utviklingsserver; uten REDIS_URL kjører den også de periodiske jobbene i en bakgrunnstråd."

    def inner_run(self, *args: Any, **options: Any) -> None:
        if not settings.REDIS_URL:
            threading.Thread(target=_periodic_loop, args=(threading.Event(),), daemon=True, name="periodic").start()
            self.stdout.write(
                f"Periodiske jobber (varsler, påminnelser, invitasjoner) kjøres hvert {EVERY_SECONDS}. sekund."
            )
        super().inner_run(*args, **options)
