"""The port addressregistry offers the apps above it (DESIGN §2; see ``resourcebooks/signals.py`` for the rule):

- ``timebooks_asked`` — sent with ``service`` by the AR diagnosis; each receiver answers the ``TimebookFacts``
  of the service's timebooks (``resourcebooks``). With no receiver the diagnosis says the timebooks are unknown.
"""

from __future__ import annotations

from django.dispatch import Signal

timebooks_asked = Signal()
