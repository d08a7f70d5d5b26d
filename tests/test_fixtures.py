"""The seed fixture against the project's own copies of the two sources: every
story paragraph is in its article verbatim, and no page furniture is."""

import datetime
import zoneinfo
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from articles.models import Article, Event, Organization, Person

SOURCES = Path(settings.BASE_DIR) / "fixtures" / "sources"
SLUG_000 = "viet-nam-va-hoa-ky-thuc-day-hop-tac-chien-luoc-trong-cac-linh-vuc-trong-diem"
SLUG_001 = (
    "bo-truong-nguyen-hong-dien-lam-viec-voi-lanh-dao-excelerate-energy-lockheed-martin-spacex"
    "-va-google-tai-hoa-ky"
)
GLUED = "Công nghệ và Hạ tầng số: Đầu tư chiến lược từ SpaceX và GoogleSpaceX"
MENDED = ["Công nghệ và Hạ tầng số: Đầu tư chiến lược từ SpaceX và Google", "SpaceX"]

pytestmark = pytest.mark.django_db


class _Blocks(HTMLParser):
    """The text of each block element of a body, entities decoded."""

    BLOCKS = {"p", "h2", "h3", "h4", "li", "blockquote", "figcaption"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self._open = [], None

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self._open = []

    def handle_endtag(self, tag):
        if tag in self.BLOCKS and self._open is not None:
            self.blocks.append("".join(self._open))
            self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self._open.append(data)


def blocks(article):
    parser = _Blocks()
    parser.feed(article.body)
    return [article.sapo, *parser.blocks]


def lines(name):
    return [line for line in (SOURCES / name).read_text("utf-8").splitlines() if line.strip()]


def test_000_every_line_is_accounted_for(seed):
    article = Article.objects.get(slug=SLUG_000)
    source = lines("000_a874e1d86ca2b0cf.txt")
    furniture = source[:3]  # banner, capture date, "Click để copy"
    assert furniture == ["SO HUU TRI TUE", "Thứ bảy, 14/06/2025", "  • Click để copy"]
    headline, time, *story = source[3:]
    byline_at = story.index("Minh Thư")
    story, furniture = story[:byline_at], furniture + story[byline_at + 1 :]
    assert furniture[3] == "Tin khác" and len(furniture) == 15  # 5 teasers, 2 lines each, ". .."

    assert article.headline == headline
    local = article.published_at.astimezone(zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))
    assert local.strftime("%H:%M, %d/%m/%Y") == time == "17:05, 21/05/2025"
    assert [b.author.name for b in article.bylines.all()] == ["Minh Thư"]

    expected = []
    for line in story:
        if line == "vietnam hoa ky":
            assert article.image_caption == line
        elif line == "\u00a0":
            continue
        elif line == GLUED:
            expected += MENDED
        else:
            expected.append(line)
    assert blocks(article) == expected  # every paragraph verbatim, in order, nothing added

    text = article.headline + article.sapo + article.body
    for line in furniture:
        assert line.strip(" •") not in text, line


def test_001_every_paragraph_is_in_the_article_verbatim(seed):
    article = Article.objects.get(slug=SLUG_001)
    assert blocks(article) == lines("001_fedd9715f11c330f.txt")
    assert article.headline.startswith("Bộ trưởng Nguyễn Hồng Diên làm việc với")


def test_001_states_no_author_outlet_or_time(seed):
    article = Article.objects.get(slug=SLUG_001)
    assert not article.bylines.exists()
    assert article.source_outlet is None and article.source_url == ""
    assert article.published_at is None and article.source_published_at is None


def test_000_is_attributed_to_its_outlet(seed):
    article = Article.objects.get(slug=SLUG_000)
    assert article.source_outlet.name == "Sở hữu trí tuệ"
    assert article.source_outlet.kind == Organization.Kind.MEDIA
    assert "SHTT" in article.source_outlet.aliases.values_list("name", flat=True)
    assert article.source_published_at == datetime.datetime(2025, 5, 21, 10, 5, tzinfo=datetime.UTC)
    assert not article.image  # a caption, but no image file


def test_both_stories_are_published_and_linked_to_the_trip(seed):
    trip = Event.objects.get(kind=Event.Kind.WORKING_TRIP)
    meetings = trip.children.order_by("title")
    assert [m.participants.get(side=2).organization.name for m in meetings] == [
        "Excelerate Energy",
        "Google",
        "Lockheed Martin",
        "SpaceX",
    ]
    people = {"Nguyễn Hồng Diên", "Peter Haas", "Nancy Ziuzin", "Tim Hughes", "Karan Bhatia"}
    for article in Article.objects.published():
        assert set(article.events.all()) == {trip, *meetings}
        assert set(article.people.values_list("name", flat=True)) == people
        assert article.tags.count() == 7
        assert {
            "Bộ Công Thương",
            "Excelerate Energy",
            "Lockheed Martin",
            "SpaceX",
            "Google",
        } <= set(article.organizations.values_list("name", flat=True))
    assert Article.objects.published().count() == 2


def test_people_carry_the_titles_the_seeds_give(seed):
    assert Person.objects.get(slug="nguyen-hong-dien").title == (
        "Bộ trưởng Bộ Công Thương kiêm Trưởng Đoàn đàm phán Chính phủ Việt Nam"
    )
    assert Person.objects.get(slug="karan-bhatia").organization.name == "Google"


def test_outcomes_keep_their_figures(seed):
    spacex = Event.objects.get(slug="bo-truong-nguyen-hong-dien-lam-viec-voi-spacex")
    pledge, stations = spacex.outcomes.all()
    assert (pledge.amount, pledge.currency) == (1_500_000_000, "USD")
    assert (stations.amount, stations.amount_max, stations.unit) == (10, 15, "trạm mặt đất")
    tax = Event.objects.get(
        slug="bo-truong-nguyen-hong-dien-lam-viec-voi-excelerate-energy"
    ).outcomes.first()
    assert (tax.amount_before, tax.amount, tax.unit) == (5, 2, "%")


def test_loading_twice_duplicates_nothing(seed):
    from django.apps import apps

    models = list(apps.get_app_config("articles").get_models())
    before = {m: m._default_manager.count() for m in models}
    call_command("loaddata", "seed", verbosity=0)
    assert {m: m._default_manager.count() for m in models} == before
    assert before[Article] == 2 and before[Organization] == 7
