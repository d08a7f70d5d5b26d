"""What the desk keeps of the newsroom's work and tells its people: its log of
moves, notes and corrections; the notifications they bring (``notifications``);
and the story form's matcher of names, rebuilt only when a name changes."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import formats, timezone
from django.utils.translation import gettext

from ..models import (
    Article,
    Correction,
    Country,
    CountryAlias,
    Event,
    Notification,
    Organization,
    OrganizationAlias,
    Person,
    PersonAlias,
    StateChange,
)
from ..signals import live_updated, story_moved, story_noted
from . import notifications, suggest, workflow

Kind = Notification.Kind
Status = Article.Status


@receiver(story_moved)
def log_move(sender, story, from_status, user, note="", **kwargs):
    workflow.log(story, user, StateChange.Action.MOVE, note, from_status=from_status or "")


@receiver(story_moved)
def tell_of_move(sender, story, from_status, user, note="", **kwargs):
    """A story returned by an editor, or published (or scheduled), is news to
    the people on it; a note with the move, to whoever else it names."""
    people: set[int] = set()
    if from_status == Status.REVIEW and story.status == Status.DRAFT and workflow.can_publish(user):
        people = notifications.people_on(story)
        notifications.notify(people, Kind.RETURNED, user, article=story, text=note)
    elif story.status == Status.PUBLISHED:
        people = notifications.people_on(story)
        text = note
        if story.is_scheduled:
            when = formats.date_format(timezone.localtime(story.published_at), "H:i d/m/Y")
            text = " ".join([gettext("Hẹn giờ %(when)s.") % {"when": when}, note]).strip()
        notifications.notify(people, Kind.PUBLISHED, user, article=story, text=text)
    if note:  # whoever else it names (those told already have the note)
        named = notifications.mentioned_in(note) - people
        notifications.notify(named, Kind.MENTIONED, user, article=story, text=note)


@receiver(live_updated)
def log_live_update(sender, story, update, user, removed=False, **kwargs):
    """Each post to a live story in the desk's log: what was posted or corrected."""
    if removed:
        text = gettext("Gỡ cập nhật: %(text)s") % {"text": update.body[:200]}
    elif update.corrected_at:
        text = gettext("Đính chính cập nhật: %(text)s") % {"text": update.correction}
    else:
        text = update.body[:200]
    workflow.log(story, user, StateChange.Action.LIVE, text)


@receiver(story_noted)
def tell_of_note(sender, story, user, note, **kwargs):
    notifications.notify(
        notifications.mentioned_in(note), Kind.MENTIONED, user, article=story, text=note
    )


@receiver(post_save, sender=Correction)
def log_correction(sender, instance, created, raw=False, **kwargs):
    """Every correction or update, by whatever road, in the desk's log."""
    if created and not raw:
        text = f"{instance.get_kind_display()}: {instance.note}"
        workflow.log(instance.article, instance.by, StateChange.Action.CORRECTION, text)
        people = notifications.people_on(instance.article)
        notifications.notify(
            people, Kind.CORRECTED, instance.by, article=instance.article, text=text
        )


# The story form's matcher of names (``suggest.py``) is rebuilt only when a name changes.
for model in (Country, CountryAlias, Organization, OrganizationAlias, Person, PersonAlias, Event):
    for signal in (post_save, post_delete):
        signal.connect(suggest.names_changed, sender=model, dispatch_uid=f"names-{model.__name__}")
