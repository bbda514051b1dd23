"""The ports booking offers the apps above it (DESIGN §2; see ``resourcebooks/signals.py`` for the rule):

- ``time_request_sent`` — sent in the transaction of each «Send timeforespørsel» with ``request`` (the
  ``TimeRequest``) and ``thread`` (its Innboks thread). ``dialogues`` routes it to the clinic's staff.
"""

from __future__ import annotations

from django.dispatch import Signal

time_request_sent = Signal()
