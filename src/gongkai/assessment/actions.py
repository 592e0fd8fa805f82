"""Staff actions of the assessment app, once for the workbench and the API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongkai.core import permissions
from gongkai.core.actions import Action, ActionSet
from gongkai.core.models import Role

from . import forms, services
from .models import AppealStatus, PeriodStatus, SetStatus


def _office_over(obj_unit):
    return lambda user, obj: permissions.oversees(user, obj_unit(obj))


def _is_office(user, obj) -> bool:
    return permissions.is_superuser(user) or permissions.units_with_role(user, Role.DISCLOSURE_OFFICE).exists()


SET_ACTIONS = ActionSet(
    "indicator-set",
    [
        Action(
            "publish",
            _("发布"),
            transition="publish",
            style="primary",
            execute=lambda *, actor, obj, data: services.indicator_set_publish(actor=actor, indicator_set=obj),
        ),
        Action(
            "new-version",
            _("新建版本"),
            allowed=lambda u, o: _is_office(u, o) and o.status != SetStatus.DRAFT,
            execute=lambda *, actor, obj, data: services.indicator_set_new_version(actor=actor, indicator_set=obj),
        ),
        Action(
            "retire",
            _("停用"),
            transition="retire",
            style="danger",
            execute=lambda *, actor, obj, data: services.indicator_set_retire(actor=actor, indicator_set=obj),
        ),
    ],
)

INDICATOR_ACTIONS = ActionSet(
    "indicator",
    [
        Action(
            "edit",
            _("修改分值"),
            form_class=forms.IndicatorForm,
            allowed=lambda u, o: _is_office(u, o) and o.indicator_set.status == SetStatus.DRAFT,
            execute=lambda *, actor, obj, data: services.indicator_update(actor=actor, indicator=obj, **data),
        ),
    ],
)

_period_office = _office_over(lambda p: p.root)


def _open(user, period) -> bool:
    return _period_office(user, period) and period.status in (PeriodStatus.OPEN, PeriodStatus.RANKED)


PERIOD_ACTIONS = ActionSet(
    "period",
    [
        Action(
            "refresh",
            _("取数"),
            allowed=_open,
            style="primary",
            execute=lambda *, actor, obj, data: services.period_refresh_inputs(actor=actor, period=obj),
        ),
        Action(
            "rank",
            _("计算得分与排名"),
            transition="rank",
            execute=lambda *, actor, obj, data: services.period_rank(actor=actor, period=obj),
        ),
        Action(
            "sample",
            _("随机抽样"),
            allowed=_period_office,
            form_class=forms.SampleForm,
            execute=lambda *, actor, obj, data: services.sample_draw(actor=actor, period=obj, **data) and obj,
        ),
        Action(
            "publish",
            _("公布结果"),
            transition="publish",
            confirm=_("公布后得分不能再修改，申诉期开始计算。确认公布？"),
            execute=lambda *, actor, obj, data: services.period_publish(actor=actor, period=obj),
        ),
        Action(
            "close",
            _("结束周期"),
            transition="close",
            execute=lambda *, actor, obj, data: services.period_close(actor=actor, period=obj),
        ),
    ],
)

ASSESSEE_ACTIONS = ActionSet(
    "assessee",
    [
        Action(
            "score",
            _("人工评分"),
            form_class=forms.ManualScoreForm,
            allowed=lambda u, o: _open(u, o.period),
            execute=lambda *, actor, obj, data: services.score_manual(actor=actor, assessee=obj, **data).assessee,
        ),
        Action(
            "appeal",
            _("提出申诉"),
            form_class=forms.AppealForm,
            allowed=lambda u, o: (
                o.period.status == PeriodStatus.PUBLISHED
                and permissions.has_any_role(u, [Role.EDITOR, Role.REVIEWER, Role.LEADER], o.unit)
            ),
            execute=lambda *, actor, obj, data: services.appeal_submit(actor=actor, assessee=obj, **data).assessee,
        ),
    ],
)

APPEAL_ACTIONS = ActionSet(
    "result-appeal",
    [
        Action(
            "uphold",
            _("申诉成立"),
            transition="uphold",
            form_class=forms.DecideForm,
            execute=lambda *, actor, obj, data: services.appeal_decide(actor=actor, appeal=obj, uphold=True, **data),
        ),
        Action(
            "reject",
            _("申诉不成立"),
            transition="reject",
            form_class=forms.DecideForm,
            execute=lambda *, actor, obj, data: services.appeal_decide(actor=actor, appeal=obj, uphold=False, **data),
        ),
    ],
)

BULLETIN_ACTIONS = ActionSet(
    "bulletin",
    [
        Action(
            "issue",
            _("印发通报"),
            transition="issue",
            style="primary",
            confirm=_("印发后将向被点名单位下发整改通知。确认印发？"),
            execute=lambda *, actor, obj, data: services.bulletin_issue(actor=actor, bulletin=obj),
        ),
    ],
)


def _respond(*, actor, obj, data):
    files = [data["evidence"]] if data.get("evidence") else []
    return services.rectification_respond(actor=actor, rectification=obj, response=data["response"], files=files)


RECTIFICATION_ACTIONS = ActionSet(
    "rectification",
    [
        Action(
            "respond",
            _("反馈整改情况"),
            transition=None,
            form_class=forms.RespondForm,
            style="primary",
            allowed=lambda u, o: (
                o.status == "notified"
                and permissions.has_any_role(u, [Role.EDITOR, Role.REVIEWER, Role.LEADER], o.unit)
            ),
            execute=_respond,
        ),
        Action(
            "recheck",
            _("复查"),
            transition="recheck",
            style="primary",
            execute=lambda *, actor, obj, data: services.rectification_recheck(actor=actor, rectification=obj),
        ),
        Action(
            "pass",
            _("复查通过，销号"),
            transition="close",
            form_class=forms.NoteForm,
            execute=lambda *, actor, obj, data: services.rectification_pass(actor=actor, rectification=obj, **data),
        ),
        Action(
            "fail",
            _("复查未通过"),
            transition="escalate",
            form_class=forms.NoteForm,
            style="danger",
            allowed=lambda u, o: o.status == "rechecking",
            execute=lambda *, actor, obj, data: services.rectification_fail(actor=actor, rectification=obj, **data),
        ),
        Action(
            "interview",
            _("记录约谈"),
            form_class=forms.InterviewForm,
            allowed=_office_over(lambda r: r.unit),
            execute=lambda *, actor, obj, data: (
                services.interview_record(actor=actor, unit=obj.unit, rectification=obj, **data).rectification
            ),
        ),
    ],
)

__all__ = [
    "APPEAL_ACTIONS",
    "ASSESSEE_ACTIONS",
    "BULLETIN_ACTIONS",
    "INDICATOR_ACTIONS",
    "PERIOD_ACTIONS",
    "RECTIFICATION_ACTIONS",
    "SET_ACTIONS",
    "AppealStatus",
]
