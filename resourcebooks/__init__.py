"""resourcebooks — the clinic's side, what a journal system (EPJ) holds.

Owns timebooks of the four types, time types, locations, week templates and publishing them into slots,
patient blocks, who-may-book lists, staff membership and the clinic settings, and the clinic admin scoped to
the staff user's organisations (``admin/``). Knows nothing of citizens or appointments: ``booking`` registers
who holds a slot for the day view. Above addressregistry.
"""
