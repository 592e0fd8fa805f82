"""Staff forms. They only parse and validate input; services do the work.

The action forms (:class:`~gongkai.core.actions.ActionForm`) are the inputs of the actions in
:mod:`gongkai.publications.actions`, the same for the workbench and the API.
"""

from __future__ import annotations

from itertools import groupby

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.catalogue import selectors as catalogue
from gongkai.core import permissions
from gongkai.core.actions import ActionForm
from gongkai.core.models import Organisation, Role

from .choices import INTERPRETABLE_TYPES, Attribute, DocType, LinkKind, State, WithholdGround
from .models import Publication

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

#: The order an editor works in: who publishes, what it is called, its information index,
#: its dates, where it belongs, then the text and what only some types need.
EDITOR_ORDER = [
    "unit",
    "title",
    "interprets",
    "interpretation_form",
    "video_url",
    "issuer",
    "document_number",
    "made_on",
    "changed_on",
    "effective_from",
    "expires_on",
    "fiscal_year",
    "budget_kind",
    "topic",
    "unit_item",
    "domain",
    "body",
    "drafting_notes",
    "comment_until",
    "short_comment_reason",
    "needs_interpretation",
]
COMMON = ["title", "topic", "issuer", "document_number", "made_on", "changed_on", "unit_item", "domain", "body"]
TYPE_FIELDS = {
    DocType.POLICY: ["needs_interpretation"],
    DocType.REGULATION: ["effective_from", "expires_on", "needs_interpretation"],
    DocType.NORMATIVE: ["effective_from", "expires_on", "needs_interpretation"],
    DocType.INTERPRETATION: ["interprets", "interpretation_form", "video_url"],
    DocType.NOTICE: [],
    DocType.BUDGET: ["fiscal_year", "budget_kind"],
    DocType.DRAFT_DECISION: ["drafting_notes", "comment_until", "short_comment_reason"],
    DocType.GENERAL: [],
}


def fields_for(doc_type: str) -> list[str]:
    """The fields of one content type, in :data:`EDITOR_ORDER`."""
    wanted = set(COMMON) | set(TYPE_FIELDS.get(doc_type, []))
    return [name for name in EDITOR_ORDER if name in wanted]


class GroupedModelChoiceIterator(forms.models.ModelChoiceIterator):
    """Choices grouped (``<optgroup>``) by ``field.group_label(obj)``; the queryset is ordered by group."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        queryset = self.queryset if self.queryset._prefetch_related_lookups else self.queryset.iterator()
        for group, objs in groupby(queryset, key=self.field.group_label):
            yield (group, [self.choice(obj) for obj in objs])


class UnitItemChoiceField(forms.ModelChoiceField):
    """The catalogue item an item fulfils, grouped by domain (and unit, when there are several)."""

    iterator = GroupedModelChoiceIterator

    def __init__(self, *args, units=(), **kwargs):
        self.several_units = len(units) > 1
        super().__init__(catalogue.linkable_unit_items(units), *args, **kwargs)

    def group_label(self, item) -> str:
        domain = catalogue.domain_of(item).name
        return f"{item.unit.name} · {domain}" if self.several_units else domain

    def label_from_instance(self, item) -> str:
        return item.display_name


class PublicationForm(forms.ModelForm):
    """Fields depend on the content type; the unit is chosen among the user's editor units."""

    unit = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("发布单位"))
    video_url = forms.URLField(label=_("视频链接"), required=False, assume_scheme="https", max_length=200)

    class Meta:
        model = Publication
        fields = [f for f in EDITOR_ORDER if f not in ("unit", "unit_item", "video_url")]
        widgets = {
            "made_on": DATE,
            "changed_on": DATE,
            "effective_from": DATE,
            "expires_on": DATE,
            "comment_until": DATE,
            "body": forms.Textarea(attrs={"rows": 16}),
            "drafting_notes": forms.Textarea(attrs={"rows": 8}),
            "title": forms.TextInput(attrs={"size": 60}),
        }

    def __init__(self, *args, user, doc_type: str, unit: Organisation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.doc_type = doc_type
        keep = set(fields_for(doc_type))
        editor_units = permissions.units_with_role(user, Role.EDITOR).order_by("path")
        if "unit_item" in keep:
            self.fields["unit_item"] = UnitItemChoiceField(
                units=list(editor_units),
                required=False,
                label=_("公开目录事项"),
                help_text=_("本信息对应的标准目录事项；公开时限按该事项计算，未关联时按20个工作日"),
            )
        for name in list(self.fields):
            if name != "unit" and name not in keep:
                del self.fields[name]
        self.order_fields(EDITOR_ORDER)
        self.fields["unit"].queryset = editor_units
        if unit is not None:
            self.fields["unit"].initial = unit.pk
            self.fields["unit"].disabled = True
        elif editor_units.count() == 1:
            self.fields["unit"].initial = editor_units.first().pk
        self.fields["title"].required = True
        self.fields["body"].help_text = _("可直接粘贴纯文本（自动分段），或使用基本 HTML 标签；脚本和样式会被清除")
        if "interprets" in self.fields:
            self.fields["interprets"].queryset = (
                Publication.objects.filter(unit__in=permissions.visible_units(user), doc_type__in=INTERPRETABLE_TYPES)
                .exclude(state__in=[State.WITHDRAWN, State.RETAINED])
                .order_by("-updated_at")
            )
            self.fields["interprets"].required = True
        if "domain" in self.fields:
            self.fields["domain"].help_text = _("不填时取所关联目录事项的领域")
        if "interpretation_form" in self.fields:
            self.fields["interpretation_form"].required = True

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "unit"}
        for key in ("issuer", "document_number", "video_url", "short_comment_reason", "drafting_notes", "body"):
            if key in data and data[key] is None:
                data[key] = ""
        return data

    def _post_clean(self):  # validation is the service's job; skip model.full_clean()
        pass


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentForm(forms.Form):
    files = forms.FileField(
        label=_("上传附件"),
        widget=MultipleFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.jpg,.jpeg,.png,.gif,.webp"}),
        help_text=_("PDF、Word（.docx）、Excel（.xlsx）或图片，可多选"),
    )

    def clean_files(self):
        return self.files.getlist("files")


class ReviewPolicyForm(forms.Form):
    require_confidentiality = forms.BooleanField(label=_("需要保密审查"), required=False)
    require_signoff = forms.BooleanField(label=_("需要单位负责人签发"), required=False)
    separate_reviewer = forms.BooleanField(label=_("起草人不得审核或签发自己起草的信息"), required=False)


# --- action inputs ----------------------------------------------------------------------------


class CommentForm(ActionForm):
    comment = forms.CharField(label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SubmitForm(ActionForm):
    comment = forms.CharField(label=_("报审说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RejectForm(ActionForm):
    comment = forms.CharField(label=_("退回意见"), widget=forms.Textarea(attrs={"rows": 3}))


class RetainForm(ActionForm):
    attribute = forms.ChoiceField(
        label=_("公开属性"), choices=[(a, label) for a, label in Attribute.choices if a != Attribute.PROACTIVE]
    )
    ground = forms.ChoiceField(label=_("不主动公开的法律依据"), choices=WithholdGround.choices)
    reason = forms.CharField(label=_("不主动公开的理由"), widget=forms.Textarea(attrs={"rows": 2}))
    comment = forms.CharField(label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class WaiverForm(ActionForm):
    reason = forms.CharField(
        label=_("不同步解读的理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("记入审核记录；填写后政策文件可先于解读发布"),
    )


class WithdrawForm(ActionForm):
    reason = forms.CharField(
        label=_("撤回理由（将在网站上公开）"), widget=forms.Textarea(attrs={"rows": 3}), max_length=500
    )


class LegalLinkForm(ActionForm):
    kind = forms.ChoiceField(label=_("类型"), choices=LinkKind.choices)
    effective_on = forms.DateField(label=_("生效日期"), widget=DATE)
    by = forms.ModelChoiceField(queryset=Publication.objects.none(), required=False, label=_("依据文件（已发布）"))
    note = forms.CharField(label=_("说明"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None:
            self.fields["by"].queryset = (
                Publication.objects.filter(
                    state=State.PUBLISHED, unit__path__startswith=self.obj.unit.government().path
                )
                .exclude(pk=self.obj.pk)
                .order_by("-published_on")
            )


class UnitItemLinkForm(ActionForm):
    """Link an item (in any state) to the catalogue item it fulfils, or unlink."""

    unit_item = UnitItemChoiceField(required=False, label=_("对应的目录事项"), empty_label=_("（不关联）"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = [self.obj.unit] if self.obj is not None else []
        field = self.fields["unit_item"]
        field.queryset = catalogue.linkable_unit_items(units)
        field.several_units = False
        if self.obj is not None and not self.is_bound:
            field.initial = self.obj.unit_item_id
