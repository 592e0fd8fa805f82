"""Staff actions on guides, served by both the workbench and the API (gongkai.core.actions)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongkai.core import permissions
from gongkai.core.actions import Action, ActionSet
from gongkai.core.models import Role

from . import services
from .forms import ReasonForm, WordingForm
from .models import VersionState

VERSION_ACTIONS = ActionSet(
    "guide_version",
    [
        Action(
            "submit",
            _("提交审核"),
            transition="submit",
            style="primary",
            execute=lambda *, actor, obj, data: services.guide_version_submit(actor=actor, version=obj),
        ),
        Action(
            "publish",
            _("审核通过并发布"),
            transition="publish",
            style="primary",
            description=_("发布需要全部必填要素；发布后替代该指南此前发布的版本"),
            execute=lambda *, actor, obj, data: services.guide_version_publish(actor=actor, version=obj),
        ),
        Action(
            "send_back",
            _("退回修改"),
            transition="send_back",
            form_class=ReasonForm,
            execute=lambda *, actor, obj, data: services.guide_version_send_back(
                actor=actor, version=obj, reason=data["reason"]
            ),
        ),
        Action(
            "retire",
            _("停用"),
            transition="retire",
            form_class=ReasonForm,
            style="danger",
            confirm=_("停用后该指南不再对外公开，确定吗？"),
            execute=lambda *, actor, obj, data: services.guide_version_retire(
                actor=actor, version=obj, reason=data["reason"]
            ),
        ),
    ],
)


def _may_edit(user, guide) -> bool:
    return permissions.has_role(user, Role.EDITOR, guide.unit)


def _may_word(user, guide) -> bool:
    return permissions.has_any_role(user, [Role.EDITOR, Role.REVIEWER, Role.LEADER], guide.unit)


def _may_start_version(user, guide) -> bool:
    latest = guide.latest
    return _may_edit(user, guide) and (latest is None or latest.state in (VersionState.PUBLISHED, VersionState.RETIRED))


GUIDE_ACTIONS = ActionSet(
    "guide",
    [
        Action(
            "new_version",
            _("新建修订版本"),
            allowed=_may_start_version,
            execute=lambda *, actor, obj, data: services.guide_version_new(actor=actor, guide=obj).guide,
        ),
        Action(
            "wording",
            _("修改通俗表述"),
            allowed=_may_word,
            form_class=WordingForm,
            description=_("通俗名称、别名、常见问法和各要素的通俗说明；与法定文本分开保存版本"),
            execute=lambda *, actor, obj, data: (
                services.guide_wording_save(
                    actor=actor,
                    guide=obj,
                    everyday_name=data["everyday_name"],
                    aliases=data["aliases"],
                    question_phrases=data["question_phrases"],
                    plain={k: data.get(k, "") for k in ("conditions", "materials", "process", "fees", "location_time")},
                ).guide
            ),
        ),
    ],
)
