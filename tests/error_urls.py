"""The site with a page that fails: for the 500 page's tests (test_request_id.py)."""

from django.urls import path

from newsroom.urls import handler500  # noqa: F401 (the project's own)
from newsroom.urls import urlpatterns as site


def fails(request):
    raise RuntimeError("hỏng")


urlpatterns = [path("fails/", fails), *site]
