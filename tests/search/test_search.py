"""Search: Vietnamese with or without diacritics, any case, ranked, highlighted,
combined with the filters, on SQLite and PostgreSQL alike."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import search
from articles.models import Article, Organization
from articles.search import fold, highlight, terms
from tests.factories import ArticleFactory
from tests.seed import STORY_000, STORY_001

pytestmark = pytest.mark.django_db
BOTH = {STORY_000, STORY_001}


def found(client, query, **filters):
    response = client.get("/tim-kiem/", {"q": query, **filters})
    assert response.status_code == 200
    return [a.get_absolute_url() for a in response.context["article_list"]]


def test_fold_is_vietnamese_aware_and_keeps_positions():
    assert fold("Đường Hoa Kỳ, NGUYỄN Hồng Diên") == "duong hoa ky, nguyen hong dien"
    decomposed = "Nguye\u0302\u0303n"  # NFD, as some keyboards send it
    assert fold(decomposed) == "nguyen"
    text = "Bộ trưởng Nguyễn Hồng Diên"
    assert len(fold(text)) == len(text)
    assert terms("  Hoa   Kỳ! ") == ["hoa", "ky"]


@pytest.mark.parametrize("query", ["hoa ky", "Hoa Kỳ", "HOA KY", "hoa kỳ", "HOA KỲ"])
def test_diacritics_and_case_do_not_matter(client, seed, query):
    assert set(found(client, query)) == BOTH


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nguyen hong dien", BOTH),  # a person's name
        ("lockheed", BOTH),  # an organization in both
        ("Space X", BOTH),  # an organization's other name
        ("pvgas", {STORY_000}),  # only 000 names PVGas
        ("minh thu", {STORY_000}),  # a byline
        ("starlink", BOTH),  # a tag and body text
        ("vệ tinh thế hệ mới", BOTH),  # body text
        ("22 triệu người dân", {STORY_001}),  # only in 001's body
        ("zyxwv quixotic", set()),
    ],
)
def test_finds_by_names_other_names_bylines_and_text(client, seed, query, expected):
    assert set(found(client, query)) == expected


def test_d_with_stroke_folds_both_ways(client, db):
    road = ArticleFactory(headline="Đường sắt tốc độ cao")
    assert found(client, "đường") == [road.get_absolute_url()]
    assert found(client, "duong") == [road.get_absolute_url()]
    assert found(client, "ĐƯỜNG SẮT") == [road.get_absolute_url()]


def test_exact_diacritics_rank_above_folded_matches(client, db):
    hour = datetime.timedelta(hours=1)
    exact = ArticleFactory(headline="Đường về quê", published_at=timezone.now() - 5 * hour)
    folded = ArticleFactory(headline="Dương về quê", published_at=timezone.now() - hour)
    assert found(client, "đường") == [exact.get_absolute_url(), folded.get_absolute_url()]
    assert found(client, "dương") == [folded.get_absolute_url(), exact.get_absolute_url()]
    # typed without marks, both match equally: the newer first
    assert found(client, "duong") == [folded.get_absolute_url(), exact.get_absolute_url()]


def test_headline_weighs_more_than_body(client, db):
    now = timezone.now()
    in_body = ArticleFactory(headline="Tin A", body="<p>Nói về điện gió.</p>", published_at=now)
    in_headline = ArticleFactory(
        headline="Điện gió ngoài khơi", published_at=now - datetime.timedelta(days=3)
    )
    assert found(client, "điện gió") == [in_headline.get_absolute_url(), in_body.get_absolute_url()]


def test_search_combines_with_filters(client, seed):
    assert found(client, "hoa ky", organization="pvgas") == [STORY_000]
    assert found(client, "hoa ky", date_after="2025-05-22") == []
    assert found(client, "hoa ky", organization="khong-co") == []


def test_unpublished_stories_are_never_found(client, db):
    ArticleFactory(headline="Bí mật điện gió", status=Article.Status.DRAFT)
    ArticleFactory(
        headline="Điện gió hẹn giờ", published_at=timezone.now() + datetime.timedelta(hours=1)
    )
    assert found(client, "điện gió") == []


@pytest.mark.parametrize(
    "written",
    [
        "Hai bên ký «Hợp tác chiến lược» về năng lượng",  # guillemets, as some outlets quote
        "Hai bên ký ‹Hợp tác chiến lược› về năng lượng",
        "Hai bên ký “Hợp tác chiến lược” – về năng lượng…",
        "Giá dưới 5 USD &lt;Hợp tác chiến lược&gt; về năng lượng",  # < and > in the text
    ],
)
@pytest.mark.parametrize("query", ["hop tac chien luoc", "Hợp tác chiến lược"])
def test_quoted_words_are_found_with_or_without_diacritics(client, written, query):
    """PostgreSQL's unaccent turns « » into << >>, which its parser read as a tag:
    the words inside were lost from the text folded without diacritics."""
    story = ArticleFactory(headline="Tin năng lượng", body=f"<p>{written}</p>")
    assert story.get_absolute_url() in found(client, query)


def test_the_index_follows_changes_to_named_things(client, seed):
    org = Organization.objects.get(slug="pvgas")
    org.aliases.create(name="Zêta Gaz")
    assert found(client, "zeta gaz") == [STORY_000]
    org.name = "PV GAS Renamed"
    org.save()
    assert found(client, "renamed") == [STORY_000]
    story = Article.objects.get(slug=STORY_001.split("/")[2])
    story.tags.add("Năng lượng sạch mới")
    assert STORY_001 in found(client, "nang luong sach moi")


def test_a_save_reads_the_names_in_one_query_whatever_the_story_names(seed):
    """The names a saved story is indexed by are those a batch reads (prefetched),
    in one query: the save read each named thing's other names in a query of its own."""
    story = Article.objects.get(slug=STORY_000.split("/")[2])
    batch = Article.objects.prefetch_related(*search.NAMED).get(pk=story.pk)
    assert len(batch.organizations.all()) > 2  # the seed story names several
    assert search.document(story, search.names_of(story)) == search.document(batch)
    with CaptureQueriesContext(connection) as queries:
        search.names_of(story)
    assert len(queries) == 1
    for number in range(5):
        Organization.objects.create(name=f"Tổ chức {number}", slug=f"to-chuc-{number}")
        story.organizations.add(Organization.objects.get(slug=f"to-chuc-{number}"))
    with CaptureQueriesContext(connection) as queries:
        search.index(story)
    # the names; the fields written and the words to the vocabulary (one statement on
    # PostgreSQL, two on SQLite)
    assert len(queries) == (2 if connection.vendor == "postgresql" else 3)
    assert "Tổ chức 4" in search.names_of(story)


def test_matched_words_are_highlighted_in_the_snippet(client, seed):
    html = client.get("/tim-kiem/", {"q": "hoa ky"}).content.decode()
    assert "<mark>Hoa Kỳ</mark>" in html and "<mark>Hoa</mark>" not in html  # one phrase, one mark
    assert highlight("Đường <b> về", "duong") == "<mark>Đường</mark> &lt;b&gt; về"
    assert highlight("Hoa, Kỳ và Hoa Kỳ", "hoa ky") == (
        "<mark>Hoa</mark>, <mark>Kỳ</mark> và <mark>Hoa Kỳ</mark>"  # a comma parts them
    )


def test_result_headlines_are_whole_and_snippets_around_the_match(client, seed):
    html = client.get("/tim-kiem/", {"q": "lanh dao"}).content.decode()
    headlines = re.findall(r"<h3><a [^>]+>(.*?)</a></h3>", html)
    assert (
        "Bộ trưởng Nguyễn Hồng Diên làm việc với <mark>lãnh đạo</mark> Excelerate Energy, "
        "Lockheed Martin, SpaceX và Google tại Hoa Kỳ"
    ) in headlines  # not cut from the front, however far in the words are
    long = "Mở đầu. " * 60 + "Điện gió ngoài khơi là trọng tâm. " + "Kết thúc. " * 60
    snippet = highlight(long, "dien gio")
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert "<mark>Điện gió</mark> ngoài khơi" in snippet and len(snippet) < 300


@pytest.mark.parametrize(
    "query", ["", "   ", "!!!", "'; DROP TABLE articles_article;--", "%", "_", "x" * 5000, "\x00"]
)
def test_odd_queries_never_fail(client, seed, query):
    response = client.get("/tim-kiem/", {"q": query})
    assert response.status_code == 200
    assert Article.objects.count() == 2


def test_search_box_is_in_every_page_header(client, seed):
    for url in ("/", STORY_000, "/to-chuc/spacex/"):
        assert 'role="search"' in client.get(url).content.decode()


@pytest.mark.parametrize("typed", ["lockhed martin", "excelrate", "spacexx", "Lockheed Martn"])
def test_a_mistyped_word_still_finds_results_on_either_database(client, seed, typed):
    """Trigrams over the vocabulary on PostgreSQL; on SQLite the vocabulary's words
    of the same first letters and about the same length, the nearest by difflib."""
    assert set(found(client, typed)) == BOTH


@pytest.mark.parametrize("typed", ["xqzwv", "lockhed xqzwv"])
def test_words_like_nothing_in_the_archive_find_nothing(client, seed, typed):
    assert found(client, typed) == []


def test_a_new_storys_words_are_in_the_vocabulary_at_once(client, db):
    ArticleFactory(headline="Tập đoàn Vingroup khởi công nhà máy")
    assert found(client, "vingrop") == found(client, "vingroup") != []


def test_filters_narrow_before_the_search_ranks(client, db, monkeypatch):
    """On PostgreSQL only the newest matches are ranked: a filter must narrow
    the archive first, or an old story in the filtered range would be lost."""
    monkeypatch.setattr(search, "CANDIDATES", 2)
    old = ArticleFactory(
        headline="Điện gió ngoài khơi năm 2020",
        published_at=timezone.make_aware(datetime.datetime(2020, 3, 1, 9)),
    )
    ArticleFactory.create_batch(3, headline="Điện gió hôm nay")
    response = client.get("/tim-kiem/?q=dien+gio&date_before=2020-12-31")
    assert [a.pk for a in response.context["article_list"]] == [old.pk]


# -- bounded whatever the archive


def test_a_common_word_ranks_only_the_newest_candidates(client, db, monkeypatch):
    """A two-letter fragment such as "ng" matches most of a Vietnamese archive:
    only the newest CANDIDATES matches are read and ranked (and the newest
    HEADLINE_CANDIDATES of those in headlines), on either database."""
    monkeypatch.setattr(search, "CANDIDATES", 4)
    monkeypatch.setattr(search, "HEADLINE_CANDIDATES", 2)
    stories = [
        ArticleFactory(
            headline=f"Người ngồi nghe {n}",
            published_at=timezone.now() - datetime.timedelta(hours=n + 1),
        )
        for n in range(10)
    ]
    query = "nguoi" if connection.vendor == "postgresql" else "ng"
    ranked = list(search.search(Article.objects.published(), query))
    assert {a.pk for a in ranked} == {s.pk for s in stories[:4]}


def test_a_long_query_is_cut_to_its_first_distinct_words():
    words = terms(" ".join(f"tu{n}" for n in range(40)) + " tu0 TU1")
    assert words == [f"tu{n}" for n in range(search.MAX_WORDS)]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the window is SQLite's scan")
def test_sqlite_reads_the_text_of_the_newest_stories_only(db, monkeypatch):
    monkeypatch.setattr(search, "SQLITE_WINDOW", 3)
    old = ArticleFactory(
        headline="Năng lượng năm 2020",
        body="<p>Điện gió.</p>",
        published_at=timezone.now() - datetime.timedelta(days=900),
    )
    ArticleFactory.create_batch(3, headline="Thời tiết hôm nay")
    assert not search.search(Article.objects.published(), "dien gio").exists()
    narrowed = Article.objects.published().filter(published_at__year=old.published_at.year)
    assert list(search.search(narrowed, "dien gio")) == [old]  # a filter brings it in reach


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the window is SQLite's scan")
def test_sqlite_reads_the_headlines_of_a_wider_window_only(db, monkeypatch):
    monkeypatch.setattr(search, "SQLITE_WINDOW", 1)
    monkeypatch.setattr(search, "SQLITE_HEADLINES", 3)
    old = ArticleFactory(
        headline="Điện gió năm 2020", published_at=timezone.now() - datetime.timedelta(days=900)
    )
    ArticleFactory.create_batch(2, headline="Thời tiết hôm nay")
    assert list(search.search(Article.objects.published(), "dien gio")) == [old]
    ArticleFactory(headline="Thời tiết ngày mai")
    assert not search.search(Article.objects.published(), "dien gio").exists()


@pytest.mark.postgres(reason="trigram matching is PostgreSQL's")
def test_a_typo_is_looked_up_in_the_vocabulary_not_in_every_text(client, db):
    story = ArticleFactory(headline="Tàu ngầm Zyxwvuts hạ thuỷ", body="<p>Kapitelmosaik.</p>")
    ArticleFactory.create_batch(5)
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert [
            a.pk for a in search.search(Article.objects.published(), "zyxwvut kapitelmosaic")
        ] == [story.pk]
    sql = "\n".join(q["sql"] for q in queries)
    assert search.WORDS_TABLE in sql
    assert "word_similarity" not in sql and "%>" not in sql  # no trigrams over stories' text
    assert not search.search(Article.objects.published(), "qqqqqqqq").exists()


def test_a_headline_holding_every_word_is_found_however_old(client, db, monkeypatch):
    """Only the newest CANDIDATES body matches are ranked, but a story whose
    headline holds every word typed is a candidate wherever it is in the
    archive, and ranks above the stories that only mention the words."""
    monkeypatch.setattr(search, "CANDIDATES", 3)
    old = ArticleFactory(
        headline="Việt Nam và Hoa Kỳ thúc đẩy hợp tác chiến lược",
        published_at=timezone.now() - datetime.timedelta(days=900),
    )
    mentions = [
        ArticleFactory(
            headline=f"Đoàn doanh nghiệp lên đường {n}",
            body="<p>Đoàn sẽ làm việc tại Hoa Kỳ trong tuần tới.</p>",
            published_at=timezone.now() - datetime.timedelta(hours=n + 1),
        )
        for n in range(6)
    ]
    ranked = found(client, "hoa ky")
    assert ranked[0] == old.get_absolute_url()
    assert ranked[1:] == [story.get_absolute_url() for story in mentions[:3]]
    assert found(client, "Hoa Kỳ hợp tác")[0] == old.get_absolute_url()
    # A headline with only some of the words is not a headline match.
    assert old.get_absolute_url() not in found(client, "hoa ky doan")


def test_a_headline_search_costs_the_same_queries_however_large_the_archive(client, db):
    ArticleFactory(headline="Hoa Kỳ và Việt Nam")
    with CaptureQueriesContext(connection) as small:
        found(client, "hoa ky")
    ArticleFactory.create_batch(8, headline="Hoa Kỳ hôm nay", body="<p>Hoa Kỳ.</p>")
    with CaptureQueriesContext(connection) as large:
        found(client, "hoa ky")
    assert len(large) == len(small)


@pytest.mark.postgres(reason="the headline index is PostgreSQL's")
def test_words_in_too_many_headlines_tell_no_story_apart(db, monkeypatch):
    """Words in more than HEADLINE_PROBE headlines bring no candidates by headline
    (the newest matches rank alone): finding that out reads one more headline
    than the probe, never all of them."""
    monkeypatch.setattr(search, "HEADLINE_PROBE", 3)
    monkeypatch.setattr(search, "CANDIDATES", 2)
    days = [ArticleFactory(headline=f"Năng lượng sạch {n}",
                           published_at=timezone.now() - datetime.timedelta(days=n + 1))
            for n in range(3)]  # fmt: skip
    query = search.search(Article.objects.published(), "nang luong")
    assert [a.pk for a in query] == [s.pk for s in days]  # 3 headlines: each a candidate
    ArticleFactory(headline="Năng lượng gió", published_at=timezone.now())
    with CaptureQueriesContext(connection) as probed:
        ranked = [a.pk for a in search.search(Article.objects.published(), "nang luong")]
    assert len(ranked) == 2  # 4 headlines: only the newest matches, as many as CANDIDATES
    (probe,) = [q["sql"] for q in probed.captured_queries if "ts_filter" in q["sql"]
                and "LIMIT 4" in q["sql"]]  # fmt: skip
    assert "ORDER BY" not in probe  # stops at the fourth, in no order: no sort of every match


@pytest.mark.postgres(reason="a planner's setting")
def test_a_probe_is_planned_through_the_index_whatever_the_statistics(db):
    """``read_through_indexes`` turns sequential scans off for its block only,
    in the request's transaction or one of its own, and counts no query."""
    from django.db import transaction

    from articles.models.bounded import read_through_indexes

    def seqscan() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_seqscan")
            return cursor.fetchone()[0]

    for outer in (transaction.atomic, __import__("contextlib").nullcontext):
        with outer(), CaptureQueriesContext(connection) as counted:
            with read_through_indexes("default"):
                assert seqscan() == "off"
            assert seqscan() == "on"
        assert len(counted) == 2  # the two SHOWs: nothing else, no savepoint
