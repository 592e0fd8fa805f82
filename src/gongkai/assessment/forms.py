from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.core import permissions
from gongkai.core.actions import ActionForm
from gongkai.core.models import Organisation, Role

from .models import Indicator, IndicatorSet, Method, SetStatus, TemplateKind


class PeriodForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100, initial="2026年第四季度")
    indicator_set = forms.ModelChoiceField(
        label=_("指标体系"), queryset=IndicatorSet.objects.filter(status=SetStatus.PUBLISHED)
    )
    root = forms.ModelChoiceField(label=_("组织单位"), queryset=Organisation.objects.none())
    start = forms.DateField(label=_("起始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}))
    seed = forms.IntegerField(label=_("抽样种子（可选）"), required=False, min_value=0, max_value=2**31 - 1)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["root"].queryset = (
            permissions.units_with_role(user, Role.DISCLOSURE_OFFICE).filter(kind="government").order_by("path")
        )


class BulletinForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    number = forms.CharField(label=_("文号（留空自动编号）"), max_length=60, required=False)
    intro = forms.CharField(label=_("正文导语"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RectificationForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("整改单位"), queryset=Organisation.objects.none())
    problems = forms.CharField(label=_("存在问题"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = permissions.units_with_role(user, Role.DISCLOSURE_OFFICE).order_by("path")


class TemplateForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=TemplateKind.choices, widget=forms.HiddenInput)
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(label=_("正文模板"), widget=forms.Textarea(attrs={"rows": 16}))


# --- action forms ---


class IndicatorForm(ActionForm):
    weight = forms.DecimalField(label=_("分值"), max_digits=6, decimal_places=2, min_value=0)
    per_item = forms.DecimalField(label=_("每处扣分"), max_digits=6, decimal_places=2, min_value=0)
    cap = forms.DecimalField(label=_("扣分上限"), max_digits=6, decimal_places=2, min_value=0, required=False)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def __init__(self, *args, obj=None, user=None, **kwargs):
        super().__init__(*args, obj=obj, user=user, **kwargs)
        if obj is not None:
            for f in ("weight", "per_item", "cap", "note"):
                self.fields[f].initial = getattr(obj, f)


class ManualScoreForm(ActionForm):
    indicator = forms.ModelChoiceField(label=_("指标"), queryset=Indicator.objects.none())
    points = forms.DecimalField(
        label=_("得分（否决项填1为否决、0为不否决）"), max_digits=6, decimal_places=2, min_value=0, required=False
    )
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def __init__(self, *args, obj=None, user=None, **kwargs):
        super().__init__(*args, obj=obj, user=user, **kwargs)
        if obj is not None:
            self.fields["indicator"].queryset = Indicator.objects.filter(
                indicator_set_id=obj.period.indicator_set_id, method__in=[Method.MANUAL, Method.BONUS, Method.VETO]
            ).order_by("order")


class SampleForm(ActionForm):
    size = forms.IntegerField(label=_("每个单位抽取数量"), min_value=1, max_value=100, initial=5)


class RespondForm(ActionForm):
    response = forms.CharField(label=_("整改情况说明"), widget=forms.Textarea(attrs={"rows": 4}))
    evidence = forms.FileField(label=_("佐证材料（PDF、Word、Excel或图片）"), required=False)


class NoteForm(ActionForm):
    note = forms.CharField(
        label=_("复查意见"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class InterviewForm(ActionForm):
    held_on = forms.DateField(label=_("约谈日期"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    attendees = forms.CharField(label=_("参加人员"), max_length=300)
    summary = forms.CharField(label=_("约谈内容"), widget=forms.Textarea(attrs={"rows": 4}))


class AppealForm(ActionForm):
    reason = forms.CharField(label=_("申诉理由"), widget=forms.Textarea(attrs={"rows": 4}))


class DecideForm(ActionForm):
    decision = forms.CharField(label=_("处理意见"), widget=forms.Textarea(attrs={"rows": 3}))
