"""Staff forms. They only parse and validate input; services do the work."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.core import permissions
from gongkai.core.models import Organisation, Role

from .models import (
    Attribute,
    DocType,
    LinkKind,
    Publication,
    State,
    WithholdGround,
)
from .services import INTERPRETABLE_TYPES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

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
    names = COMMON[:-1] + TYPE_FIELDS.get(doc_type, []) + ["body"]
    model_fields = {f.name for f in Publication._meta.get_fields()}
    return [n for n in names if n in model_fields]


class PublicationForm(forms.ModelForm):
    """Fields depend on the content type; the unit is chosen among the user's editor units."""

    unit = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("发布单位"))
    video_url = forms.URLField(label=_("视频链接"), required=False, assume_scheme="https", max_length=200)

    class Meta:
        model = Publication
        fields = sorted(
            {f for fs in TYPE_FIELDS.values() for f in fs} | set(COMMON) - {"unit_item", "domain", "video_url"}
        )
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
        for extra in ("unit_item", "domain"):
            if extra in keep and extra not in self.fields:
                self.fields[extra] = Publication._meta.get_field(extra).formfield()
        for name in list(self.fields):
            if name != "unit" and name not in keep:
                del self.fields[name]
        editor_units = permissions.units_with_role(user, Role.EDITOR).order_by("path")
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
        if "unit_item" in self.fields:
            from gongkai.catalogue.models import UnitItem

            self.fields["unit_item"].queryset = UnitItem.objects.filter(unit__in=editor_units, is_active=True).order_by(
                "unit_id", "sort_order"
            )
            self.fields["unit_item"].help_text = _(
                "本信息对应的标准目录事项；公开时限按该事项计算，未关联时按20个工作日"
            )
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


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RejectForm(forms.Form):
    comment = forms.CharField(label=_("退回意见"), widget=forms.Textarea(attrs={"rows": 3}))


class AttributeReviewForm(forms.Form):
    attribute = forms.ChoiceField(label=_("公开属性"), choices=Attribute.choices, initial=Attribute.PROACTIVE)
    ground = forms.ChoiceField(
        label=_("不主动公开的法律依据"), choices=[("", "—")] + list(WithholdGround.choices), required=False
    )
    reason = forms.CharField(label=_("不主动公开的理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    interpretation_waiver = forms.CharField(
        label=_("不同步解读的理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("仅当该文件需要解读但确有理由不同步发布解读时填写"),
    )
    comment = forms.CharField(label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, needs_interpretation: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_interpretation:
            del self.fields["interpretation_waiver"]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("撤回理由（将在网站上公开）"), widget=forms.Textarea(attrs={"rows": 3}), max_length=500
    )


class LegalLinkForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=LinkKind.choices)
    effective_on = forms.DateField(label=_("生效日期"), widget=DATE)
    by = forms.ModelChoiceField(queryset=Publication.objects.none(), required=False, label=_("依据文件（已发布）"))
    note = forms.CharField(label=_("说明"), required=False, max_length=500)

    def __init__(self, *args, target: Publication, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["by"].queryset = (
            Publication.objects.filter(state=State.PUBLISHED, unit__path__startswith=target.unit.government().path)
            .exclude(pk=target.pk)
            .order_by("-published_on")
        )


class ReviewPolicyForm(forms.Form):
    require_confidentiality = forms.BooleanField(label=_("需要保密审查"), required=False)
    require_signoff = forms.BooleanField(label=_("需要单位负责人签发"), required=False)
    separate_reviewer = forms.BooleanField(label=_("起草人不得审核或签发自己起草的信息"), required=False)


def has_unit_item() -> bool:
    return any(f.name == "unit_item" for f in Publication._meta.get_fields())


class UnitItemLinkForm(forms.Form):
    """Link an item (in any state) to the catalogue item it fulfils."""

    unit_item = forms.ModelChoiceField(
        queryset=None, required=False, label=_("对应的目录事项"), empty_label=_("（不关联）")
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        from gongkai.catalogue.models import UnitItem

        self.fields["unit_item"].queryset = UnitItem.objects.filter(unit=unit, is_active=True).order_by(
            "sort_order", "id"
        )
