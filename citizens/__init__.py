"""citizens — who the citizen is and whom they act for.

Owns ``Citizen`` (fødselsnummer or D-number, contact details, notification choices, consent, GP office) and
``Representation`` (parental responsibility for a child under 16, power of attorney), the test login, the
contact settings page, and ``CitizenMiddleware``, which puts ``request.citizen`` and ``request.person`` on
every request once. Below inbox and booking; above resourcebooks.
"""
