"""The dialogue tests' clinic: the GP office of the shared world with its staff (``tests.world.gp_clinic``)."""

from __future__ import annotations

import pytest

from tests.world import GpClinic, gp_clinic


@pytest.fixture
def c(db) -> GpClinic:
    return gp_clinic()
