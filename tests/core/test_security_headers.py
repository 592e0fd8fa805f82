"""Headers and settings (等保 入侵防范): a Content-Security-Policy without inline scripts or
styles on every page (and pages still work under it: htmx, charts), ``Cache-Control: no-store``
on staff pages and applicants' pages, HSTS when configured, no demo secret key outside the
demo, and no file served from MEDIA_ROOT by path in any mode (drafts in private storage)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from django.urls import Resolver404, resolve, reverse

from gongkai.publications import services as publications
from tests.factories import PASSWORD
from tests.publications.files import pdf_bytes


def _csp(response) -> dict[str, str]:
    header = response["Content-Security-Policy"] if hasattr(response, "__getitem__") else response
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


@pytest.mark.django_db
def test_every_page_has_a_strict_csp(client, tree):
    for url in ["/", reverse("search:search"), "/staff/login/", "/api/v1/search/?q=低保"]:
        r = client.get(url)
        policy = _csp(r)
        assert policy["script-src"] == "script-src 'self'", url
        assert policy["style-src"] == "style-src 'self'", url
        assert (
            "'unsafe-inline'" not in r["Content-Security-Policy"]
            and "'unsafe-eval'" not in r["Content-Security-Policy"]
        )
        assert policy["frame-ancestors"] == "frame-ancestors 'none'" and policy["object-src"] == "object-src 'none'"


def _templates():
    root = Path(__file__).resolve().parents[2] / "src" / "gongkai"
    # WeasyPrint templates (PDF letters, reports, short guides) are rendered on the server, never
    # served to a browser: their <style> is not subject to the CSP.
    pdf_only = {"short_guide.html", "print.html"}
    return [p for p in root.rglob("templates/**/*.html") if p.name not in pdf_only]


def test_no_inline_script_style_or_handler_in_templates():
    import re

    offenders = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for pattern in (
            r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>",
            r"<style",
            r"\sstyle=\"",
            r"\son[a-z]+=\"",
        ):
            if re.search(pattern, text):
                offenders.append(f"{path.name}: {pattern}")
    assert not offenders, offenders


@pytest.mark.django_db
def test_no_store_on_staff_and_applicant_pages_not_on_public_pages(client, client_for, tree):
    public = client.get("/")
    assert "no-store" not in public.get("Cache-Control", "")
    for url in ["/staff/login/", reverse("requests:track"), reverse("interaction:track")]:
        assert "no-store" in client.get(url)["Cache-Control"], url
    staff = client_for(tree.office)
    for url in ["/workbench/", reverse("search_wb:terms"), "/"]:  # signed in: even public pages
        r = staff.get(url)
        assert "no-store" in r["Cache-Control"] and r["Pragma"] == "no-cache", url
    api = client_for(tree.office).get("/api/v1/staff/publications/")
    assert "no-store" in api["Cache-Control"]
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=tree.office)
    tokened = client.get("/api/v1/search/", {"q": "低保"}, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert "no-store" in tokened["Cache-Control"]


@pytest.mark.django_db
def test_hsts_when_configured_behind_tls(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    r = client.get("/", secure=True)
    assert r["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" not in client.get("/")  # never over plain http


def _settings_in_subprocess(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "GONGKAI_DEMO", "GONGKAI_TESTING"}}
    clean["DJANGO_SETTINGS_MODULE"] = "gongkai.settings"
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        ],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_debug_without_the_demo_flag_needs_a_real_secret_key(tmp_path):
    base = {"GONGKAI_DATA_DIR": str(tmp_path)}
    failed = _settings_in_subprocess({**base, "DEBUG": "1"})
    assert failed.returncode != 0 and "SECRET_KEY must be set" in failed.stderr
    demo_key = _settings_in_subprocess(
        {**base, "DEBUG": "1", "SECRET_KEY": "insecure-demo-key-do-not-use-in-production"}
    )
    assert demo_key.returncode != 0 and "SECRET_KEY must be set" in demo_key.stderr
    short = _settings_in_subprocess({**base, "SECRET_KEY": "short"})
    assert short.returncode != 0
    keys = {  # personal data at rest needs its own keys outside the demo (core.crypto)
        "GONGKAI_DATA_KEYS": "v1:dvQgS+7bwW+dUsBjBW3Nv4Uqajd74rCKD3hB7l5x61I=",
        "GONGKAI_BLIND_INDEX_KEY": "Qm1kR0xkd1Z0bHhBS3pMZ2V3dEJ5dGhWa2N4Yk9wWkE=",
    }
    ok = _settings_in_subprocess({**base, **keys, "DEBUG": "1", "SECRET_KEY": "x7" * 25})
    assert ok.returncode == 0 and ok.stdout.strip() == "True", ok.stderr[-800:]
    demo = _settings_in_subprocess({**base, "GONGKAI_DEMO": "1"})
    assert demo.returncode == 0


@pytest.mark.django_db
def test_draft_attachments_are_private_and_media_is_never_served(tree, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    pub = publications.publication_create(
        actor=tree.editor_a,
        unit=tree.dept_a,
        doc_type="policy",
        title="松阳县低保审核确认办法（征求意见稿）",
        body="<p>x</p>",
    )
    att = publications.attachment_add(actor=tree.editor_a, publication=pub, name="草稿.pdf", data=pdf_bytes())
    stored = Path(att.file.path)
    assert stored.is_file() and (tmp_path / "private-media") in stored.parents
    assert not (tmp_path / "media").exists() or not any((tmp_path / "media").rglob("*.pdf"))
    with pytest.raises(Resolver404):
        resolve(f"/media/{att.file.name}")
    assert client.get(f"/media/{att.file.name}").status_code == 404
    assert client.get(att.get_absolute_url()).status_code == 404  # a draft's file: not public
    # the demo (DEBUG) serves no /media/ either
    code = (
        "import django; django.setup(); from django.urls import resolve, Resolver404\n"
        "try:\n    resolve('/media/publications/2026/11/ab/x.pdf'); print('served')\n"
        "except Resolver404:\n    print('not served')"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "GONGKAI_TESTING"}}
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={
            **env,
            "GONGKAI_DEMO": "1",
            "DEBUG": "1",
            "GONGKAI_DATA_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "gongkai.settings",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.stdout.strip() == "not served", out.stderr


# --- against a live server: the headers a browser really gets ------------------------------


@pytest.mark.django_db(transaction=True)
def test_live_server_sends_csp_and_no_store(live_server, tree, client):
    r = httpx.get(live_server.url + "/")
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]
    assert "no-store" not in r.headers.get("Cache-Control", "")
    client.login(username=tree.office.username, password=PASSWORD)
    session = client.cookies["sessionid"].value
    r = httpx.get(live_server.url + "/workbench/", cookies={"sessionid": session})
    assert r.status_code == 200 and "/staff/login/" not in str(r.url)
    assert "no-store" in r.headers["Cache-Control"]
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_work_under_the_csp_in_a_browser(tree, page, login_page):
    """No CSP violation on the pages touched (portal, search with htmx suggestions, statistics
    charts, the workbench and the search-term page), and htmx still swaps content."""
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto("/")
    page.goto(reverse("search:search"))
    with page.expect_response(lambda r: "/search/suggest/" in r.url):
        page.fill("#id_q", "低保")
    page.goto(reverse("reports:statistics"))
    page.wait_for_load_state("networkidle")
    login_page(tree.office.username, PASSWORD)
    page.goto(reverse("search_wb:terms"))
    assert page.locator("h1").inner_text() == "热门检索词"
    page.goto("/workbench/")
    page.wait_for_load_state("networkidle")
    assert violations == []
    # control: an injected inline script is refused and reported, so the listener does see violations
    with page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        page.evaluate(
            "() => { const s = document.createElement('script'); s.textContent = 'window.pwned = 1';"
            " document.body.append(s); }"
        )
    assert page.evaluate("() => window.pwned") is None
    assert violations and "script-src" in violations[0]
