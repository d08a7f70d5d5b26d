from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

# Readers' pages in Vietnamese at /, in English under /en/.
urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    *i18n_patterns(path("", include("articles.urls")), prefix_default_language=False),
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
]
