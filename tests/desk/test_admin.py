import pytest
from django.contrib import admin
from django.urls import reverse

from articles.models import Article

pytestmark = pytest.mark.django_db


def test_every_model_of_the_app_is_in_the_admin():
    from django.apps import apps

    registered = set(admin.site._registry)
    wanted = {"Article", "Author", "Section", "Tag", "Country", "Organization", "Person", "Event"}
    assert wanted <= {m.__name__ for m in registered}
    for model in apps.get_app_config("articles").get_models():
        if model.__name__ in wanted:
            model_admin = admin.site._registry[model]
            assert model_admin.list_display != ("__str__",) and model_admin.search_fields


@pytest.mark.parametrize(
    "model", ["article", "author", "section", "tag", "country", "organization", "person", "event"]
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
        ("countries", "Mỹ", "Hoa Kỳ"),  # by another name
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


def figure_data(outcome) -> dict:
    """An outcome's figure as its form posts it, so that saving others keeps it."""
    data = {name: getattr(outcome, name) for name in outcome.FIGURE_FIELDS}
    data = {name: "" if value is None else value for name, value in data.items()}
    data["approximate"] = "on" if outcome.approximate else ""
    return data


def test_an_editor_records_an_outcome_with_its_parties_figure_and_stories(client, seed, editor):
    from articles.models import Country, Event, Organization, Outcome

    client.force_login(editor)
    meeting = Event.objects.get(slug="bo-truong-nguyen-hong-dien-lam-viec-voi-google")
    url = reverse("admin:articles_event_change", args=[meeting.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(
        title=meeting.title, kind=meeting.kind, start_date="2025-05-20", position=4,
        country=Country.objects.get(code="US").pk,
    )  # fmt: skip
    for prefix, rows in (("participants", meeting.participants.all()), ("children", [])):
        data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = len(rows)
        for i, row in enumerate(rows):
            data.update({
                f"{prefix}-{i}-id": row.pk, f"{prefix}-{i}-event": meeting.pk,
                f"{prefix}-{i}-side": row.side, f"{prefix}-{i}-position": row.position,
                f"{prefix}-{i}-person": row.person_id or "",
                f"{prefix}-{i}-organization": row.organization_id or "",
                f"{prefix}-{i}-country": row.country_id or "",
                f"{prefix}-{i}-title": row.title, f"{prefix}-{i}-role": row.role,
            })  # fmt: skip
    outcomes = list(meeting.outcomes.all())
    data["outcomes-TOTAL_FORMS"] = len(outcomes) + 1
    data["outcomes-INITIAL_FORMS"] = len(outcomes)
    for i, o in enumerate(outcomes):
        data.update({
            f"outcomes-{i}-id": o.pk, f"outcomes-{i}-event": meeting.pk,
            f"outcomes-{i}-position": o.position, f"outcomes-{i}-description": o.description,
            f"outcomes-{i}-kind": o.kind, f"outcomes-{i}-status": o.status,
            f"outcomes-{i}-stated_on": o.stated_on or "",
            f"outcomes-{i}-actor_country": o.actor_country_id or "",
            f"outcomes-{i}-actor_organization": o.actor_organization_id or "",
            f"outcomes-{i}-counterpart_country": o.counterpart_country_id or "",
            f"outcomes-{i}-counterpart_organization": o.counterpart_organization_id or "",
            **{f"outcomes-{i}-{name}": value for name, value in figure_data(o).items()},
        })  # fmt: skip
    new = len(outcomes)
    story = Article.objects.get(slug__startswith="viet-nam-va-hoa-ky")
    google = Organization.objects.get(slug="google")
    data.update({
        f"outcomes-{new}-event": meeting.pk, f"outcomes-{new}-position": 9,
        f"outcomes-{new}-description": "Google dự kiến đầu tư 2 tỷ USD.",
        f"outcomes-{new}-kind": "pledge", f"outcomes-{new}-status": "announced",
        f"outcomes-{new}-actor_organization": google.pk,
        f"outcomes-{new}-actor_country": Country.objects.get(code="US").pk,  # two actors
        f"outcomes-{new}-amount": "2000000000", f"outcomes-{new}-currency": "USD",
    })  # fmt: skip
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "Chỉ chọn một: quốc gia, tổ chức hoặc nhân vật." in refused.content.decode()
    data[f"outcomes-{new}-actor_country"] = ""
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    pledge = Outcome.objects.get(description="Google dự kiến đầu tư 2 tỷ USD.")
    assert (pledge.actor, pledge.amount) == (google, 2_000_000_000)
    kept = [(o.pk, o.figure) for o in outcomes]  # the others saved with their figures
    assert kept == [(o.pk, o.figure) for o in Outcome.objects.filter(pk__in=[k for k, _ in kept])]
    # The stories reporting it, on the outcome's own page: one in its own words
    # and with its own figure.
    other = Article.objects.get(slug__startswith="bo-truong-nguyen-hong-dien")
    page = reverse("admin:articles_outcome_change", args=[pledge.pk])
    assert page in client.get(url).content.decode()  # the event's inline links it
    form = client.get(page).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update({
        "reports-TOTAL_FORMS": 2, "reports-INITIAL_FORMS": 0,
        "reports-0-article": story.pk,
        "reports-1-article": other.pk, "reports-1-wording": "Google sẽ rót khoảng 2 tỷ USD.",
        "reports-1-amount": "2000000000", "reports-1-currency": "USD",
        "reports-1-approximate": "on",
    })  # fmt: skip
    response = client.post(page, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert set(pledge.reported_by.all()) == {story, other}
    tracker = client.get("/cam-ket/?organization=google").content.decode()
    assert "2 tỷ USD" in tracker and "khoảng 2 tỷ USD" in tracker
    assert "Google sẽ rót khoảng 2 tỷ USD." in tracker  # each story's own, shown


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["source_outlet", "section", "translation_of"])
def test_a_choice_sent_back_as_no_key_at_all_is_a_form_error_not_a_500(desk, field):
    """The autocomplete's select looked the value up to show it chosen."""
    from tests.browser_form import post_form
    from tests.factories import ArticleFactory

    story = ArticleFactory()
    response = post_form(desk, f"/admin/articles/article/{story.pk}/change/", **{field: "abc"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()


def test_demo_users_print_the_addresses_of_the_port_the_site_is_served_on(db, settings):
    from io import StringIO

    from django.core.management import call_command

    settings.ADMIN_URL = "ban-bien-tap/"
    out = StringIO()
    call_command("demo_users", port="8123", stdout=out)
    assert "http://127.0.0.1:8123/  The desk: http://127.0.0.1:8123/ban-bien-tap/" in out.getvalue()
