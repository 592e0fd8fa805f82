"""Encryption at rest for backup archives, streamed in chunks (a multi-GB backup never sits in memory).

The key is ``GONGKAI_BACKUP_KEY`` (32 random bytes, base64; ``gongkai crypto genkey``), kept apart
from the data keys and the audit key and stored off the backup host. The algorithm follows
``GONGKAI_CRYPTO``: AES-256-GCM by default, SM4-GCM under ``gm`` (SM4-CBC + HMAC-SM3 where the
OpenSSL lacks SM4-GCM) — the primitives of :mod:`gongkai.core.crypto`.

File layout (``.tar.gz.enc``)::

    b"GKBACKUP1\\n" | header JSON line | record*
    record = 4-byte big-endian length | sealed chunk

The header names the algorithm, a random 16-byte salt, the chunk size and a key check value. The
file key is HKDF(backup key, salt); the key check value (a keyed hash derived separately) tells a
wrong key apart from altered data. Each chunk is sealed with the header and its index and a
"last chunk" flag as associated data, so chunks cannot be reordered, dropped, or the file cut short
without detection.
"""

from __future__ import annotations

import base64
import hmac
import json
import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from . import crypto

MAGIC = b"GKBACKUP1\n"
CHUNK = 1 << 20  # plaintext bytes per sealed chunk
_HEADER_MAX = 4096


class BackupKeyError(Exception):
    """The key does not open this backup."""


class BackupCorrupt(Exception):
    """The encrypted backup was altered, truncated or is not complete."""


def configured_key() -> bytes | None:
    """The backup key from GONGKAI_BACKUP_KEY, or ``None`` when not set."""
    text = getattr(settings, "GONGKAI_BACKUP_KEY", "") or ""
    if not text.strip():
        return None
    return crypto._decode_key(text, "GONGKAI_BACKUP_KEY")


def _algorithm() -> str:
    if (getattr(settings, "GONGKAI_CRYPTO", "default") or "default") == "gm":
        if not crypto.sm4_supported():
            raise ImproperlyConfigured("GONGKAI_CRYPTO=gm: SM4 is not available in this OpenSSL")
        return crypto.SM4_GCM if crypto.sm4_gcm_supported() else crypto.SM4_CBC_HMAC
    return crypto.AES_GCM


def _derive(master: bytes, algorithm: str, salt: bytes, purpose: str, length: int) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    digest = hashes.SHA256() if algorithm == crypto.AES_GCM else hashes.SM3()
    return HKDF(digest, length, salt=salt, info=f"gongkai/backup/{purpose}/{algorithm}".encode()).derive(master)


def _file_key(master: bytes, algorithm: str, salt: bytes) -> bytes:
    length = {crypto.AES_GCM: 32, crypto.SM4_GCM: 16, crypto.SM4_CBC_HMAC: 48}[algorithm]
    return _derive(master, algorithm, salt, "data", length)


def _key_check(master: bytes, algorithm: str, salt: bytes) -> str:
    return _derive(master, algorithm, salt, "check", 16).hex()


def is_encrypted(path: Path) -> bool:
    with Path(path).open("rb") as fh:
        return fh.read(len(MAGIC)) == MAGIC


class _Sealer:
    def __init__(self, algorithm: str, key: bytes, header: bytes):
        self.algorithm, self.key, self.header = algorithm, key, header

    def _nonce(self, index: int, last: bool) -> bytes:
        return index.to_bytes(11, "big") + (b"\x01" if last else b"\x00")

    def seal(self, index: int, last: bool, data: bytes) -> bytes:
        nonce = self._nonce(index, last)
        if self.algorithm == crypto.SM4_CBC_HMAC:
            return crypto._sm4_cbc_hmac_encrypt(self.key, data, self.header + nonce)
        return crypto._gcm(self.algorithm, self.key).encrypt(nonce, data, self.header)

    def open(self, index: int, last: bool, body: bytes) -> bytes:
        nonce = self._nonce(index, last)
        if self.algorithm == crypto.SM4_CBC_HMAC:
            return crypto._sm4_cbc_hmac_decrypt(self.key, body, self.header + nonce)
        return crypto._gcm(self.algorithm, self.key).decrypt(nonce, body, self.header)


class EncryptingWriter:
    """A write-only file object: what is written goes to ``fh`` sealed in chunks of :data:`CHUNK`."""

    def __init__(self, fh, key: bytes, *, chunk: int = CHUNK):
        self.fh = fh
        self.chunk = chunk
        algorithm = _algorithm()
        salt = os.urandom(16)
        meta = {
            "alg": algorithm,
            "salt": base64.b64encode(salt).decode(),
            "chunk": chunk,
            "check": _key_check(key, algorithm, salt),
        }
        header = json.dumps(meta, sort_keys=True, separators=(",", ":")).encode() + b"\n"
        fh.write(MAGIC + header)
        self._sealer = _Sealer(algorithm, _file_key(key, algorithm, salt), MAGIC + header)
        self._buffer = bytearray()
        self._index = 0
        self.closed = False

    def write(self, data) -> int:
        self._buffer += data
        while len(self._buffer) > self.chunk:  # keep at least one byte back: the last chunk is sealed on close
            self._emit(bytes(self._buffer[: self.chunk]), last=False)
            del self._buffer[: self.chunk]
        return len(data)

    def _emit(self, data: bytes, *, last: bool) -> None:
        body = self._sealer.seal(self._index, last, data)
        self.fh.write(len(body).to_bytes(4, "big") + body)
        self._index += 1

    def close(self) -> None:
        if not self.closed:
            self._emit(bytes(self._buffer), last=True)
            self._buffer.clear()
            self.closed = True

    def flush(self) -> None:
        pass


def encrypt_file(source: Path, target: Path, key: bytes) -> None:
    with Path(source).open("rb") as src, Path(target).open("wb") as dst:
        writer = EncryptingWriter(dst, key)
        for block in iter(lambda: src.read(CHUNK), b""):
            writer.write(block)
        writer.close()


def decrypt_file(source: Path, target: Path, key: bytes | None) -> None:
    """Decrypt ``source`` to ``target`` chunk by chunk; every chunk is authenticated before it is written.

    :class:`BackupKeyError` for a missing or wrong key, :class:`BackupCorrupt` for altered data.
    """
    if key is None:
        raise BackupKeyError("备份已加密：请设置备份密钥 GONGKAI_BACKUP_KEY 后再恢复")
    with Path(source).open("rb") as src:
        if src.read(len(MAGIC)) != MAGIC:
            raise BackupCorrupt("不是加密的 gongkai 备份文件")
        line = src.readline(_HEADER_MAX)
        try:
            meta = json.loads(line)
            algorithm, salt, chunk = meta["alg"], base64.b64decode(meta["salt"]), int(meta["chunk"])
        except (ValueError, KeyError, TypeError) as exc:
            raise BackupCorrupt("加密备份的文件头已损坏") from exc
        if algorithm not in crypto.ALGORITHMS or not (0 < chunk <= 64 << 20):
            raise BackupCorrupt(f"加密备份的文件头不受支持：{algorithm}")
        if not hmac.compare_digest(str(meta.get("check", "")), _key_check(key, algorithm, salt)):
            raise BackupKeyError("备份密钥不正确：此备份不是用当前的 GONGKAI_BACKUP_KEY 加密的")
        sealer = _Sealer(algorithm, _file_key(key, algorithm, salt), MAGIC + line)
        index, done = 0, False
        with Path(target).open("wb") as dst:
            while True:
                size_bytes = src.read(4)
                if not size_bytes:
                    break
                if done:
                    raise BackupCorrupt("加密备份在结尾之后还有数据：文件被改动")
                size = int.from_bytes(size_bytes, "big")
                if len(size_bytes) != 4 or size > chunk + 128:
                    raise BackupCorrupt("加密备份已损坏（记录长度不符）")
                body = src.read(size)
                if len(body) != size:
                    raise BackupCorrupt("加密备份不完整：文件被截断")
                last = src.peek(1)[:1] == b""  # the chunk followed by end of file must carry the "last" flag
                try:
                    data = sealer.open(index, last, body)
                except Exception as exc:  # InvalidTag, CryptoError, padding errors
                    raise BackupCorrupt(f"加密备份第 {index + 1} 块校验失败：文件被改动或已损坏") from exc
                dst.write(data)
                index += 1
                done = last
        if not done:
            raise BackupCorrupt("加密备份不完整：缺少结尾块（文件被截断）")
