"""The public pages on the seed content, through HTTP."""

import re

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.utils.html import escape
from django.views.defaults import server_error

from articles.models import Article, Outcome
from tests.factories import ArticleFactory
from tests.seed import STORY_000, STORY_001, TRIP

pytestmark = pytest.mark.django_db


def test_each_seed_story_shows_the_other_first_in_related_news(client, seed):
    for this, other in ((STORY_000, STORY_001), (STORY_001, STORY_000)):
        response = client.get(this)
        related = response.context["related"]
        assert related[0].get_absolute_url() == other
        html = response.content.decode()
        assert html.index("Tin liên quan") < html.index(
            f'href="{other}"', html.index("Tin liên quan")
        )


def test_story_page_in_vietnamese_style(client, seed):
    html = client.get(STORY_000).content.decode()
    assert (
        '<time datetime="2025-05-21T17:05:00+07:00">Thứ Tư, 21/05/2025, 17:05 (GMT+7)</time>'
        in html
    )
    # source attribution; its time is the dateline's, not printed twice
    assert re.search(r'Nguồn:\s*<a href="/to-chuc/so-huu-tri-tue/">Sở hữu trí tuệ</a>', html)
    assert "17:05, 21/05/2025</time>" not in html
    assert '<a rel="author" href="/tac-gia/minh-thu/">Minh Thư</a>' in html
    assert '<p class="sapo">(SHTT) - Ngày 20/5/2025' in html
    assert "<h2>Năng lượng: Đảm bảo an ninh với Excelerate Energy</h2>" in html
    for link in ('href="/the/lng/"', 'href="/to-chuc/spacex/"', 'href="/nhan-vat/karan-bhatia/"'):
        assert link in html


def test_a_story_has_one_compact_event_box_with_the_meetings_as_a_timeline(client, seed):
    html = client.get(STORY_001).content.decode()
    assert html.count('<aside class="event-box"') == 1
    box = html[html.index('<aside class="event-box"') : html.index("</aside>")]
    assert f'<a href="{TRIP}">Chuyến công tác của Bộ trưởng Nguyễn Hồng Diên tại Hoa Kỳ</a>' in box
    assert '<time datetime="2025-05-20">Thứ Ba, 20/05/2025</time>' in box and "Hoa Kỳ" in box
    meetings = [box.index(f"làm việc với {name}</a>") for name in ORDER]
    assert meetings == sorted(meetings)  # as they happened and were reported
    assert "Bên thứ nhất" not in html and "Phía" not in box  # who met whom is on the event page


ORDER = ("Excelerate Energy", "Lockheed Martin", "SpaceX", "Google")


def test_the_event_box_lists_what_the_story_reported(client, seed):
    """Each story's box lists the commitments, requests and agreements that story
    reported, in its words and with its figures, the trip's own before its
    meetings' in the order they happened; not those only the other story reported."""
    from articles.models import OutcomeReport

    for url in (STORY_000, STORY_001):
        story = Article.objects.get(slug=url.split("/")[2])
        reports = list(OutcomeReport.objects.filter(article=story).select_related("outcome"))
        reported = [r.outcome for r in reports]
        others = Outcome.objects.exclude(reported_by=story)
        assert reported and (others.exists() or url == STORY_000)  # 000 reported all
        html = client.get(url).content.decode()
        box = html[html.index('<aside class="event-box"') : html.index("</aside>")]
        assert f"<summary>Cam kết và đề nghị bài này đưa tin ({len(reported)})</summary>" in box
        places = [box.index(f'href="{o.get_absolute_url()}"') for o in reported]
        assert all(escape(r.words) in box for r in reports)
        assert not any(escape(o.description) in box for o in others)
        in_order = sorted(
            reported,
            key=lambda o: (o.event.parent_id is not None, ORDER_OF[o.event.slug], o.position),
        )
        assert [o.pk for o in in_order] == [
            o.pk for _, o in sorted(zip(places, reported, strict=True), key=lambda p: p[0])
        ]
    assert "<strong>khoảng 1,5 tỷ USD</strong>" in client.get(STORY_000).content.decode()
    html = client.get(STORY_001).content.decode()  # as 001 says it
    assert "<strong>1,5 tỷ USD</strong>" in html and "khoảng 1,5 tỷ USD" not in html


ORDER_OF = {
    "chuyen-cong-tac-cua-bo-truong-nguyen-hong-dien-tai-hoa-ky": 0,
    **{
        f"bo-truong-nguyen-hong-dien-lam-viec-voi-{slug}": n
        for n, slug in enumerate(("excelerate-energy", "lockheed-martin", "spacex", "google"))
    },
}


def test_no_story_without_a_stated_time_shows_one(client, seed):
    html = client.get(STORY_001).content.decode()
    story = html[html.index("<article") : html.index("</article>")]
    assert "<time" not in story.split('<p class="sapo">')[0]


def test_organization_page(client, seed):
    html = client.get("/to-chuc/spacex/").content.decode()
    assert "<h1>SpaceX</h1>" in html and "Tên khác: Space X" in html
    assert 'href="/nhan-vat/tim-hughes/"' in html  # its people
    assert 'href="/su-kien/bo-truong-nguyen-hong-dien-lam-viec-voi-spacex/"' in html  # its events
    assert f'href="{STORY_000}"' in html and f'href="{STORY_001}"' in html  # its stories


def test_person_and_author_pages(client, seed):
    html = client.get("/nhan-vat/nguyen-hong-dien/").content.decode()
    assert "Bộ trưởng Bộ Công Thương kiêm Trưởng Đoàn đàm phán" in html
    assert 'href="/to-chuc/bo-cong-thuong/"' in html and html.count('<article class="teaser') == 2
    html = client.get("/tac-gia/minh-thu/").content.decode()
    assert 'href="/to-chuc/so-huu-tri-tue/"' in html
    assert f'href="{STORY_000}"' in html and f'href="{STORY_001}"' not in html


def test_event_page_has_sides_outcomes_meetings_and_stories(client, seed):
    html = client.get(TRIP).content.decode()
    assert '<h2 id="meetings-title">Các cuộc gặp</h2>' in html
    timeline = html[html.index('<ol class="timeline">') :]
    positions = [timeline.index(f"làm việc với {name}</a>") for name in ORDER]
    assert positions == sorted(positions)
    assert "truyền tải thông điệp của Việt Nam" in html
    assert "khoảng 1,5 tỷ USD" in html and "10–15 trạm mặt đất" in html and "5% → 2%" in html
    meeting = client.get("/su-kien/bo-truong-nguyen-hong-dien-lam-viec-voi-excelerate-energy/")
    html = meeting.content.decode()
    assert "<dt>Phía Việt Nam</dt>" in html and "<dt>Phía Excelerate Energy</dt>" in html
    assert "Bên thứ" not in html
    assert "Peter Haas</a>, <span>Phó Chủ tịch Excelerate" in html  # the title he held then
    background = html[html.index('id="background-title"') :]
    assert "giảm thuế nhập khẩu LNG từ 5% xuống còn 2%" in background
    assert "Biên bản ghi nhớ (MOU) với PVGas" in background
    results = html[html.index('id="results-title"') : html.index('id="background-title"')]
    assert "ba hướng hợp tác" in results and "MOU" not in results
    assert f'href="{TRIP}"' in html  # up to the trip
    assert len(meeting.context["article_list"]) == 2


def test_event_page_gives_full_coverage_grouped_by_outlet(client, seed):
    response = client.get(TRIP)
    html = response.content.decode()
    coverage = html[html.index('id="coverage-title"') :]
    coverage = coverage[: coverage.index("</section>")]
    assert "2 bài từ 1 nguồn, trong đó 1 bài chưa rõ nguồn" in coverage
    known, unknown = (
        coverage.index('href="/to-chuc/so-huu-tri-tue/"'),
        coverage.index("Nguồn chưa rõ"),
    )
    assert known < coverage.index(STORY_000) < unknown < coverage.index(STORY_001)
    assert "Minh Thư" in coverage[known:unknown] and "17:05, 21/05/2025" in coverage
    assert "Chưa rõ tác giả" in coverage[unknown:] and "chưa rõ thời gian" in coverage[unknown:]
    # which meetings each story covers
    assert coverage[unknown:].count('href="/su-kien/bo-truong-') == 4


def test_on_an_event_page_the_stories_come_first_and_outcomes_fold_under_their_meeting(
    client, seed
):
    """A phone reader gets the coverage first; then each meeting's outcomes, one
    line each (kind, figure, who) that opens on the whole card; no story's
    headline is cut inside a word."""
    html = client.get(TRIP).content.decode()
    assert html.index('id="coverage-title"') < html.index('id="results-title"')
    results = html[html.index('id="results-title"') : html.index('id="background-title"')]
    headings = re.findall(r'<h3 id="ket-qua-su-kien-\d+"><a href="[^"]+">([^<]+)</a>', results)
    assert len(headings) >= 3 and all("làm việc với" in h for h in headings)
    order = [h.split("làm việc với ")[1] for h in headings]
    assert order == [name for name in ORDER if name in order]  # as the meetings happened
    lines = re.findall(
        r'<details class="outcome-line[^"]*"[^>]*>\s*<summary>(.*?)</summary>', results, re.S
    )
    assert len(lines) == results.count('<article class="commitment')
    assert any('class="figure">khoảng 1,5 tỷ USD' in line for line in lines)
    for full, shown in re.findall(r'<a href="/tin/[^"]+" title="([^"]+)">([^<]+)</a>', html):
        shown = shown.removesuffix("…").strip()
        assert full.startswith(shown) and full[len(shown) : len(shown) + 1] in ("", " "), shown


def test_a_story_says_what_it_does_not_know(client, seed):
    html = client.get(STORY_001).content.decode()
    header = html[html.index("<article") : html.index('<p class="sapo">')]
    assert "Tiêu đề do Toà soạn đặt" in header
    assert "Chưa rõ tác giả" in header and "Bản gốc không ghi thời gian đăng" in header
    assert "Nguồn:" in header and "chưa rõ" in header
    html = client.get(STORY_000).content.decode()
    header = html[html.index("<article") : html.index('<p class="sapo">')]
    assert "Tiêu đề do Toà soạn đặt" not in header and "chưa rõ" not in header.lower()


def test_section_and_tag_pages(client, seed):
    for url in ("/chuyen-muc/kinh-te/", "/the/hoa-ky/"):
        response = client.get(url)
        assert len(response.context["article_list"]) == 2


def test_unpublished_stories_are_left_out_of_related_and_entity_pages(client, seed):
    draft = Article.objects.get(slug=STORY_001.split("/")[2])
    draft.status = Article.Status.DRAFT
    draft.save()
    assert client.get(STORY_001).status_code == 404
    response = client.get(STORY_000)
    assert list(response.context["related"]) == [] and STORY_001 not in response.content.decode()
    for url in (
        "/",
        TRIP,
        "/to-chuc/spacex/",
        "/nhan-vat/tim-hughes/",
        "/the/lng/",
        "/chuyen-muc/kinh-te/",
    ):
        assert STORY_001 not in client.get(url).content.decode(), url


def test_404_page_is_in_the_site_style(client, db):
    response = client.get("/tin/khong-co-bai-nay/")
    assert response.status_code == 404
    html = response.content.decode()
    assert (
        "Không tìm thấy trang" in html and 'class="site-header"' in html and 'href="#main"' in html
    )


def test_500_page_is_in_the_site_style_and_needs_nothing_from_the_request(db):
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Đã có lỗi xảy ra" in html and 'class="site-header"' in html


def test_the_english_site_shows_english_stories_in_english(client, seed):
    original = Article.objects.get(slug=STORY_000.split("/")[2])
    english = ArticleFactory(
        headline="Vietnam and the US push strategic cooperation",
        language="en",
        translation_of=original,
        section=original.section,
        published_at=original.published_at,
    )
    english.tags.add("LNG")
    ArticleFactory(headline="More LNG news", language="en").tags.add("LNG")  # related news
    html = client.get(english.get_absolute_url()).content.decode()
    assert '<html lang="en">' in html and '<article class="story" lang="en">' in html
    assert "Related stories" in html and "Tin liên quan" not in html
    assert "Wednesday, 21 May 2025, 17:05 (GMT+7)" in html  # the English way
    assert ">Economy</a>" in html
    assert f'href="{STORY_000}" hreflang="vi"' in html  # its Vietnamese original
    # The Vietnamese story on the English site is its translation.
    assert client.get("/en" + STORY_000)["Location"] == english.get_absolute_url()


def test_vietnamese_is_the_default_whatever_the_browser_asks(client, seed):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="vi">' in html and "Tin mới nhất" in html
    assert 'href="/en/" hreflang="en"' in html


def test_pages_are_semantic_and_accessible(client, seed):
    html = client.get(STORY_000).content.decode()
    for landmark in (
        "<header",
        "<nav",
        '<main id="main"',
        "<article",
        "<footer",
        "<time datetime=",
    ):
        assert landmark in html
    assert html.index('class="skip-link" href="#main"') < html.index("<header")
    assert html.count("<h1") == 1


def test_the_english_catalogue_translates_every_vietnamese_string():
    """A string added without its English turns up in Vietnamese under /en/."""
    catalogue = (settings.BASE_DIR / "locale/en/LC_MESSAGES/django.po").read_text()
    assert "#, fuzzy" not in catalogue.split("\n\n", 1)[1]
    missing = []
    for entry in catalogue.split("\n\n")[1:]:
        if entry.startswith("#~"):
            continue  # obsolete
        msgid = "".join(re.findall(r'^(?:msgid )?"(.*)"$', entry.split("msgstr")[0], re.M))
        msgstr = "".join(
            re.findall(r'^(?:msgstr(?:\[\d\])? )?"(.*)"$', entry[entry.index("msgstr") :], re.M)
        )
        if not msgid.isascii() and not msgstr:
            missing.append(msgid)
    assert not missing


def test_a_story_about_one_meeting_shows_it_within_its_trip(client, seed):
    from articles.models import Event
    from tests.factories import ArticleFactory, EventFactory

    story = ArticleFactory()
    story.events.set([Event.objects.get(slug="bo-truong-nguyen-hong-dien-lam-viec-voi-spacex")])
    html = client.get(story.get_absolute_url()).content.decode()
    box = html[html.index('<aside class="event-box"') : html.index("</aside>")]
    assert f'href="{TRIP}"' in box and box.count("<li>") == 1 and "với SpaceX</a>" in box

    alone = ArticleFactory()
    alone.events.set([EventFactory(title="Hội nghị riêng")])
    html = client.get(alone.get_absolute_url()).content.decode()
    assert html.count('<aside class="event-box"') == 1 and "timeline" not in html
