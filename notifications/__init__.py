"""notifications — the outbox and its channels (SMS gateway, e-mail, app push), delivered exactly once.

Owns ``Notification`` (a row written in the transaction of the change that causes it, with a unique dedupe
key), delivery by Celery after commit with retries and a periodic sweep, and the channels behind one
interface: writing the rows (``services``), delivering them (``delivery``), the Celery adapters (``tasks``).
Takes plain values (recipient, channel, text, dedupe key) and knows nothing of the apps above it:
it depends on core alone.
"""
