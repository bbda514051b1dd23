"""The clinic admin: the staff's whole workplace, scoped to the organisations each staff user works for.

Every admin here derives from ``OrganisationScopedAdmin``: lists, foreign-key and many-to-many choices and
direct URLs only reach the user's own organisations' objects; anything else answers 404.
"""

from core.admin_bases import SafeActionsMixin, SuperuserOnlyAdmin

from . import groups, practitioners, slots, timebooks, week_templates
from .base import ORGANISATION_PATH, ListReadsAudited, OrganisationScopedAdmin, scope
from .timebooks import PeriodForm
from .week_templates import PublishForm

__all__ = [
    "ORGANISATION_PATH",
    "ListReadsAudited",
    "OrganisationScopedAdmin",
    "PeriodForm",
    "PublishForm",
    "SafeActionsMixin",
    "SuperuserOnlyAdmin",
    "groups",
    "practitioners",
    "scope",
    "slots",
    "timebooks",
    "week_templates",
]
