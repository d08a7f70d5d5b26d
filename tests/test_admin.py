import pytest
from django.contrib import admin
from django.urls import reverse

from articles.models import Article

pytestmark = pytest.mark.django_db


def test_every_model_of_the_app_is_in_the_admin():
    from django.apps import apps

    registered = set(admin.site._registry)
    wanted = {"Article", "Author", "Section", "Tag", "Organization", "Person", "Event"}
    assert wanted <= {m.__name__ for m in registered}
    for model in apps.get_app_config("articles").get_models():
        if model.__name__ in wanted:
            model_admin = admin.site._registry[model]
            assert model_admin.list_display != ("__str__",) and model_admin.search_fields


@pytest.mark.parametrize(
    "model", ["article", "author", "section", "tag", "organization", "person", "event"]
)
def test_changelists_load_and_search_in_vietnamese(admin_client, seed, model):
    url = reverse(f"admin:articles_{model}_changelist")
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url, {"q": "Nguyễn"}).status_code == 200


def test_article_change_form_loads(admin_client, seed):
    story = Article.objects.first()
    response = admin_client.get(reverse("admin:articles_article_change", args=[story.pk]))
    assert response.status_code == 200
    assert story.headline in response.content.decode()


def test_admin_speaks_vietnamese_unless_the_user_chooses_english(admin_client):
    page = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en-US,en")
    assert '<html lang="vi"' in page.content.decode()
    response = admin_client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    assert response.status_code == 302
    assert '<html lang="en"' in admin_client.get("/admin/").content.decode()
    assert "Recent actions" in admin_client.get("/admin/").content.decode()


def test_reporters_autocomplete_the_things_a_story_covers(client, seed):
    from django.contrib.auth.models import Group, User

    reporter = User.objects.create_user("pv", password="x", is_staff=True)
    reporter.groups.add(Group.objects.get(name="Phóng viên"))
    client.force_login(reporter)
    for field, term, expected in [
        ("organizations", "space", "SpaceX"),
        ("people", "Diên", "Nguyễn Hồng Diên"),
        ("events", "Google", "Bộ trưởng Nguyễn Hồng Diên làm việc với Google"),
        ("section", "kinh", "Kinh tế"),
    ]:
        response = client.get(
            "/admin/autocomplete/",
            {"app_label": "articles", "model_name": "article", "field_name": field, "term": term},
        )
        assert response.status_code == 200, field
        assert expected in [r["text"] for r in response.json()["results"]], field


def test_event_admin_edits_participants_outcomes_and_meetings(admin_client, seed):
    from articles.models import Event

    trip = Event.objects.get(kind=Event.Kind.WORKING_TRIP)
    html = admin_client.get(reverse("admin:articles_event_change", args=[trip.pk])).content.decode()
    for prefix in ("participants-TOTAL_FORMS", "outcomes-TOTAL_FORMS", "children-TOTAL_FORMS"):
        assert prefix in html
    assert "Bộ trưởng Nguyễn Hồng Diên làm việc với SpaceX" in html


def test_demo_users_are_made_once_with_their_roles(db):
    from io import StringIO

    from django.contrib.auth.models import User
    from django.core.management import call_command

    out = StringIO()
    call_command("demo_users", stdout=out)
    assert out.getvalue().count("password ") == 3
    assert User.objects.get(username="bientapvien").has_perm("articles.publish_article")
    assert not User.objects.get(username="phongvien").has_perm("articles.publish_article")
    again = StringIO()
    call_command("demo_users", stdout=again)
    assert "password set earlier" in again.getvalue() and User.objects.count() == 3
