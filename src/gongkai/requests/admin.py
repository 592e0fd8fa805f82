from django import forms
from django.contrib import admin
from django.http import HttpResponse
from django.urls import path
from django.utils.translation import gettext as _

from gongkai.core import uploads

from . import letters
from .models import LetterKind, LetterTemplate, RequestPolicy


class LetterTemplateForm(forms.ModelForm):
    """Refuses a DOCX that is not a readable template or names a field the letters do not have."""

    class Meta:
        model = LetterTemplate
        fields = ["kind", "docx", "note"]

    def clean_docx(self):
        upload = self.cleaned_data["docx"]
        if upload and hasattr(upload, "read"):
            data = upload.read()
            upload.seek(0)
            if data[:2] != b"PK":
                raise forms.ValidationError(_("请上传 Word（.docx）格式的模板"))
            name = upload.name if str(upload.name).lower().endswith(".docx") else "template.docx"
            uploads.check_file(name, data, allowed={"docx"}, extract=False)  # zip-bomb limits, scanner
            try:
                letters.check_template(data)
            except letters.LetterTemplateError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return upload


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    """Upload a DOCX with docxtpl placeholders to replace the shipped default of a letter kind.

    Download the default (the links on the list page) to start from it.
    """

    form = LetterTemplateForm
    list_display = ["kind", "note", "updated_at"]
    change_list_template = "requests/admin_template_list.html"

    def get_urls(self):
        return [
            path("default/<str:kind>/", self.admin_site.admin_view(self.default_view), name="requests_letter_default"),
            *super().get_urls(),
        ]

    def default_view(self, request, kind):
        if kind not in LetterKind.values:
            return HttpResponse(status=404)
        resp = HttpResponse(
            letters.build_default_template(kind),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        resp["Content-Disposition"] = f'attachment; filename="{kind}-default.docx"'
        return resp

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "letter_kinds": LetterKind.choices,
            "letter_fields": sorted(letters.FIELDS.items()),
        }
        return super().changelist_view(request, extra_context)


@admin.register(RequestPolicy)
class RequestPolicyAdmin(admin.ModelAdmin):
    list_display = ["unit", "reply_signoff", "accepts_requests", "updated_at"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
