"""Telling the desk's people what concerns them (``Notification``): who is
told what, ``@name`` mentions, and the e-mail that follows as a job.

The desk's handlers (``handlers.py``) call these on the domain signals: a story
returned or published tells the people on it (whoever wrote it and its bylines),
a note tells whoever it names, a correction tells the story's people, an item
of the plan tells whoever it is assigned to. Nobody is told of their own act."""

import re
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from newsroom import jobs

from ..models import Article, Notification, NotificationSettings, PlannedStory

Kind = Notification.Kind
# "@phongvien", "@nguyen.van.a": a username as Django allows it, after a space or the start
MENTION = re.compile(r"(?<![\w@])@([\w.+-]*\w)")
# A note names at most so many people: the rest is text.
MOST_MENTIONED = 20


def people_on(article: Article) -> set[int]:
    """The accounts of whoever wrote ``article`` and of its bylines."""
    people = set(
        article.bylines.filter(author__user__isnull=False).values_list("author__user", flat=True)
    )
    if article.created_by_id:
        people.add(article.created_by_id)
    return people


def mentioned_in(text: str) -> set[int]:
    """The desk's people named in ``text`` by ``@username`` (any case)."""
    names = list(dict.fromkeys(name.lower() for name in MENTION.findall(text)))[:MOST_MENTIONED]
    if not names:
        return set()
    named = Q()
    for name in names:
        named |= Q(username__iexact=name)
    users = get_user_model().objects.filter(named, is_active=True, is_staff=True)
    return set(users.values_list("pk", flat=True))


def notify(
    recipients: Iterable[int],
    kind: str,
    actor,
    *,
    article: Article | None = None,
    plan: PlannedStory | None = None,
    text: str = "",
) -> list[Notification]:
    """Tell each of ``recipients`` (user ids) but ``actor`` of ``kind``, and send
    the e-mails once the act is saved."""
    actor_id = getattr(actor, "pk", None)
    subject = (article.headline if article else str(plan or ""))[:300]
    made = Notification.objects.bulk_create(
        Notification(
            recipient_id=who,
            kind=kind,
            actor_id=actor_id,
            article=article,
            plan=plan,
            subject=subject,
            text=text,
        )
        for who in sorted(set(recipients) - {actor_id})
    )
    if made:
        ids = [n.pk for n in made if n.pk is not None] or None
        transaction.on_commit(lambda: jobs.defer("desk.notification_emails", ids=ids))
    return made


def unread_count(user, most: int = 99) -> int:
    """How many of ``user``'s notifications are unread, counted up to ``most``
    (the header shows "99+"): bounded, whatever the backlog."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    return unread.order_by()[: most + 1].count()


def mark_read(user, ids: Iterable[int] | None = None) -> int:
    """Mark ``user``'s notifications (those ``ids``, or all) read."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def send_emails(ids: list[int] | None) -> int:
    """E-mail the notifications ``ids`` (all not e-mailed yet if None, as SQLite's
    bulk insert may not say them) to those who want e-mail and have an address;
    each once. Returns how many were sent."""
    waiting = Notification.objects.filter(emailed_at__isnull=True).select_related(
        "recipient", "actor"
    )
    if ids is not None:
        waiting = waiting.filter(pk__in=ids)
    sent = 0
    for notification in waiting[:500]:
        person = notification.recipient
        claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True)
        if not claimed.update(emailed_at=timezone.now()):
            continue  # another run has it
        if not person.email or not NotificationSettings.wants_email(person.pk):
            continue
        with override(settings.LANGUAGE_CODE):
            send_mail(
                subject=_("[Toà soạn] %(what)s") % {"what": notification},
                message=email_text(notification),
                from_email=None,
                recipient_list=[person.email],
            )
        sent += 1
    return sent


def email_text(notification: Notification) -> str:
    """The e-mail's body: who did what to which story, the note, the link."""
    actor = notification.actor
    who = (actor.get_full_name().strip() or actor.get_username()) if actor else _("Toà soạn")
    lines = [f"{who}: {notification.get_kind_display()} — {notification.subject}"]
    if notification.text:
        lines += ["", notification.text]
    lines += ["", settings.SITE_URL.rstrip("/") + notification.get_absolute_url()]
    lines += [
        "",
        _(
            "Để không nhận thư này: vào Thông báo trong bàn biên tập, "
            "bỏ chọn “Gửi thông báo qua e-mail”."
        ),
    ]
    return "\n".join(lines)
