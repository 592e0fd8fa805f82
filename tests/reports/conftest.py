"""Fixtures for the reports tests: REAL records in the requests and publications apps' tables.

Rows are created directly with those apps' models (their own workflows are tested in their
apps); the report must count exactly these rows.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone

_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def make_request(unit, *, received_on, finished_on=None, outcome="", applicant="person", org_type=""):
    from gongkai.requests.models import InformationRequest

    n = next(_seq)
    return InformationRequest.objects.create(
        tracking_code=f"YSQ{n:08d}",
        unit=unit,
        applicant_type=applicant,
        org_type=org_type,
        name="王小明" if applicant == "person" else "浙江松州律师事务所",
        phone="13905781234",
        address="浙江省丽水市松阳县西屏街道长松路18号",
        description="请公开2024年度城乡居民最低生活保障资金发放情况",
        preferred_format="email",
        delivery="email",
        submitted_at=timezone.make_aware(dt.datetime.combine(received_on, dt.time(9))),
        received_on=received_on,
        finished_on=finished_on,
        outcome=outcome,
        status="closed" if finished_on else "in_progress",
    )


def make_review(request, *, kind="review", outcome="upheld", filed_on, decided_on=None):
    from gongkai.requests.models import ReviewCase

    return ReviewCase.objects.create(
        request=request,
        unit=request.unit,
        kind=kind,
        outcome=outcome,
        filed_on=filed_on,
        decided_on=decided_on,
        case_number=f"松政复〔{filed_on.year}〕{next(_seq)}号",
    )


def make_doc(unit, *, doc_type="normative", published_on, title="关于进一步做好最低生活保障工作的通知"):
    from gongkai.publications.models import Publication

    n = next(_seq)
    return Publication.objects.create(
        unit=unit,
        doc_type=doc_type,
        title=title,
        state="published",
        published_on=published_on,
        made_on=published_on,
        effective_from=published_on,
        document_number=f"松民发〔{published_on.year}〕{n}号",
        index_number=f"TEST-GF-{published_on.year}-{n:05d}",
    )


def repeal(target, by, effective_on):
    from gongkai.publications.models import LegalLink

    return LegalLink.objects.create(kind="repeal", target=target, by=by, effective_on=effective_on)


@pytest.fixture
def county_records(tree):
    """A 2025 year in the test county: requests at the county, 民政局 and a township, 2 review cases,
    normative documents made, repealed and in force. Returns the expected official figures."""
    D = dt.date
    reqs = {
        # new in 2025, natural persons, answered
        "open1": make_request(tree.dept_a, received_on=D(2025, 3, 3), finished_on=D(2025, 3, 20), outcome="public"),
        "open2": make_request(
            tree.dept_a, received_on=D(2025, 4, 1), finished_on=D(2025, 4, 10), outcome="public_already"
        ),
        "partial": make_request(tree.county, received_on=D(2025, 5, 6), finished_on=D(2025, 5, 30), outcome="partial"),
        "not_held": make_request(
            tree.town_a, received_on=D(2025, 6, 2), finished_on=D(2025, 6, 12), outcome="unavailable_not_held"
        ),
        # legal-services firm: a process-information refusal, and one still open at year end
        "process": make_request(
            tree.dept_b,
            received_on=D(2025, 7, 1),
            finished_on=D(2025, 7, 25),
            outcome="withheld_process",
            applicant="organisation",
            org_type="legal",
        ),
        "open_eoy": make_request(tree.dept_b, received_on=D(2025, 12, 22), applicant="organisation", org_type="legal"),
        # a business: repeat request
        "repeat": make_request(
            tree.county,
            received_on=D(2025, 8, 8),
            finished_on=D(2025, 8, 9),
            outcome="not_handled_repeat",
            applicant="organisation",
            org_type="commercial",
        ),
        # carried over from 2024 and finished in 2025
        "carried": make_request(tree.dept_a, received_on=D(2024, 12, 20), finished_on=D(2025, 1, 15), outcome="public"),
        # not counted: finished in 2024; received in 2026; a school (public institution, excluded)
        "old": make_request(tree.dept_a, received_on=D(2024, 3, 1), finished_on=D(2024, 3, 20), outcome="public"),
        "next": make_request(tree.dept_a, received_on=D(2026, 1, 5)),
        "school": make_request(tree.school, received_on=D(2025, 3, 3), finished_on=D(2025, 3, 9), outcome="public"),
    }
    make_review(reqs["process"], kind="review", outcome="upheld", filed_on=D(2025, 8, 20), decided_on=D(2025, 10, 9))
    make_review(reqs["not_held"], kind="litigation_direct", outcome="pending", filed_on=D(2025, 9, 1))
    docs = {
        "n1": make_doc(tree.dept_a, published_on=D(2025, 2, 10)),
        "n2": make_doc(tree.county, published_on=D(2025, 6, 1), title="松阳县政府信息公开工作规定"),
        "old": make_doc(tree.dept_a, published_on=D(2021, 5, 1), title="松阳县困难群众救助办法"),
        "old2": make_doc(tree.dept_b, published_on=D(2022, 5, 1), title="松阳县就业补助资金管理办法"),
        "school": make_doc(tree.school, published_on=D(2025, 3, 1), title="学校章程"),
    }
    repeal(docs["old"], docs["n1"], D(2025, 2, 10))
    expected = {
        "t3": {
            ("new", "natural"): 4,
            ("new", "legal"): 2,
            ("new", "commercial"): 1,
            ("new", "total"): 7,
            ("carried_in", "natural"): 1,
            ("carried_in", "total"): 1,
            ("open", "natural"): 3,
            ("partial", "natural"): 1,
            ("unavailable_not_held", "natural"): 1,
            ("withheld_process", "legal"): 1,
            ("not_handled_repeat", "commercial"): 1,
            ("result_total", "natural"): 5,
            ("result_total", "legal"): 1,
            ("result_total", "commercial"): 1,
            ("result_total", "total"): 7,
            ("carried_out", "legal"): 1,
            ("carried_out", "total"): 1,
        },
        "t4": {"review_upheld": 1, "review_total": 1, "suit_direct_pending": 1, "suit_direct_total": 1},
        "t2": {("normative", "made"): 2, ("normative", "repealed"): 1, ("normative", "in_force"): 3},
    }
    return {"requests": reqs, "docs": docs, "expected": expected}


def fill_manual(report, actor):
    from gongkai.reports import services

    for row, col, v in (
        ("licence", "decisions", 152),
        ("penalty", "decisions", 37),
        ("enforcement", "decisions", 2),
        ("fees", "amount", "12.5"),
    ):
        report = services.report_set_manual_figure(
            actor=actor, report=report, row=row, col=col, value=v, note="县行政审批局、县综合执法局2025年度统计报表"
        )
    return services.report_update_text(
        actor=actor,
        report=report,
        title=report.title,
        overview="2025年，松阳县深入贯彻《条例》，推进基层政务公开标准化规范化。",
    )
