"""The desk's rules: which moves a story may make, and who may make them.

Draft → in review → published (or scheduled: published with a future time) →
archived; unpublishing returns a story to draft. Reporters write and edit their
own stories (those they created or carry their byline) while they are drafts or
in review, and send them for review; only holders of ``articles.publish_article``
(editors) publish, schedule, unpublish or archive, restore a revision over a
story that has left the desk, or bring back a deleted story.

The desk offers the moves as buttons (``ACTS``: "Gửi duyệt", "Trả lại" with a
note, "Xuất bản", "Hẹn giờ" with a time to come, "Gỡ bài", "Lưu trữ"), each
shown to whoever may press it (``acts_for``) and pressed through ``perform``
(or the story form, which judges it the same way).

Every road that changes a story (the form, the list actions, restoring a
revision, recovering a deleted story, any other code) saves it through
``save`` or ``transition``, which judge the move against the status the
database holds *now*, read once and locked, and announce it (``signals.py``:
the desk's log, search and the readers' pages' freshness subscribe).
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import signals
from ..models import Article, Byline, LiveUpdate, StateChange
from ..models.revised import STORED_FIELDS
from ..models.translated import slot_taken

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
# A story that does not exist yet (or any more) moves as a new draft would.
NEW = ""
# Whoever asks: a member of staff (the desk lets nobody else in).
Who = User


def can_publish(user: Who) -> bool:
    return bool(user.has_perm(PUBLISH_PERMISSION))


def own_stories(user: Who) -> Q:
    """A reporter's stories: those they created, and those that carry their byline."""
    bylined = Byline.objects.filter(article=OuterRef("pk"), author__user=user)
    return Q(created_by=user) | Q(Exists(bylined))


def visible_to(user: Who, articles: QuerySet[Article]) -> QuerySet[Article]:
    """What the desk shows ``user``: every story to an editor; to a reporter their
    own, whatever the status, and nobody else's drafts, revisions or previews."""
    return articles if can_publish(user) else articles.filter(own_stories(user))


def is_own(user: Who, article: Article) -> bool:
    if article.pk is None or article.created_by_id == user.pk:
        return True
    if "bylines" in getattr(article, "_prefetched_objects_cache", {}):  # the list's rows
        return any(byline.author.user_id == user.pk for byline in article.bylines.all())
    return article.bylines.filter(author__user=user).exists()


def can_edit(user: Who, article: Article) -> bool:
    """Editors edit any story; reporters their own, until it leaves the desk."""
    if can_publish(user):
        return True
    if not user.has_perm("articles.change_article"):
        return False
    return article.status in (Status.DRAFT, Status.REVIEW) and is_own(user, article)


def can_post_update(user: Who, article: Article) -> bool:
    """Who may post to a live story's timeline, or correct or remove its updates:
    whoever may edit the story, and its own reporters while it is live, published
    or not (they are where it happens)."""
    if can_edit(user, article):
        return True
    allowed = user.has_perm("articles.add_liveupdate")
    return allowed and article.is_live and is_own(user, article)


def check(user: Who, article: Article, old: str, new: str) -> None:
    """Raise ``PermissionDenied`` with a reason if ``user`` may not move
    ``article`` from ``old`` (``NEW`` for a story not in the database) to ``new``."""
    old = old or Status.DRAFT
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


SCHEDULED = Article.SCHEDULED


@dataclass(frozen=True)
class Act:
    """A move the desk offers as a button ("Gửi duyệt", "Xuất bản"…): the status
    it leads to, the stages (``Article.stage``) it starts from, who may press it,
    and what it asks for besides (a note to the reporter, a time)."""

    name: str
    label: Promise
    to: str
    starts_from: frozenset[str]
    editorial: bool = False  # an editor's act
    reporters: bool = False  # a reporter's act (an editor has another for it)
    needs_note: bool = False
    needs_time: bool = False


ACTS: dict[str, Act] = {
    act.name: act
    for act in (
        Act("submit", gettext_lazy("Gửi duyệt"), Status.REVIEW, frozenset({Status.DRAFT})),
        Act(
            "withdraw",
            gettext_lazy("Rút về nháp"),
            Status.DRAFT,
            frozenset({Status.REVIEW}),
            reporters=True,
        ),
        Act(
            "return",
            gettext_lazy("Trả lại"),
            Status.DRAFT,
            frozenset({Status.REVIEW}),
            editorial=True,
            needs_note=True,
        ),
        Act(
            "publish",
            gettext_lazy("Xuất bản"),
            Status.PUBLISHED,
            frozenset({Status.DRAFT, Status.REVIEW, Status.ARCHIVED, SCHEDULED}),
            editorial=True,
        ),
        Act(
            "schedule",
            gettext_lazy("Hẹn giờ"),
            Status.PUBLISHED,
            frozenset({Status.DRAFT, Status.REVIEW, Status.ARCHIVED, SCHEDULED}),
            editorial=True,
            needs_time=True,
        ),
        Act(
            "unpublish",
            gettext_lazy("Gỡ bài"),
            Status.DRAFT,
            frozenset({Status.PUBLISHED, SCHEDULED}),
            editorial=True,
        ),
        Act(
            "archive",
            gettext_lazy("Lưu trữ"),
            Status.ARCHIVED,
            frozenset({Status.DRAFT, Status.REVIEW, Status.PUBLISHED, SCHEDULED}),
            editorial=True,
        ),
    )
}


def acts_for(user: Who, article: Article, stage: str | None = None) -> list[Act]:
    """The buttons ``user`` is shown for ``article`` at ``stage`` (by default the
    one it is at): those whose move the rules allow them."""
    stage = stage or (article.stage if article.pk else Status.DRAFT)
    editor = can_publish(user)
    if not can_edit(user, article):
        return []
    return [
        act
        for act in ACTS.values()
        if stage in act.starts_from
        and (editor or not act.editorial)
        and not (editor and act.reporters)
        and not (article.pk is None and act.to == Status.ARCHIVED)
    ]


def prepare(act: Act, article: Article, when: datetime.datetime | None, note: str) -> None:
    """Set ``article`` up for ``act``: its status, and its time when it is
    published ("Xuất bản": now, unless it reached readers already or its time is
    past; "Hẹn giờ": ``when``, which must be to come). Raise ``ValidationError``
    naming the field when what the act asks for is missing."""
    if act.needs_note and not note.strip():
        raise ValidationError({"note": _("Hãy ghi cho phóng viên lý do trả lại bài.")})
    now = timezone.now()
    if act.needs_time:
        if when is None or when <= now:
            raise ValidationError({"published_at": _("Hẹn giờ cần một thời điểm trong tương lai.")})
        article.published_at = when
    elif act.name == "publish" and article.published_at and article.published_at > now:
        article.published_at = now  # "Xuất bản" is now, even for a story scheduled later
    article.status = act.to


def perform(
    article: Article,
    name: str,
    user: Who,
    *,
    when: datetime.datetime | None = None,
    note: str = "",
) -> Article:
    """Press the button ``name`` on ``article`` for ``user`` (the list's buttons,
    commands, tests): judged as the form judges it, or ``PermissionDenied`` /
    ``ValidationError``, leaving ``article`` as it was."""
    act = ACTS.get(name)
    if act is None or act not in acts_for(user, article):
        raise PermissionDenied(_("Bạn không thể làm việc này với bài ở trạng thái hiện tại."))
    before = article.status, article.published_at
    try:
        prepare(act, article, when, note)
        return save(article, user, note=note)
    except (PermissionDenied, ValidationError):
        article.status, article.published_at = before
        raise


@dataclass(frozen=True)
class Stored:
    """A story as the database holds it, read (and locked) before anything
    writes over it: what every move is judged against, and the row the save
    hands on (``Article.stored``) rather than reading it again."""

    status: str = NEW
    updated_at: datetime.datetime | None = None
    updated_by_id: int | None = None
    # Judged while the row still says what it says now (a restore rewrites its bylines too).
    editable: bool = True
    row: dict[str, Any] | None = None  # the row as read (None: not read here)

    @property
    def stage(self) -> str | None:
        """``Article.stage`` of the row as read (None: not read here)."""
        if self.status == NEW:
            return Status.DRAFT
        if self.row is None:
            return None
        when = self.row.get("published_at")
        scheduled = self.status == Status.PUBLISHED and when and when > timezone.now()
        return SCHEDULED if scheduled else self.status

    @classmethod
    def read(cls, pk: int, user: Who | None = None) -> "Stored":
        """The stored story ``pk`` (``Stored()`` if there is none), locked until
        the transaction ends."""
        row = Article.objects.select_for_update().filter(pk=pk).values(*STORED_FIELDS).first()
        if row is None:
            return cls()
        return cls.of(Article(pk=pk, **row), user)

    @classmethod
    def of(cls, article: Article, user: Who | None = None) -> "Stored":
        """``article`` as read from the database (and locked) by the caller, not
        changed since."""
        row = {name: getattr(article, name) for name in STORED_FIELDS}
        row["image"] = row["image"].name or ""  # as ``values()`` gives a file: its name
        editable = user is None or can_edit(user, article)
        return cls(row["status"], row["updated_at"], row["updated_by_id"], editable, row)


def log(
    article: Article, user: Who | None, action: str, text: str = "", **fields: Any
) -> StateChange:
    """An entry in the desk's log: ``action`` on ``article`` by ``user``, now."""
    return StateChange.objects.create(
        article=article,
        story_pk=article.pk,
        headline=article.headline[:300],
        user=user,
        action=action,
        note=text,
        to_status=article.status,
        **fields,
    )


@transaction.atomic
def delete(article: Article, user: Who) -> None:
    """Delete ``article`` for ``user`` (the admin has judged who may), noted in
    the log, which keeps the entry and the story's earlier ones."""
    log(article, user, StateChange.Action.DELETION)
    article.delete()


def save(
    article: Article,
    user: Who,
    stored: Stored | None = None,
    *,
    restored: bool = False,
    note: str = "",
) -> Article:
    """Save ``article`` for ``user``: the one place a story's status changes.

    ``stored`` is the story as the database held it before anything wrote over
    the row (a restored revision does), judged for ``user``; by default it is
    read, locked, now. The user must be allowed to edit the stored story and to
    make the move. Publishing a story that never reached readers stamps
    ``published_at`` with now unless one is set (a time in the future schedules
    the story); a translation is published only into a free place. The move is recorded, and
    ``restored`` (the story's saved fields are a revision written back, or a
    deleted story brought back) is noted too. A caller that hands over
    ``stored`` has read and locked it in its own transaction, and judged
    nothing yet that could fail half-way: the save needs no savepoint of its own.
    ``note`` is a word to the people on the story (internal): kept with the move
    in the log, or as a note of its own when the status stays.
    """
    with transaction.atomic(savepoint=stored is None):
        if stored is None:
            stored = Stored.read(article.pk, user) if article.pk else Stored()
        if not stored.editable:
            raise PermissionDenied(_("Bạn chỉ được sửa bài của chính mình khi bài chưa xuất bản."))
        check(user, article, stored.status, article.status)
        if article.status == Status.PUBLISHED:
            if holder := article.translation_slot_holder():
                raise PermissionDenied(slot_taken(holder))
            if article.published_at is None and not was_published(article, stored):
                article.published_at = timezone.now()
        if article.pk is None and article.created_by_id is None:
            article.created_by = user
        article.updated_by = user
        if stored.row is not None:
            article._stored = stored.row  # read once, locked: the save is judged by it too
        _save_into_its_place(article)
        if restored:
            brought_back = stored.status == NEW
            Action = StateChange.Action
            log(article, user, Action.RECOVERY if brought_back else Action.RESTORE)
        if stored.status != article.status:
            signals.story_moved.send(
                Article, story=article, from_status=stored.status, user=user, note=note.strip()
            )
        elif note.strip():
            add_note(article, user, note)
        return article


def add_note(article: Article, user: Who, text: str) -> StateChange:
    """A note between the people on ``article``: internal, kept in the desk's
    log, announced (``story_noted``) so that those it names are told."""
    entry = log(article, user, StateChange.Action.NOTE, text.strip())
    signals.story_noted.send(Article, story=article, user=user, note=entry.note)
    return entry


def post_update(update: LiveUpdate, user: Who) -> LiveUpdate:
    """Post ``update`` to its live story for ``user``, or correct one posted
    (``can_post_update`` says who may), while it is live. A posted update whose words,
    picture or mark change is a correction, which readers see as such with what
    was corrected (``correction``). Announced (``live_updated``): the edge drops
    the story's timeline, the desk's log notes it."""
    with transaction.atomic():
        Stored.read(update.article_id)  # the story locked: one post at a time, judged as it is
        update.article.refresh_from_db(fields=["status", "live_from", "live_until"])
        if not can_post_update(user, update.article):
            raise PermissionDenied(_("Bạn không được viết cập nhật cho bài này."))
        if update.pk is None:
            if not update.article.is_live:
                raise ValidationError(_("Bài không đang tường thuật trực tiếp."))
            update.written_by = user
        else:
            before = LiveUpdate.objects.select_for_update().get(pk=update.pk)
            shown = ("body", "picture_id", "key_moment")
            if any(getattr(before, f) != getattr(update, f) for f in shown):
                if not update.correction.strip():
                    raise ValidationError(
                        {"correction": _("Ghi điều đã sửa: người đọc thấy ghi chú đính chính.")}
                    )
                update.corrected_at = timezone.now()
        update.save()
        signals.live_updated.send(
            Article, story=update.article, update=update, user=user, removed=False
        )
        return update


def remove_update(update: LiveUpdate, user: Who) -> None:
    """Remove a live story's update for ``user`` (``can_post_update``), noted in
    the log and announced as a post is."""
    with transaction.atomic():
        Stored.read(update.article_id)
        update.article.refresh_from_db(fields=["status", "live_from", "live_until"])
        if not can_post_update(user, update.article):
            raise PermissionDenied(_("Bạn không được gỡ cập nhật của bài này."))
        update.delete()
        signals.live_updated.send(
            Article, story=update.article, update=update, user=user, removed=True
        )


def _save_into_its_place(article: Article) -> None:
    """Save ``article``; a translation being published, in a savepoint, so that one
    published by someone else meanwhile (the unique index's refusal) is a refusal
    naming it rather than an error. Any other save needs no savepoint."""
    if not (article.status == Status.PUBLISHED and article.translation_of_id):
        article.save()
        return
    try:
        with transaction.atomic():
            article.save()
    except IntegrityError as error:
        if (holder := article.translation_slot_holder()) is None:
            raise
        raise PermissionDenied(slot_taken(holder)) from error


def was_published(article: Article, stored: Stored) -> bool:
    """Whether ``article`` reached readers before this save: a story published, or
    archived after it was, keeps the time its source gave, even none (publishing
    it again stamps nothing)."""
    if stored.status == Status.PUBLISHED:
        return True
    if stored.status != Status.ARCHIVED:
        return False
    published = Q(to_status=Status.PUBLISHED) | Q(from_status=Status.PUBLISHED)
    return StateChange.objects.filter(published, story_pk=article.pk).exists()


def transition(
    article: Article, new: str, user: Who, when: datetime.datetime | None = None
) -> Article:
    """Move ``article`` to ``new`` for ``user``, or raise ``PermissionDenied``
    (leaving ``article`` as it was)."""
    before = article.status, article.published_at
    article.status = new
    if new == Status.PUBLISHED and when:
        article.published_at = when
    try:
        return save(article, user)
    except PermissionDenied:
        article.status, article.published_at = before
        raise


@transaction.atomic
def add_tag(article: Article, name: str, user: Who) -> Article:
    """Give ``article`` the tag ``name`` for ``user``: an edit, judged as one."""
    save(article, user)
    article.tags.add(name)
    return article
