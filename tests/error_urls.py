"""The site with pages that fail: for the 500 page's tests (test_request_id.py), and
pages whose statement runs long or says its limit (test_timeouts.py)."""

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.urls import path

from newsroom.urls import handler500  # noqa: F401 (the project's own)
from newsroom.urls import urlpatterns as site


def fails(request):
    raise RuntimeError("hỏng")


def slow(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(5)")
    return HttpResponse("done")


def limit(request):
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return HttpResponse(cursor.fetchone()[0])


urlpatterns = [
    path("fails/", fails),
    path("slow/", slow),
    path("limit/", limit),
    path(f"{settings.ADMIN_URL}limit/", limit),
    *site,
]
