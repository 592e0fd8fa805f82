"""The standard-system registry: GB/T 24421 tree, standards by level with Putuo's counts, the
public page, actions through workbench and API, unit isolation."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.core.actions import perform
from gongkai.core.models import AuditEvent
from gongkai.core.transitions import TransitionRefused
from gongkai.standards import selectors, services
from gongkai.standards.actions import STANDARD_ACTIONS, SYSTEM_ACTIONS
from gongkai.standards.models import Node, Standard
from tests.standards import putuo

pytestmark = pytest.mark.django_db


def test_new_system_has_the_gbt_24421_tree(tree):
    system = services.system_create(actor=tree.editor_a, unit=tree.dept_a, title="松阳县民政局政务公开标准体系")
    roots = [n.name for n in Node.objects.filter(system=system, parent__isnull=True)]
    assert roots == ["通用基础标准体系", "服务保障标准体系", "服务提供标准体系"]
    assert Node.objects.filter(system=system, parent__isnull=False).count() == 15
    with pytest.raises(ValidationError):
        services.system_create(actor=tree.editor_a, unit=tree.dept_a, title="第二个")
    with pytest.raises(PermissionDenied):
        services.system_create(actor=tree.editor_b, unit=tree.dept_a, title="别人的")


def test_putuo_composition_counts_and_public_page(tree, client):
    system = putuo.build(tree.editor_a, tree.dept_a)
    assert selectors.level_counts(system) == {"national": 46, "industry": 1, "local": 4, "group": 0, "own": 118}
    top = selectors.tree(system)
    assert sum(item["count"] for item in top) == 169
    page = client.get("/standards/").content.decode()  # a single public system opens directly
    assert "共 169 项标准" in page and "国家标准 46 项" in page and "自制标准 118 项" in page
    assert "GB/T 24421.2-2023" in page and "服务业组织标准化工作指南 第2部分：标准体系构建" in page
    filtered = client.get(f"/standards/systems/{system.pk}/?level=local").content.decode()
    assert "DB31/T 1100-2019" in filtered and "GB/T 24421.2-2023" not in filtered
    standard = Standard.objects.get(number="GB/T 22239-2019")
    assert "网络安全等级保护" in client.get(f"/standards/standards/{standard.pk}/").content.decode()


def test_repeal_and_adopt_through_actions(tree):
    system = putuo.build(tree.editor_a, tree.dept_a)
    std = Standard.objects.get(number="PT/ZWGK 001-2019")
    std = perform(STANDARD_ACTIONS.get("repeal"), user=tree.editor_a, obj=std, data={"replaced_by": "PT/ZWGK 001-2024"})
    assert std.status == "repealed" and std.repealed_on is not None
    assert selectors.level_counts(system)["own"] == 117
    with pytest.raises(TransitionRefused):
        perform(STANDARD_ACTIONS.get("repeal"), user=tree.editor_a, obj=std, data={})
    node = Node.objects.get(system=system, code="3.3")
    perform(
        SYSTEM_ACTIONS.get("add-standard"),
        user=tree.editor_a,
        obj=system,
        data={
            "node": node.pk,
            "level": "own",
            "number": "PT/ZWGK 001-2024",
            "title": "政府信息主动公开管理规范",
            "drafting": "on",
        },
    )
    new = Standard.objects.get(number="PT/ZWGK 001-2024")
    assert new.status == "drafting"
    new = perform(STANDARD_ACTIONS.get("adopt"), user=tree.editor_a, obj=new, data={"effective_on": "2024-07-01"})
    assert new.status == "current" and str(new.effective_on) == "2024-07-01"
    with pytest.raises(Exception) as dup:
        perform(
            SYSTEM_ACTIONS.get("add-standard"),
            user=tree.editor_a,
            obj=system,
            data={"node": node.pk, "level": "own", "number": "PT/ZWGK 001-2024", "title": "重复"},
        )
    assert "已在体系中" in str(dup.value)
    assert AuditEvent.objects.filter(action="standards.standard.repeal").count() == 1


def test_attachment_is_checked_and_served(tree, client):
    import docx

    system = services.system_create(actor=tree.editor_a, unit=tree.dept_a, title="体系")
    node = Node.objects.filter(system=system, parent__isnull=False).first()
    std = services.standard_add(
        actor=tree.editor_a,
        system=system,
        data={"node": node, "level": "own", "number": "SY/ZW 001-2026", "title": "政务公开工作规范"},
    )
    buf = io.BytesIO()
    d = docx.Document()
    d.add_paragraph("松阳县政务公开工作规范")
    d.save(buf)
    std = services.standard_attach(actor=tree.editor_a, standard=std, name="规范.docx", data=buf.getvalue())
    r = client.get(f"/standards/standards/{std.pk}/text/")
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    with pytest.raises(ValidationError):
        services.standard_attach(actor=tree.editor_a, standard=std, name="x.pdf", data=b"not a pdf at all")


def test_workbench_and_api(tree, client_for, api_for):
    c = client_for(tree.editor_a)
    r = c.post("/workbench/standards/", {"unit": tree.dept_a.pk, "title": "松阳县民政局政务公开标准体系"})
    assert r.status_code == 302
    system = selectors.staff_systems(tree.editor_a).get()
    page = c.get(r["Location"]).content.decode()
    assert "通用基础标准体系" in page and f"/workbench/standards/systems/{system.pk}/act/add-standard/" in page
    node = Node.objects.get(system=system, code="1.1")
    r = c.post(
        f"/workbench/standards/systems/{system.pk}/act/add-standard/",
        {
            "add-standard-node": node.pk,
            "add-standard-level": "national",
            "add-standard-number": "GB/T 24421.1-2023",
            "add-standard-title": "服务业组织标准化工作指南 第1部分：总则",
        },
    )
    assert r.status_code == 302
    std = Standard.objects.get()
    api = api_for(tree.editor_a)
    data = api.get(f"/api/v1/standards/standards/{std.pk}/").json()
    assert [a["name"] for a in data["actions"]] == ["edit", "attach", "repeal"]
    assert api.post(f"/api/v1/standards/standards/{std.pk}/repeal/", {}, format="json").json()["status"] == "repealed"
    assert api.get(f"/api/v1/standards/systems/{system.pk}/").json()["levels"]["national"] == 0
    assert api_for(tree.editor_b).get(f"/api/v1/standards/standards/{std.pk}/").status_code == 404
    assert client_for(tree.editor_b).get(f"/workbench/standards/standards/{std.pk}/").status_code == 403
    assert client_for(tree.editor_b).post(f"/workbench/standards/systems/{system.pk}/act/add-node/").status_code == 403
    bad = api.post(
        f"/api/v1/standards/systems/{system.pk}/add-standard/",
        {"node": 999999, "level": "own", "number": "X", "title": "Y"},
        format="json",
    )
    assert bad.status_code == 400 and "node" in bad.json()
