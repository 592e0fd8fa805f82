"""Friendly error pages (in the site layout, in the visitor's language)."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def _render(request, status, title, message):
    if request.path.startswith("/api/"):  # API clients get the API's error shape, never an HTML page
        return JsonResponse({"detail": message}, status=status, json_dumps_params={"ensure_ascii": False})
    return render(request, "portal/error.html", {"status": status, "title": title, "message": message}, status=status)


def bad_request(request, exception=None):
    return _render(request, 400, _("请求有误"), _("您提交的内容无法处理，请返回检查后重试。"))


def permission_denied(request, exception=None):
    detail = str(exception) if exception and str(exception) else _("您没有访问该页面的权限。")
    return _render(request, 403, _("无权访问"), detail)


def page_not_found(request, exception=None):
    return _render(request, 404, _("页面不存在"), _("您访问的页面不存在或已被移除。"))


def server_error(request):
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": _("服务器内部错误，请稍后重试")}, status=500, json_dumps_params={"ensure_ascii": False}
        )
    return render(request, "portal/error_500.html", status=500)
