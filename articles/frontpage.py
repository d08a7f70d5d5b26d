"""What the home page shows: the lead story and the top stories editors pinned
(the newest stories fill what they left empty), then the latest stories of each
section, all in the site's language. A fixed number of queries: the pins, and
one window of the newest stories, grouped by section in Python."""

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
    newest = Article.objects.published().in_language().for_listing()[:RECENT]
    recent = [a for a in newest if a.pk not in pinned]
    page = FrontPage(lead=lead[0] if lead else (recent.pop(0) if recent else None))
    page.top = [a for a in top if page.lead is None or a.pk != page.lead.pk][:TOP_SLOTS]
    while len(page.top) < TOP_SLOTS and recent:
        page.top.append(recent.pop(0))
    by_section: dict[int, list[Article]] = {}
    for article in recent:
        stories = by_section.setdefault(article.section_id, [])
        if len(stories) < PER_SECTION:
            stories.append(article)
    page.sections = [(s, by_section[s.pk]) for s in sections if by_section.get(s.pk)]
    return page
