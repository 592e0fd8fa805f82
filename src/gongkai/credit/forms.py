"""Input forms, derived from the national template so the form, the import and the API take
the same fields; validation is :func:`gongkai.credit.validation.clean` in every case."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.core.actions import ActionForm

from . import template, validation
from .models import IdType, LicenceCategory, LicenceStatus, PartyCategory, PenaltyType, RevocationKind, Severity

TEXTAREAS = {"content", "facts", "basis", "note"}
CHOICE_FIELDS = {
    "party_category": PartyCategory.choices,
    "id_type": IdType.choices,
    "representative_id_type": IdType.choices,
    "category": LicenceCategory.choices,
    "status": LicenceStatus.choices,
    "severity": Severity.choices,
}
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CodeChoiceField(forms.ChoiceField):
    """A choice that also accepts the template's label (the API and imports send 自然人 or natural_person)."""

    def __init__(self, *args, field_name: str, **kwargs):
        self.mapping = template.CHOICES.get(field_name, {})
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return self.mapping.get(value, value)


class CodeMultipleChoiceField(forms.MultipleChoiceField):
    def to_python(self, value):
        if isinstance(value, str):
            value = [v for v in validation._SPLIT.split(value) if v.strip()]
        mapping = template.CHOICES["penalty_types"]
        return [mapping.get(str(v).strip(), str(v).strip()) for v in super().to_python(value)]


def _field(column: template.Column) -> forms.Field:
    label = column.header
    if column.field in template.DEFAULTED:
        column = template.Column(column.header, column.field, False, column.kind)
    if column.kind == "date":
        return forms.DateField(label=label, required=column.required, widget=DATE_INPUT)
    if column.kind == "money":
        return forms.DecimalField(label=label, required=False, min_value=0, max_digits=14, decimal_places=6)
    if column.kind == "multi":
        return CodeMultipleChoiceField(
            label=label, required=column.required, choices=PenaltyType.choices, widget=forms.CheckboxSelectMultiple
        )
    if column.kind == "choice":
        choices = CHOICE_FIELDS[column.field]
        blank = [] if column.required else [("", "---------")]
        return CodeChoiceField(
            label=label, required=column.required, choices=blank + list(choices), field_name=column.field
        )
    widget = forms.Textarea(attrs={"rows": 3}) if column.field in TEXTAREAS else None
    return forms.CharField(label=label, required=column.required, widget=widget, max_length=2000)


class RecordForm(ActionForm):
    kind = ""

    def __init__(self, *args, obj=None, user=None, **kwargs):
        if obj is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                c.field: getattr(obj, c.field) for c in template.columns(self.kind, with_severity=True)
            }
        super().__init__(*args, obj=obj, user=user, **kwargs)
        self.fields["severity"].help_text = _("决定处罚信息的公示期限：轻微原则上不公示，一般3个月至1年，严重1至3年")
        if "display_until" in self.fields:
            self.fields["display_until"].help_text = _("不填写时按失信程度取最长公示期限")

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            typed = validation.clean(self.kind, cleaned, today=timezone.localdate())
        except forms.ValidationError as exc:
            for name, messages in exc.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
            return cleaned
        return typed


def record_form_class(kind: str) -> type[RecordForm]:
    attrs = {
        c.field: _field(c)
        for c in template.columns(kind, with_severity=True)
        if kind == "penalty" or c.field != "severity"
    }
    if kind == "licence":
        attrs["severity"] = forms.CharField(required=False, widget=forms.HiddenInput)
    attrs["kind"] = kind
    return type(f"{kind.capitalize()}Form", (RecordForm,), attrs)


LicenceForm = record_form_class("licence")
PenaltyForm = record_form_class("penalty")
FORMS = {"licence": LicenceForm, "penalty": PenaltyForm}


class WithdrawForm(ActionForm):
    revocation_kind = forms.ChoiceField(label=_("撤回原因"), choices=RevocationKind.choices)
    revoked_on = forms.DateField(label=_("决定被变更、撤销或确认违法/无效之日"), widget=DATE_INPUT)
    reason = forms.CharField(label=_("公开说明的理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)


class RepairForm(ActionForm):
    applicant = forms.CharField(label=_("申请人"), max_length=200)
    received_on = forms.DateField(label=_("收到申请日期"), widget=DATE_INPUT)
    correction = forms.CharField(
        label=_("失信行为纠正情况"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("已履行行政处罚决定、已纠正违法行为的证明材料情况"),
    )


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("数据类别"), choices=[("licence", _("行政许可")), ("penalty", _("行政处罚"))])
    unit = forms.ModelChoiceField(label=_("决定机关"), queryset=None)
    file = forms.FileField(label=_("文件（CSV 或 XLSX，国家双公示数据模板）"))
    publish = forms.BooleanField(label=_("导入后立即公示"), required=False, initial=True)
    partial = forms.BooleanField(label=_("跳过有错误的行，只导入正确的行"), required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
