"""Workbench: the 政务公开办 keeps the everyday ↔ official name dictionary (add, edit, disable)
and manages visitors' search terms (see the evidence, hide a term from public lists)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongkai.core import permissions
from gongkai.core.actions import action_view
from gongkai.core.decorators import staff_required
from gongkai.core.models import Role

from . import actions, selectors, services
from .models import NamePair, SearchTerm


class NamePairForm(forms.Form):
    everyday = forms.CharField(
        label=gettext_lazy("日常说法"), max_length=60, help_text=gettext_lazy("群众常说的叫法，如“准生证”")
    )
    official = forms.CharField(
        label=gettext_lazy("规范名称"), max_length=120, help_text=gettext_lazy("文件和办事指南中的名称，如“生育服务证”")
    )
    source = forms.CharField(
        label=gettext_lazy("来源"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("规范名称出自哪份文件或哪个平台"),
    )
    is_active = forms.BooleanField(label=gettext_lazy("启用"), required=False, initial=True)


def _can_edit(user) -> bool:
    return permissions.is_configuration_admin(user) or Role.DISCLOSURE_OFFICE in permissions.roles_of(user)


def _office_only(request) -> None:
    if not _can_edit(request.user):
        raise PermissionDenied(_("只有政务公开办或系统管理员可以维护日常说法词典"))


@staff_required
def name_list(request):
    _office_only(request)
    q = (request.GET.get("q") or "").strip()[:60]
    state = request.GET.get("state", "")
    qs = NamePair.objects.all()
    if q:
        qs = qs.filter(Q(everyday__icontains=q) | Q(official__icontains=q) | Q(source__icontains=q))
    if state == "disabled":
        qs = qs.filter(is_active=False)
    elif state == "active":
        qs = qs.filter(is_active=True)
    page = Paginator(qs.order_by("everyday", "official"), 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "search/wb/names.html",
        {"page": page, "q": q, "state": state, "total": NamePair.objects.count(), "page_query": params.urlencode()},
    )


@staff_required
def name_edit(request, pk=None):
    _office_only(request)
    pair = get_object_or_404(NamePair, pk=pk) if pk else None
    initial = (
        {"everyday": pair.everyday, "official": pair.official, "source": pair.source, "is_active": pair.is_active}
        if pair
        else {"is_active": True}
    )
    form = NamePairForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if pair is None:
                pair = services.name_pair_create(
                    actor=request.user, everyday=data["everyday"], official=data["official"], source=data["source"]
                )
                if not data["is_active"]:
                    services.name_pair_set_active(actor=request.user, pair=pair, active=False)
            else:
                services.name_pair_update(actor=request.user, pair=pair, **data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("已保存：%(pair)s") % {"pair": str(pair)})
            return redirect("search_wb:names")
    return render(request, "search/wb/name_form.html", {"form": form, "pair": pair}, status=400 if form.errors else 200)


@staff_required
@require_POST
def name_set_active(request, pk):
    _office_only(request)
    pair = get_object_or_404(NamePair, pk=pk)
    active = request.POST.get("active") == "1"
    services.name_pair_set_active(actor=request.user, pair=pair, active=active)
    messages.success(request, (_("已启用：%(pair)s") if active else _("已停用：%(pair)s")) % {"pair": str(pair)})
    return redirect(request.POST.get("next") or "search_wb:names")


# --- visitors' search terms: staff see the evidence and hide a term -----------------------


def _terms_office_only(request) -> None:
    if not actions.may_manage_terms(request.user):
        raise PermissionDenied(_("只有政务公开办或系统管理员可以管理热门检索词"))


@staff_required
def term_list(request):
    _terms_office_only(request)
    q = (request.GET.get("q") or "").strip()[:100]
    state = request.GET.get("state", "")
    page = Paginator(selectors.search_terms_for_staff(q=q, state=state), 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    rows = [
        {
            "term": t,
            "state": selectors.term_state(t),
            "actions": actions.SEARCH_TERM_ACTIONS.bound(
                request.user, t, url=lambda name, pk=t.pk: reverse("search_wb:term-act", args=[pk, name])
            ),
        }
        for t in page
    ]
    return render(
        request,
        "search/wb/terms.html",
        {
            "page": page,
            "rows": rows,
            "q": q,
            "state": state,
            "page_query": params.urlencode(),
            "min_visitors": services.min_visitors(),
            "min_days": services.min_days(),
        },
    )


def _get_term(request, pk: int):
    _terms_office_only(request)
    return get_object_or_404(SearchTerm, pk=pk)


term_act = action_view(
    actions.SEARCH_TERM_ACTIONS, get_object=_get_term, success_url=lambda t: reverse("search_wb:terms")
)
