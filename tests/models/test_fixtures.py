"""The seed fixture against the project's own copies of the two sources: every
story paragraph is in its article verbatim, and no page furniture is."""

import datetime
import zoneinfo
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from articles.models import Article, Country, Event, Organization, Outcome, Person

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
    pledge, stations, *_ = spacex.outcomes.all()
    assert (pledge.amount, pledge.currency, pledge.approximate) == (1_500_000_000, "USD", True)
    assert (pledge.kind, pledge.actor.name, pledge.counterpart.name) == (
        "pledge",
        "SpaceX",
        "Việt Nam",
    )
    assert set(pledge.reported_by.values_list("slug", flat=True)) == {SLUG_000, SLUG_001}
    assert (stations.amount, stations.amount_max, stations.unit) == (10, 15, "trạm mặt đất")
    assert (stations.kind, stations.approximate) == ("pledge", False)
    tax = Event.objects.get(
        slug="bo-truong-nguyen-hong-dien-lam-viec-voi-excelerate-energy"
    ).outcomes.first()
    assert (tax.amount_before, tax.amount, tax.unit) == (5, 2, "%")
    assert (tax.kind, tax.actor.code, tax.background, tax.stated_on) == ("policy", "VN", True, None)


def test_what_was_so_before_the_meeting_is_background_not_a_result(seed):
    mou = Outcome.objects.get(description__contains="MOU")
    assert (mou.kind, mou.status, mou.background) == ("agreement", "done", True)
    assert (mou.actor.name, mou.counterpart.name) == ("Excelerate Energy", "PVGas")
    assert list(mou.reported_by.values_list("slug", flat=True)) == [SLUG_000]  # 001 omits it
    assert set(Outcome.objects.filter(background=True).values_list("kind", flat=True)) == {
        "agreement",
        "policy",
        "plan",  # the satellite launch, the 14 gas power plants of Quy hoạch điện VIII
        "statement",  # the figures the sources give: trade, surplus, rural population
    }


def test_what_an_outside_reader_found_missing_or_wrong_is_in_the_seed(seed):
    """The outside review of the seed against its two sources (issue 43)."""
    described = {o.description: o for o in Outcome.objects.prefetch_related("reported_by")}

    def one(words: str) -> Outcome:
        [outcome] = [o for text, o in described.items() if words in text]
        return outcome

    def sources(outcome: Outcome) -> set[str]:
        return {story.slug for story in outcome.reported_by.all()}

    assert sources(one("chuyển đổi số và thu hẹp khoảng cách số")) == {SLUG_001}
    assert one("chuyển đổi số và thu hẹp khoảng cách số").actor.slug == "spacex"
    flexible = one("mô hình hợp tác linh hoạt")
    assert (flexible.kind, flexible.counterpart.slug, sources(flexible)) == (
        "request",
        "lockheed-martin",
        {SLUG_000, SLUG_001},
    )
    satellite = one("vệ tinh thế hệ mới")
    assert (satellite.kind, satellite.actor.code, sources(satellite)) == (
        "plan",
        "VN",
        {SLUG_000, SLUG_001},
    )
    asks = Outcome.objects.filter(kind="request", counterpart_country__code="US")
    assert asks.count() == 4  # priority partner, the trade issues, market economy, D1 and D3
    mechanism = one("cơ chế hợp tác thường xuyên")
    assert mechanism.mutual and mechanism.actor is None and mechanism.counterpart is None
    message = one("Chính quyền Tổng thống Trump")
    assert {org.slug for org in message.recipients.all()} == {
        "excelerate-energy",
        "lockheed-martin",
        "spacex",
        "google",
    }
    facts = {
        "gần 123 tỷ USD": (Decimal("123000000000"), "USD"),
        "hơn 98 tỷ USD": (Decimal("98000000000"), "USD"),
        "hơn 22 triệu": (Decimal("22000000"), ""),
        "14 nhà máy điện khí": (Decimal("14"), ""),
    }
    for words, (amount, currency) in facts.items():
        fact = one(words)
        assert fact.background and (fact.amount, fact.currency) == (amount, currency), words
        assert sources(fact), words
    assert one("đối tác thương mại lớn thứ 7").kind == "statement"
    pvgas = Organization.objects.get(slug="pvgas")
    assert (pvgas.kind, pvgas.country.code) == ("state_enterprise", "VN")


def test_the_ministers_requests_are_vietnams(seed):
    trip = Event.objects.get(slug="chuyen-cong-tac-cua-bo-truong-nguyen-hong-dien-tai-hoa-ky")
    requests = trip.outcomes.filter(kind="request")
    assert {o.actor.code for o in requests} == {"VN"}
    texts = " ".join(requests.values_list("description", flat=True))
    for asked in ("Chính quyền Tổng thống Trump", "nền kinh tế thị trường", "D1, D3", "ưu tiên"):
        assert asked in texts
    assert {o.counterpart.code for o in requests if o.counterpart} == {"US"}


def test_every_outcome_is_reported_in_the_words_of_a_story_that_reports_it(seed):
    """Figures and names come from the text: each outcome's figure and parties
    appear in every story said to report it."""
    for outcome in Outcome.objects.prefetch_related("reported_by"):
        stories = list(outcome.reported_by.all())
        assert stories, outcome
        for story in stories:
            text = f"{story.sapo} {story.body}"
            for party in (outcome.actor, outcome.counterpart):
                if party is not None and party.name not in ("Việt Nam", "Hoa Kỳ"):
                    assert party.name.split()[0] in text, (outcome, party, story.slug)
            if outcome.amount is not None and outcome.unit != "%":
                assert f"{outcome.amount:g}".replace(".", ",")[:2] in text


def test_countries_and_other_names(seed):
    us = Country.objects.get(code="US")
    assert us.name == "Hoa Kỳ" and set(us.aliases.values_list("name", flat=True)) >= {
        "Mỹ",
        "Hoa Ky",
        "US",
        "USA",
        "United States",
    }
    assert set(Country.objects.get(code="VN").aliases.values_list("name", flat=True)) >= {
        "Vietnam",
        "Viet Nam",
    }
    pvgas = Organization.objects.get(slug="pvgas")
    assert {"PV GAS", "PV Gas", "Tổng công ty Khí Việt Nam"} <= set(
        pvgas.aliases.values_list("name", flat=True)
    )
    for article in Article.objects.all():
        assert set(article.countries.values_list("code", flat=True)) == {"US", "VN"}


def test_meetings_keep_the_order_they_happened_and_were_reported_in(seed):
    trip = Event.objects.get(slug="chuyen-cong-tac-cua-bo-truong-nguyen-hong-dien-tai-hoa-ky")
    meetings = trip.children.in_order()
    assert [m.title.rsplit(" với ", 1)[1] for m in meetings] == [
        "Excelerate Energy",
        "Lockheed Martin",
        "SpaceX",
        "Google",
    ]


def test_only_the_desks_own_headline_is_marked_as_such(seed):
    assert Article.objects.get(slug=SLUG_001).headline_by_desk
    assert not Article.objects.get(slug=SLUG_000).headline_by_desk


def test_loading_twice_duplicates_nothing_and_hides_nothing(seed):
    from django.apps import apps

    from articles.models import Outcome

    models = list(apps.get_app_config("articles").get_models())
    before = {m: m._default_manager.count() for m in models}
    shown = Outcome.objects.public().count()
    call_command("loaddata", "seed", verbosity=0)
    assert {m: m._default_manager.count() for m in models} == before
    assert before[Article] == 2 and before[Organization] == 7
    assert Outcome.objects.public().count() == shown == 25  # the file has no shown_from
