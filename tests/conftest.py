import os

import pytest
from django.core.management import call_command

# The end-to-end checks of a running cluster: make cluster-check, never the suite.
collect_ignore = [] if os.environ.get("CLUSTER_CHECK") else ["cluster"]


@pytest.fixture
def seed(db):
    """The two seed stories and everything they link to, as `make run` loads them."""
    call_command("loaddata", "seed", verbosity=0)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with empty caches: the database is rolled back between
    tests without a save that would start a new page generation, and a
    transactional test's flush renumbers the content types behind their cache."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import cache

    cache.clear()
    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _edge_purges_once(monkeypatch):
    """Each purge is sent to the edge once, not again seconds later, when a test and
    its edge may be gone (tests/test_edge.py tries the second one)."""
    from articles.freshness import edge

    monkeypatch.setattr(edge, "AGAIN_SECONDS", 0)


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts on the Vietnamese site: the test client runs requests in
    this thread, and one for an English page leaves English active, in which
    ``get_absolute_url`` gives the English address."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def reporter(db):
    from tests.factories import staff

    return staff("phongvien", "Phóng viên")


@pytest.fixture
def other_reporter(db):
    from tests.factories import staff

    return staff("phongvien2", "Phóng viên")


@pytest.fixture
def editor(db):
    from tests.factories import staff

    return staff("bientapvien", "Biên tập viên")


@pytest.fixture
def desk(client, editor):
    """A client signed in to the desk as an editor."""
    client.force_login(editor)
    return client
