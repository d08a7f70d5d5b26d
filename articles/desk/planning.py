"""The day's plan at work: who is told of an item assigned to them, a draft
made from an item in one click, and the meetings nobody covers."""

import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from ..models import Article, Author, Byline, Event, Notification, PlannedStory
from . import notifications, workflow

# The meetings of a day the board lists as not covered: at most so many.
UNCOVERED_SHOWN = 50


def assigned(plan: PlannedStory, people: set[int], by) -> None:
    """Tell those newly among ``plan``'s assignees."""
    notifications.notify(people, Notification.Kind.ASSIGNED, by, plan=plan, text=plan.notes)


def may_start(user, plan: PlannedStory) -> bool:
    """Editors, and whoever the item is assigned to, make its draft."""
    if plan.story_id or plan.dropped or not user.has_perm("articles.add_article"):
        return False
    return workflow.can_publish(user) or any(p.pk == user.pk for p in plan.assignees.all())


@transaction.atomic
def start_draft(plan: PlannedStory, user) -> Article:
    """The item's draft, made once: its working title, section and event, its
    assignees (or whoever makes it) as bylines, linked back to the item."""
    plan = PlannedStory.objects.select_for_update().get(pk=plan.pk)
    if plan.story is not None:
        return plan.story
    story = Article(headline=plan.working_title, sapo="", section=plan.section, by_newsroom=True)
    workflow.save(story, user)
    writers = list(plan.assignees.order_by("pk")) or [user]
    Byline.objects.bulk_create(
        Byline(article=story, author=Author.for_user(writer), position=place)
        for place, writer in enumerate(writers)
    )
    if plan.event_id:
        story.events.add(plan.event_id)
    plan.story = story
    plan.save(update_fields=["story"])
    return story


def uncovered_meetings(day: datetime.date) -> QuerySet[Event]:
    """The meetings on ``day`` (or spanning it) with no item of the plan and no
    story: what nobody is covering (the event's coverage, as readers see it, is
    its stories)."""
    on_day = Q(start_date=day, end_date__isnull=True) | Q(start_date__lte=day, end_date__gte=day)
    planned = PlannedStory.objects.filter(event=OuterRef("pk"), dropped=False)
    written = Article.events.through.objects.filter(event=OuterRef("pk"))
    return (
        Event.objects.filter(on_day)
        .exclude(Exists(planned))
        .exclude(Exists(written))
        .order_by("start_date", "start_time", "pk")[:UNCOVERED_SHOWN]
    )
