"""The story form of the editors' desk."""

import base64
import functools
import hashlib
import re
from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget

from ..models import Article
from ..text.sanitize import clean_body, xml_safe_data
from . import workflow

# What the editor offers; the server-side allow-list in sanitize.py has the final word.
EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "HorizontalRule": True,
    "Link": {"protocols": ["http", "https", "mailto"]},
    "Image": True,
    "Figure": True,
    "Caption": True,
    "History": True,
}


class FigureInput(forms.NumberInput):
    """A figure as it was typed: 2, not 2.0000 (the column keeps four decimals)."""

    def format_value(self, value):
        if isinstance(value, Decimal):
            value = format(value.normalize(), "f")  # "f": 20, not 2E+1
        return super().format_value(value)


class TokenInput(forms.HiddenInput):
    """A hidden value the admin still gives a row and a label: the label names no
    control (HTML forbids pointing one at a hidden input)."""

    def id_for_label(self, id_):
        return ""


class LinkedChoices(forms.ModelMultipleChoiceField):
    """Things a story links to: those it is linked to already, read with the story
    (``known``), are not read again to be checked; the others are, as Django's."""

    known: dict[str, object] = {}

    def _check_values(self, value):
        wanted = [str(v) for v in value]
        if self.to_field_name is None and set(wanted) <= set(self.known):
            return [self.known[v] for v in dict.fromkeys(wanted)]
        return super()._check_values(value)


class DeskForm(forms.ModelForm):
    """Every form of the desk drops what XML 1.0 forbids from what was typed before
    it is validated: a name typed with a stray control character is the same
    name, for the uniqueness checks too (the models strip it again on save).
    Figures show without the trailing zeros their columns keep."""

    def _get_validation_exclusions(self):
        """A link the form's own field has found (a chosen section, an author) is
        not looked up again by the model, unless a constraint reads it."""
        excluded = super()._get_validation_exclusions()
        opts = self.instance._meta
        constrained = {
            name for constraint in opts.constraints for name in getattr(constraint, "fields", ())
        }
        constrained |= {name for names in opts.unique_together for name in names}
        fields = {field.name: field for field in opts.concrete_fields}
        for name, field in self.fields.items():
            if (
                type(field) is forms.ModelChoiceField
                and name in self.cleaned_data
                and name in fields
                and name not in constrained
                and not fields[name].unique
            ):
                excluded.add(name)
        return excluded

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            self.data = xml_safe_data(self.data)
        for field in self.fields.values():
            if isinstance(field, forms.DecimalField):
                field.widget = FigureInput(attrs=field.widget.attrs)


class ArticleForm(DeskForm):
    """Offers each user only the moves the desk allows them, and refuses to save
    over someone else's newer save (the typed text stays in the form)."""

    body = ProseEditorFormField(
        label=gettext_lazy("Nội dung"),
        required=False,
        extensions=EDITOR_EXTENSIONS,
        sanitize=clean_body,
        widget=AdminProseEditorWidget,
    )
    source_url = forms.URLField(
        label=gettext_lazy("Đường dẫn bài gốc"),
        max_length=500,
        required=False,
        assume_scheme="https",
    )
    edit_token = forms.CharField(
        label=gettext_lazy("Phiên bản đang sửa"), widget=TokenInput, required=False
    )
    publish_without_byline = forms.BooleanField(
        label=gettext_lazy("Xuất bản không ghi tác giả"),
        required=False,
        help_text=gettext_lazy("Chỉ khi bài thật sự không có tác giả để ghi."),
    )
    note = forms.CharField(
        label=gettext_lazy("Ghi chú nội bộ"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Chỉ người trong toà soạn đọc được, lưu trong nhật ký của bài. Gõ @tên-đăng-nhập để "
            "báo cho người đó. Bắt buộc khi trả lại bài cho phóng viên."
        ),
    )
    take_over_slug = forms.BooleanField(
        label=gettext_lazy("Lấy địa chỉ cũ của bài khác"),
        required=False,
        help_text=gettext_lazy(
            "Chỉ biên tập viên: khi đường dẫn là địa chỉ cũ của một bài đã đổi tên, đánh dấu "
            "ô này để bài này nhận địa chỉ đó; liên kết cũ sẽ không còn dẫn tới bài kia."
        ),
    )

    user = None  # set per request by the admin
    # Set by the admin when a restore has written an old revision over the row:
    # the story as the database held it before (see ArticleAdmin).
    restoring: workflow.Stored | None = None

    class Meta:
        model = Article
        fields = [
            "headline", "slug", "sapo", "body",
            "image", "image_alt", "image_caption", "image_credit",
            "section", "tags", "language", "translation_of",
            "organizations", "people", "events",
            "published_at",
            "source_outlet", "source_url", "source_published_at", "by_newsroom",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.made_new = self.instance.pk is None  # saved, it has one
        if self.made_new and "by_newsroom" in self.fields and not self.is_bound:
            self.initial.setdefault("by_newsroom", not self.initial.get("translation_of"))
        # What the move is judged from: read again, locked, when the form is sent.
        self.stored = self.restoring or (
            workflow.Stored(
                self.instance.status, self.instance.updated_at, self.instance.updated_by_id
            )
            if self.instance.pk
            else workflow.Stored()
        )
        self.old_status = self.stored.status or Article.Status.DRAFT
        if self.stored.updated_at:
            self.fields["edit_token"].initial = self.stored.updated_at.isoformat()
        # The buttons of the submit row: the moves this user may make from here.
        self.acts = workflow.acts_for(
            self.user, self.instance, self.stored.stage or self.instance.stage
        )
        for name, field in self.fields.items():
            if isinstance(field, LinkedChoices) and self.instance.pk:
                field.known = {str(thing.pk): thing for thing in self.initial.get(name) or ()}
        if "tags" in self.fields:
            self.fields["tags"].help_text = _("Các thẻ, cách nhau bằng dấu phẩy.")
        if not workflow.can_publish(self.user):
            self.fields["take_over_slug"].disabled = True
            self.fields["publish_without_byline"].disabled = True
        if "published_at" in self.fields and not workflow.can_publish(self.user):
            self.fields["published_at"].disabled = True
            self.fields["published_at"].help_text = _("Biên tập viên đặt thời gian xuất bản.")

    def _save_m2m(self):
        """Links and tags left as they were are not written again: each is a read
        of what is there, and a change announced to search and to the pages. A
        new story's are all written: what its form began with (a translation's,
        carried over from its original) is not there yet."""
        if self.made_new:
            return super()._save_m2m()
        opts = self.instance._meta
        linked = {field.name for field in (*opts.many_to_many, *opts.private_fields)}
        unchanged = {
            name: self.cleaned_data.pop(name)
            for name in linked & set(self.cleaned_data)
            if name not in self.changed_data
        }
        try:
            super()._save_m2m()
        finally:
            self.cleaned_data.update(unchanged)

    def clean(self):
        cleaned = super().clean()
        if getattr(self.instance, "locked", False) and self.restoring is None:
            self.stored = workflow.Stored.of(self.instance, self.user)  # read locked
        elif self.instance.pk and self.restoring is None:
            self.stored = workflow.Stored.read(self.instance.pk, self.user)  # as now, locked
        if self.stored.row is not None:
            self.instance._stored = self.stored.row  # what the model's checks judge by too
        self._check_not_stale()
        self._check_slug_is_not_another_storys_old_address(cleaned)
        self._take_the_move(cleaned)
        if cleaned.get("image") is False:  # "Xoá" ticked: the story leads with no picture
            cleaned["lead_picture"] = None
        return cleaned

    def _take_the_move(self, cleaned):
        """The button pressed (``move``: "Gửi duyệt", "Xuất bản"…, judged against
        the story as stored now) sets the status and the time; "Lưu" keeps the
        stored status (a story brought back, or new, is a draft)."""
        self.act = None
        self.instance.status = self.stored.status or Article.Status.DRAFT
        pressed = self.data.get("move", "")
        if not pressed:
            return
        self.act = workflow.ACTS.get(pressed)
        stage = self.stored.stage or self.instance.stage
        if self.act not in workflow.acts_for(self.user, self.instance, stage):
            self.add_error(None, _("Bạn không thể làm việc này với bài ở trạng thái hiện tại."))
            return
        if "published_at" in cleaned:
            self.instance.published_at = cleaned["published_at"]  # as typed, for the act to judge
        try:
            workflow.prepare(
                self.act, self.instance, cleaned.get("published_at"), cleaned.get("note", "")
            )
        except forms.ValidationError as refusal:
            for field, errors in refusal.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
            return
        cleaned["published_at"] = self.instance.published_at  # as the act set it

    def _check_slug_is_not_another_storys_old_address(self, cleaned):
        """A renamed story's old address leads readers to it: another story takes
        it only when an editor says so, knowing which story loses it."""
        slug = cleaned.get("slug")
        owner = Article.objects.renamed_from(slug).exclude(pk=self.instance.pk).first()
        if owner is None:
            return
        if cleaned.get("take_over_slug") and workflow.can_publish(self.user):
            self.instance.takes_over_slug = True
            return
        self.add_error(
            "slug",
            _(
                "“%(slug)s” là địa chỉ cũ của bài số %(number)s “%(headline)s”: liên kết tới "
                "địa chỉ này đang dẫn người đọc tới bài đó. Hãy chọn đường dẫn khác%(or)s."
            )
            % {
                "slug": slug,
                "number": owner.pk,
                "headline": owner.headline,
                "or": _(", hoặc đánh dấu “Lấy địa chỉ cũ của bài khác” nếu bạn chắc chắn")
                if workflow.can_publish(self.user)
                else _(", hoặc nhờ biên tập viên chuyển địa chỉ này cho bài của bạn"),
            },
        )

    def _check_not_stale(self):
        """Refuse to overwrite a save made since this form was opened."""
        current = self.stored
        if current.updated_at is None:
            return  # a new story, or a deleted one coming back
        token = self.data.get(self.add_prefix("edit_token")) or ""
        if token == current.updated_at.isoformat():
            return
        who = get_user_model().objects.filter(pk=current.updated_by_id).first()
        # Let the next save through, now that the user has been warned.
        self.data = self.data.copy()
        self.data[self.add_prefix("edit_token")] = current.updated_at.isoformat()
        raise forms.ValidationError(
            _(
                "%(who)s đã lưu bài này lúc %(when)s, sau khi bạn mở nó. Nội dung bạn "
                "vừa sửa vẫn còn trong biểu mẫu: hãy mở bài ở thẻ khác để xem thay đổi "
                "của họ, gộp lại, rồi bấm Lưu lần nữa."
            ),
            code="stale",
            params={
                "who": who.get_username() if who else _("Người khác"),
                "when": formats.date_format(timezone.localtime(current.updated_at), "H:i:s, d/m/Y"),
            },
        )


def editor_policy() -> str:
    """The admin's Content-Security-Policy, allowing the editor's import map."""
    return settings.ADMIN_CONTENT_SECURITY_POLICY.replace(
        "script-src 'self'", f"script-src 'self' {editor_script_sources()}", 1
    )


@functools.cache
def editor_script_sources() -> str:
    """CSP sources for the editor's inline ``<script type="importmap">``: the
    hash of exactly what the widget renders (its URLs carry the static files'
    hashed names in production, so it is computed, not written down)."""
    media = str(ArticleForm.base_fields["body"].widget.media)
    scripts = re.findall(r'<script type="importmap"[^>]*>(.*?)</script>', media, re.S)
    digests = (base64.b64encode(hashlib.sha256(script.encode()).digest()) for script in scripts)
    return " ".join(f"'sha256-{digest.decode()}'" for digest in digests)
