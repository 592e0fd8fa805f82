"""Parallel approvals of the same item on PostgreSQL: the row lock lets exactly one win,
so there is one publication event and one index number."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from gongkai.core.models import AuditEvent
from gongkai.publications import services
from gongkai.publications.models import Publication, State

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_parallel_sign_off(tree, draft):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    pub = services.publication_submit(actor=tree.editor_a, publication=draft())
    pub = services.publication_review_attribute(actor=tree.reviewer_a, publication=pub, attribute="proactive")
    pub = services.publication_review_confidentiality(actor=tree.reviewer_a, publication=pub)
    results: list[str] = []
    barrier = threading.Barrier(3)

    def sign():
        try:
            barrier.wait()
            services.publication_sign_off(actor=tree.leader_a, publication=Publication.objects.get(pk=pub.pk))
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "refused", "refused"]
    pub.refresh_from_db()
    assert pub.state == State.PUBLISHED
    assert AuditEvent.objects.filter(action="publications.publication.publish", object_id=str(pub.pk)).count() == 1
