"""Two app servers and one Celery worker on one PostgreSQL and one Redis behave as one platform.

Starts two gunicorn processes (A and B, free ports, each with its own local data directory) and
one Celery worker (solo pool) against this test's PostgreSQL database and Redis, then drives them
over real HTTP (httpx, CSRF tokens from the forms, session cookies) like browsers behind a load
balancer that sends each request to either server:

- a session opened by logging in on A is valid on B (sessions in the database, read through Redis);
- a document signed off on A is found by search on B (the worker writes it to the documents table
  and change journal in PostgreSQL — the replicated backend, recommended for several servers —
  and B's next search applies the journal to B's own local index; the ``postgres`` backend is
  tested in tests/search);
- a request submitted on A, with an attachment, is in B's staff queue, and the file downloads on B
  (private files on the shared volume);
- the public-form rate limit counts the POSTs of both servers (counters in Redis);
- a holiday added on A moves the due date that B shows (recomputed by the worker).

The subprocesses run the production settings module with ``GONGKAI_TESTING=1`` only so that the
test users' fast password hashes verify and static files need no ``collectstatic``. They connect
to the database this test process uses: pytest-django's test database, whose name already carries
the xdist worker suffix (``test_<name>_gw0``), read from ``connection.settings_dict``. The test is
transactional, so its rows are committed and visible to them; the processes are stopped before
pytest-django flushes the tables.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import timezone

from tests.conftest import REDIS_HOST, REDIS_PORT, redis_alive

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

REPO = Path(__file__).resolve().parents[2]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64 + b"two-servers"
BOOT_TIMEOUT = 60.0  # seconds for the servers to answer (upper bound: a loaded 2-core machine)
SETTLE_TIMEOUT = 45.0  # seconds for the worker to index / recompute (upper bound)
PASSWORD = "pw-12345678"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    host = s.get("HOST") or "127.0.0.1"
    return f"postgres://{auth}@{host}:{s.get('PORT') or 5432}/{s['NAME']}"


class Cluster:
    """Servers A and B (base URLs) and the worker, with their logs."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.procs: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, Path] = {}
        self.urls: dict[str, str] = {}
        shared = tmp / "shared"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))},
            "DJANGO_SETTINGS_MODULE": "gongkai.settings",
            "GONGKAI_TESTING": "1",
            "SECRET_KEY": "two-servers-test-" + uuid.uuid4().hex,  # the same on every process: sessions, CSRF
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/0",
            "CACHE_KEY_PREFIX": "gk-2s-" + uuid.uuid4().hex[:12],  # no counters from other runs
            "CELERY_QUEUE": "gk-2s-" + uuid.uuid4().hex[:12],  # no worker of another run takes our tasks
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "GONGKAI_SEARCH_BACKEND": "replicated",
            "MEDIA_ROOT": str(shared / "media"),
            "GONGKAI_PRIVATE_MEDIA_ROOT": str(shared / "private-media"),
            "GONGKAI_PUBLIC_FORM_RATE": "3/h",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(REPO / "src"),
        }

    def start(self, name: str, argv: list[str]) -> None:
        env = {**self.env, "GONGKAI_DATA_DIR": str(self.tmp / name)}  # nothing shared through local disk
        self.logs[name] = self.tmp / f"{name}.log"
        with open(self.logs[name], "wb") as log:
            self.procs[name] = subprocess.Popen(  # noqa: S603
                argv, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def start_server(self, name: str) -> None:
        port = _free_port()
        self.urls[name] = f"http://127.0.0.1:{port}"
        self.start(
            name,
            [sys.executable, "-m", "gunicorn", "gongkai.wsgi:application", "--bind", f"127.0.0.1:{port}"]
            + ["--workers", "1", "--threads", "2", "--timeout", "60", "--graceful-timeout", "2"],
        )

    def start_worker(self) -> None:
        self.start(
            "worker",
            [sys.executable, "-m", "celery", "-A", "gongkai", "worker", "--pool", "solo", "--loglevel", "WARNING"]
            + ["--queues", self.env["CELERY_QUEUE"], "--without-gossip", "--without-mingle", "--without-heartbeat"],
        )

    def wait_ready(self, httpx) -> None:
        deadline = time.monotonic() + BOOT_TIMEOUT
        for name, url in self.urls.items():
            while True:
                self.check_alive()
                try:
                    if httpx.get(url + "/staff/login/", timeout=5).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise AssertionError(f"server {name} did not answer within {BOOT_TIMEOUT} s\n{self.tails()}")
                time.sleep(0.2)

    def check_alive(self) -> None:
        dead = {n: p.returncode for n, p in self.procs.items() if p.poll() is not None}
        if dead:
            raise AssertionError(f"processes exited: {dead}\n{self.tails()}")

    def tails(self) -> str:
        out = []
        for name, path in self.logs.items():
            text = path.read_text(errors="replace") if path.exists() else ""
            out.append(f"--- {name} log (last 3000 chars) ---\n{text[-3000:]}")
        return "\n".join(out)

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)


class Browser:
    """One visitor's cookie jar, sending each request to server A or B (same host, so one jar)."""

    def __init__(self, httpx, cluster: Cluster):
        self.cluster = cluster
        self.client = httpx.Client(timeout=30, follow_redirects=False)
        self.token = ""

    def url(self, server: str, path: str) -> str:
        return self.cluster.urls[server] + path

    def get(self, server: str, path: str):
        r = self.client.get(self.url(server, path))
        m = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', r.text)
        if m:
            self.token = m.group(1)
        return r

    def post(self, server: str, path: str, data: dict, files=None):
        assert self.token, "GET a page with a form first"
        headers = {"Referer": self.url(server, path)}
        return self.client.post(
            self.url(server, path), data={**data, "csrfmiddlewaretoken": self.token}, files=files, headers=headers
        )

    def login(self, server: str, username: str) -> None:
        self.get(server, "/staff/login/")
        r = self.post(server, "/staff/login/", {"username": username, "password": PASSWORD})
        assert r.status_code == 302, f"login of {username} on {server} failed: {r.status_code}"

    def close(self) -> None:
        self.client.close()


def eventually(check, what: str, cluster: Cluster):
    deadline = time.monotonic() + SETTLE_TIMEOUT
    while True:
        result = check()
        if result:
            return result
        cluster.check_alive()
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not seen within {SETTLE_TIMEOUT} s\n{cluster.tails()}")
        time.sleep(0.3)


@pytest.fixture
def cluster(transactional_db, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs DATABASE_URL=postgres://… (app servers and a worker share one PostgreSQL)")
    if not redis_alive():
        pytest.skip(f"needs Redis on {REDIS_HOST}:{REDIS_PORT} (shared cache, sessions, throttles, broker)")
    httpx = pytest.importorskip("httpx")
    c = Cluster(tmp_path)
    try:
        c.start_server("A")
        c.start_server("B")
        c.start_worker()
        c.wait_ready(httpx)
        browsers: list[Browser] = []

        def browser() -> Browser:
            b = Browser(httpx, c)
            browsers.append(b)
            return b

        c.browser = browser
        yield c
        for b in browsers:
            b.close()
    finally:
        c.stop()  # before transactional_db flushes the tables the processes still hold open


def _ready_for_signoff(tree):
    """A policy of 民政局 drafted and reviewed in this process, waiting for the leader's sign-off."""
    from gongkai.publications import services
    from gongkai.publications.models import DocType, State

    pub = services.publication_create(
        actor=tree.editor_a,
        unit=tree.dept_a,
        doc_type=DocType.POLICY,
        title="松阳县农村饮用水安全巩固提升工程实施方案",
        body="<p>为巩固提升农村饮用水安全保障水平，结合本县实际，制定本方案。</p>"
        "<p>一、到2027年底，全县农村自来水普及率达到98%以上。</p>",
        issuer="松阳县民政局",
        document_number="松民发〔2026〕31号",
        made_on=timezone.localdate() - dt.timedelta(days=1),
    )
    pub = services.publication_submit(actor=tree.editor_a, publication=pub)
    pub = services.publication_review_attribute(actor=tree.reviewer_a, publication=pub, attribute="proactive")
    if pub.state == State.CONFIDENTIALITY_REVIEW:
        pub = services.publication_review_confidentiality(actor=tree.reviewer_a, publication=pub)
    assert pub.state == State.SIGNOFF
    return pub


def _ensure_calendar_covers(days: int) -> None:
    """Due dates 20 working days ahead may fall into next year, whose schedule is not seeded."""
    from gongkai.core.models import CalendarYear

    last = timezone.localdate() + dt.timedelta(days=days)
    for year in range(timezone.localdate().year, last.year + 1):
        CalendarYear.objects.get_or_create(year=year, defaults={"source": "双服务器测试"})


def _request_form(unit_pk: int, answer: str) -> dict:
    return {
        "unit": str(unit_pk),
        "applicant_type": "person",
        "name": "王小明",
        "id_type": "resident",
        "id_number": "33112519850312002" + _check_digit("33112519850312002"),
        "phone": "13905781234",
        "email": "wxm@example.cn",
        "address": "浙江省丽水市松阳县西屏街道长松路18号",
        "postcode": "323400",
        "description": "请公开2025年度松阳县农村饮用水工程建设资金使用情况",
        "preferred_format": "email",
        "delivery": "email",
        "confirm": "on",
        "human": answer,
    }


def _check_digit(prefix17: str) -> str:
    from gongkai.requests import identity

    return identity.resident_id_check(prefix17)


def _answer(html: str) -> str:
    m = re.search(r"(\d+) 加 (\d+) 等于多少", html)
    assert m, "the human check question is on the form"
    return str(int(m.group(1)) + int(m.group(2)))


def test_two_app_servers_and_a_worker_act_as_one(tree, cluster):
    from gongkai.core import deadlines, workdays
    from gongkai.requests import deadlines as request_deadlines
    from gongkai.requests.models import InformationRequest

    _ensure_calendar_covers(days=60)
    pub = _ready_for_signoff(tree)

    # A session opened on A is valid on B.
    leader = cluster.browser()
    leader.login("A", tree.leader_a.username)
    home_b = leader.get("B", "/workbench/")
    assert home_b.status_code == 200 and tree.leader_a.full_name in home_b.text

    # Signed off (published) on A, found by search on B once the worker has indexed it.
    leader.get("A", f"/workbench/publications/{pub.pk}/")
    r = leader.post("A", f"/workbench/publications/{pub.pk}/act/sign-off/", {"sign-off-comment": "同意"})
    assert r.status_code == 302, r.text[:500]
    visitor = cluster.browser()
    found = eventually(
        lambda: (
            (page := visitor.get("B", "/search/?q=农村饮用水安全巩固提升")).status_code == 200
            and f"/publications/{pub.pk}/" in page.text
        ),
        "the publication in B's search results",
        cluster,
    )
    assert found
    # B answered from its own index, brought up to date from the journal (nothing shared on disk).
    assert (cluster.tmp / "B" / "search-index" / "replica-seq").exists()

    # A request with an attachment submitted on A (public-form POST no. 1 of the limit 3/h).
    form = visitor.get("A", "/requests/")
    r = visitor.post(
        "A",
        "/requests/",
        _request_form(tree.dept_a.pk, _answer(form.text)),
        files={"attachments": ("身份证.png", PNG, "image/png")},
    )
    assert r.status_code == 302 and r.headers["location"].endswith("/requests/receipt/"), r.text[:800]
    req = InformationRequest.objects.get()
    attachment = req.attachments.get()

    # ... is in B's staff queue, and its file downloads through B.
    editor = cluster.browser()
    editor.login("A", tree.editor_a.username)
    queue = editor.get("B", "/workbench/requests/")
    assert queue.status_code == 200 and req.tracking_code in queue.text
    assert f"{req.due_date:%Y-%m-%d}" in queue.text
    download = leader.get("B", f"/workbench/requests/{req.pk}/attachments/{attachment.pk}/")  # 单位负责人
    assert download.status_code == 200 and download.content == PNG

    # The rate limit counts across servers: B has seen only 2 POSTs when it refuses the 4th.
    visitor.get("B", "/requests/")
    assert visitor.post("B", "/requests/", {"name": "王小明"}).status_code == 200  # no. 2: form errors
    visitor.get("A", "/requests/")
    assert visitor.post("A", "/requests/", {"name": "王小明"}).status_code == 200  # no. 3
    visitor.get("B", "/requests/")
    limited = visitor.post("B", "/requests/", {"name": "王小明"})  # no. 4
    assert limited.status_code == 429
    assert InformationRequest.objects.count() == 1

    # A holiday added on A moves the due date B shows (the worker recomputes stored due dates).
    old_due = req.due_date
    workdays.invalidate()
    day = req.received_on + dt.timedelta(days=1)
    while not workdays.is_working_day(day):
        day += dt.timedelta(days=1)
    assert day <= old_due
    admin = cluster.browser()
    admin.login("A", tree.sysadmin.username)
    admin.get("A", "/staff/calendar/")
    r = admin.post(
        "A", "/staff/calendar/", {"h-date": day.isoformat(), "h-kind": "holiday", "h-name": "双服务器测试假日"}
    )
    assert r.status_code == 302, r.text[:800]
    workdays.invalidate()
    deadlines.invalidate()
    new_due = deadlines.due_date(req.received_on, request_deadlines.REPLY)
    assert new_due > old_due
    eventually(
        lambda: f"{new_due:%Y-%m-%d}" in editor.get("B", "/workbench/requests/").text,
        f"the due date {new_due} on B's queue",
        cluster,
    )
    req.refresh_from_db()
    assert req.due_date == new_due

    # Every write above was audited on A or B without the chain lock; the worker's sequencer runs
    # (queued at most once a second by the servers) link them all, in order.
    from gongkai.core import audit

    eventually(lambda: audit.verify().pending == 0, "the audit events linked by the worker", cluster)
    result = audit.verify()
    assert result.ok and result.checked > 0, result
