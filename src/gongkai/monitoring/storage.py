"""Private storage for screenshots: never under MEDIA_URL, served only by a view that checks the unit."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property


@deconstructible
class PrivateStorage(FileSystemStorage):
    @cached_property
    def base_location(self):
        configured = getattr(settings, "GONGKAI_PRIVATE_MEDIA_ROOT", None)
        return str(configured or Path(settings.MEDIA_ROOT).parent / "private-media")

    @cached_property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("截图不通过公开地址提供，请使用工作台的查看链接")


private_storage = PrivateStorage()
