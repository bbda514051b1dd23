"""What a read of the clinic's dialogue pages records (``audit.reads``): the dialogue, the journal, and their
organisation."""

from __future__ import annotations

from audit.reads import ReadPage
from citizens.models import Citizen

from .models import Dialogue, JournalEntry, Prescription

DIALOGUE_STAFF_PAGE = ReadPage("dialogue", "pk", Dialogue, "thread__organisation__her_id")
JOURNAL_PAGE = ReadPage("journal", "pk", Citizen, "gp_office__her_id")
JOURNAL_ENTRY_ADMIN_PAGE = ReadPage("journal_entry", "object_id", JournalEntry, "organisation__her_id")
PRESCRIPTION_ADMIN_PAGE = ReadPage("prescription", "object_id", Prescription, "citizen__gp_office__her_id")
