"""Hostile input: XSS filter-evasion vectors in everything an editor
or a reader can type never reach a page, a feed or the admin as live markup; SQL
metacharacters, very long and non-UTF-8 strings in any parameter or path never
cause a server error; nor do random query strings and paths (hypothesis)."""

import json
import re
import urllib.parse
import xml.etree.ElementTree as ET

import html5lib
import pytest
import reversion
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reversion.models import Version

from articles.models import Article, Organization, Tag
from articles.site.views import QUERY_PARAMETERS
from tests.factories import ArticleFactory, image_upload
from tests.seed import STORY_000, TRIP

# From the OWASP XSS Filter Evasion Cheat Sheet, plus the mutation-XSS classics.
VECTORS = [
    "<script>alert('XSS')</script>",
    "<SCRIPT SRC=http://xss.rocks/xss.js></SCRIPT>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    '<a onmouseover="alert(document.cookie)">xxs link</a>',
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>',
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    '<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>',
    '<img src=x onerror="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114'
    "&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116"
    '&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041">',
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;"
    "&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
    "<IMG SRC=\"jav\tascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
    '<SCRIPT/XSS SRC="http://xss.rocks/xss.js"></SCRIPT>',
    '<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("XSS")>',
    '<<SCRIPT>alert("XSS");//\\<</SCRIPT>',
    "<iframe src=http://xss.rocks/scriptlet.html <",
    "\\\";alert('XSS');//",
    '</TITLE><SCRIPT>alert("XSS");</SCRIPT>',
    "</textarea><script>alert(1)</script>",
    '"><script>alert(1)</script>',
    "'-alert(1)-'",
    '<INPUT TYPE="IMAGE" SRC="javascript:alert(\'XSS\');">',
    "<BODY BACKGROUND=\"javascript:alert('XSS')\">",
    "<svg/onload=alert('XSS')>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">bấm</a>',
    '<a href="&#106;avascript:alert(1)">bấm</a>',
    '<a href="  JAVASCRIPT:alert(1)">bấm</a>',
    "<STYLE>@import'http://xss.rocks/xss.css';</STYLE>",
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(\'XSS\');">',
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
    '<OBJECT TYPE="text/x-scriptlet" DATA="http://xss.rocks/scriptlet.html"></OBJECT>',
    '<EMBED SRC="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    "<details open ontoggle=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<base href=\"javascript:alert('XSS');//\">",
    '<form action="javascript:alert(1)"><button>gửi</button></form>',
    "]]><script>alert(1)</script>",
    "</script><script>alert(1)</script>",
]
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "background",
    "data",
    "poster",
    "xlink:href",
}
DANGEROUS_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "style"}


def live_markup(html: str, admin: bool = False) -> list[str]:
    """What a browser would run or load from ``html`` beyond the site's own markup.
    A story's page has the site's own script files (the read beacon, from /static/js/);
    the admin's own markup also has its script files (own origin), the editor's import map,
    JSON data and inline styles."""
    problems = []
    for element in html5lib.parse(html, namespaceHTMLElements=False).iter():
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag == "script":
            kind, src = element.get("type"), element.get("src", "")
            if kind in ("application/ld+json", "application/json", "importmap"):
                json.loads(element.text or "")  # data, and nothing but data
                if kind != "application/ld+json" and not admin:
                    problems.append(f"<script type={kind}>")
            elif (element.text or "").strip() or not (
                src.startswith("/static/js/") or (admin and src[:1] == "/" != src[1:2])
            ):
                problems.append(f"<script src={src!r}> {element.text!r}")
        if tag in DANGEROUS_ELEMENTS and not (admin and tag == "style"):
            problems.append(f"<{tag}>")
        if tag == "meta" and element.get("http-equiv", "").lower() == "refresh":
            problems.append("<meta refresh>")
        for name, value in element.attrib.items():
            name = name.lower()
            if name.startswith("on"):
                problems.append(f"<{tag} {name}>")
            if name == "style" and not admin:
                problems.append(f"<{tag} style>")
            scheme = re.sub(r"[\x00-\x20]", "", value).lower()
            if (tag, value) == ("link", "data:,"):
                continue  # the site's own empty favicon
            if name in URL_ATTRIBUTES and scheme.startswith(("javascript:", "vbscript:", "data:")):
                problems.append(f"<{tag} {name}={value!r}>")
    return problems


def feed_markup(xml: bytes) -> list[str]:
    """Feed readers render descriptions, summaries and content as HTML (titles
    and categories as text)."""
    problems = []
    for node in ET.fromstring(xml).iter():
        if node.tag.rsplit("}", 1)[-1] in ("description", "summary", "content"):
            problems += live_markup(node.text or "")
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("vector", VECTORS)
def test_xss_vectors_are_cleaned_from_a_story_s_text_when_saved(client, vector):
    """The body is HTML: each vector alone (one left open would swallow the next) is
    cleaned when saved, and the story's page, feed and API show it clean."""
    story = ArticleFactory(body=f"<p>Mở đầu {vector} kết thúc</p>")
    assert not live_markup(Article.objects.get(pk=story.pk).body)
    page = client.get(story.get_absolute_url())
    assert page.status_code == 200 and not live_markup(page.content.decode())
    for url in ("/rss/", "/atom/"):
        assert not feed_markup(client.get(url).content), url
    api = client.get(f"/api/stories/{story.slug}").json()
    assert not live_markup(api["body_html"] if "body_html" in api else json.dumps(api))


# Every other field is text, escaped whatever comes before: the vectors go in six at a
# time, each field cut to its length as an editor's would be.
BATCHES = [" ".join(VECTORS[start::7]) for start in range(7)]


@pytest.mark.django_db
@pytest.mark.parametrize("vector", BATCHES, ids=[f"vectors {n + 1} of 7" for n in range(7)])
def test_xss_vectors_never_reach_a_page_or_feed_as_markup(client, vector):
    story = ArticleFactory(
        headline=f"Tin {vector}"[:255],
        sapo=f"Sapo {vector}",
        body=f"<p>Mở đầu {vector} kết thúc</p>",
        image=image_upload(),
        image_alt=f"Ảnh {vector}"[:255],
        image_caption=f"Chú thích {vector}"[:500],
        image_credit=f"Nguồn {vector}"[:255],
    )
    organization = Organization.objects.create(name=f"Công ty {vector}"[:255])
    story.organizations.add(organization)
    story.tags.add(f"Thẻ {vector}"[:100])
    tag = Tag.objects.get(name__startswith="Thẻ ")
    stored = Article.objects.get(pk=story.pk)
    assert not live_markup(stored.body)  # cleaned when saved, not only when shown
    query = urllib.parse.urlencode({"q": vector})
    for url in (
        story.get_absolute_url(),
        "/",
        story.section.get_absolute_url(),
        tag.get_absolute_url(),
        organization.get_absolute_url(),
        f"/tim-kiem/?{query}",
        f"/tim-kiem/?q=Tin&{urllib.parse.urlencode({'organization': organization.slug})}",
        f"/tin-moi/?{query}",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not live_markup(response.content.decode()), url
    for url in ("/rss/", "/atom/", f"{organization.get_absolute_url()}rss/"):
        assert not feed_markup(client.get(url).content), url
    api = client.get(f"/api/stories/{story.slug}").json()
    assert not live_markup(api["body_html"] if "body_html" in api else json.dumps(api))

    # Editors' browsers hold the keys to publishing: the admin shows it all as text too.
    with reversion.create_revision():
        story.save()
    with reversion.create_revision():
        story.sapo += " (sửa)"
        story.save()
    older, newer = Version.objects.get_for_object(story).order_by("pk")
    client.force_login(User.objects.create_superuser("quantri", password="x"))
    admin = f"/{django_settings.ADMIN_URL}articles/"
    for url in (
        f"{admin}article/",
        f"{admin}article/?q={urllib.parse.quote(vector)}",
        f"{admin}article/{story.pk}/change/",
        f"{admin}article/{story.pk}/history/",
        f"{admin}article/{story.pk}/history/compare/?a={older.pk}&b={newer.pk}",
        f"{admin}organization/",
        f"{admin}organization/{organization.pk}/change/",
        f"{admin}organization/{organization.pk}/delete/",
        f"{admin}tag/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not live_markup(response.content.decode(), admin=True), url


def test_the_checker_sees_live_markup():
    """The check above is only worth something if it finds what a browser would run."""
    for html in (
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href=" java\tscript:alert(1)">x</a>',
        "<iframe src=//x></iframe>",
        '<p style="x">y</p>',
        '<meta http-equiv="refresh" content="0;url=//x">',
    ):
        assert live_markup(html), html
        assert "style" in html or live_markup(html, admin=True), html  # admin: styles allowed
    assert not live_markup('<p>Tin <a href="/tin/a/">a</a> &lt;script&gt;</p>')
    for html in (
        '<script src="//evil.example/x.js"></script>',
        '<script src="/x.js">alert(1)</script>',
    ):
        assert live_markup(html, admin=True), html
    assert not live_markup('<script src="/static/admin/js/core.js"></script>', admin=True)


# -- no server errors, whatever the input

NASTY = [
    "' OR '1'='1",
    '"; DROP TABLE articles_article; --',
    "1; SELECT pg_sleep(5)--",
    "%00",
    "%ff%fe%fd",
    "%c3%28",
    "%ed%a0%80",
    "x" * 20000,
    "%E2%80%AE" * 50,
    "..%2F..%2Fetc%2Fpasswd",
    "%252e%252e%252f",
    "{{7*7}}",
    "${jndi:ldap://x}",
    "\\u0000",
    "-1",
    "99999999999999999999999999",
    "2025-02-30",
]
PARAMETERS = sorted(QUERY_PARAMETERS)  # every parameter a public page reads
PATHS = ["/", "/tim-kiem/", "/en/", "/api/stories", "/api/organizations", "/sitemap-stories.xml"]
PATH_PATTERNS = ["/tin/{}/", "/chuyen-muc/{}/", "/the/{}/", "/to-chuc/{}/", "/nhan-vat/{}/",
                 "/tac-gia/{}/", "/su-kien/{}/", "/the/{}/rss/", "/api/stories/{}",
                 "/api/organizations/{}", "/sitemap-{}.xml", "/{}"]  # fmt: skip


@pytest.mark.parametrize("value", NASTY)
def test_nasty_values_in_any_parameter_or_path_are_never_a_server_error(client, seed, value):
    """(A NUL in a path is refused at the door with 400: PostgreSQL refuses it in text.)"""
    for path in PATHS:
        for parameter in PARAMETERS:
            response = client.get(path, QUERY_STRING=f"{parameter}={value}")
            assert response.status_code < 500, (path, parameter)
    for pattern in PATH_PATTERNS:
        response = client.get(pattern.format(value))
        assert response.status_code < 500, pattern


PUBLIC = ["/", "/en/", "/tim-kiem/", STORY_000, TRIP, "/chuyen-muc/kinh-te/", "/the/lng/",
          "/to-chuc/spacex/", "/rss/", "/atom/", "/sitemap.xml", "/api/stories"]  # fmt: skip


@pytest.mark.django_db
@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    url=st.sampled_from(PUBLIC),
    query=st.lists(st.tuples(st.text(max_size=40), st.text(max_size=200)), max_size=4),
    raw=st.binary(max_size=60),
    pattern=st.sampled_from(PATH_PATTERNS),
    segment=st.text(max_size=80) | st.binary(max_size=80),
)
def test_random_query_strings_and_paths_never_cause_a_server_error(
    client, seed, url, query, raw, pattern, segment
):
    assert client.get(url, QUERY_STRING=urllib.parse.urlencode(query)).status_code < 500
    assert client.get(url, QUERY_STRING=urllib.parse.quote_from_bytes(raw)).status_code < 500
    quoted = urllib.parse.quote(segment, safe="")  # text as UTF-8, bytes as they are
    assert client.get(pattern.format(quoted)).status_code < 500, pattern


def test_a_nul_in_an_address_is_a_bad_request(client, db):
    for url in ("/api/stories/a%00b", "/tin/a%00b/", "/%00"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert b"NUL" in response.content


HEADERS = {
    "HTTP_COOKIE": ["sessionid=' OR 1=1 --", "sessionid=" + "x" * 5000,
                    "csrftoken=\x7f\x01; django_language=../../etc"],
    "HTTP_ACCEPT_LANGUAGE": ["xx-ÿÿ;q=abc", "*" * 2000, "vi;q=-1, en;q=NaN"],
    "HTTP_IF_NONE_MATCH": ['"unterminated', "W/" * 500, "*"],
    "HTTP_IF_MODIFIED_SINCE": ["yesterday", "Sun, 31 Feb 99999 99:99:99 GMT", "-1"],
    "HTTP_X_FORWARDED_FOR": ["not-an-address", "1.2.3.4, " * 200],
    "HTTP_RANGE": ["bytes=999999999-", "bytes=-0"],
    "HTTP_HOST": ["testserver:99999999", "testserver\\x"],
}  # fmt: skip


@pytest.mark.parametrize("header", HEADERS)
def test_nasty_request_headers_are_never_a_server_error(client, seed, header):
    for value in HEADERS[header]:
        for url in ("/", STORY_000, "/tim-kiem/?q=hoa+ky", "/rss/", "/api/stories"):
            response = client.get(url, **{header: value})
            assert response.status_code < 500, (header, value, url)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options", "trace"])
def test_other_methods_on_readers_pages_are_refused_not_errors(seed, method):
    """Readers' pages are read only: anything but GET and HEAD is refused (403 by
    the CSRF check for unsafe methods, 405 otherwise), never rendered past the cache."""
    client = Client(enforce_csrf_checks=True)
    for url in PUBLIC:
        response = getattr(client, method)(url, data="x=1", content_type="text/plain")
        expected = (405,) if method in ("options", "trace") else (403, 405)
        if url.startswith("/api/"):
            expected = (405,) if method != "options" else (200, 405)  # the API answers itself
        assert response.status_code in expected, (method, url, response.status_code)
