from __future__ import annotations

import re
import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.core.actions import ActionForm
from gongkai.core.models import Organisation, OrgKind

from .models import Adoption, AppealType, Consultation

MOBILE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")


class HumanCheckMixin:
    """A simple arithmetic question kept in the session: accessible, works without JavaScript."""

    human_key = "form"

    def setup_human_check(self, request):
        self.request = request
        key = f"gk_hc_{self.human_key}"
        q = request.session.get(key)
        if not q:
            q = {"a": secrets.randbelow(9) + 1, "b": secrets.randbelow(9) + 1}
            request.session[key] = q
        self.fields["human_check"] = forms.IntegerField(
            label=_("请回答：%(a)s 加 %(b)s 等于几？") % q,
            help_text=_("为防止自动提交，请填写阿拉伯数字答案"),
            error_messages={"required": _("请回答验证问题"), "invalid": _("请填写数字")},
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 4}),
        )

    def clean_human_check(self):
        value = self.cleaned_data.get("human_check")
        q = self.request.session.get(f"gk_hc_{self.human_key}") or {}
        if value is None or value != q.get("a", -1) + q.get("b", -1):
            raise forms.ValidationError(_("验证问题回答不正确，请重新计算"))
        return value

    def reset_human_check(self):
        self.request.session.pop(f"gk_hc_{self.human_key}", None)


def county_governments():
    return Organisation.objects.filter(kind=OrgKind.GOVERNMENT, level="county", is_active=True).order_by("path")


class AppealForm(HumanCheckMixin, forms.Form):
    human_key = "appeal"
    type = forms.ModelChoiceField(
        label=_("留言类型"),
        queryset=AppealType.objects.filter(is_active=True),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("请选择留言类型")},
    )
    target_unit = forms.ModelChoiceField(label=_("受理机关"), queryset=Organisation.objects.none(), empty_label=None)
    title = forms.CharField(
        label=_("标题"),
        max_length=100,
        error_messages={"required": _("请填写标题")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    content = forms.CharField(
        label=_("内容"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("请填写留言内容")},
        help_text=_("请说明事由、时间、地点。请勿在内容中填写身份证号等个人信息；公开时个人信息会被遮盖。"),
    )
    address_string = forms.CharField(
        label=_("事发地点（可不填）"),
        max_length=200,
        required=False,
        help_text=_("如“西屏街道紫荆路与解放街交叉口”；请勿填写家庭住址门牌号"),
    )
    name = forms.CharField(label=_("姓名"), max_length=40, required=False)
    phone = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        required=False,
        help_text=_("手机号码或电子邮箱至少填一项，用于查询进度；联系方式不会公开"),
    )
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    anonymous = forms.BooleanField(label=_("公开时不显示我的姓名"), required=False, initial=True)
    # 个人信息保护法: publishing needs the citizen's explicit, separate consent. Unticked by default;
    # not ticking it changes nothing in how the appeal is handled and answered.
    publish_consent = forms.BooleanField(
        label=_("我单独同意：办结后，在遮盖个人信息后公开我的留言和答复"),
        required=False,
        initial=False,
        help_text=_(
            "可不勾选，不影响受理、办理和答复。勾选后，工作人员会在遮盖姓名、联系方式、身份证号、住址等个人信息后，"
            "将留言内容和答复公布在本网站“公开的留言”栏目，供其他群众参考；公开前由工作人员逐条核对。"
        ),
    )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_unit"].queryset = county_governments()
        if self.fields["target_unit"].queryset.count() == 1:
            self.fields["target_unit"].initial = self.fields["target_unit"].queryset.first()
        # htmx: while the citizen types, similar FAQ entries appear next to the form (debounced).
        from django.urls import reverse

        for name in ("title", "content"):
            self.fields[name].widget.attrs.update(
                {
                    "hx-get": reverse("interaction:suggest"),
                    "hx-trigger": "input changed delay:400ms",
                    "hx-target": "#suggestions",
                    "hx-include": "#id_title, #id_content",
                    "hx-sync": "closest form:replace",
                }
            )
        if request is not None:
            self.setup_human_check(request)

    def clean_phone(self):
        phone = re.sub(r"[\s-]", "", self.cleaned_data.get("phone") or "")
        if phone and not MOBILE.match(phone):
            raise forms.ValidationError(_("请填写正确的11位手机号码"))
        return phone

    def clean(self):
        data = super().clean()
        if (
            not data.get("phone")
            and not data.get("email")
            and "phone" not in self.errors
            and "email" not in self.errors
        ):
            self.add_error("phone", _("手机号码或电子邮箱至少填写一项"))
        return data


class TrackForm(HumanCheckMixin, forms.Form):
    human_key = "track"
    code = forms.CharField(
        label=_("查询码"),
        max_length=30,
        error_messages={"required": _("请填写查询码")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    factor = forms.CharField(
        label=_("留言时填写的手机号码或电子邮箱"),
        max_length=100,
        error_messages={"required": _("请填写手机号码或电子邮箱")},
    )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        if request is not None:
            self.setup_human_check(request)


class SupplementForm(forms.Form):
    text = forms.CharField(
        label=_("补充内容"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写补充内容")},
    )


RATING_CHOICES = [(i, str(i)) for i in range(5, 0, -1)]


class RateForm(forms.Form):
    speed = forms.TypedChoiceField(
        label=_("办理速度"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("请为办理速度评分")},
    )
    outcome = forms.TypedChoiceField(
        label=_("办理结果"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("请为办理结果评分")},
    )
    attitude = forms.TypedChoiceField(
        label=_("服务态度"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("请为服务态度评分")},
    )
    comment = forms.CharField(
        label=_("评价意见"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("不满意的原因"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请说明不满意的原因")},
    )


class CommentForm(HumanCheckMixin, forms.Form):
    human_key = "comment"
    content = forms.CharField(
        label=_("您的意见"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("请填写意见内容")},
    )
    author_name = forms.CharField(label=_("署名（可不填）"), max_length=40, required=False)
    contact = forms.CharField(label=_("联系方式（可不填，不会公开）"), max_length=100, required=False)

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        if request is not None:
            self.setup_human_check(request)


# --- staff forms: the inputs of the staff actions (gongkai.interaction.actions), same for workbench and API ---


class RejectForm(ActionForm):
    reason = forms.CharField(
        label=_("不予受理理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("留言人可以看到该理由"),
        error_messages={"required": _("请填写不予受理理由")},
    )


class SendBackForm(ActionForm):
    reason = forms.CharField(
        label=_("退回理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("说明为什么不属于本单位职责，便于政务公开办重新分拨"),
        error_messages={"required": _("请填写退回理由")},
    )


class NoteForm(ActionForm):
    text = forms.CharField(
        label=_("会办意见"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("仅内部可见"),
        error_messages={"required": _("请填写意见")},
    )


class AssignForm(ActionForm):
    unit = forms.ModelChoiceField(
        label=_("主办单位"), queryset=Organisation.objects.none(), error_messages={"required": _("请选择主办单位")}
    )
    co_units = forms.ModelMultipleChoiceField(
        label=_("协办单位（可多选）"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    note = forms.CharField(label=_("分拨说明"), max_length=1000, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None and self.user is not None:
            from .access import dispatch_units

            units = dispatch_units(self.user, self.obj)
            self.fields["unit"].queryset = units
            self.fields["co_units"].queryset = units
            if not self.is_bound:
                self.initial.setdefault("unit", self.obj.unit_id)
                self.initial.setdefault("co_units", self.obj.co_unit_ids)

    def clean(self):
        data = super().clean()
        unit, co_units = data.get("unit"), data.get("co_units") or []
        if unit is not None:
            data["co_units"] = [u for u in co_units if u.pk != unit.pk]
        return data


class AnswerForm(ActionForm):
    answer = forms.CharField(
        label=_("答复内容"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("答复会发送给留言人，并显示在其查询页面"),
        error_messages={"required": _("请填写答复内容")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None and not self.is_bound:
            self.initial.setdefault("answer", self.obj.answer)


class PublishForm(ActionForm):
    """The masked texts proposed by the automatic screening; staff check and confirm them."""

    public_title = forms.CharField(label=_("公开标题"), max_length=100)
    public_content = forms.CharField(label=_("公开内容"), widget=forms.Textarea(attrs={"rows": 5}))
    public_answer = forms.CharField(label=_("公开答复"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is None:
            return
        from .services import appeal_publication_proposal

        proposal = appeal_publication_proposal(self.obj)
        for name, key in (("public_title", "title"), ("public_content", "content"), ("public_answer", "answer")):
            result = proposal[key]
            self.fields[name].help_text = _("自动筛查：%(summary)s。已遮盖个人信息，请核对后确认。") % {
                "summary": result.summary()
            }
            if not self.is_bound:
                self.initial.setdefault(name, result.masked)


class ReviewForm(ActionForm):
    review_date = forms.DateField(
        label=_("下次复核日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("不填则按常见问题复核周期自动计算"),
    )


class ReportForm(ActionForm):
    report = forms.CharField(
        label=_("意见采纳情况说明"),
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": _("请填写意见采纳情况说明")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None and not self.is_bound:
            from .selectors import consultation_report_draft

            self.initial.setdefault("report", self.obj.feedback_report or consultation_report_draft(self.obj))


class AttachmentForm(ActionForm):
    title = forms.CharField(label=_("附件名称"), max_length=150, required=False, help_text=_("不填则使用文件名"))
    upload = forms.FileField(
        label=_("文件"),
        help_text=_("PDF、Word（.docx）、Excel（.xlsx）、ODT、PNG 或 JPG，按文件内容识别类型"),
        error_messages={"required": _("请选择要上传的文件")},
    )


class CommentRejectForm(ActionForm):
    reason = forms.CharField(label=_("未通过理由"), max_length=200, error_messages={"required": _("请填写未通过理由")})


class AdoptionForm(ActionForm):
    adoption = forms.ChoiceField(
        label=_("采纳情况"),
        choices=[c for c in Adoption.choices if c[0]],
        error_messages={"required": _("请选择采纳情况")},
    )
    note = forms.CharField(label=_("说明（未采纳或部分采纳须写明理由）"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None and not self.is_bound and self.obj.adoption:
            self.initial.setdefault("adoption", self.obj.adoption)
            self.initial.setdefault("note", self.obj.adoption_note)

    def clean(self):
        data = super().clean()
        if data.get("adoption") in (Adoption.PARTLY, Adoption.NOT_ADOPTED) and not (data.get("note") or "").strip():
            self.add_error("note", _("未采纳或部分采纳的意见须说明理由"))
        return data


# --- staff editors (not actions: they create or change content) ------------------------------------------


class FaqForm(forms.Form):
    question = forms.CharField(label=_("问题"), max_length=200)
    answer = forms.CharField(label=_("标准答复"), widget=forms.Textarea(attrs={"rows": 8}))
    unit = forms.ModelChoiceField(label=_("责任单位"), queryset=Organisation.objects.none())
    domain = forms.ModelChoiceField(
        label=_("公开领域"), queryset=None, required=False, empty_label=_("（不属于标准目录领域）")
    )
    domain_name = forms.CharField(
        label=_("其他领域名称"), max_length=60, required=False, help_text=_("未选择公开领域时填写，如“婚姻登记”")
    )
    topics = forms.CharField(label=_("主题词（用逗号或顿号分隔）"), max_length=500, required=False)
    review_date = forms.DateField(
        label=_("复核日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("到期后答复被标记为待复核；不填则按常见问题复核周期自动计算"),
    )
    note = forms.CharField(label=_("修改说明"), max_length=200, required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        from gongkai.catalogue.selectors import public_domains

        self.fields["unit"].queryset = units if units is not None else Organisation.objects.none()
        self.fields["domain"].queryset = public_domains()

    def topic_list(self) -> list[str]:
        return [t for t in re.split(r"[,，、;；\s]+", self.cleaned_data.get("topics") or "") if t]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "question": d["question"],
            "answer": d["answer"],
            "unit": d["unit"],
            "domain": d["domain"],
            "domain_name": d["domain_name"],
            "topics": self.topic_list(),
            "review_date": d["review_date"],
            "note": d["note"],
        }


class ConsultationForm(forms.ModelForm):
    class Meta:
        model = Consultation
        fields = [
            "unit",
            "title",
            "summary",
            "draft",
            "explanation",
            "opens_on",
            "closes_on",
            "short_period_reason",
            "contact",
        ]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}),
            "closes_on": forms.DateInput(attrs={"type": "date"}),
            "draft": forms.Textarea(attrs={"rows": 12}),
            "explanation": forms.Textarea(attrs={"rows": 8}),
            "short_period_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Organisation.objects.none()
        self.fields["opens_on"].required = True
        self.fields["closes_on"].required = True

    def clean(self):
        from .models.consultations import earliest_close, minimum_days

        data = super().clean()
        opens_on, closes_on = data.get("opens_on"), data.get("closes_on")
        if opens_on and closes_on:
            if closes_on <= opens_on:
                self.add_error("closes_on", _("截止日期应晚于开始日期"))
            elif closes_on < earliest_close(opens_on) and not (data.get("short_period_reason") or "").strip():
                self.add_error(
                    "short_period_reason",
                    _("征集期不足%(days)s日（重大行政决策程序暂行条例第十五条），请说明缩短期限的理由")
                    % {"days": minimum_days()},
                )
        return data
