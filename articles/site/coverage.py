"""Coverage both ways: an event's stories, grouped by the outlet each comes
from, and a story's events, boxed by trip with what the story reported."""

from dataclasses import dataclass, field

from django.db.models import Count, F

from ..models import Article, Event, Organization, OutcomeReport


@dataclass
class OutletCoverage:
    outlet: Organization | None  # None: the desk does not know the source
    stories: list[Article] = field(default_factory=list)


@dataclass
class Coverage:
    groups: list[OutletCoverage]
    stories: int  # in all, not only on this page
    outlets: int  # known outlets
    unsourced: int  # stories whose outlet is not known


def coverage(event: Event, page: list[Article]) -> Coverage:
    """The page's stories by outlet (known outlets by name, the unknown last),
    with the counts of the whole coverage: one query, whatever its size."""
    groups: dict[int | None, OutletCoverage] = {}
    for story in page:
        group = groups.setdefault(story.source_outlet_id, OutletCoverage(story.source_outlet))
        group.stories.append(story)
    ordered = sorted(groups.values(), key=lambda g: (g.outlet is None, str(g.outlet or "")))
    counts = dict(
        Article.objects.published()
        .in_language()
        .about_event(event)
        .order_by()
        .values_list("source_outlet")
        .annotate(n=Count("pk"))
    )
    unsourced = counts.pop(None, 0)
    return Coverage(ordered, sum(counts.values()) + unsourced, len(counts), unsourced)


@dataclass
class EventBox:
    event: Event  # a trip, or a meeting of no trip
    meetings: list[Event] = field(default_factory=list)  # that the story covers
    reports: list[OutcomeReport] = field(default_factory=list)  # the story's, of outcomes


def event_boxes(story: Article) -> list[EventBox]:
    """The events a story covers, one box per trip: the covered meetings inside
    it in the order they happened, and the commitments, requests and agreements
    of the trip that this story reported, in its own words and with its own
    figure. A meeting or an outcome whose trip the story does not name is boxed
    under that trip all the same. One query, for the reports; the events come
    prefetched (``for_detail()``)."""
    boxes: dict[int, EventBox] = {}

    def box(event: Event) -> EventBox:
        top = event.parent if event.parent_id else event
        return boxes.setdefault(top.pk, EventBox(top))

    for event in story.events.all():  # in order, parents joined
        if event.parent_id:
            box(event).meetings.append(event)
        else:
            box(event)
    reported = (
        OutcomeReport.objects.filter(article=story)
        .select_related("outcome__event__parent")
        .order_by(
            F("outcome__event__parent").asc(nulls_first=True),  # a trip's own, then meetings'
            "outcome__event__start_date",
            F("outcome__event__start_time").asc(nulls_last=True),
            "outcome__event__position",
            "outcome__event",
            "outcome__position",
        )
    )
    for report in reported:
        box(report.outcome.event).reports.append(report)
    return list(boxes.values())
