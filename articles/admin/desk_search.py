"""The desk's search for stories: the readers' index (articles/search/), so
that `hoa ky` finds `Hoa Kỳ`, a byline or an entity's other name finds the
stories naming them, matches are ranked, and no pass over the archive is made;
a story's slug (or its address, pasted) finds that story."""

from django.contrib.admin.views.main import ORDER_VAR
from django.db.models import QuerySet

from .. import search


class DeskSearch:
    """For ``ArticleAdmin``: its list and the autocompletes that choose a story."""

    def get_search_results(self, request, queryset: QuerySet, search_term: str):
        term = search_term.strip()
        if not term:
            return queryset, False
        slug = term.rstrip("/").rsplit("/", 1)[-1]
        by_slug = queryset.filter(slug=slug)
        if by_slug.exists():
            return by_slug, False
        found = search.search(queryset, term)  # best match first
        if ORDER_VAR in request.GET:  # unless the editor sorts by a column
            found = found.order_by(*queryset.query.order_by)
        return found, False
