"""REST API skeleton: OpenAPI 3 schema, docs page with local assets, token auth, scoped endpoints."""

from __future__ import annotations

import pytest
import yaml
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


def test_schema_is_valid_openapi3(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    for path in [
        "/api/v1/organisations/",
        "/api/v1/organisations/{id}/",
        "/api/v1/audit-events/",
        "/api/v1/users/",
        "/api/v1/holidays/",
        "/api/v1/me/",
        "/api/v1/workdays/add/",
    ]:
        assert path in schema["paths"], path
    from drf_spectacular.validation import validate_schema  # JSON Schema of OpenAPI 3.0, bundled

    validate_schema(schema)


def test_schema_json_format(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200 and response.json()["info"]["title"] == "gongkai API"


def test_docs_page_uses_local_assets(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui" in page
    assert "cdn." not in page and "unpkg" not in page and "jsdelivr" not in page
    assert "/static/drf_spectacular_sidecar/" in page
    assert client.get("/api/redoc/").status_code == 200


def test_token_auth(tree, client):
    token = Token.objects.create(user=tree.editor_a)
    response = client.get("/api/v1/organisations/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert [o["name"] for o in response.json()["results"]] == ["松阳县民政局"]
    refused = client.get("/api/v1/organisations/", HTTP_AUTHORIZATION="Token wrong")
    assert refused.status_code in (401, 403)
    assert refused.json()["detail"] == "认证令牌无效。"
    assert client.get("/api/v1/organisations/").status_code in (401, 403)


def test_session_auth_needs_csrf_for_writes(tree):
    from rest_framework.test import APIClient

    api = APIClient(enforce_csrf_checks=True)
    api.force_login(tree.office)
    assert api.get("/api/v1/me/").status_code == 200


def test_org_scoped_list_and_retrieve(tree, api_for):
    api = api_for(tree.office)
    data = api.get("/api/v1/organisations/", {"kind": "government"}).json()
    assert {o["name"] for o in data["results"]} == {"松阳县人民政府", "西屏街道", "古市镇"}
    one = api.get(f"/api/v1/organisations/{tree.dept_b.pk}/").json()
    assert one["credit_code"] == tree.dept_b.credit_code and one["parent"] == tree.county.pk


def test_public_calendar_endpoints(client):
    response = client.get("/api/v1/workdays/add/", {"start": "2025-09-30", "days": 1})
    assert response.status_code == 200 and response.json()["date"] == "2025-10-09"
    assert client.get("/api/v1/workdays/add/", {"start": "2031-01-01", "days": 1}).status_code == 409
    assert client.get("/api/v1/workdays/add/", {"start": "明天", "days": 1}).status_code == 400
    assert client.get("/api/v1/holidays/2026-10-01/").json()["name"] == "国庆节"
