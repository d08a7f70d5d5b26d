import os

import pytest
from django.core.management import call_command

from tests import snapshot

# The end-to-end checks of a running cluster: make cluster-check, never the suite.
collect_ignore = [] if os.environ.get("CLUSTER_CHECK") else ["cluster"]


def pytest_collection_modifyitems(config, items):
    """Markers that follow from what a test uses: a browser test is one that
    asks for the browser or a live server; a PostgreSQL test skips on SQLite."""
    from django.db import connection

    for item in items:
        if {"browser", "live_server"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)
        marker = item.get_closest_marker("postgres")
        if marker and connection.vendor != "postgresql":
            item.add_marker(pytest.mark.skip(reason=marker.kwargs.get("reason", "PostgreSQL's")))


@pytest.fixture
def seed(db):
    """The two seed stories and everything they link to, as `make run` loads them.

    ``loaddata`` runs once per database (its handlers index, log and check every
    row: most of a second); later tests get the rows it wrote, written again
    (``tests/snapshot.py``)."""
    snapshot.load("seed", lambda: call_command("loaddata", "seed", verbosity=0))


@pytest.fixture(autouse=True)
def _snapshots_follow_flushes(request):
    """A test that commits is flushed afterwards, and the content types are made
    again under new numbers: the rows recorded before may name the old ones."""
    yield
    if {"transactional_db", "live_server"} & set(request.fixturenames):
        snapshot.forget()


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
    its edge may be gone (tests/freshness/test_edge.py tries the second one)."""
    from articles.freshness import edge

    monkeypatch.setattr(edge, "AGAIN_SECONDS", 0)


@pytest.fixture(autouse=True)
def _media_of_its_own(settings, tmp_path_factory):
    """Each test stores pictures in a folder of its own, never the project's
    ``media/`` (``seed_demo`` draws its illustrations there); a test that needs
    its files at hand sets ``MEDIA_ROOT`` itself."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


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


@pytest.fixture
def varnish(live_server, settings):
    """Varnish with the project's VCL in front of the live server, purged by the app
    (tests/varnish.py); skipped, with the reason, where varnishd is missing."""
    from pathlib import Path
    from urllib.parse import urlparse

    from tests.tools import need
    from tests.varnish import VARNISHD, Varnish

    need(Path(VARNISHD).exists(), "varnishd is missing (apt-get install varnish varnish-modules)")
    with Varnish(urlparse(live_server.url).port) as url:
        settings.EDGE_CACHE_URL = url + "/"
        yield url
