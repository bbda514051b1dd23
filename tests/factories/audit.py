from __future__ import annotations

import factory

from audit.models import AuditEvent


class AuditEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEvent

    actor_kind = "staff"
    actor_label = "Test Bruker"
    action = AuditEvent.Action.READ
    object_type = "appointment"
    object_id = factory.Sequence(str)
