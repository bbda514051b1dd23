"""core — the bottom layer: what every app may use and which knows nothing of any of them.

Owns: typed requests (``requests``), id parsing and the shared limits (``ids``, ``limits``), the sources'
date and time formats (``formatting``), Norwegian identity numbers (``national_id``), the one
``ApplicationError`` (``errors``), row locks with a timeout (``locking``), free-text checks (``text``),
who counts as NHN support (``roles``), the scoped admin bases (``admin_bases``), the request log and the
language middleware (``middleware``), ``/healthz`` and ``/ping`` (``health``), and the Celery task classes
(``tasks``: publishing through the broker's circuit breaker, ``breaker``, and queuing after commit). No models.
"""
