"""Staff actions on datasets and resources, served by the workbench and the API alike."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongkai.core.actions import Action, ActionSet

from . import services
from .forms import DatasetForm, ResourceForm, VersionForm
from .models import may_edit


def _upload(data):
    f = data.pop("file", None)
    return (f.name, f.read()) if f else None


def _edit(*, actor, obj, data):
    data["keywords"] = data.get("keywords", "")
    return services.dataset_update(actor=actor, dataset=obj, data=data)


def _add_resource(*, actor, obj, data):
    upload = _upload(data)
    services.resource_add(
        actor=actor,
        dataset=obj,
        name=data["name"],
        description=data.get("description", ""),
        upload=upload,
        url=data.get("url", "") if not upload else "",
        format=data.get("format", ""),
    )
    return obj


def _new_version(*, actor, obj, data):
    return services.resource_new_version(actor=actor, resource=obj, upload=_upload(data), note=data.get("note", ""))


DATASET_ACTIONS = ActionSet(
    "dataset",
    [
        Action(
            "publish",
            _("发布"),
            transition="publish",
            style="primary",
            execute=lambda *, actor, obj, data: services.dataset_publish(actor=actor, dataset=obj),
        ),
        Action("edit", _("修改元数据"), form_class=DatasetForm, allowed=lambda u, o: may_edit(o, u), execute=_edit),
        Action(
            "add-resource",
            _("添加数据资源"),
            form_class=ResourceForm,
            allowed=lambda u, o: may_edit(o, u),
            execute=_add_resource,
        ),
        Action(
            "withdraw",
            _("下线"),
            transition="withdraw",
            style="danger",
            confirm=_("下线后数据集将从门户和开放接口中移除，确定吗？"),
            execute=lambda *, actor, obj, data: services.dataset_withdraw(actor=actor, dataset=obj),
        ),
    ],
)

RESOURCE_ACTIONS = ActionSet(
    "resource",
    [
        Action(
            "new-version",
            _("上传新版本"),
            form_class=VersionForm,
            allowed=lambda u, o: o.is_upload and may_edit(o.dataset, u),
            execute=_new_version,
        ),
    ],
)
