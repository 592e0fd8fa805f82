"""`gongkai load_demo`: a realistic county, idempotent, audited, with a verifiable chain."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from gongkai.core import audit, credit_code
from gongkai.core.demo import DEMO_PASSWORD
from gongkai.core.models import AuditEvent, Level, Membership, Organisation, OrgKind, Role, User

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        AuditEvent.objects.count(),
    )


def test_load_demo_twice_is_idempotent(capsys):
    call_command("load_demo")
    first = _counts()
    out = capsys.readouterr().out
    assert "松阳县人民政府" in out and "admin / gongkai-demo" in out
    call_command("load_demo")
    assert _counts() == first  # nothing created, nothing audited the second time


def test_demo_content():
    call_command("load_demo")
    county = Organisation.objects.get(name="松阳县人民政府")
    assert county.level == Level.COUNTY and county.parent.name == "丽水市人民政府"
    townships = Organisation.objects.filter(parent=county, kind=OrgKind.GOVERNMENT, level=Level.TOWNSHIP)
    assert townships.count() == 10
    assert Organisation.objects.filter(parent=county, kind=OrgKind.DEPARTMENT).count() == 25
    below = county.descendants()
    assert below.filter(kind=OrgKind.SCHOOL).count() >= 3
    assert below.filter(kind=OrgKind.HOSPITAL).count() >= 3
    assert below.filter(kind=OrgKind.WATER).exists() and below.filter(kind=OrgKind.POWER).exists()
    assert all(credit_code.is_valid(c) for c in Organisation.objects.values_list("credit_code", flat=True))
    held = set(Membership.objects.values_list("role", flat=True))
    assert held == set(Role.values)
    gkb = User.objects.get(username="gkb")
    assert gkb.check_password(DEMO_PASSWORD)
    assert Membership.objects.filter(user=gkb, role=Role.DISCLOSURE_OFFICE, unit=county).exists()
    assert User.objects.get(username="admin").is_superuser
    _last_years_reports(county)


def _figures_sum(table: dict) -> float:
    return sum(float(c["v"]) for row in table.values() for c in row.values() if isinstance(c.get("v"), int | float))


def _last_years_reports(county):
    """Seen in December, last year's reports went out in January (one late, one draft, one not started),
    and their tables count last year's demo records."""
    from gongkai.reports import selectors as reports
    from gongkai.reports.models import AnnualReport, ReportStatus

    year = reports.default_year()
    published = AnnualReport.objects.get(unit=county, year=year, status=ReportStatus.PUBLISHED)
    assert published.published_at.year == year + 1 and published.published_at.month == 1
    assert _figures_sum(published.figures["t3"]) > 0  # requests received and answered last year
    mz = AnnualReport.objects.get(unit__name="松阳县民政局", year=year)
    assert _figures_sum(mz.figures["t3"]) >= 10
    states = {p.state for p in reports.progress(county, year)}
    assert {"已发布", "逾期发布", "已逾期未发布"} <= states, states


def test_demo_is_audited_and_chain_verifies():
    call_command("load_demo")
    assert AuditEvent.objects.filter(action="organisation.create").count() == Organisation.objects.count()
    assert AuditEvent.objects.filter(action="membership.grant").count() == Membership.objects.count()
    audit.chain_pending()  # deferred chaining (PostgreSQL) links after commit; the test never commits
    result = audit.verify()
    assert result.ok and result.checked == AuditEvent.objects.count()
    call_command("audit", "verify")


def test_demo_login_works(client):
    call_command("load_demo")
    response = client.post("/staff/login/", {"username": "gkb", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/workbench/"
    page = client.get("/workbench/").content.decode()
    assert "陈晓梅" in page and "政务公开办管理员" in page
