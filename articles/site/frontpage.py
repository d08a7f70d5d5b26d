"""What the home page shows: the lead story and the top stories editors pinned
(the newest stories fill what they left empty), the newest stories as a column
beside them ("Mới nhất"), then the latest stories of each section, all in the
site's language. "Đọc nhiều" beside them is counted and ranked apart (reads.py).

``choose`` says which stories, by id, in two queries (the pins, and the ids and
sections of a window of the newest stories, grouped by section in Python); the
page keeps its choice until the content changes and what it shows of it until
that changes (views.py), and ``front_page`` makes the stories of a choice in one
query when the page must be made again."""

from dataclasses import dataclass, field

from django.utils.translation import get_language

from ..models import Article, Pin, Section

TOP_SLOTS = 4
PER_SECTION = 5
LATEST = 10  # the "Mới nhất" column
RECENT = 200  # the newest stories the section blocks are drawn from


@dataclass(frozen=True)
class Choice:
    """The stories of the home page, by id."""

    lead: int | None
    top: tuple[int, ...]
    sections: dict[int, list[int]]  # a section's id: its stories'
    latest: tuple[int, ...] = ()

    def ids(self) -> list[int]:
        return [pk for pk in (self.lead, *self.top, *self.latest) if pk] + [
            pk for ids in self.sections.values() for pk in ids
        ]


@dataclass
class FrontPage:
    lead: Article | None = None
    top: list[Article] = field(default_factory=list)
    latest: list[Article] = field(default_factory=list)
    sections: list[tuple[Section, list[Article]]] = field(default_factory=list)


def choose() -> Choice:
    pins = (
        Pin.objects.live().filter(article__language=get_language()).values_list("slot", "article")
    )
    pins = list(pins)
    lead = next((pk for slot, pk in pins if slot == Pin.Slot.LEAD), None)
    top = [pk for slot, pk in pins if slot == Pin.Slot.TOP and pk != lead][:TOP_SLOTS]
    pinned = {pk for _slot, pk in pins}
    newest = Article.objects.published().in_language().values_list("pk", "section_id")
    window = list(newest[:RECENT])
    recent = [row for row in window if row[0] not in pinned]
    # The newest fill the lead, if no story is pinned there, and the top's empty slots.
    fill = (lead is None) + TOP_SLOTS - len(top)
    filling, recent = [pk for pk, _section in recent[:fill]], recent[fill:]
    if lead is None and filling:
        lead = filling.pop(0)
    by_section: dict[int, list[int]] = {}
    for pk, section_id in recent:
        ids = by_section.setdefault(section_id, [])
        if len(ids) < PER_SECTION:
            ids.append(pk)
    above = {lead, *top, *filling}  # the newest besides those shown large already
    latest = tuple(pk for pk, _section in window if pk not in above)[:LATEST]
    return Choice(lead, (*top, *filling), by_section, latest)


def front_page(choice: Choice, sections: list[Section]) -> FrontPage:
    """The stories of ``choice`` that readers may see now, the sections in the
    order of ``sections``."""
    shown = Article.objects.published().for_listing().in_bulk(choice.ids())
    return FrontPage(
        lead=shown.get(choice.lead),
        top=[shown[pk] for pk in choice.top if pk in shown],
        latest=[shown[pk] for pk in choice.latest if pk in shown],
        sections=[
            (s, [shown[pk] for pk in choice.sections[s.pk] if pk in shown])
            for s in sections
            if choice.sections.get(s.pk)
        ],
    )
