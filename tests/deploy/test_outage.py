"""A dead Redis or a database that went away gives a clear 503 with Retry-After, never a 500, and loses nothing."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

pytestmark = pytest.mark.django_db

DEAD_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}


def test_dead_redis_is_a_503_with_retry_after(tree, client, settings):
    settings.CACHES = DEAD_REDIS  # the setting_changed signal resets the cache handler
    # the request form is rate-limited through the cache: the POST needs Redis
    r = client.post(reverse("requests:apply"), {"name": "张三"})
    assert r.status_code == 503 and r["Retry-After"] == "30"
    assert "请稍后重试" in r.content.decode() and r["Cache-Control"] == "no-store"
    api = client.post("/api/v1/requests/", {"name": "张三"}, content_type="application/json")
    assert api.status_code == 503 and api.json()["code"] == "unavailable"


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)  # the connection is really closed, so no wrapping transaction
def test_database_gone_is_a_503(tree, client):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (a server that can go away)")
    from gongkai.requests.models import InformationRequest

    before = InformationRequest.objects.count()
    real_port = connection.settings_dict["PORT"]
    connection.settings_dict["PORT"] = 1  # the next connection attempt fails like a restarting server
    connection.close()
    try:
        r = client.get(reverse("publications:index"))
        assert r.status_code == 503 and r["Retry-After"] == "30"
    finally:
        connection.settings_dict["PORT"] = real_port
        connection.close()
    assert InformationRequest.objects.count() == before
