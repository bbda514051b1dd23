"""Limits the sources and the database set, in one place."""

from __future__ import annotations

HER_ID_MAX = 2_147_483_647  # HER-ids are stored as PostgreSQL integers
ID_MAX_DIGITS = 18  # a database id from a URL or a form: a 5,000-digit number is not an id

REASON_MAX = 50  # «Hva gjelder det?» and «Emne» (sources 000, 001, 003)
SUGGESTED_TIMES_MAX = 250  # «Foreslå ett eller flere tidspunkt som passer deg» (source 003)
# Dialogues (source 004): the files of one message may not exceed 12 MB in all.
ATTACHMENTS_MAX_BYTES = 12 * 1024 * 1024
ATTACHMENTS_MAX_FILES = 5
# A request body beyond this is refused unread (``core.middleware.RequestSizeLimitMiddleware``).
REQUEST_MAX_BYTES = ATTACHMENTS_MAX_BYTES + 1024 * 1024
DIALOGUE_SUBJECT_MAX = 50  # «Emne», as for a time request
DIALOGUE_BODY_MAX = 2000  # «Melding»
DIALOGUE_ANSWER_MAX = 4000  # the clinic's answer
DESCRIPTION_MAX = 200  # a timebook's description under its name (source 004)
OFFICE_INFORMATION_MAX = 300  # «Informasjon fra legekontoret» (source 004)

CALENDAR_HORIZON_DAYS = 400  # the citizen's calendar never looks further ahead than this
MAX_PUBLISH_DAYS = 366  # week templates publish at most a year ahead

CHILD_AGE_LIMIT = 16  # parents act for children under 16
HIDDEN_AGE_RANGE = (12, 16)  # «Skjult time»: a 12–16-year-old's appointment may be hidden from the parents

CITIZEN_IDLE_SECONDS = 30 * 60  # Helsenorge logs a citizen out after 30 idle minutes
SESSION_TOUCH_SECONDS = 60  # the session is written at most this often just to note activity

HOLD_SECONDS = 5 * 60  # «Se gjennom før du sender» holds the slot this long (NHS and Cal.com hold 5 minutes)
# Reopening the page renews a hold, but never past this from its first taking; after that the same login may not
# hold that slot again for ``HOLD_SECONDS`` (it is free for everyone, and the login may still send).
HOLD_MAX_SECONDS = 3 * HOLD_SECONDS
HOLDS_PER_LOGIN_MAX = 2  # one login's holds in all (one per timebook), whoever it acts for; a new one ends the oldest
LOCK_TIMEOUT_MS = 3000  # how long a service waits for a row lock before saying «try again»

STAFF_IDLE_SECONDS = 30 * 60  # staff and support see health data too: the same idle end as citizens

# Failed staff and support logins (core.ratelimit.Backoff): a few free tries, then one try per growing wait.
LOGIN_FREE_TRIES_PER_USERNAME = 5
LOGIN_FREE_TRIES_PER_ADDRESS = 30  # generous: a clinic's staff often share one address
LOGIN_FIRST_WAIT_SECONDS = 60  # doubled after every further failure …
LOGIN_MAX_WAIT_SECONDS = 15 * 60  # … up to this
LOGIN_USERNAME_FORGET_SECONDS = 24 * 3600  # failures for a username count for a day (a success forgets them)
LOGIN_ADDRESS_FORGET_SECONDS = 3600
