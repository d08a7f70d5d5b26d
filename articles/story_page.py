"""A story's page, and its preview for the desk.

The preview has no public URL: the admin serves it to staff, the one road to a
story that does not go through ``Article.objects.published()``."""

from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView

from .coverage import event_boxes
from .freshness import edge, pieces
from .models import Article
from .models.base import address, surrogate_key
from .related import side_lists
from .views import PublicArticleMixin


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
