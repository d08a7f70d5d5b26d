from django.urls import path

from . import feeds, views
from .caching import cache_public_page

app_name = "articles"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="home"),
    path("tim-kiem/", views.SearchView.as_view(), name="search"),
    path("tin/<slug:slug>/", views.ArticleDetailView.as_view(), name="article"),
    path("chuyen-muc/<slug:slug>/", views.SectionView.as_view(), name="section"),
    path("the/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("to-chuc/<slug:slug>/", views.OrganizationView.as_view(), name="organization"),
    path("nhan-vat/<slug:slug>/", views.PersonView.as_view(), name="person"),
    path("tac-gia/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("su-kien/<slug:slug>/", views.EventView.as_view(), name="event"),
    path("rss/", cache_public_page(feeds.StoriesFeed()), name="feed"),
    path("atom/", cache_public_page(feeds.AtomStoriesFeed()), name="feed-atom"),
]

for prefix, name, rss, atom in [
    ("chuyen-muc", "section", feeds.SectionFeed, feeds.SectionAtomFeed),
    ("the", "tag", feeds.TagFeed, feeds.TagAtomFeed),
    ("to-chuc", "organization", feeds.OrganizationFeed, feeds.OrganizationAtomFeed),
    ("tac-gia", "author", feeds.AuthorFeed, feeds.AuthorAtomFeed),
]:
    urlpatterns += [
        path(f"{prefix}/<slug:slug>/rss/", cache_public_page(rss()), name=f"{name}-feed"),
        path(f"{prefix}/<slug:slug>/atom/", cache_public_page(atom()), name=f"{name}-feed-atom"),
    ]
