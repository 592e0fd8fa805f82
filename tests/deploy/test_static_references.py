"""Every file our static CSS and JS refer to exists, so `collectstatic` with the production storage
(WhiteNoise's CompressedManifestStaticFilesStorage, which rewrites those references to hashed
names) cannot fail on a deployment. A vendored leaflet.js that named a missing leaflet.js.map
made it fail; running the real collectstatic takes minutes on two cores, so the references are
checked directly, the way the manifest storage finds them."""

from __future__ import annotations

import re
from pathlib import Path

import gongkai

STATIC_DIRS = sorted(Path(gongkai.__file__).parent.glob("*/static"))
SOURCE_MAP = re.compile(r"^[/*#@\s]*sourceMappingURL=(?P<url>\S+?)\s*(?:\*/)?\s*$", re.M)
CSS_URL = re.compile(r"""url\(\s*['"]?(?P<url>[^'")]+?)['"]?\s*\)""")
CSS_IMPORT = re.compile(r"""@import\s+['"](?P<url>[^'"]+)['"]""")


def _local(url: str) -> bool:
    return not re.match(r"^(data:|https?:|//|#|about:)", url) and not url.startswith("/")


def _references(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8", errors="replace")
    found = [m.group("url") for m in SOURCE_MAP.finditer(text)]
    if path.suffix == ".css":
        found += [m.group("url") for m in CSS_URL.finditer(text)] + [m.group("url") for m in CSS_IMPORT.finditer(text)]
    return [u for u in found if _local(u)]


def test_static_references_resolve():
    files = [p for d in STATIC_DIRS for p in d.rglob("*") if p.suffix in (".css", ".js") and p.is_file()]
    assert files, "the apps ship static CSS and JS"
    missing = []
    for path in files:
        for url in _references(path):
            target = (path.parent / url.split("?")[0].split("#")[0]).resolve()
            if not target.is_file():
                missing.append(f"{path.relative_to(path.parents[3])}: {url}")
    assert missing == []


def test_the_check_finds_a_missing_source_map(tmp_path):
    js = tmp_path / "lib.js"
    js.write_text("var a=1;\n//# sourceMappingURL=lib.js.map\n")
    css = tmp_path / "lib.css"
    css.write_text('a{background:url("img/x.png")} b{background:url(data:image/png;base64,AA==)}')
    assert _references(js) == ["lib.js.map"] and _references(css) == ["img/x.png"]
