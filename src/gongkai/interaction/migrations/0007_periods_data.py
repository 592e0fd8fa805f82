"""Appeal time limits, the reopening period, the FAQ review cycle and the consultation minimum become
legal periods in core (``core.LegalPeriod``): each appeal type is linked to its period
``appeal.<code>``, the values an administrator had set in ``Policy`` and on the types are carried
over to the periods, and the new date fields are filled from the records.
"""

import calendar
import datetime as dt

from django.db import migrations
from django.utils import timezone

STARTS_ON = "收到留言之日（重新办理的，自申请重新办理之日）"
BASIS = "平台默认值（各地政务咨询办理规定不一，可配置）"
DEFAULT_TYPES = [
    ("consult", "咨询", "政策、办事等方面的咨询", 1),
    ("suggest", "建议", "对政府工作的意见建议", 2),
    ("complain", "投诉", "对行政机关及其工作人员的投诉", 3),
    ("help", "求助", "生产生活中遇到困难需要帮助", 4),
]
REOPEN = {
    "name": "留言办结后申请重新办理期限",
    "app": "interaction",
    "length": 15,
    "unit": "calendar_days",
    "starts_on": "留言办结之日",
    "legal_basis": "平台规则：留言人对办理结果不满意的，可在办结后申请重新办理一次（期限可配置）",
    "is_maximum": False,
    "note": "",
}


def seed(apps, schema_editor):
    """Reference rows (idempotent; also re-seeded by the test suite after flushes): the reopening
    period and the four default appeal types linked to their periods."""
    LegalPeriod = apps.get_model("core", "LegalPeriod")
    AppealType = apps.get_model("interaction", "AppealType")
    Policy = apps.get_model("interaction", "Policy")
    LegalPeriod.objects.get_or_create(code="appeal.reopen", defaults=REOPEN)
    for code, name, description, order in DEFAULT_TYPES:
        period = LegalPeriod.objects.filter(code=f"appeal.{code}").first()
        if period is None:
            continue  # core's seed did not run (never in practice)
        AppealType.objects.get_or_create(
            code=code, defaults={"name": name, "description": description, "period": period, "sort_order": order}
        )
    Policy.objects.get_or_create(pk=1)


def add_months(d: dt.date, months: int) -> dt.date:
    """As gongkai.core.deadlines.add_months (copied: migrations do not import product code)."""
    month0 = d.month - 1 + months
    year, month = d.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _set_length(LegalPeriod, code: str, length) -> None:
    if length:
        LegalPeriod.objects.filter(code=code).exclude(length=length).update(length=length)


def carry_over(apps, schema_editor):
    LegalPeriod = apps.get_model("core", "LegalPeriod")
    AppealType = apps.get_model("interaction", "AppealType")
    Policy = apps.get_model("interaction", "Policy")
    Appeal = apps.get_model("interaction", "Appeal")
    AppealStep = apps.get_model("interaction", "AppealStep")
    FaqEntry = apps.get_model("interaction", "FaqEntry")

    LegalPeriod.objects.get_or_create(code="appeal.reopen", defaults=REOPEN)
    LegalPeriod.objects.filter(app="interaction", code__startswith="appeal.").exclude(code="appeal.reopen").update(
        starts_on=STARTS_ON
    )
    policy = Policy.objects.filter(pk=1).first()
    months = 12
    if policy is not None:
        _set_length(LegalPeriod, "appeal.reopen", policy.reopen_days)
        _set_length(LegalPeriod, "faq.review", policy.faq_review_months)
        _set_length(LegalPeriod, "consultation.minimum", policy.consultation_min_days)
        months = policy.faq_review_months or 12

    for t in AppealType.objects.all():
        period, _created = LegalPeriod.objects.get_or_create(
            code=f"appeal.{t.code}",
            defaults={
                "name": f"{t.name}类留言办理时限",
                "app": "interaction",
                "length": t.time_limit_days,
                "unit": "working_days",
                "starts_on": STARTS_ON,
                "legal_basis": BASIS,
            },
        )
        _set_length(LegalPeriod, period.code, t.time_limit_days)
        t.period_id = period.code
        t.save(update_fields=["period"])

    reopened = {}
    for appeal_id, created_at in AppealStep.objects.filter(kind="reopened").values_list("appeal_id", "created_at"):
        day = timezone.localdate(created_at)
        reopened[appeal_id] = max(day, reopened.get(appeal_id, day))
    for appeal in Appeal.objects.filter(clock_started_on__isnull=True).only("pk", "received_at"):
        start = reopened.get(appeal.pk) or timezone.localdate(appeal.received_at)
        Appeal.objects.filter(pk=appeal.pk).update(clock_started_on=start)

    # FAQ: the last edit counts as the last review; a review date that the old default
    # (months × 30.4 days after the edit) produced follows the review cycle from now on.
    for entry in FaqEntry.objects.only("pk", "updated_at", "review_date"):
        edited = timezone.localdate(entry.updated_at)
        default = edited + dt.timedelta(days=round(months * 30.4))
        manual = entry.review_date != default
        review_date = entry.review_date if manual else add_months(edited, months)
        FaqEntry.objects.filter(pk=entry.pk).update(
            reviewed_on=edited, review_date_manual=manual, review_date=review_date
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0003_legal_periods"), ("interaction", "0006_periods_guarded_states")]
    operations = [
        migrations.RunPython(carry_over, migrations.RunPython.noop),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
