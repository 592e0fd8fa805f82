from django.contrib import admin
from django.http import HttpResponse
from django.urls import path

from . import letters
from .models import LetterKind, LetterTemplate


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    """Upload a DOCX with docxtpl placeholders to replace the shipped default of a letter kind.

    Download the default (the links on the list page) to start from it.
    """

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
        extra_context = {**(extra_context or {}), "letter_kinds": LetterKind.choices}
        return super().changelist_view(request, extra_context)
