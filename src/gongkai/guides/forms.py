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
    catalogue_item = forms.ModelChoiceField(
        label=_("所属目录事项（办事服务）"),
        queryset=None,
        required=False,
        help_text=_("该指南在本单位公开目录中对应的事项"),
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        # The catalogue app's unit items, reached through the relation (no import of its models).
        from .models import Guide

        item_model = Guide._meta.get_field("catalogue_item").related_model
        self.fields["catalogue_item"].queryset = item_model.objects.filter(unit__in=units).order_by(
            "unit_id", "sort_order"
        )
        self.order_fields(["unit", "catalogue_item"])

    def clean(self):
        data = super().clean()
        item, unit = data.get("catalogue_item"), data.get("unit")
        if item is not None and unit is not None and item.unit_id != unit.pk:
            self.add_error("catalogue_item", _("目录事项须属于所选单位"))
        return data


class EventForm(forms.Form):
    """A life event and its ordered steps, one per line: 类型|编号或名称|标题|说明."""

    title = forms.CharField(label=_("名称"), max_length=60)
    slug = forms.SlugField(label=_("标识（网址用，英文）"), max_length=60)
    audience = forms.ChoiceField(label=_("对象"), choices=[("resident", _("个人")), ("enterprise", _("企业"))])
    summary = forms.CharField(label=_("简介"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    keywords = LinesField(label=_("关键词（每行一个，用于搜索）"), required=False)
    is_published = forms.BooleanField(label=_("发布"), required=False)
    steps = forms.CharField(
        label=_("步骤（每行一步）"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=_(
            "格式：类型|编号|标题|说明。类型为 guide（办事指南编号）、benefit（惠企利民事项编号）、faq（常见问题编号）、point（服务网点编号）或 note（提示，编号留空）"
        ),
    )

    def clean_steps(self):
        from .models import Guide, ServicePoint, StepKind

        out = []
        for number, line in enumerate((self.cleaned_data.get("steps") or "").splitlines(), start=1):
            if not line.strip():
                continue
            kind, ref, title, note = ([p.strip() for p in line.split("|")] + ["", "", "", ""])[:4]
            if kind not in StepKind.values:
                raise forms.ValidationError(_("第%(n)s行：未知的步骤类型“%(k)s”") % {"n": number, "k": kind})
            step = {"kind": kind, "title": title, "note": note}
            if kind != StepKind.NOTE:
                if not ref.isdigit():
                    raise forms.ValidationError(_("第%(n)s行：请填写编号") % {"n": number})
                if kind == StepKind.GUIDE:
                    step["guide"] = Guide.objects.filter(pk=int(ref)).first()
                    if step["guide"] is None:
                        raise forms.ValidationError(_("第%(n)s行：没有编号为%(r)s的办事指南") % {"n": number, "r": ref})
                elif kind == StepKind.POINT:
                    step["point"] = ServicePoint.objects.filter(pk=int(ref)).first()
                    if step["point"] is None:
                        raise forms.ValidationError(_("第%(n)s行：没有编号为%(r)s的服务网点") % {"n": number, "r": ref})
                else:
                    step["ref_id"] = int(ref)
            elif not title:
                raise forms.ValidationError(_("第%(n)s行：提示需要标题") % {"n": number})
            out.append(step)
        return out

    @staticmethod
    def steps_text(event) -> str:
        lines = []
        for s in event.steps.order_by("order"):
            ref = s.guide_id or s.point_id or s.ref_id or ""
            lines.append(f"{s.kind}|{ref}|{s.title}|{s.note}")
        return "\n".join(lines)


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
