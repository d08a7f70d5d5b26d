"""Security headers on readers' pages (issue 7)."""

import re

import pytest

from tests.seed import STORY_000

PAGES = ["/", STORY_000, "/tim-kiem/?q=hoa+ky", "/rss/", "/sitemap.xml", "/en/", "/khong-co/"]


@pytest.mark.parametrize("url", PAGES)
def test_readers_pages_allow_no_inline_script_and_no_framing(client, seed, url):
    for attempt in ("fresh", "cached"):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert directives["script-src"] == "'self'", attempt
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert directives["frame-ancestors"] == "'none'"
        assert directives["object-src"] == "'none'"
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"


def test_no_page_carries_an_inline_script_the_policy_would_block(client, seed):
    """The policy is only honest if the site needs nothing it forbids: the one
    inline <script> is JSON-LD, which browsers do not run."""
    for url in PAGES[:-1]:
        html = client.get(url).content.decode()
        for attributes in re.findall(r"<script([^>]*)>", html):
            assert 'type="application/ld+json"' in attributes, (url, attributes)
        assert not re.search(r"<[^>]+\son[a-z]+=", html), url
        assert " style=" not in html, url
