"""What stored text may hold: a story body only the HTML of an allow-list,
and no text any character that XML 1.0 forbids.

Every body goes through ``clean_body`` before it is stored, whatever sent it
(admin, fixtures built by hand, a future API), so templates can trust it; every
text field of the newsroom's models goes through ``xml_safe`` (signals.py), and
feeds and sitemaps pass what they write through it again, for rows stored before.
"""

import re

import nh3

# C0 controls but tab, line feed and carriage return; DEL and the C1 controls
# (XML 1.0 allows them, HTML does not); lone surrogates; noncharacters.
FORBIDDEN_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"
)
# A vertical tab or a form feed pasted from a word processor separates words.
SEPARATORS = {"\x0b": " ", "\x0c": " "}


def xml_safe(text: str) -> str:
    """``text`` without the characters a feed, a sitemap or a page cannot carry."""
    return FORBIDDEN_CHARACTERS.sub(lambda match: SEPARATORS.get(match.group(), ""), text)


ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "figure",
    "figcaption",
    "img",
    "hr",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def clean_body(html: str) -> str:
    """Strip every tag, attribute and URL scheme outside the allow-list."""
    return nh3.clean(
        xml_safe(html or ""),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def xml_safe_data(data, keep_nul: bool = False):
    """A copy of submitted data (a ``QueryDict`` or a dict) with every value made
    ``xml_safe``; but NUL, with ``keep_nul``, for a form to refuse with its message."""

    def clean(value):
        if not isinstance(value, str):
            return value
        return "\x00".join(map(xml_safe, value.split("\x00"))) if keep_nul else xml_safe(value)

    if not hasattr(data, "lists"):
        return {key: clean(value) for key, value in data.items()}
    cleaned = data.copy()
    for key, values in data.lists():
        cleaned.setlist(key, [clean(value) for value in values])
    return cleaned
