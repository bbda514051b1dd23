"""booking — appointments: the flows of the patient portal and the clinic's handling of requests.

Owns ``Appointment`` (at most one active per slot, a database constraint), time requests and invitation
campaigns; the six steps (``views/``), every status change (``services/``, through one transition helper),
what the citizen is told (``texts.py`` for every sentence, ``notify.py`` for who gets it on which channel),
reminders, and the Celery tasks that run them; which pages a timebook's waiting room guards (``waiting_room.py``,
on ``queueing``'s admission) and its «Du er i kø» pages; and the rules of a video appointment
(``video_rules.py``: whether it has a room, who holds the practitioner's side), which the ``video`` app above
runs. Below video and dialogues; writes Innboks messages through ``inbox`` and notifications through
``notifications``.

Ports (``signals.py``): ``time_request_sent``, received by ``dialogues``. Receives ``resourcebooks``'
``slot_bookings_asked`` and ``holds_withdrawn`` (``receivers.py``).
"""
