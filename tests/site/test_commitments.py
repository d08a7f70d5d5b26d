"""The commitments tracker, country pages and what the model now says about
outcomes, through the reader's surface: pages, CSV, RSS and the API."""

import csv
import datetime
import io
import json
import re
from decimal import Decimal
from unittest import mock

import feedparser
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from articles import search
from articles.models import Article, Country, Event, Organization, Outcome, PersonAlias
from articles.text.amounts import amount_text
from tests.factories import ArticleFactory, EventFactory, OutcomeFactory
from tests.seed import STORY_000, STORY_001, TRIP

pytestmark = pytest.mark.django_db

SPACEX = "/su-kien/bo-truong-nguyen-hong-dien-lam-viec-voi-spacex/"


def rows(response) -> list[str]:
    """The tracker's rows, each as its text."""
    html = response.content.decode()
    items = re.findall(r'<article class="commitment.*?</article>', html, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", item)).strip() for item in items]


# -- the figures, the way readers read them


@pytest.mark.parametrize(
    ("language", "figure", "expected"),
    [
        ("vi", {"amount": Decimal("1500000000"), "currency": "USD", "approximate": True},
         "khoảng 1,5 tỷ USD"),
        ("en", {"amount": Decimal("1500000000"), "currency": "USD", "approximate": True},
         "about 1.5 billion USD"),
        ("vi", {"amount": Decimal(10), "upper": Decimal(15), "unit": "trạm mặt đất"},
         "10–15 trạm mặt đất"),
        ("vi", {"amount": Decimal(2), "before": Decimal(5), "unit": "%"}, "5% → 2%"),
        ("vi", {"amount": Decimal("22500"), "unit": "người"}, "22.500 người"),
        ("en", {"amount": Decimal("22500"), "unit": "people"}, "22,500 people"),
        ("vi", {"amount": Decimal("500000000"), "upper": Decimal("1200000000"), "currency": "USD"},
         "500 triệu–1,2 tỷ USD"),
        ("vi", {"amount": Decimal("123000000000000"), "currency": "VND"}, "123 nghìn tỷ VND"),
        ("vi", {"amount": Decimal("123000000000"), "currency": "USD", "approximate": True,
                "qualifier": "nearly"}, "gần 123 tỷ USD"),
        ("en", {"amount": Decimal("98000000000"), "currency": "USD", "approximate": True,
                "qualifier": "over"}, "over 98 billion USD"),
        ("vi", {"amount": Decimal(10), "unit": "trạm", "qualifier": "at_least"}, "ít nhất 10 trạm"),
        ("vi", {"amount": None}, ""),
    ],
)  # fmt: skip
def test_amounts_are_written_the_way_the_language_writes_them(language, figure, expected):
    amount = figure.pop("amount")
    with translation.override(language):
        assert amount_text(amount, **figure) == expected


# -- the tracker


def test_the_tracker_lists_every_outcome_of_the_seed_trip(client, seed):
    response = client.get("/cam-ket/")
    assert response.status_code == 200
    listed = rows(response)
    assert len(listed) == Outcome.objects.count() == 25
    spacex = next(r for r in listed if "Starlink tại Việt Nam" in r and "1,5" in r)
    assert "khoảng 1,5 tỷ USD" in spacex and "Cam kết" in spacex
    assert "Bên đưa ra: SpaceX" in spacex and "Bên nhận: Việt Nam" in spacex
    assert "20/05/2025" in spacex and "làm việc với SpaceX" in spacex
    html = response.content.decode()
    assert f'href="{STORY_000}"' in html and f'href="{STORY_001}"' in html
    assert any("10–15 trạm mặt đất" in r for r in listed)
    tax = next(r for r in listed if "thuế nhập khẩu LNG" in r)
    assert "5% → 2%" in tax and "Chính sách" in tax and "bối cảnh" in tax
    totals = html[html.index('id="totals-title"') : html.index("</section>", html.index("totals"))]
    assert "khoảng 1,5 tỷ USD" in totals


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("organization=spacex", 6),  # and the message it was to carry, its pledge on digital gaps
        ("organization=pvgas", 1),
        ("country=hoa-ky", 7),  # the four asks of the United States, three trade figures
        ("country=viet-nam&kind=request", 8),
        ("event=bo-truong-nguyen-hong-dien-lam-viec-voi-spacex", 6),
        ("event=chuyen-cong-tac-cua-bo-truong-nguyen-hong-dien-tai-hoa-ky", 25),  # and meetings'
        ("status=done", 2),
        ("kind=pledge&status=under_way", 1),
        ("person=karan-bhatia", 3),  # what Google and Việt Nam said at his meeting
    ],
)
def test_the_tracker_filters_with_the_listings_parameter_names(client, seed, query, expected):
    response = client.get(f"/cam-ket/?{query}")
    assert response.status_code == 200
    assert len(rows(response)) == expected
    assert len(every_item(client, f"/api/outcomes?{query}")) == expected


@pytest.mark.parametrize(
    "query",
    [
        "kind=bogus",
        "status=%00",
        "organization=khong-co",
        "event[]=x&event=1'",
        "country=" + "x" * 300,
    ],
)
def test_bad_filters_are_explained_never_a_500(client, seed, query):
    page = client.get(f"/cam-ket/?{query}")
    assert page.status_code == 200 and rows(page) == []
    assert 'role="alert"' in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    assert client.get(f"/cam-ket/csv/?{query}").status_code == 400
    assert client.get(f"/cam-ket/rss/?{query}").status_code == 400
    assert client.get(f"/api/outcomes?{query}").status_code in (400, 422)


def test_totals_are_per_currency_for_the_filtered_set(client, seed):
    story = Article.objects.get(slug=STORY_000.split("/")[2])
    spacex = Event.objects.get(slug=SPACEX.split("/")[2])
    for amount, upper, currency in ((200_000_000, 300_000_000, "USD"), (5 * 10**12, None, "VND")):
        OutcomeFactory(
            event=spacex, amount=amount, amount_max=upper, currency=currency, reported_by=[story]
        )
    html = client.get("/cam-ket/").content.decode()
    totals = html[html.index('id="totals-title"') : html.index("</section>", html.index("totals"))]
    assert "khoảng 1,7–1,8 tỷ USD" in totals and "5 nghìn tỷ VND" in totals
    html = client.get("/cam-ket/?kind=pledge&organization=spacex").content.decode()
    assert "khoảng 1,5 tỷ USD" in html[html.index('id="totals-title"') :]


def test_csv_of_the_filtered_set(client, seed):
    response = client.get("/cam-ket/csv/?organization=spacex")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    table = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(table) == 6
    pledge = next(r for r in table if r["Tiền tệ"] == "USD")
    assert (pledge["Giá trị"], pledge["Khoảng"], pledge["Loại"], pledge["Mã loại"]) == (
        "1500000000",
        "có",
        "Cam kết",
        "pledge",
    )
    assert (pledge["Bên đưa ra"], pledge["Bên nhận"]) == ("SpaceX", "Việt Nam")
    assert pledge["Địa chỉ sự kiện"].endswith(SPACEX)
    assert len(pledge["Bài đưa tin"].split()) == 2
    stations = next(r for r in table if r["Đơn vị"] == "trạm mặt đất")
    assert (stations["Giá trị"], stations["Giá trị tối đa"]) == ("10", "15")
    everything = client.get("/cam-ket/csv/").content.decode("utf-8-sig")
    assert len(list(csv.DictReader(io.StringIO(everything)))) == 25
    message = next(r for r in table if "Tổng thống Trump" in r["Nội dung"])
    assert message["Bên nhận"] == "Excelerate Energy; Google; Lockheed Martin; SpaceX"


def test_rss_of_the_filtered_set(client, seed):
    feed = feedparser.parse(client.get("/cam-ket/rss/?organization=spacex&kind=pledge").content)
    assert feed.bozo == 0, feed.bozo_exception
    titles = [entry.title for entry in feed.entries]
    assert "SpaceX: Cam kết – khoảng 1,5 tỷ USD" in titles and len(titles) == 4
    assert "Việt Nam: Cam kết" in titles  # made to SpaceX
    assert all(entry.link.split("#")[0].endswith(SPACEX) for entry in feed.entries)
    assert len({entry.link for entry in feed.entries}) == 4  # each its own address
    html = client.get("/cam-ket/?organization=spacex").content.decode()
    assert 'href="/cam-ket/rss/?organization=spacex"' in html
    assert 'href="/cam-ket/csv/?organization=spacex"' in html


def test_the_tracker_in_english(client, seed):
    response = client.get("/en/cam-ket/?organization=spacex")
    html = response.content.decode()
    assert response.status_code == 200 and '<html lang="en">' in html
    assert "Commitments tracker" in html and "about 1.5 billion USD" in html
    assert "Pledge" in html and "Made by:" in html
    assert "Theo dõi cam kết" not in html


# -- nothing hidden shows


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.REVIEW},
        {"status": Article.Status.ARCHIVED},
        {"published_at": timezone.now() + datetime.timedelta(days=1)},  # scheduled
    ],
)
def test_an_outcome_known_only_from_a_hidden_story_never_shows(client, seed, hidden):
    draft = ArticleFactory(headline="Tin chưa đăng", **hidden)
    secret = OutcomeFactory(
        event=Event.objects.get(slug=SPACEX.split("/")[2]),
        description="Bí mật chưa công bố",
        actor_organization=Organization.objects.get(slug="spacex"),
        amount=7,
        currency="EUR",
        reported_by=[draft],
    )
    OutcomeFactory(description="Chưa bài nào đưa tin")
    for url in (
        "/cam-ket/",
        "/cam-ket/?organization=spacex",
        "/cam-ket/csv/",
        "/cam-ket/rss/",
        "/api/outcomes",
        "/api/events/" + SPACEX.split("/")[2],
        SPACEX,
        TRIP,
        "/to-chuc/spacex/",
        "/quoc-gia/viet-nam/",
    ):
        text = client.get(url).content.decode("utf-8-sig")
        assert "Bí mật" not in text and "Chưa bài nào" not in text, url
        assert "EUR" not in text and "Tin chưa đăng" not in text, url
    # published, it shows everywhere
    draft.status, draft.published_at = Article.Status.PUBLISHED, timezone.now()
    draft.save()
    assert "Bí mật chưa công bố" in client.get("/cam-ket/").content.decode()
    assert secret.pk in [o["id"] for o in every_item(client, "/api/outcomes")]


def every_item(client, path: str) -> list[dict]:
    """The API's items on every page of ``path``."""
    items, page = [], 1
    while page:
        data = client.get(f"{path}{'&' if '?' in path else '?'}page={page}").json()
        items, page = items + data["items"], data["next"]
    return items


def tracked(client) -> set[str]:
    return {o["description"] for o in every_item(client, "/api/outcomes")}


@pytest.mark.parametrize(
    "road",
    [
        "the story is unpublished",
        "the story is rescheduled for later",
        "the story is deleted",
        "the story drops the outcome",
        "the story drops all its outcomes",
        "the outcome drops the story",
    ],
)
def test_every_road_that_hides_the_only_report_hides_the_outcome(client, db, road):
    story = ArticleFactory()
    kept = ArticleFactory()
    outcome = OutcomeFactory(description="Cam kết theo dõi", reported_by=[story])
    OutcomeFactory(description="Cam kết còn lại", reported_by=[kept])
    assert tracked(client) == {"Cam kết theo dõi", "Cam kết còn lại"}
    if road == "the story is unpublished":
        story.status = Article.Status.DRAFT
        story.save()
    elif road == "the story is rescheduled for later":
        story.published_at = timezone.now() + datetime.timedelta(hours=2)
        story.save()
    elif road == "the story is deleted":
        story.delete()
    elif road == "the story drops the outcome":
        story.outcomes.remove(outcome)
    elif road == "the story drops all its outcomes":
        story.outcomes.clear()
    else:
        outcome.reported_by.clear()
    assert tracked(client) == {"Cam kết còn lại"}
    assert "Cam kết theo dõi" not in client.get("/cam-ket/").content.decode()


def test_an_outcome_shows_while_any_published_story_reports_it(client, db):
    first, second = ArticleFactory(), ArticleFactory()
    OutcomeFactory(description="Cam kết hai nguồn", reported_by=[first, second])
    first.status = Article.Status.DRAFT
    first.save()
    assert tracked(client) == {"Cam kết hai nguồn"}


def test_a_scheduled_report_shows_its_outcome_when_its_time_comes_without_a_save(client, db):
    at = timezone.now() + datetime.timedelta(hours=2)
    OutcomeFactory(description="Cam kết hẹn giờ", reported_by=[ArticleFactory(published_at=at)])
    assert tracked(client) == set()
    later = at + datetime.timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert Outcome.objects.public().get().description == "Cam kết hẹn giờ"


# -- countries


def test_country_pages_in_both_languages(client, seed):
    response = client.get("/quoc-gia/hoa-ky/")
    html = response.content.decode()
    assert response.status_code == 200 and "<h1>Hoa Kỳ</h1>" in html
    assert "Mỹ" in html and "United States" in html  # its other names
    assert f'href="{STORY_000}"' in html and f'href="{STORY_001}"' in html
    assert 'href="/cam-ket/?country=hoa-ky"' in html and "nền kinh tế thị trường" in html
    assert f'href="{TRIP}"' in html  # an event held there
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1)
    )
    assert data["@type"] == "Country" and "USA" in data["alternateName"]
    assert data["name"] == "Hoa Kỳ"
    english = client.get("/en/quoc-gia/hoa-ky/").content.decode()
    english_data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', english).group(1)
    )
    assert english_data["name"] == "United States" and "Hoa Kỳ" in english_data["alternateName"]
    english = client.get("/en/quoc-gia/viet-nam/")
    assert (
        english.status_code == 200
        and 'Also known as: <span lang="vi">Việt Nam</span>' in english.content.decode()
    )
    assert client.get("/quoc-gia/khong-co/").status_code == 404
    feed = feedparser.parse(client.get("/quoc-gia/hoa-ky/rss/").content)
    assert len(feed.entries) == 2


def test_stories_filter_by_country(client, seed):
    response = client.get("/tin-moi/?country=hoa-ky")
    assert len(response.context["article_list"]) == 2
    assert client.get("/api/stories?country=viet-nam").json()["items"]


@pytest.mark.parametrize("words", ["Mỹ", "my", "United States", "USA", "viet nam", "Vietnam"])
def test_search_finds_stories_by_a_countrys_other_names(client, seed, words):
    found = {a.slug for a in search.search(Article.objects.published(), words)}
    assert found == {STORY_000.split("/")[2], STORY_001.split("/")[2]}


@pytest.mark.parametrize("words", ["PV Gas", "Tổng công ty Khí Việt Nam", "Google LLC", "Lockheed"])
def test_search_finds_stories_by_an_organizations_other_names(client, seed, words):
    assert search.search(Article.objects.published(), words).exists()
    response = client.get("/tim-kiem/", {"q": words})
    assert response.status_code == 200 and response.context["article_list"]


def test_a_persons_other_name_finds_the_stories_naming_them(client, seed):
    assert not search.search(Article.objects.published(), "Tim Hughes Jr").exists()
    alias = PersonAlias.objects.create(person_id=_pk("person", "tim-hughes"), name="Timothy Hughes")
    assert search.search(Article.objects.published(), "Timothy").count() == 2
    alias.delete()  # no longer indexed (PostgreSQL's typo fallback may still find "Tim")
    assert not Article.objects.filter(search_text__contains="timothy").exists()


def _pk(model: str, slug: str) -> int:
    from django.apps import apps

    return apps.get_model("articles", model).objects.get(slug=slug).pk


# -- rules of the model


def test_an_outcome_has_one_actor_and_one_counterpart_at_most(seed):
    outcome = Outcome.objects.first()
    outcome.actor_organization = Organization.objects.get(slug="google")
    outcome.actor_country = Country.objects.get(code="VN")
    with pytest.raises(ValidationError) as refused:
        outcome.full_clean()
    assert "actor_organization" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        outcome.save()


def test_sides_are_named_by_the_party_they_stand_for(seed):
    meeting = Event.objects.with_details().get(slug=SPACEX.split("/")[2])
    assert [str(label) for label, _ in meeting.sides()] == ["Phía Việt Nam", "Phía SpaceX"]
    anonymous = EventFactory()
    anonymous.participants.create(person=meeting.participants.first().person, side=2)
    anonymous.participants.create(country=Country.objects.get(code="US"), side=1)
    labels = [str(label) for label, _ in Event.objects.with_details().get(pk=anonymous.pk).sides()]
    assert labels == ["Phía Hoa Kỳ", "Phía Nguyễn Hồng Diên"]


# -- the event as data


def test_the_event_api_nests_meetings_in_order_and_outcomes(client, seed):
    data = client.get("/api/events/" + TRIP.split("/")[2]).json()
    assert [m["code"].rsplit("-voi-", 1)[1] for m in data["meetings"]] == [
        "excelerate-energy",
        "lockheed-martin",
        "spacex",
        "google",
    ]
    assert len(data["outcomes"]) == 25 and data["country"]["code"] == "hoa-ky"
    pledge = next(o for o in data["outcomes"] if o["amount"] and o["amount"]["currency"] == "USD")
    assert pledge["amount"] == {
        "value": 1_500_000_000,
        "upper_bound": None,
        "before": None,
        "unit": "",
        "currency": "USD",
        "approximate": True,
        "qualifier": "about",
        "text": "khoảng 1,5 tỷ USD",
    }
    assert pledge["actor"]["type"] == "organization" and pledge["counterpart"]["type"] == "country"
    assert {s["code"] for s in pledge["stories"]} == {
        STORY_000.split("/")[2],
        STORY_001.split("/")[2],
    }
    spec = client.get("/api/openapi.json").json()
    assert "/api/outcomes" in spec["paths"]
    assert {"Amount", "OutcomeOut", "EventDetail"} <= set(spec["components"]["schemas"])


def test_event_json_ld_carries_the_meetings_as_sub_events(client, seed):
    html = client.get(TRIP).content.decode()
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1)
    )
    assert [e["name"].rsplit(" với ", 1)[1] for e in data["subEvent"]] == [
        "Excelerate Energy",
        "Lockheed Martin",
        "SpaceX",
        "Google",
    ]
    assert all(e["@type"] == "Event" and e["startDate"] == "2025-05-20" for e in data["subEvent"])


# -- honest dates


def _json_ld(client, url) -> dict:
    html = client.get(url).content.decode()
    return json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1)
    )


def test_date_modified_is_the_last_real_edit_after_publication(client, seed):
    data = _json_ld(client, STORY_000)
    assert data["dateModified"] == data["datePublished"] == "2025-05-21T17:05:00+07:00"
    assert "dateModified" not in _json_ld(client, STORY_001)  # nothing known, nothing claimed

    story = Article.objects.get(slug=STORY_000.split("/")[2])
    story.section = None  # filing, not an edit of what readers read
    story.save()
    story.tags.add("mới")
    assert Article.objects.get(pk=story.pk).revised_at is None

    story = Article.objects.get(pk=story.pk)
    story.sapo += " Cập nhật."
    story.save()
    revised = Article.objects.get(pk=story.pk).revised_at
    assert revised is not None and timezone.now() - revised < datetime.timedelta(minutes=1)
    assert revised.microsecond == 0  # HTML's datetime takes whole seconds
    data = _json_ld(client, STORY_000)
    assert data["dateModified"] == timezone.localtime(revised).isoformat()
    html = client.get(STORY_000).content.decode()
    stamp = f"{timezone.localtime(revised):%Y-%m-%dT%H:%M:%S}"
    assert f'<meta property="article:modified_time" content="{stamp}' in html
    assert "Cập nhật:" in html[html.index("<article") : html.index('<p class="sapo">')]


def test_editing_a_draft_is_not_a_revision(seed):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    draft = Article.objects.get(pk=draft.pk)
    draft.body = "<p>Viết lại.</p>"
    draft.save()
    assert Article.objects.get(pk=draft.pk).revised_at is None


def test_a_card_names_the_newest_stories_and_the_export_names_them_all(client, seed):
    stories = ArticleFactory.create_batch(5)
    OutcomeFactory(description="Được nhiều báo đưa tin", reported_by=stories)
    card = next(r for r in rows(client.get("/cam-ket/")) if "Được nhiều báo" in r)
    newest = sorted(stories, key=lambda s: (s.published_at, s.pk), reverse=True)
    assert [s.headline in card for s in newest] == [True, True, True, False, False]
    assert "và các bài khác" in card
    table = csv.DictReader(io.StringIO(client.get("/cam-ket/csv/").content.decode("utf-8-sig")))
    row = next(r for r in table if r["Nội dung"] == "Được nhiều báo đưa tin")
    assert len(row["Bài đưa tin"].split()) == 5
    api = client.get("/api/outcomes").json()["items"]
    assert len(next(o for o in api if o["description"].startswith("Được"))["stories"]) == 5


def test_the_export_never_hands_a_spreadsheet_a_formula(client, seed):
    story = Article.objects.get(slug=STORY_000.split("/")[2])
    OutcomeFactory(description='=HYPERLINK("http://evil.example","bấm")', reported_by=[story])
    OutcomeFactory(description="-2+3", unit="@SUM(A1)", amount=1, reported_by=[story])
    OutcomeFactory(amount=Decimal("-5"), currency="USD", reported_by=[story])
    text = client.get("/cam-ket/csv/").content.decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(text)))
    assert '\'=HYPERLINK("http://evil.example","bấm")' in [r["Nội dung"] for r in table]
    assert any(r["Nội dung"] == "'-2+3" and r["Đơn vị"] == "'@SUM(A1)" for r in table)
    assert "-5" in [r["Giá trị"] for r in table]  # a number stays a number
    assert not any(value.startswith(("=", "+", "@")) for r in table for value in r.values())


@pytest.mark.parametrize(
    "typed", [" =1+1", "\n=1+1", "\t=1+1", "\u3000=1+1", "\u200b=1+1", "＝1+1", "＋1", "﹫A1"]
)
def test_a_formula_behind_blanks_or_in_full_width_is_neutralised_too(client, seed, typed):
    """Spreadsheets skip leading white space and read full-width ``＝`` as ``=``:
    the export judges a cell by its first visible character, folded."""
    story = Article.objects.get(slug=STORY_000.split("/")[2])
    OutcomeFactory(description=typed, reported_by=[story])
    text = client.get("/cam-ket/csv/").content.decode("utf-8-sig")
    assert "'" + typed in [r["Nội dung"] for r in csv.DictReader(io.StringIO(text))]


def test_the_english_site_names_sections_and_countries_in_english(client, seed):
    english = client.get("/en/quoc-gia/hoa-ky/").content.decode()
    assert "<h1>United States</h1>" in english and ">Economy</a>" in english  # and the menu
    assert "<h1>Hoa Kỳ</h1>" in client.get("/quoc-gia/hoa-ky/").content.decode()
    tracker = client.get("/en/cam-ket/").content.decode()
    assert '<option value="hoa-ky">United States</option>' in tracker
    assert '<option value="hoa-ky">Hoa Kỳ</option>' in client.get("/cam-ket/").content.decode()
    trip = Event.objects.get(slug=TRIP.split("/")[2])
    trip.title_en = "The minister's working trip to the United States"
    trip.save()
    assert "The minister&#x27;s working trip" in client.get("/en" + TRIP).content.decode()
    assert "<h1>Chuyến công tác" in client.get(TRIP).content.decode()


def test_totals_never_add_one_kind_to_another(client, seed):
    """A request or a proposal is not money pledged: each kind is added up on its
    own line, per currency, and the page says so."""
    story = Article.objects.get(slug=STORY_000.split("/")[2])
    spacex = Event.objects.get(slug=SPACEX.split("/")[2])
    OutcomeFactory(event=spacex, kind="request", amount=10**9, currency="USD", reported_by=[story])
    html = client.get(f"/cam-ket/?event={spacex.slug}").content.decode()
    totals = html[html.index('id="totals-title"') : html.index("</section>", html.index("totals"))]
    lines = re.findall(r"<li>(.*?)</li>", totals, re.DOTALL)
    pledged = next(line for line in lines if line.startswith("Cam kết:"))
    asked = next(line for line in lines if line.startswith("Đề nghị:"))
    assert "khoảng 1,5 tỷ USD" in pledged and "1 tỷ USD" in asked
    assert "2,5 tỷ" not in totals  # never the sum of both
    assert "không bao giờ được cộng chung" in totals


def test_the_export_is_in_its_reader_s_language_with_codes_for_programs(client, seed):
    """The Vietnamese site's file reads in Vietnamese, the English site's in English;
    both carry the kind and status as codes in columns of their own."""
    vietnamese = list(
        csv.reader(io.StringIO(client.get("/cam-ket/csv/").content.decode("utf-8-sig")))
    )
    english = list(
        csv.reader(io.StringIO(client.get("/en/cam-ket/csv/").content.decode("utf-8-sig")))
    )
    assert vietnamese[0][:5] == ["Ngày", "Sự kiện", "Địa chỉ sự kiện", "Loại", "Mã loại"]
    assert english[0][:5] == ["Date", "Event", "Event address", "Kind", "Kind code"]
    assert len(vietnamese) == len(english) and len(vietnamese[0]) == len(english[0])
    vi_rows = [dict(zip(vietnamese[0], row, strict=True)) for row in vietnamese[1:]]
    en_rows = [dict(zip(english[0], row, strict=True)) for row in english[1:]]
    assert (
        {r["Mã loại"] for r in vi_rows}
        == {r["Kind code"] for r in en_rows}
        >= {"pledge", "request"}
    )
    pledge_vi = next(r for r in vi_rows if r["Mã loại"] == "pledge")
    pledge_en = next(r for r in en_rows if r["Kind code"] == "pledge")
    assert (pledge_vi["Loại"], pledge_en["Kind"]) == ("Cam kết", "Pledge")
    assert pledge_vi["Tình trạng"] != pledge_vi["Mã tình trạng"] and pledge_en["Status code"]
    assert {r["Bối cảnh"] for r in vi_rows} <= {"có", "không"}
    assert {r["Background"] for r in en_rows} <= {"yes", "no"}
    assert "Ministry of Industry and Trade" in {r["Made to"] for r in en_rows} | {
        r["Made by"] for r in en_rows
    }


# -- each story's report of an outcome: its own words and figure


def story_box(client, url: str) -> str:
    """The text of a story's box of what it reported."""
    html = client.get(url).content.decode()
    box = re.search(r'<details class="reported".*?</details>', html, re.S)
    assert box, url
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", box.group(0)))


def test_each_seed_story_s_box_shows_the_figure_it_reported(client, seed):
    """000 says "khoảng 1,5 tỷ USD", 001 says "1,5 tỷ USD": each story's box says
    what that story said, in its words."""
    first, second = story_box(client, STORY_000), story_box(client, STORY_001)
    assert "khoảng 1,5 tỷ USD" in first and "SpaceX dự kiến đầu tư khoảng 1,5 tỷ USD" in first
    assert "khoảng 1,5 tỷ USD" not in second and "1,5 tỷ USD" in second
    assert "SpaceX có kế hoạch đầu tư 1,5 tỷ USD" in second


def test_where_sources_differ_the_tracker_shows_each_with_its_source(client, seed):
    card = next(r for r in rows(client.get("/cam-ket/?organization=spacex")) if "Starlink" in r)
    assert card.startswith("Cam kết · Đã nêu · 20/05/2025 khoảng 1,5 tỷ USD")  # the outcome's
    assert ": khoảng 1,5 tỷ USD · SpaceX dự kiến đầu tư khoảng" in card  # 000's
    assert "Việt Nam và Hoa Kỳ thúc đẩy" in card and "Bộ trưởng Nguyễn Hồng Diên làm việc" in card
    assert ": 1,5 tỷ USD · SpaceX có kế hoạch đầu tư 1,5 tỷ USD" in card
    # where every story reports it as the outcome says (both, here), the card just names them
    same = next(r for r in rows(client.get("/cam-ket/?country=hoa-ky")) if "D1, D3" in r)
    assert "Theo:" in same and "Mỗi bài đưa tin" not in same
    assert "Việt Nam và Hoa Kỳ thúc đẩy" in same and "Bộ trưởng Nguyễn Hồng Diên làm việc" in same


def test_the_export_and_the_api_carry_each_story_s_report(client, seed):
    table = csv.DictReader(io.StringIO(client.get("/cam-ket/csv/").content.decode("utf-8-sig")))
    row = next(r for r in table if "Starlink" in r["Nội dung"])
    reports = row["Theo từng bài"].splitlines()
    assert len(reports) == 2
    assert any(STORY_001 in r and "(1,5 tỷ USD · SpaceX có kế hoạch" in r for r in reports)
    assert any(r.endswith(STORY_000) for r in reports)  # as the outcome says: its address
    english = client.get("/en/cam-ket/csv/").content.decode("utf-8-sig")
    assert "Per story" in english.splitlines()[0]
    outcome = next(
        o for o in client.get("/api/outcomes?organization=spacex").json()["items"]
        if "Starlink" in o["description"]
    )  # fmt: skip
    by_story = {r["story"]["code"][:20]: r for r in outcome["reports"]}
    assert by_story["bo-truong-nguyen-hon"]["amount"]["approximate"] is False
    assert by_story["bo-truong-nguyen-hon"]["wording"].startswith("SpaceX có kế hoạch")
    assert by_story["viet-nam-va-hoa-ky-t"]["amount"]["text"] == "khoảng 1,5 tỷ USD"
    assert by_story["viet-nam-va-hoa-ky-t"]["wording"] == outcome["description"]


def test_a_report_added_on_its_own_shows_its_outcome_and_removed_hides_it(client, db):
    """Reports saved one row at a time (the outcome's page in the desk) keep
    readers' view of the outcome as ``reported_by`` does."""
    from articles.models import OutcomeReport

    outcome = OutcomeFactory(description="Chỉ một bài đưa tin")
    assert "Chỉ một bài" not in client.get("/cam-ket/").content.decode()
    report = OutcomeReport.objects.create(
        outcome=outcome, article=ArticleFactory(), wording="Theo lời bài này",
        amount=Decimal(3), unit="nhà máy",
    )  # fmt: skip
    card = next(r for r in rows(client.get("/cam-ket/")) if "Chỉ một bài" in r)
    assert "3 nhà máy" in card and "Theo lời bài này" in card
    report.delete()
    assert "Chỉ một bài" not in client.get("/cam-ket/").content.decode()
