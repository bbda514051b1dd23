"""The four resource-timebook types Helsenorge knows, and how the portal names an appointment of each.

They live here, in the lowest app, because Helsenorge's own rules (the AR diagnosis, the display
titles) depend on them; ``resourcebooks`` uses them for its timebooks.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimebookType(models.TextChoices):
    KORONATEST = "koronatest", _("Koronatest")
    KORONAVAKSINE = "koronavaksine", _("Koronavaksine")
    LAB = "lab", _("Lab")
    VAKSINE = "vaksine", _("Vaksine")


# Sources 001/002: «Time til koronatest hos …», «Time til laboratoriet hos …». For vaksine the newest
# source (000, 15.06.2026) writes «Time for vaksine hos …», and the newer source wins.
APPOINTMENT_TITLE_PREFIX: dict[str, str] = {
    TimebookType.KORONATEST: "Time til koronatest",
    TimebookType.KORONAVAKSINE: "Time til koronavaksine",
    TimebookType.LAB: "Time til laboratoriet",
    TimebookType.VAKSINE: "Time for vaksine",
}
# What a confirmation SMS calls the type: «… du har fått time til [Timetype] hos …» (source 001).
TIMEBOOK_TYPE_IN_TEXT: dict[str, str] = {
    TimebookType.KORONATEST: "koronatest",
    TimebookType.KORONAVAKSINE: "koronavaksine",
    TimebookType.LAB: "laboratoriet",
    TimebookType.VAKSINE: "vaksine",
}
