"""Forms: public application, staff registration, workbench actions. Errors are in Chinese."""

from __future__ import annotations

import secrets

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import Organisation, User

from . import deadlines, services
from .models import (
    ApplicantType,
    Channel,
    ConsultationKind,
    Delivery,
    Format,
    IdType,
    OrgType,
    Outcome,
    ReviewKind,
    ReviewOutcome,
)

ALLOWED_MIME = {"application/pdf": "PDF", "image/jpeg": "JPG", "image/png": "PNG"}
MAX_FILES = 5
DESCRIPTION_MAX = 2000
DESCRIPTION_MIN = 5


def max_attachment_bytes() -> int:
    return int(getattr(settings, "GONGKAI_REQUEST_ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_FILES:
            raise ValidationError(f"最多上传{MAX_FILES}个附件")
        cleaned = []
        limit = max_attachment_bytes()
        for f in files:
            if f.size > limit:
                raise ValidationError(f"附件“{f.name}”超过{limit // (1024 * 1024)}MB")
            head = f.read(2048)
            f.seek(0)
            kind = filetype.guess(head)
            if kind is None or kind.mime not in ALLOWED_MIME:
                raise ValidationError(f"附件“{f.name}”类型不支持，只接受 PDF、JPG、PNG 文件")
            f.sniffed_mime = kind.mime
            cleaned.append(f)
        return cleaned


class ApplicantForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("受理机关"),
        queryset=Organisation.objects.none(),
        help_text=_("请选择掌握所需信息的行政机关或公共企事业单位"),
    )
    applicant_type = forms.ChoiceField(label=_("申请人类型"), choices=ApplicantType.choices, widget=forms.RadioSelect)
    name = forms.CharField(label=_("姓名或单位名称"), max_length=100)
    id_type = forms.ChoiceField(label=_("证件类型（公民填写）"), choices=[("", "—")] + IdType.choices, required=False)
    id_number = forms.CharField(label=_("证件号码（公民填写）"), max_length=40, required=False)
    org_type = forms.ChoiceField(
        label=_("组织类型（法人或其他组织填写）"), choices=[("", "—")] + OrgType.choices, required=False
    )
    credit_code = forms.CharField(label=_("统一社会信用代码（法人或其他组织填写）"), max_length=18, required=False)
    legal_representative = forms.CharField(label=_("法定代表人（法人或其他组织填写）"), max_length=60, required=False)
    contact_person = forms.CharField(label=_("联系人（法人或其他组织填写）"), max_length=60, required=False)
    phone = forms.RegexField(
        label=_("联系电话"),
        regex=r"^[0-9\-+ ]{7,20}$",
        max_length=20,
        error_messages={"invalid": _("请填写有效的电话号码")},
        help_text=_("查询办理进度时需要输入电话号码后4位"),
    )
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    address = forms.CharField(label=_("通信地址"), max_length=200)
    postcode = forms.RegexField(
        label=_("邮政编码"), regex=r"^\d{6}$", required=False, error_messages={"invalid": _("邮政编码应为6位数字")}
    )
    description = forms.CharField(
        label=_("所需政府信息的名称、文号或者便于查询的其他特征性描述"),
        widget=forms.Textarea(attrs={"rows": 6}),
        min_length=DESCRIPTION_MIN,
        max_length=DESCRIPTION_MAX,
        help_text=_("请尽量写明文件名称、文号、时间范围等，内容不明确的将通知您补正（条例第二十九条、第三十条）"),
    )
    purpose = forms.CharField(
        label=_("用途（选填）"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500, required=False
    )
    preferred_format = forms.ChoiceField(label=_("信息载体形式"), choices=Format.choices)
    delivery = forms.ChoiceField(label=_("获取方式"), choices=Delivery.choices)
    attachments = MultipleFileField(
        label=_("附件（身份证明等，PDF/JPG/PNG）"), required=False, help_text=_("最多5个文件，每个不超过5MB")
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Organisation.objects.filter(is_active=True)
        self.fields["unit"].label_from_instance = lambda o: ("　" * max(0, o.depth - 2)) + o.name

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            services._validate_applicant(self.applicant_data())
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
            data = {"q": f"{a} 加 {b} 等于多少？", "a": str(a + b)}
            self.session[self.KEY] = data
        return data["q"]

    def verify(self, answer: str) -> bool:
        data = self.session.get(self.KEY)
        ok = bool(data) and (answer or "").strip() == data["a"]
        return ok

    def reset(self) -> None:
        self.session.pop(self.KEY, None)


class PublicRequestForm(ApplicantForm):
    human = forms.CharField(label=_("验证问题"), max_length=4)
    confirm = forms.BooleanField(label=_("我确认所填信息真实有效"), required=True)

    def __init__(self, *args, check: HumanCheck, **kwargs):
        super().__init__(*args, **kwargs)
        self.check = check
        self.fields["human"].label = f"验证问题：{check.question()}（请填写阿拉伯数字）"

    def clean_human(self):
        value = self.cleaned_data["human"]
        if not self.check.verify(value):
            raise ValidationError("验证问题回答不正确，请重新计算")
        return value


class StaffRegisterForm(ApplicantForm):
    channel = forms.ChoiceField(label=_("提交方式"), choices=[c for c in Channel.choices if c[0] != Channel.ONLINE])
    received_on = forms.DateField(
        label=_("收到申请日期"),
        widget=DateInput(),
        help_text=_("当面提交：提交之日；邮寄：签收之日；平信、传真、电子邮件：与申请人确认之日（条例第三十一条）"),
    )
    receipt_evidence = forms.CharField(
        label=_("收到日期依据"), max_length=200, required=False, help_text=_("如邮件单号、签收记录、电话确认时间")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].label = _("扫描件等附件（PDF/JPG/PNG）")


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("查询码"), max_length=30, help_text=_("提交申请后获得的查询码，如 YS-7KQ4-M9XD-2PHA")
    )
    phone_tail = forms.RegexField(
        label=_("联系电话后4位"), regex=r"^\d{4}$", max_length=4, error_messages={"invalid": _("请输入4位数字")}
    )


class AssignForm(forms.Form):
    handler = forms.ModelChoiceField(label=_("承办人"), queryset=User.objects.none())

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        if unit is not None:
            self.fields["handler"].queryset = User.objects.filter(memberships__unit=unit, is_active=True).distinct()


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("内部备注（申请人不可见）"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class CorrectionForm(forms.Form):
    items = forms.CharField(
        label=_("需补正的全部事项（一次性告知）"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    sent_on = forms.DateField(label=_("告知日期"), widget=DateInput())
    deadline = forms.DateField(label=_("补正期限（留空按默认工作日数计算）"), widget=DateInput(), required=False)
    letter = forms.BooleanField(label=_("同时生成《补正申请告知书》"), required=False, initial=True)


class CorrectedForm(forms.Form):
    corrected_on = forms.DateField(label=_("收到补正申请日期"), widget=DateInput())
    note = forms.CharField(label=_("说明"), required=False, max_length=500)


class ConsultForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=ConsultationKind.choices)
    recipient = forms.CharField(label=_("征求对象"), max_length=200)
    recipient_address = forms.CharField(label=_("送达地址"), max_length=200, required=False)
    question = forms.CharField(label=_("征求意见事项"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    sent_on = forms.DateField(label=_("发函日期"), widget=DateInput())
    letter = forms.BooleanField(label=_("同时生成《征求意见函》"), required=False, initial=True)


class ConsultAnswerForm(forms.Form):
    answered_on = forms.DateField(label=_("收到意见日期（逾期未答复的填期限届满次日）"), widget=DateInput())
    agrees = forms.TypedChoiceField(
        label=_("意见"),
        choices=[("", "未表态/逾期未答复"), ("1", "同意公开"), ("0", "不同意公开")],
        coerce=lambda v: v == "1",
        empty_value=None,
        required=False,
    )
    answer = forms.CharField(
        label=_("意见内容"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )


class TransferForm(forms.Form):
    to_unit = forms.ModelChoiceField(label=_("转交至"), queryset=Organisation.objects.filter(is_active=True))
    note = forms.CharField(label=_("转交说明"), max_length=500, required=False)


class ExtensionForm(forms.Form):
    days = forms.IntegerField(label=_("延长工作日"), min_value=1, max_value=deadlines.MAX_EXTENSION_DAYS, initial=20)
    reason = forms.CharField(label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500)


class ExtensionDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("审批意见"),
        choices=[("1", "同意延期"), ("0", "不同意")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("审批说明"), max_length=500, required=False)
    letter = forms.BooleanField(label=_("同意的，同时生成《延期答复告知书》"), required=False, initial=True)


class ReplyForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("答复类型"), choices=[("", "—")] + [c for c in Outcome.choices if c[0] != Outcome.OTHER_NO_CORRECTION]
    )
    reason = forms.CharField(
        label=_("答复内容/理由（不予公开的必须说明理由）"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
    )
    legal_basis = forms.CharField(label=_("法律依据（留空按答复类型自动填写）"), max_length=300, required=False)
    replied_on = forms.DateField(label=_("答复日期"), widget=DateInput())
    letter = forms.BooleanField(label=_("同时生成《政府信息公开申请答复书》"), required=False, initial=True)


class ReviewCaseForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=ReviewKind.choices)
    case_number = forms.CharField(label=_("案号"), max_length=80, required=False)
    authority = forms.CharField(label=_("复议机关/法院"), max_length=120, required=False)
    filed_on = forms.DateField(label=_("受理日期"), widget=DateInput())
    outcome = forms.ChoiceField(label=_("结果"), choices=ReviewOutcome.choices)
    decided_on = forms.DateField(label=_("审结日期"), widget=DateInput(), required=False)
    note = forms.CharField(label=_("备注"), max_length=500, required=False)
