"""addressregistry — Adresseregisteret (AR): organisations, services, their processes, and the setup diagnosis.

Owns ``Organisation`` and ``Service`` (HER-ids), ``ServiceProcess`` and its history (``ProcessChange``), the
diagnosis as pure functions (``diagnosis/``: why *Bestill time* does or does not appear, and what the citizen
sees — the support page and the portal read the same result), the NHN support pages, ``ar_check`` and the
JSON lookup. Knows nothing of timebooks. Above core and audit.

Ports (``signals.py``): ``timebooks_asked``, answered by ``resourcebooks`` with the service's timebook facts.
"""
