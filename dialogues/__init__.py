"""Dialogues with the GP office (source 004): e-kontakt, e-konsultasjon and reseptfornyelse, the time requests
of source 003 as threads, routing to the clinic's staff, and the clinic's inbox. Sits above ``booking`` (a time
request can be answered with an appointment) and writes the conversations into ``inbox``. Receives ``booking``'s
``time_request_sent`` port (a time request becomes a dialogue)."""
