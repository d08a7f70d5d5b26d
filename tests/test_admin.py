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
