"""Every staff action of the interaction app, declared once for the workbench and the API.

The workbench serves them at ``/workbench/interaction/<kind>/<pk>/act/<name>/`` through
:func:`gongkai.core.actions.action_view`, the API at ``POST /api/v1/interaction/<kind>/{id}/<name>/``
through :func:`gongkai.core.actions.add_api_actions`; both run :func:`gongkai.core.actions.perform`,
so the same checks and the same input validation apply on both faces. Who may run an action and
when is declared on the model's transition (``permission=``, ``conditions=``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongkai.core.actions import Action, ActionSet

from . import forms, services


def _call(service, obj_arg: str):
    """``execute`` for an action: one service, called with the actor, the object and the validated input."""

    def execute(*, actor, obj, data):
        return service(actor=actor, **{obj_arg: obj}, **data)

    return execute


def _appeal(service):
    return _call(service, "appeal")


def _promote(*, actor, obj, data):
    return services.faq_promote_from_appeal(actor=actor, appeal=obj).source_appeal


APPEAL_ACTIONS = ActionSet(
    "appeal",
    [
        Action("accept", _("受理"), _appeal(services.appeal_accept), transition="accept", style="primary"),
        Action(
            "reject",
            _("不予受理"),
            _appeal(services.appeal_reject),
            form_class=forms.RejectForm,
            transition="reject",
            style="danger",
        ),
        Action(
            "assign",
            _("分拨"),
            _appeal(services.appeal_assign),
            form_class=forms.AssignForm,
            transition="assign",
            style="primary",
            description=_("分拨给主办单位，可同时指定协办单位（联合办理）"),
        ),
        Action(
            "reassign",
            _("改派 / 联合办理"),
            _appeal(services.appeal_assign),
            form_class=forms.AssignForm,
            transition="reassign",
            description=_("改派主办单位或调整协办单位"),
        ),
        Action("start", _("开始处置"), _appeal(services.appeal_start), transition="start"),
        Action(
            "answer",
            _("答复"),
            _appeal(services.appeal_answer),
            form_class=forms.AnswerForm,
            transition="respond",
            style="primary",
            description=_("答复留言人（尚未开始处置的，同时开始处置）"),
        ),
        Action(
            "send-back",
            _("退回（不属于本单位职责）"),
            _appeal(services.appeal_send_back),
            form_class=forms.SendBackForm,
            transition="send_back",
            style="danger",
        ),
        Action("note", _("会办意见"), _appeal(services.appeal_note), form_class=forms.NoteForm, transition="note"),
        Action("close", _("办结"), _appeal(services.appeal_close), transition="close"),
        Action(
            "publish",
            _("在门户公开"),
            _appeal(services.appeal_publish),
            form_class=forms.PublishForm,
            transition="publish",
            description=_("公开遮盖个人信息后的留言和答复（须留言人同意公开）"),
        ),
        Action(
            "unpublish",
            _("撤回公开"),
            _appeal(services.appeal_unpublish),
            transition="unpublish",
            style="danger",
            confirm=_("撤回后门户不再显示该留言，确定吗？"),
        ),
        Action(
            "promote",
            _("一键收入常见问题库"),
            _promote,
            transition="promote",
            description=_("将答复（已去除个人信息）收入常见问题库"),
            success=_("已收入常见问题库，可在常见问题库中继续编辑"),
        ),
    ],
)


def _faq(service):
    return _call(service, "entry")


FAQ_ACTIONS = ActionSet(
    "faq",
    [
        Action(
            "review",
            _("确认复核"),
            _faq(services.faq_mark_reviewed),
            form_class=forms.ReviewForm,
            transition="review",
            description=_("答复经核对仍然正确，下次复核日期顺延"),
        ),
        Action(
            "withdraw",
            _("撤回"),
            _faq(services.faq_withdraw),
            transition="withdraw",
            style="danger",
            confirm=_("撤回后门户不再显示该问题，确定吗？"),
        ),
        Action("restore", _("重新发布"), _faq(services.faq_restore), transition="restore"),
    ],
)


def _consultation(service):
    return _call(service, "consultation")


def _attach(*, actor, obj, data):
    return services.consultation_add_attachment(
        actor=actor, consultation=obj, title=data.get("title", ""), upload=data["upload"]
    ).consultation


CONSULTATION_ACTIONS = ActionSet(
    "consultation",
    [
        Action(
            "open",
            _("发布并开始征集"),
            _consultation(services.consultation_open),
            transition="open",
            style="primary",
            description=_("发布征求意见稿，征集期不少于法定最短期限（或已说明理由）"),
        ),
        Action(
            "attach",
            _("上传附件"),
            _attach,
            form_class=forms.AttachmentForm,
            transition="edit",
            success=_("附件已上传"),
        ),
        Action(
            "close",
            _("结束征集"),
            _consultation(services.consultation_close),
            transition="close",
            confirm=_("结束后不再接受意见，确定吗？"),
        ),
        Action(
            "report",
            _("发布反馈报告"),
            _consultation(services.consultation_report),
            form_class=forms.ReportForm,
            transition="report",
            style="primary",
            description=_("公布意见采纳情况（每条通过的意见须标明采纳情况）"),
        ),
    ],
)


def _comment(service):
    return _call(service, "comment")


COMMENT_ACTIONS = ActionSet(
    "comment",
    [
        Action(
            "approve",
            _("通过"),
            _comment(services.comment_approve),
            transition="approve",
            style="primary",
            success=_("已通过，意见将在门户显示（个人信息已遮盖）"),
        ),
        Action(
            "reject",
            _("不通过"),
            _comment(services.comment_reject),
            form_class=forms.CommentRejectForm,
            transition="reject",
            style="danger",
            success=_("已标记为未通过（意见保留在记录中）"),
        ),
        Action(
            "adoption",
            _("采纳情况"),
            _comment(services.comment_set_adoption),
            form_class=forms.AdoptionForm,
            transition="adopt",
            success=_("已保存采纳情况"),
        ),
    ],
)
