"""The patient portal's booking pages, one module per part of the flow:

- ``flow``: steps 1–2, «Velg sted» and «Send timeforespørsel» (and the ``Flow`` every step shares)
- ``calendar``: «Velg time» and the day's free slots
- ``review``: «Se gjennom før du sender», «Send bestilling», «Timebestillingen er sendt»
- ``appointments``: home, Timeavtaler, one appointment, cancelling, the calendar file
- ``received``: the simulated phone and app
- ``waiting_room``: «Du er i kø», a timebook's waiting room and the place its page polls

The citizen's own pages (login, acting for others, contact settings) are in ``citizens.views``; Innboks is
in ``inbox.views``.
"""
