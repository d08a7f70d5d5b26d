"""The production entry point: gunicorn with DEBUG off serves the site and its
static files; Redis is the cache when REDIS_URL is set."""

import base64
import gzip
import hashlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import image_bytes
from tests.newsroom.test_settings import STRONG_KEY
from tests.seed import STORY_000
from tests.tools import need

pytestmark = pytest.mark.tools

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def production_env(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    return {
        **env,
        "DEBUG": "0",
        "SECRET_KEY": STRONG_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback; TLS ends at the proxy
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        **extra,
    }


def manage(env, *args) -> None:
    """``manage.py`` with ``args``, as production runs it."""
    manage_each(env, list(args))


def manage_each(env, *commands: list[str]) -> None:
    """Several management commands in one process, in order (each process spends a
    second and a half setting Django up)."""
    script = (
        "import json, os, sys, django; "
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'newsroom.settings'); django.setup(); "
        "from django.core.management import call_command; "
        "[call_command(*command) for command in json.loads(sys.argv[1])]"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, json.dumps(commands)],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def get(url: str, **headers) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def cookies(url: str, data: dict | None = None, **headers) -> tuple[int, dict, str]:
    """Status, the cookies set (name: raw Set-Cookie header) and the body."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers)
    try:
        response = urllib.request.build_opener(NoRedirect).open(request, timeout=10)
    except urllib.error.HTTPError as error:  # a 302 after signing in
        response = error
    with response:
        set_cookie = response.headers.get_all("Set-Cookie") or []
        text = response.read().decode()
    return response.status, {raw.split("=", 1)[0]: raw for raw in set_cookie}, text


ADMIN_URL = "ban-bien-tap-7f3a/"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site as production runs it: gunicorn, DEBUG off, behind a TLS proxy,
    the admin at an address of the operator's choosing."""
    tmp_path = tmp_path_factory.mktemp("production")
    env = production_env(
        tmp_path,
        WEB_CONCURRENCY="2",
        PORT=str(free_port()),
        BEHIND_TLS_PROXY="1",
        ADMIN_URL=ADMIN_URL,
        DJANGO_SUPERUSER_PASSWORD="mat-khau-rat-dai-7",
    )
    (tmp_path / "media" / "anh").mkdir(parents=True)
    (tmp_path / "media" / "anh" / "kiem-tra.png").write_bytes(image_bytes())  # an upload
    manage_each(
        env,
        ["migrate", "-v0"],
        ["loaddata", "seed", "-v0"],
        ["collectstatic", "--noinput", "-v0"],
        ["createsuperuser", "--noinput", "--username", "quantri", "--email", "qt@example.org"],
    )
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py"],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{env['PORT']}"
    try:
        for _ in range(100):
            try:
                get(base + "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not answer")
        yield base
    finally:
        server.terminate()
        log = server.communicate(timeout=20)[0]
    assert log.count("Booting worker") == 2, log


def test_gunicorn_serves_the_site_in_production_mode(site):
    status, headers, body = get(site + "/")
    html = body.decode()
    assert status == 200 and "Việt Nam và Hoa Kỳ" in html
    assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in headers  # only ever sent over HTTPS
    stylesheet = html.split('rel="stylesheet" href="')[1].split('"')[0]
    assert stylesheet.startswith("/static/css/site.") and stylesheet != "/static/css/site.css"
    status, headers, _ = get(site + stylesheet)
    assert status == 200 and "immutable" in headers["Cache-Control"]
    assert get(site + STORY_000)[0] == 200


def test_over_https_the_browser_is_told_to_stay_on_https(site):
    """Behind the proxy, a request it forwarded as HTTPS is HTTPS to Django."""
    _, headers, _ = get(site + "/", **{"X-Forwarded-Proto": "https"})
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_cookies_are_secure_and_out_of_scripts_reach(site):
    login = site + f"/{ADMIN_URL}login/"
    https = {"X-Forwarded-Proto": "https", "Referer": login.replace("http:", "https:")}
    status, set_cookies, page = cookies(login, **https)
    assert status == 200
    csrf = set_cookies["csrftoken"]
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    status, set_cookies, _ = cookies(
        login,
        {"username": "quantri", "password": "mat-khau-rat-dai-7", "csrfmiddlewaretoken": token},
        Cookie=csrf.split(";", 1)[0],
        **https,
    )
    assert status == 302, "signing in over HTTPS failed"
    session = set_cookies["sessionid"]
    for raw in (csrf, session):
        attributes = {part.strip().split("=")[0].lower() for part in raw.split(";")[1:]}
        assert {"secure", "httponly"} <= attributes, raw
        assert "samesite=lax" in raw.lower(), raw

    # Signed in: the story form's import map (hashed static names here) is the one allowed.
    request = urllib.request.Request(
        site + f"/{ADMIN_URL}articles/article/add/",
        headers={"X-Forwarded-Proto": "https", "Cookie": session.split(";", 1)[0]},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        policy, html = response.headers["Content-Security-Policy"], response.read().decode()
    importmap = html.split('<script type="importmap">')[1].split("</script>")[0]
    assert "/static/django_prose_editor/editor." in importmap and "editor.js" not in importmap
    digest = base64.b64encode(hashlib.sha256(importmap.encode()).digest()).decode()
    assert f"script-src 'self' 'sha256-{digest}';" in policy


def test_the_admin_is_only_where_the_operator_put_it(site):
    assert cookies(site + f"/{ADMIN_URL}login/")[0] == 200
    for guess in ("/admin/", "/admin/login/"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            get(site + guess)
        assert refused.value.code == 404, guess


def redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


def test_redis_is_the_cache_when_redis_url_is_set(tmp_path):
    need(redis_reachable(), "no Redis at 127.0.0.1:6379")
    probe = (
        "import django; django.setup(); from django.core.cache import caches; "
        "cache = caches['default']; cache.set('toa-soan-probe', 'có', 30); "
        "print(type(cache).__name__, cache.get('toa-soan-probe'))"
    )

    def cache_in_use(**extra) -> list[str]:
        env = production_env(tmp_path, DJANGO_SETTINGS_MODULE="newsroom.settings", **extra)
        result = subprocess.run(
            [sys.executable, "-c", probe],
            env=env,
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.split()

    assert cache_in_use(REDIS_URL="redis://127.0.0.1:6379/15") == ["RedisCache", "có"]
    assert cache_in_use() == ["LocMemCache", "có"]


def test_the_redis_cache_keeps_one_client_per_pool():
    """Django's backend built a client for each operation (150 µs each)."""
    from newsroom.cache import RedisCache

    backend = RedisCache("redis://127.0.0.1:6379/15", {})
    client = backend._cache.get_client("a")
    assert backend._cache.get_client("b", write=True) is client
    assert client.connection_pool is backend._cache._get_connection_pool(False)


def test_the_redis_client_parses_replies_in_c():
    """hiredis (a dependency): redis-py's own parser, in Python, was a third of
    the time a kept page took to serve."""
    from redis.connection import DefaultParser
    from redis.utils import HIREDIS_AVAILABLE

    assert HIREDIS_AVAILABLE
    assert "Hiredis" in DefaultParser.__name__


def test_a_host_it_does_not_serve_is_refused(site):
    """A forged Host header would otherwise end up in absolute links (feeds, sitemaps)."""
    with pytest.raises(urllib.error.HTTPError) as refused:
        get(site + "/rss/", Host="attacker.example")
    assert refused.value.code == 400


def test_readers_pages_are_compressed_and_pages_with_a_secret_are_not(site):
    """BREACH: a compressed page that holds a secret and echoes input leaks the
    secret by its size. Readers' pages hold none; a form's token or a session does."""
    accept = {"Accept-Encoding": "gzip"}
    for path in ("/", STORY_000, "/tim-kiem/?q=hoa+ky", "/rss/"):
        _, headers, body = get(site + path, **accept)
        assert headers.get("Content-Encoding") == "gzip", path
        assert "Accept-Encoding" in headers["Vary"]
        assert "Hoa Kỳ" in gzip.decompress(body).decode(), path
    _, headers, body = get(site + f"/{ADMIN_URL}login/", **accept)
    assert "Content-Encoding" not in headers and b"csrfmiddlewaretoken" in body
    _, headers, _ = get(site + "/tim-kiem/?q=x", Cookie="sessionid=abc", **accept)
    assert "Content-Encoding" not in headers


def test_uploads_are_served_in_production(site):
    status, headers, body = get(site + "/media/anh/kiem-tra.png")
    assert status == 200 and headers["Content-Type"] == "image/png"
    assert body[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(urllib.error.HTTPError) as missing:
        get(site + "/media/../manage.py")
    assert missing.value.code in (400, 404)  # refused, not read
