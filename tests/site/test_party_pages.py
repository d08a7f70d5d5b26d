"""A country's, an organization's and a person's page: the commitments of the
side they were on, the stories an outlet is the source of, and other names
without the forms only search needs."""

import re

import pytest

from tests.seed import STORY_000

pytestmark = pytest.mark.django_db


def text_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
    return text.replace(" ,", ",")


def section(html: str, start: str, end: str = "</section>") -> str:
    return html[html.index(start) : html.index(end, html.index(start))]


def test_a_person_s_page_lists_what_the_side_they_stood_for_committed(client, seed):
    minister = client.get("/nhan-vat/nguyen-hong-dien/").content.decode()
    commitments = section(minister, 'id="commitments-title"')
    assert "sớm công nhận Việt Nam là nền kinh tế thị trường" in commitments
    hughes = section(client.get("/nhan-vat/tim-hughes/").content.decode(), 'id="commitments-title"')
    assert "1,5 tỷ USD" in hughes  # SpaceX's, at the meeting he took part in
    assert "nội địa hóa" not in hughes  # nothing of Google's meeting, which he was not at


def test_an_outlet_s_page_lists_the_stories_it_is_the_source_of(client, seed):
    page = client.get("/to-chuc/so-huu-tri-tue/").content.decode()
    assert "Chưa có bài viết nào" not in page
    assert f'href="{STORY_000}"' in page
    feed = client.get("/to-chuc/so-huu-tri-tue/rss/").content.decode()
    assert STORY_000 in feed


def test_outcomes_of_both_sides_and_of_several_recipients_show_on_each_party_s_page(client, seed):
    lockheed = section(
        client.get("/to-chuc/lockheed-martin/").content.decode(), 'id="commitments-title"'
    )
    assert "Hai bên" in lockheed and "cơ chế hợp tác thường xuyên" in lockheed
    assert "Chính quyền Tổng thống Trump" in lockheed  # one of the message's four recipients
    trip = text_of(client, "/su-kien/chuyen-cong-tac-cua-bo-truong-nguyen-hong-dien-tai-hoa-ky/")
    assert "Bên nhận: Excelerate Energy, Google, Lockheed Martin, SpaceX" in trip


def test_other_names_leave_out_what_only_search_needs(client, seed):
    us = text_of(client, "/quoc-gia/hoa-ky/")
    other = us[us.index("Tên khác:") :][:80]
    assert "Mỹ" in other and "USA" in other and "United States" in other
    assert "Hoa Ky" not in other
    outlet = text_of(client, "/to-chuc/so-huu-tri-tue/")
    assert "SHTT" in outlet and "SO HUU TRI TUE" not in outlet
    assert "Viet Nam" not in text_of(client, "/quoc-gia/viet-nam/").split("Tên khác:")[1][:60]


def test_a_country_s_page_gives_the_figures_its_sources_state(client, seed):
    page = client.get("/quoc-gia/viet-nam/").content.decode()
    facts = section(page, 'id="facts-title"')
    for figure in ("hơn 22 triệu người dân", "gần 123 tỷ USD", "hơn 98 tỷ USD"):  # as written
        assert figure in facts, figure
    assert "khoảng" not in facts
    assert "Theo:" in facts  # each with the story that states it
    assert "đối tác thương mại lớn thứ 7" not in section(page, 'id="commitments-title"')


def test_on_the_english_site_the_own_name_among_other_names_is_marked_vietnamese(client, seed):
    page = client.get("/en/quoc-gia/hoa-ky/").content.decode()
    names = page[page.index("Also known as") :][:300]
    assert '<span lang="vi">Hoa Kỳ</span>' in names
    vietnamese = client.get("/quoc-gia/hoa-ky/").content.decode()
    assert 'lang="vi"' not in vietnamese.split("Tên khác:")[1][:200]  # the page's own language
