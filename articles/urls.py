from django.urls import path

from .freshness.pages import cache_public_page
from .kinds import KINDS
from .site import feeds, views

app_name = "articles"

# Every readers' page may be kept (freshness/pages.py): said here, once per address.
public = cache_public_page

urlpatterns = [
    path("", public(views.FrontPageView.as_view()), name="home"),
    path("tin-moi/", public(views.ArticleListView.as_view()), name="latest"),
    path("tim-kiem/", public(views.SearchView.as_view()), name="search"),
    path("gioi-thieu/", public(views.AboutView.as_view()), name="about"),
    path("tin/<slug:slug>/", public(views.ArticleDetailView.as_view()), name="article"),
    path("tin/<slug:slug>/truc-tiep/", public(views.LiveTimelineView.as_view()), name="live"),
    path("rss/", public(feeds.StoriesFeed()), name="feed"),
    path("atom/", public(feeds.AtomStoriesFeed()), name="feed-atom"),
    # A story read (site/reads.py): a beacon, never kept.
    path("doc/<int:pk>/", views.count_read, name="read"),
    path("cam-ket/", public(views.CommitmentListView.as_view()), name="commitments"),
    path("cam-ket/csv/", public(views.CommitmentCsvView.as_view()), name="commitments-csv"),
    path("cam-ket/rss/", public(feeds.CommitmentsFeed()), name="commitments-feed"),
]

# Each kind's page, and its feeds if it has them: /to-chuc/<slug>/, /to-chuc/<slug>/rss/.
for kind in KINDS:
    page = kind.page_view()
    urlpatterns.append(
        path(f"{kind.url_word}/<slug:slug>/", public(page.as_view(kind=kind)), name=kind.name)
    )
    if kind.name in feeds.FEEDS:
        rss, atom = feeds.FEEDS[kind.name]
        urlpatterns += [
            path(
                f"{kind.url_word}/<slug:slug>/rss/",
                public(rss()),
                name=f"{kind.name}-feed",
            ),
            path(
                f"{kind.url_word}/<slug:slug>/atom/",
                public(atom()),
                name=f"{kind.name}-feed-atom",
            ),
        ]
