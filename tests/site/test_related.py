"""The related-news ranking, pinned on a small hand-built corpus."""

import datetime
import re
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.freshness import edge, store, surrogates
from articles.models import Article, Event
from articles.site.related import (
    more_from_section,
    related_articles,
    rerank,
    side_lists,
    side_stories,
    stored_side_stories,
)
from tests.factories import (
    ArticleFactory,
    EventFactory,
    OrganizationFactory,
    PersonFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


def story(hours_ago, *, events=(), people=(), orgs=(), tags=(), **kwargs):
    article = ArticleFactory(
        published_at=timezone.now() - datetime.timedelta(hours=hours_ago), **kwargs
    )
    article.events.set(events)
    article.people.set(people)
    article.organizations.set(orgs)
    article.tags.set(tags)
    return article


@pytest.fixture
def corpus():
    trip = EventFactory(title="Chuyến công tác", kind=Event.Kind.WORKING_TRIP)
    meeting, sibling = EventFactory(parent=trip), EventFactory(parent=trip)
    minister, org = PersonFactory(), OrganizationFactory()
    this = story(0, events=[meeting], people=[minister], orgs=[org], tags=["LNG"])
    return {
        "this": this,
        "same_event": story(50, events=[meeting]),  # 8
        "trip_and_person": story(40, events=[trip], people=[minister]),  # 4 + 3
        "person_and_org": story(30, people=[minister], orgs=[org]),  # 3 + 2
        "sibling_meeting": story(20, events=[sibling]),  # 4
        "tag_newer": story(1, tags=["LNG"]),  # 1
        "tag_older": story(2, tags=["LNG"]),  # 1
        "nothing_shared": story(3),
        "draft": story(5, events=[meeting], status=Article.Status.DRAFT),
        "scheduled": story(-5, events=[meeting]),
    }


def test_strongest_link_first_then_recency(corpus):
    ranked = list(related_articles(corpus["this"], limit=10))
    assert [(a.pk, a.relatedness) for a in ranked] == [
        (corpus["same_event"].pk, 8),
        (corpus["trip_and_person"].pk, 7),
        (corpus["person_and_org"].pk, 5),
        (corpus["sibling_meeting"].pk, 4),
        (corpus["tag_newer"].pk, 1),
        (corpus["tag_older"].pk, 1),
    ]


def test_limit_keeps_the_strongest(corpus):
    assert list(related_articles(corpus["this"], limit=2)) == [
        corpus["same_event"],
        corpus["trip_and_person"],
    ]


def test_a_story_with_no_links_has_no_related_news():
    assert not related_articles(story(0))


def test_query_count_does_not_grow_with_candidates(corpus):
    def count():
        this = Article.objects.prefetch_related("events", "people", "organizations", "tags").get(
            pk=corpus["this"].pk
        )
        with CaptureQueriesContext(connection) as queries:
            list(related_articles(this))
        return len(queries)

    before = count()
    for hours in range(40):
        story(100 + hours, events=[corpus["this"].events.get()], tags=["LNG"])
    assert count() == before == 1


def test_more_from_section_is_latest_of_the_section_without_repeats():
    section = SectionFactory()
    this = story(0, section=section)
    shown = story(1, section=section)
    newer, older = story(2, section=section), story(3, section=section)
    story(1)  # another section
    assert list(more_from_section(this, exclude=[shown.pk])) == [newer, older]


@pytest.mark.parametrize("limit", [2, 3, 5])
def test_side_stories_are_related_news_then_the_sections_latest_in_one_query(corpus, limit):
    section = SectionFactory()
    this = corpus["this"]
    # the section holds related stories and others, newer and older, and a draft
    in_section = ("same_event", "tag_newer", "nothing_shared", "draft", "sibling_meeting")
    for name in ("this", *in_section):
        Article.objects.filter(pk=corpus[name].pk).update(section=section)
    for hours in (4, 6, 7, 8, 9, 60, 70):
        story(hours, section=section)
    this = Article.objects.prefetch_related("events", "people", "organizations", "tags").get(
        pk=this.pk
    )
    related = list(related_articles(this, limit))
    more = list(more_from_section(this, [s.pk for s in related], limit))
    with CaptureQueriesContext(connection) as queries:
        assert side_stories(this, limit) == (related, more)
    assert len(queries) == 1
    assert len(more) == limit and not set(more) & set(related)


def test_side_stories_without_a_section_or_links():
    lonely = story(0, section=None)
    assert side_stories(lonely) == ([], [])
    tagged, other = story(0, section=None, tags=["LNG"]), story(1, tags=["LNG"])
    assert side_stories(tagged) == ([other], [])
    section = SectionFactory()
    this, other = story(0, section=section), story(1, section=section)
    assert side_stories(this) == ([], [other])


def kept_side_lists(this):
    """Side lists as a reader's page asks for them (blocks are kept for readers)."""
    with edge.recording() as shown:
        lists = side_lists(this).stories()
    assert not shown  # what decides them is never noted on the page
    return lists


def test_side_lists_are_kept_until_what_decides_them_changes(corpus, settings):
    settings.CONTENT_CACHE = True
    this = corpus["this"]
    first = kept_side_lists(this)
    assert first[0] == list(related_articles(this))
    with CaptureQueriesContext(connection) as queries:
        again = kept_side_lists(this)
    assert again == first
    assert len(queries) == 1  # the stories, by their kept ids
    # Unpublished without a save (nothing was purged): still not shown.
    Article.objects.filter(pk=corpus["same_event"].pk).update(status=Article.Status.DRAFT)
    assert corpus["same_event"] not in kept_side_lists(this)[0]
    # A story published since that names the same minister: made again, it shows.
    newest = story(0, events=[this.events.get()], people=list(this.people.all()))
    assert kept_side_lists(this)[0][0] == newest


def test_an_edit_elsewhere_keeps_the_side_lists(corpus, settings):
    settings.CONTENT_CACHE = True
    this = corpus["this"]
    kept_side_lists(this)
    other = corpus["nothing_shared"]
    other.headline = "Tít mới"
    other.save()
    this.headline = "Tít mới của chính bài"
    this.save()
    this = Article.objects.get(pk=this.pk)
    with CaptureQueriesContext(connection) as queries:
        kept_side_lists(this)
    assert len(queries) == 1  # the stories by their kept ids: no ranking


@pytest.mark.parametrize(
    "change",
    [
        "this story names the other's person",
        "the other is tagged",
        "the other covers a meeting of the same trip",
        "the trip lists the other, from its side",
        "the other moves into the section",
        "the other is published",
    ],
)
def test_what_decides_the_side_lists_remakes_them(corpus, settings, change):
    settings.CONTENT_CACHE = True
    this = corpus["this"]
    meeting = this.events.get()
    kept_side_lists(this)
    draft = {"status": Article.Status.DRAFT} if change == "the other is published" else {}
    other = story(0, **draft)
    if change == "this story names the other's person":
        person = PersonFactory()
        other.people.add(person)  # nothing this story's lists depend on, yet
        assert kept_side_lists(this) == kept_side_lists(this)
        this.people.add(person)
    elif change == "the other is tagged":
        other.tags.add("LNG")
    elif change == "the other covers a meeting of the same trip":
        other.events.add(meeting.parent.children.exclude(pk=meeting.pk).get())
    elif change == "the trip lists the other, from its side":
        meeting.parent.articles.add(other)
    elif change == "the other moves into the section":
        other.section = this.section
        other.save()
    else:
        other.events.add(meeting)
        other.status = Article.Status.PUBLISHED
        other.save()
    related, more = kept_side_lists(Article.objects.get(pk=this.pk))
    assert other in related + more


# -- ranked when stories change, stored, read by the page


def stored(article):
    return Article.objects.values_list("related_ids", flat=True).get(pk=article.pk)


def shown_beside(client, article) -> dict[str, list[str]]:
    """The headlines of the page's related news and "Tin khác"."""
    page = client.get(article.get_absolute_url()).content.decode()
    lists = {}
    for name in ("related", "more"):
        part = re.search(rf'<section class="{name}".*?</section>', page, re.S)
        lists[name] = re.findall(r"<h3[^>]*>\s*<a[^>]*>([^<]+)</a>", part[0]) if part else []
    return lists


def test_a_published_story_s_list_is_ranked_once_its_save_commits(
    corpus, django_capture_on_commit_callbacks
):
    this = corpus["this"]
    assert stored(this) is None  # saved in the test's transaction, not committed
    with django_capture_on_commit_callbacks(execute=True):
        this.published_at -= datetime.timedelta(minutes=1)
        this.save()
    assert stored(this) == [a.pk for a in related_articles(this)]


def test_a_story_published_later_enters_the_lists_it_belongs_to(
    corpus, django_capture_on_commit_callbacks
):
    this = corpus["this"]
    rerank([this.pk])
    with django_capture_on_commit_callbacks(execute=True):
        newest = story(0, events=[this.events.get()], people=list(this.people.all()))
    assert stored(this)[0] == newest.pk
    assert stored(newest)[0] == this.pk


def test_an_unpublished_story_leaves_the_lists_it_was_in(
    corpus, django_capture_on_commit_callbacks
):
    this, same_event = corpus["this"], corpus["same_event"]
    rerank([this.pk])
    assert same_event.pk in stored(this)
    with django_capture_on_commit_callbacks(execute=True):
        same_event.status = Article.Status.DRAFT
        same_event.save()
    assert same_event.pk not in stored(this)
    assert stored(same_event) is None


def test_a_deleted_story_leaves_the_lists_it_was_in(corpus, django_capture_on_commit_callbacks):
    this, same_event = corpus["this"], corpus["same_event"]
    rerank([this.pk])
    with django_capture_on_commit_callbacks(execute=True):
        same_event.delete()
    assert stored(this) == [a.pk for a in related_articles(this)]
    assert same_event.pk not in stored(this)


def test_relinking_a_story_ranks_it_again(corpus, django_capture_on_commit_callbacks):
    this, unrelated = corpus["this"], corpus["nothing_shared"]
    rerank([this.pk])
    assert unrelated.pk not in stored(this)
    with django_capture_on_commit_callbacks(execute=True):
        unrelated.events.add(this.events.get())
    assert stored(this)[0] == unrelated.pk


def test_only_a_list_that_changed_is_stored_and_purged(corpus):
    this = corpus["this"]

    def purged_by_rerank() -> set[str]:
        with mock.patch.object(store, "purge", wraps=store.purge) as purge:
            assert this.pk in rerank([this.pk])
        return set().union(*(call.args[0] for call in purge.call_args_list))

    # Stored for the first time: its page ranked for itself, nothing showed a stored list.
    assert surrogates.listing(Article, this.pk) not in purged_by_rerank()
    Article.objects.filter(pk=this.pk).update(related_ids=[corpus["tag_older"].pk])
    assert surrogates.listing(Article, this.pk) in purged_by_rerank()
    with mock.patch.object(store, "purge", wraps=store.purge) as purge:
        assert rerank([this.pk]) == set()
    assert not set().union(*(call.args[0] for call in purge.call_args_list))


def test_the_page_shows_the_stored_list_without_ranking(corpus, client):
    this, unrelated = corpus["this"], corpus["nothing_shared"]
    same_section = story(4, section=this.section)
    # A stored list the ranking would not give: the page must be reading it.
    Article.objects.filter(pk=this.pk).update(related_ids=[unrelated.pk, corpus["draft"].pk])
    with CaptureQueriesContext(connection) as queries:
        beside = shown_beside(client, this)
    assert beside["related"] == [unrelated.headline]  # the draft stays hidden
    assert not any("SUM(weight)" in q["sql"] for q in queries)
    assert beside["more"] == [same_section.headline]  # the section's latest, in the same query


def test_the_page_ranks_a_story_never_ranked(corpus, client):
    this = corpus["this"]
    assert stored(this) is None
    beside = shown_beside(client, this)
    assert beside["related"] == [a.headline for a in related_articles(this)]


def test_rank_related_ranks_the_stories_never_ranked_or_without_a_floor(corpus):
    this, older = corpus["this"], corpus["tag_older"]
    Article.objects.filter(pk=corpus["tag_newer"].pk).update(related_ids=[], related_floor=0)
    Article.objects.filter(pk=older.pk).update(related_ids=[])  # stored before floors were
    call_command("rank_related", verbosity=0)
    assert stored(this) == [a.pk for a in related_articles(this)]
    assert stored(corpus["tag_newer"]) == []  # ranked already: left alone
    assert stored(older) == [a.pk for a in related_articles(older)]
    assert stored(corpus["draft"]) is None  # readers never see its page
    call_command("rank_related", "--all", verbosity=0)
    assert stored(corpus["tag_newer"]) == [a.pk for a in related_articles(corpus["tag_newer"])]


def test_an_edit_of_a_story_s_text_ranks_nothing(corpus, django_capture_on_commit_callbacks):
    def ranking(callbacks) -> list:
        return [c for c in callbacks if getattr(c, "args", ())[:1] == ("related.rank",)]

    this = corpus["this"]
    with django_capture_on_commit_callbacks() as callbacks:
        this.headline = "Tít sửa lại"
        this.save()
    assert not ranking(callbacks)
    with django_capture_on_commit_callbacks() as callbacks:
        this.published_at -= datetime.timedelta(hours=1)
        this.save()
    assert [c.keywords["ids"] for c in ranking(callbacks)] == [[this.pk]]


def test_a_stored_list_without_a_section_has_no_other_news(corpus):
    this, unrelated = corpus["this"], corpus["nothing_shared"]
    Article.objects.filter(pk__in=[this.pk, unrelated.pk]).update(section=None)
    this.refresh_from_db()
    this.related_ids = [unrelated.pk]
    assert stored_side_stories(this) == ([Article.objects.get(pk=unrelated.pk)], [])


def test_a_stored_list_keeps_how_much_its_last_story_shares(corpus):
    """The floor: what the last of a full list shares with the story, 0 while the
    list is short (any story sharing anything may enter it)."""
    this, person_and_org = corpus["this"], corpus["person_and_org"]
    rerank([this.pk, person_and_org.pk])
    this.refresh_from_db()
    assert len(this.related_ids) == 5
    assert this.related_floor == list(related_articles(this))[-1].relatedness == 1
    person_and_org.refresh_from_db()
    assert len(person_and_org.related_ids) < 5 and person_and_org.related_floor == 0


def test_a_neighbour_s_list_is_ranked_again_only_if_the_story_may_enter_or_leave_it(corpus):
    """A story readers see enters a neighbour's list only sharing at least its
    floor; one that left leaves only the lists holding it; a list never ranked
    is left to its page."""
    this, same_event = corpus["this"], corpus["same_event"]

    def stale(floor: int, held: list[int]) -> None:  # a list the ranking would not give
        Article.objects.filter(pk=same_event.pk).update(related_ids=held, related_floor=floor)

    stale(floor=9, held=[])  # ``this`` shares 8 with it: too little to enter
    rerank([this.pk])
    assert stored(same_event) == []
    stale(floor=8, held=[])  # as much as its last: it may enter
    rerank([this.pk])
    assert stored(same_event) == [a.pk for a in related_articles(same_event)]
    assert this.pk in stored(same_event)

    Article.objects.filter(pk=this.pk).update(status=Article.Status.ARCHIVED)
    stale(floor=0, held=[corpus["nothing_shared"].pk])  # it never held ``this``: left as it is
    rerank([this.pk])
    assert stored(same_event) == [corpus["nothing_shared"].pk]
    stale(floor=0, held=[this.pk])  # it held it: ranked again, without it
    rerank([this.pk])
    assert stored(same_event) == [a.pk for a in related_articles(same_event)]
    assert this.pk not in stored(same_event)
    assert stored(this) is None

    Article.objects.filter(pk=this.pk).update(status=Article.Status.PUBLISHED)
    Article.objects.filter(pk=same_event.pk).update(related_ids=None, related_floor=None)
    rerank([this.pk])
    assert stored(same_event) is None  # its page ranks for itself
