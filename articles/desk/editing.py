"""Who has a story open in the desk (``EditingSession``): the form's heartbeat,
the warning before a second person edits it, and taking it over."""

from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from ..models import Article, EditingSession


def beat(article: Article, user) -> None:
    """``user`` still has ``article`` open: since when they opened it (again,
    if they had left it), heard from now. One statement when they are known, so
    that a beat crossing their leaving (the form closed as its last beat went)
    finds nothing to update and starts again rather than failing."""
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


def leave(article_id: int, user) -> None:
    """``user`` closed the story's form."""
    EditingSession.objects.filter(article_id=article_id, user=user).delete()


def others(article: Article, user) -> list[EditingSession]:
    return list(EditingSession.others_on(article, user))


def who(session: EditingSession) -> str:
    return session.user.get_full_name().strip() or session.user.get_username()
