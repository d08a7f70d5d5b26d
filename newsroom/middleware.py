from django.conf import settings
from django.http import HttpResponseBadRequest
from django.middleware.gzip import GZipMiddleware
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


class ReadersGZipMiddleware(GZipMiddleware):
    """Compresses what readers get, never a page that holds a secret. BREACH reads
    a secret off the size of compressed pages that also echo an attacker's input
    (a search): a page with a form's token, the admin, and anything sent to a
    signed-in user (the session cookie) go uncompressed. A page that used the
    CSRF token sets its cookie (Django renews it on every use): that is seen here."""

    def process_response(self, request, response):
        if (
            response.cookies
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or request.path_info.startswith(f"/{settings.ADMIN_URL}")
        ):
            return response
        return super().process_response(request, response)


class ContentSecurityPolicyMiddleware:
    """Readers' pages may load scripts, styles, images and fonts from this site
    only, and no inline script or style at all: markup that slipped past the
    sanitiser into a story could not run. The admin runs no inline script; the
    story form allows the rich-text editor's import map by its hash, in a
    policy of its own that this one leaves in place."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(f"/{settings.ADMIN_URL}"):
            policy = settings.ADMIN_CONTENT_SECURITY_POLICY
        else:
            policy = settings.CONTENT_SECURITY_POLICY
        response.headers.setdefault("Content-Security-Policy", policy)
        return response


class RejectNulMiddleware:
    """A NUL character has no place in an address, and PostgreSQL refuses it in
    text: a lookup by such a slug (the API's) was a server error. 400 at the door.
    Query values keep going to the forms, which answer them with a message."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            return HttpResponseBadRequest(
                "NUL characters are not allowed in addresses.", content_type="text/plain"
            )
        return self.get_response(request)
