"""Pictures in a story's body: the figure a library picture is inserted as, and
galleries. The editor knows only figures; two or more in a row are a gallery,
shown to readers as a row that scrolls sideways (CSS, no script needed)."""

import html
import re

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

# Figures with nothing but white space between them (a sanitised body's figures
# have no attributes and never nest).
RUN_OF_FIGURES = re.compile(r"<figure>.*?</figure>(?:\s*<figure>.*?</figure>)+", re.DOTALL)
# A sanitised body's pictures (nh3 writes every attribute in double quotes).
PICTURE_ADDRESS = re.compile(r'<img\s[^>]*?\bsrc="([^"]+)"')


def figure(src: str, alt: str, width: int | None, height: int | None,
           caption: str, credit: str) -> SafeString:  # fmt: skip
    """A picture as the body holds it: its caption with its credit the Vietnamese
    way ("… (Ảnh: TTXVN)"), its size kept so the page does not jump."""
    words = caption
    if credit:
        said = gettext("Ảnh: %(credit)s") % {"credit": credit}
        words = f"{caption} ({said})" if caption else said
    size = format_html(' width="{}" height="{}"', width, height) if width and height else ""
    caption_html = format_html("<figcaption>{}</figcaption>", words) if words else ""
    return format_html('<figure><img src="{}" alt="{}"{}>{}</figure>', src, alt, size, caption_html)


def with_galleries(body: str) -> SafeString:
    """A sanitised body with each run of figures wrapped as a gallery."""

    def gallery(match: re.Match) -> str:
        count = match.group().count("<figure>")
        label = gettext("Bộ ảnh, %(count)s ảnh") % {"count": count}
        return format_html('<div class="gallery" role="group" aria-label="{}">', label) + (
            match.group() + "</div>"
        )

    return mark_safe(RUN_OF_FIGURES.sub(gallery, body))  # a sanitised body


def picture_addresses(body: str) -> list[str]:
    """The address of each picture a sanitised body shows, in order."""
    return [html.unescape(address) for address in PICTURE_ADDRESS.findall(body)]
