"""What happens to a story, said once, whichever road it took: the newsroom's
domain signals, as Wagtail's ``page_published``.

- ``story_saved(story, before, raw)``: a story was saved; ``before`` is its row
  as stored before the save (``Article.stored``: None if it is new), read once
  per save, or handed over by the desk, which read and locked it already.
  Sent for every save: the desk's (workflow.py), a restored revision's and a
  fixture's (``raw``), a command's.
- ``story_deleted(story)``: a story is about to be deleted.
- ``story_moved(story, from_status, user, note)``: the desk moved a story from
  one status to another (``from_status`` is ``""`` for a new story), with the
  word to its people that went with it (``note``, "" if none); sent by
  ``workflow.save`` alone.
- ``story_noted(story, user, note)``: someone left an internal note on a story
  (``workflow.add_note``).
- ``live_updated(story, update, user, removed)``: an update of a live story was
  posted, corrected or removed (``workflow.post_update``, ``remove_update``).

Each part's ``handlers.py`` subscribes (search, former addresses in ``site/``,
the desk's log, the readers' pages' freshness), rather than each
comparing fields in the model's own signals.
"""

from django.db.models.signals import post_save, pre_delete, pre_save
from django.dispatch import Signal, receiver

from .models import Article

story_saved = Signal()
story_deleted = Signal()
story_moved = Signal()
story_noted = Signal()
live_updated = Signal()


@receiver(pre_save, sender=Article)
def read_stored(sender, instance, **kwargs):
    """A raw save (a fixture, a restored revision) skips ``Article.save``: the
    row before it is read here."""
    instance.stored()


@receiver(post_save, sender=Article)
def announce_saved(sender, instance, raw=False, **kwargs):
    before = instance.forget_stored()
    story_saved.send(sender, story=instance, before=before, raw=raw)


@receiver(pre_delete, sender=Article)
def announce_deleted(sender, instance, **kwargs):
    story_deleted.send(sender, story=instance)
