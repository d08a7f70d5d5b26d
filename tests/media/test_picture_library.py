"""The picture library: a picture is uploaded once, with its words and who it
shows, found by any of them, and used again as another story's lead picture
(its file and renditions made once); the upload checks hold; the stories'
lead images of before are in it without loss."""

import importlib
import io
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from articles.media.images import crop_box
from articles.models import Article, Picture
from tests.browser_form import form_values, post_form
from tests.factories import ArticleFactory, PersonFactory, image_bytes, staff

pytestmark = pytest.mark.django_db
LIBRARY = "/admin/articles/picture/"
moved = importlib.import_module("articles.migrations.0036_pictures_from_stories")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(name="anh.png", fmt="PNG", size=(1200, 800)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(fmt, size))


def add_picture(client, **fields):
    data = form_values(client.get(f"{LIBRARY}add/").content.decode(), "picture_form")
    data.update(
        {name: value if isinstance(value, list) else [value] for name, value in fields.items()}
    )
    data["file"] = fields.get("file", upload())
    return client.post(f"{LIBRARY}add/", data)


def files(media: Path) -> list[str]:
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


def test_a_picture_uploaded_once_leads_two_stories_with_one_file(desk, media, editor):
    person = PersonFactory(name="Nguyễn Hồng Diên")
    response = add_picture(desk, alt="Bộ trưởng phát biểu", caption="Bộ trưởng tại Hoa Kỳ",
                           credit="Bộ Công Thương", people=str(person.pk))  # fmt: skip
    assert response.status_code == 302
    picture = Picture.objects.get()
    assert picture.uploaded_by == editor and list(picture.renditions["webp"]) == [
        "480",
        "960",
        "1200",
    ]
    assert list(picture.renditions["crop"]) == ["480", "960"]
    stored = files(media)
    assert len(stored) == 6  # the original, its three renditions and two crops, made once
    for n in range(2):
        story = ArticleFactory(headline=f"Tin {n}", status=Article.Status.DRAFT)
        post_form(desk, f"/admin/articles/article/{story.pk}/change/", lead_picture=str(picture.pk))
        story.refresh_from_db()
        assert story.lead_picture == picture and story.image.name == picture.file.name
        assert story.image_renditions == picture.renditions
        assert (story.image_alt, story.image_caption, story.image_credit) == (
            "Bộ trưởng phát biểu",
            "Bộ trưởng tại Hoa Kỳ",
            "Bộ Công Thương",
        )
    assert files(media) == stored  # nothing uploaded or rendered again
    listed = desk.get(LIBRARY).content.decode()
    assert "Bộ trưởng tại Hoa Kỳ" in listed and ">2<" in listed  # used by two stories


@pytest.mark.parametrize("words", ["hoa ky", "BO CONG THUONG", "phat bieu", "hong dien"])
def test_the_library_finds_a_picture_by_its_words_or_who_it_shows(desk, words):
    person = PersonFactory(name="Nguyễn Hồng Diên")
    add_picture(desk, alt="Bộ trưởng phát biểu", caption="Bộ trưởng tại Hoa Kỳ",
                credit="Bộ Công Thương", people=str(person.pk))  # fmt: skip
    add_picture(desk, alt="Cánh đồng lúa", caption="Mùa gặt ở An Giang", credit="TTXVN")
    page = BeautifulSoup(desk.get(LIBRARY, {"q": words}).content, "html.parser")
    found = page.select_one("#result_list").get_text(" ")
    assert "Bộ trưởng tại Hoa Kỳ" in found and "Mùa gặt ở An Giang" not in found
    chooser = desk.get(
        "/admin/autocomplete/",
        {"app_label": "articles", "model_name": "article", "field_name": "lead_picture",
         "term": words},
    ).json()["results"]  # fmt: skip
    assert [r["text"] for r in chooser] == ["Bộ trưởng tại Hoa Kỳ"]


@pytest.mark.parametrize(
    "file, message",
    [
        (SimpleUploadedFile("anh.jpg", b"not a picture"), "ảnh hợp lệ"),
        (SimpleUploadedFile("anh.gif", image_bytes("GIF")), "JPEG, PNG hoặc WebP"),
    ],
)
def test_the_library_holds_uploads_to_the_same_checks(desk, media, file, message):
    response = add_picture(desk, alt="Ảnh", file=file)
    assert response.status_code == 200
    assert message in " ".join(response.context["adminform"].form.errors["file"])
    assert not Picture.objects.exists() and files(media) == []


def test_a_picture_uploaded_on_a_story_goes_into_the_library(desk):
    data = form_values(desk.get("/admin/articles/article/add/").content.decode())
    data.update(headline=["Tin có ảnh"], sapo=["Mở đầu."], image_alt=["Ảnh"], image=upload(),
                image_credit=["Reuters"])  # fmt: skip
    assert desk.post("/admin/articles/article/add/", data).status_code == 302
    story = Article.objects.get(headline="Tin có ảnh")
    picture = Picture.objects.get()
    assert story.lead_picture == picture and picture.file.name == story.image.name
    assert (picture.alt, picture.credit) == ("Ảnh", "Reuters")


def test_a_picture_a_story_leads_with_is_not_deleted(desk):
    add_picture(desk, alt="Ảnh", caption="Ảnh đang dùng")
    picture = Picture.objects.get()
    story = ArticleFactory(status=Article.Status.DRAFT)
    picture.use_on(story)
    story.save()
    page = desk.post(f"{LIBRARY}{picture.pk}/delete/", {"post": "yes"})
    assert Picture.objects.filter(pk=picture.pk).exists()
    assert page.status_code == 200  # the page names the story that holds it


def test_a_reporter_uploads_and_chooses_pictures_but_deletes_none(client):
    reporter = staff("phongvien", "Phóng viên")
    client.force_login(reporter)
    assert add_picture(client, alt="Ảnh của phóng viên").status_code == 302
    picture = Picture.objects.get()
    assert client.get(LIBRARY).status_code == 200
    assert client.post(f"{LIBRARY}{picture.pk}/delete/", {"post": "yes"}).status_code == 403


def test_stories_lead_images_of_before_move_into_the_library_without_loss(media):
    first = ArticleFactory(image=upload("a.png"), image_alt="Một", image_caption="Chú thích",
                           image_credit="KTS")  # fmt: skip
    second = ArticleFactory(image_alt="Hai")
    # as stories were before the library: an image of their own, none from it
    Article.objects.filter(pk__in=[first.pk, second.pk]).update(lead_picture=None)
    Article.objects.filter(pk=second.pk).update(
        image=first.image.name, image_renditions=first.image_renditions
    )
    Picture.objects.filter(lead_of=None).delete()
    before = files(media)
    moved.move_images(apps, None)
    first.refresh_from_db()
    second.refresh_from_db()
    picture = first.lead_picture
    assert second.lead_picture == picture  # one file, one picture
    assert picture.file.name == first.image.name and picture.renditions == first.image_renditions
    assert (picture.alt, picture.caption, picture.credit) == ("Một", "Chú thích", "KTS")
    assert picture.uploaded_by_id == first.created_by_id
    assert Picture.objects.matching("chu thich").get() == picture
    assert files(media) == before  # no file moved, copied or lost


# -- the focal point


@pytest.mark.parametrize(
    "size, focus",
    [((1200, 400), (95, 50)), ((1200, 400), (0, 0)), ((400, 1200), (50, 97)),
     ((900, 600), (50, 50)), ((3, 1), (100, 100)), ((1, 7), (20, 80))],
)  # fmt: skip
def test_a_crop_keeps_the_focal_point_whatever_the_pictures_shape(size, focus):
    left, top, right, bottom = crop_box(size, focus)
    x, y = size[0] * focus[0] // 100, size[1] * focus[1] // 100
    assert 0 <= left <= min(x, size[0] - 1) < right <= size[0]
    assert 0 <= top <= min(y, size[1] - 1) < bottom <= size[1]
    assert abs((right - left) * 2 - (bottom - top) * 3) <= 3  # 3:2, as near as pixels allow


def subject_on_the_right() -> SimpleUploadedFile:
    """A wide grey picture with its subject, a red square, near its right edge."""
    picture = Image.new("RGB", (1500, 500), "#888888")
    ImageDraw.Draw(picture).rectangle((1320, 200, 1420, 300), fill="#ff0000")
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return SimpleUploadedFile("ben-phai.png", buffer.getvalue())


def shows_the_subject(name: str) -> bool:
    with default_storage.open(name) as file, Image.open(file) as crop:
        return any(r > 200 and g < 60 for r, g, b in crop.convert("RGB").get_flattened_data())


def test_the_teasers_crop_is_cut_around_the_focal_point_set_in_the_library(desk, media):
    add_picture(desk, alt="Hình vuông đỏ", file=subject_on_the_right())
    picture = Picture.objects.get()
    assert not shows_the_subject(picture.renditions["crop"]["480"])  # the centre cut misses it
    story = ArticleFactory(headline="Tin có ảnh cắt")
    picture.use_on(story)
    story.save()
    before = set(files(media))

    page = desk.get(f"{LIBRARY}{picture.pk}/change/").content.decode()
    assert 'class="focal-picture" data-x="50" data-y="50"' in page
    data = form_values(page, "picture_form")
    data.update(focal_x=["90"], focal_y=["50"])
    assert desk.post(f"{LIBRARY}{picture.pk}/change/", data).status_code == 302

    picture.refresh_from_db()
    story.refresh_from_db()
    assert picture.renditions["focus"] == [90, 50]
    assert all(shows_the_subject(name) for name in picture.renditions["crop"].values())
    assert story.image_renditions == picture.renditions  # lent to the story it leads
    now = set(files(media))
    gone, new = before - now, now - before
    assert gone and len(gone) == len(new) and all("crop-50-50" in n for n in gone)  # no orphans
    home = desk.get("/").content.decode()
    assert default_storage.url(picture.renditions["crop"]["480"]) in home


@pytest.mark.parametrize("value", ["101", "-1", "giữa"])
def test_a_focal_point_outside_the_picture_is_refused(desk, value):
    add_picture(desk, alt="Ảnh")
    picture = Picture.objects.get()
    data = form_values(desk.get(f"{LIBRARY}{picture.pk}/change/").content.decode(), "picture_form")
    data.update(focal_x=[value])
    response = desk.post(f"{LIBRARY}{picture.pk}/change/", data)
    assert response.status_code == 200 and "focal_x" in response.context["adminform"].form.errors


# -- pictures in a story's body


def test_the_story_form_offers_library_pictures_as_figures_for_the_body(
    desk, django_assert_max_num_queries
):
    add_picture(
        desk, alt="Trạm", caption="Trạm mặt đất", credit="KTS", file=upload(size=(1200, 800))
    )
    add_picture(desk, alt="Lúa", caption="Mùa gặt", credit="TTXVN")
    form = desk.get("/admin/articles/article/add/").content.decode()
    assert 'id="body-pictures"' in form and "/admin/articles/picture/choose/" in form
    with django_assert_max_num_queries(6):  # the session, the user, the pictures
        found = desk.get(f"{LIBRARY}choose/", {"q": "tram mat"}).json()["results"]
    assert [p["label"] for p in found] == ["Trạm mặt đất"]
    picture = Picture.objects.get(caption="Trạm mặt đất")
    assert found[0]["figure"] == picture.body_figure
    assert 'width="960" height="640"' in found[0]["figure"]
    assert "<figcaption>Trạm mặt đất (Ảnh: KTS)</figcaption>" in found[0]["figure"]
    assert len(desk.get(f"{LIBRARY}choose/").json()["results"]) == 2


def test_the_library_chooser_is_for_the_desk_only(client, db):
    assert client.get(f"{LIBRARY}choose/").status_code == 302  # to the sign-in page


def test_the_library_lists_a_page_in_the_same_queries_however_large_it_grows(desk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        desk.get(LIBRARY)
        with CaptureQueriesContext(connection) as captured:
            assert desk.get(LIBRARY, {"q": "tram"}).status_code == 200
            assert desk.get(LIBRARY, {"p": "2"}).status_code == 200
        return len(captured)

    def pictures(n: int) -> None:
        Picture.objects.bulk_create(
            Picture(file=f"pictures/p{n}-{i}.png", alt="Trạm", caption=f"Trạm {i}",
                    search_text=f"tram {i}")
            for i in range(n)
        )  # fmt: skip

    pictures(60)  # two pages
    few = queries()
    pictures(120)
    assert queries() == few


def test_a_picture_a_story_shows_in_its_body_is_not_deleted(desk):
    add_picture(desk, alt="Trạm", caption="Trạm mặt đất", credit="KTS", file=upload("trạm đất.png"))
    add_picture(desk, alt="Lúa", caption="Mùa gặt")
    shown, other = Picture.objects.get(alt="Trạm"), Picture.objects.get(alt="Lúa")
    story = ArticleFactory(status=Article.Status.DRAFT)
    foreign = '<figure><img src="https://example.org/media/pictures/x.png" alt=""></figure>'
    story.body = f"<p>Mở đầu.</p>{shown.body_figure}{foreign}"
    story.save()
    assert list(story.body_pictures.all()) == [shown]
    refused = desk.post(f"{LIBRARY}{shown.pk}/delete/", {"post": "yes"})
    assert refused.status_code == 200 and Picture.objects.filter(pk=shown.pk).exists()
    assert story.headline in refused.content.decode()  # the page names the story
    assert desk.post(f"{LIBRARY}{other.pk}/delete/", {"post": "yes"}).status_code == 302

    story.body = "<p>Không còn ảnh.</p>"
    story.save()
    assert not story.body_pictures.exists()
    assert desk.post(f"{LIBRARY}{shown.pk}/delete/", {"post": "yes"}).status_code == 302
