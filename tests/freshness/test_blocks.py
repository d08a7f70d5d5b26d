"""Pieces of readers' pages kept by what they show (articles/freshness/pieces.py), and the
story page's text and links kept that way."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.freshness import edge, pieces, store
from articles.models import Article, Correction, Organization
from tests.factories import ArticleFactory
from tests.seed import STORY_001


@pytest.fixture
def content_cache(settings):
    settings.CONTENT_CACHE = True
    settings.PAGE_CACHE_SECONDS = 0  # pieces are kept with whole pages off


def test_a_piece_is_kept_until_a_key_it_shows_is_purged(content_cache):
    made = []

    def make() -> str:
        made.append(1)
        edge.show("thing-1", "thing-2")
        return f"piece {len(made)}"

    with edge.recording() as first:
        assert pieces.kept("p", make) == "piece 1"
    with edge.recording() as again:
        assert pieces.kept("p", make) == "piece 1"
    assert again == first == {"thing-1", "thing-2"}  # the page showing it is purged by them
    with edge.recording():
        store.purge({"thing-3"})
        assert pieces.kept("p", make) == "piece 1"
        store.purge({"thing-2"})
        assert pieces.kept("p", make) == "piece 2"
        assert pieces.kept("p", make) == "piece 2"
        assert pieces.kept("other", make) == "piece 3"  # another name, another piece


def test_several_pieces_are_read_together_and_made_alone(content_cache):
    made = []

    def make(n: int):
        def piece() -> str:
            made.append(n)
            edge.show(f"thing-{n}")
            return f"piece {n}.{made.count(n)}"

        return piece

    with edge.recording():
        names = {f"n{n}": make(n) for n in (1, 2, 3)}
        assert list(pieces.kept_many(names).values()) == ["piece 1.1", "piece 2.1", "piece 3.1"]
        store.purge({"thing-2"})
        assert list(pieces.kept_many(names).values()) == ["piece 1.1", "piece 2.2", "piece 3.1"]
    assert made == [1, 2, 3, 2]


def test_a_piece_purged_while_it_was_made_or_naming_nothing_is_not_kept(content_cache):
    made = []

    def racing() -> int:
        made.append(1)
        edge.show("thing-1")
        store.purge({"thing-1"})  # an editor's save while it renders
        return len(made)

    with edge.recording():
        assert pieces.kept("racing", racing) == 1
        assert pieces.kept("racing", racing) == 2
        assert pieces.kept("nothing", lambda: len(made)) == 2
        made.append(1)
        assert pieces.kept("nothing", lambda: len(made)) == 3  # nothing could ever purge it


def test_nothing_is_kept_without_the_content_cache_nor_for_staff(settings):
    made = []

    def make() -> int:
        made.append(1)
        edge.show("thing-1")
        return len(made)

    settings.CONTENT_CACHE = True
    assert [pieces.kept("p", make) for _ in range(2)] == [1, 2]  # not a reader's page
    settings.CONTENT_CACHE = False
    with edge.recording():
        assert [pieces.kept("p", make) for _ in range(2)] == [3, 4]


def _links_read(queries) -> list[str]:
    # Not read for related news, which a save elsewhere has the page rank again.
    tables = ("articles_byline", "articles_correction")
    return [q["sql"] for q in queries if any(table in q["sql"] for table in tables)]


def test_a_story_page_keeps_its_text_until_what_it_shows_changes(
    client, seed, content_cache, settings
):
    settings.EDGE_CACHE_URL = "http://127.0.0.1:9/"  # with an edge, a page names what it shows
    first = client.get(STORY_001)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(STORY_001)
    assert again.content == first.content
    assert again["xkey"] == first["xkey"] and "organization-" in first["xkey"]
    assert not _links_read(queries)  # the text and links came kept
    assert len(queries) <= 3

    # A thing the story names is renamed: its page shows the new name at once.
    org = Organization.objects.get(slug="spacex")
    org.name = "SpaceX (Space Exploration Technologies)"
    org.save()
    assert "SpaceX (Space Exploration Technologies)" in client.get(STORY_001).content.decode()

    # Another story saved: the text stays kept.
    ArticleFactory(status=Article.Status.PUBLISHED)
    with CaptureQueriesContext(connection) as queries:
        client.get(STORY_001)
    assert not _links_read(queries)

    # A correction on the story: shown on the next request.
    story = Article.objects.get(slug=STORY_001.strip("/").split("/")[-1])
    Correction.objects.create(article=story, note="Sửa tên người dự họp.")
    assert "Sửa tên người dự họp." in client.get(STORY_001).content.decode()
    # A change that sends no signal: readers keep the text until the next one,
    # staff see the database as it is.
    Article.objects.filter(pk=story.pk).update(sapo="Sửa thẳng trong cơ sở dữ liệu")
    assert "Sửa thẳng" not in client.get(STORY_001).content.decode()
    client.force_login(User.objects.create_user("bientap", is_staff=True))
    assert "Sửa thẳng" in client.get(STORY_001).content.decode()
    client.logout()
    # The story unpublished: gone, whatever is kept.
    story.status = Article.Status.DRAFT
    story.save()
    assert client.get(STORY_001).status_code == 404


def test_with_its_text_kept_a_story_page_reads_a_light_row_and_still_asks_the_database(
    client, seed, content_cache
):
    slug = STORY_001.strip("/").split("/")[-1]
    story = Article.objects.get(slug=slug)
    first = client.get(STORY_001).content.decode()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(STORY_001).content.decode() == first
    assert len(queries) == 1
    assert '"body"' not in queries[0]["sql"] and "articles_section" not in queries[0]["sql"]

    # Unpublished without a signal (no purge): the kept text is not shown.
    Article.objects.filter(pk=story.pk).update(status=Article.Status.DRAFT)
    assert client.get(STORY_001).status_code == 404
    Article.objects.filter(pk=story.pk).update(status=Article.Status.PUBLISHED)
    assert client.get(STORY_001).content.decode() == first

    # Another story at this address since, without a signal: its own text, not the kept one.
    other = ArticleFactory(status=Article.Status.PUBLISHED, language=story.language)
    Article.objects.filter(pk=story.pk).update(slug=f"{slug}-cu")
    Article.objects.filter(pk=other.pk).update(slug=slug)
    page = client.get(STORY_001).content.decode()
    assert other.headline in page and story.headline not in page


def test_the_menu_and_footer_are_kept_until_a_section_changes(client, seed, content_cache):
    from articles.models import Section

    page = client.get("/tin-moi/").content.decode()
    section = Section.objects.get(slug="kinh-te")
    assert page.count(f">{section.name}</a>") == 4  # the menu, the footer, two teasers
    assert client.get("/tin-moi/").content.decode() == page
    section.name = "Kinh tế – Tài chính"
    section.save()
    page = client.get("/tin-moi/").content.decode()
    assert page.count(">Kinh tế – Tài chính</a>") == 4 and ">Kinh tế</a>" not in page


def test_a_kept_part_must_be_named():
    from django.template import Template, TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError, match="the part's name"):
        Template("{% load newsroom %}{% keep %}x{% endkeep %}")


def test_a_filter_list_is_kept_by_what_it_shows(client, seed, content_cache):
    url = "/tin-moi/?organization=spacex"
    page = client.get(url).content.decode()
    assert '<option value="spacex" selected>SpaceX</option>' in page
    assert client.get(url).content.decode() == page
    other = client.get("/tin-moi/?organization=google").content.decode()
    assert '<option value="google" selected>' in other and 'value="spacex" selected' not in other
    org = Organization.objects.get(slug="spacex")
    org.name = "SpaceX Corp"
    org.save()
    page = client.get(url).content.decode()
    assert '<option value="spacex" selected>SpaceX Corp</option>' in page


def test_a_story_asked_for_at_an_odd_address_shares_its_own(client, seed, content_cache):
    odd = client.get(STORY_001 + "?page=3").content.decode()
    plain = client.get(STORY_001).content.decode()
    share = "sharer.php?u=http%3A%2F%2Ftestserver" + STORY_001.replace("/", "%2F") + '"'
    assert share in odd and share in plain


def test_a_filter_value_in_error_is_not_kept(client, seed, content_cache, monkeypatch):
    names = []
    keeping = pieces.kept_many

    def recording(pieces, **kwargs):
        names.extend(pieces)
        return keeping(pieces, **kwargs)

    monkeypatch.setattr(pieces, "kept_many", recording)
    response = client.get("/tin-moi/?organization=khong-co-that")
    assert "khong-co-that" in response.content.decode()  # shown back, with its error
    assert any(name.startswith("widget:") for name in names)  # the other lists are kept
    assert not [name for name in names if "khong-co-that" in name]


def test_the_tracker_keeps_each_outcome_card_until_what_it_shows_changes(
    client, seed, content_cache
):
    from articles.freshness import surrogates
    from articles.models import Outcome

    outcome = Outcome.objects.public().first()
    assert outcome.description in client.get("/cam-ket/").content.decode()
    Outcome.objects.filter(pk=outcome.pk).update(description="Đã sửa, chưa ai báo")
    assert outcome.description in client.get("/cam-ket/").content.decode()  # kept
    store.purge({surrogates.COMMITMENTS})  # a story reporting one went live, say
    assert "Đã sửa, chưa ai báo" in client.get("/cam-ket/").content.decode()
    outcome.refresh_from_db()
    outcome.description = "Sửa qua bàn biên tập"
    outcome.save()  # purges its own key
    for page in ("/cam-ket/", outcome.event.get_absolute_url()):
        assert "Sửa qua bàn biên tập" in client.get(page).content.decode(), page
    story = ArticleFactory(headline="Bài mới đưa tin cam kết")
    outcome.reported_by.add(story)
    assert "Bài mới đưa tin cam kết" in client.get("/cam-ket/").content.decode()
