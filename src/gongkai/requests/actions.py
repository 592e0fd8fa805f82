"""Every staff action on an information request, once, for the workbench and the API.

The workbench serves them at ``/workbench/requests/<id>/act/<name>/`` (core ``action_view``),
the API at ``POST /api/v1/staff/requests/<id>/<name>/`` (core ``add_api_actions``); both run
:func:`gongkai.core.actions.perform`, so the checks are the same: the FSM transition the action
runs (state, conditions and permission declared on the model) and/or an ``allowed`` check.
Each ``execute`` calls exactly one service (one transaction; letters render after commit).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongkai.core.actions import Action, ActionSet

from . import access, forms, services
from .forms import OPINIONS


def _fresh(obj):
    """The request as the service left it (for the API's response)."""
    return type(obj).objects.select_related("unit", "handler").get(pk=obj.pk)


def _assign(*, actor, obj, data):
    return services.request_assign(actor=actor, req=obj, handler=data["handler"])


def _note(*, actor, obj, data):
    services.request_add_note(actor=actor, req=obj, note=data["note"])
    return _fresh(obj)


def _correction(*, actor, obj, data):
    return services.request_correction_notice(
        actor=actor,
        req=obj,
        items=data["items"],
        sent_on=data.get("sent_on"),
        deadline=data.get("deadline"),
        letter=data.get("letter", False),
    )


def _corrected(*, actor, obj, data):
    return services.request_receive_correction(
        actor=actor, req=obj, corrected_on=data.get("corrected_on") or services.today(), note=data.get("note", "")
    )


def _withdraw(*, actor, obj, data):
    return services.request_withdraw(actor=actor, req=obj, on=data.get("on"), note=data.get("note", ""))


def _consult(*, actor, obj, data):
    services.consultation_send(
        actor=actor,
        req=obj,
        kind=data["kind"],
        recipient=data["recipient"],
        question=data["question"],
        sent_on=data.get("sent_on"),
        recipient_address=data.get("recipient_address", ""),
        letter=data.get("letter", False),
    )
    return _fresh(obj)


def _answer(*, actor, obj, data):
    services.consultation_answer(
        actor=actor,
        consultation=data["consultation"],
        answered_on=data.get("answered_on") or services.today(),
        answer=data.get("answer", ""),
        agrees=OPINIONS.get(data.get("opinion") or ""),
    )
    return _fresh(obj)


def _transfer(*, actor, obj, data):
    return services.request_transfer(actor=actor, req=obj, to_unit=data["to_unit"], note=data.get("note", ""))


def _extension(*, actor, obj, data):
    services.extension_request(actor=actor, req=obj, days=data["days"], reason=data["reason"])
    return _fresh(obj)


def _extension_decide(*, actor, obj, data):
    services.extension_decide(
        actor=actor,
        req=obj,
        approve=data["decision"] == "approve",
        note=data.get("note", ""),
        on=data.get("on"),
        letter=data.get("letter", False),
    )
    return _fresh(obj)


def _reply(*, actor, obj, data):
    return services.request_reply(
        actor=actor,
        req=obj,
        outcome=data["outcome"],
        reason=data.get("reason", ""),
        legal_basis=data.get("legal_basis", ""),
        replied_on=data.get("replied_on"),
        letter=data.get("letter", False),
    )


def _submit_reply(*, actor, obj, data):
    services.reply_submit(
        actor=actor,
        req=obj,
        outcome=data["outcome"],
        reason=data.get("reason", ""),
        legal_basis=data.get("legal_basis", ""),
        letter=data.get("letter", False),
    )
    return _fresh(obj)


def _letter(*, actor, obj, data):
    services.letter_issue(actor=actor, req=obj, kind=data["kind"], consultation=data.get("consultation"))
    return _fresh(obj)


def _case(*, actor, obj, data):
    services.review_case_record(actor=actor, req=obj, **data)
    return _fresh(obj)


def _case_update(*, actor, obj, data):
    services.review_case_update(
        actor=actor, case=data["case"], outcome=data["outcome"], decided_on=data.get("decided_on"), note=data["note"]
    )
    return _fresh(obj)


REQUEST_ACTIONS = ActionSet(
    "request",
    [
        Action("assign", _("分配承办人"), transition="assign", form_class=forms.AssignForm, execute=_assign),
        Action(
            "correction",
            _("补正告知"),
            transition="request_correction",
            form_class=forms.CorrectionForm,
            execute=_correction,
            description=_("一次性告知需补正的全部事项，应在收到申请后7个工作日内发出（条例第三十条）"),
        ),
        Action(
            "corrected",
            _("登记收到补正"),
            transition="receive_correction",
            form_class=forms.CorrectedForm,
            style="primary",
            execute=_corrected,
            description=_("答复期限自收到补正申请之日起重新计算（条例第三十条）"),
        ),
        Action(
            "deem_withdrawn",
            _("视为放弃申请"),
            transition="deem_withdrawn",
            style="danger",
            confirm=_("申请人逾期未补正，确认按视为放弃申请办结？"),
            execute=lambda *, actor, obj, data: services.request_deem_withdrawn(actor=actor, req=obj),
            description=_("补正期限届满未补正的，视为放弃申请（条例第三十条）"),
        ),
        Action(
            "consult",
            _("征求意见"),
            transition="pause_for_consultation",
            form_class=forms.ConsultForm,
            execute=_consult,
            description=_("征求第三方（第三十二条）或其他机关（第三十四条）意见，期间暂停计算答复期限"),
        ),
        Action(
            "answer",
            _("登记征求意见结果"),
            transition="resume",
            form_class=forms.AnswerForm,
            style="primary",
            execute=_answer,
            description=_("登记对方意见或逾期未答复，恢复计算答复期限"),
        ),
        Action(
            "extension",
            _("申请延期"),
            transition="request_extension",
            form_class=forms.ExtensionForm,
            execute=_extension,
            description=_("报单位负责人审批，只能延长一次，最长20个工作日（条例第三十三条）"),
        ),
        Action(
            "extension_decide",
            _("审批延期"),
            transition="decide_extension",
            form_class=forms.ExtensionDecisionForm,
            style="primary",
            execute=_extension_decide,
        ),
        Action(
            "reply",
            _("作出答复"),
            transition="reply",
            form_class=forms.ReplyForm,
            style="primary",
            execute=_reply,
            description=_("答复类型、理由和法律依据（条例第三十六条），同时出具答复书"),
        ),
        Action(
            "submit_reply",
            _("答复报签"),
            transition="submit_reply",
            form_class=forms.SubmitReplyForm,
            style="primary",
            execute=_submit_reply,
            description=_("本单位的答复须经审核人或负责人签发，签发后出具答复书"),
        ),
        Action(
            "approve_reply",
            _("签发答复"),
            transition="approve_reply",
            form_class=forms.ApproveReplyForm,
            style="primary",
            execute=lambda *, actor, obj, data: services.reply_approve(actor=actor, req=obj, note=data.get("note", "")),
        ),
        Action(
            "return_reply",
            _("退回修改"),
            transition="return_reply",
            form_class=forms.ReturnReplyForm,
            execute=lambda *, actor, obj, data: services.reply_return(actor=actor, req=obj, note=data["note"]),
        ),
        Action(
            "transfer",
            _("转交其他机关"),
            transition="transfer",
            form_class=forms.TransferForm,
            execute=_transfer,
            description=_("所需信息由平台上的其他机关掌握的，转交其办理；收到申请日期不变"),
        ),
        Action(
            "withdraw",
            _("申请人撤回"),
            transition="withdraw",
            form_class=forms.WithdrawForm,
            style="danger",
            execute=_withdraw,
        ),
        Action(
            "close",
            _("办结归档"),
            transition="close",
            execute=lambda *, actor, obj, data: services.request_close(actor=actor, req=obj),
        ),
        Action(
            "note",
            _("内部备注"),
            allowed=lambda user, obj: access.can_handle(obj, user),
            form_class=forms.NoteForm,
            execute=_note,
        ),
        Action(
            "letter",
            _("出具文书"),
            allowed=lambda user, obj: (
                access.can_handle(obj, user) and (bool(services.issuable_kinds(obj)) or obj.consultations.exists())
            ),
            form_class=forms.LetterForm,
            execute=_letter,
            description=_("重新出具或补出答复书、告知书、征求意见函"),
        ),
        Action(
            "case",
            _("登记复议/诉讼"),
            transition="record_review_case",
            form_class=forms.CaseForm,
            execute=_case,
        ),
        Action(
            "case_update",
            _("登记复议/诉讼结果"),
            transition="decide_review_case",
            form_class=forms.CaseUpdateForm,
            execute=_case_update,
        ),
    ],
)
