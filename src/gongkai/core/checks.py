"""Deployment checks (``gongkai check --deploy``) for the upload and header settings."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def upload_scanner_configured(app_configs, **kwargs):
    from . import uploads

    if uploads.scanner_path() == "gongkai.core.uploads.no_virus_scan":
        return [
            Warning(
                "Uploads are not scanned for malware.",
                hint="Set GONGKAI_CLAMD_SOCKET or GONGKAI_CLAMD_HOST (ClamAV clamd) or GONGKAI_ATTACHMENT_SCANNER.",
                id="gongkai.W001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def extraction_isolated(app_configs, **kwargs):
    if not getattr(settings, "GONGKAI_EXTRACT_ISOLATED", True):
        return [
            Warning(
                "Text is extracted from uploads inside the web process (GONGKAI_EXTRACT_ISOLATED=0).",
                hint="Leave GONGKAI_EXTRACT_ISOLATED on: a crafted file could exhaust the server's memory.",
                id="gongkai.W002",
            )
        ]
    return []
