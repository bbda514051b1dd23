"""resourcebooks — the clinic's side, what a journal system (EPJ) holds.

Owns timebooks of the four types, time types, locations, week templates and publishing them into slots,
patient blocks, who-may-book lists, staff membership and the clinic settings, and the clinic admin scoped to
the staff user's organisations (``admin/``). Knows nothing of citizens or appointments. Above addressregistry.

Ports (``signals.py``): ``slot_bookings_asked`` (who holds each slot, for the day and week views) and
``holds_withdrawn`` (held slots withdrawn), both received by ``booking``. Receives ``addressregistry``'s
``timebooks_asked``.
"""
