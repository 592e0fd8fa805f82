"""Every change of open data: datasets (create, edit, publish, withdraw), resources (upload a
file, which adds a version, or link a URL), and download counting."""

from __future__ import annotations

import logging
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core import audit, numbering, permissions, transitions
from gongkai.core.models import Organisation, Role

from . import files, indexing
from .models import Dataset, Resource, ResourceVersion, Tag, Theme

log = logging.getLogger(__name__)


@audit.register_actions
class OpendataAudit(models.TextChoices):
    DATASET_CREATE = "opendata.dataset.create", gettext_lazy("新建数据集")
    DATASET_UPDATE = "opendata.dataset.update", gettext_lazy("修改数据集")
    DATASET_PUBLISH = "opendata.dataset.publish", gettext_lazy("发布数据集")
    DATASET_WITHDRAW = "opendata.dataset.withdraw", gettext_lazy("下线数据集")
    RESOURCE_ADD = "opendata.resource.add", gettext_lazy("添加数据资源")
    RESOURCE_VERSION = "opendata.resource.version", gettext_lazy("上传资源新版本")
    RESOURCE_DELETE = "opendata.resource.delete", gettext_lazy("删除数据资源")


DATASET_FIELDS = (
    "name",
    "title",
    "description",
    "domain",
    "update_frequency",
    "open_type",
    "access_conditions",
    "licence",
    "temporal_start",
    "temporal_end",
    "spatial",
    "contact_name",
    "contact_phone",
    "contact_email",
)


def require_editor(actor, unit: Organisation) -> None:
    permissions.require(actor, [Role.EDITOR, Role.REVIEWER], unit)


def _keywords(value) -> list[str]:
    if isinstance(value, str):
        value = re.split(r"[,，;；、\s]+", value)
    return list(dict.fromkeys(v.strip()[:60] for v in value or [] if v and v.strip()))


def _check(data: dict[str, Any]) -> None:
    errors = {}
    start, end = data.get("temporal_start"), data.get("temporal_end")
    if start and end and end < start:
        errors["temporal_end"] = [_("时间范围止不能早于时间范围起")]
    if errors:
        raise ValidationError(errors)


def _identifier(unit: Organisation) -> str:
    return numbering.tracking_code("SJ")  # 信息资源标识符: unique, stable


def _set_relations(dataset: Dataset, data: dict[str, Any]) -> None:
    if "keywords" in data:
        tags = [Tag.objects.get_or_create(name=k)[0] for k in _keywords(data["keywords"])]
        dataset.tags.set(tags)
    if "themes" in data:
        dataset.themes.set(list(data["themes"]))


@transaction.atomic
def dataset_create(*, actor, unit: Organisation, data: dict[str, Any]) -> Dataset:
    require_editor(actor, unit)
    _check(data)
    values = {k: data[k] for k in DATASET_FIELDS if k in data}
    if Dataset.objects.filter(name=values.get("name")).exists():
        raise ValidationError({"name": [_("英文标识“%(name)s”已被使用") % {"name": values.get("name")}]})
    dataset = Dataset(
        unit=unit, identifier=_identifier(unit), created_by=actor if getattr(actor, "pk", None) else None, **values
    )
    dataset.full_clean(exclude=["themes", "tags", "state"])
    dataset.save()
    _set_relations(dataset, data)
    audit.record(
        actor=actor, action=OpendataAudit.DATASET_CREATE, obj=dataset, unit=unit, after=audit.snapshot(dataset)
    )
    return dataset


@transaction.atomic
def dataset_update(*, actor, dataset: Dataset, data: dict[str, Any]) -> Dataset:
    require_editor(actor, dataset.unit)
    _check(data)
    locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
    if "name" in data and Dataset.objects.filter(name=data["name"]).exclude(pk=locked.pk).exists():
        raise ValidationError({"name": [_("英文标识“%(name)s”已被使用") % {"name": data["name"]}]})
    before = audit.snapshot(locked)
    for key in DATASET_FIELDS:
        if key in data:
            setattr(locked, key, data[key])
    locked.modified_at = timezone.now()
    locked.full_clean(exclude=["themes", "tags", "state"])
    locked.save()
    _set_relations(locked, data)
    audit.record(
        actor=actor,
        action=OpendataAudit.DATASET_UPDATE,
        obj=locked,
        unit=locked.unit,
        before=before,
        after=audit.snapshot(locked),
    )
    transaction.on_commit(lambda: indexing.schedule(locked))
    return locked


@transaction.atomic
def dataset_publish(*, actor, dataset: Dataset) -> Dataset:
    published = transitions.run(dataset, "publish", actor=actor, action=OpendataAudit.DATASET_PUBLISH)
    transaction.on_commit(lambda: indexing.schedule(published))
    return published


@transaction.atomic
def dataset_withdraw(*, actor, dataset: Dataset) -> Dataset:
    withdrawn = transitions.run(dataset, "withdraw", actor=actor, action=OpendataAudit.DATASET_WITHDRAW)
    transaction.on_commit(lambda: indexing.schedule(withdrawn))
    return withdrawn


def _touch(dataset: Dataset) -> None:
    Dataset.objects.filter(pk=dataset.pk).update(modified_at=timezone.now())


def _apply_file(resource: Resource, checked: files.CheckedResource) -> None:
    resource.format = checked.format
    resource.mimetype = checked.mimetype
    resource.size = checked.size
    resource.sha256 = checked.sha256
    resource.preview = {"columns": checked.columns, "rows": checked.rows} if checked.columns else {}
    resource.row_count = checked.row_count
    resource.modified_at = timezone.now()


def _save_version(*, actor, resource: Resource, checked: files.CheckedResource, note: str) -> ResourceVersion:
    number = (resource.versions.aggregate(m=models.Max("number"))["m"] or 0) + 1
    version = ResourceVersion(
        resource=resource,
        number=number,
        filename=checked.name,
        size=checked.size,
        sha256=checked.sha256,
        mimetype=checked.mimetype,
        note=note,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    version.file.save(checked.name, ContentFile(checked.data), save=False)
    version.save()
    return version


@transaction.atomic
def resource_add(
    *, actor, dataset: Dataset, name: str, description: str = "", upload=None, url: str = "", format: str = ""
) -> Resource:
    """Add a resource: an uploaded file (``upload`` = (filename, bytes)) or a link (``url`` + ``format``)."""
    require_editor(actor, dataset.unit)
    if bool(upload) == bool(url):
        raise ValidationError(_("请上传文件或填写外部链接（二选一）"))
    position = dataset.resources.count()
    resource = Resource(dataset=dataset, name=name, description=description, position=position)
    if upload:
        checked = files.check(*upload)
        _apply_file(resource, checked)
        resource.save()
        _save_version(actor=actor, resource=resource, checked=checked, note=_("初始版本"))
    else:
        fmt = (format or "").upper()
        if fmt not in files.LINK_FORMATS:
            raise ValidationError(
                {
                    "format": [
                        _("不支持的格式“%(f)s”，可选：%(all)s") % {"f": format, "all": "、".join(files.LINK_FORMATS)}
                    ]
                }
            )
        resource.url, resource.format = url, fmt
        resource.mimetype = files.FORMATS.get(fmt, "")
        resource.full_clean(exclude=["dataset"])
        resource.save()
    _touch(dataset)
    audit.record(
        actor=actor, action=OpendataAudit.RESOURCE_ADD, obj=resource, unit=dataset.unit, after=audit.snapshot(resource)
    )
    transaction.on_commit(lambda: indexing.schedule(dataset))
    return resource


@transaction.atomic
def resource_new_version(*, actor, resource: Resource, upload, note: str = "") -> Resource:
    """Upload a new version of a file resource; earlier versions stay downloadable."""
    dataset = resource.dataset
    require_editor(actor, dataset.unit)
    locked = Resource.objects.select_for_update().get(pk=resource.pk)
    if locked.url:
        raise ValidationError(_("外部链接资源没有文件版本"))
    checked = files.check(*upload)
    if checked.format != locked.format:
        raise ValidationError(
            {"file": [_("新版本应为 %(old)s 格式（上传的是 %(new)s）") % {"old": locked.format, "new": checked.format}]}
        )
    before = audit.snapshot(locked)
    version = _save_version(actor=actor, resource=locked, checked=checked, note=note)
    _apply_file(locked, checked)
    locked.save()
    _touch(dataset)
    audit.record(
        actor=actor,
        action=OpendataAudit.RESOURCE_VERSION,
        obj=locked,
        unit=dataset.unit,
        before=before,
        after={**audit.snapshot(locked), "version": version.number},
    )
    return locked


def count_download(resource: Resource, version: ResourceVersion | None) -> None:
    """One download: counted on the resource, its version and the dataset (atomic increments)."""
    Resource.objects.filter(pk=resource.pk).update(download_count=F("download_count") + 1)
    Dataset.objects.filter(pk=resource.dataset_id).update(download_count=F("download_count") + 1)
    if version is not None:
        ResourceVersion.objects.filter(pk=version.pk).update(download_count=F("download_count") + 1)


def theme_choices():
    return Theme.objects.all()
