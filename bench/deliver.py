"""How long one Celery worker takes to deliver 1,000 booking confirmations (issue 5's figure).

    DATABASE_URL=postgres://… REDIS_URL=redis://… python bench/deliver.py [--count 1000]

In a throwaway database it writes ``count`` confirmation SMS rows in one transaction (so their delivery
tasks are queued on commit, as a rush of confirmations would), starts one worker (``celery worker
--concurrency 1``) and times until every row is sent.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rush

ROOT = rush.ROOT


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    database_url = rush.bench_database_url()
    redis_url = os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/9"
    rush.django_setup(database_url, redis_url)
    rush.recreate_database(database_url)
    rush.flush_redis(redis_url)
    from django.core.management import call_command
    from django.db import transaction

    from notifications.models import Notification
    from notifications.services import Outgoing, notifications_enqueue

    call_command("migrate", verbosity=0, interactive=False)
    env = os.environ | {"DATABASE_URL": database_url, "REDIS_URL": redis_url}
    worker = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "celery"), "-A", "helsenorge_sim", "worker", "--concurrency", "1",
         "--loglevel", "WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        time.sleep(3)  # the worker connects to Redis
        began = time.perf_counter()
        with transaction.atomic():
            notifications_enqueue(
                [
                    Outgoing(
                        dedupe_key=f"bench:{i}:confirmed:sms",
                        recipient_key=f"citizen:{i}",
                        recipient_name=f"Rush {i}",
                        channel="sms",
                        address=f"+47412{i:05d}",
                        event="confirmed",
                        text=f"Rush {i}, du har fått time til vaksine hos Vaksine, Smittevern, Rushkommune "
                        "01.12.2026, kl. 08:00. Oppmøtested: Hall A. Logg inn på Helsenorge for å se mer.",
                    )
                    for i in range(args.count)
                ]
            )
        written = time.perf_counter() - began
        while Notification.objects.exclude(state=Notification.State.SENT).exists():
            if time.perf_counter() - began > 600:
                sys.exit("not all delivered within 10 minutes")
            time.sleep(0.1)
        total = time.perf_counter() - began
        print(f"{args.count} confirmations: written and queued in {written:.2f} s; all sent by one worker after "
              f"{total:.2f} s ({args.count / total:.0f} per second)")  # fmt: skip
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=20)


if __name__ == "__main__":
    main()
