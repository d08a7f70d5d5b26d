"""Security headers on readers' pages and in the admin."""

import base64
import hashlib
import re

import pytest
from django.conf import settings

from tests.seed import STORY_000


def directives_of(policy: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


PAGES = ["/", STORY_000, "/tim-kiem/?q=hoa+ky", "/rss/", "/sitemap.xml", "/en/", "/khong-co/"]


@pytest.mark.parametrize("url", PAGES)
def test_readers_pages_allow_no_inline_script_and_no_framing(client, seed, url):
    for attempt in ("fresh", "cached"):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        directives = directives_of(policy)
        assert directives["script-src"] == "'self'", attempt
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert directives["frame-ancestors"] == "'none'"
        assert directives["object-src"] == "'none'"
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"


def test_no_page_carries_an_inline_script_the_policy_would_block(client, seed):
    """The policy is only honest if the site needs nothing it forbids: the one
    inline <script> is JSON-LD, which browsers do not run; the others are the
    site's own files, empty inside."""
    for url in PAGES[:-1]:
        html = client.get(url).content.decode()
        for attributes, inside in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
            own_file = re.search(r'\ssrc="/static/js/[a-z-]+\.js"', attributes) and not inside
            assert 'type="application/ld+json"' in attributes or own_file, (url, attributes)
        assert not re.search(r"<[^>]+\son[a-z]+=", html), url
        assert " style=" not in html, url


def test_the_admin_runs_no_inline_script_its_policy_does_not_name(client, seed):
    """The admin's policy allows inline styles (its widgets set them) but, as on
    readers' pages, no inline script beyond the editor's import map, by hash."""
    from django.contrib.auth.models import User

    from articles.models import Article, Event, Organization

    admin = f"/{settings.ADMIN_URL}"
    story, event = Article.objects.first(), Event.objects.first()
    pages = [
        f"{admin}login/",
        admin,
        f"{admin}articles/article/",
        f"{admin}articles/article/add/",
        f"{admin}articles/article/{story.pk}/change/",
        f"{admin}articles/article/{story.pk}/history/",
        f"{admin}articles/event/{event.pk}/change/",
        f"{admin}articles/organization/{Organization.objects.first().pk}/delete/",
        f"{admin}articles/author/add/",
    ]
    importmaps = 0
    for url in pages:
        if url == admin:  # the sign-in page was seen signed out
            client.force_login(User.objects.create_superuser("quantri", password="x"))
        response = client.get(url)
        assert response.status_code == 200, url
        directives = directives_of(response["Content-Security-Policy"])
        allowed = directives["script-src"].split()
        assert allowed[0] == "'self'" and "'unsafe-inline'" not in allowed, url
        assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
        html = response.content.decode()
        for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
            if "src=" in attributes or 'type="application/json"' in attributes:
                continue  # a file of the site's own, or data
            digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in allowed, (url, attributes, body[:60])
            importmaps += 'type="importmap"' in attributes
        assert not re.search(r"<[^>]+\son[a-z]+=", html), url
    assert importmaps == 2  # the story form, to add and to change: the check looked at one


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"]
)
def test_no_open_redirect_through_the_language_switch_or_the_sign_in(client, db, target):
    """Both take a "next" address from the request: only this site's may be followed."""
    from django.contrib.auth.models import User

    response = client.post("/i18n/setlang/", {"language": "en", "next": target})
    assert response.status_code == 302 and "evil" not in response["Location"]
    assert not response["Location"].startswith("javascript")
    User.objects.create_user("bientap", password="mat-khau-dung-1", is_staff=True)
    response = client.post(
        f"/{settings.ADMIN_URL}login/",
        {"username": "bientap", "password": "mat-khau-dung-1", "next": target},
    )
    assert response.status_code == 302 and "evil" not in response["Location"]
    assert not response["Location"].startswith("javascript")
