"""queueing — the portal's door and a timebook's waiting room: who is let in, at what rate, and who waits.

Owns the admission by rate (``admission.py``: one Lua token bucket per room in Redis, a place for each who waits),
the front door before the citizen pages (``door.py``: ``FrontDoorMiddleware``, the server's signed visitor ids and
admission tokens, «Du er i kø» at ``/ko/``), and what a queue shows (``rooms.py``: the place, the estimate, how
often the page asks again, which ``neste`` it may go on to). The Redis key names and the counts staff see live
one layer down, in ``resourcebooks.waiting``, because the clinic admin of timebooks shows them. Which booking
pages a timebook's room guards, and that room's pages, are booking's (``booking.waiting_room``).

Between inbox and booking in the layers (DESIGN.md §2). Offers no ports and receives none:
booking calls it directly. Fails open: with Redis down or slow, everyone is let in.
"""
