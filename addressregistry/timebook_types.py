"""The four resource-timebook types Helsenorge knows.

They live here, in the lowest domain app, because Helsenorge's own rules (the AR diagnosis) depend on them;
``resourcebooks`` uses them for its timebooks, and ``booking.texts`` names an appointment of each.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimebookType(models.TextChoices):
    KORONATEST = "koronatest", _("Koronatest")
    KORONAVAKSINE = "koronavaksine", _("Koronavaksine")
    LAB = "lab", _("Lab")
    VAKSINE = "vaksine", _("Vaksine")
