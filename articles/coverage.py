"""Full coverage of an event: every published story about it or its meetings,
grouped by the outlet it comes from, and how many outlets that is."""

from dataclasses import dataclass, field

from django.db.models import Count

from .models import Article, Event, Organization


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
