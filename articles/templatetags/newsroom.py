"""Presentation helpers: times the way Vietnamese papers print them, and links
to the same page in the other interface language."""

import datetime

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from articles import search

register = template.Library()

WEEKDAYS = [
    _("Thứ Hai"),
    _("Thứ Ba"),
    _("Thứ Tư"),
    _("Thứ Năm"),
    _("Thứ Sáu"),
    _("Thứ Bảy"),
    _("Chủ Nhật"),
]


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def vn_time(value) -> str:
    """``17:05, 21/05/2025`` in Vietnam time."""
    if not value:
        return ""
    return _local(value).strftime("%H:%M, %d/%m/%Y")


@register.filter
def vn_day(value) -> str:
    """``Thứ Tư, 21/05/2025`` (the weekday in the reader's language)."""
    if not value:
        return ""
    value = _local(value)
    return f"{WEEKDAYS[value.weekday()]}, {value.strftime('%d/%m/%Y')}"


@register.filter
def vn_dateline(value) -> str:
    """``Thứ Tư, 21/05/2025, 17:05 (GMT+7)``: a story page's dateline."""
    if not value:
        return ""
    value = _local(value)
    return f"{vn_day(value)}, {value.strftime('%H:%M')} (GMT{value.strftime('%z')[:3]})".replace(
        "GMT+0", "GMT+"
    )


@register.filter
def highlight(text: str, query: str):
    """The stretch of ``text`` around the reader's words, with the words marked."""
    return search.highlight(text, query)


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """The current page in each interface language."""
    request = context["request"]
    path = request.get_full_path()
    return [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            "url": translate_url(path, code),
        }
        for code, _name in settings.LANGUAGES
    ]
