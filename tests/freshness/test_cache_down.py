"""Redis down (newsroom/cache.py): pages are made afresh, not failed; sign-in
and its throttling, kept in the database, go on working."""

import socket

import pytest
from django.contrib.auth.models import User

from articles.models import Article


@pytest.fixture
def redis_down(settings):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
    }
    settings.CONTENT_CACHE = True


def test_pages_render_uncached_while_redis_is_down(seed, redis_down, client, caplog):
    story = Article.objects.published().first()
    for url in ("/", story.get_absolute_url(), "/tim-kiem/?q=hoa+ky", "/rss/"):
        for _ in range(2):
            assert client.get(url).status_code == 200, url
    assert "cache unavailable" in caplog.text


def test_sign_in_throttling_works_while_redis_is_down(db, redis_down, client, settings):
    User.objects.create_user("phongvien", password="dung-mat-khau-1", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "phongvien", "password": "sai"})
    locked = client.post("/admin/login/", {"username": "phongvien", "password": "dung-mat-khau-1"})
    assert locked.status_code in (403, 429)
    assert "_auth_user_id" not in client.session
