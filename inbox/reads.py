"""What a read of an Innboks message or an attachment records (``audit.reads``): its organisation (the
appointment's, or the thread's) and whose it is."""

from __future__ import annotations

from audit.reads import ReadPage

from .models import Attachment, InboxMessage

MESSAGE_HER_ID = "appointment__slot__timebook__service__organisation__her_id|thread__organisation__her_id"
ATTACHMENT_HER_ID = "message__thread__organisation__her_id"
MESSAGE_PAGE = ReadPage("inbox_message", "pk", InboxMessage, MESSAGE_HER_ID, "citizen")
MESSAGE_ADMIN_PAGE = ReadPage("inbox_message", "object_id", InboxMessage, MESSAGE_HER_ID)
ATTACHMENT_PAGE = ReadPage("attachment", "pk", Attachment, ATTACHMENT_HER_ID, "message__citizen")
ATTACHMENT_STAFF_PAGE = ReadPage("attachment", "pk", Attachment, ATTACHMENT_HER_ID)
