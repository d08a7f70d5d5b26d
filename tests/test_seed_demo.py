"""The synthetic archive for load tests: adds stories with everything they
link to, indexes them for search, and never touches existing stories."""

from io import StringIO

import pytest
from django.core.management import call_command

from articles.models import Article, Byline, Event, TaggedArticle

pytestmark = pytest.mark.django_db


def test_adds_a_linked_searchable_archive_and_leaves_the_seeds_alone(seed, client):
    before = {a.slug: (a.headline, a.body, a.updated_at) for a in Article.objects.all()}
    out = StringIO()
    call_command("seed_demo", stories=120, seed=7, batch_size=50, stdout=out)
    assert "Added 120 stories (120 indexed)" in out.getvalue()
    assert Article.objects.count() == 122
    assert {
        a.slug: (a.headline, a.body, a.updated_at) for a in Article.objects.filter(slug__in=before)
    } == before

    new = Article.objects.exclude(slug__in=before)
    assert new.filter(status=Article.Status.PUBLISHED).count() > 100
    assert set(new.values_list("status", flat=True)) >= {"published", "draft"}
    assert not Byline.objects.filter(article__in=new).values("article").distinct().count() < 120
    assert TaggedArticle.objects.filter(content_object__in=new).count() >= 240
    assert Event.objects.filter(kind=Event.Kind.BILATERAL_MEETING, parent__isnull=False).exists()
    assert all(a.search_text for a in new)

    story = new.filter(status=Article.Status.PUBLISHED).order_by("pk").first()
    word = story.headline.split()[0]
    assert story in Article.objects.published().search(word)
    assert client.get(story.get_absolute_url()).status_code == 200


def test_runs_again_without_clashing(db):
    call_command("seed_demo", stories=20, stdout=StringIO())
    call_command("seed_demo", stories=20, stdout=StringIO())
    assert Article.objects.count() == 40
