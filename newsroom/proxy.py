"""Who is on the other end of a request, for sign-in throttling (django-axes)."""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """Behind the TLS proxy every connection comes from the proxy, which appends
    the address it sees to X-Forwarded-For: that last entry is the client.
    Anything before it is the client's own claim, and a claim that changed with
    each try would make each try a new client. Without the proxy the header is
    the client's claim alone and is ignored."""
    forwarded = request.headers.get("x-forwarded-for", "")
    if settings.BEHIND_TLS_PROXY and forwarded.strip():
        return forwarded.rsplit(",", 1)[-1].strip()
    return request.META.get("REMOTE_ADDR", "")
