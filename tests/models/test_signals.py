"""The domain signals (articles/signals.py): every save of a story, by any road,
is announced once with the row as it was before; the desk announces moves."""

import pytest
from django.core.management import call_command

from articles import signals
from articles.desk import workflow
from articles.models import Article, StateChange
from tests.browser_form import form_values
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    """What ``story_saved``, ``story_deleted`` and ``story_moved`` said, in order."""
    said = []

    def saved(sender, story, before, raw=False, **kwargs):
        said.append(("saved", story.pk, before and dict(before), raw))

    def deleted(sender, story, **kwargs):
        said.append(("deleted", story.pk))

    def moved(sender, story, from_status, user, **kwargs):
        said.append(("moved", story.pk, from_status, story.status, user.username))

    signals.story_saved.connect(saved)
    signals.story_deleted.connect(deleted)
    signals.story_moved.connect(moved)
    yield said
    signals.story_saved.disconnect(saved)
    signals.story_deleted.disconnect(deleted)
    signals.story_moved.disconnect(moved)


def test_a_save_in_the_desk_is_announced_once_with_the_row_before(desk, heard, settings):
    story = ArticleFactory(headline="Trước", status=Article.Status.REVIEW, published_at=None)
    heard.clear()
    url = f"/{settings.ADMIN_URL}articles/article/{story.pk}/change/"
    data = form_values(desk.get(url).content.decode())
    data.update(headline=["Sau"], move=["publish"], publish_without_byline=["on"])
    assert desk.post(url, data).status_code == 302
    saves = [said for said in heard if said[0] == "saved"]
    assert len(saves) == 1
    _, pk, before, raw = saves[0]
    assert pk == story.pk and not raw
    assert before["headline"] == "Trước" and before["status"] == "review"
    assert ("moved", story.pk, "review", "published", "bientapvien") in heard
    log = StateChange.objects.get(story_pk=story.pk, action=StateChange.Action.MOVE)
    assert (log.from_status, log.to_status) == ("review", "published")


def test_a_new_story_is_announced_with_nothing_before(heard, reporter):
    story = workflow.save(Article(headline="Mới", sapo="Tóm tắt"), reporter)
    assert ("saved", story.pk, None, False) in heard
    assert ("moved", story.pk, "", "draft", "phongvien") in heard


def test_a_save_outside_the_desk_is_announced_too(heard):
    story = ArticleFactory(headline="Một")
    heard.clear()
    story.headline = "Hai"
    story.save()
    assert heard == [("saved", story.pk, heard[0][2], False)]
    assert heard[0][2]["headline"] == "Một"
    assert not [said for said in heard if said[0] == "moved"]  # only the desk moves stories


def test_a_fixture_is_announced_as_raw_and_indexed(heard):
    call_command("loaddata", "seed", verbosity=0)
    raw = [said for said in heard if said[0] == "saved" and said[3]]
    assert len(raw) == Article.objects.count() >= 2
    assert all(Article.objects.filter(search_text__contains="hoa ky").values_list("pk"))


def test_a_deletion_is_announced(heard, editor):
    story = ArticleFactory()
    pk = story.pk
    workflow.delete(story, editor)
    assert ("deleted", pk) in heard


def test_the_row_before_is_read_again_for_each_save(heard):
    """A story saved twice is judged each time by what the database held then."""
    story = ArticleFactory(headline="A")
    heard.clear()
    story.headline = "B"
    story.save()
    story.headline = "C"
    story.save()
    assert [said[2]["headline"] for said in heard] == ["A", "B"]
