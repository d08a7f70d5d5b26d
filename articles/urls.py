from django.urls import path

from newsroom.page_cache import cache_public_page

from . import feeds, story_page, views
from .kinds import KINDS

app_name = "articles"

urlpatterns = [
    path("", views.FrontPageView.as_view(), name="home"),
    path("tin-moi/", views.ArticleListView.as_view(), name="latest"),
    path("tim-kiem/", views.SearchView.as_view(), name="search"),
    path("gioi-thieu/", cache_public_page(views.AboutView.as_view()), name="about"),
    path("tin/<slug:slug>/", story_page.ArticleDetailView.as_view(), name="article"),
    path("rss/", cache_public_page(feeds.StoriesFeed()), name="feed"),
    path("atom/", cache_public_page(feeds.AtomStoriesFeed()), name="feed-atom"),
    path("cam-ket/", views.CommitmentListView.as_view(), name="commitments"),
    path("cam-ket/csv/", views.CommitmentCsvView.as_view(), name="commitments-csv"),
    path("cam-ket/rss/", cache_public_page(feeds.CommitmentsFeed()), name="commitments-feed"),
]

# Each kind's page, and its feeds if it has them: /to-chuc/<slug>/, /to-chuc/<slug>/rss/.
for kind in KINDS:
    page = views.ENTITY_VIEWS.get(kind.name, views.EntityArticlesView)
    urlpatterns.append(
        path(f"{kind.url_word}/<slug:slug>/", page.as_view(kind=kind), name=kind.name)
    )
    if kind.name in feeds.FEEDS:
        rss, atom = feeds.FEEDS[kind.name]
        urlpatterns += [
            path(
                f"{kind.url_word}/<slug:slug>/rss/",
                cache_public_page(rss()),
                name=f"{kind.name}-feed",
            ),
            path(
                f"{kind.url_word}/<slug:slug>/atom/",
                cache_public_page(atom()),
                name=f"{kind.name}-feed-atom",
            ),
        ]
