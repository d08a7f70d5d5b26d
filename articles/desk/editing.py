"""Who has a story open in the desk (``EditingSession``): the form's heartbeat,
the warning before a second person edits it, and taking it over."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import Article, EditingSession


def beat(article: Article, user) -> EditingSession:
    """``user`` still has ``article`` open: since when they opened it (again,
    if they had left it), heard from now."""
    now = timezone.now()
    fresh_after = now - EditingSession.FRESH
    session = EditingSession.objects.filter(article=article, user=user).first()
    if session is None:
        try:
            with transaction.atomic():
                return EditingSession.objects.create(
                    article=article, user=user, since=now, seen_at=now
                )
        except IntegrityError:  # the form's first beat and its page, at once
            session = EditingSession.objects.get(article=article, user=user)
    if session.seen_at <= fresh_after:
        session.since = now
    session.seen_at = now
    session.save(update_fields=["since", "seen_at"])
    return session


def leave(article_id: int, user) -> None:
    """``user`` closed the story's form."""
    EditingSession.objects.filter(article_id=article_id, user=user).delete()


def others(article: Article, user) -> list[EditingSession]:
    return list(EditingSession.others_on(article, user))


def who(session: EditingSession) -> str:
    return session.user.get_full_name().strip() or session.user.get_username()
