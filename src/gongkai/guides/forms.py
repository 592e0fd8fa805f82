"""Forms of the guides app (staff editing, public subscription and location)."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.core.actions import ActionForm

from .models import WORDING_ELEMENTS, Channel, Crs, GuideKind, Necessity, SubscriptionTopic


class LinesField(forms.CharField):
    """One entry per line ↔ a list of strings."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class MaterialsField(forms.CharField):
    """Materials, one per line: 名称|必要性(必要/非必要/容缺)|形式|份数|来源|空白表格链接|示例链接."""

    widget = forms.Textarea(attrs={"rows": 5})
    keys = ["name", "necessity", "form", "copies", "source", "blank_form", "sample"]
    necessity = {"必要": Necessity.REQUIRED, "非必要": Necessity.OPTIONAL, "容缺": Necessity.TOLERATED}

    def prepare_value(self, value):
        if isinstance(value, list):
            labels = {v: k for k, v in self.necessity.items()}
            return "\n".join(
                "|".join(
                    labels.get(m.get(k, ""), m.get(k, "")) if k == "necessity" else m.get(k, "") for k in self.keys
                )
                for m in value
            )
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        out = []
        for line in text.splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")] + [""] * len(self.keys)
            material = dict(zip(self.keys, parts, strict=False))
            if not material["name"]:
                raise forms.ValidationError(_("每行第一项须为材料名称"))
            material["necessity"] = self.necessity.get(material["necessity"], Necessity.REQUIRED)
            out.append(material)
        return out


class FeesField(forms.CharField):
    """Fees, one per line: 收费项目|收费标准|收费依据."""

    widget = forms.Textarea(attrs={"rows": 2})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(f"{f.get('item', '')}|{f.get('standard', '')}|{f.get('basis', '')}" for f in value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        out = []
        for line in text.splitlines():
            if line.strip():
                item, standard, basis = ([p.strip() for p in line.split("|")] + ["", "", ""])[:3]
                out.append({"item": item, "standard": standard, "basis": basis})
        return out


class GuideVersionForm(forms.Form):
    name = forms.CharField(label=_("事项名称"), max_length=200)
    code = forms.CharField(label=_("实施编码"), max_length=80, required=False)
    kind = forms.ChoiceField(label=_("事项类型"), choices=[("", "—")] + GuideKind.choices, required=False)
    legal_basis = forms.CharField(label=_("设定依据"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    implementing_body = forms.CharField(label=_("实施主体"), max_length=200, required=False)
    service_objects = LinesField(label=_("服务对象（每行一个）"), required=False)
    conditions = forms.CharField(label=_("受理条件"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    materials = MaterialsField(
        label=_("申请材料"),
        required=False,
        help_text=_("每行一份：名称|必要性（必要/非必要/容缺）|形式|份数|来源|空白表格链接|示例样表链接"),
    )
    process = LinesField(label=_("办理流程（每行一步）"), required=False)
    legal_limit_days = forms.IntegerField(label=_("法定办结时限（工作日）"), min_value=0, required=False)
    promised_limit_days = forms.IntegerField(label=_("承诺办结时限（工作日）"), min_value=0, required=False)
    no_fee = forms.BooleanField(label=_("不收费"), required=False)
    fees = FeesField(label=_("收费项目"), required=False, help_text=_("每行一项：收费项目|收费标准|收费依据"))
    consultation = forms.CharField(label=_("咨询方式"), max_length=300, required=False)
    complaint = forms.CharField(label=_("监督投诉方式"), max_length=300, required=False)
    location_time = forms.CharField(label=_("办理地点和时间"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    visits = forms.IntegerField(label=_("到现场次数"), min_value=0, max_value=9, required=False)
    online_url = forms.URLField(label=_("在线办理地址"), required=False, max_length=500)
    level = forms.CharField(label=_("行使层级"), max_length=40, required=False)
    responsibilities = forms.CharField(label=_("责任事项"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    accountability = forms.CharField(label=_("追责情形"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    note = forms.CharField(label=_("修改说明"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        legal, promised = data.get("legal_limit_days"), data.get("promised_limit_days")
        if legal is not None and promised is not None and promised > legal:
            self.add_error("promised_limit_days", _("承诺时限不能长于法定时限"))
        return data


class GuideCreateForm(GuideVersionForm):
    unit = forms.ModelChoiceField(label=_("实施单位"), queryset=None)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.order_fields(["unit"])


class WordingForm(ActionForm):
    everyday_name = forms.CharField(label=_("通俗名称"), max_length=100, required=False)
    aliases = LinesField(label=_("别名（每行一个）"), required=False)
    question_phrases = LinesField(label=_("常见问法（每行一个）"), required=False)
    conditions = forms.CharField(
        label=_("受理条件（通俗说明）"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    materials = forms.CharField(
        label=_("申请材料（通俗说明）"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    process = forms.CharField(label=_("办理流程（通俗说明）"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    fees = forms.CharField(label=_("收费（通俗说明）"), widget=forms.Textarea(attrs={"rows": 1}), required=False)
    location_time = forms.CharField(
        label=_("办理地点和时间（通俗说明）"), widget=forms.Textarea(attrs={"rows": 1}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        wording = self.obj.wording if self.obj is not None and not self.is_bound else None
        if wording is not None:
            self.initial.update(everyday_name=wording.everyday_name, aliases=wording.aliases)
            self.initial.update(question_phrases=wording.question_phrases, **wording.plain)

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "everyday_name": d["everyday_name"],
            "aliases": d["aliases"],
            "question_phrases": d["question_phrases"],
            "plain": {k: d.get(k, "") for k in WORDING_ELEMENTS},
        }


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("意见"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class PointForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=120)
    address = forms.CharField(label=_("地址"), max_length=200)
    township = forms.ModelChoiceField(label=_("所在乡镇（街道）"), queryset=None, required=False)
    opening_hours = forms.CharField(label=_("办公时间"), max_length=200, required=False)
    phone = forms.CharField(label=_("咨询电话"), max_length=60, required=False)
    services = LinesField(label=_("可办服务（每行一个）"), required=False)
    barrier_free = LinesField(label=_("无障碍设施（每行一个）"), required=False)
    lng = forms.CharField(label=_("经度"), max_length=20, required=False)
    lat = forms.CharField(label=_("纬度"), max_length=20, required=False)
    crs = forms.ChoiceField(label=_("坐标系"), choices=Crs.choices, initial=Crs.WGS84)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, townships=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships


class CsvUploadForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("单位"), queryset=None)
    file = forms.FileField(label=_("CSV 文件（UTF-8）"))
    dry_run = forms.BooleanField(label=_("只检查，不导入"), required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ImportForm(CsvUploadForm):
    file = forms.FileField(label=_("JSONL 文件（每行一个事项）"))
    field_map = forms.CharField(
        label=_("字段对照（JSON，可选）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_('如 {"name": "SXMC", "code": "SSBM"}；未列出的要素按广东省字段名读取'),
    )

    def clean_field_map(self):
        text = (self.cleaned_data.get("field_map") or "").strip()
        if not text:
            return {}
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(_("字段对照不是有效的JSON")) from exc
        if not isinstance(value, dict):
            raise forms.ValidationError(_("字段对照应为JSON对象"))
        return value


class SubscribeForm(forms.Form):
    channel = forms.ChoiceField(label=_("接收方式"), choices=Channel.choices, initial=Channel.EMAIL)
    address = forms.CharField(label=_("电子邮箱或手机号"), max_length=254)
    topic = forms.ChoiceField(label=_("订阅内容"), choices=SubscriptionTopic.choices, widget=forms.HiddenInput)
    target = forms.CharField(widget=forms.HiddenInput, required=False)


class LocateForm(forms.Form):
    address = forms.CharField(label=_("输入地址或地名"), max_length=100, required=False)
    lng = forms.FloatField(required=False, widget=forms.HiddenInput)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
