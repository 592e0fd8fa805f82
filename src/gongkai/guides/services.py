"""Every state change of service guides, wordings, service points, life events and subscriptions.

Keyword-only ``<entity>_<verb>(*, actor, ...)`` functions, one transaction each, authorised
with :mod:`gongkai.core.permissions` or through the transition's ``permission=``, audited in
the same transaction; index updates and mail after commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core import audit, deadlines, permissions, transitions
from gongkai.core.models import Organisation, Role

from . import geo, indexing, notify
from .models import (
    ELEMENTS,
    WORDING_ELEMENTS,
    Channel,
    Crs,
    Guide,
    GuideStat,
    GuideVersion,
    GuideWording,
    LifeEvent,
    LifeEventStep,
    ServicePoint,
    StatKind,
    StepKind,
    Subscription,
    SubscriptionTopic,
    VersionState,
)

log = logging.getLogger(__name__)


@audit.register_actions
class AuditAction(models.TextChoices):
    GUIDE_CREATE = "guides.guide.create", gettext_lazy("新建办事指南")
    GUIDE_IMPORT = "guides.guide.import", gettext_lazy("导入办事指南")
    VERSION_UPDATE = "guides.version.update", gettext_lazy("修改指南草稿")
    VERSION_NEW = "guides.version.new", gettext_lazy("新建指南版本")
    VERSION_SUBMIT = "guides.version.submit", gettext_lazy("提交指南审核")
    VERSION_SEND_BACK = "guides.version.send_back", gettext_lazy("退回指南修改")
    VERSION_PUBLISH = "guides.version.publish", gettext_lazy("发布办事指南")
    VERSION_RETIRE = "guides.version.retire", gettext_lazy("停用办事指南")
    VERSION_SUPERSEDE = "guides.version.supersede", gettext_lazy("指南版本被新版本替代")
    WORDING_SAVE = "guides.wording.save", gettext_lazy("修改通俗表述")
    GUIDE_DUE_RECOMPUTE = "guides.guide.due_recompute", gettext_lazy("重新计算指南应发布日期")
    POINT_SAVE = "guides.point.save", gettext_lazy("保存服务网点")
    POINT_IMPORT = "guides.point.import", gettext_lazy("导入服务网点")
    EVENT_SAVE = "guides.event.save", gettext_lazy("保存人生事件")
    SUBSCRIPTION_REMOVE = "guides.subscription.remove", gettext_lazy("删除订阅")


EDIT_ROLES = [Role.EDITOR]
REVIEW_ROLES = [Role.REVIEWER, Role.LEADER]

VERSION_FIELDS = [
    "name",
    "code",
    "kind",
    "legal_basis",
    "implementing_body",
    "service_objects",
    "conditions",
    "materials",
    "process",
    "legal_limit_days",
    "promised_limit_days",
    "no_fee",
    "fees",
    "consultation",
    "complaint",
    "location_time",
    "visits",
    "online_url",
    "level",
    "responsibilities",
    "accountability",
    "note",
]


# --- guides and versions ---------------------------------------------------------------


def _clean_version_data(data: dict) -> dict:
    clean = {k: v for k, v in data.items() if k in VERSION_FIELDS}
    name = (clean.get("name") or "").strip()
    if "name" in clean and not name:
        raise ValidationError({"name": _("事项名称不能为空")})
    for key in ("legal_limit_days", "promised_limit_days", "visits"):
        if key not in clean:
            continue
        value = clean[key]
        if value in ("", None):
            clean[key] = None
        elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValidationError({key: _("请填写非负整数")})
    return clean


def _publish_due(on: dt.date) -> dt.date | None:
    """A changed guide is published within the proactive-disclosure period (条例第二十六条)."""
    try:
        return deadlines.due_date(on, "disclosure.proactive")
    except (deadlines.CalendarMissing, deadlines.UnknownPeriod):
        return None


@transaction.atomic
def guide_create(
    *, actor, unit: Organisation, data: dict, catalogue_item=None, theme: str = "", imported: bool = False
) -> Guide:
    """A new guide with its first (draft) version."""
    permissions.require(actor, EDIT_ROLES, unit)
    clean = _clean_version_data(data)
    if not clean.get("name"):
        raise ValidationError({"name": _("事项名称不能为空")})
    guide = Guide.objects.create(
        unit=unit,
        code=clean.get("code", ""),
        catalogue_item=catalogue_item,
        theme=theme,
        publish_due=_publish_due(timezone.localdate()),
    )
    version = GuideVersion.objects.create(guide=guide, number=1, created_by=actor, **clean)
    if imported:
        version.flagged_incomplete = bool(version.missing_elements())
        version.save(update_fields=["flagged_incomplete"])
    audit.record(
        actor=actor,
        action=AuditAction.GUIDE_IMPORT if imported else AuditAction.GUIDE_CREATE,
        obj=version,
        unit=unit,
        after=audit.snapshot(version, ["name", "code", "kind", "flagged_incomplete"]),
    )
    return guide


@transaction.atomic
def guide_version_update(*, actor, version: GuideVersion, data: dict) -> GuideVersion:
    """Edit a draft version's elements (published text is changed through a new version)."""
    locked = GuideVersion.objects.select_for_update().select_related("guide__unit").get(pk=version.pk)
    permissions.require(actor, EDIT_ROLES, locked.guide.unit)
    if locked.state != VersionState.DRAFT:
        raise transitions.TransitionRefused(_("只有草稿可以修改；已发布的指南请新建版本"), code="state")
    clean = _clean_version_data(data)
    before = audit.snapshot(locked, list(clean))
    for key, value in clean.items():
        setattr(locked, key, value)
    locked.flagged_incomplete = locked.flagged_incomplete and bool(locked.missing_elements())
    locked.save()
    if "code" in clean and clean["code"] != locked.guide.code:
        Guide.objects.filter(pk=locked.guide_id).update(code=clean["code"])
    audit.record(
        actor=actor,
        action=AuditAction.VERSION_UPDATE,
        obj=locked,
        unit=locked.guide.unit,
        before=before,
        after=audit.snapshot(locked, list(clean)),
    )
    return locked


@transaction.atomic
def guide_version_new(*, actor, guide: Guide) -> GuideVersion:
    """A new draft copied from the newest version (at most one open draft per guide)."""
    locked = Guide.objects.select_for_update().get(pk=guide.pk)
    permissions.require(actor, EDIT_ROLES, locked.unit)
    latest = locked.versions.order_by("-number").first()
    if latest is not None and latest.state in (VersionState.DRAFT, VersionState.REVIEW):
        raise transitions.TransitionRefused(_("已有未发布的版本，请先处理该版本"), code="state")
    values = {f: getattr(latest, f) for f in VERSION_FIELDS} if latest else {"name": locked.code}
    values["note"] = ""
    version = GuideVersion.objects.create(
        guide=locked, number=(latest.number + 1) if latest else 1, created_by=actor, **values
    )
    locked.publish_due = _publish_due(timezone.localdate())
    locked.save(update_fields=["publish_due", "updated_at"])
    audit.record(actor=actor, action=AuditAction.VERSION_NEW, obj=version, unit=locked.unit)
    return version


def _run(version: GuideVersion, name: str, action, *, actor, update=None) -> GuideVersion:
    return transitions.run(
        version,
        name,
        actor=actor,
        action=action,
        unit=lambda v: v.guide.unit,
        snapshot_fields=["state", "review_note"],
        update=update,
    )


@transaction.atomic
def guide_version_submit(*, actor, version: GuideVersion) -> GuideVersion:
    return _run(version, "submit", AuditAction.VERSION_SUBMIT, actor=actor)


@transaction.atomic
def guide_version_send_back(*, actor, version: GuideVersion, reason: str) -> GuideVersion:
    def update(v):
        v.review_note = reason

    return _run(version, "send_back", AuditAction.VERSION_SEND_BACK, actor=actor, update=update)


@transaction.atomic
def guide_version_publish(*, actor, version: GuideVersion) -> GuideVersion:
    """Publish a reviewed version: it replaces the guide's published version; indexed after commit."""

    def update(v):
        v.published_at = timezone.now()
        v.flagged_incomplete = False

    published = _run(version, "publish", AuditAction.VERSION_PUBLISH, actor=actor, update=update)
    guide = Guide.objects.select_for_update().get(pk=published.guide_id)
    for old in guide.versions.filter(state=VersionState.PUBLISHED).exclude(pk=published.pk):
        transitions.run(old, "supersede", actor=None, action=AuditAction.VERSION_SUPERSEDE, unit=guide.unit)
    guide.current = published
    guide.code = published.code
    guide.publish_due = None
    guide.save(update_fields=["current", "code", "publish_due", "updated_at"])
    indexing.schedule(guide.pk)
    return published


@transaction.atomic
def guide_version_retire(*, actor, version: GuideVersion, reason: str = "") -> GuideVersion:
    def update(v):
        v.review_note = reason

    retired = _run(version, "retire", AuditAction.VERSION_RETIRE, actor=actor, update=update)
    Guide.objects.filter(pk=retired.guide_id, current=retired).update(current=None)
    indexing.schedule(retired.guide_id)
    return retired


def recompute_due_dates() -> int:
    """Recompute the stored publish-by dates of guides with an unpublished version (calendar change)."""
    changed = 0
    with transaction.atomic():
        for guide in Guide.objects.select_for_update().filter(publish_due__isnull=False).select_related("unit"):
            latest = guide.versions.order_by("-number").first()
            if latest is None:
                continue
            due = _publish_due(timezone.localtime(latest.created_at).date())
            if due != guide.publish_due:
                before = {"publish_due": guide.publish_due}
                guide.publish_due = due
                guide.save(update_fields=["publish_due"])
                audit.record(
                    actor=None,
                    action=AuditAction.GUIDE_DUE_RECOMPUTE,
                    obj=guide,
                    unit=guide.unit,
                    before=before,
                    after={"publish_due": due},
                )
                changed += 1
    return changed


# --- 语义转换 -------------------------------------------------------------------------


def _clean_list(values: Iterable[str] | str) -> list[str]:
    if isinstance(values, str):
        values = values.replace("，", ",").replace("、", ",").replace("\n", ",").split(",")
    return list(dict.fromkeys(v.strip() for v in values if v and v.strip()))


@transaction.atomic
def guide_wording_save(
    *,
    actor,
    guide: Guide,
    everyday_name: str,
    aliases: Iterable[str] | str = (),
    plain: dict | None = None,
    question_phrases: Iterable[str] | str = (),
) -> GuideWording:
    """Record a new version of the everyday wording (the legal text is not touched)."""
    locked = Guide.objects.select_for_update().select_related("unit").get(pk=guide.pk)
    permissions.require(actor, EDIT_ROLES + REVIEW_ROLES, locked.unit)
    plain = {k: (v or "").strip() for k, v in (plain or {}).items() if k in WORDING_ELEMENTS and (v or "").strip()}
    unknown = set(plain or {}) - set(ELEMENTS)
    if unknown:
        raise ValidationError(_("未知的要素：%(names)s") % {"names": "、".join(sorted(unknown))})
    previous = locked.wordings.order_by("-number").first()
    wording = GuideWording.objects.create(
        guide=locked,
        number=(previous.number + 1) if previous else 1,
        everyday_name=(everyday_name or "").strip(),
        aliases=_clean_list(aliases),
        plain=plain,
        question_phrases=_clean_list(question_phrases),
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action=AuditAction.WORDING_SAVE,
        obj=wording,
        unit=locked.unit,
        before=audit.snapshot(previous, ["everyday_name", "aliases", "plain"]) if previous else None,
        after=audit.snapshot(wording, ["everyday_name", "aliases", "plain"]),
    )
    indexing.schedule(locked.pk)
    return wording


# --- service points -------------------------------------------------------------------


POINT_FIELDS = ["name", "address", "opening_hours", "phone", "services", "barrier_free", "township", "is_active"]


@transaction.atomic
def point_save(
    *, actor, unit: Organisation, data: dict, lng=None, lat=None, crs: str = "wgs84", point=None
) -> ServicePoint:
    """Create or update a service point; coordinates in any supported system are stored as WGS-84."""
    permissions.require(actor, EDIT_ROLES, unit)
    if point is not None:
        point = ServicePoint.objects.select_for_update().get(pk=point.pk)
        if point.unit_id != unit.pk:
            raise PermissionDenied(_("不能修改其他单位的服务网点"))
    before = audit.snapshot(point) if point is not None else None
    point = point or ServicePoint(unit=unit)
    for key, value in data.items():
        if key in POINT_FIELDS:
            setattr(point, key, _clean_list(value) if key in ("services", "barrier_free") else value)
    if not (point.name or "").strip() or not (point.address or "").strip():
        raise ValidationError(_("网点名称和地址不能为空"))
    _set_coordinates(point, lng, lat, crs)
    try:
        with transaction.atomic():
            point.save()
    except IntegrityError as exc:
        raise ValidationError(_("本单位已有同名网点：%(name)s") % {"name": point.name}) from exc
    audit.record(
        actor=actor, action=AuditAction.POINT_SAVE, obj=point, unit=unit, before=before, after=audit.snapshot(point)
    )
    return point


def _set_coordinates(point: ServicePoint, lng, lat, crs: str) -> None:
    if lng in (None, "") and lat in (None, ""):
        return
    try:
        wgs_lng, wgs_lat = geo.to_wgs84(lng, lat, crs)
        system = geo.normalise_crs(crs)
    except geo.CoordinateError as exc:
        raise ValidationError(str(exc)) from exc
    point.lng, point.lat = round(wgs_lng, 7), round(wgs_lat, 7)
    point.source_crs = system if system in Crs.values else Crs.WGS84
    point.source_lng, point.source_lat = round(geo.parse_coordinate(lng), 7), round(geo.parse_coordinate(lat), 7)


def _township(unit: Organisation, name: str) -> Organisation | None:
    name = (name or "").strip()
    if not name:
        return None
    county = unit.government() if hasattr(unit, "government") else unit
    qs = Organisation.objects.filter(name=name)
    if county is not None:
        qs = qs.filter(path__startswith=county.path)
    return qs.first()


@transaction.atomic
def points_import(*, actor, unit: Organisation, rows: list[dict], dry_run: bool = False) -> dict:
    """Import service points from CSV rows (name, address, lng, lat, crs, …); all rows or none.

    Returns ``{"created", "updated", "errors": [(row_number, message)]}``. Any row error
    rolls the whole file back (nothing half-saved).
    """
    permissions.require(actor, EDIT_ROLES, unit)
    report = {"created": 0, "updated": 0, "errors": []}
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        try:
            with transaction.atomic():
                _import_point_row(actor, unit, row)
        except ValidationError as exc:
            report["errors"].append((number, "；".join(exc.messages)))
            continue
        key = "updated" if row.get("_existing") else "created"
        report[key] += 1
    if report["errors"] or dry_run:
        transaction.set_rollback(True)
        if report["errors"]:
            report["created"] = report["updated"] = 0
        return report
    audit.record(
        actor=actor,
        action=AuditAction.POINT_IMPORT,
        object_type="guides.servicepoint",
        unit=unit,
        after={"created": report["created"], "updated": report["updated"]},
    )
    return report


def _import_point_row(actor, unit, row: dict) -> None:
    name = (row.get("name") or row.get("名称") or "").strip()
    address = (row.get("address") or row.get("地址") or "").strip()
    if not name:
        raise ValidationError(_("缺少网点名称"))
    crs = (row.get("crs") or row.get("坐标系") or "wgs84").strip() or "wgs84"
    existing = ServicePoint.objects.filter(unit=unit, name=name).first()
    row["_existing"] = existing is not None
    data = {
        "name": name,
        "address": address,
        "opening_hours": (row.get("opening_hours") or row.get("办公时间") or "").strip(),
        "phone": (row.get("phone") or row.get("电话") or "").strip(),
        "services": row.get("services") or row.get("可办服务") or "",
        "barrier_free": row.get("barrier_free") or row.get("无障碍设施") or "",
        "township": _township(unit, row.get("township") or row.get("乡镇") or ""),
    }
    lng = (row.get("lng") or row.get("经度") or "").strip()
    lat = (row.get("lat") or row.get("纬度") or "").strip()
    if not lng or not lat:
        raise ValidationError(_("缺少经纬度"))
    point_save(actor=actor, unit=unit, data=data, lng=lng, lat=lat, crs=crs, point=existing)


# --- life events ----------------------------------------------------------------------


@transaction.atomic
def event_save(*, actor, unit: Organisation, data: dict, steps: list[dict] | None = None, event=None) -> LifeEvent:
    """Create or update a life event and (optionally) replace its ordered steps."""
    permissions.require(actor, EDIT_ROLES + [Role.DISCLOSURE_OFFICE], unit)
    if event is not None:
        event = LifeEvent.objects.select_for_update().get(pk=event.pk)
        permissions.require(actor, EDIT_ROLES + [Role.DISCLOSURE_OFFICE], event.unit)
    event = event or LifeEvent(unit=unit)
    for key in ("slug", "title", "audience", "summary", "keywords", "is_published", "sort_order"):
        if key in data:
            setattr(event, key, _clean_list(data[key]) if key == "keywords" else data[key])
    if not event.title or not event.slug:
        raise ValidationError(_("事件名称和标识不能为空"))
    event.save()
    if steps is not None:
        event.steps.all().delete()
        for order, step in enumerate(steps, start=1):
            _add_step(event, order, step)
    for guide_id in set(event.steps.filter(guide__isnull=False).values_list("guide_id", flat=True)):
        indexing.schedule(guide_id)  # a guide is found by the names of its life events
    audit.record(
        actor=actor,
        action=AuditAction.EVENT_SAVE,
        obj=event,
        unit=event.unit,
        after={"title": event.title, "steps": len(steps or [])},
    )
    return event


def _add_step(event: LifeEvent, order: int, step: dict) -> None:
    kind = step.get("kind")
    if kind not in StepKind.values:
        raise ValidationError(_("未知的步骤类型：%(kind)s") % {"kind": kind})
    title = (step.get("title") or "").strip()
    guide = step.get("guide")
    point = step.get("point")
    if kind == StepKind.GUIDE and guide is None:
        raise ValidationError(_("办事指南步骤需要关联指南"))
    if kind == StepKind.POINT and point is None:
        raise ValidationError(_("服务网点步骤需要关联网点"))
    if kind in (StepKind.BENEFIT, StepKind.FAQ) and not step.get("ref_id"):
        raise ValidationError(_("该步骤需要关联记录编号"))
    LifeEventStep.objects.create(
        event=event,
        order=order,
        kind=kind,
        title=title or (guide.display_name if guide else point.name if point else ""),
        note=step.get("note", ""),
        guide=guide,
        point=point,
        ref_id=step.get("ref_id"),
    )


# --- subscriptions --------------------------------------------------------------------


def _clean_address(channel: str, address: str) -> str:
    from django.core.validators import validate_email

    address = (address or "").strip()
    if channel == Channel.EMAIL:
        try:
            validate_email(address)
        except ValidationError as exc:
            raise ValidationError({"address": _("请填写有效的电子邮箱")}) from exc
        return address.lower()
    digits = "".join(c for c in address if c.isdigit())
    if len(digits) != 11 or not digits.startswith("1"):
        raise ValidationError({"address": _("请填写11位手机号码")})
    return digits


@transaction.atomic
def subscription_request(
    *, channel: str, address: str, topic: str, event=None, unit=None, domain: str = "", confirm_url
) -> Subscription:
    """Record an unconfirmed subscription and send the confirmation (nothing else is ever sent before)."""
    if channel not in Channel.values:
        raise ValidationError({"channel": _("不支持的订阅方式")})
    if topic not in SubscriptionTopic.values:
        raise ValidationError({"topic": _("请选择订阅内容")})
    if (
        (topic == SubscriptionTopic.EVENT and event is None)
        or (topic == SubscriptionTopic.UNIT and unit is None)
        or (topic == SubscriptionTopic.DOMAIN and not domain)
    ):
        raise ValidationError({"topic": _("请选择要订阅的事件、单位或领域")})
    address = _clean_address(channel, address)
    existing = Subscription.objects.filter(
        channel=channel,
        address=address,
        topic=topic,
        event=event,
        unit=unit,
        domain=domain if topic == SubscriptionTopic.DOMAIN else "",
    ).first()
    sub = existing or Subscription.objects.create(
        channel=channel,
        address=address,
        topic=topic,
        event=event,
        unit=unit,
        domain=domain if topic == SubscriptionTopic.DOMAIN else "",
    )
    if sub.confirmed_at is None:
        url = confirm_url(sub.token)
        transaction.on_commit(lambda: notify.send_confirmation(sub, url))
    return sub


@transaction.atomic
def subscription_confirm(*, token: str) -> Subscription | None:
    sub = Subscription.objects.select_for_update().filter(token=token).first()
    if sub is None:
        return None
    if sub.confirmed_at is None:
        sub.confirmed_at = timezone.now()
        sub.last_sent_at = timezone.now()  # the first digest covers what is new from now on
        sub.save(update_fields=["confirmed_at", "last_sent_at"])
    return sub


@transaction.atomic
def subscription_cancel(*, token: str) -> bool:
    """One-click unsubscribe: the row is deleted (no address is kept)."""
    deleted, _ = Subscription.objects.filter(token=token).delete()
    return bool(deleted)


# --- statistics -----------------------------------------------------------------------


def stat_hit(kind: str, key: str, *, day: dt.date | None = None) -> None:
    """Count one view / missed search / matcher run (no personal data). Never raises."""
    if kind not in StatKind.values or not key:
        return
    day = day or timezone.localdate()
    key = key[:120]
    try:
        with transaction.atomic():
            updated = GuideStat.objects.filter(day=day, kind=kind, key=key).update(count=F("count") + 1)
            if not updated:
                GuideStat.objects.create(day=day, kind=kind, key=key, count=1)
    except IntegrityError:
        GuideStat.objects.filter(day=day, kind=kind, key=key).update(count=F("count") + 1)
    except Exception:  # noqa: BLE001 - statistics never break a page
        log.warning("guides: could not count %s %s", kind, key, exc_info=True)


def guide_viewed(guide: Guide) -> None:
    Guide.objects.filter(pk=guide.pk).update(view_count=F("view_count") + 1)
    stat_hit(StatKind.GUIDE_VIEW, str(guide.pk))


def event_viewed(event: LifeEvent) -> None:
    LifeEvent.objects.filter(pk=event.pk).update(view_count=F("view_count") + 1)
    stat_hit(StatKind.EVENT_VIEW, event.slug)
