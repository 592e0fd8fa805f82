"""Demo data: loads through the services, is idempotent, and every workbench page renders for it."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core.management import call_command

from gongkai.core.models import User
from gongkai.requests.models import InformationRequest, Letter, ReviewCase, Status


def test_demo_loads_and_pages_render(db, client, settings, tmp_path):
    with time_machine.travel(dt.datetime(2026, 11, 10, 10, 0), tick=False):
        call_command("load_demo")
        n = InformationRequest.objects.count()
        assert n >= 20
        statuses = set(InformationRequest.objects.values_list("status", flat=True))
        assert {Status.CORRECTION, Status.CONSULTING, Status.IN_PROGRESS, Status.REPLIED, Status.WITHDRAWN} <= statuses
        assert Letter.objects.count() >= 6 and ReviewCase.objects.count() == 2
        assert InformationRequest.objects.filter(due_date__lt=dt.date(2026, 11, 10), status=Status.IN_PROGRESS).exists()
        call_command("load_demo")
        assert InformationRequest.objects.count() == n  # idempotent

        client.force_login(User.objects.get(username="gkb"))
        assert client.get("/workbench/requests/").status_code == 200
        assert client.get("/workbench/requests/?view=due_soon").status_code == 200
        assert client.get("/workbench/requests/stats/").status_code == 200
        for req in InformationRequest.objects.all():
            assert client.get(f"/workbench/requests/{req.pk}/").status_code == 200
        client.force_login(User.objects.get(username="mz_editor"))
        for req in InformationRequest.objects.filter(unit__name="松阳县民政局"):
            resp = client.get(f"/workbench/requests/{req.pk}/")
            assert resp.status_code == 200
        assert client.get("/workbench/").status_code == 200
