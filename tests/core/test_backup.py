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


# --- encryption at rest (GONGKAI_BACKUP_KEY) ------------------------------------------------------

BACKUP_KEY = "wq0Hn6mR3pV2bE9sT1cY8kL4fA7dG5jZxQ2uN6oP3rM="  # 32 bytes, base64: test only


def test_encrypted_round_trip(site, settings, capsys):
    settings.GONGKAI_BACKUP_KEY = BACKUP_KEY
    call_command("backup")  # on by default once a key is configured
    archive = next((site / "backups").glob("gongkai-*.tar.gz.enc"))
    assert "已加密备份到" in capsys.readouterr().out
    raw = archive.read_bytes()
    assert raw.startswith(b"GKBACKUP1\n")
    assert "王秀英".encode() not in raw and b"manifest.json" not in raw and b"PDF-1.7" not in raw
    with pytest.raises(tarfile.TarError):
        tarfile.open(archive)  # not a readable archive without the key

    User.objects.filter(username="wangxy_backup").delete()
    call_command("restore", str(archive), "--yes")
    assert "审计链完好" in capsys.readouterr().out
    assert User.objects.get(username="wangxy_backup").full_name == "王秀英"
    restored = site / "private-media" / "requests" / "GK2026-0001" / "身份证复印件.jpg"
    assert restored.read_bytes() == b"\xff\xd8\xff\xe0 id copy " + "王秀英".encode()


def test_no_encrypt_and_encrypt_without_key(site, settings):
    settings.GONGKAI_BACKUP_KEY = BACKUP_KEY
    plain = site / "plain.tar.gz"
    call_command("backup", "--no-encrypt", "--output", str(plain))
    with tarfile.open(plain) as tar:
        assert "manifest.json" in tar.getnames()
    settings.GONGKAI_BACKUP_KEY = ""
    with pytest.raises(CommandError, match="GONGKAI_BACKUP_KEY"):
        call_command("backup", "--encrypt", "--output", str(site / "x.tar.gz.enc"))


def test_wrong_or_missing_key_is_refused_with_a_clear_message(site, settings):
    settings.GONGKAI_BACKUP_KEY = BACKUP_KEY
    archive = site / "b.tar.gz.enc"
    call_command("backup", "--output", str(archive))
    User.objects.filter(username="wangxy_backup").delete()
    settings.GONGKAI_BACKUP_KEY = "A" * 43 + "="  # another 32-byte key
    with pytest.raises(CommandError, match="备份密钥不正确"):
        call_command("restore", str(archive), "--yes")
    settings.GONGKAI_BACKUP_KEY = ""
    with pytest.raises(CommandError, match="备份已加密"):
        call_command("restore", str(archive), "--yes")
    assert not User.objects.filter(username="wangxy_backup").exists()  # nothing restored


@pytest.mark.parametrize("damage", ["flip", "truncate", "drop_last", "append"])
def test_tampered_ciphertext_is_refused(site, settings, damage):
    from gongkai.core import backup_crypto

    settings.GONGKAI_BACKUP_KEY = BACKUP_KEY
    archive = site / "b.tar.gz.enc"
    call_command("backup", "--output", str(archive))
    data = bytearray(archive.read_bytes())
    if damage == "flip":
        data[len(data) // 2] ^= 0x01
    elif damage == "truncate":
        del data[-100:]
    elif damage == "drop_last":
        # cut the file at a record boundary before the last chunk (needs more than one chunk)
        small = site / "small.enc"
        key = backup_crypto.configured_key()
        with small.open("wb") as fh:
            writer = backup_crypto.EncryptingWriter(fh, key, chunk=64)
            writer.write(b"x" * 300)
            writer.close()
        data = bytearray(small.read_bytes())
        header_end = data.index(b"\n", len(backup_crypto.MAGIC)) + 1
        pos, records = header_end, []
        while pos < len(data):
            records.append(pos)
            pos += 4 + int.from_bytes(data[pos : pos + 4], "big")
        del data[records[-1] :]
    else:
        data += b"\x00\x00\x00\x10" + b"\x00" * 16
    archive.write_bytes(bytes(data))
    User.objects.filter(username="wangxy_backup").delete()
    with pytest.raises(CommandError, match="被改动|被截断|已损坏|不完整"):
        call_command("restore", str(archive), "--yes")
    assert not User.objects.filter(username="wangxy_backup").exists()


def test_stream_round_trip_in_chunks(tmp_path, settings):
    """Chunked encryption: every size around the chunk boundary decrypts to the same bytes, and the
    SM4 profile (国密) too."""
    from gongkai.core import backup_crypto, crypto

    key = backup_crypto.crypto._decode_key(BACKUP_KEY, "test")
    profiles = ["default"] + (["gm"] if crypto.sm4_supported() else [])
    for profile in profiles:
        settings.GONGKAI_CRYPTO = profile
        for size in (0, 1, 63, 64, 65, 200):
            payload = bytes(range(256)) * (size // 256 + 1)
            payload = payload[:size]
            enc, out = tmp_path / f"{profile}{size}.enc", tmp_path / f"{profile}{size}.out"
            with enc.open("wb") as fh:
                writer = backup_crypto.EncryptingWriter(fh, key, chunk=64)
                for i in range(0, size, 7):
                    writer.write(payload[i : i + 7])
                writer.close()
            backup_crypto.decrypt_file(enc, out, key)
            assert out.read_bytes() == payload
            alg = json.loads(enc.read_bytes().split(b"\n")[1])["alg"]
            assert alg == ("A256GCM" if profile == "default" else backup_crypto._algorithm())
