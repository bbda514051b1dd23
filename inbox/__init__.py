"""inbox — Innboks: the messages a citizen receives, and who may read them.

Owns ``InboxMessage`` (sender, subject, body, whether it can be answered, read or not, and the appointment it
is about), writing a message (``services.message_write``), what a viewer may see (a parent never sees the
messages of a hidden appointment) and the Innboks pages. Booking writes here now; dialogues will next.
Above citizens; below booking and dialogues.
"""
