from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from core.models import LoginThrottle


class LoginThrottleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LoginThrottle

    limit = "login"
    key = factory.Sequence(lambda n: f"nøkkel-{n}")
    forget_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(hours=1))
