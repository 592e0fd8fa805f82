"""Choices of the information-request models (states, channels, reply types, step kinds …)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Status(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    CORRECTION = "correction", _("待补正")
    IN_PROGRESS = "in_progress", _("办理中")
    CONSULTING = "consulting", _("征求意见中（暂停计时）")
    SIGNOFF = "signoff", _("答复待签发")
    REPLIED = "replied", _("已答复")
    WITHDRAWN = "withdrawn", _("已撤回/视为放弃")
    CLOSED = "closed", _("已办结归档")


OPEN_STATUSES = [Status.REGISTERED, Status.CORRECTION, Status.IN_PROGRESS, Status.CONSULTING, Status.SIGNOFF]


FINISHED_STATUSES = [Status.REPLIED, Status.WITHDRAWN, Status.CLOSED]


class Channel(models.TextChoices):
    """Receipt channels and their receipt-date rule (条例第三十一条)."""

    ONLINE = "online", _("网上申请")
    IN_PERSON = "in_person", _("当面提交")
    POST_SIGNED = "post_signed", _("邮寄（挂号/快递签收）")
    POST_ORDINARY = "post_ordinary", _("邮寄（平信）")
    FAX = "fax", _("传真")
    EMAIL = "email", _("电子邮件")


CHANNEL_RULES = {
    Channel.ONLINE: _("网上提交的，以双方确认之日为收到申请之日（第三十一条第三项）；本平台提交成功即确认。"),
    Channel.IN_PERSON: _("当面提交的，以提交之日为收到申请之日（第三十一条第一项）。"),
    Channel.POST_SIGNED: _("邮寄的，以行政机关签收之日为收到申请之日（第三十一条第二项）。"),
    Channel.POST_ORDINARY: _(
        "以平常信函等无需签收的方式邮寄的，以政府信息公开工作机构与申请人确认之日为收到申请之日（第三十一条第二项）。"
    ),
    Channel.FAX: _("通过行政机关公布的传真提交的，以双方确认之日为收到申请之日（第三十一条第三项）。"),
    Channel.EMAIL: _("通过电子邮箱提交的，以双方确认之日为收到申请之日（第三十一条第三项）。"),
}


class ApplicantType(models.TextChoices):
    PERSON = "person", _("公民（自然人）")
    ORGANISATION = "organisation", _("法人或其他组织")


class OrgType(models.TextChoices):
    """Columns of the annual report table 三 (国办公开办函〔2021〕30号)."""

    COMMERCIAL = "commercial", _("商业企业")
    RESEARCH = "research", _("科研机构")
    CHARITY = "charity", _("社会公益组织")
    LEGAL = "legal", _("法律服务机构")
    OTHER = "other", _("其他")


class IdType(models.TextChoices):
    RESIDENT = "resident", _("居民身份证")
    PASSPORT = "passport", _("护照")
    HK_MACAO = "hk_macao", _("港澳居民来往内地通行证")
    TAIWAN = "taiwan", _("台湾居民来往大陆通行证")
    OTHER = "other", _("其他有效身份证件")


class Format(models.TextChoices):
    PAPER = "paper", _("纸质")
    EMAIL = "email", _("电子邮件")
    DISC = "disc", _("光盘")
    USB = "usb", _("U盘等存储介质")


class Delivery(models.TextChoices):
    POST = "post", _("邮寄")
    EMAIL = "email", _("电子邮件")
    PICKUP = "pickup", _("自行领取")
    ONLINE = "online", _("网上获取（本平台查询页面）")


class Outcome(models.TextChoices):
    """Reply types (条例第三十六条), one per row of annual report table 三.

    已主动公开 is counted as 予以公开 in the annual report (national guidance
    for the 2021 format: 告知已主动公开的，计入“予以公开”).
    """

    PUBLIC_ALREADY = "public_already", _("予以公开：已主动公开（告知获取途径）")
    PUBLIC = "public", _("予以公开：同意公开")
    PARTIAL = "partial", _("部分公开")
    WITHHELD_SECRET = "withheld_secret", _("不予公开：属于国家秘密")
    WITHHELD_LAW = "withheld_law", _("不予公开：其他法律行政法规禁止公开")
    WITHHELD_SAFETY = "withheld_safety", _("不予公开：危及“三安全一稳定”")
    WITHHELD_THIRD_PARTY = "withheld_third_party", _("不予公开：保护第三方合法权益")
    WITHHELD_INTERNAL = "withheld_internal", _("不予公开：属于三类内部事务信息")
    WITHHELD_PROCESS = "withheld_process", _("不予公开：属于四类过程性信息")
    WITHHELD_CASE_FILE = "withheld_case_file", _("不予公开：属于行政执法案卷")
    WITHHELD_QUERY = "withheld_query", _("不予公开：属于行政查询事项")
    UNAVAILABLE_NOT_HELD = "unavailable_not_held", _("无法提供：本机关不掌握相关政府信息")
    UNAVAILABLE_NOT_READY = "unavailable_not_ready", _("无法提供：没有现成信息需要另行制作")
    UNAVAILABLE_UNCLEAR = "unavailable_unclear", _("无法提供：补正后申请内容仍不明确")
    NOT_HANDLED_PETITION = "not_handled_petition", _("不予处理：信访举报投诉类申请")
    NOT_HANDLED_REPEAT = "not_handled_repeat", _("不予处理：重复申请")
    NOT_HANDLED_PUBLICATION = "not_handled_publication", _("不予处理：要求提供公开出版物")
    NOT_HANDLED_EXCESSIVE = "not_handled_excessive", _("不予处理：无正当理由大量反复申请")
    NOT_HANDLED_CONFIRM = "not_handled_confirm", _("不予处理：要求行政机关确认或重新出具已获取信息")
    OTHER_NO_CORRECTION = "other_no_correction", _("其他处理：申请人无正当理由逾期不补正")
    OTHER_NO_FEE = "other_no_fee", _("其他处理：申请人逾期未按收费通知要求缴纳费用")
    OTHER = "other", _("其他处理：其他")


# Default legal basis for each reply type (editable in the reply form).
OUTCOME_BASIS = {
    Outcome.PUBLIC_ALREADY: "《中华人民共和国政府信息公开条例》第三十六条第（一）项",
    Outcome.PUBLIC: "《中华人民共和国政府信息公开条例》第三十六条第（二）项",
    Outcome.PARTIAL: "《中华人民共和国政府信息公开条例》第三十七条",
    Outcome.WITHHELD_SECRET: "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
    Outcome.WITHHELD_LAW: "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
    Outcome.WITHHELD_SAFETY: "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
    Outcome.WITHHELD_THIRD_PARTY: "《中华人民共和国政府信息公开条例》第十五条、第三十二条、第三十六条第（三）项",
    Outcome.WITHHELD_INTERNAL: "《中华人民共和国政府信息公开条例》第十六条第一款、第三十六条第（三）项",
    Outcome.WITHHELD_PROCESS: "《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项",
    Outcome.WITHHELD_CASE_FILE: "《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项",
    Outcome.WITHHELD_QUERY: "《中华人民共和国政府信息公开条例》第三十六条第（七）项",
    Outcome.UNAVAILABLE_NOT_HELD: "《中华人民共和国政府信息公开条例》第三十六条第（四）项、第（五）项",
    Outcome.UNAVAILABLE_NOT_READY: "《中华人民共和国政府信息公开条例》第三十八条",
    Outcome.UNAVAILABLE_UNCLEAR: "《中华人民共和国政府信息公开条例》第三十条",
    Outcome.NOT_HANDLED_PETITION: "《中华人民共和国政府信息公开条例》第三十九条第一款",
    Outcome.NOT_HANDLED_REPEAT: "《中华人民共和国政府信息公开条例》第三十六条第（六）项",
    Outcome.NOT_HANDLED_PUBLICATION: "《中华人民共和国政府信息公开条例》第三十九条第二款",
    Outcome.NOT_HANDLED_EXCESSIVE: "《中华人民共和国政府信息公开条例》第三十五条",
    Outcome.NOT_HANDLED_CONFIRM: "《中华人民共和国政府信息公开条例》第三十八条",
    Outcome.OTHER_NO_CORRECTION: "《中华人民共和国政府信息公开条例》第三十条",
    Outcome.OTHER_NO_FEE: "《中华人民共和国政府信息公开条例》第四十二条",
    Outcome.OTHER: "",
}

# The outcomes staff choose when replying; 逾期不补正 is set only by the system (correction lapsed).
REPLY_OUTCOME_CHOICES = [c for c in Outcome.choices if c[0] != Outcome.OTHER_NO_CORRECTION]

# Outcomes whose reply is a 不予公开 decision must state the exemption ground;
# 予以公开/部分公开 must say how the information is provided.
WITHHELD_OUTCOMES = {o for o in Outcome if o.value.startswith("withheld_")}


class StepKind(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("request step", "提交申请")
    REGISTERED = "registered", pgettext_lazy("request step", "登记受理")
    ASSIGNED = "assigned", pgettext_lazy("request step", "分配承办人")
    NOTE = "note", pgettext_lazy("request step", "内部备注")
    CORRECTION_REQUESTED = "correction_requested", pgettext_lazy("request step", "补正告知")
    CORRECTED = "corrected", pgettext_lazy("request step", "收到补正")
    DEEMED_WITHDRAWN = "deemed_withdrawn", pgettext_lazy("request step", "逾期未补正，视为放弃申请")
    WITHDRAWN = "withdrawn", pgettext_lazy("request step", "申请人撤回申请")
    CONSULTATION_SENT = "consultation_sent", pgettext_lazy("request step", "征求意见（暂停计时）")
    CONSULTATION_ANSWERED = "consultation_answered", pgettext_lazy("request step", "收到意见（恢复计时）")
    TRANSFERRED = "transferred", pgettext_lazy("request step", "转交办理")
    EXTENSION_REQUESTED = "extension_requested", pgettext_lazy("request step", "申请延期")
    EXTENSION_APPROVED = "extension_approved", pgettext_lazy("request step", "延期答复（经负责人同意）")
    EXTENSION_REJECTED = "extension_rejected", pgettext_lazy("request step", "延期申请未获同意")
    LETTER = "letter", pgettext_lazy("request step", "出具文书")
    REPLIED = "replied", pgettext_lazy("request step", "作出答复")
    CLOSED = "closed", pgettext_lazy("request step", "办结归档")
    DUE_RECOMPUTED = "due_recomputed", pgettext_lazy("request step", "答复期限重新计算")
    REPLY_SUBMITTED = "reply_submitted", pgettext_lazy("request step", "答复报签")
    REPLY_RETURNED = "reply_returned", pgettext_lazy("request step", "答复稿退回修改")
    REVIEW_CASE = "review_case", pgettext_lazy("request step", "复议诉讼")


class ConsultationKind(models.TextChoices):
    THIRD_PARTY = "third_party", _("征求第三方意见（第三十二条）")
    OTHER_BODY = "other_body", _("征求其他机关意见（第三十四条）")


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待负责人审批")
    APPROVED = "approved", _("已同意")
    REJECTED = "rejected", _("未同意")


class LetterKind(models.TextChoices):
    REPLY = "reply", _("政府信息公开申请答复书")
    CORRECTION = "correction", _("补正申请告知书")
    EXTENSION = "extension", _("延期答复告知书")
    CONSULTATION = "consultation", _("征求意见函")


class LetterState(models.TextChoices):
    PENDING = "pending", _("生成中")
    READY = "ready", _("已生成")
    FAILED = "failed", _("生成失败")


class DraftDecision(models.TextChoices):
    PENDING = "pending", _("待签发")
    APPROVED = "approved", _("已签发")
    RETURNED = "returned", _("已退回修改")


class ReviewKind(models.TextChoices):
    REVIEW = "review", _("行政复议")
    LITIGATION_DIRECT = "litigation_direct", _("行政诉讼（未经复议直接起诉）")
    LITIGATION_AFTER_REVIEW = "litigation_after_review", _("行政诉讼（复议后起诉）")


class ReviewOutcome(models.TextChoices):
    PENDING = "pending", _("尚未审结")
    UPHELD = "upheld", _("结果维持")
    CORRECTED = "corrected", _("结果纠正")
    OTHER = "other", _("其他结果")
