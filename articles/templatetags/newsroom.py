"""Presentation helpers: times and figures the way Vietnamese papers print them, and links
to the same page (or story) in the other interface language."""

import datetime
import json
import unicodedata

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import dateformat, timezone, translation
from django.utils.choices import CallableChoiceIterator
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from articles import search
from articles.models import Section
from articles.site import structured_data
from articles.text.amounts import outcome_amount
from articles.text.galleries import with_galleries
from articles.text.sanitize import xml_safe

from ..freshness import edge, pieces, surrogates

register = template.Library()


register.filter("xml_safe", xml_safe)  # for a sitemap's rows stored before text was checked

register.filter("with_galleries", with_galleries)  # a story's body: runs of pictures as galleries

WEEKDAYS = [
    _("Thứ Hai"),
    _("Thứ Ba"),
    _("Thứ Tư"),
    _("Thứ Năm"),
    _("Thứ Sáu"),
    _("Thứ Bảy"),
    _("Chủ Nhật"),
]


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def minutes(value: datetime.timedelta) -> int:
    """A duration in whole minutes, rounded up: "try again in 15 minutes"."""
    return -(-int(value.total_seconds()) // 60)


@register.filter
def iso(value) -> str:
    """A moment as HTML's ``datetime`` attribute takes it: to the second, in
    Vietnam time (six decimals of a second, as the database keeps, are refused)."""
    if not value:
        return ""
    return _local(value).replace(microsecond=0).isoformat()


def _in_english() -> bool:
    return (translation.get_language() or "").startswith("en")


@register.filter
def vn_time(value) -> str:
    """``17:05, 21/05/2025`` in Vietnam time (``17:05, 21 May 2025`` in English)."""
    if not value:
        return ""
    if _in_english():
        return dateformat.format(_local(value), "H:i, j F Y")
    return _local(value).strftime("%H:%M, %d/%m/%Y")


@register.filter
def vn_day(value) -> str:
    """``Thứ Tư, 21/05/2025``, or in English ``Wednesday, 21 May 2025``."""
    if not value:
        return ""
    value = _local(value)
    if _in_english():
        return dateformat.format(value, "l, j F Y")
    return f"{WEEKDAYS[value.weekday()]}, {value.strftime('%d/%m/%Y')}"


@register.filter
def lang_attr(thing) -> str:
    """`` lang="vi"`` where ``thing`` (a name, a description, a title: the
    newsroom's content) is shown in Vietnamese on a page in another language, so
    that browsers and screen readers read it as Vietnamese; nothing where it is
    shown in the page's language (a thing under its English name on the English
    site)."""
    if translation.get_language() == "vi" or thing in (None, ""):
        return ""
    source = getattr(thing, "slug_source", None)
    if source and getattr(thing, f"{source}_en", ""):
        return ""
    return mark_safe(' lang="vi"')


@register.filter
def vn_short(value) -> str:
    """``17:05 21/05``: a time in a column of the newest stories (``21 May, 17:05``
    in English)."""
    if not value:
        return ""
    if _in_english():
        return dateformat.format(_local(value), "j M, H:i")
    return _local(value).strftime("%H:%M %d/%m")


@register.filter
def vn_dateline(value) -> str:
    """``Thứ Tư, 21/05/2025, 17:05 (GMT+7)``: a story page's dateline."""
    if not value:
        return ""
    value = _local(value)
    return f"{vn_day(value)}, {value.strftime('%H:%M')} (GMT{value.strftime('%z')[:3]})".replace(
        "GMT+0", "GMT+"
    )


@register.filter
def amount(outcome) -> str:
    """An outcome's figure as readers read it: ``khoảng 1,5 tỷ USD``."""
    return outcome_amount(outcome)


@register.filter
def told_differently(reports) -> bool:
    """Some of an outcome's reports word it or give its figure otherwise than
    the outcome: readers are shown each story's own."""
    return any(report.differs for report in reports or ())


@register.filter
def highlight(text: str, query: str):
    """The stretch of ``text`` around the reader's words, with the words marked."""
    return search.highlight(text, query)


@register.filter
def mark_words(text: str, query: str):
    """All of ``text`` (a headline is never cut), the reader's words marked."""
    return search.highlight(text, query, width=None)


# What a story names, as its page lists it under the text: (relation, label, link class).
NAMED = (
    ("tags", _("Thẻ:"), "tag"),
    ("countries", _("Quốc gia:"), ""),
    ("organizations", _("Tổ chức:"), ""),
    ("people", _("Nhân vật:"), ""),
)


@register.simple_tag
def named_lists(article) -> list[dict]:
    """The lists of what ``article`` names, each with its label, the empty ones left out
    (``articles/_link_list.html`` draws one)."""
    lists = [
        {"label": label, "things": list(getattr(article, relation).all()), "link_class": css}
        for relation, label, css in NAMED
    ]
    return [named for named in lists if named["things"]]


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """The current page in each interface language, for the switcher (``url``)
    and as the page's alternates (``alternate``: ``absolute``). A story belongs
    to its language's site: the other site's link is its translation there, or
    else that site's home page, and only a story that has translations names
    alternates (itself and them). The first alternate is also ``x_default``."""
    request = context["request"]
    story = context.get("article") if "translations" in context else None
    links: list[dict] = []
    for code, _name in settings.LANGUAGES:
        if story is None:
            url = translate_url(request.get_full_path(), code)  # filters and all
            path, alternate = translate_url(request.path, code), True
        elif version := story.in_language(code):
            url = path = version.get_absolute_url()
            alternate = bool(context["translations"])
        else:
            with translation.override(code):
                url = path = reverse("articles:home")
            alternate = False
        links.append(
            {
                "code": code,
                # Django writes "Tiếng Việt" decomposed: composed, it is found and read as typed.
                "name": unicodedata.normalize("NFC", get_language_info(code)["name_local"]),
                "url": url,
                "alternate": alternate,
                "x_default": alternate and not any(link["alternate"] for link in links),
                "absolute": request.build_absolute_uri(path),
            }
        )
    return links


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """This page's one address: no filters or tracking, the page number kept."""
    request = context["request"]
    page = request.GET.get("page", "")
    query = f"?page={page}" if page.isdigit() and int(page) > 1 else ""
    return request.build_absolute_uri(request.path) + query


@register.simple_tag(takes_context=True)
def absolute_url(context, thing) -> str:
    """``thing``'s address with this site's scheme and host (what a share link names)."""
    return structured_data.absolute_url(context["request"], thing)


@register.simple_tag(takes_context=True)
def json_ld(context, kind: str, obj) -> str:
    """A ``<script type="application/ld+json">`` block that markup cannot break out of."""
    data = getattr(structured_data, kind)(context["request"], obj)
    text = json.dumps(data, ensure_ascii=False, default=str)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def _kept_cards(context, template_name: str, cards: dict[str, tuple[dict, set[str]]]) -> list[str]:
    """Each card (its name: its template's context, and the keys it shows besides
    those its links note) rendered, kept until what it shows changes
    (articles/freshness/pieces.py)."""
    card = context.template.engine.get_template(template_name)

    def make(values: dict, shows: set[str]):
        def render() -> str:
            edge.show(*shows)
            return card.render(template.Context(values))

        return render

    kept = pieces.kept_many({name: make(*card) for name, card in cards.items()})
    return [kept[name] for name in cards]


# How a teaser is drawn (templates/articles/_teaser.html): "lead", the front page's
# first story, its picture large; "item", a listing's entry, a thumbnail beside its
# headline and sapo; "card", a picture over a headline; "row", a headline with a small
# thumbnail; "headline", a headline and its time alone (the "Mới nhất" column).
TEASER_STYLES = ("lead", "item", "card", "row", "headline")
# How wide each style shows its picture, for the browser to pick a crop (site.css).
PICTURE_SIZES = {
    "lead": "(min-width: 64rem) 38rem, 100vw",
    "item": "(min-width: 40rem) 12rem, 100vw",
    "card": "(min-width: 64rem) 18rem, (min-width: 40rem) 50vw, 100vw",
    "row": "7rem",
}


@register.simple_tag(takes_context=True)
def teasers(context, stories, style: str = "item", within=None) -> list[str]:
    """Each story's teaser in ``style``, kept until what it shows changes: a list
    page is otherwise mostly the rendering of its teasers. A list ``within`` a
    section (its page, its block on the front page) does not name it on each
    teaser: it would only repeat the list's heading."""
    if style not in TEASER_STYLES:
        raise template.TemplateSyntaxError(f"a teaser's style is one of {TEASER_STYLES}")
    language = translation.get_language()
    cards: dict[str, tuple[dict, set[str]]] = {}
    for story in stories:
        shown = not (isinstance(within, Section) and story.section_id == within.pk)
        cards[f"teaser:{story.pk}:{style}{int(shown)}:{language}"] = (
            {
                "story": story,
                "style": style,
                "show_section": shown,
                "sizes": PICTURE_SIZES.get(style),
            },
            set(),
        )
    return _kept_cards(context, "articles/_teaser.html", cards)


@register.simple_tag(takes_context=True)
def outcome_cards(context, outcomes, event=None, folded: bool = False) -> list[str]:
    """Each outcome's card, its event named unless it is ``event``'s own (or one of
    its meetings', when ``folded``: listed under it), kept until what it shows
    changes: fifty cards drawn one by one were most of the tracker's making.
    ``folded``, a card is one line (its kind, figure and maker) that opens. A card
    shows its outcome's key and the tracker's, which a story reporting it purges
    when it goes live."""
    language = translation.get_language()
    cards: dict[str, tuple[dict, set[str]]] = {}
    for o in outcomes:
        show_event = event is None or (o.event_id != event.pk and not folded)
        name = f"outcome:{o.pk}:{int(show_event)}{int(folded)}:{language}"
        cards[name] = (
            {"o": o, "show_event": show_event, "folded": folded},
            {surrogates.key(o), surrogates.COMMITMENTS},
        )
    return _kept_cards(context, "articles/_outcome.html", cards)


@register.simple_tag(takes_context=True)
def teaser(context, story, style: str = "item") -> str:
    return teasers(context, [story], style)[0]


@register.tag
def keep(parser, token):
    """``{% keep "name" %}…{% endkeep %}``: a part of a template that depends on
    nothing but the content it shows and the language (the site's menu, say),
    kept until that content changes (articles/freshness/pieces.py)."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one argument: the part's name")
    nodelist = parser.parse(("endkeep",))
    parser.delete_first_token()
    return KeepNode(nodelist, parser.compile_filter(bits[1]))


class KeepNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist, self.name = nodelist, name

    def render(self, context) -> str:
        name = f"keep:{self.name.resolve(context)}:{translation.get_language()}"
        return pieces.kept(name, lambda: self.nodelist.render(context))


@register.filter
def kept_widget(field) -> str:
    """A filter form's list, kept by what it shows (its options, the value chosen)
    and the language: sixty options drawn through the widget templates are most of
    a filtered page's making."""
    options = getattr(field.field.widget, "choices", None)
    queryset = getattr(field.field, "queryset", None)
    if not isinstance(options, CallableChoiceIterator) or queryset is None or field.errors:
        # Not one of the lists drawn from the news (filters.py), or a value in error:
        # each made-up value would be another piece kept.
        return str(field)
    shown = (field.auto_id, field.value(), list(options))
    name = f"widget:{translation.get_language()}:{shown!r}"  # pieces.py digests it

    def make() -> str:
        edge.show(surrogates.everything(queryset.model))  # the things of its kind
        return str(field)

    return pieces.kept(name, make)
