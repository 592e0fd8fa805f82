from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.core import permissions
from gongkai.core.models import Organisation, Role

from .models import Platform, SiteKind, WordKind


def _office_units(user):
    if permissions.is_configuration_admin(user):  # the system administrator keeps the registry of sites
        return Organisation.objects.filter(is_active=True).order_by("path")
    return permissions.units_with_role(user, Role.DISCLOSURE_OFFICE).order_by("path")


class SiteForm(forms.Form):
    name = forms.CharField(label=_("网站名称"), max_length=100)
    home_url = forms.CharField(label=_("首页地址"), max_length=300)
    unit = forms.ModelChoiceField(label=_("主办单位"), queryset=Organisation.objects.none())
    kind = forms.ChoiceField(label=_("网站类型"), choices=SiteKind.choices)
    site_code = forms.CharField(label=_("网站标识码"), max_length=20, required=False)
    icp_number = forms.CharField(label=_("ICP备案号"), max_length=60, required=False)
    police_number = forms.CharField(label=_("公安机关备案号"), max_length=60, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _office_units(user)


class AccountForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("主办单位"), queryset=Organisation.objects.none())
    platform = forms.ChoiceField(label=_("平台"), choices=Platform.choices)
    name = forms.CharField(label=_("账号名称"), max_length=100)
    account_id = forms.CharField(label=_("账号ID"), max_length=100)
    feed_url = forms.URLField(label=_("内容列表地址（可选）"), max_length=500, required=False, assume_scheme="https")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _office_units(user)


class WordListForm(forms.Form):
    name = forms.CharField(label=_("词表名称"), max_length=60)
    kind = forms.ChoiceField(label=_("类型"), choices=WordKind.choices)
    source = forms.CharField(label=_("来源"), max_length=200, required=False)


class WordForm(forms.Form):
    text = forms.CharField(label=_("词语"), max_length=60)
    correct = forms.CharField(label=_("正确写法"), max_length=60, required=False)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
