"""Forms of the catalogue workbench. Item forms are built from the element template."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import Level, Organisation, OrgKind

from .models import Domain, ElementTemplate, ElementType


class DomainForm(forms.Form):
    name = forms.CharField(label=_("领域名称"), max_length=60)
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    owner_unit = forms.ModelChoiceField(label=_("设立单位"), queryset=Organisation.objects.none())

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = units if units is not None else Organisation.objects.none()


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("模板名称"), max_length=80)
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    owner_unit = forms.ModelChoiceField(label=_("设立单位"), queryset=Organisation.objects.none())
    copy_from = forms.ModelChoiceField(
        label=_("复制自"), queryset=ElementTemplate.objects.all(), required=False, help_text=_("以已有模板的要素为起点")
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = units if units is not None else Organisation.objects.none()


class ElementForm(forms.Form):
    name = forms.CharField(label=_("要素名称"), max_length=40)
    key = forms.SlugField(label=_("代码"), max_length=40, required=False, help_text=_("英文字母、数字，留空自动生成"))
    type = forms.ChoiceField(label=_("类型"), choices=ElementType.choices)
    required = forms.BooleanField(label=_("必填"), required=False)
    allowed_values = forms.CharField(
        label=_("可选值"), required=False, help_text=_("单选/多选要素的可选值，用顿号或逗号分隔，如：全社会、特定群体")
    )
    aliases = forms.CharField(label=_("表头别名"), required=False, help_text=_("导入时可识别的其他列名，用顿号分隔"))
    help_text = forms.CharField(label=_("填写说明"), required=False, max_length=200)
    order = forms.IntegerField(label=_("顺序"), required=False, min_value=0)


class CatalogueForm(forms.Form):
    domain = forms.ModelChoiceField(label=_("领域"), queryset=Domain.objects.filter(is_active=True))
    template = forms.ModelChoiceField(label=_("要素模板"), queryset=ElementTemplate.objects.filter(is_active=True))
    owner = forms.ModelChoiceField(label=_("编制单位"), queryset=Organisation.objects.none())
    target_kind = forms.ChoiceField(label=_("适用单位类型"), choices=OrgKind.choices, initial=OrgKind.GOVERNMENT)
    target_level = forms.ChoiceField(label=_("适用层级"), choices=Level.choices, initial=Level.TOWNSHIP)
    title = forms.CharField(
        label=_("目录名称"), required=False, max_length=120, help_text=_("留空按领域和层级自动命名")
    )
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = units if units is not None else Organisation.objects.none()


class ImportForm(forms.Form):
    file = forms.FileField(label=_("目录表格"), help_text=_("Excel（.xlsx）或 CSV（UTF-8/GBK）；每个领域一个工作表"))
    template = forms.ModelChoiceField(label=_("要素模板"), queryset=ElementTemplate.objects.filter(is_active=True))
    domain = forms.ModelChoiceField(
        label=_("默认领域"),
        queryset=Domain.objects.filter(is_active=True),
        required=False,
        help_text=_("工作表名称或标题中没有写明领域时使用"),
    )
    owner = forms.ModelChoiceField(label=_("编制单位"), queryset=Organisation.objects.none())
    target_kind = forms.ChoiceField(label=_("适用单位类型"), choices=OrgKind.choices, initial=OrgKind.GOVERNMENT)
    target_level = forms.ChoiceField(label=_("适用层级"), choices=Level.choices, initial=Level.TOWNSHIP)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = units if units is not None else Organisation.objects.none()
        self.fields["template"].initial = ElementTemplate.objects.filter(key="national").first()


INCOMPLETE_HINT = _("必填要素；留空时事项记为不完整，补全或确认接受后才能发布")


def item_form_class(template: ElementTemplate, *, with_mandatory: bool = True, local: bool = False):
    """A form with one field per element of ``template`` (name → 一级/二级事项, timeframe → 公开时限).

    A standard catalogue's draft may hold incomplete items, so there the elements are optional
    in the form (the service lists what is missing); a unit's local items go straight into a
    published list and must be complete (``local=True``)."""
    fields: dict[str, forms.Field] = {}
    for d in template.ordered_elements():
        help_text = d.help_text or ("" if local or not d.required else INCOMPLETE_HINT)
        required = d.required and local
        if d.type == ElementType.NAME:
            fields["level1"] = forms.CharField(label=_("一级事项"), max_length=200, help_text=help_text)
            fields["name"] = forms.CharField(label=_("二级事项"), max_length=200, required=False)
        elif d.type == ElementType.TIMEFRAME:
            fields["timeframe_text"] = forms.CharField(
                label=d.name,
                max_length=200,
                required=required,
                help_text=d.help_text
                or _("如：信息形成或变更之日起20个工作日内；每季度结束后15日内；每年1月31日前；实时"),
            )
        elif d.type == ElementType.MULTICHOICE:
            fields[f"el_{d.key}"] = forms.MultipleChoiceField(
                label=d.name,
                choices=[(v, v) for v in d.allowed_values],
                required=required,
                widget=forms.CheckboxSelectMultiple,
                help_text=help_text,
            )
        elif d.type == ElementType.CHOICE:
            fields[f"el_{d.key}"] = forms.ChoiceField(
                label=d.name,
                choices=[("", "——")] + [(v, v) for v in d.allowed_values],
                required=required,
                help_text=help_text,
            )
        else:
            widget = forms.Textarea(attrs={"rows": 3}) if d.type == ElementType.LONGTEXT else forms.TextInput
            fields[f"el_{d.key}"] = forms.CharField(
                label=d.name,
                required=required,
                widget=widget,
                max_length=4000 if d.type == ElementType.LONGTEXT else 500,
                help_text=help_text,
            )
    if with_mandatory:
        fields["mandatory"] = forms.BooleanField(label=_("必选事项（各单位不得删除）"), required=False, initial=True)
    if local:
        fields["column_name"] = forms.CharField(label=_("公开栏目"), required=False, max_length=120)
        fields["note"] = forms.CharField(label=_("细化说明"), required=False, max_length=500)
    return type("ItemForm", (forms.Form,), fields)


def item_initial(item) -> dict:
    data = {"level1": item.level1, "name": item.name, "timeframe_text": item.timeframe_text}
    if hasattr(item, "mandatory"):
        data["mandatory"] = item.mandatory
    for key, value in (item.elements or {}).items():
        data[f"el_{key}"] = value
    for f in ("column_name", "note"):
        if hasattr(item, f):
            data[f] = getattr(item, f)
    return data


def item_values(cleaned: dict) -> dict:
    """Form data → service keyword arguments."""
    elements = {k[3:]: v for k, v in cleaned.items() if k.startswith("el_") and v not in ("", None, [])}
    out = {
        "level1": cleaned.get("level1", ""),
        "name": cleaned.get("name", ""),
        "elements": elements,
        "timeframe_text": cleaned.get("timeframe_text", ""),
    }
    if "mandatory" in cleaned:
        out["mandatory"] = cleaned["mandatory"]
    return out


class UnitItemDerivedForm(forms.Form):
    responsible_unit = forms.ModelChoiceField(label=_("责任单位"), queryset=Organisation.objects.none(), required=False)
    column_name = forms.CharField(label=_("公开栏目"), required=False, max_length=120)
    note = forms.CharField(
        label=_("细化说明"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        if unit is not None:
            self.fields["responsible_unit"].queryset = unit.descendants(include_self=True).filter(is_active=True)
