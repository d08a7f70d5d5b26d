"""The desk's "Nhập tin" page: files of copy from outlets' pages become drafts
(imports.py), each text once, with what was cut shown on the draft; and the
story form's entity suggestions (suggest.py)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from newsroom import jobs

from ..desk import bulk_changes, wire
from ..desk.imports import add_outlet, import_copy, import_text
from ..desk.proposals import accept, propose
from ..desk.suggest import SOURCES, find
from ..models import Article, Event, Organization, Outcome
from ..text.amounts import QUALIFIERS
from .base import LabelledAutocompleteSelect

MAX_FILES = 50
MAX_STORY_CHARACTERS = 100_000  # the text the outcomes assistant reads
MAX_COUNTERPARTS = 20
MAX_FILE_BYTES = 2 * 1024 * 1024  # a story's text is a few kilobytes
MAX_REQUEST_BYTES = 20 * 1024 * 1024  # all the files of one import
# Read while the editor waits: a few files (each read in well under a second); more
# are an import job whose page shows how far it is, as changes to many stories are.
FILES_IN_REQUEST = 3
PASTED = _("Nội dung dán vào")


class MultipleFiles(forms.ClearableFileInput):
    allow_multiple_selected = True


class CopyFiles(forms.FileField):
    widget = MultipleFiles(attrs={"accept": ".txt,text/plain"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        files = [f for f in files if f]
        if not files:
            return []
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("Mỗi lần nhập tối đa %(n)s tệp.") % {"n": MAX_FILES})
        for upload in files:
            if upload.size > MAX_FILE_BYTES:
                raise forms.ValidationError(
                    _("“%(name)s” quá lớn cho một bài (tối đa 2 MB).") % {"name": upload.name}
                )
        if sum(upload.size for upload in files) > MAX_REQUEST_BYTES:
            raise forms.ValidationError(_("Mỗi lần nhập tối đa 20 MB: hãy chia thành nhiều lần."))
        return files


class ImportForm(forms.Form):
    text = forms.CharField(
        label=_("Dán nội dung trang báo"),
        required=False,
        max_length=MAX_FILE_BYTES // 2,  # as much as a file holds, near enough
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        help_text=_(
            "Chọn cả trang bài báo (Ctrl+A), chép (Ctrl+C) và dán vào đây: phần thừa của "
            "trang được lược bỏ như khi nhập tệp."
        ),
    )
    files = CopyFiles(label=_("Hoặc tệp văn bản (.txt)"), required=False)
    outlet = forms.ModelChoiceField(
        Organization.objects.all(),  # as the story form's "báo nguồn" (source_outlet)
        label=_("Báo nguồn"),
        required=False,
        help_text=_("Để trống: nhận ra từ tên báo ở đầu trang, nếu có."),
    )

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("files") and not data.get("text", "").strip():
            raise forms.ValidationError(_("Hãy dán nội dung một bài, hoặc chọn tệp .txt."))
        return data

    def __init__(self, *args, admin_site: admin.AdminSite, **kwargs):
        super().__init__(*args, **kwargs)
        # Searched as the story form's outlet is, not every outlet of the archive in one list.
        outlet = self.fields["outlet"]
        source = Article._meta.get_field("source_outlet")
        outlet.widget = LabelledAutocompleteSelect(source, admin_site, choices=outlet.choices)


def import_view(model_admin: admin.ModelAdmin, request):
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    results = []
    site = model_admin.admin_site
    form = ImportForm(request.POST or None, request.FILES or None, admin_site=site)
    if request.method == "POST" and form.is_valid():
        outlet = form.cleaned_data["outlet"]
        files = form.cleaned_data["files"]
        if len(files) > FILES_IN_REQUEST or (len(files) > 1 and jobs.queued()):
            copies = [(upload.name, upload.read()) for upload in files]
            if form.cleaned_data["text"].strip():
                copies.insert(0, (str(PASTED), form.cleaned_data["text"].encode()))
            change = bulk_changes.start_import(request.user, copies, outlet)
            return redirect(change.get_absolute_url())
        if pasted := form.cleaned_data["text"].strip():
            results.append(import_text(str(PASTED), pasted, outlet=outlet, user=request.user))
        results += [
            import_copy(upload.name, upload.read(), outlet=outlet, user=request.user)
            for upload in files
        ]
        form = ImportForm(admin_site=site)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Nhập tin"),
        "form": form,
        "results": results,
        "may_add_outlet": request.user.has_perm("articles.add_organization"),
    }
    return TemplateResponse(request, "admin/articles/article/import.html", context)


def import_outlet_view(model_admin: admin.ModelAdmin, request, object_id):
    """``POST name``: the outlet an imported draft names, made if new (one click from
    the import's results), as the draft's source; back to the draft."""
    if request.method != "POST":
        return JsonResponse({"detail": "POST name"}, status=405)
    story = model_admin.get_object(request, object_id)
    name = " ".join(request.POST.get("name", "").split())
    if story is None:
        raise Http404
    if not (
        request.user.has_perm("articles.add_organization")
        and model_admin.has_change_permission(request, story)
    ):
        raise PermissionDenied
    if not name or len(name) > 255:
        messages.error(request, _("Tên báo nguồn trống hoặc quá dài."))
    else:
        outlet = add_outlet(story, name, request.user)
        messages.success(request, _("Đã gắn báo nguồn “%(outlet)s”.") % {"outlet": outlet})
    return redirect("admin:articles_article_change", story.pk)


def suggest_view(model_admin: admin.ModelAdmin, request):
    """``POST text``, and the ids the form links now (``countries``, ``organizations``,
    ``people``, ``events``): what the text names, each marked if already linked."""
    if request.method != "POST":
        return JsonResponse({"detail": "POST text"}, status=405)
    if not (model_admin.has_add_permission(request) or model_admin.has_change_permission(request)):
        raise PermissionDenied
    linked = {
        relation: {int(v) for v in request.POST.getlist(relation) if v.isdigit()}
        for relation in SOURCES
    }
    suggestions = [
        {
            "kind": thing.kind,
            "id": thing.pk,
            "slug": thing.slug,
            "name": thing.name,
            "matched": matched,
            "linked": thing.pk in linked[thing.kind],
        }
        for thing, matched in find(request.POST.get("text", ""))
    ]
    return JsonResponse({"suggestions": suggestions})


def suggest_outcomes_view(model_admin: admin.ModelAdmin, request):
    """``POST text`` (a story: the form's HTML, or pasted copy) and optionally
    ``event`` (an id): the outcomes the assistant proposes, as JSON; a clear 400
    for text that is no story or an event that does not exist."""
    if request.method != "POST":
        return JsonResponse({"detail": "POST text"}, status=405)
    if not (model_admin.has_add_permission(request) or model_admin.has_change_permission(request)):
        raise PermissionDenied
    text = request.POST.get("text", "")
    if len(text) > MAX_STORY_CHARACTERS:
        return JsonResponse(
            {"detail": f"text: quá dài cho một bài (hơn {MAX_STORY_CHARACTERS:,} ký tự)"},
            status=400,
        )
    event = None
    if request.POST.get("event"):
        try:
            event = Event.objects.get(pk=int(request.POST["event"]))
        except (ValueError, Event.DoesNotExist):
            return JsonResponse({"detail": "event: không có sự kiện này"}, status=400)
    if not text.strip():
        return JsonResponse({"outcomes": []})
    try:
        wire.check(text)
    except ValueError as error:
        return JsonResponse({"detail": f"text: {error}"}, status=400)
    return JsonResponse({"outcomes": [p.as_json() for p in propose(text, event)]})


class AcceptedOutcome(forms.Form):
    """A proposal as the desk accepts it, perhaps edited: what it says, its kind,
    the meeting (one of the story's events or their meetings), its figure; the
    sides as the proposal's tokens ("country:3", "both", "name:…")."""

    event = forms.ModelChoiceField(queryset=Event.objects.none())
    description = forms.CharField(max_length=2000)
    kind = forms.ChoiceField(choices=Outcome.Kind.choices)
    status = forms.ChoiceField(choices=Outcome.Status.choices)
    background = forms.BooleanField(required=False)
    amount = forms.DecimalField(required=False, max_digits=20, decimal_places=4)
    amount_max = forms.DecimalField(required=False, max_digits=20, decimal_places=4)
    amount_before = forms.DecimalField(required=False, max_digits=20, decimal_places=4)
    unit = forms.CharField(required=False, max_length=50)
    currency = forms.CharField(required=False, max_length=3)
    approximate = forms.BooleanField(required=False)
    qualifier = forms.ChoiceField(required=False, choices=[("", ""), *QUALIFIERS.items()])
    actor = forms.CharField(required=False, max_length=300)

    def __init__(self, *args, story: Article, **kwargs):
        super().__init__(*args, **kwargs)
        event = self.fields["event"]
        assert isinstance(event, forms.ModelChoiceField)
        event.queryset = outcome_events(story)


def outcome_events(story: Article):
    """The events a story's outcomes may belong to: its events and their meetings."""
    linked = story.events.all()
    return Event.objects.filter(
        Q(pk__in=linked.values("pk")) | Q(parent__in=linked.values("pk"))
    ).order_by("start_date", "position")


def accept_outcome_view(model_admin: admin.ModelAdmin, request, object_id):
    """``POST`` one proposal of the story's "Đề xuất kết quả", as accepted or
    edited: an outcome of the meeting reported by the story, or the story added to
    the reports of the same outcome another story brought; back to the story."""
    if request.method != "POST":
        return JsonResponse({"detail": "POST"}, status=405)
    story = model_admin.get_object(request, object_id)
    if story is None:
        raise Http404
    if not (
        model_admin.has_change_permission(request, story)
        and request.user.has_perm("articles.add_outcome")
    ):
        raise PermissionDenied
    form = AcceptedOutcome(request.POST, story=story)
    if not form.is_valid():
        problems = "; ".join(
            f"{name}: {' '.join(str(e) for e in errors)}" for name, errors in form.errors.items()
        )
        messages.error(request, _("Chưa nhận được đề xuất: %(problems)s") % {"problems": problems})
        return redirect("admin:articles_article_change", story.pk)
    fields = dict(form.cleaned_data)
    event = fields.pop("event")
    tokens = {
        "actor": fields.pop("actor"),
        "counterparts": request.POST.getlist("counterparts")[:MAX_COUNTERPARTS],
    }
    fields = {k: ("" if v is None and k in ("unit", "currency") else v) for k, v in fields.items()}
    try:
        outcome, joined = accept(story, event, fields, tokens)
    except ValidationError as error:
        messages.error(request, _("Chưa nhận được đề xuất: %(problems)s") % {"problems": error})
        return redirect("admin:articles_article_change", story.pk)
    message = (
        _("Đã ghép vào kết quả có sẵn của “%(event)s”: %(outcome)s")
        if joined
        else _("Đã thêm kết quả vào “%(event)s”: %(outcome)s")
    )
    messages.success(request, message % {"event": event, "outcome": outcome})
    return redirect("admin:articles_article_change", story.pk)
