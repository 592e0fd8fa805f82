"""Cost of encrypting personal data at rest (gongkai.core.crypto), per algorithm.

Encrypts and decrypts generated phone numbers and addresses with AES-256-GCM (default), SM4-GCM
and SM4-CBC + HMAC-SM3 (国密), and computes blind indexes (HMAC-SHA-256 / HMAC-SM3). Baseline:
a plain SHA-256 of the same values (what storing an unkeyed digest costs).

    python bench/crypto_bench.py [--n 50000] [--smoke]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
os.environ.setdefault("GONGKAI_DEMO", "1")
os.environ.setdefault("GONGKAI_DATA_DIR", "/tmp/gongkai-bench-crypto")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=50_000)
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    n = 500 if args.smoke else args.n

    import django

    django.setup()
    from django.test import override_settings

    from gongkai.core import crypto

    values = [f"139{i:08d}" if i % 2 else f"浙江省丽水市松阳县西屏街道紫荆路{i}号" for i in range(n)]

    start = time.perf_counter()
    for v in values:
        hashlib.sha256(v.encode()).hexdigest()
    base = time.perf_counter() - start
    print(f"values: {n} (generated)   baseline SHA-256: {n / base:,.0f}/s")

    cases = [("default", None), ("gm", None), ("gm", "cbc")]
    for profile, variant in cases:
        with override_settings(GONGKAI_CRYPTO=profile):
            saved = crypto.sm4_gcm_supported
            if variant == "cbc":
                crypto.sm4_gcm_supported = lambda: False
            try:
                algorithm = crypto.config().algorithm
                t0 = time.perf_counter()
                tokens = [crypto.encrypt(v, context="bench.value") for v in values]
                t1 = time.perf_counter()
                out = [crypto.decrypt(t, context="bench.value") for t in tokens]
                t2 = time.perf_counter()
                for v in values:
                    crypto.blind_index(v, "phone")
                t3 = time.perf_counter()
            finally:
                crypto.sm4_gcm_supported = saved
        assert out == values
        size = sum(len(t) for t in tokens) / n
        print(
            f"{algorithm:10s} encrypt {n / (t1 - t0):>9,.0f}/s  decrypt {n / (t2 - t1):>9,.0f}/s  "
            f"blind index ({crypto.Config(profile, {}, '', b'').hash_name}) {n / (t3 - t2):>9,.0f}/s  "
            f"stored {size:.0f} chars/value  decrypt vs SHA-256 baseline {(t2 - t1) / base:.1f}x"
        )
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
