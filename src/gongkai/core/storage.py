"""Private file storage shared by apps whose files must never be reachable by path: drafts'
attachments (publications), applicants' files. Never under ``MEDIA_URL``: files are served only
through views that check the object's state and the user (a published attachment through the
public download view, a draft's only to staff of its unit). In every mode — the embedded demo
does not serve ``/media/`` either (gongkai.urls).

Location: ``settings.GONGKAI_PRIVATE_MEDIA_ROOT`` or ``private-media`` next to ``MEDIA_ROOT``.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible(path="gongkai.core.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    @property
    def base_location(self):
        configured = getattr(settings, "GONGKAI_PRIVATE_MEDIA_ROOT", None)
        return str(configured or Path(settings.MEDIA_ROOT).parent / "private-media")

    @property
    def location(self):
        return str(Path(self.base_location).resolve())

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("private files have no public URL: serve them through a download view")


private_storage = PrivateStorage()
