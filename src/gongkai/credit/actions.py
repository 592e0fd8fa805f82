"""Staff actions on licences and penalties, served by the workbench and the API alike."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongkai.core.actions import Action, ActionSet

from . import services
from .forms import LicenceForm, PenaltyForm, RepairForm, WithdrawForm
from .models import State, may_edit


def _editable(user, obj) -> bool:
    return obj.state == State.DRAFT and may_edit(obj, user)


def _edit(*, actor, obj, data):
    return services.record_update(actor=actor, record=obj, data=data)


def _publish(*, actor, obj, data):
    return services.record_publish(actor=actor, record=obj)


def _withdraw(*, actor, obj, data):
    return services.record_withdraw(actor=actor, record=obj, **data)


def _repair(*, actor, obj, data):
    return services.penalty_repair(actor=actor, penalty=obj, **data)


PUBLISH = Action(
    "publish",
    _("公示"),
    transition="publish",
    style="primary",
    execute=_publish,
    description=_("在门户网站公示（作出决定之日起7个工作日内）"),
)
WITHDRAW = Action(
    "withdraw",
    _("撤回公示"),
    transition="withdraw",
    form_class=WithdrawForm,
    style="danger",
    execute=_withdraw,
    confirm=_("撤回后该记录将从门户网站下线，确定吗？"),
    description=_(
        "行政处罚决定被依法变更、撤销、确认违法或确认无效的，在三个工作日内撤回并公开说明理由（《行政处罚法》第四十八条）"
    ),
)

LICENCE_ACTIONS = ActionSet(
    "licence",
    [
        PUBLISH,
        Action("edit", _("修改"), form_class=LicenceForm, allowed=_editable, execute=_edit),
        WITHDRAW,
    ],
)

PENALTY_ACTIONS = ActionSet(
    "penalty",
    [
        PUBLISH,
        Action("edit", _("修改"), form_class=PenaltyForm, allowed=_editable, execute=_edit),
        Action(
            "repair",
            _("信用修复"),
            transition="repair",
            form_class=RepairForm,
            execute=_repair,
            description=_("受理信用修复申请：达到最短公示期限后，提前停止公示"),
        ),
        WITHDRAW,
    ],
)

ACTIONS = {"licence": LICENCE_ACTIONS, "penalty": PENALTY_ACTIONS}
