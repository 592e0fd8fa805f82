"""Staff actions on visitors' search terms (workbench; one declaration, core.actions)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.core import permissions
from gongkai.core.actions import Action, ActionForm, ActionSet
from gongkai.core.models import Role

from . import services


def may_manage_terms(user) -> bool:
    return permissions.is_configuration_admin(user) or Role.DISCLOSURE_OFFICE in permissions.roles_of(user)


class HideTermForm(ActionForm):
    reason = forms.CharField(
        label=_("隐藏理由"),
        max_length=200,
        required=False,
        help_text=_("例如：含个人信息、不文明用语、与政务无关"),
    )


SEARCH_TERM_ACTIONS = ActionSet(
    "search_term",
    [
        Action(
            "hide",
            _("隐藏"),
            form_class=HideTermForm,
            allowed=lambda user, term: may_manage_terms(user) and term.hidden_at is None,
            style="danger",
            description=_("不再在热门检索、检索提示和统计中显示该检索词"),
            execute=lambda *, actor, obj, data: services.search_term_hide(actor=actor, term=obj, **data),
        ),
        Action(
            "show",
            _("恢复显示"),
            allowed=lambda user, term: may_manage_terms(user) and term.hidden_at is not None,
            execute=lambda *, actor, obj, data: services.search_term_show(actor=actor, term=obj),
        ),
    ],
)
