"""Status of normative documents is derived from dates and repeal/amendment records and
changes by itself as days pass (time-machine), identically in Python and in SQL."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.core.models import AuditEvent
from gongkai.publications import selectors, services
from gongkai.publications.models import LegalStatus, Publication
from gongkai.publications.status import annotate_status, legal_status

pytestmark = pytest.mark.django_db

D = dt.date


def at(day: dt.date):
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False
    )


def both(pub, on=None):
    """Status by the Python rule and by the SQL expression must agree."""
    py = legal_status(Publication.objects.get(pk=pub.pk), on)
    sql = annotate_status(Publication.objects.filter(pk=pub.pk), on).get().status_value
    assert py == sql, (py, sql)
    return py


@pytest.fixture
def normative(tree, draft, publish):
    def _make(**kw):
        data = dict(
            doc_type="normative",
            title="松阳县农村宅基地审批管理办法",
            document_number="松政办发〔2025〕8号",
            made_on=D(2025, 3, 1),
            effective_from=D(2025, 4, 1),
            expires_on=D(2030, 4, 1),
        )
        data.update(kw)
        return publish(draft(**data))

    return _make


def test_status_changes_by_itself_when_dates_pass(normative):
    with at(D(2025, 3, 10)):
        pub = normative()
        assert both(pub) == LegalStatus.NOT_YET
        assert pub.get_legal_status_display() == "尚未生效"
    with at(D(2025, 3, 31)):
        assert both(pub) == LegalStatus.NOT_YET
    with at(D(2025, 4, 1)):
        assert both(pub) == LegalStatus.VALID
    with at(D(2030, 3, 31)):
        assert both(pub) == LegalStatus.VALID
    with at(D(2030, 4, 1)):
        assert both(pub) == LegalStatus.INVALID


def test_repeal_takes_effect_on_its_date(tree, normative):
    with at(D(2025, 3, 10)):
        old = normative()
    with at(D(2026, 6, 1)):
        new = normative(
            title="松阳县农村宅基地管理办法（2026年修订）",
            document_number="松政办发〔2026〕3号",
            made_on=D(2026, 5, 20),
            effective_from=D(2026, 7, 1),
            expires_on=None,
        )
        link = services.legal_link_add(
            actor=tree.reviewer_a, target=old, kind="repeal", effective_on=D(2026, 7, 1), by=new, note="被新办法替代"
        )
        assert AuditEvent.objects.filter(action="publications.legal_link.repeal", object_id=str(link.pk)).exists()
        assert both(old) == LegalStatus.VALID
        assert both(new) == LegalStatus.NOT_YET
    with at(D(2026, 7, 1)):
        assert both(old) == LegalStatus.INVALID
        assert both(new) == LegalStatus.VALID


def test_amendment_marks_amended_but_in_force(tree, normative):
    with at(D(2025, 3, 10)):
        pub = normative()
    with at(D(2026, 1, 5)):
        services.legal_link_add(
            actor=tree.leader_a, target=pub, kind="amend", effective_on=D(2026, 2, 1), note="修改第五条"
        )
        assert both(pub) == LegalStatus.VALID
    with at(D(2026, 2, 1)):
        assert both(pub) == LegalStatus.AMENDED


def test_non_normative_has_no_status(draft, publish):
    pub = publish(draft())
    assert legal_status(pub) is None
    assert annotate_status(Publication.objects.filter(pk=pub.pk)).get().status_value == ""


def test_legal_link_validation(tree, normative, draft):
    with at(D(2025, 3, 10)):
        pub = normative()
        with pytest.raises(ValidationError):
            services.legal_link_add(actor=tree.reviewer_a, target=pub, kind="repeal", effective_on=D(2025, 1, 1))
        with pytest.raises(PermissionDenied):
            services.legal_link_add(actor=tree.editor_a, target=pub, kind="repeal", effective_on=D(2025, 5, 1))
        with pytest.raises(PermissionDenied):
            services.legal_link_add(actor=tree.reviewer_b, target=pub, kind="repeal", effective_on=D(2025, 5, 1))
        with pytest.raises(ValidationError):
            services.legal_link_add(
                actor=tree.reviewer_a, target=draft(title="一般通知"), kind="repeal", effective_on=D(2025, 5, 1)
            )
        services.legal_link_add(actor=tree.reviewer_a, target=pub, kind="repeal", effective_on=D(2025, 5, 1))
        with pytest.raises(ValidationError):
            services.legal_link_add(
                actor=tree.reviewer_a, target=pub, kind="repeal", effective_on=D(2025, 6, 1), note="重复"
            )


def test_dates_validated(tree, draft):
    with pytest.raises(ValidationError) as err:
        draft(doc_type="normative", effective_from=D(2025, 4, 1), expires_on=D(2025, 3, 1), made_on=D(2025, 3, 1))
    assert "expires_on" in err.value.message_dict


def test_library_filter_and_normative_counts(tree, normative):
    with at(D(2025, 3, 10)):
        valid = normative(title="松阳县城乡居民医疗救助实施办法")
        later = normative(title="松阳县养老服务补贴管理办法", effective_from=D(2026, 9, 1), expires_on=None)
        expired = normative(
            title="松阳县2025年春耕补贴发放办法", effective_from=D(2025, 3, 15), expires_on=D(2025, 12, 31)
        )
        normative(
            doc_type="regulation",
            title="丽水市城市市容和环境卫生管理规定",
            effective_from=D(2025, 5, 1),
            expires_on=None,
        )
    with at(D(2025, 11, 1)):
        repealed = normative(
            title="松阳县殡葬管理暂行规定", made_on=D(2025, 10, 1), effective_from=D(2025, 10, 15), expires_on=None
        )
        services.legal_link_add(actor=tree.reviewer_a, target=repealed, kind="repeal", effective_on=D(2025, 11, 20))
    with at(D(2026, 1, 10)):
        lib = {p.title: p.status_value for p in selectors.library()}
        assert lib[valid.title] == "valid"
        assert lib[later.title] == "not_yet"
        assert lib[expired.title] == "invalid"
        assert lib[repealed.title] == "invalid"
        assert [p.pk for p in selectors.library(status="not_yet")] == [later.pk]
        counts = selectors.normative_counts([tree.dept_a], 2025)
        assert counts["行政规范性文件"] == {"made": 4, "repealed": 1, "in_force": 1}
        assert counts["规章"] == {"made": 1, "repealed": 0, "in_force": 1}
        assert selectors.normative_counts([tree.dept_b], 2025)["行政规范性文件"] == {
            "made": 0,
            "repealed": 0,
            "in_force": 0,
        }
