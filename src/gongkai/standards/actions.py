"""Staff actions on standard systems and standards (workbench and API)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongkai.core import permissions
from gongkai.core.actions import Action, ActionSet
from gongkai.core.models import Role

from . import services
from .forms import AdoptForm, AttachForm, NodeForm, RepealForm, StandardForm


def _may_edit_system(user, system) -> bool:
    return permissions.has_any_role(user, [Role.EDITOR, Role.REVIEWER], system.unit)


def _may_edit_standard(user, standard) -> bool:
    return _may_edit_system(user, standard.system)


def _add_standard(*, actor, obj, data):
    drafting = data.pop("drafting", False)
    services.standard_add(actor=actor, system=obj, data=data, drafting=drafting)
    return obj


def _attach(*, actor, obj, data):
    f = data["file"]
    return services.standard_attach(actor=actor, standard=obj, name=f.name, data=f.read())


SYSTEM_ACTIONS = ActionSet(
    "standard_system",
    [
        Action(
            "add-standard",
            _("纳入标准"),
            form_class=StandardForm,
            allowed=_may_edit_system,
            execute=_add_standard,
            style="primary",
        ),
        Action(
            "add-node",
            _("增加子体系"),
            form_class=NodeForm,
            allowed=_may_edit_system,
            execute=lambda *, actor, obj, data: services.node_add(actor=actor, system=obj, **data).system,
        ),
    ],
)

STANDARD_ACTIONS = ActionSet(
    "standard",
    [
        Action(
            "edit",
            _("修改"),
            form_class=StandardForm,
            allowed=_may_edit_standard,
            execute=lambda *, actor, obj, data: services.standard_update(actor=actor, standard=obj, data=data),
        ),
        Action(
            "adopt",
            _("发布实施"),
            transition="adopt",
            form_class=AdoptForm,
            style="primary",
            execute=lambda *, actor, obj, data: services.standard_adopt(actor=actor, standard=obj, **data),
        ),
        Action("attach", _("上传标准文本"), form_class=AttachForm, allowed=_may_edit_standard, execute=_attach),
        Action(
            "repeal",
            _("废止"),
            transition="repeal",
            form_class=RepealForm,
            style="danger",
            execute=lambda *, actor, obj, data: services.standard_repeal(actor=actor, standard=obj, **data),
        ),
    ],
)
