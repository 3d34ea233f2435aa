import random

import pytest

from sandbox import admin


@pytest.fixture(scope="session")
def merchant():
    """A merchant of its own for this run, so the run is alone with its rules, clock and log."""
    partner = "2088" + "".join(random.choice("0123456789") for _ in range(12))
    created = admin("POST", "/api/merchants", {"partner": partner, "name": "pytest POS"})
    return {"partner": partner, "key": created["md5Key"]}
