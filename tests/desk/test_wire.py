"""Copy from outlets' pages as drafts: the seed files read as the fixtures
hold them, other outlets' layouts read by the same rules, each text once."""

import datetime
import io
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles.desk.wire import decode, read
from articles.models import Article, Event, StateChange
from tests.models.test_fixtures import SLUG_000, SLUG_001, blocks

pytestmark = pytest.mark.django_db

SOURCES = Path(settings.BASE_DIR) / "fixtures" / "sources"
FILE_000, FILE_001 = SOURCES / "000_a874e1d86ca2b0cf.txt", SOURCES / "001_fedd9715f11c330f.txt"
VN = datetime.timezone(datetime.timedelta(hours=7))


def imported(path: Path) -> Article:
    call_command("import_wire", str(path), stdout=io.StringIO())
    return Article.objects.exclude(wire_fingerprint=None).latest("pk")


def test_each_seed_file_imports_as_the_fixture_holds_it(seed):
    for path, slug in ((FILE_000, SLUG_000), (FILE_001, SLUG_001)):
        fixture = Article.objects.get(slug=slug)
        draft = imported(path)
        assert blocks(draft) == blocks(fixture), path.name  # sapo, paragraphs, headings
        assert draft.body == fixture.body  # the glued heading split the same way
        assert draft.status == Article.Status.DRAFT and draft.published_at is None
    first, second = Article.objects.exclude(wire_fingerprint=None).order_by("pk")
    assert first.headline == Article.objects.get(slug=SLUG_000).headline
    assert first.image_caption == "vietnam hoa ky"
    assert [b.author.slug for b in first.bylines.all()] == ["minh-thu"]  # the seed's author
    assert first.source_published_at == datetime.datetime(2025, 5, 21, 17, 5, tzinfo=VN)
    assert first.source_outlet.slug == "so-huu-tri-tue"  # the banner is its other name
    # 001 states no headline, author, outlet or time: none is made up
    assert second.headline == "" and second.headline_by_desk
    assert str(second).startswith("(Chưa có tiêu đề) Trong khuôn khổ chuyến công tác")
    assert not second.bylines.exists() and second.source_outlet is None
    assert second.source_published_at is None and second.import_notes == []


def test_what_was_cut_from_000_is_the_page_around_the_story():
    wire = read(FILE_000.read_text("utf-8"))
    cut = {c.text: c.why for c in wire.cut}
    assert list(cut)[:3] == ["SO HUU TRI TUE", "Thứ bảy, 14/06/2025", "• Click để copy"]
    assert cut["Tin khác"].startswith("sau bài") and cut[". .."].startswith("sau bài")
    assert sum(1 for c in wire.cut if c.text == "Tin tức 4 giờ trước") == 5
    assert len(wire.cut) == 15
    kept = " ".join([wire.headline, wire.sapo, *(b.text for b in wire.blocks)])
    assert "Click" not in kept and "4 giờ trước" not in kept and "QiMeng" not in kept


OTHER_OUTLETS = {
    "time above the headline, share buttons, source note": (
        "Kinh doanh\nQuốc tế\nThứ tư, 21/5/2025, 17:05 (GMT+7)\n"
        "Giá vàng thế giới lập đỉnh mới\n"
        "Giá vàng thế giới tăng lên 3.500 USD một ounce trong phiên hôm qua, mức cao nhất.\n"
        "Theo Bloomberg, giá vàng giao ngay tăng 1,2% lên 3.500 USD một ounce cuối phiên.\n"
        "Diễn biến thị trường\n"
        "Các nhà đầu tư đổ tiền vào vàng khi lo ngại về thuế quan gia tăng trên toàn cầu.\n"
        "Phiên Anh (theo Reuters)\nChia sẻ\nFacebook\nZalo\n"
        "Tin liên quan\nGiá vàng trong nước vượt 120 triệu đồng\n3 giờ trước\n",
        "Giá vàng thế giới lập đỉnh mới",
        datetime.datetime(2025, 5, 21, 17, 5, tzinfo=VN),
        "Phiên Anh (theo Reuters)",
        [("p", "Theo Bloomberg"), ("h2", "Diễn biến thị trường"), ("p", "Các nhà đầu tư")],
    ),
    "breadcrumbs, labelled byline, tags, comments": (
        "Trang chủ > Kinh doanh > Tài chính\nGiá xăng giảm mạnh từ 15h chiều nay\n"
        "22/05/2025 09:15 GMT+7\nBài và ảnh: NGỌC AN\n"
        "TTO - Liên Bộ Công Thương - Tài chính vừa điều chỉnh giá xăng dầu từ 15h chiều nay.\n"
        "Giá xăng E5 RON92 giảm 500 đồng mỗi lít, xuống còn 19.800 đồng.\n"
        "Tags: giá xăng, xăng dầu\nBình luận (0)\nGửi bình luận\n",
        "Giá xăng giảm mạnh từ 15h chiều nay",
        datetime.datetime(2025, 5, 22, 9, 15, tzinfo=VN),
        "NGỌC AN",
        [("p", "Giá xăng E5")],
    ),
    "name under the headline, another zone, hashtags": (
        "Thời sự\nQuốc hội khai mạc kỳ họp thứ 9\nMinh Hùng\n"
        "Cập nhật: 22/05/2025 08:00 (GMT+9)\n"
        "Sáng nay, Quốc hội khai mạc kỳ họp thứ 9 tại Hà Nội với nhiều nội dung quan trọng.\n"
        "Kỳ họp dự kiến kéo dài đến cuối tháng 6.\n#quochoi #kyhop9\n· · ·\n",
        "Quốc hội khai mạc kỳ họp thứ 9",
        datetime.datetime(2025, 5, 22, 8, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=9))),
        "Minh Hùng",
        [("p", "Kỳ họp dự kiến")],
    ),
}


AROUND_THE_STORY = (
    "TUỔI TRẺ ONLINE\nThời sự > Xã hội\n"
    "Thứ tư, 21/5/2025, 17:05 (GMT+7) | 5 phút đọc | 1.234 lượt xem\n"
    "Hà Nội khánh thành cầu mới qua sông Hồng\n"
    "Sáng nay, Hà Nội khánh thành cây cầu thứ 9 bắc qua sông Hồng sau ba năm thi công.\n"
    "Phối cảnh cây cầu nhìn từ trên cao. (Ảnh: KTS)\n"
    "Cây cầu dài 5 km, có sáu làn xe, tổng vốn đầu tư khoảng 20.000 tỷ đồng.\n"
    "Xem thêm: Hà Nội sẽ có thêm 5 cây cầu qua sông Hồng\n"
    "Lãnh đạo thành phố cắt băng khánh thành. Ảnh: Nguyễn Khánh\n"
    "Mỗi ngày có khoảng 100.000 lượt phương tiện đi qua cầu, giảm ùn tắc cho cầu cũ.\n"
    "2.345 lượt xem\nĐọc trong 3 phút\n"
    "Theo dõi Tuổi Trẻ trên Google News\nChia sẻ bài viết lên Facebook\n"
    "Từ khóa: cầu sông Hồng, hạ tầng; Hà Nội\n"
    "Theo TTXVN\n"
    "Tin liên quan\nCầu Tứ Liên khởi công\n"
)


def test_what_outlets_print_around_a_story_is_told_apart_from_it():
    """Picture captions with their credit, links to other stories inside the text,
    social lines, reading times and view counts, a tag line and "Theo …" at the end:
    each read for what it is, none left in the text."""
    wire = read(AROUND_THE_STORY)
    assert wire.headline == "Hà Nội khánh thành cầu mới qua sông Hồng"
    assert wire.source_time == datetime.datetime(2025, 5, 21, 17, 5, tzinfo=VN)
    assert (wire.caption, wire.credit) == ("Phối cảnh cây cầu nhìn từ trên cao", "KTS")
    assert wire.tags == ["cầu sông Hồng", "hạ tầng", "Hà Nội"]
    assert (wire.source, wire.banner) == ("TTXVN", "TUỔI TRẺ ONLINE")
    assert [b.text[:14] for b in wire.blocks] == ["Cây cầu dài 5 ", "Mỗi ngày có kh"]
    why = {c.text: c.why for c in wire.cut}
    assert why["Lãnh đạo thành phố cắt băng khánh thành. Ảnh: Nguyễn Khánh"] == "chú thích ảnh"
    assert why["Xem thêm: Hà Nội sẽ có thêm 5 cây cầu qua sông Hồng"] == "liên kết sang bài khác"
    assert why["2.345 lượt xem"] == why["Đọc trong 3 phút"] == "thời gian đọc, lượt xem"
    assert why["Theo dõi Tuổi Trẻ trên Google News"] == "theo dõi, chia sẻ trên mạng xã hội"
    assert why["Chia sẻ bài viết lên Facebook"].startswith(("theo dõi", "nút"))
    assert why["Theo TTXVN"] == "nguồn của bài"


@pytest.mark.parametrize(
    "line, caption, credit",
    [
        (
            "Bộ trưởng phát biểu tại buổi làm việc (Ảnh: Bộ Công Thương)",
            "Bộ trưởng phát biểu tại buổi làm việc",
            "Bộ Công Thương",
        ),
        ("Toàn cảnh hội nghị. Ảnh: Reuters", "Toàn cảnh hội nghị", "Reuters"),
        (
            "Người dân xếp hàng chờ mua vàng [Ảnh minh họa: Hải Nguyễn]",
            "Người dân xếp hàng chờ mua vàng",
            "Hải Nguyễn",
        ),
        ("Giá xăng tăng từ chiều nay (Ảnh minh họa)", "Giá xăng tăng từ chiều nay", "Ảnh minh họa"),
        ("Đồ họa: Thanh Hà", "", "Thanh Hà"),
    ],
)
def test_a_caption_crediting_its_picture_is_the_picture_s(line, caption, credit):
    text = f"Tít bài về giá cả\n{line}\nMột đoạn văn đủ dài để là đoạn mở đầu của bài báo này.\n"
    wire = read(text)
    assert (wire.caption, wire.credit) == (caption, credit)
    assert all(line not in b.text for b in wire.blocks) and line != wire.sapo


def test_a_sentence_naming_a_picture_or_a_source_stays_in_the_text():
    wire = read(
        "Triển lãm ảnh khai mạc\n"
        "Triển lãm giới thiệu 200 bức ảnh: phong cảnh, con người và đời sống miền Tây.\n"
        "Theo ban tổ chức, triển lãm kéo dài đến hết tháng 6 tại Bảo tàng Mỹ thuật.\n"
        "Khách tham quan không phải mua vé vào cửa trong suốt thời gian triển lãm.\n"
    )
    assert wire.credit == "" and wire.source == ""
    assert len(wire.blocks) == 2 and wire.sapo.startswith("Triển lãm giới thiệu")


@pytest.mark.parametrize("case", OTHER_OUTLETS)
def test_other_outlets_layouts_read_by_the_same_rules(case):
    text, headline, moment, byline, shape = OTHER_OUTLETS[case]
    wire = read(text)
    assert (wire.headline, wire.source_time, wire.byline) == (headline, moment, byline)
    assert [
        (b.tag, b.text[: len(start)]) for b, (_, start) in zip(wire.blocks, shape, strict=False)
    ] == shape
    assert len(wire.blocks) == len(shape)
    kept = " ".join([wire.sapo, *(b.text for b in wire.blocks)])
    for furniture in ("Chia sẻ", "Zalo", "Tags", "Bình luận", "Trang chủ", "#quochoi", "·"):
        assert furniture not in kept


def test_importing_the_same_text_twice_makes_one_story(db):
    out = io.StringIO()
    call_command("import_wire", str(FILE_000), str(FILE_000), stdout=out)
    assert Article.objects.count() == 1
    lines = out.getvalue().splitlines()
    assert "đã tạo bản nháp" in lines[0] and any("đã có, bỏ qua" in line for line in lines)
    assert any("lược bỏ (ngày của trang): Thứ bảy, 14/06/2025" in line for line in lines)
    # the same story copied with other spacing and line ends is still the same text
    again = FILE_000.read_text("utf-8").replace("\n", "\r\n  ").encode("utf-8")
    from articles.desk.imports import import_copy

    assert not import_copy("again.txt", again).created and Article.objects.count() == 1
    assert StateChange.objects.filter(to_status="draft").count() == 1


def test_a_bad_file_gets_a_clear_error_and_stops_nothing_else(db, tmp_path):
    (bad := tmp_path / "latin1.txt").write_bytes("Giá vàng tăng".encode("cp1258"))
    (empty := tmp_path / "empty.txt").write_bytes(b"   \n\n")
    (binary := tmp_path / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="3 tệp không nhập được"):
        call_command(
            "import_wire", str(bad), str(empty), str(binary), str(FILE_001), stdout=out, stderr=err
        )
    assert "không phải văn bản UTF-8" in err.getvalue() and "tệp rỗng" in err.getvalue()
    assert Article.objects.count() == 1  # the good file still came in
    with pytest.raises(CommandError, match="khong-co"):
        call_command("import_wire", str(FILE_000), "--outlet", "khong-co")


def test_hostile_copy_stays_text(db):
    from articles.desk.imports import import_copy

    copy = (
        "Tiêu đề <script>alert(1)</script>\n"
        "Đoạn mở đầu có <img src=x onerror=alert(1)> và &amp; trong văn bản.\n"
        "Đoạn hai nói về <b>điều</b> quan trọng cho bạn đọc.\n"
    ).encode()
    article = import_copy("x.txt", copy).article
    assert "<script>" not in article.body and "<img" not in article.body
    assert "&lt;b&gt;điều&lt;/b&gt;" in article.body
    assert article.headline == "Tiêu đề <script>alert(1)</script>"  # escaped where shown


def test_the_desk_imports_files_and_sees_what_was_cut(client, seed, reporter):
    client.force_login(reporter)
    changelist = client.get(reverse("admin:articles_article_changelist")).content.decode()
    url = reverse("admin:articles_article_import")
    assert f'href="{url}"' in changelist
    files = [
        SimpleUploadedFile("000.txt", FILE_000.read_bytes(), "text/plain"),
        SimpleUploadedFile("hong.txt", b"\xff\xfe\x00\x00", "text/plain"),
    ]
    response = client.post(url, {"files": files})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Đã tạo bản nháp" in html and "Không nhập được: không phải văn bản UTF-8" in html
    draft = Article.objects.get(wire_fingerprint__isnull=False)
    assert draft.created_by == reporter and draft.status == Article.Status.DRAFT
    form = client.get(reverse("admin:articles_article_change", args=[draft.pk])).content.decode()
    assert "Đã lược bỏ khi nhập" in form and "SO HUU TRI TUE" in form and "Tin khác" in form
    again = client.post(url, {"files": [SimpleUploadedFile("000.txt", FILE_000.read_bytes())]})
    assert "Đã có, bỏ qua" in again.content.decode()
    assert Article.objects.filter(wire_fingerprint__isnull=False).count() == 1
    assert client.post(url, {}).status_code == 200  # no file: the form says so
    client.logout()
    assert client.get(url).status_code == 302  # to sign-in


def test_the_assistant_reads_imported_copy_and_the_import_says_what_it_found(client, seed, editor):
    """The import page says how many outcomes the copy reports and leads to the
    draft's "Đề xuất kết quả", which lists them; linked to its trip, they can be taken."""
    from articles.desk.proposals import propose

    client.force_login(editor)
    url = reverse("admin:articles_article_import")
    files = [SimpleUploadedFile("000.txt", FILE_000.read_bytes(), "text/plain")]
    html = client.post(url, {"files": files}).content.decode()
    draft = Article.objects.get(wire_fingerprint__isnull=False)
    found = len(propose(f"{draft.sapo}\n{draft.body}"))
    assert found >= 20  # the seed story's outcomes, and a few an editor would pass over
    assert f"Bài nêu {found} kết quả" in html and "#outcome-proposals" in html
    form = client.get(reverse("admin:articles_article_change", args=[draft.pk])).content.decode()
    assert "Gắn bài với sự kiện" in form and "khoảng 1,5 tỷ USD" in form
    draft.events.add(
        Event.objects.get(slug="chuyen-cong-tac-cua-bo-truong-nguyen-hong-dien-tai-hoa-ky")
    )
    form = client.get(reverse("admin:articles_article_change", args=[draft.pk])).content.decode()
    assert 'form="outcome-proposal-1"' in form and "Gắn bài với sự kiện" not in form


def test_the_import_page_searches_for_the_outlet_rather_than_listing_every_one(desk):
    """A million stories name thousands of outlets: the page asks for one as the
    story form does (the admin's autocomplete), and the outlet chosen is kept."""
    from tests.factories import OrganizationFactory

    outlets = OrganizationFactory.create_batch(30, kind="media")
    page = desk.get("/admin/articles/article/import/").content.decode()
    assert 'class="admin-autocomplete"' in page and 'data-field-name="source_outlet"' in page
    assert "admin/js/autocomplete.js" in page  # the widget's script, on this page too
    assert not any(f">{outlet.name}</option>" in page for outlet in outlets)
    upload = SimpleUploadedFile(FILE_001.name, FILE_001.read_bytes(), "text/plain")
    response = desk.post(
        "/admin/articles/article/import/", {"files": [upload], "outlet": outlets[3].pk}
    )
    assert response.status_code == 200
    draft = Article.objects.exclude(wire_fingerprint=None).get()
    assert draft.source_outlet == outlets[3]
    bad = SimpleUploadedFile(FILE_001.name, b"x", "text/plain")
    refused = desk.post("/admin/articles/article/import/", {"files": [bad], "outlet": "abc"})
    assert refused.status_code == 200 and "errorlist" in refused.content.decode()


TWO_MB = 2 * 1024 * 1024
HOSTILE = {
    "two-word names": "Xin Chào\n" * 250_000,
    "two-word lines": "xin chào\n" * 250_000,
    "one line": "a" * TWO_MB,
    "one line of words": "chào " * 400_000,
    "dates": "21/05/2025 17:05\n" * 120_000,
    "buttons": "chia sẻ copy link\n" * 110_000,
    "punctuation": ".\n" * 1_000_000,
    "a heading with one endless word": "Tin\nMột câu có đủ sáu từ ở đây.\nA" + "a" * 1_900_000,
    "3,000 long lines": ("Một câu " + "chữ " * 170 + "Xin Chào\n") * 2_900,
}


def cpu_seconds_to_read(text: str) -> float:
    """The least CPU time of two readings (or refusals) of ``text``: the least is the
    reading's own cost, whatever else the machine is doing."""
    times = []
    for _ in range(2):
        started = time.process_time()
        try:
            read(decode(text.encode(errors="ignore")))
        except ValueError as refusal:
            assert "quá dài" in str(refusal)
        times.append(time.process_time() - started)
    return min(times)


@pytest.mark.parametrize("shape", HOSTILE)
def test_copy_of_any_shape_is_read_in_time_linear_in_its_size(shape):
    """Reading is linear in the copy, and copy of more lines than any story is refused
    before it is read: 2 MB of two-word lines once took 6 s of CPU, and fifty of them a
    worker's whole time limit. Four times the copy costs at most about four times the
    time (a quadratic step would cost sixteen), and never whole seconds."""
    data = HOSTILE[shape].encode()[:TWO_MB].decode(errors="ignore")
    whole = cpu_seconds_to_read(data)
    quarter = cpu_seconds_to_read(data[: len(data) // 4])
    assert whole < 8 * quarter + 0.05, (whole, quarter)
    assert whole < 3.0


def test_many_files_are_an_import_whose_page_shows_each_result(client, reporter):
    """More than a few files: the request reads what fits its time and answers with
    the import's page (drafts made, files refused and why), never the worker's limit."""
    client.force_login(reporter)
    url = reverse("admin:articles_article_import")
    hostile = [
        SimpleUploadedFile(f"dai-{n}.txt", HOSTILE["two-word lines"].encode()[:TWO_MB])
        for n in range(6)
    ]
    good = SimpleUploadedFile("000.txt", FILE_000.read_bytes(), "text/plain")
    started = time.process_time()
    response = client.post(url, {"files": [*hostile, good]})
    assert time.process_time() - started < 5
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert page.count("quá dài cho một bài") == 6 and "dai-5.txt" in page
    draft = Article.objects.get(wire_fingerprint__isnull=False)
    assert draft.created_by == reporter and f"#{draft.pk}" in page
    assert "7 / 7" in page


def test_one_import_takes_at_most_twenty_megabytes(client, reporter):
    client.force_login(reporter)
    files = [SimpleUploadedFile(f"{n}.txt", b"x" * (TWO_MB - 10)) for n in range(11)]
    response = client.post(reverse("admin:articles_article_import"), {"files": files})
    assert response.status_code == 200 and "tối đa 20 MB" in response.content.decode()
    assert not Article.objects.exists()


def test_copy_pasted_on_the_import_page_is_read_as_a_file_is(client, editor):
    client.force_login(editor)
    url = reverse("admin:articles_article_import")
    response = client.post(url, {"text": AROUND_THE_STORY})
    page = response.content.decode()
    draft = Article.objects.get(wire_fingerprint__isnull=False)
    assert "Đã tạo bản nháp" in page and "Nội dung dán vào" in page
    assert (draft.image_caption, draft.image_credit) == (
        "Phối cảnh cây cầu nhìn từ trên cao",
        "KTS",
    )
    assert sorted(draft.tags.names()) == ["Hà Nội", "cầu sông Hồng", "hạ tầng"]
    assert "Thẻ theo dòng thẻ của bài: cầu sông Hồng, hạ tầng, Hà Nội" in page
    assert draft.created_by == editor and draft.source_outlet is None
    # "Theo TTXVN", an outlet the archive does not know: offered in one click
    assert "Báo nguồn “TTXVN” chưa có trong danh sách." in page
    offer = reverse("admin:articles_article_import_outlet", args=[draft.pk])
    assert f'action="{offer}"' in page
    assert client.post(offer, {"name": "TTXVN"}).status_code == 302
    draft.refresh_from_db()
    assert draft.source_outlet.name == "TTXVN" and draft.source_outlet.kind == "media"
    # known now: the next copy naming it is credited to it, and nothing is offered
    again = AROUND_THE_STORY.replace("Hà Nội khánh thành", "TP.HCM khánh thành")
    page = client.post(url, {"text": again}).content.decode()
    second = Article.objects.filter(wire_fingerprint__isnull=False).latest("pk")
    assert second.source_outlet == draft.source_outlet and "chưa có trong danh sách" not in page
    assert client.post(url, {"text": "  "}).content.decode().count("Hãy dán nội dung") == 1


def test_a_reporter_is_told_of_an_unknown_outlet_but_cannot_add_one(client, reporter):
    client.force_login(reporter)
    page = client.post(
        reverse("admin:articles_article_import"), {"text": AROUND_THE_STORY}
    ).content.decode()
    draft = Article.objects.get(wire_fingerprint__isnull=False)
    assert "Nhờ biên tập viên thêm báo này." in page and "import-outlet/" not in page
    offer = reverse("admin:articles_article_import_outlet", args=[draft.pk])
    assert client.post(offer, {"name": "TTXVN"}).status_code == 403
    draft.refresh_from_db()
    assert draft.source_outlet is None


def test_a_section_s_name_in_the_banner_is_not_offered_as_an_outlet(desk):
    from tests.factories import SectionFactory

    SectionFactory(name="Kinh doanh")
    text = (
        "Kinh doanh\nQuốc tế\nGiá vàng thế giới lập đỉnh mới\n"
        "Giá vàng thế giới tăng lên 3.500 USD một ounce trong phiên hôm qua, mức cao nhất.\n"
    )
    page = desk.post(reverse("admin:articles_article_import"), {"text": text}).content.decode()
    assert "Đã tạo bản nháp" in page and "chưa có trong danh sách" not in page
