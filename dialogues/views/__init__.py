"""The dialogues' pages: the citizen's (``citizen``) and the clinic's (``staff``)."""
