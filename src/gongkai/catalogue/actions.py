"""The catalogue's staff actions, once for the workbench and the API (gongkai.core.actions).

* :data:`VERSION_ACTIONS` on a catalogue version: ``publish`` and ``accept-incomplete`` run the
  version's guarded transitions (the owning office; a draft with items; incomplete items
  completed or accepted);
* :data:`CATALOGUE_ACTIONS` on a standard catalogue: start a revision, discard the draft,
  derive the units' lists again, limit the units it applies to;
* :data:`UNIT_ITEM_ACTIONS` on an item of a unit's list: drop (not for mandatory standard
  items) and restore.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.core import permissions
from gongkai.core.actions import Action, ActionForm, ActionSet
from gongkai.core.models import Organisation, Role

from . import services
from .models import Catalogue, UnitItem


def may_keep(user, catalogue: Catalogue) -> bool:
    return permissions.has_any_role(user, [Role.DISCLOSURE_OFFICE], catalogue.owner)


def may_edit_list(user, item: UnitItem) -> bool:
    return permissions.has_any_role(user, services.UNIT_LIST_ROLES, item.unit)


# --- versions ------------------------------------------------------------------------------


class PublishForm(ActionForm):
    note = forms.CharField(label=_("版本说明"), required=False, max_length=200)


class AcceptIncompleteForm(ActionForm):
    note = forms.CharField(
        label=_("接受理由"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("说明为何这些事项按现状发布（例如：上级标准目录原文即未勾选公开层级）；理由记入审计日志"),
    )


def _publish(*, actor, obj, data):
    return services.version_publish(actor=actor, version=obj, **data)["version"]


VERSION_ACTIONS = ActionSet(
    "catalogue_version",
    [
        Action(
            "accept-incomplete",
            _("确认接受不完整事项"),
            transition="accept_incomplete",
            form_class=AcceptIncompleteForm,
            execute=lambda *, actor, obj, data: services.version_accept_incomplete(actor=actor, version=obj, **data),
            description=_("政务公开办确认草稿中要素不完整的事项按现状发布（记录理由）"),
            success=_("已确认接受不完整事项，草稿可以发布"),
        ),
        Action(
            "publish",
            _("发布并派生到各单位"),
            transition="publish",
            form_class=PublishForm,
            style="primary",
            execute=_publish,
            description=_("发布草稿（发布后不能修改），并更新各适用单位的公开目录"),
            success=_("已发布，各单位公开目录已更新"),
        ),
    ],
)


# --- catalogues ----------------------------------------------------------------------------


class NewVersionForm(ActionForm):
    note = forms.CharField(label=_("修订说明"), required=False, max_length=200)


class TargetsForm(ActionForm):
    units = forms.ModelMultipleChoiceField(
        label=_("适用单位"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不勾选任何单位：派生到编制单位下属所有该类型、该层级的单位"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None:
            self.fields["units"].queryset = (
                self.obj.owner.descendants(include_self=True)
                .filter(kind=self.obj.target_kind, level=self.obj.target_level, is_active=True)
                .order_by("path")
            )
            self.fields["units"].initial = list(self.obj.target_units.values_list("pk", flat=True))


def _no_draft(catalogue: Catalogue):
    return _("该目录已有未发布的草稿版本") if catalogue.current_draft() else None


def _discardable(catalogue: Catalogue):
    draft = catalogue.current_draft()
    return _("该目录没有草稿") if draft is None else services.discard_refusal(draft)


def _published(catalogue: Catalogue):
    return None if catalogue.latest_published() else _("该目录尚未发布")


def _new_version(*, actor, obj, data):
    services.version_start_draft(actor=actor, catalogue=obj, **data)
    return obj


def _discard(*, actor, obj, data):
    return services.version_discard(actor=actor, version=obj.current_draft())


def _rederive(*, actor, obj, data):
    services.catalogue_rederive(actor=actor, catalogue=obj)
    return obj


CATALOGUE_ACTIONS = ActionSet(
    "catalogue",
    [
        Action(
            "new-version",
            _("新建修订版本"),
            allowed=may_keep,
            precondition=_no_draft,
            form_class=NewVersionForm,
            style="primary",
            execute=_new_version,
            description=_("复制现行版本的全部事项为新的草稿"),
            success=_("已新建修订草稿（复制自最新发布版本）"),
        ),
        Action(
            "discard-draft",
            _("删除草稿"),
            allowed=may_keep,
            precondition=_discardable,
            style="danger",
            confirm=_("确定删除该草稿及其全部事项？"),
            execute=_discard,
            success=_("已删除草稿"),
        ),
        Action(
            "rederive",
            _("重新派生单位目录"),
            allowed=may_keep,
            precondition=_published,
            execute=_rederive,
            description=_("按现行版本为新增或恢复的单位生成公开目录，并使已有目录与现行版本一致"),
            success=_("已重新派生各单位公开目录"),
        ),
        Action(
            "targets",
            _("限定适用单位"),
            allowed=may_keep,
            form_class=TargetsForm,
            execute=lambda *, actor, obj, data: services.catalogue_set_target_units(
                actor=actor, catalogue=obj, units=data.get("units") or []
            ),
            description=_("只派生到所选单位（如领域牵头部门）；发布新版本或重新派生后生效"),
            success=_("已保存适用单位；发布新版本或“重新派生”后生效"),
        ),
    ],
)


# --- unit lists ----------------------------------------------------------------------------


class DropForm(ActionForm):
    reason = forms.CharField(label=_("删除原因"), required=False, max_length=200, help_text=_("如：本单位不涉及"))


UNIT_ITEM_ACTIONS = ActionSet(
    "unit_item",
    [
        Action(
            "drop",
            _("从本单位目录删除"),
            allowed=may_edit_list,
            precondition=services.drop_refusal,
            form_class=DropForm,
            style="danger",
            execute=lambda *, actor, obj, data: services.unit_item_drop(actor=actor, item=obj, **data),
            description=_("停用本单位目录中的非必选事项或自增事项（已关联的公开信息保留）"),
        ),
        Action(
            "restore",
            _("恢复"),
            allowed=may_edit_list,
            precondition=services.restore_refusal,
            execute=lambda *, actor, obj, data: services.unit_item_restore(actor=actor, item=obj),
        ),
    ],
)
