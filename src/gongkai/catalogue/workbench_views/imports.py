"""The catalogue import wizard: upload → row-by-row preview → commit (drafts, optionally published)."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from gongkai.core import permissions
from gongkai.core.decorators import staff_required
from gongkai.core.models import Organisation, Role

from .. import forms as f
from .. import importer
from ..models import Domain, ElementTemplate
from ._common import errors_text, office_units, require_office_any

SESSION_KEY = "catalogue_import_{token}"
REPORT_KEY = "catalogue_import_report_{token}"
ROW_FILTERS = {"errors": "error_rows", "incomplete": "incomplete_rows"}


def _import_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "catalogue-imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _purge_stale_uploads(max_age_hours: int = 24) -> None:
    """Uploads that were previewed but never confirmed are removed after a day."""
    cutoff = time.time() - max_age_hours * 3600
    for stale in _import_dir().iterdir():
        try:
            if stale.is_file() and stale.stat().st_mtime < cutoff:
                stale.unlink()
        except OSError:
            pass


@staff_required
def import_start(request):
    require_office_any(request)
    form = f.ImportForm(request.POST or None, request.FILES or None, units=office_units(request))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > importer.MAX_BYTES:
            form.add_error("file", _("文件过大，上限 %(n)s MB") % {"n": importer.MAX_BYTES // 1024 // 1024})
        else:
            _purge_stale_uploads()
            token = secrets.token_hex(16)
            (_import_dir() / token).write_bytes(upload.read())
            data = form.cleaned_data
            request.session[SESSION_KEY.format(token=token)] = {
                "filename": upload.name[:120],
                "template": data["template"].pk,
                "domain": data["domain"].pk if data["domain"] else None,
                "owner": data["owner"].pk,
                "target_kind": data["target_kind"],
                "target_level": data["target_level"],
            }
            return redirect("catalogue_wb:import-preview", token=token)
    return render(request, "catalogue/wb/import_start.html", {"form": form, "max_rows": importer.WEB_MAX_ROWS})


def _load_import(request, token):
    params = request.session.get(SESSION_KEY.format(token=token))
    path = _import_dir() / token
    if not params or not token.isalnum() or not path.exists():
        raise Http404(_("该导入已过期或不存在，请重新上传"))
    owner = get_object_or_404(Organisation, pk=params["owner"])
    if not permissions.has_role(request.user, Role.DISCLOSURE_OFFICE, owner):
        raise PermissionDenied(_("只有编制单位的政务公开办可以导入"))
    template = get_object_or_404(ElementTemplate, pk=params["template"])
    domain = Domain.objects.filter(pk=params["domain"]).first() if params["domain"] else None
    key = REPORT_KEY.format(token=token)
    report = None if request.method == "POST" else cache.get(key)  # confirming always re-checks the file
    if report is None:
        report = importer.parse(
            path.read_bytes(),
            filename=params["filename"],
            template=template,
            domain=domain,
            max_rows=importer.WEB_MAX_ROWS,
        )
        if len(report.rows) <= 20_000:
            cache.set(key, report, 3600)
    return params, owner, report, path


def _commit(request, token, params, owner, report, path):
    try:
        result = importer.commit(
            report,
            actor=request.user,
            owner=owner,
            target_kind=params["target_kind"],
            target_level=params["target_level"],
            publish=bool(request.POST.get("publish")),
        )
    except ValidationError as exc:
        messages.error(request, _("未保存任何数据：%(e)s") % {"e": errors_text(exc)})
        return None
    path.unlink(missing_ok=True)
    request.session.pop(SESSION_KEY.format(token=token), None)
    cache.delete(REPORT_KEY.format(token=token))
    names = "、".join(f"{c.domain.name}（{n}）" for c, n in result.catalogues)
    if result.published:
        messages.success(request, _("已导入并发布：%(x)s") % {"x": names})
    elif result.incomplete:
        messages.warning(
            request,
            _("已导入为草稿：%(x)s。其中 %(n)s 项要素不完整，补全或确认接受后才能发布。")
            % {"x": names, "n": result.incomplete},
        )
    else:
        messages.success(request, _("已导入为草稿：%(x)s") % {"x": names})
    if len(result.catalogues) == 1:
        return redirect("catalogue_wb:catalogue-detail", pk=result.catalogues[0][0].pk)
    return redirect("catalogue_wb:catalogue-list")


@staff_required
def import_preview(request, token):
    params, owner, report, path = _load_import(request, token)
    if request.method == "POST":
        if not report.ok:
            messages.error(request, _("文件有错误，未保存任何数据"))
        else:
            response = _commit(request, token, params, owner, report, path)
            if response is not None:
                return response
    shown = request.GET.get("rows", "")
    rows = getattr(report, ROW_FILTERS[shown]) if shown in ROW_FILTERS else report.rows
    page = Paginator(rows, 200).get_page(request.GET.get("page"))
    context = {
        "report": report,
        "page": page,
        "params": params,
        "owner": owner,
        "token": token,
        "elements": [d for d in report.template.ordered_elements() if not d.is_column],
        "shown": shown,
        "query": f"rows={shown}" if shown in ROW_FILTERS else "",
    }
    return render(request, "catalogue/wb/import_preview.html", context)
