"""What a read of booking's pages records (``audit.reads``): the appointment, its organisation and whose it is."""

from __future__ import annotations

from audit.reads import ReadPage

from .models import Appointment

APPOINTMENT_HER_ID = "slot__timebook__service__organisation__her_id"
APPOINTMENT_PAGE = ReadPage("appointment", "pk", Appointment, APPOINTMENT_HER_ID, "citizen")
APPOINTMENT_ADMIN_PAGE = ReadPage("appointment", "object_id", Appointment, APPOINTMENT_HER_ID)
