"""Read queries of the monitoring app; the only module other apps (assessment, reports) import."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import permissions

from .models import Account, AccountStatus, Column, ColumnStatus, Crawl, Finding, FindingStatus, Severity, Site

OPEN = [FindingStatus.NEW, FindingStatus.CONFIRMED]


def sites_for(user) -> QuerySet[Site]:
    qs = Site.objects.select_related("unit")
    if permissions.is_configuration_admin(user):  # the registry of sites is configuration
        return qs
    return qs.filter(unit__in=permissions.visible_units(user))


def accounts_for(user) -> QuerySet[Account]:
    return permissions.scope(Account.objects.select_related("unit"), user)


def findings_for(
    user,
    *,
    status: str = "",
    rule: str = "",
    site_id: int | None = None,
    unit_id: int | None = None,
    severity: str = "",
) -> QuerySet[Finding]:
    qs = Finding.objects.select_related("site", "unit", "account", "column", "reviewed_by")
    if not permissions.is_superuser(user):
        qs = qs.filter(unit__in=permissions.visible_units(user))
    if status:
        qs = qs.filter(status=status)
    if rule:
        qs = qs.filter(rule=rule)
    if severity:
        qs = qs.filter(severity=severity)
    if site_id:
        qs = qs.filter(site_id=site_id)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    return qs.order_by("-last_seen_at", "-pk")


def duplicate_accounts(qs: QuerySet[Account] | None = None) -> list[tuple]:
    """(unit, platform, [accounts]) where one unit runs more than one active account on a platform
    (国办发〔2018〕123号: one unit, in principle one account per platform)."""
    qs = (qs if qs is not None else Account.objects.all()).filter(status=AccountStatus.ACTIVE).select_related("unit")
    groups: dict[tuple, list[Account]] = defaultdict(list)
    for a in qs.order_by("created_at", "pk"):
        groups[(a.unit_id, a.platform)].append(a)
    return [(accs[0].unit, accs[0].get_platform_display(), accs) for accs in groups.values() if len(accs) > 1]


def duplicate_account_ids(qs: QuerySet[Account] | None = None) -> set[int]:
    """The second and later active accounts of a unit on a platform (the first is not flagged)."""
    return {a.pk for _, _, accs in duplicate_accounts(qs) for a in accs[1:]}


def proposed_columns(user) -> QuerySet[Column]:
    return Column.objects.filter(site__in=sites_for(user), status=ColumnStatus.PROPOSED).select_related("site")


def dashboard(user, *, today: dt.date | None = None) -> dict:
    """Figures for the office dashboard (all scoped to the user's visible units)."""
    today = today or timezone.localdate()
    findings = findings_for(user)
    open_ = findings.filter(status__in=OPEN)
    vetoes_today = open_.filter(severity=Severity.VETO, last_seen_at__date=today)
    stale = open_.filter(rule="column_not_updated")
    by_unit = list(
        open_.values("unit__name")
        .annotate(
            new=Count("pk", filter=Q(status=FindingStatus.NEW)),
            confirmed=Count("pk", filter=Q(status=FindingStatus.CONFIRMED)),
            veto=Count("pk", filter=Q(severity=Severity.VETO)),
        )
        .order_by("-confirmed", "-new", "unit__name")[:30]
    )
    year_ago = today.replace(day=1) - dt.timedelta(days=330)
    trend = list(
        findings.filter(first_seen_at__date__gte=year_ago)
        .annotate(month=TruncMonth("first_seen_at"))
        .values("month")
        .annotate(
            total=Count("pk"),
            veto=Count("pk", filter=Q(severity=Severity.VETO)),
            confirmed=Count("pk", filter=Q(status__in=[FindingStatus.CONFIRMED, FindingStatus.FIXED])),
        )
        .order_by("month")
    )
    return {
        "vetoes_today": vetoes_today.order_by("site__name")[:50],
        "stale_columns": stale.order_by("site__name")[:50],
        "by_unit": by_unit,
        "trend": trend,
        "new_count": findings.filter(status=FindingStatus.NEW).count(),
        "duplicates": duplicate_accounts(accounts_for(user)),
    }


# --- for the assessment app ---------------------------------------------------------------


def confirmed_counts(unit_ids, start: dt.date, end: dt.date) -> dict[int, dict[str, dict[str, int]]]:
    """Per unit, per rule: confirmed findings (confirmed or later fixed) seen in [start, end],
    by severity: ``{unit_id: {rule: {"veto": n, "deduction": n, "notice": n}}}``."""
    rows = (
        Finding.objects.filter(
            unit_id__in=list(unit_ids),
            status__in=[FindingStatus.CONFIRMED, FindingStatus.FIXED],
            last_seen_at__date__gte=start,
            first_seen_at__date__lte=end,
        )
        .values("unit_id", "rule", "severity")
        .annotate(n=Count("pk"))
    )
    out: dict[int, dict[str, dict[str, int]]] = {}
    for r in rows:
        out.setdefault(r["unit_id"], {}).setdefault(r["rule"], {"veto": 0, "deduction": 0, "notice": 0})[
            r["severity"]
        ] += r["n"]
    return out


def findings_by_ids(ids) -> list[dict]:
    return [
        {
            "id": f.pk,
            "rule": f.rule,
            "rule_label": str(f.get_rule_display()),
            "severity": f.severity,
            "status": f.status,
            "status_label": str(f.get_status_display()),
            "url": f.url,
            "column": f.column_name,
            "evidence": f.evidence_text,
            "site": f.site.name if f.site else "",
            "unit_id": f.unit_id,
            "from_crawl": f.site_id is not None,
            "last_seen_at": f.last_seen_at,
            "resolved_at": f.resolved_at,
        }
        for f in Finding.objects.filter(pk__in=list(ids)).select_related("site").order_by("pk")
    ]


def confirmed_open_for_unit(unit_id: int, user=None) -> QuerySet[Finding]:
    qs = Finding.objects.filter(unit_id=unit_id, status=FindingStatus.CONFIRMED).select_related("site")
    return qs.order_by("rule", "pk")


def recheck_outcome(ids, *, since) -> str:
    """After a re-check requested at ``since``: ``"passed"`` when every finding is fixed,
    ``"failed"`` when a finding was seen again by a crawl after ``since``, else ``"pending"``."""
    findings = list(Finding.objects.filter(pk__in=list(ids)))
    if not findings:
        return "passed"
    if any(f.status == FindingStatus.CONFIRMED and f.last_seen_at >= since for f in findings):
        return "failed"
    if all(f.status in (FindingStatus.FIXED, FindingStatus.GONE, FindingStatus.DISMISSED) for f in findings):
        return "passed"
    crawled = Crawl.objects.filter(
        site_id__in={f.site_id for f in findings if f.site_id}, finished_at__gte=since
    ).exists()
    return "failed" if crawled else "pending"


def workbench_panels(user) -> list[dict]:
    from django.urls import reverse

    if not (permissions.is_superuser(user) or permissions.units_with_role(user, "disclosure_office").exists()):
        return []
    figures = findings_for(user)
    new = figures.filter(status=FindingStatus.NEW).count()
    vetoes = figures.filter(status__in=OPEN, severity=Severity.VETO).count()
    proposed = proposed_columns(user).count()
    items = []
    if new:
        items.append((_("待审核的监测发现：%(n)s") % {"n": new}, reverse("monitoring_wb:finding-list") + "?status=new"))
    if vetoes:
        items.append(
            (_("单项否决问题：%(n)s") % {"n": vetoes}, reverse("monitoring_wb:finding-list") + "?severity=veto")
        )
    if proposed:
        items.append((_("待确认的栏目：%(n)s") % {"n": proposed}, reverse("monitoring_wb:site-list")))
    return [{"title": _("网站与新媒体监测"), "items": items, "empty": _("暂无待审核的监测发现")}]


def owner_unit_ids(category: str) -> set[int]:
    """Units owning an active site (``website``) or an active account (``new_media``)."""
    if category == "new_media":
        return set(Account.objects.filter(status=AccountStatus.ACTIVE).values_list("unit_id", flat=True))
    return set(Site.objects.exclude(status="closed").exclude(unit__isnull=True).values_list("unit_id", flat=True))


def open_confirmed_under(root) -> list[dict]:
    """Confirmed, not yet fixed findings of the units under ``root`` (for a 通报)."""
    ids = Finding.objects.filter(status=FindingStatus.CONFIRMED, unit__path__startswith=root.path).values_list(
        "pk", flat=True
    )
    return findings_by_ids(ids)
