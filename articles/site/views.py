"""Readers' pages. Every one of them goes through ``PublicArticleMixin`` and so
through ``Article.objects.published()``: nothing unpublished can leak. A story's
own page and its preview for the desk (which has no public URL: the admin serves
it to staff, the one road to a story that does not go through ``published()``)
are at the end."""

import functools
import operator

from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.translation import get_language, gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from ..freshness import edge, pieces, surrogates
from ..kinds import Kind
from ..models import Article, Author, Country, Event, Organization, Outcome, Person
from ..models.base import address, surrogate_key
from ..models.bounded import joins_in_written_order
from . import reads
from .commitments import OutcomeFilter, as_csv, by_meeting, chosen, public_outcomes, totals
from .context_processors import menu_sections
from .coverage import coverage, event_boxes
from .filters import ArticleFilter
from .frontpage import choose, front_page
from .pagination import PAGE, SITEMAP_PAGE, paginate
from .related import side_lists
from .sitemaps import news_items

# Query parameters that ask for a list rather than the front page.
FILTERING = ArticleFilter.parameters() | {PAGE}
# Every query parameter a reader's page reads, declared by the filter sets and the pages:
# a page asked for with any other (a tracking tag, a probe) is made but not kept
# (``freshness.pages.read_parameters``, told at start-up by ``apps.py``).
QUERY_PARAMETERS = FILTERING | OutcomeFilter.parameters() | {SITEMAP_PAGE}


class PublicArticleMixin:
    """Readers see published stories only, those written in the site's language,
    twenty to a page, never counted. Its URL says that its pages may be kept
    (``cache_public_page`` in urls.py): they come from the page cache unless the
    reader is signed in."""

    paginate_by = 20
    # Which listings' membership the page shows, for the edge (surrogates.py);
    # the things it links to note themselves.
    lists: tuple[str, ...] = (surrogates.STORIES,)

    def dispatch(self, request, *args, **kwargs):
        edge.show(*self.lists)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return Article.objects.published().in_language()

    def paginate_queryset(self, queryset, page_size):
        paginator, page = paginate(queryset, page_size, self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()


class ReadersFilterView(FilterView):
    """A list narrowed by a readers' filter form."""

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if self.filterset.errors:
            # Shown with its errors, not kept: every made-up value would be another entry.
            patch_cache_control(response, no_store=True)
        return response


class FrontPageView(PublicArticleMixin, TemplateView):
    """The home page as editors made it (frontpage.py). The filters live on the
    latest stories' listing: an old filtered address of the home page goes there."""

    template_name = "articles/front_page.html"
    lists = (surrogates.STORIES, surrogates.HOME)

    def get(self, request, *args, **kwargs):
        if request.GET.keys() & FILTERING:
            latest = reverse("articles:latest")
            return HttpResponsePermanentRedirect(f"{latest}?{request.GET.urlencode()}")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        # Which stories, kept until the listings or the pins change; what the page
        # shows of them, until that changes (articles/freshness/pieces.py).
        choice = pieces.kept(f"front-choice:{get_language()}", self.choose, note=False, shared=True)
        front = pieces.kept(f"front:{get_language()}:{choice}", lambda: self.front(choice))
        return super().get_context_data(front=front, **kwargs)

    def choose(self):
        edge.show(*self.lists)
        return choose()

    def front(self, choice) -> str:
        page = front_page(choice, menu_sections())
        most_read = reads.most_read(get_language())
        context = {"front": page, "most_read": most_read}
        return render_to_string("articles/_front.html", context, self.request)


class AboutView(TemplateView):
    """What the site is and how it works: its sections, its data, its feeds."""

    template_name = "articles/about.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            tracker_url=reverse("articles:commitments"), rss_url=reverse("articles:feed"), **kwargs
        )


class ArticleListView(PublicArticleMixin, ReadersFilterView):
    """The latest stories, narrowed by the filter form."""

    filterset_class = ArticleFilter
    template_name = "articles/article_list.html"
    lists = (surrogates.STORIES, *surrogates.EVERY_KIND)  # the filter form lists things
    form_fields: tuple[str, ...] | None = None  # the filter form's fields shown; None: all

    def get_queryset(self):
        return super().get_queryset().for_listing()

    def get_context_data(self, **kwargs):
        form = self.filterset.form
        shown = [form[name] for name in self.form_fields] if self.form_fields else list(form)
        return super().get_context_data(filter_fields=shown, **kwargs)


class SearchView(ArticleListView):
    """Stories matching the reader's words, best first, narrowed by the filters."""

    template_name = "articles/search.html"
    form_fields = ("q", "section", "tag", "organization", "date")

    def get_context_data(self, **kwargs):
        query = self.filterset.data.get("q", "").strip()  # as the filter read it
        context = super().get_context_data(query=query, **kwargs)
        # The words on their own line; the filters folded behind a button, so that
        # on a phone the results come first (templates/articles/_search_form.html).
        context["query_field"], *context["filter_fields"] = context["filter_fields"]
        return context


class EntityArticlesView(PublicArticleMixin, ListView):
    """A page of one thing of a kind (kinds.py): what it is, then its published
    stories, newest first."""

    kind: Kind = None
    lists = ()

    def get_entity_queryset(self):
        return self.kind.model._default_manager.all()

    def get(self, request, *args, **kwargs):
        things = self.kind.public(self.get_entity_queryset())
        self.entity = get_object_or_404(things, slug=kwargs["slug"])
        surrogates.show_listing(self.entity)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return self.kind.stories_of(super().get_queryset().for_listing(), self.entity)

    def get_template_names(self):
        """The kind's own page if it has one, else the page every kind shares."""
        return [f"articles/{self.kind.name}_detail.html", "articles/entity_detail.html"]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            object=self.entity, kind=self.kind, **{self.kind.name: self.entity}, **kwargs
        )


class PartyView(EntityArticlesView):
    """A country's, an organization's or a person's page: also the meetings they
    took part in, and the newest of the commitments they made or received."""

    commitments_shown = 10
    # How an event involves it: any of these paths from the event leads to it.
    took_part: tuple[str, ...] = ("participants__organization",)

    def get_context_data(self, **kwargs):
        involved = functools.reduce(
            operator.or_, (Q(**{path: self.entity}) for path in self.took_part)
        )
        events = Event.objects.filter(involved).distinct()
        theirs = public_outcomes().involving(self.entity)
        statement = Outcome.Kind.STATEMENT
        return super().get_context_data(
            events=events,
            commitments=theirs.exclude(kind=statement)[: self.commitments_shown + 1],
            facts=theirs.filter(kind=statement)[: self.commitments_shown],
            commitments_shown=self.commitments_shown,
            object_kind=self.kind.name,
            **kwargs,
        )


class CountryView(PartyView):
    took_part = ("participants__country", "country")  # a side of it, or held there

    def get_entity_queryset(self):
        return Country.objects.prefetch_related("aliases")


class OrganizationView(PartyView):
    def get_entity_queryset(self):
        return Organization.objects.select_related("parent", "country").prefetch_related(
            "aliases", "people", "children"
        )


class PersonView(PartyView):
    took_part = ("participants__person",)

    def get_entity_queryset(self):
        return Person.objects.select_related("organization", "country").prefetch_related("aliases")


class AuthorView(EntityArticlesView):
    def get_entity_queryset(self):
        return Author.objects.select_related("affiliation")


class EventView(EntityArticlesView):
    """An event's page: who took part, its meetings in order, what came of it,
    and its full coverage, the stories grouped by the outlet they come from."""

    def get_entity_queryset(self):
        return (
            Event.objects.with_details()
            .select_related("parent", "country")
            .prefetch_related("topics")
        )

    def get_queryset(self):
        return super().get_queryset().for_coverage(self.entity)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        outcomes = list(public_outcomes().of_event(self.entity))
        return {
            **context,
            "results": by_meeting([o for o in outcomes if not o.background], self.entity),
            "background": [o for o in outcomes if o.background],
            "coverage": coverage(self.entity, context["article_list"]),
        }


class CommitmentListView(PublicArticleMixin, ReadersFilterView):
    """The commitments tracker: every outcome of every meeting that a published
    story reports, narrowed by who, which event, what kind and how it stands."""

    filterset_class = OutcomeFilter
    template_name = "articles/outcome_list.html"
    lists = (surrogates.COMMITMENTS, *surrogates.EVERY_KIND)
    paginate_by = 50

    def get_queryset(self):
        return public_outcomes()

    def paginate_queryset(self, queryset, page_size):
        with joins_in_written_order(queryset.db):
            return super().paginate_queryset(queryset, page_size)

    def get_context_data(self, **kwargs):
        return super().get_context_data(totals=totals(self.object_list), **kwargs)


class CommitmentCsvView(CommitmentListView):
    """The tracker's filtered set, whole, as a spreadsheet."""

    def get(self, request, *args, **kwargs):
        outcomes, refused = chosen(request)
        if refused:
            return refused
        return as_csv(request, outcomes)


# The kinds whose page shows more than the thing and its stories.


def news_sitemap(request):
    """Google News: the last two days' stories, at most a thousand."""
    edge.show(surrogates.STORIES, surrogates.REVISED)
    return render(
        request,
        "sitemaps/news.xml",
        {
            "stories": news_items(),
            "publication": gettext("Toà soạn"),
            "base_url": f"{request.scheme}://{request.get_host()}",
        },
        content_type="application/xml",
    )


@csrf_exempt  # a beacon carries no form token; it changes nothing but a count
@require_POST
@never_cache
def count_read(request, pk: int):
    """A story's page was read (reads.py): counted unless a bot or a repeat sent
    it. No content: a beacon reads nothing back. A story readers may not see
    is not found."""
    story = Article.objects.published().filter(pk=pk).values_list("pk", flat=True).first()
    if story is None:
        raise Http404
    reads.count(request, story)
    return HttpResponse(status=204)


def health(request):
    """For load balancers and for the benchmark's floor: no database, no cache,
    no template; only Django's request cycle and middleware."""
    return HttpResponse("ok", content_type="text/plain")


def robots_txt(request):
    return render(
        request,
        "robots.txt",
        {"base_url": f"{request.scheme}://{request.get_host()}"},
        content_type="text/plain; charset=utf-8",
    )


class ArticleDetailView(PublicArticleMixin, DetailView):
    """A story, on the site of its own language. Asked for on the other site, it
    sends the reader to its translation there, or else to itself: for now (a
    translation may come), so the redirect is not permanent.

    Its text is kept by its address (articles/freshness/pieces.py) and looked for first:
    kept, the story's row is read light (``for_page``); made, whole (``for_story``)."""

    lists = ()  # related news is not purged by every story published
    text: dict | None = None  # the page's head and the story, as ``story_parts`` makes them
    whole: Article | None = None  # the story's whole row, once read

    def get(self, request, *args, **kwargs):
        slug = kwargs.get("slug")
        host = f"{request.scheme}://{request.get_host()}"
        try:
            self.text = pieces.kept(f"story:{slug}:{get_language()}:{host}", self.story_parts)
            self.object = self.whole or self.get_object(Article.objects.published().for_page())
        except Http404:
            if moved := self.renamed(slug):
                # To the new address on this site, which sends on to the story's language.
                return HttpResponsePermanentRedirect(address(Article, moved.slug))
            raise
        if self.object.language != get_language():
            shown = self.object.in_language(get_language()) or self.object
            return HttpResponseRedirect(shown.get_absolute_url())
        if self.text.get("pk") != self.object.pk:  # another story at this address since
            self.text = self.story_parts()
        return self.render_to_response(self.get_context_data(object=self.object))

    def renamed(self, slug: str | None) -> Article | None:
        """The story that had this address before it was renamed, if readers may see it."""
        if not slug:
            return None
        return Article.objects.published().renamed_from(slug).first()

    def get_queryset(self):
        return Article.objects.published().for_story()

    def get_context_data(self, **kwargs):
        story = self.object
        sides = side_lists(story)
        # What is beside the story, kept by the stories it lists.
        beside = f"beside:{get_language()}:{sides.related}:{sides.more}"
        return super().get_context_data(
            parts={**self.text, "side": pieces.kept(beside, lambda: self.beside(sides))},
            translations=story.published_translations,  # the page's other languages
            **kwargs,
        )

    def story_parts(self) -> dict:
        """The page's head (description, social cards, structured data) and the
        story itself, with its links and event boxes; nothing for a story of the
        other site's language, which is sent there."""
        story = self.whole = self.whole or self.get_object()
        if story.language != get_language():
            return {}
        edge.show(surrogate_key(story))
        story.fetch_links()
        if story.was_live:  # its timeline, made again at each update
            edge.show(surrogates.live(story.pk))
            story.updates_shown = list(story.timeline())
        context = {
            "article": story,
            "translations": story.published_translations,
            "event_boxes": event_boxes(story),
            "request": self.request,
        }
        return {
            "pk": story.pk,
            **{
                part: render_to_string(f"articles/{template}", context)
                for part, template in (("meta", "_story_meta.html"), ("main", "_story.html"))
            },
        }

    def beside(self, sides) -> str:
        """Related news and "Tin khác"."""
        related, more = sides.stories()
        return render_to_string("articles/_story_side.html", {"related": related, "more": more})


class LiveTimelineView(PublicArticleMixin, DetailView):
    """A live story's timeline alone, which its page polls for new updates (with
    the ETag of the copy it has: a 304 while nothing is new, from the edge)."""

    template_name = "articles/_live.html"
    lists = ()

    def get_queryset(self):
        return Article.objects.published().in_language().filter(live_from__isnull=False)

    def get_context_data(self, **kwargs):
        story = self.object
        edge.show(surrogates.live(story.pk))
        story.updates_shown = list(story.timeline())
        return super().get_context_data(article=story, fragment=True, **kwargs)


@method_decorator(never_cache, name="dispatch")
class ArticlePreviewView(ArticleDetailView):
    """A story exactly as readers will see it, whatever its status. The admin
    serves it behind staff sign-in, never kept; search engines are told to keep out."""

    def get_queryset(self):
        return Article.objects.for_detail()

    def get(self, request, *args, **kwargs):
        # In the story's own language, as its site will show it, whatever the desk's.
        self.object = self.whole = self.get_object()
        with translation.override(self.object.language):
            self.text = self.story_parts()
            response = self.render_to_response(self.get_context_data(object=self.object))
            response.render()
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview=True, **kwargs)
