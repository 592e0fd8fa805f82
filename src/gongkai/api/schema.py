"""OpenAPI schema post-processing: every operation documents the error answers it can give.

The API answers errors the same way everywhere (DRF's ``{"detail": ...}`` shape, plus
``code`` for refusals; field errors as ``{field: [messages]}``): 400 invalid input, 401 no or
bad credentials, 403 not allowed, 404 no such record (or not visible to the caller), 405 wrong
method, 409 the record's state does not allow it, 429 too many requests. drf-spectacular only
documents the success answer unless a view says more; this hook adds the rest so that clients
(and schemathesis in the test suite) can rely on the schema for every answer.
"""

from __future__ import annotations

import copy

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext, gettext_noop
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's AutoSchema, telling the truth about read-only model fields.

    DRF builds a read-only field from a model field without ``allow_null``/``allow_blank``, so the
    schema said "integer" for a nullable foreign key (``unit`` of an appeal not yet assigned) and
    "one of the choices" or "a URI" for a blank text field, and the answers did not match
    (schemathesis ST108). Here such a field is described with the model field's null/blank.
    """

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        model_field = _model_field(field) if getattr(field, "read_only", False) else None  # (null/blank below)
        if model_field is not None:
            nullable = getattr(model_field, "null", False) and not getattr(field, "allow_null", False)
            blank = getattr(model_field, "blank", False) and isinstance(
                field, serializers.CharField | serializers.ChoiceField
            )
            if nullable or (blank and not field.allow_blank):
                field = copy.copy(field)  # a schema-time copy: the serializer itself is unchanged
                field.allow_null = field.allow_null or nullable
                if blank:
                    field.allow_blank = True
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if schema and schema.get("type") == "integer":
            _database_independent_range(schema, _model_field(field))
        if model_field is not None and getattr(field, "allow_blank", False) and schema and "format" in schema:
            # drf-spectacular adds the empty alternative only to writable fields: a blank URL/e-mail is ""
            outer = {"readOnly", "writeOnly", "nullable", "deprecated", "description", "title"}
            inner = {k: schema.pop(k) for k in list(schema) if k not in outer}
            schema["oneOf"] = [inner, {"type": "string", "maxLength": 0}]
        return schema


def _database_independent_range(schema: dict, model_field) -> None:
    """Integer bounds as PostgreSQL (production) has them, whatever database generates the schema.

    DRF takes a model integer field's min/max from the current connection, and SQLite reports 64-bit
    ranges for small and positive integers: docs/openapi.yaml must not depend on the test database.
    """
    from django.db import connection
    from django.db.backends.base.operations import BaseDatabaseOperations

    internal = model_field.get_internal_type() if hasattr(model_field, "get_internal_type") else None
    if internal not in BaseDatabaseOperations.integer_field_ranges:
        return
    here = connection.ops.integer_field_range(internal)
    canonical = BaseDatabaseOperations.integer_field_ranges[internal]
    for key, current, wanted in (("minimum", here[0], canonical[0]), ("maximum", here[1], canonical[1])):
        if key in schema and current is not None and schema[key] == current:
            schema[key] = wanted
    big = schema.get("maximum", 0) > 2**31 - 1 or schema.get("minimum", 0) < -(2**31)
    if big:
        schema["format"] = "int64"
    elif schema.get("format") == "int64":
        del schema["format"]


def _model_field(field):
    parent = getattr(field, "parent", None)
    model = getattr(getattr(parent, "Meta", None), "model", None)
    source = getattr(field, "source", None)
    if model is None or not source or source == "*" or "." in source:
        return None
    try:
        return model._meta.get_field(source)
    except FieldDoesNotExist:
        return None


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
            for code, response in operation["responses"].items():  # declared by a view without a body
                if code in DESCRIPTIONS and "content" not in response:
                    response["content"] = _error_response(code)["content"]
    return result
