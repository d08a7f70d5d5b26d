from django.db.models import QuerySet

from .models import Section


def navigation(request) -> dict[str, QuerySet]:
    """The sections in the site header, read once per page when a template uses them."""
    return {"nav_sections": Section.objects.all()}
