"""Copy from outlets becomes draft stories: read by wire.py, saved through the
desk's rules (workflow.py), once per text however often it is imported."""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.html import escape

from ..models import Article, Author, Byline, Organization
from ..text.slugs import fold, unique_slug
from . import workflow
from .wire import Cut, decode, read


@dataclass
class Imported:
    name: str
    article: Article | None = None
    created: bool = False
    error: str = ""
    cut: list[Cut] = field(default_factory=list)


def _outlet_named(lines: list[str]) -> Organization | None:
    """The outlet whose name, or another name, a line above the headline is."""
    wanted = {fold(line).strip() for line in lines}
    if not wanted:
        return None
    outlets = Organization.objects.filter(kind=Organization.Kind.MEDIA).prefetch_related("aliases")
    for outlet in outlets:
        if {fold(n) for n in (outlet.name, *(a.name for a in outlet.aliases.all()))} & wanted:
            return outlet
    return None


def _author(name: str) -> Author:
    found = Author.objects.filter(name__iexact=name).first()
    return found or Author.objects.create(name=name)


def import_copy(
    name: str, data: bytes, *, outlet: Organization | None = None, user=None
) -> Imported:
    """One file of copy as a draft; the same text again is skipped, a file that
    is not text is refused with the reason. Nothing the copy does not state
    is filled in."""
    result = Imported(name)
    try:
        wire = read(decode(data))
    except ValueError as error:
        result.error = str(error)
        return result
    if not wire.sapo:
        result.error = "không tìm thấy đoạn văn nào của bài"
        return result
    result.cut = wire.cut
    fingerprint = wire.fingerprint()
    if existing := Article.objects.filter(wire_fingerprint=fingerprint).first():
        result.article = existing
        return result
    article = Article(
        headline=wire.headline,
        # A story without a headline gets one from the desk, and says so.
        headline_by_desk=not wire.headline,
        sapo=wire.sapo,
        body="\n".join(f"<{b.tag}>{escape(b.text)}</{b.tag}>" for b in wire.blocks),
        status=Article.Status.DRAFT,
        image_caption=wire.caption,
        source_outlet=outlet or _outlet_named(wire.masthead),
        source_published_at=wire.source_time,
        wire_fingerprint=fingerprint,
        import_notes=[{"text": c.text, "why": c.why} for c in wire.cut],
    )
    article.slug = unique_slug(article, wire.headline or " ".join(wire.sapo.split()[:12]))
    try:
        with transaction.atomic():
            workflow.save(article, user)
            if wire.byline:
                Byline.objects.create(article=article, author=_author(wire.byline))
    except IntegrityError:  # the same text, imported at the same moment by someone else
        result.article = Article.objects.filter(wire_fingerprint=fingerprint).first()
        return result
    result.article, result.created = article, True
    return result
