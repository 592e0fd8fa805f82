"""Public reads go to the read replica when one is configured; staff pages, writes and a visitor who
just submitted something read from the primary."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory

from gongkai.core import db
from gongkai.core.models import Organisation


@pytest.fixture
def replica(monkeypatch):
    monkeypatch.setattr(db, "replica_configured", lambda: True)


def _route(request):
    seen = {}

    def view(req):
        seen["db"] = db.ReplicaRouter().db_for_read(Organisation)
        return HttpResponse("ok")

    response = db.ReplicaReadsMiddleware(view)(request)
    return seen["db"], response


def _get(path, user=None, cookies=None):
    request = RequestFactory().get(path)
    request.user = user or AnonymousUser()
    request.COOKIES.update(cookies or {})
    return request


def test_public_reads_use_the_replica(replica):
    assert _route(_get("/publications/"))[0] == "replica"
    assert _route(_get("/search/?q=低保"))[0] == "replica"


def test_staff_and_logged_in_reads_use_the_primary(replica, django_user_model):
    assert _route(_get("/workbench/requests/"))[0] is None
    assert _route(_get("/api/v1/staff/requests/"))[0] is None
    staff = django_user_model(username="x")
    assert _route(_get("/publications/", user=staff))[0] is None


def test_a_visitor_who_just_submitted_reads_the_primary(replica):
    request = RequestFactory().post("/requests/")
    request.user = AnonymousUser()
    used, response = _route(request)
    assert used is None and response.cookies[db.STICKY_COOKIE]["max-age"] == db.STICKY_SECONDS
    assert _route(_get("/requests/track/", cookies={db.STICKY_COOKIE: "1"}))[0] is None


def test_without_a_replica_everything_reads_the_primary():
    assert _route(_get("/publications/"))[0] is None
    assert db.ReplicaRouter().db_for_write(Organisation) == "default"
    assert db.ReplicaRouter().allow_migrate("replica", "core") is False
