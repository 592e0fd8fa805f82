"""Staff pages of the monitoring app (the disclosure office): dashboard, registry, findings, word lists."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from gongkai.core import permissions
from gongkai.core.actions import action_view
from gongkai.core.decorators import staff_required

from . import forms, selectors, services
from .actions import ACCOUNT_ACTIONS, COLUMN_ACTIONS, FINDING_ACTIONS, SITE_ACTIONS
from .models import Account, Column, Finding, FindingStatus, Rule, Severity, Site, WordList


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _site(request, pk):
    site = get_object_or_404(Site.objects.select_related("unit"), pk=pk)
    if not selectors.sites_for(request.user).filter(pk=pk).exists():
        raise PermissionDenied(_("您无权查看该网站"))
    return site


def _finding(request, pk):
    if not Finding.objects.filter(pk=pk).exists():
        raise Http404
    finding = selectors.findings_for(request.user).filter(pk=pk).first()
    if finding is None:
        raise PermissionDenied(_("您无权查看该监测发现"))
    return finding


def _column(request, pk):
    column = get_object_or_404(Column.objects.select_related("site__unit"), pk=pk)
    _site(request, column.site_id)
    return column


def _account(request, pk):
    account = get_object_or_404(Account.objects.select_related("unit"), pk=pk)
    permissions.require_view(request.user, account.unit)
    return account


finding_act = staff_required(
    action_view(
        FINDING_ACTIONS, get_object=_finding, success_url=lambda f: reverse("monitoring_wb:finding-detail", args=[f.pk])
    )
)
site_act = staff_required(
    action_view(SITE_ACTIONS, get_object=_site, success_url=lambda s: reverse("monitoring_wb:site-detail", args=[s.pk]))
)
column_act = staff_required(
    action_view(
        COLUMN_ACTIONS, get_object=_column, success_url=lambda c: reverse("monitoring_wb:site-detail", args=[c.site_id])
    )
)
account_act = staff_required(
    action_view(
        ACCOUNT_ACTIONS, get_object=_account, success_url=lambda a: reverse("monitoring_wb:account-detail", args=[a.pk])
    )
)


@staff_required
def site_list(request):
    sites = selectors.sites_for(request.user).order_by("name")
    form = forms.SiteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            site = services.site_register(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return redirect("monitoring_wb:site-detail", site.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "monitoring/site_list.html",
        {"sites": sites, "form": form, "proposed": selectors.proposed_columns(request.user).count()},
        status=status,
    )


@staff_required
def site_detail(request, pk):
    site = _site(request, pk)
    url = lambda name: reverse("monitoring_wb:site-act", args=[site.pk, name])  # noqa: E731
    columns = []
    for c in site.columns.order_by("status", "kind", "name"):
        columns.append(
            (
                c,
                COLUMN_ACTIONS.bound(
                    request.user, c, url=lambda name, _c=c: reverse("monitoring_wb:column-act", args=[_c.pk, name])
                ),
            )
        )
    return render(
        request,
        "monitoring/site_detail.html",
        {
            "site": site,
            "actions": SITE_ACTIONS.bound(request.user, site, url=url),
            "columns": columns,
            "crawls": site.crawls.all()[:10],
            "findings": selectors.findings_for(request.user, site_id=site.pk).exclude(status__in=[FindingStatus.GONE])[
                :50
            ],
            "allowed": site.allowed_phrases.all(),
        },
    )


@staff_required
def finding_list(request):
    g = request.GET
    try:
        site_id = int(g.get("site") or 0) or None
    except ValueError:
        site_id = None
    qs = selectors.findings_for(
        request.user,
        status=g.get("status", ""),
        rule=g.get("rule", ""),
        site_id=site_id,
        severity=g.get("severity", ""),
    )
    page = Paginator(qs, 50).get_page(g.get("page"))
    query = g.copy()
    query.pop("page", None)
    return render(
        request,
        "monitoring/finding_list.html",
        {
            "page": page,
            "query": query.urlencode(),
            "rules": Rule.choices,
            "statuses": FindingStatus.choices,
            "severities": Severity.choices,
            "g": g,
        },
    )


@staff_required
def finding_detail(request, pk):
    finding = _finding(request, pk)
    bound = FINDING_ACTIONS.bound(
        request.user, finding, url=lambda name: reverse("monitoring_wb:finding-act", args=[finding.pk, name])
    )
    own_rule = finding.rule_creator_id == request.user.pk
    return render(request, "monitoring/finding_detail.html", {"f": finding, "actions": bound, "own_rule": own_rule})


@staff_required
def finding_screenshot(request, pk):
    finding = _finding(request, pk)
    if not finding.screenshot:
        raise Http404
    return FileResponse(finding.screenshot.open("rb"), content_type="image/png")


@staff_required
def account_list(request):
    accounts = selectors.accounts_for(request.user).order_by("unit__path", "platform", "name")
    flagged = selectors.duplicate_account_ids(accounts)
    form = forms.AccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.account_register(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return redirect("monitoring_wb:account-detail", account.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "monitoring/account_list.html", {"accounts": accounts, "flagged": flagged, "form": form}, status=status
    )


@staff_required
def account_detail(request, pk):
    account = _account(request, pk)
    bound = ACCOUNT_ACTIONS.bound(
        request.user, account, url=lambda name: reverse("monitoring_wb:account-act", args=[account.pk, name])
    )
    flagged = account.pk in selectors.duplicate_account_ids()
    return render(
        request,
        "monitoring/account_detail.html",
        {"a": account, "actions": bound, "flagged": flagged, "history": account.history.select_related("actor")},
    )


@staff_required
def word_lists(request):
    if not (
        permissions.is_configuration_admin(request.user)
        or permissions.units_with_role(request.user, "disclosure_office").exists()
    ):
        raise PermissionDenied(_("只有政务公开办管理员可以维护词表"))
    lists = WordList.objects.prefetch_related("entries").select_related("created_by")
    list_form = forms.WordListForm(request.POST if request.POST.get("form") == "list" else None)
    word_form = forms.WordForm(request.POST if request.POST.get("form") == "word" else None)
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("form") == "list" and list_form.is_valid():
                services.wordlist_create(actor=request.user, **list_form.cleaned_data)
                return redirect("monitoring_wb:word-lists")
            if request.POST.get("form") == "word" and word_form.is_valid():
                wl = get_object_or_404(WordList, pk=request.POST.get("word_list") or 0)
                services.word_add(actor=request.user, word_list=wl, **word_form.cleaned_data)
                return redirect("monitoring_wb:word-lists")
        except ValidationError as exc:
            _form_errors(word_form if request.POST.get("form") == "word" else list_form, exc)
        status = 400
    return render(
        request,
        "monitoring/word_lists.html",
        {"lists": lists, "list_form": list_form, "word_form": word_form},
        status=status,
    )
