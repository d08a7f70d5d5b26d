import pytest
from django.core.management import call_command


@pytest.fixture
def seed(db):
    """The two seed stories and everything they link to, as `make run` loads them."""
    call_command("loaddata", "seed", verbosity=0)
