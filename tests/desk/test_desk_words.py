"""No string left in English in the Vietnamese desk: every page of the desk,
its forms with their errors, its lists, its own views, read as an editor would
(the text and what a screen reader says), with no English word on it, and
without the stock phrasing Django's catalog gives ("Thêm vào bài viết")."""

import contextlib
import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, reverse

from articles.desk import workflow
from articles.models import Event, Notification, PlannedStory
from tests.browser_form import post_form
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("tongbientap", password="x")


# English words that are no Vietnamese syllable: one of them in the desk's own text is a
# string left untranslated.
WORDS = """
the please select save delete change view history filter search show clear choose
remove today error errors below correct add object objects items action actions go
yes none unknown date time home log out password welcome documentation recent my
available chosen first last next previous page results total are you sure with this
that these from for and or not by all any other another edit close back return
submit publish schedule review draft published archived status author authors tag
tags notification notifications plan story stories article articles user users
group groups permission permissions name title description required field fields
optional hide counts toggle theme skip main content navigation sidebar start typing
"""
ENGLISH = frozenset(WORDS.split())
STOCK = [
    "Thêm vào ",
    "để thay đổi",
    "Bạn muốn xóa?",
    "Thêm một ",
    "nội dung:",
    "đường dẫn bài gốc:",
]


class VisibleText(HTMLParser):
    """What the page says: text outside scripts and styles, and the attributes a
    person hears or sees (title, aria-label, placeholder, alt, a button's value)."""

    SPOKEN = ("title", "aria-label", "placeholder", "alt")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "svg", "template"):
            self.hidden += 1
        for name in self.SPOKEN:
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "svg", "template") and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def english_in(html: str) -> list[str]:
    reader = VisibleText()
    reader.feed(html)
    text = " ".join(reader.parts)
    found = [w for w in re.findall(r"[A-Za-z]+", text) if w.lower() in ENGLISH]
    found += [phrase for phrase in STOCK if phrase in text]
    return found


def desk_pages(superuser) -> list[str]:
    """Every page of the desk: the index, each model's list, new and existing
    forms, the delete and history pages, and the desk's own views."""
    story = ArticleFactory(headline="Bài để xem")
    workflow.add_note(story, superuser, "Ghi chú")
    PlannedStory.objects.create(working_title="Mục kế hoạch").assignees.add(superuser)
    Event.objects.create(title="Cuộc gặp", start_date="2026-12-06")
    Notification.objects.create(recipient=superuser, kind="mentioned", subject="Bài để xem")
    pages = [reverse("admin:index"), reverse("admin:password_change")]
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        pages.append(reverse("admin:{}_{}_changelist".format(*info)))
        with contextlib.suppress(NoReverseMatch):  # a list of records no one adds
            pages.append(reverse("admin:{}_{}_add".format(*info)))
        thing = model._default_manager.order_by("pk").first()
        for page in ("change", "history", "delete") if thing is not None else ():
            with contextlib.suppress(NoReverseMatch):  # a list without pages (sign-ins)
                pages.append(reverse("admin:{}_{}_{}".format(*info, page), args=[thing.pk]))
    pages += [
        reverse("admin:articles_article_import"),
        reverse("admin:articles_article_recoverlist"),
        reverse("admin:app_list", args=["articles"]),
    ]
    return pages


def test_every_desk_page_is_in_vietnamese(superuser):
    desk = Client()
    desk.force_login(superuser)
    left = {}
    for url in desk_pages(superuser):
        response = desk.get(url)
        if response.status_code != 200:
            continue  # a page the admin itself refuses (adding a log entry): nothing shown
        words = english_in(response.content.decode())
        if words:
            left[url] = sorted(set(words))
    assert left == {}


def test_a_form_with_errors_says_so_in_vietnamese(superuser):
    desk = Client()
    desk.force_login(superuser)
    html = post_form(desk, reverse("admin:articles_article_add"), headline="").content.decode()
    assert "Hãy sửa các lỗi dưới đây." in html
    assert english_in(html) == []


def test_the_detector_finds_what_it_looks_for():
    assert english_in("<p>Please correct the error below.</p>") == [
        "Please",
        "correct",
        "the",
        "error",
        "below",
    ]
    assert english_in('<button aria-label="Toggle theme"></button>') == ["Toggle", "theme"]
    assert english_in("<p>Thêm vào bài viết</p>") == ["Thêm vào "]
    assert english_in("<p>Bộ trưởng gặp lãnh đạo SpaceX tại Hoa Kỳ</p>") == []
    assert english_in("<script>var the = 1;</script><p>Tin</p>") == []
