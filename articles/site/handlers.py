"""What readers' addresses keep when a story changes: a renamed story's former
address answers with a permanent redirect."""

from django.dispatch import receiver
from django.utils import timezone

from ..models import FormerSlug
from ..signals import story_saved


@receiver(story_saved)
def keep_former_slug(sender, story, before, **kwargs):
    """A renamed story keeps its old address, answered with a permanent redirect."""
    stored = before and before["slug"]
    if stored != story.slug:
        taken = FormerSlug.objects.filter(slug=story.slug)
        if not getattr(story, "takes_over_slug", False):  # an editor's knowing choice
            taken = taken.filter(article=story)  # only this story's own, again
        taken.delete()
    if stored and stored != story.slug:
        FormerSlug.objects.update_or_create(
            slug=stored, defaults={"article": story, "until": timezone.now()}
        )
