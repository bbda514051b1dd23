from __future__ import annotations

import datetime as dt

import factory

from booking.demo import synthetic_number
from citizens.models import Citizen, Representation
from tests.factories.addressregistry import OrganisationFactory
from tests.factories.users import UserFactory


class CitizenFactory(factory.django.DjangoModelFactory):
    """A citizen with a synthetic national id (month + 80), living in a municipality."""

    class Meta:
        model = Citizen

    class Params:
        birth_date = dt.date(1980, 1, 1)

    first_name = "Kari"
    last_name = factory.Sequence(lambda n: f"Nordmann{n}")
    national_id = factory.LazyAttributeSequence(lambda o, n: synthetic_number(o.birth_date, (n * 3) % 90))
    user = factory.SubFactory(
        UserFactory,
        username=factory.LazyAttribute(lambda u: f"innbygger-{u.factory_parent.national_id}"),
        first_name=factory.SelfAttribute("..first_name"),
        last_name=factory.SelfAttribute("..last_name"),
    )
    municipality = factory.SubFactory(OrganisationFactory)
    phone = "412 34 567"
    email = factory.LazyAttribute(lambda o: f"{o.last_name.lower()}@example.test")


class RepresentationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Representation

    representative = factory.SubFactory(CitizenFactory)
    represented = factory.SubFactory(CitizenFactory, birth_date=dt.date(2015, 5, 5))
    kind = Representation.Kind.PARENT
