"""Forms of the benefits app."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.core.actions import ActionForm

from .models import Attribute, Audience, Category, Operator


class PolicyForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("发布单位"), queryset=None)
    title = forms.CharField(label=_("政策名称"), max_length=200)
    document_number = forms.CharField(label=_("文号"), max_length=80, required=False)
    summary = forms.CharField(label=_("政策概要"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    source_url = forms.URLField(label=_("政策原文链接"), required=False)
    issued_on = forms.DateField(label=_("发布日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ItemForm(forms.Form):
    title = forms.CharField(label=_("事项名称"), max_length=200)
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    audience = forms.ChoiceField(label=_("对象"), choices=Audience.choices)
    amount_text = forms.CharField(label=_("金额或计算方式"), max_length=300, required=False)
    amount_max = forms.DecimalField(
        label=_("最高金额（元）"), max_digits=14, decimal_places=2, required=False, min_value=0
    )
    payment = forms.CharField(label=_("兑现方式"), max_length=200, required=False)
    valid_from = forms.DateField(label=_("有效期起"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(label=_("有效期止"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    how_to_apply = forms.CharField(label=_("申请方式"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    contact = forms.CharField(label=_("咨询电话"), max_length=60, required=False)
    guide_ids = forms.CharField(label=_("关联办事指南编号（逗号分隔）"), required=False)

    def clean_guide_ids(self):
        text = self.cleaned_data.get("guide_ids") or ""
        try:
            return [int(x) for x in text.replace("，", ",").split(",") if x.strip()]
        except ValueError as exc:
            raise forms.ValidationError(_("请填写数字编号，用逗号分隔")) from exc


class CriterionForm(ActionForm):
    attribute = forms.ModelChoiceField(label=_("属性"), queryset=Attribute.objects.none())
    operator = forms.ChoiceField(label=_("比较"), choices=Operator.choices)
    value = forms.CharField(
        label=_("值"), max_length=300, help_text=_("“属于”可填多个值，用逗号分隔；是/否属性填“是”或“否”")
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        audience = self.obj.audience if self.obj is not None else Audience.ENTERPRISE
        self.fields["attribute"].queryset = Attribute.objects.filter(audience=audience)


class BatchForm(ActionForm):
    title = forms.CharField(label=_("批次名称"), max_length=200)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)


class RecipientsUploadForm(ActionForm):
    file = forms.FileField(label=_("名单 CSV（名称,类型,证件号码,乡镇,金额；UTF-8）"))
