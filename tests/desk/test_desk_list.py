"""The story list's filters (articles/admin/desk_list.py) and order at archive
scale: each reads an index or a small table, never the whole archive."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from tests.factories import ArticleFactory, AuthorFactory

LIST = "/admin/articles/article/"


def headlines(response) -> list[str]:
    assert response.status_code == 200
    return [story.headline for story in response.context["cl"].result_list]


def at(year: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, 6, 1, 9, 0))


@pytest.mark.django_db
def test_the_year_filter_offers_each_year_of_the_archive_and_narrows_to_one(desk):
    ArticleFactory(headline="Tin 2019", published_at=at(2019))
    ArticleFactory(headline="Tin 2022", published_at=at(2022))
    changelist = desk.get(LIST).context["cl"]
    (spec,) = [spec for spec in changelist.filter_specs if spec.title == "năm xuất bản"]
    years = [choice["display"] for choice in spec.choices(changelist)]
    assert years[1:] == ["2022", "2021", "2020", "2019"]  # after "all"
    assert headlines(desk.get(LIST, {"nam": "2019"})) == ["Tin 2019"]
    assert headlines(desk.get(LIST, {"nam": "2020"})) == []


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["x", "-1", "0", "1", "9999", "2019' OR 1=1", "9" * 40, "²"])
def test_a_strange_year_is_no_filter_and_no_error(desk, value):
    ArticleFactory(headline="Tin", published_at=at(2019))
    assert desk.get(LIST, {"nam": value}).status_code == 200


@pytest.mark.django_db
def test_the_author_filter_lists_authors_and_narrows_to_one(desk):
    mai = AuthorFactory(name="Trần Thị Mai")
    AuthorFactory(name="Lê Văn Nam")
    ArticleFactory(headline="Bài của Mai", authors=[mai])
    ArticleFactory(headline="Bài khác")
    page = desk.get(LIST).content.decode()
    assert "Trần Thị Mai" in page and "Lê Văn Nam" in page
    assert headlines(desk.get(LIST, {"bylines__author__id__exact": mai.pk})) == ["Bài của Mai"]


@pytest.mark.django_db
def test_the_author_filter_is_one_list_to_choose_from_keeping_the_other_filters(desk):
    """Hundreds of authors in ten years: a list and a button, not a link each."""
    mai = AuthorFactory(name="Trần Thị Mai")
    AuthorFactory(name="Lê Văn Nam")
    ArticleFactory(headline="Bài của Mai", authors=[mai], status="published")
    params = {"status__exact": "published", "q": '"><script>', "bylines__author__id__exact": mai.pk}
    page = desk.get(LIST, {**params, "p": "1"}).content.decode()
    form = page[page.index('<form method="get" class="choose-filter">') :]
    form = form[: form.index("</form>")]
    assert '<input type="hidden" name="status__exact" value="published">' in form
    assert '<input type="hidden" name="q" value="&quot;&gt;&lt;script&gt;">' in form
    assert 'name="p"' not in form and form.count('name="bylines__author__id__exact"') == 1
    assert f'<option value="{mai.pk}" selected>Trần Thị Mai</option>' in form
    assert "Lê Văn Nam</option>" in form and "<a href" not in form


@pytest.mark.django_db
def test_the_list_reads_stories_in_an_index_s_order(desk):
    """Newest first, then by number, as the admin orders it: an index holds that
    order, so a page of the list does not sort the archive (PostgreSQL's plan)."""
    old = ArticleFactory(headline="Cũ", published_at=at(2019))
    new = ArticleFactory(headline="Mới", published_at=at(2024))
    assert headlines(desk.get(LIST)) == [new.headline, old.headline]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # a table this small is read whole anyway
        cursor.execute(
            "EXPLAIN SELECT id FROM articles_article "
            "ORDER BY published_at DESC NULLS LAST, created_at DESC, id DESC LIMIT 100"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    assert "article_desk_order" in plan and "Sort" not in plan, plan


# -- paging without counting the archive (ArchivePaginator)


def list_queries(desk, params=None) -> tuple[object, list[str]]:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = desk.get(LIST, params or {})
    return response, [q["sql"] for q in captured.captured_queries]


@pytest.mark.django_db
def test_a_small_list_is_counted_exactly_and_every_page_is_its_own(desk, monkeypatch):
    from articles.admin.desk_list import ArchivePaginator
    from articles.admin.stories import ArticleAdmin

    monkeypatch.setattr(ArticleAdmin, "list_per_page", 2)
    stories = [ArticleFactory(headline=f"Tin {n}", published_at=at(2000 + n)) for n in range(5)]
    response, queries = list_queries(desk, {"p": "2"})
    cl = response.context["cl"]
    assert isinstance(cl.paginator, ArchivePaginator) and not cl.paginator.estimated
    assert cl.result_count == 5 and "khoảng" not in response.text
    assert headlines(response) == ["Tin 2", "Tin 1"]
    # counted once (on PostgreSQL with a limit); no second count (full_result_count)
    counts = [sql for sql in queries if "COUNT(" in sql.upper() and "articles_article" in sql]
    assert len(counts) == 1
    assert "LIMIT" in counts[0].upper() or connection.vendor != "postgresql"
    assert headlines(desk.get(LIST, {"p": "3"})) == ["Tin 0"]
    pages = [headlines(desk.get(LIST, {"p": str(p)})) for p in (1, 2, 3)]
    assert [h for page in pages for h in page] == [s.headline for s in reversed(stories)]
    assert desk.get(LIST, {"p": "9"}).status_code == 302  # past the end: the admin's ?e=1


@pytest.mark.django_db
def test_past_the_exact_count_postgresql_s_estimate_is_shown_as_one(desk, monkeypatch):
    from articles.admin.desk_list import ArchivePaginator

    monkeypatch.setattr(ArchivePaginator, "EXACT", 3)
    for n in range(6):
        ArticleFactory(headline=f"Tin {n}", published_at=at(2000 + n), status="published")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE articles_article")
    for params in ({}, {"status__exact": "published"}):
        response = desk.get(LIST, params)
        cl = response.context["cl"]
        if connection.vendor != "postgresql":  # the embedded default counts: a small archive
            assert (cl.paginator.estimated, cl.result_count) == (False, 6)
            continue
        assert cl.paginator.estimated and cl.result_count >= 4
        assert f"khoảng {cl.result_count}" in response.text
        assert len(headlines(response)) == 6


@pytest.mark.django_db
def test_a_list_page_runs_the_same_queries_however_long_the_list(desk, monkeypatch):
    """Counted exactly or estimated, the page asks the same number of queries:
    the desk's budget holds them equal at every archive size."""
    from articles.admin.desk_list import ArchivePaginator

    monkeypatch.setattr(ArchivePaginator, "EXACT", 3)
    ArticleFactory.create_batch(2, status="published")
    short = len(list_queries(desk, {})[1])
    ArticleFactory.create_batch(6, status="published")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE articles_article")
    assert len(list_queries(desk, {})[1]) == short


@pytest.mark.django_db
def test_a_search_of_the_list_searches_once_a_page(desk):
    """The matches are read once and the page's count, keys and rows then read
    them by id: a common word at a million stories was searched three times."""
    for n in range(3):
        ArticleFactory(headline=f"Năng lượng sạch {n}", sapo="Điện gió và điện mặt trời.")
    ArticleFactory(headline="Giá vàng", sapo="Không liên quan.")
    response, queries = list_queries(desk, {"q": "nang luong"})
    assert sorted(headlines(response)) == [f"Năng lượng sạch {n}" for n in range(3)]
    searching = [sql for sql in queries if "nang" in sql.lower()]  # the words searched for
    # as a slug; whether anything matches word for word; how many headlines hold
    # the words (PostgreSQL), the matches
    assert len(searching) <= 4
