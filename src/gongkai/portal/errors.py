"""Friendly error pages (in the site layout, in Chinese)."""

from django.http import JsonResponse
from django.shortcuts import render


def _render(request, status, title, message):
    if request.path.startswith("/api/"):  # API clients get the API's error shape, never an HTML page
        return JsonResponse({"detail": message}, status=status, json_dumps_params={"ensure_ascii": False})
    return render(request, "portal/error.html", {"status": status, "title": title, "message": message}, status=status)


def bad_request(request, exception=None):
    return _render(request, 400, "请求有误", "您提交的内容无法处理，请返回检查后重试。")


def permission_denied(request, exception=None):
    detail = str(exception) if exception and str(exception) else "您没有访问该页面的权限。"
    return _render(request, 403, "无权访问", detail)


def page_not_found(request, exception=None):
    return _render(request, 404, "页面不存在", "您访问的页面不存在或已被移除。")


def server_error(request):
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": "服务器内部错误，请稍后重试"}, status=500, json_dumps_params={"ensure_ascii": False}
        )
    return render(request, "portal/error_500.html", status=500)
