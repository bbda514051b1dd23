"""booking — appointments: the flows of the patient portal and the clinic's handling of requests.

Owns ``Appointment`` (at most one active per slot, a database constraint), time requests and invitation
campaigns; the six steps (``views/``), every status change (``services/``, through one transition helper),
what the citizen is told (``texts.py`` for every sentence, ``notify.py`` for who gets it on which channel),
reminders, and the Celery tasks that run them. Below dialogues; writes Innboks messages through ``inbox`` and
notifications through ``notifications``.

Ports (``signals.py``): ``time_request_sent``, received by ``dialogues``. Receives ``resourcebooks``'
``slot_bookings_asked`` and ``holds_withdrawn`` (``receivers.py``).
"""
