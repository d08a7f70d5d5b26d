import datetime
import decimal
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from articles.models import (
    Article,
    Author,
    Country,
    Event,
    Outcome,
    Participant,
    Person,
    Section,
    Tag,
)
from tests.factories import ArticleFactory, EventFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def test_published_shows_only_what_readers_may_see():
    now = timezone.now()
    visible = ArticleFactory(published_at=now - HOUR)
    undated = ArticleFactory(published_at=None)
    ArticleFactory(status=Article.Status.DRAFT, published_at=now - HOUR)
    ArticleFactory(status=Article.Status.REVIEW, published_at=now - HOUR)
    ArticleFactory(status=Article.Status.ARCHIVED, published_at=now - HOUR)
    ArticleFactory(published_at=now + HOUR)  # scheduled
    ArticleFactory(status=Article.Status.DRAFT, published_at=None)

    assert list(Article.objects.published()) == [visible, undated]


def test_a_scheduled_story_appears_by_itself_when_its_time_comes(monkeypatch):
    start = timezone.now()
    story = ArticleFactory(published_at=start + datetime.timedelta(minutes=1))
    assert story.is_scheduled and not story.is_published
    assert not Article.objects.published().exists()

    later = start + datetime.timedelta(minutes=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert list(Article.objects.published()) == [story]
    assert story.is_published and not story.is_scheduled


def test_newest_first_and_undated_last():
    now = timezone.now()
    old = ArticleFactory(published_at=now - 3 * HOUR)
    undated = ArticleFactory(published_at=None)
    new = ArticleFactory(published_at=now - HOUR)
    assert list(Article.objects.published()) == [new, old, undated]


def test_bylines_keep_their_order_and_the_first_is_primary():
    a, b = Author.objects.create(name="Minh Thư"), Author.objects.create(name="Lan Anh")
    story = ArticleFactory(authors=[b, a])
    assert [byline.author for byline in story.bylines.all()] == [b, a]


def test_body_is_sanitised_on_every_save():
    story = ArticleFactory(
        body='<p onclick="x()">Tin<script>alert(1)</script> <a href="javascript:alert(1)">a</a></p>'
        '<img src="data:image/svg+xml;base64,PHN2Zz4=" alt="x"><svg onload="alert(1)"></svg>'
        '<iframe src="https://example.org"></iframe><h2 style="color:red">Đề mục</h2>'
    )
    story.refresh_from_db()
    assert "script" not in story.body and "onclick" not in story.body
    assert "javascript:" not in story.body and "data:" not in story.body
    assert "svg" not in story.body and "iframe" not in story.body and "style" not in story.body
    assert "<h2>Đề mục</h2>" in story.body and "<p>Tin" in story.body


def test_every_public_model_names_itself_and_has_a_url():
    org = OrganizationFactory(name="Bộ Công Thương")
    things = [
        (Section.objects.create(name="Kinh tế"), "Kinh tế", "/chuyen-muc/kinh-te/"),
        (Tag.objects.create(name="Đầu tư"), "Đầu tư", "/the/dau-tu/"),
        (org, "Bộ Công Thương", "/to-chuc/bo-cong-thuong/"),
        (
            Person.objects.create(name="Nguyễn Hồng Diên", organization=org),
            "Nguyễn Hồng Diên",
            "/nhan-vat/nguyen-hong-dien/",
        ),
        (Author.objects.create(name="Minh Thư"), "Minh Thư", "/tac-gia/minh-thu/"),
        (EventFactory(title="Cuộc gặp"), "Cuộc gặp", "/su-kien/cuoc-gap/"),
        (ArticleFactory(headline="Đầu tư mới"), "Đầu tư mới", "/tin/dau-tu-moi/"),
    ]
    for thing, name, url in things:
        assert (str(thing), thing.get_absolute_url()) == (name, url)


def test_event_moments_only_when_time_and_zone_are_known():
    event = EventFactory(start_date=datetime.date(2025, 5, 20))
    assert event.starts_at is None
    event.start_time = datetime.time(9, 30)
    event.timezone = "America/New_York"
    assert event.starts_at == datetime.datetime(
        2025, 5, 20, 9, 30, tzinfo=zoneinfo.ZoneInfo("America/New_York")
    )
    assert event.starts_at.utcoffset() == datetime.timedelta(hours=-4)


def test_event_validation():
    event = EventFactory.build(
        start_date=datetime.date(2025, 5, 20), end_date=datetime.date(2025, 5, 19)
    )
    with pytest.raises(ValidationError, match="Ngày kết thúc"):
        event.full_clean()
    event = EventFactory.build(timezone="Mars/Olympus")
    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()
    assert "timezone" in excinfo.value.message_dict


def test_outcome_figures():
    event = EventFactory()
    pledge = Outcome(
        event=event,
        description="Đầu tư 1,5 tỷ USD",
        amount=decimal.Decimal("1500000000"),
        currency="USD",
    )
    pledge.full_clean()
    stations = Outcome(
        event=event,
        position=1,
        description="10–15 trạm",
        amount=10,
        amount_max=15,
        unit="trạm mặt đất",
    )
    stations.full_clean()
    backwards = Outcome(event=event, position=2, description="?", amount=15, amount_max=10)
    with pytest.raises(ValidationError):
        backwards.full_clean()
    unit_only = Outcome(event=event, position=3, description="?", unit="%")
    with pytest.raises(ValidationError):
        unit_only.full_clean()


def test_a_participant_is_a_person_or_an_organization():
    event = EventFactory()
    with pytest.raises(IntegrityError):
        Participant.objects.create(event=event)


def test_a_country_code_must_be_an_iso_code():
    with pytest.raises(ValidationError):
        Country(name="Việt Nam", code="Viet Nam").full_clean()


def test_an_organization_in_use_cannot_be_deleted_from_under_a_story():
    from django.db.models import ProtectedError

    outlet = OrganizationFactory()
    ArticleFactory(source_outlet=outlet)
    with pytest.raises(ProtectedError):
        outlet.delete()


def test_event_children():
    trip = EventFactory(kind=Event.Kind.WORKING_TRIP)
    meeting = EventFactory(parent=trip)
    assert list(trip.children.all()) == [meeting]
