"""Who has a story open in the desk (``EditingSession``): the form's heartbeat,
the warning before a second person edits it, and taking it over."""

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from ..models import Article, EditingSession


def _closed(article_id: int, user, page: str) -> str:
    return f"editing-closed:{article_id}:{user.pk}:{page}"


def beat(article: Article, user, page: str = "") -> None:
    """``user`` still has ``article`` open: since when they opened it (again,
    if they had left it), heard from now. One statement when they are known, so
    that a beat crossing their leaving (the form closed as its last beat went)
    finds nothing to update and starts again rather than failing; a beat of a
    ``page`` already closed (it arrived after the leaving) is no one there."""
    if page and cache.get(_closed(article.pk, user, page)):
        return
    now = timezone.now()
    mine = EditingSession.objects.filter(article=article, user=user)
    again = Case(When(seen_at__lte=now - EditingSession.FRESH, then=Value(now)), default=F("since"))
    if mine.update(since=again, seen_at=now):
        return
    try:
        with transaction.atomic():
            EditingSession.objects.create(article=article, user=user, since=now, seen_at=now)
    except IntegrityError:  # the form's first beat and its page, at once
        mine.update(since=again, seen_at=now)


def leave(article_id: int, user, page: str = "") -> None:
    """``user`` closed the story's form (``page``: which opening of it, so that
    a beat of it still on its way does not bring them back)."""
    if page:
        cache.set(_closed(article_id, user, page), True, EditingSession.FRESH.total_seconds())
    EditingSession.objects.filter(article_id=article_id, user=user).delete()


def others(article: Article, user) -> list[EditingSession]:
    return list(EditingSession.others_on(article, user))


def who(session: EditingSession) -> str:
    return session.user.get_full_name().strip() or session.user.get_username()
