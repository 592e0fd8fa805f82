"""Read queries for information requests (always scoped to what the user may see)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.urls import reverse

from gongkai.core import crypto, numbering, permissions, workdays

from . import identity, services, stats
from .models import OPEN_STATUSES, InformationRequest, Status, id_hashes

DUE_SOON_DAYS = 5


def visible_requests(user) -> QuerySet[InformationRequest]:
    return permissions.scope(InformationRequest.objects.select_related("unit", "handler"), user)


def get_visible(user, pk: int) -> InformationRequest:
    """The request if the user may read it, else PermissionDenied (404 would leak less, 403 is clearer to staff)."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404
    from django.utils.translation import gettext as _

    req = InformationRequest.objects.select_related("unit", "handler").filter(pk=pk).first()
    if req is None:
        raise Http404(_("申请不存在"))
    if not permissions.can_view(user, req.unit):
        raise PermissionDenied(_("您无权查看其他单位的依申请公开件"))
    return req


def due_soon_limit(today: dt.date, *, calendar=None) -> dt.date | None:
    try:
        return workdays.add_working_days(today, DUE_SOON_DAYS, calendar=calendar)
    except workdays.CalendarMissing:
        return None


def queue(user, *, view: str = "open", unit=None, handler=None, q: str = "", today: dt.date | None = None):
    """The workbench queue. Overdue requests are in every view of open work until replied."""
    today = today or services.today()
    qs = visible_requests(user)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if handler is not None:
        qs = qs.filter(handler=handler)
    if q:
        code = numbering.normalise_tracking_code(q)
        qs = qs.filter(Q(tracking_code__icontains=code) | Q(description__icontains=q) | Q(name__icontains=q))
    overdue = Q(status__in=OPEN_STATUSES, due_date__lt=today) & ~Q(status=Status.CORRECTION)
    if view == "overdue":
        qs = qs.filter(overdue)
    elif view == "due_soon":
        limit = due_soon_limit(today)
        soon = Q(status__in=OPEN_STATUSES, due_date__gte=today) & ~Q(status=Status.CORRECTION)
        if limit:
            soon &= Q(due_date__lte=limit)
        qs = qs.filter(soon | overdue)
    elif view == "calendar_missing":
        qs = qs.filter(status__in=OPEN_STATUSES, due_date__isnull=True)
    elif view == "correction":
        qs = qs.filter(status=Status.CORRECTION)
    elif view == "signoff":
        qs = qs.filter(status=Status.SIGNOFF)
    elif view == "finished":
        qs = qs.exclude(status__in=OPEN_STATUSES)
    elif view == "all":
        pass
    else:  # open (default): all unfinished work, overdue first
        qs = qs.filter(status__in=OPEN_STATUSES)
    return qs.order_by("due_date", "received_on", "pk") if view != "finished" else qs.order_by("-finished_on", "-pk")


@dataclass
class Row:
    req: InformationRequest
    days_left: int | None
    overdue: bool
    due_soon: bool
    name: str
    phone: str
    correction_overdue: bool = False

    @property
    def overdue_by(self) -> int | None:
        """Working days past the due date (None when not overdue)."""
        return -self.days_left if self.days_left is not None and self.days_left < 0 else None


def annotate(reqs, *, today: dt.date | None = None) -> list[Row]:
    """Rows for lists: days left, flags, masked personal data."""
    today = today or services.today()
    calendar = workdays.current_calendar()
    rows = []
    for r in reqs:
        left = None  # not while waiting for a correction: the reply period starts again when it arrives
        if r.due_date and r.is_open and r.status != Status.CORRECTION:
            try:
                left = calendar.working_days_between(today, r.due_date)
            except workdays.CalendarMissing:
                left = None
        paused = r.status == Status.CORRECTION
        overdue = bool(r.is_open and not paused and r.due_date and r.due_date < today)
        rows.append(
            Row(
                r,
                left,
                overdue,
                bool(left is not None and 0 <= left <= DUE_SOON_DAYS and not paused),
                identity.mask_name(r.name) if r.applicant_type == "person" else r.name,
                identity.mask_phone(r.phone),
                bool(paused and r.correction_deadline and today > r.correction_deadline),
            )
        )
    return rows


def check_stored_due_dates(reqs) -> list[InformationRequest]:
    """Requests whose stored due date differs from a recomputation now (stale after a calendar change)."""
    calendar = workdays.current_calendar()
    stale = []
    for r in reqs:
        if not r.is_open:
            continue
        due, problem = services.compute_due(r, calendar=calendar)
        if due != r.due_date or problem != r.due_problem:
            stale.append(r)
    return stale


def similar_requests(req: InformationRequest, *, threshold: float = 0.5, limit: int = 10):
    """Earlier/later requests by the same applicant (ID or credit code, or phone), with content similarity.

    Similarity is the Jaccard index of the normalised word sets (gongkai.core.chinese.words).
    Returns [(other, score, likely_repeat)], most similar first.
    """
    # Personal data is encrypted: compare blind indexes (keyed hashes), under either crypto profile.
    if req.applicant_type == "person":
        keys = id_hashes(req.id_type, req.id_number)
    else:
        keys = id_hashes("credit", req.credit_code)
    keys = [k for k in {req.applicant_key, *keys} if k]
    phones = crypto.blind_indexes(req.phone, "phone")
    same = InformationRequest.objects.filter(Q(applicant_key__in=keys) | Q(phone_bidx__in=phones)).exclude(pk=req.pk)
    mine = set(req.content_words.split())
    result = []
    for other in same.select_related("unit").order_by("-received_on")[:200]:
        theirs = set(other.content_words.split())
        score = len(mine & theirs) / len(mine | theirs) if (mine or theirs) else 0.0
        result.append((other, round(score, 2), score >= threshold))
    result.sort(key=lambda t: (-t[1], -t[0].pk))
    return result[:limit]


def public_lookup(code: str, phone_tail: str) -> InformationRequest | None:
    """A request by tracking code and the last four digits of the applicant's phone (both must match)."""
    if not numbering.tracking_code_is_wellformed(code):
        return None
    req = (
        InformationRequest.objects.select_related("unit")
        .filter(tracking_code=numbering.normalise_tracking_code(code))
        .first()
    )
    if req is None:
        return None
    tail = identity.phone_tail(req.phone)
    import hmac

    if not tail or not hmac.compare_digest(tail, (phone_tail or "").strip()):
        return None
    return req


def public_summary(year: int) -> dict[str, int]:
    """This year's figures for the portal (all units): requests received, replied to (a typed reply
    under art. 36, not withdrawals), and replied to by their due date (art. 33). One query."""
    from django.db.models import Count, Exists, F, OuterRef

    from .models import RequestStep, StepKind

    replied = Exists(RequestStep.objects.filter(request=OuterRef("pk"), kind=StepKind.REPLIED))
    done = Q(replied=True, finished_on__year=year)
    return InformationRequest.objects.annotate(replied=replied).aggregate(
        received=Count("pk", filter=Q(received_on__year=year)),
        answered=Count("pk", filter=done),
        on_time=Count("pk", filter=done & Q(due_date__isnull=False, finished_on__lte=F("due_date"))),
    )


def change_marker() -> QuerySet:
    """When a request last changed: a one-value query the portal runs as a subquery to key its caches."""
    return InformationRequest.objects.order_by("-updated_at").values("updated_at")[:1]


def public_steps(req: InformationRequest):
    return req.steps.filter(internal=False).order_by("on", "at", "id")


def public_letters(req: InformationRequest):
    return req.letters.filter(to_applicant=True, state="ready").order_by("created_at")


def _accepting(units) -> list:
    """Units that take requests: governments and departments by default, others when switched on."""
    from .models import RequestPolicy

    policies = {p.unit_id: p for p in RequestPolicy.objects.filter(unit__in=[u.pk for u in units])}
    return [u for u in units if (policies.get(u.pk) or RequestPolicy(unit=u)).accepts]


def units_for_intake(chosen=None) -> list[tuple[str, list]]:
    """The bodies offered on the public request form, grouped and ordered.

    For each county government of the deployment: the government itself, its departments,
    its townships (乡镇、街道), then the public institutions that handle requests
    (:class:`~gongkai.requests.models.RequestPolicy`). Province and city are not offered
    unless named in the URL (``chosen``: a unit picked by ``?unit=``, offered first when it
    takes requests).
    """
    from django.utils.translation import gettext as _

    from gongkai.core.models import Level, Organisation, OrgKind

    active = Organisation.objects.filter(is_active=True)
    counties = list(active.filter(kind=OrgKind.GOVERNMENT, level=Level.COUNTY).order_by("sort_order", "path"))
    groups: list[tuple[str, list]] = []
    several = len(counties) > 1
    for county in counties:
        below = list(active.filter(path__startswith=county.path).exclude(pk=county.pk).order_by("sort_order", "path"))
        departments = [u for u in below if u.kind == OrgKind.DEPARTMENT and u.parent_id == county.pk]
        townships = [u for u in below if u.kind == OrgKind.GOVERNMENT and u.level == Level.TOWNSHIP]
        others = [u for u in below if u not in departments and u not in townships]
        prefix = f"{county.short_name or county.name} · " if several else ""
        for label, members in (
            (_("县（市、区）人民政府"), [county]),
            (_("政府部门"), departments),
            (_("乡镇人民政府、街道办事处"), townships),
            (_("其他受理机关"), others),
        ):
            members = _accepting(members)
            if members:
                groups.append((prefix + label, members))
    offered = {u.pk for _label, members in groups for u in members}
    if chosen is not None and chosen.pk not in offered and chosen.is_active and _accepting([chosen]):
        groups.insert(0, (_("您选择的机关"), [chosen]))
    return groups


def chosen_unit(value):
    """The unit named by ``?unit=`` (its id), or None."""
    from gongkai.core.models import Organisation

    if not value or not str(value).isdigit():
        return None
    return Organisation.objects.filter(pk=int(value), is_active=True).first()


def handlers_for(unit):
    """Staff who may be assigned a request of ``unit`` (its editors, reviewers and leaders)."""
    from gongkai.core.models import Membership, User

    from .access import HANDLER_ROLES

    ids = Membership.objects.filter(unit=unit, role__in=HANDLER_ROLES).values_list("user_id", flat=True)
    return User.objects.filter(pk__in=ids, is_active=True).order_by("username")


def table3(user, unit, year: int):
    units = unit.descendants() if permissions.oversees(user, unit) else [unit]
    return stats.annual_table3(units, year)


def table4(user, unit, year: int):
    units = unit.descendants() if permissions.oversees(user, unit) else [unit]
    return stats.annual_table4(units, year)


def workbench_panels(user) -> list[dict]:
    """The workbench home panel: pending sign-offs and extension approvals, overdue and due-soon work."""
    from django.utils.translation import gettext as _

    from gongkai.core.models import Role

    from .access import SIGNER_ROLES
    from .models import Extension, ExtensionStatus

    qs = visible_requests(user)
    today = services.today()
    overdue = list(queue(user, view="overdue", today=today)[:5])
    soon = list(queue(user, view="due_soon", today=today).exclude(pk__in=[r.pk for r in overdue])[:5])
    missing = qs.filter(status__in=OPEN_STATUSES, due_date__isnull=True).count()
    detail = lambda pk: reverse("requests_wb:detail", args=[pk])  # noqa: E731
    items = []
    signer_units = [u.pk for role in SIGNER_ROLES for u in permissions.units_with_role(user, role)]
    for req in qs.filter(status=Status.SIGNOFF, unit__in=signer_units).exclude(
        reply_drafts__decision="pending", reply_drafts__drafted_by=user
    )[:10]:
        items.append((_("待签发答复 %(code)s") % {"code": req.tracking_code}, detail(req.pk)))
    leader_units = permissions.units_with_role(user, Role.LEADER)
    pending = Extension.objects.filter(
        status=ExtensionStatus.PENDING, request__unit__in=leader_units, request__status__in=OPEN_STATUSES
    ).select_related("request")
    for ext in pending[:10]:
        items.append(
            (
                _("待审批延期 %(code)s（%(days)s个工作日）") % {"code": ext.request.tracking_code, "days": ext.days},
                detail(ext.request_id),
            )
        )
    if missing:
        items.append(
            (
                _("日历缺失：%(n)s 件申请无法计算答复期限") % {"n": missing},
                reverse("requests_wb:queue") + "?view=calendar_missing",
            )
        )
    items += [
        (_("逾期 %(code)s（期限 %(date)s）") % {"code": r.tracking_code, "date": f"{r.due_date:%m-%d}"}, detail(r.pk))
        for r in overdue
    ]
    items += [
        (_("临期 %(code)s（期限 %(date)s）") % {"code": r.tracking_code, "date": f"{r.due_date:%m-%d}"}, detail(r.pk))
        for r in soon
    ]
    if not items and not qs.exists():
        return []
    return [{"title": _("依申请公开"), "items": items, "empty": _("没有逾期或临期的申请")}]


# --- for the annual report (read by the reports app) -------------------------------------------
annual_table3 = stats.annual_table3
annual_table4 = stats.annual_table4
table3_record_ids = stats.table3_record_ids
table4_record_ids = stats.table4_record_ids
bulk_table3 = stats.bulk_table3
answered_on_time = stats.answered_on_time


def requests_by_ids(user, ids) -> QuerySet[InformationRequest]:
    """The requests among ``ids`` that ``user`` may see (the records behind a report figure)."""
    return permissions.scope(InformationRequest.objects.filter(pk__in=ids), user).select_related("unit")


def review_cases_by_ids(user, ids):
    from .models import ReviewCase

    return permissions.scope(ReviewCase.objects.filter(pk__in=ids), user).select_related("unit", "request")


def reply_facts(units, start: dt.date, end: dt.date) -> dict[int, dict]:
    """For the assessment app: per unit, requests finished in [start, end] (``finished``) and
    those finished on or before their due date (``on_time``)."""
    ids = [u.pk for u in units]
    out = {i: {"finished": 0, "on_time": 0} for i in ids}
    rows = InformationRequest.objects.filter(unit_id__in=ids, finished_on__gte=start, finished_on__lte=end)
    for unit_id, finished_on, due in rows.values_list("unit_id", "finished_on", "due_date"):
        out[unit_id]["finished"] += 1
        out[unit_id]["on_time"] += int(due is not None and finished_on <= due)
    return out
