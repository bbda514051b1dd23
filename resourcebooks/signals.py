"""The ports resourcebooks offers the apps above it (DESIGN §2: imports point down; a lower app calls a higher one
only through a signal declared here and connected in the higher app's ``AppConfig.ready``):

- ``holds_withdrawn`` — sent in the withdrawal's transaction with ``slot_ids``, the slots a citizen was holding
  (``on_hold``) as they are withdrawn. ``booking`` ends the holds and tells the holders.
- ``slot_bookings_asked`` — sent with ``slots`` by the clinic's day and week views; each receiver answers
  ``{slot_id: SlotBooking}`` for the slots it knows (``booking``: the active appointment, the citizen's hold).
"""

from __future__ import annotations

from django.dispatch import Signal

holds_withdrawn = Signal()
slot_bookings_asked = Signal()
