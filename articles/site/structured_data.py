"""schema.org descriptions of stories, events, organizations and countries (JSON-LD), so
search engines read who, what, when and where without guessing."""

from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import Truncator

from ..models import Article, Country, Event, Organization, Participant

PUBLISHER = {"@type": "NewsMediaOrganization", "name": "Toà soạn"}


def absolute_url(request: HttpRequest, thing) -> str:
    return request.build_absolute_uri(thing.get_absolute_url())


def _local(moment):
    return timezone.localtime(moment).isoformat() if moment else None


def _thing(request, obj) -> dict:
    kind = {Organization: "Organization", Event: "Event", Country: "Country"}.get(
        type(obj), "Person"
    )
    return {"@type": kind, "name": str(obj), "url": absolute_url(request, obj)}


def news_article(request: HttpRequest, article: Article) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline,
        "description": article.sapo,
        "url": absolute_url(request, article),
        "mainEntityOfPage": absolute_url(request, article),
        "inLanguage": article.language,
        "datePublished": _local(article.published_at),
        "dateModified": _local(article.modified_at),
        "author": [
            {"@type": "Person", "name": str(b.author), "url": absolute_url(request, b.author)}
            for b in article.bylines.all()
        ],
        "publisher": PUBLISHER,
        "articleSection": str(article.section) if article.section else None,
        "keywords": [tag.name for tag in article.tags.all()],
        "about": [_thing(request, e) for e in article.events.all()],
        "mentions": [
            *(_thing(request, c) for c in article.countries.all()),
            *(_thing(request, o) for o in article.organizations.all()),
            *(_thing(request, p) for p in article.people.all()),
        ],
    }
    if article.image:
        data["image"] = [request.build_absolute_uri(article.image.url)]
    for version in article.published_translations:
        # schema.org: the original names its translations, a translation its original.
        mine = version.translation_of_id == article.pk
        key = "workTranslation" if mine else "translationOfWork"
        if mine or version.pk == article.translation_of_id:
            data.setdefault(key, []).append(
                {
                    "@type": "NewsArticle",
                    "url": absolute_url(request, version),
                    "inLanguage": version.language,
                    "headline": version.headline,
                }
            )
    if article.source_outlet:
        data["isBasedOn"] = {
            "@type": "NewsArticle",
            "publisher": {"@type": "NewsMediaOrganization", "name": str(article.source_outlet)},
            **({"url": article.source_url} if article.source_url else {}),
            **(
                {"datePublished": _local(article.source_published_at)}
                if article.source_published_at
                else {}
            ),
        }
    if article.was_live:
        data.update(_live_blog(request, article))
    return {key: value for key, value in data.items() if value not in (None, [])}


def _live_blog(request: HttpRequest, article: Article) -> dict:
    """A live story: a ``LiveBlogPosting``, its coverage's times and its updates
    (those its page shows, newest first)."""
    page = absolute_url(request, article)
    return {
        "@type": "LiveBlogPosting",
        "coverageStartTime": _local(article.live_from),
        "coverageEndTime": _local(article.live_until),
        "liveBlogUpdate": [
            {
                "@type": "BlogPosting",
                "headline": Truncator(update.body).chars(110),
                "articleBody": update.body,
                "datePublished": _local(update.posted_at),
                **({"dateModified": _local(update.corrected_at)} if update.corrected_at else {}),
                "url": f"{page}#cap-nhat-{update.pk}",
            }
            for update in getattr(article, "updates_shown", [])
        ],
    }


def _attendee(request, participant: Participant) -> dict:
    if participant.person:
        person = _thing(request, participant.person)
        if participant.organization:
            person["affiliation"] = _thing(request, participant.organization)
        return person
    return _thing(request, participant.organization)


def _sub_event(request, meeting: Event) -> dict:
    return {
        **_thing(request, meeting),
        "startDate": meeting.start_date.isoformat(),
        **({"description": meeting.summary} if meeting.summary else {}),
    }


def event(request: HttpRequest, event: Event) -> dict:
    location = {"@type": "Place", "name": event.place or str(event.country or "")}
    if event.country:
        location["address"] = {"@type": "PostalAddress", "addressCountry": event.country.code}
    participants = list(event.participants.all())
    first_side = [p for p in participants if p.side == Participant.Side.FIRST]
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": str(event),
        "description": event.summary or None,
        "url": absolute_url(request, event),
        "startDate": event.starts_at.isoformat()
        if event.starts_at
        else event.start_date.isoformat(),
        "endDate": end.isoformat() if (end := event.ends_at or event.end_date) else None,
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": location,
        "organizer": [_thing(request, p.organization) for p in first_side if p.organization],
        "attendee": [_attendee(request, p) for p in participants],
        "superEvent": _thing(request, event.parent) if event.parent else None,
        "subEvent": [_sub_event(request, child) for child in event.children.all()],
    }
    return {key: value for key, value in data.items() if value not in (None, [])}


def organization(request: HttpRequest, org: Organization) -> dict:
    kind = (
        "NewsMediaOrganization"
        if org.kind == Organization.Kind.MEDIA
        else (
            "GovernmentOrganization" if org.kind == Organization.Kind.GOVERNMENT else "Organization"
        )
    )
    data = {
        "@context": "https://schema.org",
        "@type": kind,
        "name": org.name,
        "alternateName": org.other_names(),
        "url": absolute_url(request, org),
        "sameAs": [org.website] if org.website else [],
        "description": org.description or None,
        "address": {"@type": "PostalAddress", "addressCountry": org.country.code}
        if org.country
        else None,
        "parentOrganization": _thing(request, org.parent) if org.parent else None,
        "member": [
            {
                "@type": "Person",
                "name": p.name,
                "jobTitle": p.title or None,
                "url": absolute_url(request, p),
            }
            for p in org.people.all()
        ],
    }
    return {key: value for key, value in data.items() if value not in (None, [])}


def country(request: HttpRequest, country: Country) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "Country",
        "name": str(country),  # in the page's language where it has an English name
        "alternateName": country.other_names(),
        "identifier": country.code,
        "url": absolute_url(request, country),
    }
