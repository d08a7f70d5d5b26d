"""The desk's rules: which moves a story may make, and who may make them.

Draft → in review → published (or scheduled: published with a future time) →
archived; unpublishing returns a story to draft. Reporters write and edit their
own stories while they are drafts or in review and send them for review;
only holders of ``articles.publish_article`` (editors) publish, schedule,
unpublish or archive. Every path that changes a status (the form, the list
actions, any other code) calls ``transition``, so the rules hold everywhere.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Article, StateChange

Status = Article.Status
PUBLISH_PERMISSION = "articles.publish_article"

# from -> the statuses it may move to
MOVES: dict[str, set[str]] = {
    Status.DRAFT: {Status.REVIEW, Status.PUBLISHED, Status.ARCHIVED},
    Status.REVIEW: {Status.DRAFT, Status.PUBLISHED, Status.ARCHIVED},
    Status.PUBLISHED: {Status.DRAFT, Status.ARCHIVED},
    Status.ARCHIVED: {Status.DRAFT, Status.PUBLISHED},
}
# moves that only an editor may make
EDITORIAL = {Status.PUBLISHED, Status.ARCHIVED}


def can_publish(user) -> bool:
    return user.has_perm(PUBLISH_PERMISSION)


def is_own(user, article: Article) -> bool:
    """A reporter's story: one they created, or one that carries their byline."""
    if article.pk is None or article.created_by_id == user.pk:
        return True
    return article.bylines.filter(author__user=user).exists()


def can_edit(user, article: Article) -> bool:
    """Editors edit any story; reporters their own, until it leaves the desk."""
    if can_publish(user):
        return True
    if not user.has_perm("articles.change_article"):
        return False
    return article.status in (Status.DRAFT, Status.REVIEW) and is_own(user, article)


def check(user, article: Article, old: str, new: str) -> None:
    """Raise ``PermissionDenied`` with a reason if ``user`` may not move ``article``."""
    if old == new:
        return
    if new not in MOVES.get(old, set()):
        raise PermissionDenied(
            _("Không thể chuyển bài từ “%(old)s” sang “%(new)s”.")
            % {"old": Status(old).label, "new": Status(new).label}
        )
    if (new in EDITORIAL or old in EDITORIAL) and not can_publish(user):
        raise PermissionDenied(
            _("Chỉ biên tập viên mới được xuất bản, hẹn giờ, gỡ hoặc lưu trữ bài.")
        )
    if not can_edit(user, article):
        raise PermissionDenied(_("Bạn chỉ được sửa bài của chính mình khi bài chưa xuất bản."))


def record(article: Article, user, old: str) -> None:
    """Note a change of status that has just been saved."""
    if old != article.status:
        StateChange.objects.create(
            article=article, user=user, from_status=old or "", to_status=article.status
        )


@transaction.atomic
def transition(article: Article, new: str, user, when=None) -> Article:
    """Move ``article`` to ``new`` for ``user``, or raise ``PermissionDenied``.

    Publishing stamps ``published_at`` with now unless a time is given or one is
    already set (a time in the future schedules the story).
    """
    old = article.status
    check(user, article, old, new)
    article.status = new
    if new == Status.PUBLISHED:
        article.published_at = when or article.published_at or timezone.now()
    article.updated_by = user
    article.save()
    record(article, user, old)
    return article
