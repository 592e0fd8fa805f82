"""OpenAPI schema post-processing: every operation documents the error answers it can give.

The API answers errors the same way everywhere (DRF's ``{"detail": ...}`` shape, plus
``code`` for refusals; field errors as ``{field: [messages]}``): 400 invalid input, 401 no or
bad credentials, 403 not allowed, 404 no such record (or not visible to the caller), 405 wrong
method, 409 the record's state does not allow it, 429 too many requests. drf-spectacular only
documents the success answer unless a view says more; this hook adds the rest so that clients
(and schemathesis in the test suite) can rely on the schema for every answer.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
    "additionalProperties": True,
}
FIELD_ERRORS_SCHEMA = {"type": "object", "additionalProperties": True}

DESCRIPTIONS = {
    "400": gettext_noop("输入有误（按字段列出错误）"),
    "401": gettext_noop("未登录或令牌无效"),
    "403": gettext_noop("无权执行此操作"),
    "404": gettext_noop("记录不存在或无权查看"),
    "405": gettext_noop("不支持的请求方法"),
    "409": gettext_noop("当前状态或办理条件不允许此操作"),
    "413": gettext_noop("上传内容过大"),
    "415": gettext_noop("不支持的内容类型"),
    "429": gettext_noop("请求过于频繁，请稍后再试"),
}


def _error_response(code: str) -> dict:
    schema = FIELD_ERRORS_SCHEMA if code == "400" else {"$ref": "#/components/schemas/Error"}
    return {"description": gettext(DESCRIPTIONS[code]), "content": {"application/json": {"schema": schema}}}


def add_error_responses(result, generator, request, public):
    """POSTPROCESSING_HOOKS entry: add the common error responses to every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for methods in result.get("paths", {}).values():
        for method, operation in methods.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = ["400", "401", "403", "404", "405", "429"]
            if method in ("post", "put", "patch", "delete"):
                codes += ["409", "413", "415"]
            for code in codes:  # (a list answers 404 too: for a page number out of range)
                operation["responses"].setdefault(code, _error_response(code))
    return result
