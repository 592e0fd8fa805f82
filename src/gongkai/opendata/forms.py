"""Dataset and resource input, shared by the workbench and the API (through actions)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.core.actions import ActionForm

from . import files
from .models import DOMAIN_CHOICES, DataLicence, Frequency, OpenType, Theme

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DatasetForm(ActionForm):
    name = forms.RegexField(
        label=_("英文标识"),
        regex=r"^[a-z0-9][a-z0-9_-]{1,99}$",
        max_length=100,
        help_text=_("用于网址和接口，只能使用小写字母、数字、“-”和“_”，如 songyang-bus-stops"),
        error_messages={"invalid": _("只能使用小写字母、数字、“-”和“_”，2到100个字符")},
    )
    title = forms.CharField(label=_("信息资源名称"), max_length=200)
    description = forms.CharField(label=_("信息资源摘要"), widget=forms.Textarea(attrs={"rows": 4}))
    domain = forms.ChoiceField(label=_("信息资源分类（领域）"), choices=DOMAIN_CHOICES)
    themes = forms.ModelMultipleChoiceField(
        label=_("主题"), queryset=Theme.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    keywords = forms.CharField(label=_("关键字"), max_length=300, help_text=_("多个关键字用逗号或顿号分隔"))
    update_frequency = forms.ChoiceField(label=_("更新频率"), choices=Frequency.choices)
    open_type = forms.ChoiceField(label=_("开放类型"), choices=OpenType.choices)
    access_conditions = forms.CharField(label=_("开放条件"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    licence = forms.ModelChoiceField(label=_("许可协议"), queryset=DataLicence.objects.all())
    temporal_start = forms.DateField(label=_("时间范围起"), required=False, widget=DATE)
    temporal_end = forms.DateField(label=_("时间范围止"), required=False, widget=DATE)
    spatial = forms.CharField(label=_("空间范围"), max_length=100, required=False)
    contact_name = forms.CharField(label=_("联系部门"), max_length=100)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=40, required=False)
    contact_email = forms.EmailField(label=_("联系邮箱"), required=False)

    def __init__(self, *args, obj=None, user=None, **kwargs):
        if obj is not None and "initial" not in kwargs and not args:
            initial = {name: getattr(obj, name, None) for name in self.base_fields if hasattr(obj, name)}
            initial["themes"] = list(obj.themes.all())
            initial["keywords"] = "，".join(t.name for t in obj.tags.all())
            initial["licence"] = obj.licence_id
            kwargs["initial"] = initial
        super().__init__(*args, obj=obj, user=user, **kwargs)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("temporal_start"), cleaned.get("temporal_end")
        if start and end and end < start:
            self.add_error("temporal_end", _("时间范围止不能早于时间范围起"))
        return cleaned


class ResourceForm(ActionForm):
    name = forms.CharField(label=_("资源名称"), max_length=200)
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label=_("上传文件（CSV、XLSX、JSON、PDF、DOCX）"), required=False)
    url = forms.URLField(label=_("或外部链接（接口、网页等）"), required=False, max_length=500, assume_scheme="https")
    format = forms.ChoiceField(
        label=_("链接的格式"), required=False, choices=[("", "---------")] + [(f, f) for f in files.LINK_FORMATS]
    )

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("file")) == bool(cleaned.get("url")):
            raise forms.ValidationError(_("请上传文件或填写外部链接（二选一）"))
        if cleaned.get("url") and not cleaned.get("format"):
            self.add_error("format", _("请选择链接的格式"))
        return cleaned


class VersionForm(ActionForm):
    file = forms.FileField(label=_("新版本文件"))
    note = forms.CharField(label=_("版本说明"), max_length=200, required=False)
