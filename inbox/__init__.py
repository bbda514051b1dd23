"""inbox — Innboks: the messages a citizen receives, and who may read them.

Owns ``InboxMessage`` (sender, subject, body, whether it can be answered, read or not, and the appointment it
is about), threads and attachments, writing a message (``services.message_write``), what a viewer may see
(``access.py``: a parent never sees the messages of a hidden appointment, nor anyone acting for the person a
conversation they hid «for fullmakt», ``services.conversation_hide_set``), the Innboks pages and a message as
XML (``urls.py``,
namespace ``inbox``, ``templates/inbox/``), and what every portal page's header shows of the logged-in citizen
(``context_processors.portal``: whom they act for, unread messages). Booking and dialogues write here.
Above citizens; below queueing, booking and dialogues. Offers no ports and receives none.
"""
