"""docs/openapi.yaml is the API's published contract: it must be exactly what the code generates."""

from __future__ import annotations

import difflib
from pathlib import Path

from django.conf import settings
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiYamlRenderer
from drf_spectacular.validation import validate_schema

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "docs" / "openapi.yaml"
REGENERATE = "GONGKAI_DEMO=1 gongkai spectacular --lang zh-hans --validate --file docs/openapi.yaml"


def generated_schema() -> str:
    """The schema as ``gongkai spectacular --lang zh-hans`` writes it (same generator, renderer, language)."""
    with translation.override(settings.LANGUAGE_CODE):
        schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    return OpenApiYamlRenderer().render(schema, renderer_context={}).decode()


def test_committed_openapi_schema_matches_the_code():
    current = generated_schema()
    committed = COMMITTED.read_text(encoding="utf-8") if COMMITTED.exists() else ""
    if current != committed:
        diff = difflib.unified_diff(
            committed.splitlines(), current.splitlines(), "docs/openapi.yaml (committed)", "generated", lineterm="", n=2
        )
        shown = "\n".join(list(diff)[:80])
        raise AssertionError(
            f"docs/openapi.yaml differs from the schema the code generates. Regenerate it with\n    {REGENERATE}\n"
            f"review the diff and commit it.\n\n{shown}"
        )


def test_schema_declares_the_error_answers():
    """The post-processing hook documents 4xx answers on every operation (clients and schemathesis rely on it)."""
    import yaml

    schema = yaml.safe_load(generated_schema())
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            responses = operation["responses"]
            assert {"400", "401", "403", "404"} <= set(responses), (method, path)
            if method in ("post", "put", "patch", "delete"):
                assert "409" in responses, (method, path)
