"""What the desk keeps of the newsroom's work: its log of moves and corrections,
and the story form's matcher of names, rebuilt only when a name changes."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from ..models import (
    Correction,
    Country,
    CountryAlias,
    Event,
    Organization,
    OrganizationAlias,
    Person,
    PersonAlias,
    StateChange,
)
from ..signals import story_moved
from . import suggest, workflow


@receiver(story_moved)
def log_move(sender, story, from_status, user, **kwargs):
    workflow.note(story, user, StateChange.Action.MOVE, from_status=from_status or "")


@receiver(post_save, sender=Correction)
def log_correction(sender, instance, created, raw=False, **kwargs):
    """Every correction or update, by whatever road, in the desk's log."""
    if created and not raw:
        text = f"{instance.get_kind_display()}: {instance.note}"
        workflow.note(instance.article, instance.by, StateChange.Action.CORRECTION, text)


# The story form's matcher of names (``suggest.py``) is rebuilt only when a name changes.
for model in (Country, CountryAlias, Organization, OrganizationAlias, Person, PersonAlias, Event):
    for signal in (post_save, post_delete):
        signal.connect(suggest.names_changed, sender=model, dispatch_uid=f"names-{model.__name__}")
