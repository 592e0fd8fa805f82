from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.core.actions import ActionForm

from .models import Level, Node

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StandardForm(ActionForm):
    node = forms.ModelChoiceField(label=_("所属子体系"), queryset=Node.objects.none())
    level = forms.ChoiceField(label=_("标准层级"), choices=Level.choices)
    number = forms.CharField(label=_("标准编号"), max_length=60, help_text=_("如 GB/T 24421.1-2023、DB33/T 2201-2019"))
    title = forms.CharField(label=_("标准名称"), max_length=200)
    effective_on = forms.DateField(label=_("实施日期"), required=False, widget=DATE)
    replaced_by = forms.CharField(label=_("代替标准"), max_length=60, required=False)
    note = forms.CharField(label=_("备注"), max_length=300, required=False)
    drafting = forms.BooleanField(label=_("制定中（尚未发布）"), required=False)

    def __init__(self, *args, obj=None, user=None, **kwargs):
        system = getattr(obj, "system", obj)
        editing = obj is not None and hasattr(obj, "system")
        if editing and "initial" not in kwargs and not args:
            kwargs["initial"] = {
                n: getattr(obj, n) for n in ("node", "level", "number", "title", "effective_on", "replaced_by", "note")
            }
        super().__init__(*args, obj=obj, user=user, **kwargs)
        if system is not None:
            self.fields["node"].queryset = Node.objects.filter(system=system, parent__isnull=False)
            self.fields["node"].label_from_instance = lambda n: f"{n.code} {n.name}"
        if editing:
            del self.fields["drafting"]


class NodeForm(ActionForm):
    parent = forms.ModelChoiceField(label=_("上级子体系"), queryset=Node.objects.none(), required=False)
    code = forms.CharField(label=_("编号"), max_length=20)
    name = forms.CharField(label=_("名称"), max_length=100)

    def __init__(self, *args, obj=None, user=None, **kwargs):
        super().__init__(*args, obj=obj, user=user, **kwargs)
        if obj is not None:
            self.fields["parent"].queryset = Node.objects.filter(system=obj, parent__isnull=True)


class RepealForm(ActionForm):
    repealed_on = forms.DateField(label=_("废止日期"), required=False, widget=DATE)
    replaced_by = forms.CharField(label=_("代替标准"), max_length=60, required=False)


class AdoptForm(ActionForm):
    effective_on = forms.DateField(label=_("实施日期"), required=False, widget=DATE)


class AttachForm(ActionForm):
    file = forms.FileField(label=_("标准文本（PDF 或 DOCX）"))


class SystemForm(forms.Form):
    title = forms.CharField(label=_("标准体系名称"), max_length=200)
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    published_on = forms.DateField(label=_("发布日期"), required=False, widget=DATE)
