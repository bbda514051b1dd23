"""One settings module for every environment, read from environment variables.

With nothing set it runs on a bare machine: SQLite, the local-memory cache, and Celery tasks executed
in-process after commit. ``DATABASE_URL`` selects PostgreSQL, ``REDIS_URL`` the Celery broker and the
cache. ``DJANGO_ENV=production`` turns on the secure defaults and refuses to start without a real
``SECRET_KEY`` and ``ALLOWED_HOSTS``. Bad configuration fails at start with the variable's name.
"""

from __future__ import annotations

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from helsenorge_sim.schedule import beat_schedule

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(f"DJANGO_ENV must be development, test or production, not {DJANGO_ENV!r}.")
PRODUCTION = DJANGO_ENV == "production"

# Django's technical error pages (the yellow 404 that lists every URL) only when asked for with DEBUG=true:
# `make run` is used for training, so it shows the portal's own 404 and 500 pages (issue 12).
DEBUG = env.bool("DEBUG", default=False)
# Static files straight from the source folders (make run, tests), or collected, compressed and fingerprinted
# (COLLECTED_STATIC=true: make stack, the bench; production always).
COLLECTED_STATIC = PRODUCTION or env.bool("COLLECTED_STATIC", default=False)

_DEV_SECRET_KEY = "django-insecure-dev-only-never-use-in-production-helsenorge-sim"
if PRODUCTION:
    # env.str raises ImproperlyConfigured naming the variable when it is missing.
    SECRET_KEY = env.str("SECRET_KEY")
    # Django's own check (security.W009) only warns; a guessable key lets anyone forge sessions.
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "SECRET_KEY must be a random value of at least 50 characters, with at least 5 different characters "
            "and not starting with 'django-insecure', in production."
        )
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must name at least one host in production.")
    if any("*" in host for host in ALLOWED_HOSTS):
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS must name the site's hosts in production, not a wildcard: with '*' any Host header "
            "is believed, and absolute URLs built from it can point anywhere."
        )
else:
    SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY)
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "core.admin_site.ClinicAdminConfig",  # Django's admin; «Vis på nettsted» reveals nothing
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "django_celery_beat",
    "csp",
    # Our apps, lowest layer first; imports only point down this list (``make lint`` checks it).
    "core",
    "audit",
    "addressregistry",
    "resourcebooks",
    "citizens",
    "inbox",
    "queueing",
    "booking",
    "video",
    "dialogues",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.RequestLogMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.NorwegianUnlessChosenMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "core.middleware.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "queueing.door.FrontDoorMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "citizens.middleware.CitizenIdleTimeoutMiddleware",
    "citizens.middleware.CitizenMiddleware",
    "audit.middleware.AuditMiddleware",
    "core.middleware.LockBusyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "helsenorge_sim.urls"
WSGI_APPLICATION = "helsenorge_sim.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "inbox.context_processors.portal",
                "helsenorge_sim.portal_pages.menu",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default="test_helsenorge_sim")}
USING_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: Celery broker and cache ---------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured(f"REDIS_URL must start with redis:// or rediss://, not {REDIS_URL!r}.")
# `make test` runs the suite in several pytest-xdist processes. Each gets a Redis database of its own
# (the database after REDIS_URL's: from /0, gw0 → 1, gw1 → 2, …), so one process's cache.clear() or queue purge
# never reaches another's tests, and a second suite started from /8 (gw0 → 9, …) leaves the first one's alone.
_TEST_WORKER = env.str("PYTEST_XDIST_WORKER", default="")
if REDIS_URL and _TEST_WORKER.startswith("gw") and _TEST_WORKER[2:].isdigit():
    _base, _, _db = REDIS_URL.rpartition("/")
    _worker = int(_TEST_WORKER[2:])
    REDIS_URL = (
        f"{_base}/{(int(_db) + 1 + _worker) % 16}" if _db.isdigit() else f"{REDIS_URL.rstrip('/')}/{1 + _worker % 15}"
    )

# The cache may live elsewhere than the broker (CACHE_URL); by default both are REDIS_URL. Everything in the
# cache can be done without, so the cache fails soft: with Redis down, reads miss and writes are dropped
# (core/cache.py), and the short socket timeouts keep a stalled Redis from holding a request.
CACHE_URL = env.str("CACHE_URL", default=REDIS_URL)
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured(f"CACHE_URL must start with redis:// or rediss://, not {CACHE_URL!r}.")

if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.FailSoftRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "hsim",
            "OPTIONS": {
                "socket_connect_timeout": env.float("CACHE_CONNECT_TIMEOUT", default=0.5),
                "socket_timeout": env.float("CACHE_TIMEOUT", default=0.5),
            },
        }
    }
    # Sessions live in Redis with the database behind them: no session query on every request, and with
    # Redis down they load from the database.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The waiting rooms admit by rate (issue 20): so many a minute, with a burst of WAITING_ROOM_BURST_SECONDS' worth
# after a quiet spell. A timebook's booking steps (a timebook may set its own rate):
WAITING_ROOM_DEFAULT_RATE = env.int("WAITING_ROOM_DEFAULT_RATE", default=600)
# The portal's front door («Du er i kø», before logging in; ``queueing.door``); 0 turns it off. From `make bench`
# on two cores (README, «Performance»): 240 booked 4.6 a second with the booking steps' p95 under 0.8 s (small)
# and 1.7 s (large); 300 booked 5 a second at twice the p95, and fell to 67 bookings at four times the crowd.
WAITING_ROOM_DOOR_RATE = env.int("WAITING_ROOM_DOOR_RATE", default=240)
WAITING_ROOM_BURST_SECONDS = env.int("WAITING_ROOM_BURST_SECONDS", default=10)
# New places one network (an IPv4 address, an IPv6 /56) may take in a room per ten minutes: enough for a crowd of
# 500 behind one address (a school, a municipality's network, `make bench`), not for a bot's thousands.
WAITING_ROOM_PER_ADDRESS = env.int("WAITING_ROOM_PER_ADDRESS", default=600)

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
# Without a broker, tasks run in-process; ``delay_on_commit`` still waits for the commit.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A broker that is down or hung must not hold a request for long: publishing waits at most this long for
# Redis, makes a new connection once (``max_retries``: kombu's default retries for 4 s, each try one socket
# timeout), is tried again only when the connection was closed (not after a time-out: core/tasks.py),
# and is then given up (the outbox row stays pending and the sweep delivers it when the broker is back).
_BROKER_TIMEOUT = env.float("CELERY_BROKER_TIMEOUT", default=1.0)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": _BROKER_TIMEOUT,
    "socket_timeout": _BROKER_TIMEOUT,
    "max_retries": 0,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
# After a Redis call times out or cannot connect, the cache and task publishing leave that server alone for
# this long (a circuit breaker, core/breaker.py), then let one call through to see if it is back.
REDIS_BREAKER_SECONDS = env.float("REDIS_BREAKER_SECONDS", default=5.0)
CELERY_TIMEZONE = "Europe/Oslo"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# One schedule for beat and for `manage.py serve` without a broker (helsenorge_sim/schedule.py).
CELERY_BEAT_SCHEDULE = beat_schedule()

# --- Auth -----------------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "staff_login"
LOGIN_REDIRECT_URL = "staff_home"  # GP staff on their day, municipal staff on their timebooks, support on /ar/
LOGOUT_REDIRECT_URL = "booking:home"
# Where the citizen's test login and «bytt person» (``citizens``) lead when no ``next`` is asked for: booking's
# Timeavtaler. Named here, where the project is wired together, so citizens names no page of an app above it.
CITIZEN_HOME_URL = "booking:appointments"

# --- Language and time ----------------------------------------------------------------------------
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", "Norsk bokmål"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Oslo"
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# From source (make run, tests) WhiteNoise serves straight from the finders. Collected (make stack, the bench,
# production) it serves the files collectstatic made: compressed, fingerprinted, cached for a year.
STATIC_ROOT = BASE_DIR / "staticfiles" if COLLECTED_STATIC else None
WHITENOISE_USE_FINDERS = not COLLECTED_STATIC
WHITENOISE_AUTOREFRESH = not COLLECTED_STATIC
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if COLLECTED_STATIC
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- E-mail ---------------------------------------------------------------------------------------
# With EMAIL_HOST set, mail goes out by SMTP (the sink in docker-compose.yml); otherwise to the console.
EMAIL_HOST = env.str("EMAIL_HOST", default="")
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
# Every SMTP step gives up after this many seconds: far less than the outbox's stale-claim window (5 minutes),
# so a worker stuck on a silent mail server has given up long before its claim could be taken over.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Helsenorge <ikke-svar@helsenorge.test>")

# --- Security -------------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# A form's file name sent in Latin-1 instead of UTF-8 is made UTF-8 first, so Django does not drop the file.
FILE_UPLOAD_HANDLERS = [
    "core.uploads.Utf8PartHeadersHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# How many proxies in front of the site append to X-Forwarded-For (core.ratelimit.client_address): the
# failed-login limits key on the address the outermost trusted proxy saw. 0 (no proxy): REMOTE_ADDR, and the
# header, which any client can write, is ignored.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT must be 0 or more, not {TRUSTED_PROXY_COUNT}.")
# The test login takes only synthetic test numbers (month + 80), as the README promises; True lets it take
# real-format fødselsnumre and D-numbers too (a closed test environment that needs them).
ALLOW_REAL_NATIONAL_IDS = env.bool("ALLOW_REAL_NATIONAL_IDS", default=False)
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Content-Security-Policy in every environment, so the browser tests run the pages under it: no inline
# scripts anywhere (htmx is configured by a meta tag; portal.js is a file). Inline styles are allowed for the
# Django admin's own templates and the SVG chart; they cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Logging --------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # One line per request (core.middleware.RequestLogMiddleware); REQUEST_LOG_LEVEL=WARNING silences it.
    "loggers": {"portal.requests": {"level": env.str("REQUEST_LOG_LEVEL", default="INFO")}},
}

# Name of the group whose members may use the NHN support pages.
NHN_SUPPORT_GROUP = "NHN support"

CSRF_FAILURE_VIEW = "core.health.csrf_failure"
