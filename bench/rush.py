"""The rush after an invitation SMS (source 002), against the full stack on PostgreSQL and Redis.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helsenorge_sim REDIS_URL=redis://127.0.0.1:6379/0 make bench

It builds its own database (``<name>_bench``, dropped and made again) with a municipality, a timebook
with a year of 5-minute slots and thousands of synthetic citizens; starts ``make stack``'s processes
(gunicorn, a Celery worker and beat) against it; and lets a crowd of citizens do what a person does after
the SMS: log in, open Bestill time, choose the contact and the timebook, open the calendar, open the
first day with free slots, send the booking for the first free slot, and on «no longer free» take one of
the offered alternatives (up to three tries). Then it measures the two ceilings (PostgreSQL claiming
slots with the service's SQL, and a trivial Django view under the same server), checks for double
bookings with SQL, waits for every confirmation to be delivered, and writes a table and
``bench/results/latest.json``. ``--smoke`` runs a small, quick version for CI and checks only
correctness (zero double bookings, zero 5xx).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import resource
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PORT = int(os.environ.get("BENCH_PORT", "8123"))
BASE = f"http://127.0.0.1:{PORT}"
MAX_TRIES = 3

SIZES = {
    "small": {"citizens": 400, "concurrency": 64},
    "large": {"citizens": 1600, "concurrency": 256},
    "smoke": {"citizens": 80, "concurrency": 16},
}


# --- Set-up ---------------------------------------------------------------------------------------------


def bench_database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("make bench needs DATABASE_URL=postgres://… (PostgreSQL) and REDIS_URL=redis://…")
    if not os.environ.get("REDIS_URL", "").startswith("redis://"):
        sys.exit("make bench needs REDIS_URL=redis://…")
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "helsenorge_sim"
    return urlunsplit(parts._replace(path=f"/{name}_bench"))


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def flush_redis(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    client.flushdb()
    client.close()


def django_setup(database_url: str, redis_url: str) -> None:
    import logging

    logging.getLogger("httpx").setLevel(logging.WARNING)
    os.environ["DATABASE_URL"] = database_url
    os.environ["REDIS_URL"] = redis_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helsenorge_sim.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare(citizens: int) -> dict[str, int]:
    """A municipality with a correctly set-up Smittevern, a timebook with a year of 5-minute slots, and
    ``citizens`` synthetic citizens living there; plus a second timebook for the PostgreSQL ceiling."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from addressregistry.models import Organisation, Service
    from addressregistry.services import service_processes_apply
    from booking.demo import synthetic_number
    from citizens.models import Citizen
    from resourcebooks.models import Location, Timebook, WeekTemplate
    from resourcebooks.services import slots_publish

    call_command("migrate", verbosity=0, interactive=False)
    org = Organisation.objects.create(
        her_id=8900001, name="Rushkommune", kind="municipality", municipality_name="Rush", municipality_number="9990"
    )
    service = Service.objects.create(
        organisation=org, her_id=8900011, service_type="smittevern", name="Smittevern (Vaksine)"
    )
    service_processes_apply(
        service=service, active={"timebestilling", "timereservasjon", "ressursoversikt"}, changed_by=None
    )
    location = Location.objects.create(organisation=org, name="Vaksinesenteret", attendance_place="Hall A")
    today = timezone.localdate()
    start = today + dt.timedelta(days=1)
    ids = {}
    for name in ("Koronavaksine", "Takkapasitet"):
        timebook = Timebook.objects.create(service=service, name=name, type="koronavaksine")
        template = WeekTemplate.objects.create(
            timebook=timebook, location=location, weekdays=[0, 1, 2, 3, 4], start_time=dt.time(8),
            end_time=dt.time(16), slot_minutes=5, valid_from=start, valid_to=start + dt.timedelta(days=365),
        )  # fmt: skip
        slots_publish(template=template, date_from=start, date_to=start + dt.timedelta(days=364))
        ids[name] = timebook.pk
    User = get_user_model()
    users, people = [], []
    for i in range(citizens):
        birth = dt.date(1945, 1, 1) + dt.timedelta(days=i)  # one citizen per birth date: numbers never collide
        number = synthetic_number(birth, 10)
        users.append(User(username=f"innbygger-{number}-{i}", first_name="Rush", last_name=str(i)))
        people.append((number, i))
    User.objects.bulk_create(users, batch_size=2000)
    by_name = {u.username: u for u in User.objects.filter(username__startswith="innbygger-")}
    Citizen.objects.bulk_create(
        [
            Citizen(
                user=by_name[f"innbygger-{number}-{i}"],
                national_id=number,
                first_name="Rush",
                last_name=str(i),
                municipality=org,
                phone=f"4{i % 10}{i:06d}"[:8],
                notify_sms=True,
                notify_push=True,
            )
            for number, i in people
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    return {"timebook": ids["Koronavaksine"], "ceiling_timebook": ids["Takkapasitet"], "her_id": service.her_id}


def start_stack(database_url: str, redis_url: str) -> subprocess.Popen:
    env = os.environ | {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "COLLECTED_STATIC": "true",
        "BIND": f"127.0.0.1:{PORT}",
        "PATH": f"{ROOT / '.venv' / 'bin'}:{os.environ.get('PATH', '')}",
    }
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    log = open(ROOT / "var" / "bench-stack.log", "w")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "honcho"), "-f", str(ROOT / "Procfile"), "start"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{BASE}/healthz", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    stop_stack(proc)
    sys.exit(f"The stack did not answer /healthz within 60 s; see {ROOT / 'var' / 'bench-stack.log'}")


def stop_stack(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)


# --- The crowd ------------------------------------------------------------------------------------------

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
KEY_INPUT = re.compile(r'name="idempotency_key" value="([^"]+)"')
FREE_DAY = re.compile(r'class="calendar__day calendar__day--free[^"]*"\s+href="([^"]+)"')
SLOT_LINK = re.compile(r'<a class="slot" href="([^"]+)"')


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[int, int] = field(default_factory=dict)
    booked: int = 0
    taken_answers: int = 0
    gave_up: int = 0
    transport_retries: int = 0
    errors: list[str] = field(default_factory=list)

    def merge(self, other: Stats) -> None:
        for step, values in other.latencies.items():
            self.latencies.setdefault(step, []).extend(values)
        for status, count in other.statuses.items():
            self.statuses[status] = self.statuses.get(status, 0) + count
        self.booked += other.booked
        self.taken_answers += other.taken_answers
        self.gave_up += other.gave_up
        self.transport_retries += other.transport_retries
        self.errors += other.errors

    def record(self, step: str, seconds: float, status: int) -> None:
        self.latencies.setdefault(step, []).append(seconds)
        self.statuses[status] = self.statuses.get(status, 0) + 1


def timed(stats: Stats, step: str, make):  # type: ignore[no-untyped-def]
    """Run one request (``make`` builds the coroutine), timing it. A transport error on the client side
    is retried once: every request of the journey may be repeated (GETs, and «Send bestilling» carries
    its idempotency key, which is what that key is for). Retries are counted, not hidden."""
    for attempt in range(2):
        began = time.perf_counter()
        try:
            response = make()
        except httpx.TransportError as exc:
            if attempt == 0:
                stats.transport_retries += 1
                continue
            stats.errors.append(f"{step}: {type(exc).__name__} {exc}")
            raise
        stats.record(step, time.perf_counter() - began, response.status_code)
        if response.status_code >= 500:
            stats.errors.append(f"{step}: {response.status_code}")
        return response
    raise AssertionError("unreachable")


def citizen_journey(client: httpx.Client, national_id: str, her_id: int, timebook: int, stats: Stats) -> None:
    page = timed(stats, "login page", lambda: client.get("/innlogging/"))
    token = CSRF_INPUT.search(page.text).group(1)  # type: ignore[union-attr]
    timed(
        stats,
        "login",
        lambda: client.post("/innlogging/", data={"csrfmiddlewaretoken": token, "national_id": national_id}),
    )
    timed(stats, "bestill time", lambda: client.get("/bestill/"))
    page = timed(stats, "hva trenger du", lambda: client.get(f"/bestill/{her_id}/"))
    token = CSRF_INPUT.search(page.text).group(1)  # type: ignore[union-attr]
    chosen = timed(
        stats,
        "choose timebook",
        lambda: client.post(f"/bestill/{her_id}/", data={"csrfmiddlewaretoken": token, "timebook": timebook}),
    )
    place = timed(stats, "velg sted", lambda: client.get(chosen.headers["location"]))
    calendar = timed(stats, "calendar", lambda: client.get(place.headers["location"]))
    first_day = FREE_DAY.search(calendar.text)
    if first_day is None:
        stats.gave_up += 1
        return
    day = timed(
        stats, "day slots", lambda: client.get(first_day.group(1).replace("&amp;", "&"), headers={"HX-Request": "true"})
    )
    slot_urls = SLOT_LINK.findall(day.text)
    for _attempt in range(MAX_TRIES):
        if not slot_urls:
            break
        url = slot_urls[0]
        review = timed(stats, "review", lambda url=url: client.get(url))
        key = KEY_INPUT.search(review.text)
        if review.status_code == 409 or key is None:
            slot_urls = SLOT_LINK.findall(review.text)
            random.shuffle(slot_urls)
            continue
        form = {
            "csrfmiddlewaretoken": CSRF_INPUT.search(review.text).group(1),  # type: ignore[union-attr]
            "idempotency_key": key.group(1),
            "reason": "Vaksine",
        }
        sent = timed(stats, "send bestilling", lambda url=url, form=form: client.post(url, data=form))
        if sent.status_code == 302:
            stats.booked += 1
            return
        if sent.status_code == 409:
            stats.taken_answers += 1
            # «Take one of the offered alternatives»: people pick different ones, so the crowd does too.
            slot_urls = SLOT_LINK.findall(sent.text)
            random.shuffle(slot_urls)
            continue
        stats.errors.append(f"send bestilling: {sent.status_code}")
        return
    stats.gave_up += 1


def run_crowd(numbers: list[str], concurrency: int, her_id: int, timebook: int) -> tuple[Stats, float]:
    """``concurrency`` citizens at a time, each a thread with a browser of its own (own cookies)."""
    stats = Stats()
    lock = threading.Lock()

    def one(number: str) -> None:
        own = Stats()
        with httpx.Client(base_url=BASE, timeout=60) as client:
            try:
                citizen_journey(client, number, her_id, timebook, own)
            except (httpx.HTTPError, AttributeError, KeyError) as exc:
                own.errors.append(f"{type(exc).__name__}: {exc}")
        with lock:
            stats.merge(own)

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, numbers))
    return stats, time.perf_counter() - began


def trivial_view_rate(concurrency: int, seconds: float) -> float:
    done = [0] * concurrency
    deadline = time.perf_counter() + seconds

    def loop(n: int) -> None:
        with httpx.Client(base_url=BASE, timeout=30) as client:
            while time.perf_counter() < deadline:
                if client.get("/ping").status_code == 200:
                    done[n] += 1

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(loop, range(concurrency)))
    return sum(done) / (time.perf_counter() - began)


INSERT_APPOINTMENT = (
    "INSERT INTO booking_appointment (slot_id, citizen_id, booked_by_id, reason, status, hidden, idempotency_key, "
    "created_at) VALUES (%s, %s, %s, 'tak', 'requested', false, gen_random_uuid(), now())"
)


def postgres_claim_rate(database_url: str, timebook: int, connections: int, seconds: float) -> float:
    """The same statements as ``appointment_request``: lock the citizen, count active bookings, claim the
    slot with the conditional UPDATE, insert the appointment, commit. Each connection its own citizen."""
    import psycopg

    with psycopg.connect(database_url) as conn:
        slot_ids = [r[0] for r in conn.execute(
            "SELECT id FROM resourcebooks_slot WHERE timebook_id = %s AND state = 'free' ORDER BY start", [timebook]
        )]  # fmt: skip
        citizen_ids = [r[0] for r in conn.execute("SELECT id FROM booking_citizen ORDER BY id LIMIT %s", [connections])]
    random.shuffle(slot_ids)
    shares = [slot_ids[i::connections] for i in range(connections)]
    claimed = [0] * connections
    deadline = time.perf_counter() + seconds

    def work(n: int) -> None:
        with psycopg.connect(database_url) as conn:
            for slot_id in shares[n]:
                if time.perf_counter() > deadline:
                    return
                with conn.transaction():
                    conn.execute("SELECT id FROM booking_citizen WHERE id = %s FOR UPDATE", [citizen_ids[n]])
                    conn.execute(
                        "SELECT count(*) FROM booking_appointment a JOIN resourcebooks_slot s ON s.id = a.slot_id "
                        "WHERE a.citizen_id = %s AND s.timebook_id = %s AND a.status IN ('requested','assigned') "
                        "AND s.start > now()",
                        [citizen_ids[n], timebook],
                    )
                    cur = conn.execute(
                        "UPDATE resourcebooks_slot SET state = 'held' WHERE id = %s AND timebook_id = %s "
                        "AND state = 'free' AND start > now()",
                        [slot_id, timebook],
                    )
                    if cur.rowcount == 1:
                        conn.execute(INSERT_APPOINTMENT, [slot_id, citizen_ids[n], citizen_ids[n]])
                        claimed[n] += 1

    threads = [threading.Thread(target=work, args=(n,)) for n in range(connections)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(claimed) / (time.perf_counter() - began)


def checks(database_url: str, timebook: int) -> dict[str, int]:
    import psycopg

    with psycopg.connect(database_url) as conn:
        doubles = conn.execute(
            "SELECT count(*) FROM (SELECT slot_id FROM booking_appointment WHERE status IN ('requested','assigned') "
            "GROUP BY slot_id HAVING count(*) > 1) d"
        ).fetchone()[0]
        held_unresolved = conn.execute(
            "SELECT count(*) FROM resourcebooks_slot s WHERE s.timebook_id = %s AND s.state = 'held' AND NOT EXISTS "
            "(SELECT 1 FROM booking_appointment a WHERE a.slot_id = s.id AND a.status = 'requested')",
            [timebook],
        ).fetchone()[0]
        assigned = conn.execute(
            "SELECT count(*) FROM booking_appointment a JOIN resourcebooks_slot s ON s.id = a.slot_id "
            "WHERE s.timebook_id = %s AND a.status = 'assigned'",
            [timebook],
        ).fetchone()[0]
    return {"double_bookings": doubles, "held_unresolved": held_unresolved, "assigned": assigned}


def wait_for_delivery(database_url: str, expected_assigned: int, timeout: float) -> float | None:
    """Seconds until every booking is confirmed and every notification sent, or None on timeout."""
    import psycopg

    began = time.perf_counter()
    with psycopg.connect(database_url, autocommit=True) as conn:
        while time.perf_counter() - began < timeout:
            pending = conn.execute(
                "SELECT (SELECT count(*) FROM booking_appointment WHERE status = 'requested') + "
                "(SELECT count(*) FROM notifications_notification WHERE state IN ('pending','sending'))"
            ).fetchone()[0]
            if pending == 0:
                return time.perf_counter() - began
            time.sleep(0.25)
    return None


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


def machine() -> dict[str, object]:
    mem_kb = next(
        (
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    return {"cores": os.cpu_count(), "memory_gib": round(mem_kb / 1024 / 1024, 1), "python": sys.version.split()[0]}


def run_size(name: str, database_url: str, redis_url: str, smoke: bool) -> dict[str, object]:
    size = SIZES[name]
    print(f"\n== {name}: {size['citizens']} citizens, {size['concurrency']} at once ==", flush=True)
    from django.db import connections

    connections.close_all()  # recreating the database ends every session, ours too
    recreate_database(database_url)
    flush_redis(redis_url)
    ids = prepare(size["citizens"])
    from citizens.models import Citizen

    numbers = list(Citizen.objects.order_by("pk").values_list("national_id", flat=True))
    proc = start_stack(database_url, redis_url)
    try:
        cpu_before = resource.getrusage(resource.RUSAGE_SELF)
        stats, elapsed = run_crowd(numbers, size["concurrency"], ids["her_id"], ids["timebook"])
        cpu_after = resource.getrusage(resource.RUSAGE_SELF)
        loadgen_cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
        delivered_after = wait_for_delivery(database_url, stats.booked, timeout=120)
        found = checks(database_url, ids["timebook"])
        ceilings = {}
        if not smoke:
            ceilings["trivial_view_per_s"] = trivial_view_rate(size["concurrency"], 8)
    finally:
        stop_stack(proc)
    if not smoke:
        ceilings["postgres_claims_per_s"] = postgres_claim_rate(
            database_url, ids["ceiling_timebook"], min(size["concurrency"], 32), 8
        )
    status_counts = stats.statuses
    report: dict[str, object] = {
        "size": name,
        "citizens": size["citizens"],
        "concurrency": size["concurrency"],
        "rush_seconds": round(elapsed, 2),
        "bookings": stats.booked,
        "bookings_per_s": round(stats.booked / elapsed, 1) if elapsed else 0,
        "requests": sum(status_counts.values()),
        "requests_per_s": round(sum(status_counts.values()) / elapsed, 1) if elapsed else 0,
        "slot_taken_answers": stats.taken_answers,
        "gave_up_after_3_tries": stats.gave_up,
        "client_transport_retries": stats.transport_retries,
        "4xx": sum(c for s, c in status_counts.items() if 400 <= s < 500 and s != 409),
        "409": status_counts.get(409, 0),
        "5xx": sum(c for s, c in status_counts.items() if s >= 500),
        "errors": stats.errors[:20],
        "latency_ms": {
            step: {
                "p50": round(percentile(v, 50), 1),
                "p95": round(percentile(v, 95), 1),
                "p99": round(percentile(v, 99), 1),
                "n": len(v),
            }
            for step, v in stats.latencies.items()
        },
        "all_confirmations_delivered_after_s": None if delivered_after is None else round(delivered_after, 2),
        "loadgen_cpu_seconds": round(loadgen_cpu, 2),
        "loadgen_cpu_share_of_rush": round(loadgen_cpu / elapsed, 2) if elapsed else 0,
        **found,
    }
    if ceilings:
        report["ceilings"] = {k: round(v, 1) for k, v in ceilings.items()}
        report["fraction_of_postgres_ceiling"] = round(report["bookings_per_s"] / ceilings["postgres_claims_per_s"], 3)  # type: ignore[operator]
        report["fraction_of_trivial_view_ceiling"] = round(
            report["requests_per_s"] / ceilings["trivial_view_per_s"],
            3,  # type: ignore[operator]
        )
    print_table(report)
    return report


def print_table(r: dict[str, Any]) -> None:
    print(f"rush {r['rush_seconds']} s; bookings {r['bookings']} ({r['bookings_per_s']}/s)", end="; ")
    print(f"requests {r['requests_per_s']}/s")
    print(f"slot-taken answers {r['slot_taken_answers']}; gave up {r['gave_up_after_3_tries']}", end="; ")
    print(f"client transport retries {r['client_transport_retries']}", end="; ")
    print(f"4xx {r['4xx']}; 5xx {r['5xx']}")
    print(f"double bookings {r['double_bookings']}; held unresolved {r['held_unresolved']}", end="; ")
    print(f"all confirmations delivered after {r['all_confirmations_delivered_after_s']} s")
    if r["errors"]:
        print("errors (first 20):", *r["errors"], sep="\n  ")
    print(f"load generator CPU {r['loadgen_cpu_seconds']} s ({r['loadgen_cpu_share_of_rush']} of one core)")
    print(f"{'step':<18}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'n':>7}")
    for step, v in r["latency_ms"].items():
        print(f"{step:<18}{v['p50']:>9}{v['p95']:>9}{v['p99']:>9}{v['n']:>7}")
    if "ceilings" in r:
        c = r["ceilings"]
        print(
            f"ceilings: PostgreSQL claims {c['postgres_claims_per_s']}/s, trivial view {c['trivial_view_per_s']}/s",
            end="; ",
        )
        print(f"we reach {r['fraction_of_postgres_ceiling']} and {r['fraction_of_trivial_view_ceiling']} of them")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a small, quick run for CI: correctness only")
    parser.add_argument("--sizes", default="small,large", help="comma-separated: small, large")
    args = parser.parse_args()
    database_url = bench_database_url()
    redis_url = os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/9"
    (ROOT / "var").mkdir(exist_ok=True)
    django_setup(database_url, redis_url)
    sizes = ["smoke"] if args.smoke else [s.strip() for s in args.sizes.split(",") if s.strip()]
    reports = [run_size(name, database_url, redis_url, args.smoke) for name in sizes]
    result = {"when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "machine": machine(), "runs": reports}
    if args.smoke:
        bad = [r for r in reports if r["double_bookings"] or r["5xx"] or r["errors"] or r["bookings"] == 0]
        print("\nsmoke:", "FAILED" if bad else "ok (zero double bookings, zero 5xx)")
        sys.exit(1 if bad else 0)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"\nwritten: {RESULTS / 'latest.json'}")


if __name__ == "__main__":
    main()
