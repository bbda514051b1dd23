"""citizens — who the citizen is and whom they act for.

Owns ``Citizen`` (fødselsnummer or D-number, contact details, notification choices, consent, GP office) and
``Representation`` (parental responsibility for a child under 16, power of attorney), the test login, «bytt
person», and the contact settings page with the consent to digital contact (``urls.py``, namespace
``citizens``, ``templates/citizens/``), and ``CitizenMiddleware``, which puts ``request.citizen`` and
``request.person`` on every request once. After the login a citizen goes to ``settings.CITIZEN_HOME_URL``
(booking's Timeavtaler), named where the project is wired. Below inbox and booking; above resourcebooks. Offers
no ports and receives none.
"""
