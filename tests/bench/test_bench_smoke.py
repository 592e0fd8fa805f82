"""Every bench/ script still runs: a tiny ``--smoke`` run of each, in its own process and database.

Parametrised over the files in bench/, so a new benchmark is smoke-run without touching this
module. No timing is asserted (benchmarks are not tests); a script must exit 0 and print its
figures, including the peak RSS that every benchmark reports. Scripts with a stronger built-in
check print it, and the markers below hold them to it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sorted(p.name for p in (ROOT / "bench").glob("*.py") if not p.name.startswith("_"))

# What a smoke run must print beyond "peak RSS" (the script's own correctness checks).
EXPECTED = {
    "requests_concurrency.py": ["lost: 0", "audit chain: ok"],
    "services_bench.py": ["everyday-name queries", "compiled matcher"],
    "reports_bench.py": ["result check on the sample: identical"],
}


# Scripts that only run on PostgreSQL (app servers sharing one database): smoke-run in the PostgreSQL
# pass of the suite, on a database of their own next to the test database.
POSTGRES_ONLY = {"load_test.py": "gk_load_smoke", "pg_rum_probe.py": "gk_rum_smoke"}
NEEDS_EXTENSION = {"pg_rum_probe.py": "rum"}  # on the PostgreSQL server


def _postgres_database(name: str) -> str:
    """URL of database ``name`` on the test run's PostgreSQL server (created if missing)."""
    import psycopg
    from django.db import connection

    params = connection.settings_dict
    dsn = dict(host=params["HOST"] or "127.0.0.1", port=params["PORT"] or 5432, user=params["USER"])
    with psycopg.connect(dbname="postgres", password=params["PASSWORD"] or None, autocommit=True, **dsn) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    auth = dsn["user"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    return f"postgres://{auth}@{dsn['host']}:{dsn['port']}/{name}"


def test_every_benchmark_accepts_smoke():
    for name in SCRIPTS:
        assert "--smoke" in (ROOT / "bench" / name).read_text(encoding="utf-8"), f"bench/{name} has no --smoke"


@pytest.mark.parametrize("script", SCRIPTS)
def test_benchmark_smoke_run(script, tmp_path):
    extra = []
    if script in POSTGRES_ONLY:
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.skip(f"bench/{script} needs PostgreSQL: smoke-run in the PostgreSQL pass")
        url = _postgres_database(POSTGRES_ONLY[script])
        if script in NEEDS_EXTENSION:
            import psycopg

            with psycopg.connect(url) as conn:
                sql = "SELECT 1 FROM pg_available_extensions WHERE name = %s"
                if not conn.execute(sql, [NEEDS_EXTENSION[script]]).fetchone():
                    pytest.skip(f"bench/{script} needs the {NEEDS_EXTENSION[script]} extension (.ci/run installs it)")
        extra = ["--db", url]
    # its own data directory and SQLite file: never the test database, never a shared server
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "GONGKAI_TESTING")
    }
    env.update(GONGKAI_DATA_DIR=str(tmp_path), GONGKAI_DEMO="1", REDIS_URL="", PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), "--smoke", *extra],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"bench/{script} --smoke exited {proc.returncode}:\n{output[-6000:]}"
    assert re.search(r"peak[ _]rss", output, re.IGNORECASE), (
        f"bench/{script} printed no peak RSS:\n{proc.stdout[-3000:]}"
    )
    for marker in EXPECTED.get(script, []):
        assert marker in proc.stdout, f"bench/{script}: {marker!r} missing:\n{proc.stdout[-3000:]}"
