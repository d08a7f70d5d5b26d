"""Pages without ``COUNT(*)``: counting every published story costs a scan of
the archive on each request, while a reader only needs "is there a next page?".
One extra row answers that."""

from django.core.paginator import EmptyPage, InvalidPage, Page, PageNotAnInteger, Paginator
from django.http import Http404
from django.utils.translation import gettext as _

# Deeper than this, OFFSET grows costly; the date filter reaches any older story.
MAX_PAGE = 500
# The query parameters that name a page: a listing's (``?page=2``), a sitemap's (``?p=2``,
# as django.contrib.sitemaps names it).
PAGE, SITEMAP_PAGE = "page", "p"


class NextPage(Page):
    def __init__(self, object_list, number, paginator, has_next: bool):
        super().__init__(object_list, number, paginator)
        self._has_next = has_next

    def has_next(self) -> bool:
        return self._has_next

    def has_other_pages(self) -> bool:
        return self.number > 1 or self._has_next


class NextPagePaginator(Paginator):
    """A ``Paginator`` that reads one row more than a page instead of counting."""

    def validate_number(self, number) -> int:
        try:
            number = int(number)
        except (TypeError, ValueError, OverflowError):
            raise PageNotAnInteger(_("Số trang không hợp lệ.")) from None
        if not 1 <= number <= MAX_PAGE:
            raise EmptyPage(_("Không có trang này."))
        return number

    def page(self, number) -> NextPage:
        number = self.validate_number(number)
        start = (number - 1) * self.per_page
        rows = list(self.object_list[start : start + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(_("Không có trang này."))
        # The deepest page links to no next one: it could not be asked for.
        has_next = len(rows) > self.per_page and number < MAX_PAGE
        return NextPage(rows[: self.per_page], number, self, has_next)


def paginate(queryset, per_page: int, number) -> tuple[NextPagePaginator, NextPage]:
    """The requested page, or a 404 for a page that is not a positive number or is past the end."""
    paginator = NextPagePaginator(queryset, per_page)
    try:
        return paginator, paginator.page(number or 1)
    except InvalidPage as error:
        raise Http404(str(error)) from None
