"""`gongkai backup` / `gongkai restore`: round trip, checksums, signature, audit verification after restore.

Runs on the configured database: SQLite by default, PostgreSQL (pg_dump / pg_restore) with
DATABASE_URL=postgres://….
"""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from gongkai.core import audit
from gongkai.core.models import AuditEvent, User

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GONGKAI_PRIVATE_MEDIA_ROOT = str(tmp_path / "private-media")
    settings.GONGKAI_AUDIT_CHECKPOINT_DIR = tmp_path / "audit-checkpoints"
    settings.DATA_DIR = tmp_path
    media = tmp_path / "media" / "publications" / "2026" / "松阳县2026年政府信息公开工作要点.pdf"
    media.parent.mkdir(parents=True)
    media.write_bytes(b"%PDF-1.7 \xe6\x94\xbf\xe5\x8a\xa1\xe5\x85\xac\xe5\xbc\x80" * 50)
    private = tmp_path / "private-media" / "requests" / "GK2026-0001" / "身份证复印件.jpg"
    private.parent.mkdir(parents=True)
    private.write_bytes(b"\xff\xd8\xff\xe0 id copy " + "王秀英".encode())
    User.objects.create_user("wangxy_backup", password="Songyang-2026!", full_name="王秀英")
    for i in range(3):
        with transaction.atomic():
            audit.record(actor=None, action="test.backup", object_type="t", object_id=str(i), after={"i": i})
    audit.chain_pending()
    audit.write_checkpoint()
    return tmp_path


def test_round_trip_restores_database_and_files_then_verifies(site, capsys):
    archive = site / "backups" / "gongkai-test.tar.gz"
    call_command("backup", "--output", str(archive))
    assert archive.is_file() and Path(f"{archive}.sha256").is_file()
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    names = set(manifest["files"])
    assert manifest["database"]["file"] in names
    assert "media/publications/2026/松阳县2026年政府信息公开工作要点.pdf" in names
    assert "private/requests/GK2026-0001/身份证复印件.jpg" in names
    assert any(n.startswith("audit-checkpoints/checkpoint-") for n in names)

    # Damage after the backup: an account disappears, a file changes, a stray file appears.
    events_before = AuditEvent.objects.count()
    User.objects.filter(username="wangxy_backup").delete()
    (site / "private-media" / "requests" / "GK2026-0001" / "身份证复印件.jpg").write_bytes(b"overwritten")
    (site / "media" / "stray.txt").write_text("not in the backup")

    call_command("restore", str(archive))  # without --yes: checks only
    assert "加 --yes" in capsys.readouterr().out
    assert not User.objects.filter(username="wangxy_backup").exists()

    call_command("restore", str(archive), "--yes")
    out = capsys.readouterr().out
    assert "审计链完好" in out
    assert User.objects.get(username="wangxy_backup").full_name == "王秀英"
    assert AuditEvent.objects.count() == events_before
    restored = site / "private-media" / "requests" / "GK2026-0001" / "身份证复印件.jpg"
    assert restored.read_bytes() == b"\xff\xd8\xff\xe0 id copy " + "王秀英".encode()
    assert not (site / "media" / "stray.txt").exists()
    assert list(site.glob("media.before-restore-*/stray.txt"))  # the replaced tree is kept aside
    assert audit.verify().ok


def _rewrite(archive: Path, target: Path, change) -> None:
    with tarfile.open(archive) as src, tarfile.open(target, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            data = change(member.name, data)
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))


def test_tampered_archive_is_refused_before_anything_changes(site):
    archive = site / "b.tar.gz"
    call_command("backup", "--output", str(archive))
    swapped = site / "swapped.tar.gz"
    _rewrite(archive, swapped, lambda name, data: b"forged" if name.endswith(".jpg") else data)
    with pytest.raises(CommandError, match="校验和不符"):
        call_command("restore", str(swapped), "--yes")

    def recompute(name, data):  # fix the checksum too: the manifest's signature still gives it away
        if name == "manifest.json":
            manifest = json.loads(data)
            for key, meta in manifest["files"].items():
                if key.endswith(".jpg"):
                    import hashlib

                    meta["sha256"], meta["size"] = hashlib.sha256(b"forged").hexdigest(), 6
            return json.dumps(manifest).encode()
        return b"forged" if name.endswith(".jpg") else data

    resigned = site / "resigned.tar.gz"
    _rewrite(archive, resigned, recompute)
    with pytest.raises(CommandError, match="签名无效"):
        call_command("restore", str(resigned), "--yes")
    with pytest.raises(CommandError, match="签名无效"):
        call_command("backup", "--check", str(resigned))
    assert User.objects.filter(username="wangxy_backup").exists()


def test_restoring_an_older_backup_reports_the_lost_audit_events(site):
    archive = site / "old.tar.gz"
    call_command("backup", "--output", str(archive))
    with transaction.atomic():
        audit.record(actor=None, action="test.after_backup", object_type="t", object_id="x")
    audit.write_checkpoint()  # exported after the backup, kept on the host
    with pytest.raises(CommandError, match="截断"):
        call_command("restore", str(archive), "--yes")
    assert not AuditEvent.objects.filter(action="test.after_backup").exists()
