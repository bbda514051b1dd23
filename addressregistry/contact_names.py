"""The name a citizen sees for a service under «Hvem vil du bestille time hos?»: one function that the model, the
diagnosis (AR support's page) and the portal's step 1 all call, so that support and citizen say the same. Imports
neither the models nor the diagnosis (both import it)."""

from __future__ import annotations

from django.utils.translation import gettext as _

GP_OFFICE = "gp_office"  # ``Organisation.Kind.GP_OFFICE``


def gp_office_contact_name(office_name: str) -> str:
    """Source 003 step 3: a citizen's GP office is one contact under «Hvem vil du bestille time hos?», «Ditt
    fastlegekontor …», whichever of its services books. The citizen's page and the AR support page both say it."""
    return _("Ditt fastlegekontor %(office)s") % {"office": office_name}


def contact_name(organisation_name: str, organisation_kind: str, service_name: str) -> str:
    """The name a citizen sees under «Hvem vil du bestille time hos?» for a service."""
    if organisation_kind == GP_OFFICE:
        return gp_office_contact_name(organisation_name)
    return f"{organisation_name} {service_name}"
