"""一网通查: standards of public systems are searchable (kind ``standard``)."""

from __future__ import annotations

import pytest

from gongkai.search import registry
from gongkai.standards import services
from gongkai.standards.models import Node

pytestmark = pytest.mark.django_db


def test_standard_source(tree):
    system = services.system_create(actor=tree.editor_a, unit=tree.dept_a, title="松阳县民政局政务公开标准体系")
    node = Node.objects.get(system=system, code="3.2")
    std = services.standard_add(
        actor=tree.editor_a,
        system=system,
        data={"node": node, "level": "own", "number": "SY/MZ 001-2026", "title": "最低生活保障信息公开规范"},
    )
    doc = registry.fetch(f"standard:{std.pk}")
    assert doc.kind == "standard" and doc.document_number == "SY/MZ 001-2026" and "最低生活保障" in doc.title
    system.is_public = False
    system.save()
    assert registry.fetch(f"standard:{std.pk}") is None
