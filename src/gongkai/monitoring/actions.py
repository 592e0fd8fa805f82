"""Staff actions of the monitoring app, once for the workbench and the API."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.core import permissions
from gongkai.core.actions import Action, ActionForm, ActionSet

from . import services
from .models import ColumnKind, oversees


class DismissForm(ActionForm):
    reason = forms.CharField(label=_("误报理由"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class ColumnConfirmForm(ActionForm):
    kind = forms.ChoiceField(label=_("栏目类型"), choices=ColumnKind.choices)
    name = forms.CharField(label=_("栏目名称"), max_length=60, required=False)
    item_selector = forms.CharField(label=_("条目选择器（CSS，可选）"), max_length=200, required=False)

    def __init__(self, *args, obj=None, user=None, **kwargs):
        super().__init__(*args, obj=obj, user=user, **kwargs)
        if obj is not None:
            self.fields["kind"].initial = obj.kind
            self.fields["name"].initial = obj.name
            self.fields["item_selector"].initial = obj.item_selector


class ColumnAddForm(ActionForm):
    name = forms.CharField(label=_("栏目名称"), max_length=60)
    kind = forms.ChoiceField(label=_("栏目类型"), choices=ColumnKind.choices)
    list_url = forms.URLField(label=_("列表页地址"), max_length=500, assume_scheme="https")
    item_selector = forms.CharField(label=_("条目选择器（CSS，可选）"), max_length=200, required=False)


class AllowForm(ActionForm):
    text = forms.CharField(label=_("允许的词语"), max_length=100)
    reason = forms.CharField(label=_("理由"), max_length=200, required=False)


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("原因"), max_length=300, required=False)


def _office(user, obj) -> bool:
    return oversees(obj, user)


FINDING_ACTIONS = ActionSet(
    "finding",
    [
        Action(
            "confirm",
            _("确认问题"),
            transition="confirm",
            style="primary",
            execute=lambda *, actor, obj, data: services.finding_confirm(actor=actor, finding=obj),
        ),
        Action(
            "dismiss",
            _("标记误报"),
            transition=None,
            allowed=lambda u, o: o.status in ("new", "confirmed") and _may_review(u, o),
            form_class=DismissForm,
            style="danger",
            execute=lambda *, actor, obj, data: services.finding_dismiss(actor=actor, finding=obj, **data),
        ),
    ],
)


def _may_review(user, finding) -> bool:
    from .models import may_review

    return may_review(finding, user)


SITE_ACTIONS = ActionSet(
    "site",
    [
        Action(
            "crawl",
            _("立即巡检"),
            allowed=_office,
            style="primary",
            execute=lambda *, actor, obj, data: services.crawl_sites([obj.pk], reason="manual", actor=actor) and obj,
        ),
        Action(
            "add-column",
            _("添加栏目"),
            allowed=_office,
            form_class=ColumnAddForm,
            execute=lambda *, actor, obj, data: services.column_add(actor=actor, site=obj, **data).site,
        ),
        Action(
            "allow-phrase",
            _("添加允许词语"),
            allowed=_office,
            form_class=AllowForm,
            execute=lambda *, actor, obj, data: services.phrase_allow(actor=actor, site=obj, **data).site,
        ),
        Action(
            "pause",
            _("暂停监测"),
            transition="pause",
            execute=lambda *, actor, obj, data: services.site_pause(actor=actor, site=obj),
        ),
        Action(
            "resume",
            _("恢复监测"),
            transition="resume",
            execute=lambda *, actor, obj, data: services.site_resume(actor=actor, site=obj),
        ),
        Action(
            "close",
            _("登记关停"),
            transition="close",
            style="danger",
            confirm=_("确认该网站已关停？"),
            execute=lambda *, actor, obj, data: services.site_close(actor=actor, site=obj),
        ),
    ],
)

COLUMN_ACTIONS = ActionSet(
    "column",
    [
        Action(
            "confirm",
            _("确认栏目"),
            transition="confirm",
            form_class=ColumnConfirmForm,
            style="primary",
            execute=lambda *, actor, obj, data: services.column_confirm(actor=actor, column=obj, **data),
        ),
        Action(
            "reject",
            _("排除"),
            transition="reject",
            execute=lambda *, actor, obj, data: services.column_reject(actor=actor, column=obj),
        ),
    ],
)

ACCOUNT_ACTIONS = ActionSet(
    "account",
    [
        Action(
            name,
            label,
            transition=name,
            form_class=ReasonForm,
            execute=lambda *, actor, obj, data, _n=name: services.account_change_status(
                actor=actor, account=obj, transition=_n, **data
            ),
        )
        for name, label in (("suspend", _("暂停更新")), ("reactivate", _("恢复运营")), ("close", _("登记关停")))
    ],
)

__all__ = ["ACCOUNT_ACTIONS", "COLUMN_ACTIONS", "FINDING_ACTIONS", "SITE_ACTIONS", "permissions"]
