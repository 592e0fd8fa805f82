"""Helpers shared by the assessment services."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import permissions
from gongkai.core.models import Organisation, Role

from ..models import (
    Method,
)

log = logging.getLogger(__name__)


LEAF_METHODS = {m for m in Method.values if m != Method.GROUP}


RECT_FIELDS = ["unit", "period", "bulletin", "problems", "finding_ids", "issued_on", "due_on", "status"]


def today() -> dt.date:
    return timezone.localdate()


def _require_office(actor, unit: Organisation) -> None:
    if actor is not None:
        permissions.require(actor, Role.DISCLOSURE_OFFICE, unit)


def _office_anywhere(actor) -> None:
    if not (permissions.is_superuser(actor) or permissions.units_with_role(actor, Role.DISCLOSURE_OFFICE).exists()):
        raise PermissionDenied(_("只有政务公开办管理员可以管理指标体系"))
