"""Forms: public application, staff registration, workbench actions. Errors are in Chinese."""

from __future__ import annotations

import secrets

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core.actions import ActionForm
from gongkai.core.models import Organisation, User

from . import deadlines, selectors, services
from .choices import REPLY_OUTCOME_CHOICES
from .models import (
    ApplicantType,
    Channel,
    Consultation,
    ConsultationKind,
    Delivery,
    Format,
    IdType,
    LetterKind,
    OrgType,
    ReviewCase,
    ReviewKind,
    ReviewOutcome,
)

DESCRIPTION_MAX = 2000
DESCRIPTION_MIN = 5


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Up to five evidence files, each checked by :func:`gongkai.core.uploads.check_file`
    (type sniffed from the content: PDF, JPG, PNG; size limit; virus-scan hook)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > services.intake.MAX_FILES:
            raise ValidationError(_("最多上传%(n)s个附件") % {"n": services.intake.MAX_FILES})
        checked, errors = [], []
        for f in files:
            try:
                checked.append(services.check_attachment(f.name, f.read()))
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return checked


class ApplicantForm(forms.Form):
    unit = forms.ChoiceField(
        label=gettext_lazy("受理机关"),
        choices=(),
        help_text=gettext_lazy("请选择掌握所需信息的行政机关或公共企事业单位"),
    )
    applicant_type = forms.ChoiceField(
        label=gettext_lazy("申请人类型"), choices=ApplicantType.choices, widget=forms.RadioSelect
    )
    name = forms.CharField(label=gettext_lazy("姓名或单位名称"), max_length=100)
    id_type = forms.ChoiceField(
        label=gettext_lazy("证件类型（公民填写）"), choices=[("", "—")] + IdType.choices, required=False
    )
    id_number = forms.CharField(label=gettext_lazy("证件号码（公民填写）"), max_length=40, required=False)
    org_type = forms.ChoiceField(
        label=gettext_lazy("组织类型（法人或其他组织填写）"), choices=[("", "—")] + OrgType.choices, required=False
    )
    credit_code = forms.CharField(
        label=gettext_lazy("统一社会信用代码（法人或其他组织填写）"), max_length=18, required=False
    )
    legal_representative = forms.CharField(
        label=gettext_lazy("法定代表人（法人或其他组织填写）"), max_length=60, required=False
    )
    contact_person = forms.CharField(label=gettext_lazy("联系人（法人或其他组织填写）"), max_length=60, required=False)
    phone = forms.RegexField(
        label=gettext_lazy("联系电话"),
        regex=r"^[0-9\-+ ]{7,20}$",
        max_length=20,
        error_messages={"invalid": gettext_lazy("请填写有效的电话号码")},
        help_text=gettext_lazy("查询办理进度时需要输入电话号码后4位"),
    )
    email = forms.EmailField(label=gettext_lazy("电子邮箱"), required=False)
    address = forms.CharField(label=gettext_lazy("通信地址"), max_length=200)
    postcode = forms.RegexField(
        label=gettext_lazy("邮政编码"),
        regex=r"^\d{6}$",
        required=False,
        error_messages={"invalid": gettext_lazy("邮政编码应为6位数字")},
    )
    description = forms.CharField(
        label=gettext_lazy("所需政府信息的名称、文号或者便于查询的其他特征性描述"),
        widget=forms.Textarea(attrs={"rows": 6}),
        min_length=DESCRIPTION_MIN,
        max_length=DESCRIPTION_MAX,
        help_text=gettext_lazy(
            "请尽量写明文件名称、文号、时间范围等，内容不明确的将通知您补正（条例第二十九条、第三十条）"
        ),
    )
    purpose = forms.CharField(
        label=gettext_lazy("用途（选填）"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500, required=False
    )
    preferred_format = forms.ChoiceField(label=gettext_lazy("信息载体形式"), choices=Format.choices)
    delivery = forms.ChoiceField(label=gettext_lazy("获取方式"), choices=Delivery.choices)
    attachments = MultipleFileField(
        label=gettext_lazy("附件（身份证明等，PDF/JPG/PNG）"),
        required=False,
        help_text=gettext_lazy("最多5个文件，每个不超过5MB"),
    )

    def __init__(self, *args, units=None, **kwargs):
        """``units``: groups ``[(label, [Organisation, ...])]`` (shown as option groups) or a flat iterable."""
        super().__init__(*args, **kwargs)
        units = units if units is not None else Organisation.objects.filter(is_active=True).order_by("path")
        groups = units if isinstance(units, list) and units and isinstance(units[0], tuple) else [("", list(units))]
        self._units = {str(u.pk): u for _label, members in groups for u in members}
        choices: list = [("", "—")]
        for label, members in groups:
            options = [(str(u.pk), u.name) for u in members]
            choices.extend([(str(label), options)] if label else options)
        self.fields["unit"].choices = choices

    def clean_unit(self):
        unit = self._units.get(str(self.cleaned_data["unit"]))
        if unit is None:
            raise ValidationError(_("请选择受理机关"))
        return unit

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            services.validate_applicant(self.applicant_data())
        except ValidationError as exc:
            for field, msgs in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, msgs)
        if data.get("delivery") == Delivery.EMAIL and not data.get("email"):
            self.add_error("email", _("选择电子邮件获取的，请填写电子邮箱"))
        if data.get("delivery") == Delivery.POST and not data.get("address"):
            self.add_error("address", _("选择邮寄的，请填写通信地址"))
        return data

    def applicant_data(self) -> services.ApplicantData:
        d = self.cleaned_data
        return services.ApplicantData(
            applicant_type=d["applicant_type"],
            name=d["name"].strip(),
            phone=d["phone"].strip(),
            address=d["address"].strip(),
            description=d["description"].strip(),
            preferred_format=d["preferred_format"],
            delivery=d["delivery"],
            org_type=d.get("org_type") or "",
            id_type=d.get("id_type") or "",
            id_number=d.get("id_number") or "",
            credit_code=(d.get("credit_code") or "").strip().upper(),
            legal_representative=d.get("legal_representative") or "",
            contact_person=d.get("contact_person") or "",
            email=d.get("email") or "",
            postcode=d.get("postcode") or "",
            purpose=d.get("purpose") or "",
        )


class HumanCheck:
    """An arithmetic question kept in the session (no JavaScript, readable by screen readers)."""

    KEY = "requests_human_check"

    def __init__(self, session):
        self.session = session

    def question(self) -> str:
        data = self.session.get(self.KEY)
        if not data:
            a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
            data = {"x": a, "y": b, "a": str(a + b)}
            self.session[self.KEY] = data
        if "x" not in data:  # a session from before the question was stored as numbers
            self.session.pop(self.KEY, None)
            return self.question()
        return _("%(a)s 加 %(b)s 等于多少？") % {"a": data["x"], "b": data["y"]}

    def verify(self, answer: str) -> bool:
        data = self.session.get(self.KEY)
        return bool(data) and (answer or "").strip() == str(data["a"])

    def reset(self) -> None:
        self.session.pop(self.KEY, None)


class PublicRequestForm(ApplicantForm):
    human = forms.CharField(label=gettext_lazy("验证问题"), max_length=4)
    confirm = forms.BooleanField(label=gettext_lazy("我确认所填信息真实有效"), required=True)

    def __init__(self, *args, check: HumanCheck, **kwargs):
        super().__init__(*args, **kwargs)
        self.check = check
        self.fields["human"].label = _("验证问题：%(question)s（请填写阿拉伯数字）") % {"question": check.question()}

    def clean_human(self):
        value = self.cleaned_data["human"]
        if not self.check.verify(value):
            raise ValidationError(_("验证问题回答不正确，请重新计算"))
        return value


class StaffRegisterForm(ApplicantForm):
    channel = forms.ChoiceField(
        label=gettext_lazy("提交方式"), choices=[c for c in Channel.choices if c[0] != Channel.ONLINE]
    )
    received_on = forms.DateField(
        label=gettext_lazy("收到申请日期"),
        widget=DateInput(),
        help_text=gettext_lazy(
            "当面提交：提交之日；邮寄：签收之日；平信、传真、电子邮件：与申请人确认之日（条例第三十一条）"
        ),
    )
    receipt_evidence = forms.CharField(
        label=gettext_lazy("收到日期依据"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("如邮件单号、签收记录、电话确认时间"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].label = gettext_lazy("扫描件等附件（PDF/JPG/PNG）")


class TrackForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("查询码"),
        max_length=30,
        help_text=gettext_lazy("提交申请后获得的查询码，如 YS-7KQ4-M9XD-2PHA"),
    )
    phone_tail = forms.RegexField(
        label=gettext_lazy("联系电话后4位"),
        regex=r"^\d{4}$",
        max_length=4,
        error_messages={"invalid": gettext_lazy("请输入4位数字")},
    )


# --- inputs of the workbench/API actions (see actions.py) -------------------------------------


def _date(label, **kwargs):
    return forms.DateField(label=label, widget=DateInput(), required=False, **kwargs)


class TodayDefaults(ActionForm):
    """Date fields left blank mean today (the API may omit them); the workbench shows today."""

    date_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.date_fields:
            self.fields[name].initial = services.today()
            self.fields[name].help_text = self.fields[name].help_text or _("留空为今天")


class AssignForm(ActionForm):
    handler = forms.ModelChoiceField(label=gettext_lazy("承办人"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None:
            self.fields["handler"].queryset = selectors.handlers_for(self.obj.unit)
            self.fields["handler"].initial = self.obj.handler_id


class NoteForm(ActionForm):
    note = forms.CharField(
        label=gettext_lazy("内部备注（申请人不可见）"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class CorrectionForm(TodayDefaults):
    date_fields = ("sent_on",)
    items = forms.CharField(
        label=gettext_lazy("需补正的全部事项（一次性告知）"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    sent_on = _date(gettext_lazy("告知日期"))
    deadline = _date(gettext_lazy("补正期限"), help_text=gettext_lazy("留空按“申请人补正期限”（法定期限表）计算"))
    letter = forms.BooleanField(label=gettext_lazy("同时出具《补正申请告知书》"), required=False, initial=True)


class CorrectedForm(TodayDefaults):
    date_fields = ("corrected_on",)
    corrected_on = _date(gettext_lazy("收到补正申请日期"))
    note = forms.CharField(label=gettext_lazy("说明"), required=False, max_length=500)


class WithdrawForm(TodayDefaults):
    date_fields = ("on",)
    on = _date(gettext_lazy("撤回日期"))
    note = forms.CharField(label=gettext_lazy("说明"), required=False, max_length=500)


class ConsultForm(TodayDefaults):
    date_fields = ("sent_on",)
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=ConsultationKind.choices)
    recipient = forms.CharField(label=gettext_lazy("征求对象"), max_length=200)
    recipient_address = forms.CharField(label=gettext_lazy("送达地址"), max_length=200, required=False)
    question = forms.CharField(
        label=gettext_lazy("征求意见事项"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    sent_on = _date(gettext_lazy("发函日期"))
    letter = forms.BooleanField(label=gettext_lazy("同时出具《征求意见函》"), required=False, initial=True)


OPINIONS = {"": None, "agree": True, "disagree": False}


class AnswerForm(TodayDefaults):
    date_fields = ("answered_on",)
    consultation = forms.ModelChoiceField(label=gettext_lazy("征求对象"), queryset=Consultation.objects.none())
    answered_on = _date(gettext_lazy("收到意见日期"), help_text=gettext_lazy("逾期未答复的，填期限届满次日"))
    opinion = forms.ChoiceField(
        label=gettext_lazy("意见"),
        choices=[
            ("", gettext_lazy("未表态/逾期未答复")),
            ("agree", gettext_lazy("同意公开")),
            ("disagree", gettext_lazy("不同意公开")),
        ],
        required=False,
    )
    answer = forms.CharField(
        label=gettext_lazy("意见内容"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None:
            qs = self.obj.consultations.filter(answered_on__isnull=True)
            self.fields["consultation"].queryset = qs
            self.fields["consultation"].label_from_instance = lambda c: (
                _("%(who)s（%(date)s发函）")
                % {
                    "who": c.recipient,
                    "date": c.sent_on,
                }
            )
            first = qs.first()
            self.fields["consultation"].initial = first.pk if first else None


class TransferForm(ActionForm):
    to_unit = forms.ModelChoiceField(label=gettext_lazy("转交至"), queryset=Organisation.objects.none())
    note = forms.CharField(label=gettext_lazy("转交说明"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Organisation.objects.filter(is_active=True).order_by("path")
        self.fields["to_unit"].queryset = qs.exclude(pk=self.obj.unit_id) if self.obj is not None else qs


class ExtensionForm(ActionForm):
    days = forms.IntegerField(label=gettext_lazy("延长工作日"), min_value=1)
    reason = forms.CharField(label=gettext_lazy("延期理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = deadlines.max_extension_days()
        self.fields["days"].max_value = limit
        self.fields["days"].initial = limit
        self.fields["days"].validators.append(MaxValueValidator(limit))
        self.fields["days"].help_text = _("最多%(n)s个工作日（条例第三十三条）") % {"n": limit}


class ExtensionDecisionForm(TodayDefaults):
    date_fields = ("on",)
    decision = forms.ChoiceField(
        label=gettext_lazy("审批意见"),
        choices=[("approve", gettext_lazy("同意延期")), ("reject", gettext_lazy("不同意"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=gettext_lazy("审批说明"), max_length=500, required=False)
    on = _date(gettext_lazy("审批日期"))
    letter = forms.BooleanField(label=gettext_lazy("同意的，同时出具《延期答复告知书》"), required=False, initial=True)


def _outcome_field():
    return forms.ChoiceField(
        label=gettext_lazy("答复类型"),
        choices=[("", "—"), *REPLY_OUTCOME_CHOICES],
    )


def _reason_field():
    return forms.CharField(
        label=gettext_lazy("答复内容/理由"),
        help_text=gettext_lazy("不予公开的必须说明理由；已主动公开的请写明获取途径"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
    )


def _basis_field():
    return forms.CharField(
        label=gettext_lazy("法律依据"),
        help_text=gettext_lazy("留空按答复类型自动填写"),
        max_length=300,
        required=False,
    )


class ReplyForm(TodayDefaults):
    date_fields = ("replied_on",)
    outcome = _outcome_field()
    reason = _reason_field()
    legal_basis = _basis_field()
    replied_on = _date(gettext_lazy("答复日期"))
    letter = forms.BooleanField(label=gettext_lazy("同时出具《政府信息公开申请答复书》"), required=False, initial=True)


class SubmitReplyForm(ActionForm):
    outcome = _outcome_field()
    reason = _reason_field()
    legal_basis = _basis_field()
    letter = forms.BooleanField(
        label=gettext_lazy("签发后出具《政府信息公开申请答复书》"), required=False, initial=True
    )


class ApproveReplyForm(ActionForm):
    note = forms.CharField(label=gettext_lazy("签发意见"), max_length=500, required=False)


class ReturnReplyForm(ActionForm):
    note = forms.CharField(label=gettext_lazy("退回意见"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500)


class LetterForm(ActionForm):
    kind = forms.ChoiceField(label=gettext_lazy("文书类型"), choices=LetterKind.choices)
    consultation = forms.ModelChoiceField(
        label=gettext_lazy("征求意见（征求意见函）"), queryset=Consultation.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None:
            kinds = set(services.issuable_kinds(self.obj))
            consultations = self.obj.consultations.all()
            if consultations:
                kinds.add(LetterKind.CONSULTATION)
            self.fields["kind"].choices = [c for c in LetterKind.choices if c[0] in kinds]
            self.fields["consultation"].queryset = consultations


class CaseForm(ActionForm):
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=ReviewKind.choices)
    case_number = forms.CharField(label=gettext_lazy("案号"), max_length=80, required=False)
    authority = forms.CharField(label=gettext_lazy("复议机关/法院"), max_length=120, required=False)
    filed_on = forms.DateField(label=gettext_lazy("受理日期"), widget=DateInput())
    outcome = forms.ChoiceField(
        label=gettext_lazy("结果"), choices=ReviewOutcome.choices, initial=ReviewOutcome.PENDING
    )
    decided_on = forms.DateField(label=gettext_lazy("审结日期"), widget=DateInput(), required=False)
    note = forms.CharField(label=gettext_lazy("备注"), max_length=500, required=False)


class CaseUpdateForm(ActionForm):
    case = forms.ModelChoiceField(label=gettext_lazy("案件"), queryset=ReviewCase.objects.none())
    outcome = forms.ChoiceField(label=gettext_lazy("结果"), choices=ReviewOutcome.choices)
    decided_on = forms.DateField(label=gettext_lazy("审结日期"), widget=DateInput(), required=False)
    note = forms.CharField(label=gettext_lazy("备注"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None:
            qs = self.obj.review_cases.filter(outcome=ReviewOutcome.PENDING)
            self.fields["case"].queryset = qs
            self.fields["case"].label_from_instance = lambda c: f"{c.get_kind_display()} {c.case_number}".strip()


class PolicyForm(forms.Form):
    reply_signoff = forms.BooleanField(
        label=gettext_lazy("答复须经审核人或负责人签发后才能发出"),
        required=False,
        help_text=gettext_lazy("开启后，承办人拟写的答复报审核人或单位负责人签发，签发后才生成答复书并送达申请人。"),
    )
    accepts_requests = forms.ChoiceField(
        label=gettext_lazy("在公众申请表中作为受理机关"),
        choices=[
            ("", gettext_lazy("按单位类型（行政机关是，公共企事业单位否）")),
            ("yes", gettext_lazy("是")),
            ("no", gettext_lazy("否")),
        ],
        required=False,
    )

    def cleaned_policy(self) -> dict:
        accepts = {"": None, "yes": True, "no": False}[self.cleaned_data.get("accepts_requests") or ""]
        return {"reply_signoff": self.cleaned_data["reply_signoff"], "accepts_requests": accepts}
