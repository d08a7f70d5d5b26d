"""Pictures in a story's body: a library picture goes in as a figure with its
caption and credit; two or more figures in a row are shown to readers as a
gallery, one alone as itself."""

import pytest

from articles.text.galleries import figure, with_galleries
from articles.text.sanitize import clean_body
from tests.factories import ArticleFactory

ONE = '<figure><img src="/media/a.webp" alt="A"><figcaption>A (Ảnh: KTS)</figcaption></figure>'
TWO = '<figure><img src="/media/b.webp" alt="B"></figure>'


def test_a_figure_carries_its_caption_and_credit_the_vietnamese_way():
    made = figure("/media/a.webp", 'Bộ trưởng "phát biểu"', 960, 640, "Lễ ký <kết>", "TTXVN")
    assert made == (
        '<figure><img src="/media/a.webp" alt="Bộ trưởng &quot;phát biểu&quot;" width="960" '
        'height="640"><figcaption>Lễ ký &lt;kết&gt; (Ảnh: TTXVN)</figcaption></figure>'
    )
    assert clean_body(made) == made  # the body keeps it as it is
    assert "<figcaption>Ảnh: KTS</figcaption>" in figure("/a.webp", "", None, None, "", "KTS")
    assert "figcaption" not in figure("/a.webp", "", None, None, "", "")


@pytest.mark.parametrize(
    "body, galleries",
    [
        (f"<p>Mở đầu.</p>{ONE}<p>Tiếp.</p>", 0),  # one picture is itself
        (f"<p>Mở đầu.</p>{ONE}\n{TWO}{ONE}<p>Tiếp.</p>", 1),
        (f"{ONE}{TWO}<p>Giữa hai bộ ảnh.</p>{TWO}{ONE}", 2),
        (f"{ONE}<p>Một đoạn giữa.</p>{TWO}", 0),
    ],
)
def test_pictures_in_a_row_are_a_gallery(body, galleries):
    shown = with_galleries(body)
    assert shown.count('<div class="gallery"') == galleries
    assert shown.count("</div>") == galleries
    assert shown.replace("</div>", "").count("<figure>") == body.count("<figure>")


def test_a_gallery_cannot_be_written_into_a_body_by_hand():
    written = '<div class="gallery" onclick="x()"><p>Chữ</p></div>'
    assert "gallery" not in clean_body(written) and "onclick" not in clean_body(written)


@pytest.mark.django_db
def test_readers_see_the_gallery_on_the_story_page(client):
    story = ArticleFactory(body=f"<p>Mở đầu.</p>{ONE}{TWO}")
    page = client.get(story.get_absolute_url()).content.decode()
    assert '<div class="gallery" role="group" aria-label="Bộ ảnh, 2 ảnh">' in page
