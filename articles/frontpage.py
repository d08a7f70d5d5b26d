"""What the home page shows: the lead story and the top stories editors pinned
(the newest stories fill what they left empty), then the latest stories of each
section, all in the site's language. A fixed number of queries: the pins, the
ids and sections of a window of the newest stories, grouped by section in
Python, and the stories chosen from it (a story object costs far more to make
than its id: the window is six times what the page shows)."""

from dataclasses import dataclass, field

from django.utils.translation import get_language

from .models import Article, Pin, Section

TOP_SLOTS = 4
PER_SECTION = 4
RECENT = 200  # the newest stories the section blocks are drawn from


@dataclass
class FrontPage:
    lead: Article | None = None
    top: list[Article] = field(default_factory=list)
    sections: list[tuple[Section, list[Article]]] = field(default_factory=list)


def front_page(sections: list[Section]) -> FrontPage:
    pins = (
        Pin.objects.live()
        .filter(article__language=get_language())
        .select_related("article__section")
        .defer("article__body", "article__search_text", "article__search_vector")
    )
    lead = [p.article for p in pins if p.slot == Pin.Slot.LEAD]
    top = [p.article for p in pins if p.slot == Pin.Slot.TOP]
    pinned = {a.pk for a in lead + top}
    newest = Article.objects.published().in_language().values_list("pk", "section_id")
    recent = [row for row in newest[:RECENT] if row[0] not in pinned]
    chosen = [] if lead else recent[:1]
    recent = recent[len(chosen) :]
    filling = max(0, TOP_SLOTS - len([a for a in top if not lead or a.pk != lead[0].pk]))
    chosen, recent = chosen + recent[:filling], recent[filling:]
    by_section: dict[int, list[int]] = {}
    for pk, section_id in recent:
        ids = by_section.setdefault(section_id, [])
        if len(ids) < PER_SECTION:
            ids.append(pk)
    shown = (
        Article.objects.published()
        .for_listing()
        .in_bulk([pk for pk, _ in chosen] + [pk for ids in by_section.values() for pk in ids])
    )
    filled = [shown[pk] for pk, _ in chosen if pk in shown]
    page = FrontPage(lead=lead[0] if lead else (filled.pop(0) if filled else None))
    page.top = [a for a in top if page.lead is None or a.pk != page.lead.pk][:TOP_SLOTS]
    page.top += filled[: TOP_SLOTS - len(page.top)]
    page.sections = [
        (s, [shown[pk] for pk in by_section[s.pk] if pk in shown])
        for s in sections
        if by_section.get(s.pk)
    ]
    return page
