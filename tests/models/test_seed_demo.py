"""The synthetic archive for load tests: adds stories with everything they
link to, indexes them for search, and never touches existing stories."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from articles import search
from articles.models import Article, Byline, Event, TaggedArticle
from articles.search import tsvector

pytestmark = pytest.mark.django_db


def test_adds_a_linked_searchable_archive_and_leaves_the_seeds_alone(seed, client):
    before = {a.slug: (a.headline, a.body, a.updated_at) for a in Article.objects.all()}
    out = StringIO()
    call_command("seed_demo", stories=120, seed=7, batch_size=50, stdout=out)
    assert "Added 120 stories, indexed for search" in out.getvalue()
    assert Article.objects.count() == 122
    assert {
        a.slug: (a.headline, a.body, a.updated_at) for a in Article.objects.filter(slug__in=before)
    } == before

    new = Article.objects.exclude(slug__in=before)
    assert new.filter(status=Article.Status.PUBLISHED).count() > 100
    statuses = set(new.values_list("status", flat=True))
    assert "published" in statuses and statuses - {"published"}  # some not for readers
    assert not Byline.objects.filter(article__in=new).values("article").distinct().count() < 120
    assert TaggedArticle.objects.filter(content_object__in=new).count() >= 240
    assert Event.objects.filter(kind=Event.Kind.BILATERAL_MEETING, parent__isnull=False).exists()
    assert all(a.search_text for a in new)

    story = new.filter(status=Article.Status.PUBLISHED).order_by("pk").first()
    word = story.headline.split()[0]
    assert story in search.search(Article.objects.published(), word)
    assert client.get(story.get_absolute_url()).status_code == 200
    author = story.authors.first()
    assert story in search.search(Article.objects.published(), author.name)


def test_search_fields_written_with_the_stories_are_what_indexing_writes(db):
    """seed_demo writes each story's search fields in its INSERT, from what it
    drew for it; indexing the stories again from the database changes nothing."""
    call_command("seed_demo", stories=60, seed=3, stdout=StringIO())
    fields = ["pk", "search_text"]
    if connection.vendor == "postgresql":
        fields.append("search_vector")
    written = list(Article.objects.order_by("pk").values_list(*fields))
    assert all(row[1] for row in written)
    search.index_many(Article.objects.all())
    assert list(Article.objects.order_by("pk").values_list(*fields)) == written


def test_runs_again_without_clashing(db):
    call_command("seed_demo", stories=20, stdout=StringIO())
    call_command("seed_demo", stories=20, stdout=StringIO())
    assert Article.objects.count() == 40


@pytest.mark.django_db(transaction=True)
def test_parallel_processes_load_the_same_archive_as_one(db):
    """On PostgreSQL, batches load in processes of their own; what each batch
    holds depends on the seed and the batch, not on which process drew it."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite loads in one process")

    def load(jobs: int) -> list[tuple]:
        Article.objects.all().delete()
        out = StringIO()
        call_command("seed_demo", stories=90, seed=5, batch_size=20, jobs=jobs, stdout=out)
        assert "Added 90 stories" in out.getvalue()
        return sorted(Article.objects.values_list("headline", "status", "body"))

    alone = load(1)
    assert len(alone) == 90
    assert load(2) == alone
    assert Article.objects.exclude(search_text="").count() == 90
    assert Article.objects.filter(search_vector__isnull=True).count() == 0


def test_a_load_leaves_the_connection_as_it_found_it(db):
    """The load's own settings (foreign keys unchecked where allowed, commits not
    waiting for the disk) end with it: what follows is checked as ever."""
    if connection.vendor != "postgresql":
        pytest.skip("the settings are PostgreSQL's")
    names = ["session_replication_role", "synchronous_commit", "gin_pending_list_limit"]

    def settings():
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(["current_setting(%s)"] * 3), names)
            return cursor.fetchone()

    before = settings()
    assert before[0] == "origin"
    call_command("seed_demo", stories=10, stdout=StringIO())
    assert settings() == before
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO articles_byline (article_id, author_id, position) "
                       "VALUES (-1, -1, 0)")  # fmt: skip
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_a_role_that_may_not_skip_key_checks_loads_with_them(db):
    """A database role that may not set ``session_replication_role`` loads the
    same archive, every key checked."""
    if connection.vendor != "postgresql":
        pytest.skip("the settings are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE toasoan_test_loader NOLOGIN")  # rolled back with the test
        for what in ("TABLES", "SEQUENCES"):
            cursor.execute(f"GRANT ALL ON ALL {what} IN SCHEMA public TO toasoan_test_loader")
        cursor.execute("SET ROLE toasoan_test_loader")
        try:
            call_command("seed_demo", stories=12, stdout=StringIO())
            cursor.execute("SELECT current_setting('session_replication_role')")
            assert cursor.fetchone()[0] == "origin"
        finally:
            cursor.execute("RESET ROLE")
    assert Article.objects.count() == 12
    assert Article.objects.filter(search_vector__isnull=True).count() == 0


def test_stories_whose_vector_the_database_builds_are_indexed_with_their_links(db, monkeypatch):
    """Where Python does not build a story's vector, the story is indexed once
    its links are written, so that its vector names its tags and people too."""
    if connection.vendor != "postgresql":
        pytest.skip("the vectors are PostgreSQL's")
    monkeypatch.setattr(tsvector, "literals_agree", lambda: False)
    call_command("seed_demo", stories=30, seed=3, stdout=StringIO())
    written = list(Article.objects.order_by("pk").values_list("pk", "search_vector"))
    assert len(written) == 30 and all(vector for _, vector in written)
    search.index_many(Article.objects.all())
    assert list(Article.objects.order_by("pk").values_list("pk", "search_vector")) == written


def test_most_stories_lead_with_a_drawn_picture_marked_as_an_illustration(seed):
    """Pictures the command draws itself (no download), put in the library once
    and lent to most synthetic stories, their crops made; the seed stories keep
    what their sources gave them (no invented picture)."""
    from articles.management.commands.seed_demo import ILLUSTRATION_CREDIT, ILLUSTRATIONS
    from articles.models import Picture

    before = {a.pk: a.image.name for a in Article.objects.all()}
    call_command("seed_demo", stories=50, seed=9, stdout=StringIO())
    drawn = Picture.objects.filter(credit=ILLUSTRATION_CREDIT)
    assert drawn.count() == ILLUSTRATIONS and all(p.has_renditions for p in drawn)
    new = Article.objects.exclude(pk__in=before)
    leading = new.exclude(lead_picture=None)
    assert 0.6 * 50 <= leading.count() < 50
    story = leading.first()
    assert story.image_credit == ILLUSTRATION_CREDIT and story.teaser_picture
    assert {a.pk: a.image.name for a in Article.objects.filter(pk__in=before)} == before
    call_command("seed_demo", stories=5, seed=10, stdout=StringIO())
    assert drawn.count() == ILLUSTRATIONS  # drawn once
