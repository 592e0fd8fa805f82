"""Every state change of publications: drafting, the layered review, publishing,
withdrawal, attachments, repeal/amendment records and per-unit review policies.

Each function is keyword-only, runs in one transaction, authorises the actor against
the publication's unit (gongkai.core.permissions), records a hash-chained audit event
and schedules the search-index update after commit.

Workflow (per unit, see :class:`ReviewPolicy`)::

    draft ──submit──▶ attribute_review ──▶ [confidentiality_review] ──▶ [signoff] ──▶ published ──▶ withdrawn
      ▲                     │    └─ not proactive (art. 14–16) ──▶ retained ──reopen──┐
      └──── reject (with comments, from any review step) ◀────────────────────────────┘
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import audit, permissions
from gongkai.core import html as text
from gongkai.core import uploads as att
from gongkai.core.models import Organisation, Role, User

from . import indexing, numbering, timeliness
from .models import (
    NORMATIVE_TYPES,
    REVIEW_STATES,
    Attachment,
    Attribute,
    DocType,
    InterpretationForm,
    LegalLink,
    LinkKind,
    Publication,
    ReviewPolicy,
    State,
    Step,
    Transition,
)

EDITABLE_FIELDS = [
    "doc_type",
    "title",
    "body",
    "topic",
    "issuer",
    "document_number",
    "made_on",
    "changed_on",
    "effective_from",
    "expires_on",
    "interprets",
    "interpretation_form",
    "video_url",
    "needs_interpretation",
    "drafting_notes",
    "comment_until",
    "short_comment_reason",
    "fiscal_year",
    "budget_kind",
    "attribute",
    "attribute_ground",
    "attribute_reason",
    "unit_item",
    "domain",
]

AUDIT_FIELDS = [f for f in EDITABLE_FIELDS if f != "body"] + ["state", "index_number", "published_on", "due_on"]

#: who acts at each review step
STEP_ROLE = {
    State.ATTRIBUTE_REVIEW: Role.REVIEWER,
    State.CONFIDENTIALITY_REVIEW: Role.REVIEWER,
    State.SIGNOFF: Role.LEADER,
}
MIN_COMMENT_DAYS = 30  # 重大行政决策程序暂行条例 art. 15
INTERPRETABLE_TYPES = (DocType.POLICY, DocType.REGULATION, DocType.NORMATIVE, DocType.DRAFT_DECISION)


# --- helpers ---------------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def _has_field(name: str) -> bool:
    return any(f.name == name for f in Publication._meta.get_fields())


def _snapshot(pub: Publication) -> dict:
    return audit.snapshot(pub, [f if not _is_fk(f) else f + "_id" for f in AUDIT_FIELDS if _has_field(f)])


def _is_fk(name: str) -> bool:
    return name in {"interprets", "unit_item", "domain"}


def _check_refs(actor: User, cleaned: dict) -> None:
    interprets = cleaned.get("interprets")
    if interprets is not None and not permissions.can_view(actor, interprets.unit):
        raise ValidationError({"interprets": _("所选政策文件不存在或无权查看")})


def _lock(pub: Publication) -> Publication:
    return Publication.objects.select_for_update().select_related("unit").get(pk=pub.pk)


def review_policy(unit: Organisation) -> ReviewPolicy:
    """The unit's review policy (defaults when none is saved: every layer required)."""
    return ReviewPolicy.objects.filter(unit=unit).first() or ReviewPolicy(unit=unit)


def review_steps(unit: Organisation) -> list[str]:
    policy = review_policy(unit)
    steps = [State.ATTRIBUTE_REVIEW]
    if policy.require_confidentiality:
        steps.append(State.CONFIDENTIALITY_REVIEW)
    if policy.require_signoff:
        steps.append(State.SIGNOFF)
    return steps


def next_state(pub: Publication, current: str | None = None) -> str:
    """The state after ``current`` (default: the item's state) under the unit's policy."""
    current = current or pub.state
    steps = review_steps(pub.unit)
    if current not in steps:  # a layer switched off while the item waited there
        later = [s for s in steps if REVIEW_STATES.index(s) > REVIEW_STATES.index(current)]
        return later[0] if later else State.PUBLISHED
    i = steps.index(current)
    return steps[i + 1] if i + 1 < len(steps) else State.PUBLISHED


def is_final_step(pub: Publication) -> bool:
    return pub.state in REVIEW_STATES and next_state(pub) == State.PUBLISHED


def _require_step_role(actor: User, pub: Publication) -> None:
    role = STEP_ROLE.get(pub.state)
    if role is None:
        raise ValidationError(_("该信息当前不在审核环节"))
    permissions.require(actor, role, pub.unit)
    if review_policy(pub.unit).separate_reviewer and pub.created_by_id and pub.created_by_id == actor.pk:
        if not permissions.is_sysadmin(actor):
            raise PermissionDenied(_("起草人不能审核或签发自己起草的信息（本单位审核流程要求审核人与起草人分离）"))


def _trail(pub: Publication, step: str, before_state: str, actor: User | None, comment: str = "") -> None:
    Transition.objects.create(
        publication=pub,
        step=step,
        from_state=before_state,
        to_state=pub.state,
        actor=actor if actor and actor.pk else None,
        actor_name=actor.display_name if actor and actor.pk else "系统",
        comment=comment,
    )


def _record(actor, verb: str, pub: Publication, before: dict | None, after: dict | None) -> None:
    audit.record(
        actor=actor, action=f"publications.publication.{verb}", obj=pub, unit=pub.unit, before=before, after=after
    )


# --- validation ------------------------------------------------------------------


def _clean(data: dict, *, unit: Organisation, instance: Publication | None = None) -> dict:
    """Normalise and validate editable fields; raise ValidationError(dict) with Chinese messages."""
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    errors: dict[str, str] = {}
    out = dict(data)
    if "title" in out:
        out["title"] = text.clean_title(out["title"])
        if not out["title"]:
            errors["title"] = _("请填写标题（标题为纯文本，不能只包含标签或符号）")
        elif len(out["title"]) > 300:
            errors["title"] = _("标题不能超过300字")
    if "body" in out:
        out["body"] = text.sanitize_html(out["body"] or "")
    if "drafting_notes" in out:
        out["drafting_notes"] = text.sanitize_html(out["drafting_notes"] or "")
    for name in ("issuer", "document_number", "attribute_reason", "short_comment_reason", "video_url"):
        if name in out and out[name] is not None:
            out[name] = text.clean_title(out[name]) if name != "attribute_reason" else out[name].strip()
    merged = {f: getattr(instance, f, None) for f in EDITABLE_FIELDS if instance is not None and _has_field(f)}
    merged.update(out)
    doc_type = merged.get("doc_type")
    if doc_type not in DocType.values:
        errors["doc_type"] = _("请选择信息类型")
    made_on = merged.get("made_on")
    if made_on and made_on > _today():
        errors["made_on"] = _("成文日期不能晚于今天")
    if merged.get("changed_on") and made_on and merged["changed_on"] < made_on:
        errors["changed_on"] = _("变更日期不能早于成文日期")
    eff, exp = merged.get("effective_from"), merged.get("expires_on")
    if eff and exp and exp <= eff:
        errors["expires_on"] = _("失效日期必须晚于施行日期")
    if eff and made_on and eff < made_on:
        errors["effective_from"] = _("施行日期不能早于成文日期")
    interprets = merged.get("interprets")
    if doc_type == DocType.INTERPRETATION:
        if interprets is not None:
            if interprets.doc_type not in INTERPRETABLE_TYPES:
                errors["interprets"] = _("只能解读政策文件、规章、规范性文件或决策草案")
            elif instance is not None and interprets.pk == instance.pk:
                errors["interprets"] = _("解读不能指向自身")
            elif interprets.state in (State.WITHDRAWN, State.RETAINED):
                errors["interprets"] = _("所选政策文件已撤回或不予主动公开")
        if merged.get("interpretation_form") == InterpretationForm.VIDEO and not merged.get("video_url"):
            errors["video_url"] = _("视频解读须填写视频链接")
    elif "interprets" in out and interprets is not None:
        errors["interprets"] = _("只有政策解读可以关联所解读的文件")
    unit_item = merged.get("unit_item")
    if (
        unit_item is not None
        and unit_item.unit_id != unit.pk
        and getattr(unit_item, "responsible_unit_id", None) != unit.pk
    ):
        errors["unit_item"] = _("只能关联本单位目录中的事项")
    if out.get("fiscal_year") is not None and not (1990 <= out["fiscal_year"] <= _today().year + 1):
        errors["fiscal_year"] = _("预决算年度不正确")
    if errors:
        raise ValidationError(errors)
    if _has_field("domain") and unit_item is not None and not merged.get("domain"):
        catalogue = getattr(getattr(unit_item, "unit_list", None), "catalogue", None)
        if catalogue is not None:
            out["domain"] = catalogue.domain
    return out


def readiness_errors(pub: Publication) -> dict[str, str]:
    """What is missing before an item can go to review (shown to the editor)."""
    errors: dict[str, str] = {}
    if not pub.title:
        errors["title"] = _("请填写标题")
    has_files = pub.pk and pub.attachments.exists()
    if (
        not text.plain_text(pub.body)
        and not has_files
        and not (pub.doc_type == DocType.INTERPRETATION and pub.video_url)
    ):
        errors["body"] = _("请填写正文或上传附件")
    if not pub.made_on:
        errors["made_on"] = _("请填写成文日期")
    if pub.doc_type in NORMATIVE_TYPES:
        if not pub.issuer:
            errors["issuer"] = _("规章和规范性文件须填写发文机关")
        if not pub.document_number:
            errors["document_number"] = _("规章和规范性文件须填写发文字号")
        if not pub.effective_from:
            errors["effective_from"] = _("规章和规范性文件须填写施行日期")
    if pub.doc_type == DocType.INTERPRETATION:
        if not pub.interprets_id:
            errors["interprets"] = _("请选择所解读的政策文件")
        if not pub.interpretation_form:
            errors["interpretation_form"] = _("请选择解读形式")
    if pub.doc_type == DocType.DRAFT_DECISION:
        if not text.plain_text(pub.drafting_notes):
            errors["drafting_notes"] = _("重大行政决策草案须附起草说明")
        if not pub.comment_until:
            errors["comment_until"] = _("请填写意见征集截止日期")
    if pub.doc_type == DocType.BUDGET:
        if not pub.fiscal_year:
            errors["fiscal_year"] = _("请填写预决算年度")
        if not pub.budget_kind:
            errors["budget_kind"] = _("请选择预算或决算")
    return errors


def _check_comment_period(pub: Publication, start: dt.date) -> None:
    if pub.doc_type != DocType.DRAFT_DECISION or not pub.comment_until:
        return
    days = (pub.comment_until - start).days
    if days < MIN_COMMENT_DAYS and not pub.short_comment_reason:
        raise ValidationError(
            {
                "comment_until": _(
                    "意见征集期自发布之日起仅 %(days)s 日，少于30日须说明理由（重大行政决策程序暂行条例第十五条）"
                )
                % {"days": max(days, 0)}
            }
        )


# --- drafting --------------------------------------------------------------------


@transaction.atomic
def publication_create(*, actor: User, unit: Organisation, **data) -> Publication:
    permissions.require(actor, Role.EDITOR, unit)
    data.setdefault("title", "")
    cleaned = _clean(data, unit=unit)
    _check_refs(actor, cleaned)
    pub = Publication(unit=unit, created_by=actor, **cleaned)
    if not pub.issuer:
        pub.issuer = unit.name
    pub.plain_text = text.plain_text(pub.body)
    pub.due_on = timeliness.due_date_for(pub)
    pub.save()
    _record(actor, "create", pub, None, _snapshot(pub))
    return pub


@transaction.atomic
def publication_update(*, actor: User, publication: Publication, **data) -> Publication:
    pub = _lock(publication)
    permissions.require(actor, Role.EDITOR, pub.unit)
    if pub.state != State.DRAFT:
        raise ValidationError(_("只有草稿可以修改；审核中的信息请先由审核人退回"))
    before = _snapshot(pub)
    cleaned = _clean(data, unit=pub.unit, instance=pub)
    _check_refs(actor, cleaned)
    for key, value in cleaned.items():
        setattr(pub, key, value)
    pub.plain_text = text.plain_text(pub.body)
    pub.due_on = timeliness.due_date_for(pub)
    pub.save()
    _record(actor, "update", pub, before, _snapshot(pub))
    return pub


@transaction.atomic
def publication_delete(*, actor: User, publication: Publication) -> None:
    pub = _lock(publication)
    permissions.require(actor, Role.EDITOR, pub.unit)
    if pub.state != State.DRAFT or pub.transitions.exists():
        raise ValidationError(_("只能删除从未提交审核的草稿"))
    if pub.interpretations.exists():
        raise ValidationError(_("已有政策解读关联此文件，不能删除"))
    _record(actor, "delete", pub, _snapshot(pub), None)
    files = [a.file for a in pub.attachments.all() if a.file]
    pub.delete()
    transaction.on_commit(lambda: [f.storage.delete(f.name) for f in files if not _file_shared(f.name)])


def _file_shared(name: str) -> bool:
    return Attachment.objects.filter(file=name).exists()


@transaction.atomic
def attachment_add(*, actor: User, publication: Publication, name: str, data: bytes) -> Attachment:
    pub = _lock(publication)
    permissions.require(actor, Role.EDITOR, pub.unit)
    if pub.state != State.DRAFT:
        raise ValidationError(_("只能在草稿阶段添加附件"))
    checked = att.check_file(name, data)
    attachment = Attachment(
        publication=pub,
        name=checked.name,
        content_type=checked.content_type,
        extension=checked.extension,
        size=checked.size,
        sha256=checked.sha256,
        text=checked.text,
        uploaded_by=actor,
        sort_order=pub.attachments.count(),
    )
    existing = Attachment.objects.filter(sha256=checked.sha256).exclude(file="").first()
    if existing and existing.file.storage.exists(existing.file.name):
        attachment.file.name = existing.file.name  # same bytes already stored: share the file
    else:
        attachment.file.save(checked.name, ContentFile(checked.data), save=False)
    attachment.save()
    audit.record(
        actor=actor,
        action="publications.attachment.add",
        obj=attachment,
        unit=pub.unit,
        after={"publication": pub.pk, "name": attachment.name, "size": attachment.size, "sha256": attachment.sha256},
    )
    return attachment


@transaction.atomic
def attachment_remove(*, actor: User, attachment: Attachment) -> None:
    pub = _lock(attachment.publication)
    permissions.require(actor, Role.EDITOR, pub.unit)
    if pub.state != State.DRAFT:
        raise ValidationError(_("只能在草稿阶段删除附件"))
    audit.record(
        actor=actor,
        action="publications.attachment.remove",
        obj=attachment,
        unit=pub.unit,
        before={"publication": pub.pk, "name": attachment.name, "sha256": attachment.sha256},
    )
    name = attachment.file.name if attachment.file else ""
    storage = attachment.file.storage if attachment.file else None
    attachment.delete()
    if name:
        transaction.on_commit(lambda: None if _file_shared(name) else storage.delete(name))


@transaction.atomic
def publication_link_unit_item(*, actor: User, publication: Publication, unit_item) -> Publication:
    """Link an item (in any state) to the catalogue item it fulfils, or unlink (None).

    The due date and, for published items, the late flag are recomputed from the
    catalogue item's timeframe."""
    pub = _lock(publication)
    permissions.require(actor, [Role.EDITOR, Role.REVIEWER], pub.unit)
    before = _snapshot(pub)
    cleaned = _clean({"unit_item": unit_item}, unit=pub.unit, instance=pub)
    pub.unit_item = cleaned["unit_item"]
    if cleaned.get("domain") is not None and not getattr(pub, "domain_id", None):
        pub.domain = cleaned["domain"]
    pub.due_on = timeliness.due_date_for(pub)
    if pub.published_on:
        pub.is_late = timeliness.is_late(pub)
    pub.save()
    _record(actor, "link_unit_item", pub, before, _snapshot(pub))
    if pub.state == State.PUBLISHED:
        indexing.schedule(pub)
    return pub


# --- review workflow -------------------------------------------------------------


@transaction.atomic
def publication_submit(*, actor: User, publication: Publication, comment: str = "") -> Publication:
    pub = _lock(publication)
    permissions.require(actor, Role.EDITOR, pub.unit)
    if pub.state != State.DRAFT:
        raise ValidationError(_("只有草稿可以提交审核"))
    errors = readiness_errors(pub)
    if errors:
        raise ValidationError(errors)
    _check_comment_period(pub, _today())
    before = pub.state
    pub.submit()
    pub.save()
    _trail(pub, Step.SUBMIT, before, actor, comment.strip())
    _record(actor, "submit", pub, {"state": before}, {"state": pub.state, "comment": comment.strip()})
    return pub


@transaction.atomic
def publication_review_attribute(
    *,
    actor: User,
    publication: Publication,
    attribute: str,
    ground: str = "",
    reason: str = "",
    comment: str = "",
    interpretation_waiver: str = "",
) -> Publication:
    """公开属性审查. Proactive → next layer (or published); anything else needs the legal
    ground and a reason (政府信息公开条例 art. 14–16) and the item is kept, not published."""
    pub = _lock(publication)
    if pub.state != State.ATTRIBUTE_REVIEW:
        raise ValidationError(_("该信息当前不在公开属性审查环节"))
    _require_step_role(actor, pub)
    if attribute not in Attribute.values:
        raise ValidationError({"attribute": _("请选择公开属性")})
    reason, comment, waiver = reason.strip(), comment.strip(), interpretation_waiver.strip()
    before = {"state": pub.state, "attribute": pub.attribute}
    if attribute != Attribute.PROACTIVE:
        errors = {}
        if not ground:
            errors["ground"] = _("不主动公开的，须选择法律依据")
        if not reason:
            errors["reason"] = _("不主动公开的，须说明理由")
        if errors:
            raise ValidationError(errors)
        pub.attribute, pub.attribute_ground, pub.attribute_reason = attribute, ground, reason
        pub.retain()
        pub.save()
        _trail(
            pub,
            Step.RETAIN,
            before["state"],
            actor,
            f"{pub.get_attribute_display()}：{pub.get_attribute_ground_display()}。{reason}",
        )
        _record(
            actor,
            "retain",
            pub,
            before,
            {"state": pub.state, "attribute": attribute, "ground": ground, "reason": reason},
        )
        return pub
    pub.attribute, pub.attribute_ground, pub.attribute_reason = Attribute.PROACTIVE, "", ""
    if waiver:
        pub.interpretation_waiver = waiver
    target = next_state(pub)
    companions = _publish_checks(pub, actor) if target == State.PUBLISHED else []
    pub.approve_attribute(target)
    _after_approval(pub, actor, Step.ATTRIBUTE, before, comment, companions, extra={"interpretation_waiver": waiver})
    return pub


@transaction.atomic
def publication_review_confidentiality(*, actor: User, publication: Publication, comment: str = "") -> Publication:
    """保密审查: the reviewer confirms the content contains no state secrets or other
    information that may not be disclosed (保守国家秘密法; 政府信息公开条例 art. 17)."""
    pub = _lock(publication)
    if pub.state != State.CONFIDENTIALITY_REVIEW:
        raise ValidationError(_("该信息当前不在保密审查环节"))
    _require_step_role(actor, pub)
    before = {"state": pub.state}
    target = next_state(pub)
    companions = _publish_checks(pub, actor) if target == State.PUBLISHED else []
    pub.approve_confidentiality(target)
    _after_approval(pub, actor, Step.CONFIDENTIALITY, before, comment.strip(), companions)
    return pub


@transaction.atomic
def publication_sign_off(*, actor: User, publication: Publication, comment: str = "") -> Publication:
    pub = _lock(publication)
    if pub.state != State.SIGNOFF:
        raise ValidationError(_("该信息当前不在负责人签发环节"))
    _require_step_role(actor, pub)
    before = {"state": pub.state}
    companions = _publish_checks(pub, actor)
    pub.sign_off()
    _after_approval(pub, actor, Step.SIGNOFF, before, comment.strip(), companions)
    return pub


@transaction.atomic
def publication_reject(*, actor: User, publication: Publication, comment: str) -> Publication:
    pub = _lock(publication)
    if pub.state not in REVIEW_STATES:
        raise ValidationError(_("该信息当前不在审核环节，不能退回"))
    _require_step_role(actor, pub)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("退回修改须填写审核意见")})
    before = pub.state
    pub.reject()
    pub.save()
    _trail(pub, Step.REJECT, before, actor, comment)
    _record(actor, "reject", pub, {"state": before}, {"state": pub.state, "comment": comment})
    return pub


@transaction.atomic
def publication_reopen(*, actor: User, publication: Publication, comment: str = "") -> Publication:
    """An item kept as not-proactive goes back to draft (e.g. the reason no longer applies)."""
    pub = _lock(publication)
    permissions.require(actor, [Role.EDITOR, Role.REVIEWER], pub.unit)
    if pub.state != State.RETAINED:
        raise ValidationError(_("只有不予主动公开的信息可以重新编辑"))
    before = pub.state
    pub.reopen()
    pub.attribute, pub.attribute_ground, pub.attribute_reason = Attribute.PROACTIVE, "", ""
    pub.save()
    _trail(pub, Step.REOPEN, before, actor, comment.strip())
    _record(actor, "reopen", pub, {"state": before}, {"state": pub.state})
    return pub


@transaction.atomic
def publication_withdraw(*, actor: User, publication: Publication, reason: str) -> Publication:
    """Withdraw a published item; the reason is shown publicly on the item's page."""
    pub = _lock(publication)
    permissions.require(actor, [Role.LEADER, Role.DISCLOSURE_OFFICE], pub.unit)
    if pub.state != State.PUBLISHED:
        raise ValidationError(_("只有已发布的信息可以撤回"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("撤回须填写公开说明的理由")})
    before = pub.state
    pub.withdraw()
    pub.withdrawn_at = timezone.now()
    pub.withdrawn_reason = text.clean_title(reason)
    pub.save()
    _trail(pub, Step.WITHDRAW, before, actor, pub.withdrawn_reason)
    _record(actor, "withdraw", pub, {"state": before}, {"state": pub.state, "reason": pub.withdrawn_reason})
    indexing.schedule(pub)
    for interp in pub.interpretations.filter(state=State.PUBLISHED):
        indexing.schedule(interp)
    return pub


# --- publishing -------------------------------------------------------------------


def _publish_checks(pub: Publication, actor: User) -> list[Publication]:
    """Rules checked at the moment of publication; returns items published together.

    Synchronous release of interpretations (国办发〔2016〕80号 / 政务公开工作要点): a policy
    marked as needing interpretation is published only with a published interpretation, or
    together with one waiting at its final review step, unless the reviewer recorded why not.
    """
    _check_comment_period(pub, _today())
    companions: list[Publication] = []
    if pub.doc_type == DocType.INTERPRETATION and pub.interprets_id:
        policy = Publication.objects.select_for_update().get(pk=pub.interprets_id)
        if policy.state in (State.WITHDRAWN, State.RETAINED):
            raise ValidationError(_("所解读的政策文件已撤回或不予主动公开，解读不能发布"))
        if policy.state != State.PUBLISHED:
            if policy.state not in REVIEW_STATES or not is_final_step(policy):
                raise ValidationError(
                    _(
                        "所解读的政策文件《%(title)s》尚未发布，也未到达最后审核环节；"
                        "政策解读应与政策文件同步发布，请待文件审核到最后环节后一并办理"
                    )
                    % {"title": policy.title}
                )
            _require_step_role(actor, policy)
            _check_comment_period(policy, _today())
            companions.append(policy)
    elif pub.needs_interpretation and not pub.interpretation_waiver:
        interps = Publication.objects.filter(interprets=pub, doc_type=DocType.INTERPRETATION)
        if not interps.filter(state=State.PUBLISHED).exists():
            ready = [i for i in interps.filter(state__in=REVIEW_STATES).select_related("unit") if is_final_step(i)]
            if not ready:
                raise ValidationError(
                    _(
                        "该政策文件标记为需要解读，但还没有已发布或已审核到最后环节的政策解读。"
                        "请先起草并报审解读材料（同步发布），或由审核员在公开属性审查时填写不同步解读的理由"
                    )
                )
            for interp in ready:
                _require_step_role(actor, interp)
            companions.extend(ready)
    return companions


_STEP_TRANSITION = {
    State.ATTRIBUTE_REVIEW: ("approve_attribute", Step.ATTRIBUTE),
    State.CONFIDENTIALITY_REVIEW: ("approve_confidentiality", Step.CONFIDENTIALITY),
    State.SIGNOFF: ("sign_off", Step.SIGNOFF),
}


def _after_approval(pub, actor, step, before, comment, companions, extra=None) -> None:
    if pub.state == State.PUBLISHED:
        _mark_published(pub)
    pub.save()
    _trail(pub, step, before["state"], actor, comment)
    after = {"state": pub.state, "comment": comment, **(extra or {})}
    if pub.state == State.PUBLISHED:
        after.update(index_number=pub.index_number, published_on=pub.published_on, is_late=pub.is_late)
    _record(actor, step if step != Step.SIGNOFF else "sign_off", pub, before, after)
    if pub.state == State.PUBLISHED:
        _record(actor, "publish", pub, {"state": before["state"]}, after)
        indexing.schedule(pub)
        for other in companions:
            _publish_companion(other, actor, pub)


def _publish_companion(other: Publication, actor: User, trigger: Publication) -> None:
    other = _lock(other)
    method, step = _STEP_TRANSITION[other.state]
    before = other.state
    if method == "sign_off":
        other.sign_off()
    else:
        getattr(other, method)(State.PUBLISHED)
    _mark_published(other)
    other.save()
    comment = f"与《{trigger.title}》同步发布"
    _trail(other, step, before, actor, comment)
    after = {
        "state": other.state,
        "index_number": other.index_number,
        "published_on": other.published_on,
        "with": trigger.pk,
    }
    _record(actor, "publish", other, {"state": before}, after)
    indexing.schedule(other)


def _mark_published(pub: Publication) -> None:
    now = timezone.now()
    pub.published_at = now
    pub.published_on = timezone.localdate(now)
    if not pub.index_number:
        pub.index_number = numbering.allocate(pub, pub.published_on)
    pub.due_on = timeliness.due_date_for(pub)
    pub.is_late = timeliness.is_late(pub)


# --- normative documents ------------------------------------------------------------


@transaction.atomic
def legal_link_add(
    *,
    actor: User,
    target: Publication,
    kind: str,
    effective_on: dt.date,
    by: Publication | None = None,
    note: str = "",
) -> LegalLink:
    """Record that ``target`` is repealed or amended from ``effective_on`` (optionally by
    another published document). The target's status changes by itself on that date."""
    target = _lock(target)
    permissions.require(actor, [Role.REVIEWER, Role.LEADER, Role.DISCLOSURE_OFFICE], target.unit)
    errors = {}
    if target.doc_type not in NORMATIVE_TYPES:
        errors["target"] = _("只有规章和规范性文件可以登记废止或修改")
    elif target.state != State.PUBLISHED:
        errors["target"] = _("只能对已发布的文件登记废止或修改")
    if kind not in LinkKind.values:
        errors["kind"] = _("请选择废止或修改")
    if effective_on is None:
        errors["effective_on"] = _("请填写生效日期")
    elif target.effective_from and effective_on < target.effective_from:
        errors["effective_on"] = _("废止/修改的生效日期不能早于该文件的施行日期")
    if by is not None:
        if by.pk == target.pk:
            errors["by"] = _("文件不能废止或修改自身")
        elif by.state != State.PUBLISHED:
            errors["by"] = _("依据文件须为已发布的文件")
    if kind == LinkKind.REPEAL and target.legal_links_in.filter(kind=LinkKind.REPEAL).exists():
        errors["kind"] = _("该文件已登记废止")
    if LegalLink.objects.filter(kind=kind, target=target, by=by).exists():
        errors["by"] = _("该记录已存在")
    if errors:
        raise ValidationError(errors)
    link = LegalLink.objects.create(
        kind=kind, target=target, by=by, effective_on=effective_on, note=text.clean_title(note)[:500], created_by=actor
    )
    audit.record(
        actor=actor,
        action=f"publications.legal_link.{kind}",
        obj=link,
        unit=target.unit,
        after={"target": target.pk, "by": by.pk if by else None, "effective_on": effective_on, "note": link.note},
    )
    indexing.schedule(target)
    return link


# --- review policy ----------------------------------------------------------------


@transaction.atomic
def review_policy_set(
    *,
    actor: User,
    unit: Organisation,
    require_confidentiality: bool,
    require_signoff: bool,
    separate_reviewer: bool,
) -> ReviewPolicy:
    permissions.require(actor, [Role.LEADER, Role.DISCLOSURE_OFFICE], unit)
    policy, _ = ReviewPolicy.objects.select_for_update().get_or_create(unit=unit)
    before = audit.snapshot(policy, ["require_confidentiality", "require_signoff", "separate_reviewer"])
    policy.require_confidentiality = bool(require_confidentiality)
    policy.require_signoff = bool(require_signoff)
    policy.separate_reviewer = bool(separate_reviewer)
    policy.save()
    audit.record(
        actor=actor,
        action="publications.review_policy.update",
        obj=policy,
        unit=unit,
        before=before,
        after=audit.snapshot(policy, ["require_confidentiality", "require_signoff", "separate_reviewer"]),
    )
    return policy


@dataclass
class Available:
    """What ``user`` may do with ``pub`` now (for buttons and API links)."""

    edit: bool = False
    submit: bool = False
    review_attribute: bool = False
    review_confidentiality: bool = False
    sign_off: bool = False
    reject: bool = False
    withdraw: bool = False
    reopen: bool = False
    legal_link: bool = False
    own_draft_blocked: bool = False


def available_actions(user, pub: Publication) -> Available:
    a = Available()
    unit = pub.unit
    is_editor = permissions.has_role(user, Role.EDITOR, unit)
    if pub.state == State.DRAFT:
        a.edit = a.submit = is_editor
    elif pub.state in REVIEW_STATES:
        role = STEP_ROLE[pub.state]
        allowed = permissions.has_role(user, role, unit)
        if (
            allowed
            and review_policy(unit).separate_reviewer
            and pub.created_by_id == user.pk
            and not permissions.is_sysadmin(user)
        ):
            allowed = False
            a.own_draft_blocked = True
        a.reject = allowed
        a.review_attribute = allowed and pub.state == State.ATTRIBUTE_REVIEW
        a.review_confidentiality = allowed and pub.state == State.CONFIDENTIALITY_REVIEW
        a.sign_off = allowed and pub.state == State.SIGNOFF
    elif pub.state == State.PUBLISHED:
        a.withdraw = permissions.has_any_role(user, [Role.LEADER, Role.DISCLOSURE_OFFICE], unit)
        a.legal_link = pub.is_normative and permissions.has_any_role(
            user, [Role.REVIEWER, Role.LEADER, Role.DISCLOSURE_OFFICE], unit
        )
    elif pub.state == State.RETAINED:
        a.reopen = permissions.has_any_role(user, [Role.EDITOR, Role.REVIEWER], unit)
    return a
