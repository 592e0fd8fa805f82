"""The staff actions on a publication, once for the workbench and the API (gongkai.core.actions).

Each action runs one transition of :class:`~gongkai.publications.models.Publication` (its
``permission=`` and ``conditions=`` decide who sees the button or API link and why it is
refused) through one service. The workbench mounts them at ``<pk>/act/<name>/``, the API at
``POST /api/v1/staff/publications/{id}/<name>/``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongkai.core.actions import Action, ActionSet

from . import forms, services


def _service(fn, **rename):
    def execute(*, actor, obj, data):
        data = {rename.get(k, k): v for k, v in data.items()}
        return fn(actor=actor, publication=obj, **data)

    return execute


def _legal_link(*, actor, obj, data):
    services.legal_link_add(actor=actor, target=obj, **data)
    return obj


PUBLICATION_ACTIONS = ActionSet(
    "publication",
    [
        Action(
            "submit",
            _("提交审核"),
            transition="submit",
            form_class=forms.SubmitForm,
            style="primary",
            execute=_service(services.publication_submit),
            description=_("草稿送公开属性审查（标题、成文日期、正文或附件等须已填写）"),
            success=_("已提交公开属性审查"),
        ),
        Action(
            "review-attribute",
            _("公开属性审查通过"),
            transition="approve_attribute",
            form_class=forms.CommentForm,
            style="primary",
            execute=_service(services.publication_approve_attribute),
            description=_("确认主动公开，转下一审核环节；本环节为最后环节时即发布"),
            success=_("公开属性审查已完成"),
        ),
        Action(
            "retain",
            _("不予主动公开（存档）"),
            transition="retain",
            form_class=forms.RetainForm,
            execute=_service(services.publication_retain),
            description=_("依申请公开或不予公开：须选择法律依据（政府信息公开条例第十四条至第十六条）并说明理由"),
            success=_("已存档，不予主动公开"),
        ),
        Action(
            "waive-interpretation",
            _("登记不同步解读的理由"),
            transition="waive_interpretation",
            form_class=forms.WaiverForm,
            execute=_service(services.publication_waive_interpretation),
            description=_("需要解读的政策文件确有理由先于解读发布时，由审核人登记理由"),
            success=_("已登记不同步解读的理由"),
        ),
        Action(
            "review-confidentiality",
            _("保密审查通过"),
            transition="approve_confidentiality",
            form_class=forms.CommentForm,
            style="primary",
            execute=_service(services.publication_review_confidentiality),
            success=_("保密审查已通过"),
        ),
        Action(
            "sign-off",
            _("签发并发布"),
            transition="sign_off",
            form_class=forms.CommentForm,
            style="primary",
            execute=_service(services.publication_sign_off),
            success=_("已签发并发布"),
        ),
        Action(
            "reject",
            _("退回修改"),
            transition="reject",
            form_class=forms.RejectForm,
            style="danger",
            execute=_service(services.publication_reject),
            success=_("已退回起草人修改"),
        ),
        Action(
            "reopen",
            _("恢复为草稿"),
            transition="reopen",
            form_class=forms.CommentForm,
            execute=_service(services.publication_reopen),
            success=_("已恢复为草稿"),
        ),
        Action(
            "withdraw",
            _("撤回"),
            transition="withdraw",
            form_class=forms.WithdrawForm,
            style="danger",
            confirm=_("撤回后网站将显示撤回说明，确定撤回？"),
            execute=_service(services.publication_withdraw),
            success=_("信息已撤回，网站页面将显示撤回说明"),
        ),
        Action(
            "legal-link",
            _("登记废止或修改"),
            transition="record_legal_link",
            form_class=forms.LegalLinkForm,
            execute=_legal_link,
            description=_("登记规章、规范性文件自某日起废止或修改；效力状态在该日自动变化"),
            success=_("已登记，文件效力状态将在生效日期自动更新"),
        ),
        Action(
            "link-unit-item",
            _("关联目录事项"),
            transition="link_unit_item",
            form_class=forms.UnitItemLinkForm,
            execute=_service(services.publication_link_unit_item),
            description=_("本信息对应的标准目录事项；应公开日期按该事项的公开时限重新计算"),
            success=_("已更新关联的目录事项，应公开日期已重新计算"),
        ),
    ],
)
