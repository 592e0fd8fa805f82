"""Shared fixtures: an organisation tree with staff in every role, API clients, a browser."""

from __future__ import annotations

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's DB access is still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.factories import OrgTree, build_org_tree, ensure_reference_data  # noqa: E402


@pytest.fixture(autouse=True)
def _fresh_calendar_snapshot():
    """Drop the process-local working-day calendar around each test.

    Tests roll their transactions back, so a snapshot cached by one test (say,
    after importing 2027) must not leak into the next.
    """
    from gongkai.core import deadlines, workdays

    workdays.invalidate()
    deadlines.invalidate()
    yield
    workdays.invalidate()
    deadlines.invalidate()


@pytest.fixture(autouse=True)
def _clean_cache():
    """Rate-limit counters and other cached state must not leak from one test to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Start every test in the default language (简体).

    LocaleMiddleware activates the request's language in the test thread and
    leaves it active, so one test asking for 繁體 or English would otherwise
    change the messages that the next tests see.
    """
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The standard test database, with the migrations' reference data present (also after --reuse-db)."""
    with django_db_blocker.unblock():
        ensure_reference_data()


_FLUSHING_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Re-seed reference data after a transactional test (live server, parallel writers).

    Such tests end with a flush of every table, which would leave the tests that
    follow without a calendar (CalendarMissing), domains, templates or appeal types.
    Runs after all fixtures are torn down.
    """
    yield
    marker = item.get_closest_marker("django_db")
    flushing = _FLUSHING_FIXTURES & set(getattr(item, "fixturenames", ())) or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if flushing:
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            ensure_reference_data()


@pytest.fixture
def tree(db) -> OrgTree:
    """province → city → county (with disclosure office) → 2 townships; 2 county departments; a school."""
    return build_org_tree()


@pytest.fixture
def client_for(client):
    """Log a user in on the Django test client: ``client_for(user)``."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def api_for():
    from rest_framework.test import APIClient

    def _make(user=None):
        api = APIClient()
        if user is not None:
            api.force_authenticate(user)
        return api

    return _make


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not os.path.exists(executable):
        pytest.fail(f"Chromium not found at {executable}: install Debian's chromium package (see .ci/run)")
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=executable,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


@pytest.fixture
def login_page(page, live_server):
    """Log a user in through the real login form: ``login_page(user, password)``."""

    def _login(username: str, password: str = "pw-12345678"):
        page.goto("/staff/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("main button[type=submit]")  # not the language buttons in the header
        page.wait_for_url("**/workbench/**")
        return page

    return _login


def assert_accessible(page, *, context: str = "") -> None:
    """Run axe-core on the current page and fail with the violations listed (WCAG 2.1 A/AA)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    )
    violations = results.response["violations"]
    if violations:
        lines = [
            f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:5]}" for v in violations
        ]
        raise AssertionError(f"axe violations {context} on {page.url}:\n" + "\n".join(lines))


REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379  # the machine's Redis (tests that need one skip without it)


def redis_alive(host: str = REDIS_HOST, port: int = REDIS_PORT) -> bool:
    """Whether a Redis answers PING at host:port (one-second timeout)."""
    import socket

    try:
        with socket.create_connection((host, port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False
