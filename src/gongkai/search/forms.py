from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from . import analysis
from .types import FACET_KEYS, SearchQuery

MAX_PAGE = 500
MAX_FILTER_VALUES = 20


class SearchForm(forms.Form):
    q = forms.CharField(label=_("检索词"), required=False, max_length=analysis.MAX_QUERY_LENGTH, strip=True)
    date_from = forms.DateField(label=_("发布日期起"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("发布日期止"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    sort = forms.ChoiceField(
        label=_("排序"), required=False, choices=[("relevance", _("按相关度")), ("date", _("按发布日期"))]
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)

    error_messages = {
        "date_order": _("发布日期的起始日期不能晚于截止日期。"),
    }

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.fields["q"].error_messages["max_length"] = _("检索词不能超过 %(limit_value)d 个字。")
        for name in ("date_from", "date_to"):
            self.fields[name].error_messages["invalid"] = _("请输入有效日期，格式为 年-月-日，例如 2024-03-01。")
        self.fields["page"].error_messages["max_value"] = _("页码超出范围，请缩小检索范围。")
        self.fields["page"].error_messages["min_value"] = _("页码超出范围。")
        self.fields["page"].error_messages["invalid"] = _("页码应为数字。")
        self.fields["sort"].error_messages["invalid_choice"] = _("不支持的排序方式。")
        self._raw = data

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(self.error_messages["date_order"], code="date_order")
        return data

    def filters(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        if self._raw is None or not hasattr(self._raw, "getlist"):
            return out
        for key in FACET_KEYS:
            values = [v.strip()[:100] for v in self._raw.getlist(key) if v.strip()][:MAX_FILTER_VALUES]
            if values:
                out[key] = list(dict.fromkeys(values))
        return out

    def to_query(self, *, per_page: int = 20) -> SearchQuery:
        data = self.cleaned_data
        return SearchQuery(
            text=data.get("q") or "",
            filters=self.filters(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            page=data.get("page") or 1,
            per_page=per_page,
            sort=data.get("sort") or "relevance",
        )
