"""Copy from outlets becomes draft stories: read by wire.py, saved through the
desk's rules (workflow.py), once per text however often it is imported."""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.html import escape

from ..models import Article, Author, Byline, Organization, Section
from ..text.slugs import fold, unique_slug
from . import workflow
from .proposals import propose_kept
from .wire import Cut, Wire, check, decode, read


@dataclass
class Imported:
    name: str
    article: Article | None = None
    created: bool = False
    error: str = ""
    cut: list[Cut] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    # An outlet the copy names (its banner, or "Theo …") that the archive does not know.
    unknown_outlet: str = ""
    # What the copy reports was pledged, requested, agreed…: proposals.py's reading,
    # to be accepted on the draft once it is linked to its event.
    proposals: int = 0


def _outlet_named(lines: list[str]) -> Organization | None:
    """The outlet whose name, or another name, one of ``lines`` is."""
    wanted = {fold(line).strip() for line in lines if line}
    if not wanted:
        return None
    outlets = Organization.objects.filter(kind=Organization.Kind.MEDIA).prefetch_related("aliases")
    for outlet in outlets:
        if {fold(n) for n in (outlet.name, *(a.name for a in outlet.aliases.all()))} & wanted:
            return outlet
    return None


def _unknown_outlet(wire: Wire) -> str:
    """The name the copy gives its outlet when no known outlet has it: "Theo …"
    first, then the page's banner, unless that is a section's name or another
    kind of organization's (their names read once, only when there is a name)."""
    named = [name for name in (wire.source, wire.banner) if name]
    if not named:
        return ""
    others = Organization.objects.exclude(kind=Organization.Kind.MEDIA)
    sections = Section.objects.values_list("name", flat=True)
    taken = {fold(name).strip() for name in (*sections, *others.values_list("name", flat=True))}
    return next((name for name in named if fold(name).strip() not in taken), "")


def _author(name: str) -> Author:
    found = Author.objects.filter(name__iexact=name).first()
    return found or Author.objects.create(name=name)


def import_copy(
    name: str, data: bytes, *, outlet: Organization | None = None, user=None
) -> Imported:
    """One file of copy as a draft (``import_text``); a file that is not text is
    refused with the reason."""
    try:
        text = decode(data)
    except ValueError as error:
        return Imported(name, error=str(error))
    return import_text(name, text, outlet=outlet, user=user)


def import_text(name: str, text: str, *, outlet: Organization | None = None, user=None) -> Imported:
    """Copy, pasted or from a file, as a draft; the same text again is skipped.
    Nothing the copy does not state is filled in: its picture's caption and
    credit, its tags, its outlet (known by name; an unknown one offered) come
    from the copy."""
    result = Imported(name)
    try:
        wire = read(check(text))
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
        image_caption=wire.caption[:500],
        image_credit=wire.credit[:255],
        source_outlet=outlet or _outlet_named([wire.source, *wire.masthead]),
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
            if wire.tags:
                article.tags.add(*wire.tags)
    except IntegrityError:  # the same text, imported at the same moment by someone else
        result.article = Article.objects.filter(wire_fingerprint=fingerprint).first()
        return result
    result.article, result.created, result.tags = article, True, wire.tags
    result.proposals = len(propose_kept(f"{article.sapo}\n{article.body}"))
    if article.source_outlet is None:
        result.unknown_outlet = _unknown_outlet(wire)
    return result


def add_outlet(article: Article, name: str, user) -> Organization:
    """The outlet ``name`` (made if the archive has no outlet of that name or other
    name) as the source of ``article``, saved through the desk's rules."""
    outlet = _outlet_named([name])
    if outlet is None:
        outlet = Organization.objects.create(name=name.strip()[:255], kind=Organization.Kind.MEDIA)
    article.source_outlet = outlet
    workflow.save(article, user)
    return outlet
