"""Every state change of policies, benefit items, criteria, profiles and recipient batches."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core import audit, deadlines, permissions, transitions
from gongkai.core.models import Organisation, Role

from . import indexing, matcher
from .models import (
    Attribute,
    Audience,
    BatchState,
    BenefitItem,
    Category,
    Criterion,
    ItemState,
    Policy,
    Profile,
    Recipient,
    RecipientBatch,
)

log = logging.getLogger(__name__)

DISPLAY_PERIOD = "benefits.recipient_display"


@audit.register_actions
class AuditAction(models.TextChoices):
    POLICY_SAVE = "benefits.policy.save", gettext_lazy("保存惠企利民政策")
    ITEM_SAVE = "benefits.item.save", gettext_lazy("保存惠企利民事项")
    ITEM_SUBMIT = "benefits.item.submit", gettext_lazy("提交惠企利民事项审核")
    ITEM_SEND_BACK = "benefits.item.send_back", gettext_lazy("退回惠企利民事项")
    ITEM_PUBLISH = "benefits.item.publish", gettext_lazy("发布惠企利民事项")
    ITEM_WITHDRAW = "benefits.item.withdraw", gettext_lazy("撤回惠企利民事项")
    ITEM_EXPIRE = "benefits.item.expire", gettext_lazy("惠企利民事项到期下架")
    CRITERION_ADD = "benefits.criterion.add", gettext_lazy("添加申请条件")
    CRITERION_REMOVE = "benefits.criterion.remove", gettext_lazy("删除申请条件")
    BATCH_CREATE = "benefits.batch.create", gettext_lazy("新建兑现名单")
    BATCH_IMPORT = "benefits.batch.import", gettext_lazy("导入兑现名单")
    BATCH_SUBMIT = "benefits.batch.submit", gettext_lazy("提交兑现名单审核")
    BATCH_SEND_BACK = "benefits.batch.send_back", gettext_lazy("退回兑现名单")
    BATCH_PUBLISH = "benefits.batch.publish", gettext_lazy("公示兑现名单")
    BATCH_CLOSE = "benefits.batch.close", gettext_lazy("兑现名单公示期满")
    BATCH_DUE_RECOMPUTE = "benefits.batch.due_recompute", gettext_lazy("重新计算公示截止日期")


EDIT = [Role.EDITOR]
REVIEW = [Role.REVIEWER, Role.LEADER]

ITEM_FIELDS = [
    "title",
    "category",
    "audience",
    "amount_text",
    "amount_max",
    "payment",
    "valid_from",
    "valid_until",
    "how_to_apply",
    "contact",
    "guide_ids",
]


@transaction.atomic
def policy_save(*, actor, unit: Organisation, data: dict, policy: Policy | None = None) -> Policy:
    permissions.require(actor, EDIT, unit)
    if policy is not None:
        policy = Policy.objects.select_for_update().get(pk=policy.pk)
        if policy.unit_id != unit.pk:
            raise PermissionDenied(_("不能修改其他单位的政策"))
    before = audit.snapshot(policy) if policy else None
    policy = policy or Policy(unit=unit)
    for key in ("title", "document_number", "summary", "source_url", "issued_on"):
        if key in data:
            setattr(policy, key, data[key])
    if not (policy.title or "").strip():
        raise ValidationError({"title": _("政策名称不能为空")})
    policy.save()
    audit.record(
        actor=actor, action=AuditAction.POLICY_SAVE, obj=policy, unit=unit, before=before, after=audit.snapshot(policy)
    )
    return policy


@transaction.atomic
def item_save(*, actor, policy: Policy, data: dict, item: BenefitItem | None = None) -> BenefitItem:
    """Create a draft item or edit a draft (a published item is withdrawn and edited as a draft)."""
    permissions.require(actor, EDIT, policy.unit)
    if item is not None:
        item = BenefitItem.objects.select_for_update().get(pk=item.pk)
        if item.state not in (ItemState.DRAFT,):
            raise transitions.TransitionRefused(_("只有草稿可以修改"), code="state")
    before = audit.snapshot(item, ITEM_FIELDS) if item else None
    item = item or BenefitItem(policy=policy)
    for key in ITEM_FIELDS:
        if key in data:
            setattr(item, key, data[key])
    if not (item.title or "").strip():
        raise ValidationError({"title": _("事项名称不能为空")})
    if item.category not in Category.values:
        raise ValidationError({"category": _("请选择类别")})
    if item.valid_from and item.valid_until and item.valid_until < item.valid_from:
        raise ValidationError({"valid_until": _("有效期止不能早于有效期起")})
    item.save()
    audit.record(
        actor=actor,
        action=AuditAction.ITEM_SAVE,
        obj=item,
        unit=policy.unit,
        before=before,
        after=audit.snapshot(item, ITEM_FIELDS),
    )
    return item


def compile_criterion(attribute: Attribute, operator: str, value) -> matcher.Spec:
    try:
        return matcher.compile_spec(
            attribute=attribute.code,
            label=attribute.label,
            type=attribute.type,
            operator=operator,
            value=value,
            unit_label=attribute.unit_label,
        )
    except matcher.CriterionInvalid as exc:
        raise ValidationError({"value": str(exc)}) from exc


@transaction.atomic
def criterion_add(*, actor, item: BenefitItem, attribute: Attribute, operator: str, value, note: str = "") -> Criterion:
    """Add one eligibility criterion (checked: a numeric attribute needs a number, etc.)."""
    locked = BenefitItem.objects.select_for_update().select_related("policy__unit").get(pk=item.pk)
    permissions.require(actor, EDIT, locked.unit)
    if locked.state != ItemState.DRAFT:
        raise transitions.TransitionRefused(_("只有草稿可以修改申请条件"), code="state")
    if attribute.audience != locked.audience:
        raise ValidationError({"attribute": _("该属性不适用于此事项的对象")})
    spec = compile_criterion(attribute, operator, value)
    stored = sorted(spec.value) if isinstance(spec.value, frozenset) else spec.value
    if isinstance(stored, Decimal):
        stored = str(stored)
    criterion = Criterion.objects.create(
        item=locked,
        attribute=attribute,
        operator=operator,
        value=stored,
        note=note,
        order=locked.criteria.count() + 1,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CRITERION_ADD,
        obj=criterion,
        unit=locked.unit,
        after={"attribute": attribute.code, "operator": operator, "value": stored},
    )
    return criterion


@transaction.atomic
def criterion_remove(*, actor, criterion: Criterion) -> None:
    item = BenefitItem.objects.select_for_update().select_related("policy__unit").get(pk=criterion.item_id)
    permissions.require(actor, EDIT, item.unit)
    if item.state != ItemState.DRAFT:
        raise transitions.TransitionRefused(_("只有草稿可以修改申请条件"), code="state")
    audit.record(
        actor=actor, action=AuditAction.CRITERION_REMOVE, obj=criterion, unit=item.unit, before={"id": criterion.pk}
    )
    criterion.delete()


def _run_item(item, name, action, *, actor, update=None):
    return transitions.run(
        item, name, actor=actor, action=action, unit=lambda i: i.policy.unit, snapshot_fields=["state"], update=update
    )


@transaction.atomic
def item_submit(*, actor, item: BenefitItem) -> BenefitItem:
    return _run_item(item, "submit", AuditAction.ITEM_SUBMIT, actor=actor)


@transaction.atomic
def item_send_back(*, actor, item: BenefitItem) -> BenefitItem:
    return _run_item(item, "send_back", AuditAction.ITEM_SEND_BACK, actor=actor)


@transaction.atomic
def item_publish(*, actor, item: BenefitItem) -> BenefitItem:
    def update(i):
        i.published_at = timezone.now()

    published = _run_item(item, "publish", AuditAction.ITEM_PUBLISH, actor=actor, update=update)
    indexing.schedule(published.pk)
    return published


@transaction.atomic
def item_withdraw(*, actor, item: BenefitItem) -> BenefitItem:
    withdrawn = _run_item(item, "withdraw", AuditAction.ITEM_WITHDRAW, actor=actor)
    indexing.schedule(withdrawn.pk)
    return withdrawn


def items_expire(*, today: dt.date | None = None) -> int:
    """Unpublish every published item whose validity has ended (the daily job). Returns the count."""
    today = today or timezone.localdate()
    n = 0
    for item in BenefitItem.objects.filter(state=ItemState.PUBLISHED, valid_until__lt=today):
        with transaction.atomic():
            try:
                expired = _run_item(item, "expire", AuditAction.ITEM_EXPIRE, actor=None)
            except transitions.TransitionRefused:
                continue
            indexing.schedule(expired.pk)
            n += 1
    return n


# --- profiles -------------------------------------------------------------------------


def clean_facts(audience: str, raw: dict) -> tuple[dict, dict]:
    """Typed facts from the matcher form, and the errors per attribute (unreadable values)."""
    facts, errors = {}, {}
    for attribute in Attribute.objects.filter(audience=audience):
        value = raw.get(attribute.code)
        if value in (None, "", []):
            continue
        try:
            if attribute.type == "number":
                facts[attribute.code] = str(matcher.to_number(value))
            elif attribute.type == "boolean":
                facts[attribute.code] = matcher.to_bool(value)
            elif isinstance(value, list):
                facts[attribute.code] = [str(v) for v in value]
            else:
                facts[attribute.code] = str(value).strip()[:100]
        except (InvalidOperation, ValueError, TypeError):
            errors[attribute.code] = _("“%(label)s”请填写数字") % {"label": attribute.label}
    return facts, errors


@transaction.atomic
def profile_save(*, audience: str, facts: dict, consent: bool) -> Profile | None:
    """Keep the facts only with the visitor's consent (then deletable with the returned token)."""
    if not consent:
        return None
    if audience not in Audience.values:
        raise ValidationError(_("请选择企业或个人"))
    return Profile.objects.create(audience=audience, facts=facts, consent_at=timezone.now())


@transaction.atomic
def profile_delete(*, token: str) -> bool:
    deleted, _ = Profile.objects.filter(token=token).delete()
    return bool(deleted)


# --- recipients -----------------------------------------------------------------------


@transaction.atomic
def batch_create(*, actor, item: BenefitItem, title: str, year: int) -> RecipientBatch:
    permissions.require(actor, EDIT, item.unit)
    if not (title or "").strip():
        raise ValidationError({"title": _("批次名称不能为空")})
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": _("年度不正确")})
    batch = RecipientBatch.objects.create(item=item, title=title.strip(), year=int(year))
    audit.record(actor=actor, action=AuditAction.BATCH_CREATE, obj=batch, unit=item.unit)
    return batch


def _parse_amount(text) -> Decimal:
    try:
        amount = matcher.to_number(text)
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError(_("金额不是数字：%(v)s") % {"v": text}) from None
    if amount < 0:
        raise ValidationError(_("金额不能为负数"))
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def batch_import(*, actor, batch: RecipientBatch, rows: list[dict]) -> dict:
    """Add recipients from spreadsheet rows (名称, 类型 个人/单位, 证件号码, 乡镇, 金额); all or nothing."""
    locked = RecipientBatch.objects.select_for_update().select_related("item__policy__unit").get(pk=batch.pk)
    permissions.require(actor, EDIT, locked.unit)
    if locked.state != BatchState.DRAFT:
        raise transitions.TransitionRefused(_("只有草稿名单可以导入"), code="state")
    errors, objs = [], []
    for number, row in enumerate(rows, start=2):
        name = (row.get("name") or row.get("名称") or "").strip()
        kind = (row.get("kind") or row.get("类型") or "").strip()
        if not name:
            errors.append((number, _("缺少名称")))
            continue
        try:
            amount = _parse_amount(row.get("amount") or row.get("金额") or "")
        except ValidationError as exc:
            errors.append((number, "；".join(exc.messages)))
            continue
        objs.append(
            Recipient(
                batch=locked,
                name=name,
                is_person=kind in ("个人", "自然人", "person"),
                id_number=(row.get("id_number") or row.get("证件号码") or "").strip(),
                township=(row.get("township") or row.get("乡镇") or "").strip(),
                amount=amount,
            )
        )
    if errors:
        transaction.set_rollback(True)
        return {"added": 0, "errors": errors}
    Recipient.objects.bulk_create(objs)
    audit.record(actor=actor, action=AuditAction.BATCH_IMPORT, obj=locked, unit=locked.unit, after={"added": len(objs)})
    return {"added": len(objs), "errors": []}


def _run_batch(batch, name, action, *, actor, update=None):
    return transitions.run(
        batch,
        name,
        actor=actor,
        action=action,
        unit=lambda b: b.item.policy.unit,
        snapshot_fields=["state", "published_on", "display_until"],
        update=update,
    )


@transaction.atomic
def batch_submit(*, actor, batch: RecipientBatch) -> RecipientBatch:
    return _run_batch(batch, "submit", AuditAction.BATCH_SUBMIT, actor=actor)


@transaction.atomic
def batch_send_back(*, actor, batch: RecipientBatch) -> RecipientBatch:
    return _run_batch(batch, "send_back", AuditAction.BATCH_SEND_BACK, actor=actor)


@transaction.atomic
def batch_publish(*, actor, batch: RecipientBatch) -> RecipientBatch:
    """Publish the list for its display period (公示期, a legal period computed on the calendar)."""

    def update(b):
        b.published_on = timezone.localdate()
        b.display_until = deadlines.due_date(b.published_on, DISPLAY_PERIOD)

    return _run_batch(batch, "publish", AuditAction.BATCH_PUBLISH, actor=actor, update=update)


def batches_close(*, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    n = 0
    for batch in RecipientBatch.objects.filter(state=BatchState.PUBLISHED, display_until__lt=today):
        with transaction.atomic():
            try:
                _run_batch(batch, "close", AuditAction.BATCH_CLOSE, actor=None)
            except transitions.TransitionRefused:
                continue
            n += 1
    return n


def recompute_due_dates() -> int:
    """Recompute stored display deadlines after a calendar or period change."""
    changed = 0
    with transaction.atomic():
        qs = RecipientBatch.objects.select_for_update().filter(state=BatchState.PUBLISHED, published_on__isnull=False)
        for batch in qs.select_related("item__policy__unit"):
            due = deadlines.due_date(batch.published_on, DISPLAY_PERIOD)
            if due != batch.display_until:
                before = {"display_until": batch.display_until}
                batch.display_until = due
                batch.save(update_fields=["display_until"])
                audit.record(
                    actor=None,
                    action=AuditAction.BATCH_DUE_RECOMPUTE,
                    obj=batch,
                    unit=batch.unit,
                    before=before,
                    after={"display_until": due},
                )
                changed += 1
    return changed
