"""Backup and restore of a whole installation: database, media, private files, audit checkpoints.

One ``.tar.gz`` archive holds:

- ``db/postgres.dump`` (``pg_dump --format=custom``) or ``db/sqlite3.db`` (SQLite's online
  backup API, consistent while the site runs);
- ``media/`` (MEDIA_ROOT), ``private/`` (GONGKAI_PRIVATE_MEDIA_ROOT, default ``private-media``
  beside MEDIA_ROOT), ``audit-checkpoints/`` (GONGKAI_AUDIT_CHECKPOINT_DIR);
- ``manifest.json``: SHA-256 and size of every file above, the audit chain head at backup
  time, signed with a key derived from GONGKAI_AUDIT_KEY (so a file swapped inside the
  archive cannot be hidden by recomputing the checksums without the key).

Restore checks the signature and every checksum before touching anything, replaces the
database and the file trees (the previous trees are kept beside them as
``<dir>.before-restore-<time>``), adds checkpoint files the host does not have, and then runs
the audit chain verification. See docs/deployment.md, "Backup and restore".

With a backup key (``GONGKAI_BACKUP_KEY``) the archive is encrypted as it is written
(:mod:`gongkai.core.backup_crypto`: AES-256-GCM, or SM4 under ``GONGKAI_CRYPTO=gm``, in sealed
chunks); restore recognises an encrypted archive, refuses a wrong key, and decrypts it (checking
every chunk) before anything else is read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from . import audit, backup_crypto

FORMAT = "gongkai-backup"
VERSION = 1


class BackupError(Exception):
    """A backup or restore that cannot be done safely (message for the operator)."""


def file_roots() -> dict[str, Path]:
    media = Path(settings.MEDIA_ROOT)
    private = Path(getattr(settings, "GONGKAI_PRIVATE_MEDIA_ROOT", None) or media.parent / "private-media")
    return {"media": media, "private": private, "audit-checkpoints": audit.checkpoint_dir()}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _sign(manifest: dict) -> str:
    body = json.dumps({k: v for k, v in manifest.items() if k != "signature"}, sort_keys=True, separators=(",", ":"))
    alg = audit.configured_alg()
    return audit._hmac(audit._key("backup", alg), body.encode(), alg)


def _pg_env_and_args() -> tuple[dict, list[str]]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    name = connection.settings_dict["NAME"]  # the test database under pytest
    return env, [*args, "--dbname", name]


def _run(cmd: list[str], env: dict) -> None:
    try:
        # Fixed argv (pg_dump/pg_restore + settings values), no shell.
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError as exc:
        raise BackupError(f"找不到 {cmd[0]}：请安装与数据库服务器同版本的 PostgreSQL 客户端") from exc
    if done.returncode != 0:
        raise BackupError(f"{cmd[0]} 失败：{done.stderr.strip()[:2000]}")


def _dump_database(target_dir: Path) -> str:
    target_dir.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "postgresql":
        env, args = _pg_env_and_args()
        out = target_dir / "postgres.dump"
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(out), *args], env)
        return "db/postgres.dump"
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        out = target_dir / "sqlite3.db"
        dest = sqlite3.connect(out)
        try:
            connection.connection.backup(dest)  # online backup API: consistent while others write
        finally:
            dest.close()
        return "db/sqlite3.db"
    raise BackupError(f"不支持的数据库：{connection.vendor}")


def create_backup(output: Path, *, key: bytes | None = None) -> dict:
    """Write the archive to ``output`` (encrypted with ``key`` when given); returns its manifest."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    audit.chain_pending()
    head = audit.AuditChainHead.objects.filter(pk=1).first()
    with tempfile.TemporaryDirectory(prefix="gongkai-backup-", dir=output.parent) as tmp:
        staging = Path(tmp)
        db_file = _dump_database(staging / "db")
        entries: list[tuple[str, Path]] = [(db_file, staging / db_file)]
        for prefix, root in file_roots().items():
            if root.is_dir():
                for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
                    rel = path.relative_to(root).as_posix()
                    if prefix == "audit-checkpoints" and "/" in rel:
                        continue  # superseded checkpoints of an earlier key stay on the host
                    entries.append((f"{prefix}/{rel}", path))
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": timezone.now().isoformat(timespec="seconds"),
            "database": {"vendor": connection.vendor, "file": db_file},
            "audit": {"last_seq": head.last_seq if head else 0, "last_hash": head.last_hash if head else ""},
            "files": {name: {"sha256": _sha256(path), "size": path.stat().st_size} for name, path in entries},
        }
        manifest["signature"] = _sign(manifest)
        manifest_path = staging / "manifest.json"
        manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        partial = output.with_name(output.name + ".partial")
        with partial.open("wb") as raw:
            sink = backup_crypto.EncryptingWriter(raw, key) if key else raw
            with tarfile.open(fileobj=sink, mode="w|gz") as tar:  # streamed: nothing held in memory
                tar.add(manifest_path, arcname="manifest.json")
                for name, path in entries:
                    tar.add(path, arcname=name)
            if key:
                sink.close()
        os.replace(partial, output)
    Path(f"{output}.sha256").write_text(f"{_sha256(output)}  {output.name}\n", encoding="utf-8")
    return manifest


def _plain_archive(archive: Path, workdir: Path) -> Path:
    """``archive`` itself, or its decrypted copy in ``workdir`` (authenticated chunk by chunk)."""
    try:
        encrypted = backup_crypto.is_encrypted(archive)
    except OSError as exc:
        raise BackupError(f"备份文件无法读取：{exc}") from exc
    if not encrypted:
        return archive
    plain = workdir / "archive.tar.gz"
    try:
        backup_crypto.decrypt_file(archive, plain, backup_crypto.configured_key())
    except (backup_crypto.BackupKeyError, backup_crypto.BackupCorrupt) as exc:
        plain.unlink(missing_ok=True)
        raise BackupError(str(exc)) from exc
    return plain


def _extract(archive: Path, into: Path) -> dict:
    """Unpack and verify ``archive`` into ``into`` (an empty directory); its decrypted copy, if any,
    goes beside ``into``."""
    into.mkdir(parents=True, exist_ok=True)
    archive = _plain_archive(archive, into.parent)
    try:
        with tarfile.open(archive, "r:*") as tar:
            tar.extractall(into, filter="data")  # refuses absolute paths, "..", devices, links out of the tree
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"备份文件无法读取：{exc}") from exc
    try:
        manifest = json.loads((into / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError("备份文件中没有可读的 manifest.json") from exc
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError("不是 gongkai 备份文件，或版本不受支持")
    if not hmac.compare_digest(str(manifest.get("signature", "")), _sign(manifest)):
        raise BackupError("清单签名无效：备份被改动，或不是用本系统的审计密钥（GONGKAI_AUDIT_KEY）生成的")
    listed = manifest.get("files", {})
    present = {p.relative_to(into).as_posix() for p in into.rglob("*") if p.is_file()} - {"manifest.json"}
    if present - set(listed):
        raise BackupError(f"备份中有清单之外的文件：{sorted(present - set(listed))[:5]}")
    for name, meta in listed.items():
        path = into / name
        if not path.is_file():
            raise BackupError(f"备份缺少文件：{name}")
        if _sha256(path) != meta["sha256"]:
            raise BackupError(f"文件校验和不符：{name}")
    return manifest


def check_backup(archive: Path) -> dict:
    """Verify an archive's signature and checksums without restoring anything."""
    with tempfile.TemporaryDirectory(prefix="gongkai-check-") as tmp:
        return _extract(Path(archive), Path(tmp) / "files")


def _restore_database(db_file: Path, vendor: str) -> None:
    if vendor != connection.vendor:
        raise BackupError(f"备份来自 {vendor} 数据库，当前配置的是 {connection.vendor}")
    connections.close_all()
    if vendor == "postgresql":
        env, args = _pg_env_and_args()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                *args,
                str(db_file),
            ],
            env,
        )
        return
    connection.ensure_connection()
    source = sqlite3.connect(db_file)
    try:
        source.backup(connection.connection)  # replaces every page of the live database
    finally:
        source.close()
    connections.close_all()


def _replace_tree(source: Path, target: Path, stamp: str) -> None:
    if target.exists():
        if any(target.iterdir()):
            target.rename(target.with_name(f"{target.name}.before-restore-{stamp}"))
        else:
            target.rmdir()
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        target.mkdir()


def restore_backup(archive: Path) -> tuple[dict, audit.VerifyResult]:
    """Check, then restore ``archive``; returns its manifest and the audit verification afterwards."""
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    with tempfile.TemporaryDirectory(prefix="gongkai-restore-") as tmp:
        into = Path(tmp) / "files"
        manifest = _extract(Path(archive), into)
        _restore_database(into / manifest["database"]["file"], manifest["database"]["vendor"])
        roots = file_roots()
        for prefix in ("media", "private"):
            _replace_tree(into / prefix, roots[prefix], stamp)
        checkpoints = into / "audit-checkpoints"
        if checkpoints.is_dir():
            roots["audit-checkpoints"].mkdir(parents=True, exist_ok=True)
            for path in checkpoints.iterdir():
                target = roots["audit-checkpoints"] / path.name
                if not target.exists():  # never overwrite what the host exported since
                    shutil.copy2(path, target)
    return manifest, audit.verify()
