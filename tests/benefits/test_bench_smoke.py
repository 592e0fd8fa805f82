"""bench/services_bench.py still runs (tiny sizes, its own test database; no timing asserted)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_services_bench_smoke(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(GONGKAI_DATA_DIR=str(tmp_path), GONGKAI_DEMO="1", REDIS_URL="")
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "services_bench.py"), "--smoke"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "everyday-name queries" in proc.stdout and "compiled matcher" in proc.stdout and "peak RSS" in proc.stdout
