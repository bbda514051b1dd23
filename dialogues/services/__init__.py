"""Every write of a dialogue, as typed keyword-only functions in a transaction with an audit row."""

from .citizen import dialogue_reply, dialogue_start, journal_write
from .staff import (
    contact_check,
    dialogue_answer,
    dialogue_close,
    dialogue_convert,
    dialogue_mark_read,
    dialogue_start_by_staff,
    staff_sender,
)
from .time_requests import dialogue_for_time_request, time_request_book

__all__ = [
    "contact_check",
    "dialogue_answer",
    "dialogue_close",
    "dialogue_convert",
    "dialogue_for_time_request",
    "dialogue_mark_read",
    "dialogue_reply",
    "dialogue_start",
    "dialogue_start_by_staff",
    "journal_write",
    "staff_sender",
    "time_request_book",
]
