"""The requests app in English: every message translated (placeholders kept), pages in English."""

from __future__ import annotations

import re
from pathlib import Path

import polib
from django.urls import reverse

LOCALE = Path(__file__).resolve().parents[2] / "src" / "gongkai" / "requests" / "locale"
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_english_catalogue_is_complete_and_keeps_placeholders():
    po = polib.pofile(str(LOCALE / "en" / "LC_MESSAGES" / "django.po"))
    entries = [e for e in po if not e.obsolete]
    assert len(entries) > 500
    assert [e.msgid for e in entries if not e.translated() or "fuzzy" in e.flags] == []
    for e in entries:
        text = e.msgstr or " ".join(e.msgstr_plural.values())
        assert sorted(re.findall(r"%\(\w+\)s", e.msgid)) == sorted(set(re.findall(r"%\(\w+\)s", text))) or (
            e.msgid_plural and set(re.findall(r"%\(\w+\)s", e.msgid)) <= set(re.findall(r"%\(\w+\)s", text))
        ), e.msgid
        # real English: no Chinese left in the translation, except the two forms of address the letters use
        assert not CJK.search(text.replace("您", "").replace("贵单位", "")), e.msgid


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_public_form_and_workbench_in_english(client, tree, submit, client_for):
    req = submit(tree.dept_a)
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    form = _visible_text(client.get(reverse("requests:apply"), **english).content.decode())
    assert "Receiving body" in form and "Applicant type" in form and "Check question" in form
    staff = client_for(tree.editor_a)
    queue = _visible_text(staff.get(reverse("requests_wb:queue"), **english).content.decode())
    assert "All open" in queue and "Due soon and overdue" in queue
    detail = _visible_text(staff.get(reverse("requests_wb:detail", args=[req.pk]), **english).content.decode())
    assert "Assign a handler" in detail and "Submit the reply for sign-off" in detail
    # the UI of these pages is English: what Chinese is left is data (names, the request, the record's steps)
    from gongkai.core.models import Organisation, User

    data = [req.name, req.address, req.description, req.receipt_evidence, "王**"]
    data += [o.name for o in Organisation.objects.all()] + [u.display_name for u in User.objects.all()]
    data += [s.public_note + s.internal_note for s in req.steps.all()]
    allowed = "|".join(data)
    leftovers = {w for w in re.findall(r"[\u4e00-\u9fff]+", detail)}
    shell = set(re.findall(r"[\u4e00-\u9fff]+", _visible_text(staff.get("/workbench/", **english).content.decode())))
    assert {w for w in leftovers if w not in allowed and w not in shell} == set()
