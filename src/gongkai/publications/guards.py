"""Who may run each transition of a publication, and what must hold first.

The state machine (``Publication`` in :mod:`.models`) names these functions in its
``@transition(permission=..., conditions=...)`` declarations; services run transitions through
:func:`gongkai.core.transitions.run`, so the checks live here once and buttons, API links and
refusals all follow from them.

Review layering (分级审核, per unit, :class:`~.models.ReviewPolicy`): 公开属性审查 (reviewer) →
保密审查 (reviewer, optional) → 负责人签发 (leader, optional) → published. With
``separate_reviewer`` (the default) nobody reviews or signs off what they drafted.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.core import permissions
from gongkai.core.html import plain_text
from gongkai.core.models import Organisation, Role
from gongkai.core.transitions import condition

from .choices import MIN_COMMENT_DAYS, NORMATIVE_TYPES, REVIEW_STATES, DocType, State

#: who acts at each review step
STEP_ROLE = {
    State.ATTRIBUTE_REVIEW: Role.REVIEWER,
    State.CONFIDENTIALITY_REVIEW: Role.REVIEWER,
    State.SIGNOFF: Role.LEADER,
}


def _today() -> dt.date:
    return timezone.localdate()


# --- review policy ----------------------------------------------------------------------------


def review_policy(unit: Organisation):
    """The unit's review policy (an unsaved default when none is saved: every layer required)."""
    from .models import ReviewPolicy

    try:
        return unit.review_policy
    except ObjectDoesNotExist:
        return ReviewPolicy(unit=unit)


def review_steps(unit: Organisation) -> list[str]:
    policy = review_policy(unit)
    steps = [State.ATTRIBUTE_REVIEW]
    if policy.require_confidentiality:
        steps.append(State.CONFIDENTIALITY_REVIEW)
    if policy.require_signoff:
        steps.append(State.SIGNOFF)
    return steps


def next_state(pub, current: str | None = None) -> str:
    """The state after ``current`` (default: the item's state) under the unit's policy."""
    current = current or pub.state
    steps = review_steps(pub.unit)
    if current not in steps:  # a layer switched off while the item waited there
        later = [s for s in steps if REVIEW_STATES.index(s) > REVIEW_STATES.index(current)]
        return later[0] if later else State.PUBLISHED
    i = steps.index(current)
    return steps[i + 1] if i + 1 < len(steps) else State.PUBLISHED


def is_final_step(pub) -> bool:
    return pub.state in REVIEW_STATES and next_state(pub) == State.PUBLISHED


# --- permissions (instance, user) -> bool ---------------------------------------------------------


def may_edit(pub, user) -> bool:
    """The unit's editors (信息员) draft and edit."""
    return permissions.has_role(user, Role.EDITOR, pub.unit)


def own_draft_blocked(pub, user) -> bool:
    """The unit requires separate reviewers and ``user`` drafted the item."""
    return (
        bool(pub.created_by_id)
        and pub.created_by_id == getattr(user, "pk", None)
        and review_policy(pub.unit).separate_reviewer
        and not permissions.is_superuser(user)
    )


def may_review(pub, user) -> bool:
    """The role of the current review step in the item's unit, and not the item's own drafter."""
    role = STEP_ROLE.get(pub.state)
    return role is not None and permissions.has_role(user, role, pub.unit) and not own_draft_blocked(pub, user)


def may_reopen(pub, user) -> bool:
    return permissions.has_any_role(user, [Role.EDITOR, Role.REVIEWER], pub.unit)


def may_withdraw(pub, user) -> bool:
    return permissions.has_any_role(user, [Role.LEADER, Role.DISCLOSURE_OFFICE], pub.unit)


def may_record_legal_link(pub, user) -> bool:
    return permissions.has_any_role(user, [Role.REVIEWER, Role.LEADER, Role.DISCLOSURE_OFFICE], pub.unit)


def may_link_unit_item(pub, user) -> bool:
    return permissions.has_any_role(user, [Role.EDITOR, Role.REVIEWER], pub.unit)


# --- conditions (instance) -> bool --------------------------------------------------------------


def _is(pub, *types) -> bool:
    return pub.doc_type in types


def comment_days(pub, start: dt.date | None = None) -> int | None:
    if pub.doc_type != DocType.DRAFT_DECISION or not pub.comment_until:
        return None
    return (pub.comment_until - (start or _today())).days


@condition(_("请填写标题"))
def has_title(pub) -> bool:
    return bool(pub.title)


@condition(_("请填写正文或上传附件"))
def has_content(pub) -> bool:
    if plain_text(pub.body) or (pub.doc_type == DocType.INTERPRETATION and pub.video_url):
        return True
    return bool(pub.pk) and pub.attachments.exists()


@condition(_("请填写成文日期"))
def has_made_on(pub) -> bool:
    return bool(pub.made_on)


@condition(_("规章和规范性文件须填写发文机关"))
def normative_has_issuer(pub) -> bool:
    return not _is(pub, *NORMATIVE_TYPES) or bool(pub.issuer)


@condition(_("规章和规范性文件须填写发文字号"))
def normative_has_number(pub) -> bool:
    return not _is(pub, *NORMATIVE_TYPES) or bool(pub.document_number)


@condition(_("规章和规范性文件须填写施行日期"))
def normative_has_effective_date(pub) -> bool:
    return not _is(pub, *NORMATIVE_TYPES) or bool(pub.effective_from)


@condition(_("请选择所解读的政策文件"))
def interpretation_has_target(pub) -> bool:
    return not _is(pub, DocType.INTERPRETATION) or bool(pub.interprets_id)


@condition(_("请选择解读形式"))
def interpretation_has_form(pub) -> bool:
    return not _is(pub, DocType.INTERPRETATION) or bool(pub.interpretation_form)


@condition(_("重大行政决策草案须附起草说明"))
def draft_decision_has_notes(pub) -> bool:
    return not _is(pub, DocType.DRAFT_DECISION) or bool(plain_text(pub.drafting_notes))


@condition(_("请填写意见征集截止日期"))
def draft_decision_has_comment_until(pub) -> bool:
    return not _is(pub, DocType.DRAFT_DECISION) or bool(pub.comment_until)


@condition(_("意见征集期自今日起少于30日，须填写缩短的理由（重大行政决策程序暂行条例第十五条）"))
def comment_period_ok(pub) -> bool:
    days = comment_days(pub)
    return days is None or days >= MIN_COMMENT_DAYS or bool(pub.short_comment_reason)


@condition(_("请填写预决算年度"))
def budget_has_year(pub) -> bool:
    return not _is(pub, DocType.BUDGET) or bool(pub.fiscal_year)


@condition(_("请选择预算或决算"))
def budget_has_kind(pub) -> bool:
    return not _is(pub, DocType.BUDGET) or bool(pub.budget_kind)


#: What an item needs before it goes to review: (form field, condition). ``submit`` declares
#: these conditions; the editor's page lists the unmet ones next to their fields.
READINESS = [
    ("title", has_title),
    ("body", has_content),
    ("made_on", has_made_on),
    ("issuer", normative_has_issuer),
    ("document_number", normative_has_number),
    ("effective_from", normative_has_effective_date),
    ("interprets", interpretation_has_target),
    ("interpretation_form", interpretation_has_form),
    ("drafting_notes", draft_decision_has_notes),
    ("comment_until", draft_decision_has_comment_until),
    ("comment_until", comment_period_ok),
    ("fiscal_year", budget_has_year),
    ("budget_kind", budget_has_kind),
]
SUBMIT_CONDITIONS = [c for _field, c in READINESS]


def readiness_errors(pub) -> dict[str, str]:
    """What is missing before ``pub`` can go to review: ``{field: message}``."""
    errors: dict[str, str] = {}
    for field, check in READINESS:
        if field not in errors and not check(pub):
            errors[field] = str(check.refusal_message)
    return errors


def _publishes_now(pub) -> bool:
    return pub.state == State.SIGNOFF or is_final_step(pub)


@condition(_("意见征集期自发布之日起少于30日，须说明理由（重大行政决策程序暂行条例第十五条）"))
def comment_period_ok_at_publication(pub) -> bool:
    return not _publishes_now(pub) or comment_period_ok(pub)


@condition(
    _(
        "政策解读应与政策文件同步发布：所解读的政策文件尚未发布，也未到达最后审核环节，"
        "或已撤回、不予主动公开；请待文件审核到最后环节后一并办理"
    )
)
def interpreted_policy_ready(pub) -> bool:
    if not _publishes_now(pub) or pub.doc_type != DocType.INTERPRETATION or not pub.interprets_id:
        return True
    policy = pub.interprets
    return policy.state == State.PUBLISHED or (policy.state in REVIEW_STATES and is_final_step(policy))


@condition(
    _(
        "该政策文件标记为需要解读，但还没有已发布或已审核到最后环节的政策解读：请先起草并报审解读材料（同步发布），"
        "或由审核人登记不同步解读的理由"
    )
)
def interpretation_ready(pub) -> bool:
    if not _publishes_now(pub) or not pub.needs_interpretation or pub.interpretation_waiver:
        return True
    if pub.doc_type == DocType.INTERPRETATION:
        return True
    interps = pub.interpretations.filter(doc_type=DocType.INTERPRETATION)
    if interps.filter(state=State.PUBLISHED).exists():
        return True
    return any(is_final_step(i) for i in interps.filter(state__in=REVIEW_STATES).select_related("unit"))


PUBLISH_CONDITIONS = [comment_period_ok_at_publication, interpreted_policy_ready, interpretation_ready]


@condition(_("该文件不需要解读，或已有政策解读、已登记不同步解读的理由"))
def interpretation_waivable(pub) -> bool:
    if not pub.needs_interpretation or pub.interpretation_waiver or pub.doc_type == DocType.INTERPRETATION:
        return False
    return not pub.interpretations.filter(state=State.PUBLISHED).exists()


@condition(_("只有规章和规范性文件可以登记废止或修改"))
def is_normative(pub) -> bool:
    return pub.doc_type in NORMATIVE_TYPES
