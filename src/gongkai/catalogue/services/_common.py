"""Authority helpers and keys shared by the catalogue services."""

from __future__ import annotations

import hashlib
import re
import uuid

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from gongkai.core import chinese, permissions
from gongkai.core.models import Organisation, Role, User
from gongkai.core.transitions import TransitionRefused

from ..models import CatalogueVersion, VersionStatus

UNIT_LIST_ROLES = [Role.EDITOR, Role.LEADER, Role.DISCLOSURE_OFFICE]
ITEM_FIELDS = ("level1", "name", "elements", "mandatory", "timeframe_text", "sort_order")


def office(actor: User | None, unit: Organisation) -> None:
    """The disclosure office of ``unit`` (or above); ``None`` is the system. Standard catalogues are
    the office's records: the system administrator does not keep them (三员分立)."""
    if actor is None:
        return
    permissions.require(actor, Role.DISCLOSURE_OFFICE, unit)


def configuration(actor: User | None, unit: Organisation) -> None:
    """Domains and element templates owned by ``unit``: its disclosure office or the system administrator."""
    if actor is None:
        return
    permissions.require(actor, [Role.DISCLOSURE_OFFICE, Role.SYSADMIN], unit)


def sysadmin(actor: User | None, what: str) -> None:
    if actor is not None and not permissions.is_configuration_admin(actor):
        raise PermissionDenied(_("%(what)s只能由系统管理员修改") % {"what": what})


def require_draft(version: CatalogueVersion) -> None:
    if version.status != VersionStatus.DRAFT:
        raise TransitionRefused(_("已发布的版本不能修改，请先“新建修订版本”"))


def unit_list_actor(actor: User | None, unit: Organisation) -> None:
    if actor is None:
        return
    permissions.require(actor, UNIT_LIST_ROLES, unit)


def new_key(prefix: str = "") -> str:
    return prefix + uuid.uuid4().hex[:16]


def item_key_for(level1: str, name: str) -> str:
    """A stable key derived from the normalised names (used by imports so re-imports diff cleanly)."""
    base = chinese.normalise(f"{level1.strip()}|{(name or '').strip()}")
    base = re.sub(r"\s+", "", base)
    return "k" + hashlib.sha1(base.encode(), usedforsecurity=False).hexdigest()[:20]


def actor_or_none(actor: User | None) -> User | None:
    return actor if actor is not None and actor.pk else None
