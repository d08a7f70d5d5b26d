"""No lost data: deleting what stories name is refused while they
name it; the archive survives a dumpdata/loaddata round trip exactly;
migrations apply and reverse on this database."""

import pytest
import reversion
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import ProtectedError
from reversion.models import Version

from articles.models import Article, Author, Event, Organization, Person
from tests.browser_form import post_form
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    EventFactory,
    OrganizationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db
ADMIN = f"/{settings.ADMIN_URL}articles"


@pytest.fixture
def superuser(client):
    user = User.objects.create_superuser("quantri", password="x")
    client.force_login(user)
    return user


@pytest.mark.parametrize("name", ["organization", "person", "event"])
def test_what_a_story_names_cannot_be_deleted_until_unlinked(client, seed, superuser, name):
    story = Article.objects.get(slug__startswith="viet-nam-va-hoa-ky")
    thing = getattr(story, {"organization": "organizations", "person": "people",
                            "event": "events"}[name]).first()  # fmt: skip
    links = set(Article.objects.naming(thing))
    with pytest.raises(ProtectedError):
        thing.delete()
    assert set(Article.objects.naming(thing)) == links

    page = client.get(f"{ADMIN}/{name}/{thing.pk}/delete/")
    assert page.status_code == 200 and story.headline in page.content.decode()
    assert page.context["protected"]
    client.post(f"{ADMIN}/{name}/{thing.pk}/delete/", {"post": "yes"})
    assert type(thing).objects.filter(pk=thing.pk).exists()
    assert set(Article.objects.naming(thing)) == links


def test_the_refusal_leaves_the_callers_transaction_usable(seed):
    """Refused before Django's delete opens its transaction, as PROTECT is: a
    caller that catches it inside its own transaction can carry on."""
    story = Article.objects.get(slug__startswith="viet-nam-va-hoa-ky")
    with transaction.atomic():
        with pytest.raises(ProtectedError) as refused:
            story.organizations.first().delete()
        assert story in refused.value.protected_objects
        assert "unlink them first" in str(refused.value)
        Organization.objects.create(name="Tổ chức mới")  # the transaction still works
    assert Organization.objects.filter(name="Tổ chức mới").exists()


@pytest.mark.parametrize(
    "make",
    [OrganizationFactory, PersonFactory, EventFactory],
    ids=["organization", "person", "event"],
)
def test_a_bulk_deletion_is_refused_as_a_whole(seed, make):
    """The admin's "delete selected" action deletes a queryset: all or nothing."""
    spare = make()
    model = type(spare)
    before = model.objects.count()
    with pytest.raises(ProtectedError):
        model.objects.all().delete()
    assert model.objects.count() == before
    model.objects.filter(pk=spare.pk).delete()
    assert model.objects.count() == before - 1


def test_once_unlinked_it_can_be_deleted(db):
    event = EventFactory()
    story = ArticleFactory()
    story.events.add(event)
    story.events.remove(event)
    event.delete()
    assert not Event.objects.filter(pk=event.pk).exists()


def test_an_author_with_bylines_cannot_be_deleted(client, superuser):
    author = AuthorFactory()
    ArticleFactory(authors=[author])
    with pytest.raises(ProtectedError), transaction.atomic():
        author.delete()
    assert client.get(f"{ADMIN}/author/{author.pk}/delete/").context["protected"]


def links(story) -> tuple:
    return (
        set(story.organizations.all()), set(story.people.all()), set(story.events.all()),
        set(story.tags.names()), list(story.bylines.values_list("author__name", flat=True)),
    )  # fmt: skip


def save_in_admin(client, story, **changes) -> None:
    assert post_form(client, f"{ADMIN}/article/{story.pk}/change/", **changes).status_code == 302


def test_restoring_an_older_version_brings_back_its_tags_and_keeps_the_state_history(
    client, seed, superuser
):
    story = Article.objects.get(slug__startswith="viet-nam-va-hoa-ky")
    save_in_admin(client, story)
    older = Version.objects.get_for_object(story).get()
    save_in_admin(client, story, tags="thẻ mới, khác", move="archive")
    save_in_admin(client, story, move="publish")
    assert set(story.tags.names()) == {"thẻ mới", "khác"}
    history = list(story.state_changes.values_list("pk", flat=True))
    assert len(history) == 2

    restore = f"{ADMIN}/article/{story.pk}/history/{older.pk}/"
    assert post_form(client, restore).status_code == 302
    assert "LNG" in story.tags.names() and "thẻ mới" not in story.tags.names()
    assert set(history) <= set(story.state_changes.values_list("pk", flat=True))


def test_a_deleted_story_comes_back_whole_from_the_admins_recover_page(client, seed, superuser):
    story = Article.objects.get(slug__startswith="viet-nam-va-hoa-ky")
    save_in_admin(client, story)
    before = links(story)
    assert all(before)
    client.post(f"{ADMIN}/article/{story.pk}/delete/", {"post": "yes"})
    assert not Article.objects.filter(pk=story.pk).exists()

    deleted = Version.objects.get_deleted(Article).get()
    listing = client.get(f"{ADMIN}/article/recover/").content.decode()
    assert "Khôi phục bài viết đã xoá" in listing and "Choose a date" not in listing
    recover = f"{ADMIN}/article/recover/{deleted.pk}/"
    assert post_form(client, recover).status_code == 302
    assert links(Article.objects.get(pk=story.pk)) == before


def dump(path) -> str:
    """The dump's text. Django's serializer writes times to the millisecond: a time
    of the test's own under a millisecond past the second (``…:48.000123``) is
    written ``…:48.000Z`` and comes back ``…:48Z``, the same moment as written."""
    call_command(
        "dumpdata", "articles", "taggit", "reversion", "auth.group", "auth.user",
        natural_foreign=True, natural_primary=True, indent=1, output=str(path), verbosity=0,
    )  # fmt: skip
    return path.read_text().replace('.000Z"', 'Z"')


def test_dumpdata_and_loaddata_reproduce_the_archive(seed, tmp_path):
    """Stories, entities, events, tags and revisions, through a JSON file and an
    emptied database, come back the same."""
    story = Article.objects.first()
    with reversion.create_revision():
        story.headline += " (sửa)"
        story.save()
    before = dump(tmp_path / "archive.json")
    assert '"model": "reversion.version"' in before and '"model": "articles.event"' in before
    if connection.vendor == "postgresql":  # TRUNCATE waits for no deferred check
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    if connection.vendor == "postgresql":  # loaddata relies on deferred checks
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    assert not Article.objects.exists()
    call_command("loaddata", str(tmp_path / "archive.json"), verbosity=0)
    assert dump(tmp_path / "again.json") == before
    assert Organization.objects.count() and Person.objects.count() and Author.objects.count()


@pytest.fixture
def migrated_forward_after():
    """Every migration applied again after the test, whatever happened in it: a
    walk stopped half way down must not leave later tests a database without
    their columns."""
    yield
    call_command("migrate", verbosity=0)


@pytest.mark.slow
@pytest.mark.postgres(reason="a rollback is production's, on PostgreSQL (CI runs it there)")
@pytest.mark.django_db(transaction=True)
def test_migrations_reverse_and_apply_again_and_country_codes_become_countries_and_back(
    seed, migrated_forward_after
):
    """Every migration reverses and applies again (one walk down and up, the slowest
    test of the suite: on PostgreSQL, where a deploy is rolled back; SQLite is the
    demo's), and on the way migration 0011 turns the codes organizations and events
    held into the countries they link to, and its reverse gives them back."""
    from django.db.migrations.executor import MigrationExecutor

    def migrate_to(name: str):
        executor = MigrationExecutor(connection)
        executor.migrate([("articles", name)])
        return executor.loader.project_state([("articles", name)]).apps

    old = migrate_to("0010_former_slugs")
    Org = old.get_model("articles", "Organization")
    Org.objects.create(name="Toyota", slug="toyota", kind="company", country="JP")
    Org.objects.create(name="Chưa rõ nơi", slug="chua-ro-noi", kind="other", country="")
    assert Org.objects.get(slug="spacex").country == "US"

    new = migrate_to("0011_countries_and_commitments")
    Organization, Country = (new.get_model("articles", m) for m in ("Organization", "Country"))
    assert Organization.objects.get(slug="toyota").country.name == "Nhật Bản"
    assert Organization.objects.get(slug="spacex").country == Country.objects.get(code="US")
    assert Organization.objects.get(slug="chua-ro-noi").country is None

    Org = migrate_to("0010_former_slugs").get_model("articles", "Organization")
    assert dict(Org.objects.values_list("slug", "country"))["toyota"] == "JP"
    assert Org.objects.get(slug="chua-ro-noi").country == ""

    call_command("migrate", "articles", "zero", verbosity=0)
    assert "articles_article" not in connection.introspection.table_names()
    call_command("migrate", verbosity=0)
    assert "articles_article" in connection.introspection.table_names()
    call_command("loaddata", "seed", verbosity=0)
    assert Article.objects.published().count() == 2
