"""The desk's header: the link to one's notifications, with how many are unread."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from ..desk.notifications import unread_count

register = template.Library()
MOST_COUNTED = 99


@register.simple_tag(takes_context=True)
def notifications_link(context) -> SafeString | str:
    """ "Thông báo (3)": one bounded count per desk page."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    count = unread_count(user, MOST_COUNTED)
    shown = f"{MOST_COUNTED}+" if count > MOST_COUNTED else str(count)
    url = reverse("admin:articles_notification_changelist")
    if not count:
        return format_html(
            '<a href="{}" class="notifications-link">{}</a> / ', url, gettext("Thông báo")
        )
    label = gettext("%(count)s thông báo chưa đọc") % {"count": shown}
    return format_html(
        '<a href="{}" class="notifications-link" aria-label="{}">{} '
        '<span class="badge">{}</span></a> / ',
        url,
        label,
        gettext("Thông báo"),
        shown,
    )
