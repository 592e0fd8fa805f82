"""Audit action names of the catalogue app (stored as ``catalogue.<entity>.<verb>``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core import audit


@audit.register_actions
class AuditAction(models.TextChoices):
    DOMAIN_CREATE = "catalogue.domain.create", _("新建公开领域")
    DOMAIN_UPDATE = "catalogue.domain.update", _("修改公开领域")
    TEMPLATE_CREATE = "catalogue.template.create", _("新建要素模板")
    ELEMENT_ADD = "catalogue.element.add", _("添加要素")
    ELEMENT_UPDATE = "catalogue.element.update", _("修改要素")
    ELEMENT_REMOVE = "catalogue.element.remove", _("删除要素")
    CATALOGUE_CREATE = "catalogue.catalogue.create", _("新建标准目录")
    CATALOGUE_UPDATE = "catalogue.catalogue.update", _("修改标准目录")
    CATALOGUE_TARGETS = "catalogue.catalogue.targets", _("设置标准目录适用单位")
    CATALOGUE_REDERIVE = "catalogue.catalogue.rederive", _("重新派生单位目录")
    VERSION_CREATE = "catalogue.version.create", _("新建目录修订版本")
    VERSION_DISCARD = "catalogue.version.discard", _("删除目录草稿")
    VERSION_IMPORT = "catalogue.version.import", _("导入目录事项")
    VERSION_ACCEPT_INCOMPLETE = "catalogue.version.accept_incomplete", _("确认接受不完整事项")
    VERSION_PUBLISH = "catalogue.version.publish", _("发布标准目录")
    ITEM_ADD = "catalogue.item.add", _("添加目录事项")
    ITEM_UPDATE = "catalogue.item.update", _("修改目录事项")
    ITEM_DELETE = "catalogue.item.delete", _("删除目录事项")
    UNIT_ITEM_ADD = "catalogue.unititem.add", _("添加本单位自增事项")
    UNIT_ITEM_UPDATE = "catalogue.unititem.update", _("修改单位目录事项")
    UNIT_ITEM_DROP = "catalogue.unititem.drop", _("停用单位目录事项")
    UNIT_ITEM_RESTORE = "catalogue.unititem.restore", _("恢复单位目录事项")
