"""The rush benchmark's scaffolding (see ``bench/rush.py``): its own database and crowd of synthetic citizens,
the full stack started against them, the SQL that checks the outcome, and the two ceilings measured in the same
run (a trivial Django view under the same server, and PostgreSQL claiming slots with the service's own SQL)."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8123"))
BASE = f"http://127.0.0.1:{PORT}"


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


def prepare(citizens: int, capacity: int | None, days: int = 365) -> dict[str, int]:
    """A municipality with a correctly set-up Smittevern, a timebook with a year of 5-minute slots (about
    25,000: free slots outnumber every crowd) and ``citizens`` synthetic citizens living there; plus a second
    timebook for the PostgreSQL ceiling. ``capacity`` is the timebook's room's rate a minute (None: the default); the
    smoke run publishes fewer ``days`` (still far more slots than citizens) to start sooner."""
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
    start = timezone.localdate() + dt.timedelta(days=1)
    ids = {}
    for name in ("Koronavaksine", "Takkapasitet"):
        timebook = Timebook.objects.create(service=service, name=name, type="koronavaksine", waiting_room_rate=capacity)
        template = WeekTemplate.objects.create(
            timebook=timebook, location=location, weekdays=[0, 1, 2, 3, 4], start_time=dt.time(8),
            end_time=dt.time(16), slot_minutes=5, valid_from=start, valid_to=start + dt.timedelta(days=365),
        )  # fmt: skip
        slots_publish(template=template, date_from=start, date_to=start + dt.timedelta(days=days - 1))
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
    free = Timebook.objects.get(pk=ids["Koronavaksine"]).slots.filter(state="free").count()
    return {"timebook": ids["Koronavaksine"], "ceiling_timebook": ids["Takkapasitet"], "her_id": 8900011, "free": free}


def start_stack(database_url: str, redis_url: str, *, door: int | None = None) -> subprocess.Popen:
    """``make stack``'s processes (gunicorn, a Celery worker and beat), as its Procfile defines them; ``door``
    sets the portal's door's rate (``WAITING_ROOM_DOOR_RATE``, a minute) for this run."""
    env = os.environ | {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "COLLECTED_STATIC": "true",
        "BIND": f"127.0.0.1:{PORT}",
        **({"WAITING_ROOM_DOOR_RATE": str(door)} if door is not None else {}),
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


class MachineCpu:
    """How busy the whole machine was (every core, every process: the stack, PostgreSQL, Redis and the load
    generator) between two readings of /proc/stat; 1.0 means every core busy all the time."""

    def __init__(self) -> None:
        self.began = self._read()

    @staticmethod
    def _read() -> tuple[int, int]:
        fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        return sum(fields), fields[3] + fields[4]  # total, idle + iowait

    def busy(self) -> float:
        total, idle = self._read()
        spent = total - self.began[0]
        return round(1 - (idle - self.began[1]) / spent, 2) if spent else 0.0


def tree_cpu_seconds(root: int) -> float:
    """CPU used so far by a process and its live descendants (the stack: honcho, gunicorn and its workers, the
    Celery worker and beat), so that a busy machine can be told apart from a busy stack when something else
    shares the cores."""
    tick = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    used: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        parents[pid], used[pid] = int(fields[1]), int(fields[11]) + int(fields[12])
    family, frontier = {root}, [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier and pid not in family]
        family.update(frontier)
    return sum(used.get(pid, 0) for pid in family) / tick


def trivial_view_rate(concurrency: int, seconds: float) -> float:
    """``/ping`` under the same server, from the same load generator, at the same concurrency."""
    done = [0] * concurrency
    deadline = time.perf_counter() + seconds

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    transport = httpx.HTTPTransport(limits=limits)  # shared, as the crowd's: no SSL context per thread
    client = httpx.Client(base_url=BASE, timeout=30, transport=transport)

    def loop(n: int) -> None:
        while time.perf_counter() < deadline:
            if client.get("/ping").status_code == 200:
                done[n] += 1

    threads = [threading.Thread(target=loop, args=(n,)) for n in range(concurrency)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    client.close()
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


CHECKS = {
    # Two live appointments on one slot.
    "double_bookings": "SELECT count(*) FROM (SELECT slot_id FROM booking_appointment "
    "WHERE status IN ('requested','assigned') GROUP BY slot_id HAVING count(*) > 1) d",
    # A slot claimed for an appointment («held») that has no appointment waiting for the clinic.
    "claimed_without_appointment": "SELECT count(*) FROM resourcebooks_slot s WHERE s.timebook_id = %(tb)s "
    "AND s.state = 'held' AND NOT EXISTS (SELECT 1 FROM booking_appointment a WHERE a.slot_id = s.id "
    "AND a.status = 'requested')",
    # Holds and slot states that disagree: a hold on a slot that is not on_hold, or on_hold without a hold.
    "holds_on_slot_not_on_hold": "SELECT count(*) FROM booking_slothold h JOIN resourcebooks_slot s "
    "ON s.id = h.slot_id WHERE s.state <> 'on_hold'",
    "on_hold_without_hold": "SELECT count(*) FROM resourcebooks_slot s WHERE s.state = 'on_hold' "
    "AND NOT EXISTS (SELECT 1 FROM booking_slothold h WHERE h.slot_id = s.id)",
    # Consistent holds, simply not run out yet (citizens who stopped at the cap), and run-out ones the sweep
    # has not reached yet: both fine, reported apart.
    "holds_not_yet_expired": "SELECT count(*) FROM booking_slothold WHERE until > now()",
    "holds_expired_unswept": "SELECT count(*) FROM booking_slothold WHERE until <= now()",
    "assigned": "SELECT count(*) FROM booking_appointment a JOIN resourcebooks_slot s ON s.id = a.slot_id "
    "WHERE s.timebook_id = %(tb)s AND a.status = 'assigned'",
    "appointments": "SELECT count(*) FROM booking_appointment a JOIN resourcebooks_slot s ON s.id = a.slot_id "
    "WHERE s.timebook_id = %(tb)s AND a.status IN ('requested','assigned')",
}


def checks(database_url: str, timebook: int) -> dict[str, int]:
    import psycopg

    with psycopg.connect(database_url) as conn:
        found = {name: conn.execute(sql, {"tb": timebook}).fetchone()[0] for name, sql in CHECKS.items()}
    found["holds_unresolved"] = found["holds_on_slot_not_on_hold"] + found["on_hold_without_hold"]
    return found


def wait_for_delivery(database_url: str, timeout: float) -> float | None:
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
