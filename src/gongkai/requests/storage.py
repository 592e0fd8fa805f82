"""Private file storage for request files (ID copies, letters): never under MEDIA_URL.

Files are only served through views that check the user's unit (staff) or the
tracking code plus second factor (applicants). The location is
``settings.GONGKAI_PRIVATE_MEDIA_ROOT`` or, by default, ``private-media`` next to
``MEDIA_ROOT``.
"""

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
        raise ValueError("request files have no public URL: serve them through a download view")


private_storage = PrivateStorage()
