"""schemathesis against a live test server: no server errors, every answer as the schema says.

The demo county (every app's demo data) is loaded into the test database; schemathesis then
runs its ``examples`` and ``fuzzing`` phases for every operation of docs/openapi.yaml twice — anonymously and
with the token of the county's disclosure office (公开办, who sees every unit of the county) —
with a few deterministic examples per operation. Any finding fails the test with schemathesis'
report (each finding with a curl line to reproduce it).

Run it alone: ``pytest -p no:xdist tests/api/test_schemathesis.py``; to try more examples against a
running server: see docs/development.md (CI).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "docs" / "openapi.yaml"
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
MAX_EXAMPLES = os.environ.get("GONGKAI_SCHEMATHESIS_EXAMPLES", "3")

pytestmark = pytest.mark.django_db(transaction=True)


def _st() -> str:
    found = shutil.which("st", path=str(Path(sys.executable).parent)) or shutil.which("st")
    if not found:
        pytest.fail("schemathesis is not installed: pip install -e '.[test]'")
    return found


def _run(live_server, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess:
    cmd = [
        _st(),
        "run",
        str(SCHEMA),  # the committed schema (test_openapi_drift keeps it equal to the code's)
        "--url",
        live_server.url,
        "--checks",
        CHECKS,
        "--phases",
        "examples,fuzzing",
        "--max-examples",
        MAX_EXAMPLES,
        "--generation-deterministic",
        "--workers",
        "1",
        "--request-timeout",
        "30",
        "--suppress-health-check",
        "all",
        "--no-color",
        *extra,
    ]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": ""}
    return subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900, check=False)


def _report(proc: subprocess.CompletedProcess) -> str:
    out = proc.stdout + proc.stderr
    return out if len(out) < 40000 else out[:20000] + "\n...\n" + out[-20000:]


@pytest.fixture
def office_token(live_server):
    from rest_framework.authtoken.models import Token

    from gongkai.core.models import User

    call_command("load_demo", verbosity=0)
    office = User.objects.get(username="gkb")  # 公开办 at the county: sees and may act on every unit below it
    return Token.objects.create(user=office).key


def test_api_conforms_to_its_schema_anonymously_and_as_staff(live_server, office_token, tmp_path):
    anonymous = _run(live_server, tmp_path)
    staff = _run(live_server, tmp_path, "--header", f"Authorization: Token {office_token}")
    failures = []
    if anonymous.returncode != 0:
        failures.append("=== anonymous ===\n" + _report(anonymous))
    if staff.returncode != 0:
        failures.append("=== staff token (公开办) ===\n" + _report(staff))
    assert not failures, "\n\n".join(failures)
    assert "passed" in staff.stdout.lower()
