"""The desk's "Nhập tin" page: files of copy from outlets' pages become drafts
(imports.py), each text once, with what was cut shown on the draft; and the
story form's entity suggestions (suggest.py)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from newsroom import jobs

from ..desk import bulk_changes
from ..desk.imports import import_copy
from ..desk.suggest import SOURCES, find
from ..models import Article, Organization
from .base import LabelledAutocompleteSelect

MAX_FILES = 50
MAX_FILE_BYTES = 2 * 1024 * 1024  # a story's text is a few kilobytes
MAX_REQUEST_BYTES = 20 * 1024 * 1024  # all the files of one import
# Read while the editor waits: a few files (each read in well under a second); more
# are an import job whose page shows how far it is, as changes to many stories are.
FILES_IN_REQUEST = 3


class MultipleFiles(forms.ClearableFileInput):
    allow_multiple_selected = True


class CopyFiles(forms.FileField):
    widget = MultipleFiles(attrs={"accept": ".txt,text/plain"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        files = [f for f in files if f]
        if not files:
            raise forms.ValidationError(_("Hãy chọn ít nhất một tệp .txt."))
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
    files = CopyFiles(label=_("Tệp văn bản (.txt)"))
    outlet = forms.ModelChoiceField(
        Organization.objects.all(),  # as the story form's "báo nguồn" (source_outlet)
        label=_("Báo nguồn"),
        required=False,
        help_text=_("Để trống: nhận ra từ tên báo ở đầu trang, nếu có."),
    )

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
            change = bulk_changes.start_import(request.user, copies, outlet)
            return redirect(change.get_absolute_url())
        results = [
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
    }
    return TemplateResponse(request, "admin/articles/article/import.html", context)


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
