"""Each kind of thing a story names is declared once (articles/kinds.py), and
every consumer reads that declaration: pages and feeds, the listing's filters,
the page cache's parameters, the API, the sitemaps."""

import pytest
from django.urls import reverse

from articles.kinds import KINDS
from articles.site.api import api
from articles.site.feeds import FEEDS
from articles.site.filters import ArticleFilter
from articles.site.sitemaps import SITEMAPS
from articles.site.views import QUERY_PARAMETERS
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", KINDS, ids=[kind.name for kind in KINDS])
def test_every_consumer_reads_the_declaration(client, kind):
    thing = kind.model.objects.create(
        **{getattr(kind.model, "slug_source", "name"): f"Một {kind.name}"},
        **({"start_date": "2025-05-20"} if kind.name == "event" else {}),
    )
    if kind.shown_when:  # a tag readers know of only through a published story
        assert client.get(thing.get_absolute_url()).status_code == 404
        ArticleFactory().tags.add(thing)
    page = reverse(f"articles:{kind.name}", kwargs={"slug": thing.slug})
    assert page == f"/{kind.url_word}/{thing.slug}/" == thing.get_absolute_url()
    assert client.get(page).status_code == 200
    assert kind.name in ArticleFilter.base_filters and kind.name in QUERY_PARAMETERS
    assert client.get(f"/tin-moi/?{kind.name}={thing.slug}").status_code == 200
    assert client.get(f"/api/{kind.plural}/{thing.slug}").status_code == 200
    assert client.get(f"/api/stories?{kind.name}={thing.slug}").status_code == 200
    assert kind.plural in SITEMAPS
    assert (kind.name in FEEDS) is kind.feeds
    if kind.feeds:
        assert client.get(f"{page}rss/").status_code == 200
    paths = api.get_openapi_schema()["paths"]
    assert f"/api/{kind.plural}" in paths


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_each_kind_s_page_and_api_detail_are_what_its_declaration_names(kind):
    from articles.site.views import EntityArticlesView

    assert issubclass(kind.page_view(), EntityArticlesView)
    hooks = kind.api_detail_hooks()
    assert hooks is None or (len(hooks) == 2 and callable(hooks[1]))
