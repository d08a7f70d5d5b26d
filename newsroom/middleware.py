from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Vietnamese unless someone chose English: by the /en/ address on public
    pages, or in the admin by the language switcher's cookie. A browser's
    Accept-Language header is not taken as a choice."""

    def process_request(self, request):
        super().process_request(request)
        if request.path_info.startswith(f"/{settings.ADMIN_URL}"):
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            if chosen not in dict(settings.LANGUAGES):
                chosen = settings.LANGUAGE_CODE
            translation.activate(chosen)
            request.LANGUAGE_CODE = translation.get_language()
