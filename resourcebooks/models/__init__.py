"""The clinic's side: timebooks (resource and practitioner), time types, locations, week templates and slots
(``timebooks``); practitioners, vikarer, blocks, lists, staff and office settings (``people``)."""

from .people import (
    ClinicSettings,
    PatientBlock,
    Practitioner,
    StaffGroup,
    StaffMembership,
    TimebookListEntry,
    VikarAssignment,
)
from .timebooks import ATTENDANCE_BY_MODE, WEEKDAY_NAMES, Location, Slot, Timebook, TimeType, WeekTemplate

__all__ = [
    "ATTENDANCE_BY_MODE",
    "WEEKDAY_NAMES",
    "ClinicSettings",
    "Location",
    "PatientBlock",
    "Practitioner",
    "Slot",
    "StaffGroup",
    "StaffMembership",
    "TimeType",
    "Timebook",
    "TimebookListEntry",
    "VikarAssignment",
    "WeekTemplate",
]
