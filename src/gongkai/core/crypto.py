"""Personal data at rest: authenticated encryption with versioned keys, and blind indexes.

Two profiles, chosen with ``GONGKAI_CRYPTO``:

* ``default`` — AES-256-GCM for values, HMAC-SHA-256 for keyed hashes;
* ``gm`` (国密, GB/T 39786-2021) — SM4-GCM (SM4-CBC + HMAC-SM3, encrypt-then-MAC, where the
  OpenSSL under ``cryptography`` lacks SM4-GCM) for values, HMAC-SM3 for keyed hashes.

Both come from ``cryptography`` (OpenSSL); no other library is needed. A ciphertext names its
algorithm and key id in a plain header, so values written under either profile and any listed key
stay readable after the profile or the current key changes, until ``gongkai crypto rotate`` has
re-encrypted them::

    gk1:<algorithm>:<key id>:<base64url(nonce | ciphertext | tag)>

The header and a context string (``app_label.model.field``) are authenticated as associated
data: a ciphertext copied to another column or with an edited header does not decrypt.

Keys come from the environment (``GONGKAI_DATA_KEYS`` = ``"v2:<base64>,v1:<base64>"``, the first
is current; ``GONGKAI_BLIND_INDEX_KEY`` = one base64 key, kept apart from the data keys). Each
data key is 32 random bytes; the per-algorithm keys are derived from it with HKDF (SHA-256, or
SM3 for the 国密 algorithms). ``gongkai crypto genkey`` prints a new key.

A blind index is a keyed hash of a normalised value (phone: digits only; ID number: upper case,
no spaces; e-mail: lower case), so equal values can be found without decrypting every row and
without the key nobody can test guesses against the database.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import contextvars
import hashlib
import hmac
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed

PREFIX = "gk1"
PROFILES = ("default", "gm")
AES_GCM = "A256GCM"
SM4_GCM = "SM4GCM"
SM4_CBC_HMAC = "SM4CBCHM3"
ALGORITHMS = (AES_GCM, SM4_GCM, SM4_CBC_HMAC)
KEY_BYTES = 32
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,16}$")
# Fixed keys for the embedded demo and the test suite only: public, refused as current key in production.
DEV_DATA_KEYS = "dev1:" + base64.b64encode(hashlib.sha256(b"gongkai public demo data key 1").digest()).decode()
DEV_BLIND_INDEX_KEY = base64.b64encode(hashlib.sha256(b"gongkai public demo blind index key").digest()).decode()


class CryptoError(Exception):
    """A value cannot be decrypted: unknown key id, unsupported algorithm, or tampered data."""


@dataclass(frozen=True)
class Config:
    profile: str
    keys: dict[str, bytes]  # key id -> key, in the order given (first = current)
    current: str
    blind_key: bytes

    @property
    def algorithm(self) -> str:
        """The algorithm new values are written with."""
        if self.profile == "gm":
            return SM4_GCM if sm4_gcm_supported() else SM4_CBC_HMAC
        return AES_GCM

    @property
    def header(self) -> str:
        """The header of a value written now: values with another header are rotated."""
        return f"{PREFIX}:{self.algorithm}:{self.current}:"

    @property
    def hash_name(self) -> str:
        return "sm3" if self.profile == "gm" else "sha256"


# --- what this machine supports --------------------------------------------------------------


@cache
def sm3_supported() -> bool:
    try:
        from cryptography.hazmat.primitives import hashes

        h = hashes.Hash(hashes.SM3())
        h.update(b"abc")
        # GB/T 32905-2016 test vector
        return h.finalize().hex().startswith("66c7f0f462eeedd9d1f2d46bdc10e4e2")
    except Exception:  # noqa: BLE001 - any failure means: not available here
        return False


@cache
def sm4_supported() -> bool:
    try:
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

        key = bytes.fromhex("0123456789abcdeffedcba9876543210")
        enc = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()  # noqa: S305 - known-answer test only
        # GB/T 32907-2016 test vector
        return (enc.update(key) + enc.finalize()).hex() == "681edf34d206965e86b3e94f536e4246"
    except Exception:  # noqa: BLE001
        return False


@cache
def sm4_gcm_supported() -> bool:
    if not sm4_supported():
        return False
    try:
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

        enc = Cipher(algorithms.SM4(bytes(16)), modes.GCM(bytes(12))).encryptor()
        enc.update(b"x")
        enc.finalize()
        return True
    except Exception:  # noqa: BLE001
        return False


# --- configuration ---------------------------------------------------------------------------


def _decode_key(text: str, what: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ImproperlyConfigured(f"{what}: not valid base64") from exc
    if len(key) != KEY_BYTES:
        raise ImproperlyConfigured(
            f"{what}: a key must be {KEY_BYTES} random bytes (got {len(key)}); use `gongkai crypto genkey`"
        )
    return key


def parse_keys(text: str) -> dict[str, bytes]:
    """``"v2:<base64>,v1:<base64>"`` → {"v2": b"…", "v1": b"…"} (order kept; first = current)."""
    keys: dict[str, bytes] = {}
    for item in (text or "").split(","):
        item = item.strip()
        if not item:
            continue
        kid, sep, material = item.partition(":")
        if not sep or not _KEY_ID.match(kid):
            raise ImproperlyConfigured(
                "GONGKAI_DATA_KEYS: each entry is <key id>:<base64 key>, the id 1–16 letters, digits, - or _"
            )
        if kid in keys:
            raise ImproperlyConfigured(f"GONGKAI_DATA_KEYS: key id {kid!r} is listed twice")
        keys[kid] = _decode_key(material, f"GONGKAI_DATA_KEYS[{kid}]")
    if not keys:
        raise ImproperlyConfigured("GONGKAI_DATA_KEYS is empty: set at least one key (`gongkai crypto genkey`)")
    return keys


@cache
def config() -> Config:
    """The validated configuration (cached; cleared when a test overrides a setting)."""
    profile = getattr(settings, "GONGKAI_CRYPTO", "default") or "default"
    if profile not in PROFILES:
        raise ImproperlyConfigured(f"GONGKAI_CRYPTO must be one of {', '.join(PROFILES)} (got {profile!r})")
    if profile == "gm" and not (sm3_supported() and sm4_supported()):
        raise ImproperlyConfigured(
            "GONGKAI_CRYPTO=gm needs SM3 and SM4, which the OpenSSL used by the `cryptography` package here "
            "does not provide; install cryptography >= 44 with its bundled OpenSSL, or use GONGKAI_CRYPTO=default"
        )
    keys = parse_keys(getattr(settings, "GONGKAI_DATA_KEYS", ""))
    blind = _decode_key(getattr(settings, "GONGKAI_BLIND_INDEX_KEY", "") or "", "GONGKAI_BLIND_INDEX_KEY")
    current = next(iter(keys))
    if not (getattr(settings, "DEMO", False) or getattr(settings, "TESTING", False)):
        dev = parse_keys(DEV_DATA_KEYS)["dev1"]
        if keys[current] == dev:
            raise ImproperlyConfigured(
                "GONGKAI_DATA_KEYS: the current key is the public demo key; put a new key first "
                "(`gongkai crypto genkey`) and run `gongkai crypto rotate`"
            )
        if blind == base64.b64decode(DEV_BLIND_INDEX_KEY):
            raise ImproperlyConfigured("GONGKAI_BLIND_INDEX_KEY is the public demo key; set a key of your own")
    if blind in keys.values():
        raise ImproperlyConfigured("GONGKAI_BLIND_INDEX_KEY must differ from every data key")
    return Config(profile=profile, keys=keys, current=current, blind_key=blind)


def check_configuration() -> Config:
    """Called at start-up (CoreConfig.ready): refuse to run with a missing or malformed key setup."""
    return config()


def _clear(**kwargs) -> None:
    if kwargs.get("setting") in {"GONGKAI_CRYPTO", "GONGKAI_DATA_KEYS", "GONGKAI_BLIND_INDEX_KEY", "DEMO", "TESTING"}:
        config.cache_clear()
        _subkey.cache_clear()
        _gcm.cache_clear()


setting_changed.connect(_clear, dispatch_uid="gongkai.core.crypto.clear")


def generate_key() -> str:
    return base64.b64encode(os.urandom(KEY_BYTES)).decode()


# --- encryption ------------------------------------------------------------------------------


@cache
def _subkey(master: bytes, algorithm: str) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    length = {AES_GCM: 32, SM4_GCM: 16, SM4_CBC_HMAC: 48}[algorithm]
    digest = hashes.SHA256() if algorithm == AES_GCM else hashes.SM3()
    return HKDF(digest, length, salt=None, info=f"gongkai/{algorithm}".encode()).derive(master)


def _b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def is_encrypted(value) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX + ":")


def header_of(token: str) -> tuple[str, str]:
    """(algorithm, key id) of a stored value."""
    parts = token.split(":", 3)
    if len(parts) != 4 or parts[0] != PREFIX:
        raise CryptoError("not a gongkai ciphertext")
    return parts[1], parts[2]


def encrypt(plaintext: str, *, context: str = "") -> str:
    """Encrypt ``plaintext`` with the current key and algorithm; ``context`` is bound to it (AAD)."""
    cfg = config()
    algorithm = cfg.algorithm
    head = f"{PREFIX}:{algorithm}:{cfg.current}:"
    aad = (head + context).encode()
    key = _subkey(cfg.keys[cfg.current], algorithm)
    data = plaintext.encode()
    if algorithm == SM4_CBC_HMAC:
        body = _sm4_cbc_hmac_encrypt(key, data, aad)
    else:
        nonce = os.urandom(12)
        body = nonce + _gcm(algorithm, key).encrypt(nonce, data, aad)
    return head + _b64e(body)


def decrypt(token: str, *, context: str = "") -> str:
    """The plaintext of ``token`` (any listed key, any supported algorithm); CryptoError otherwise."""
    algorithm, kid = header_of(token)
    cfg = config()
    if kid not in cfg.keys:
        raise CryptoError(f"key {kid!r} is not in GONGKAI_DATA_KEYS (was it removed before `gongkai crypto rotate`?)")
    if algorithm not in ALGORITHMS:
        raise CryptoError(f"unknown algorithm {algorithm!r}")
    key = _subkey(cfg.keys[kid], algorithm)
    aad = (f"{PREFIX}:{algorithm}:{kid}:" + context).encode()
    try:
        body = _b64d(token.split(":", 3)[3])
        if algorithm == SM4_CBC_HMAC:
            data = _sm4_cbc_hmac_decrypt(key, body, aad)
        else:
            data = _gcm(algorithm, key).decrypt(body[:12], body[12:], aad)
        return data.decode()
    except CryptoError:
        raise
    except Exception as exc:  # InvalidTag, bad base64, bad UTF-8 ...
        raise CryptoError(
            f"value encrypted with key {kid!r} does not decrypt: altered, or not from this column"
        ) from exc


class _SM4GCM:
    """SM4-GCM with the AEAD interface of ``cryptography``'s AESGCM (96-bit nonce, 128-bit tag)."""

    def __init__(self, key: bytes):
        self.key = key

    def encrypt(self, nonce: bytes, data: bytes, aad: bytes) -> bytes:
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

        enc = Cipher(algorithms.SM4(self.key), modes.GCM(nonce)).encryptor()
        enc.authenticate_additional_data(aad)
        return enc.update(data) + enc.finalize() + enc.tag

    def decrypt(self, nonce: bytes, data: bytes, aad: bytes) -> bytes:
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

        if len(data) < 16:
            raise CryptoError("ciphertext too short")
        dec = Cipher(algorithms.SM4(self.key), modes.GCM(nonce, data[-16:])).decryptor()
        dec.authenticate_additional_data(aad)
        return dec.update(data[:-16]) + dec.finalize()


@cache
def _gcm(algorithm: str, key: bytes):
    if algorithm == AES_GCM:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        return AESGCM(key)
    if not sm4_gcm_supported():
        raise CryptoError("SM4-GCM is not available in this OpenSSL")
    return _SM4GCM(key)


def _sm4_cbc_hmac_encrypt(key: bytes, data: bytes, aad: bytes) -> bytes:
    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    enc_key, mac_key = key[:16], key[16:]
    iv = os.urandom(16)
    padder = padding.PKCS7(128).padder()
    padded = padder.update(data) + padder.finalize()
    enc = Cipher(algorithms.SM4(enc_key), modes.CBC(iv)).encryptor()
    ct = iv + enc.update(padded) + enc.finalize()
    return ct + _hmac_sm3(mac_key, len(aad).to_bytes(4, "big") + aad + ct)


def _sm4_cbc_hmac_decrypt(key: bytes, body: bytes, aad: bytes) -> bytes:
    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    enc_key, mac_key = key[:16], key[16:]
    ct, tag = body[:-32], body[-32:]
    if len(ct) < 32 or not hmac.compare_digest(tag, _hmac_sm3(mac_key, len(aad).to_bytes(4, "big") + aad + ct)):
        raise CryptoError("SM4-CBC value fails its HMAC-SM3 check")
    dec = Cipher(algorithms.SM4(enc_key), modes.CBC(ct[:16])).decryptor()
    padded = dec.update(ct[16:]) + dec.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    return unpadder.update(padded) + unpadder.finalize()


def _hmac_sm3(key: bytes, data: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives import hmac as chmac

    mac = chmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize()


# --- keyed hashes and blind indexes ------------------------------------------------------------


_profile_override: contextvars.ContextVar[str | None] = contextvars.ContextVar("crypto_profile", default=None)


@contextlib.contextmanager
def hashing_profile(profile: str):
    """Compute keyed hashes under ``profile`` inside the block (checks of digests written before a
    GONGKAI_CRYPTO switch)."""
    token = _profile_override.set(profile)
    try:
        yield
    finally:
        _profile_override.reset(token)


def keyed_hash(key: bytes, data: bytes, *, profile: str | None = None) -> str:
    """HMAC-SHA-256, or HMAC-SM3 under the 国密 profile, as hex (64 characters).

    Public for other keyed digests that must follow the profile (e.g. the audit chain)."""
    profile = profile or _profile_override.get() or config().profile
    if profile == "gm":
        return _hmac_sm3(key, data).hex()
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def normalise(value: str, kind: str) -> str:
    """The form two equal values share: phone digits only; ID numbers upper case without spaces;
    e-mail lower case; other text NFKC with runs of white space collapsed."""
    v = unicodedata.normalize("NFKC", value or "").strip()
    if kind == "phone":
        digits = re.sub(r"\D", "", v)
        if digits.startswith("86") and len(digits) == 13:  # +86 139 1234 5678
            digits = digits[2:]
        return digits
    if kind in ("id", "applicant"):
        return re.sub(r"\s", "", v).upper()
    if kind == "email":
        return v.lower()
    return " ".join(v.split())


def blind_index(value: str, kind: str, *, profile: str | None = None) -> str:
    """Keyed hash of the normalised value ("" for an empty value: empty values never match)."""
    norm = normalise(value, kind)
    if not norm:
        return ""
    return keyed_hash(config().blind_key, f"{kind}\x1f{norm}".encode(), profile=profile)


def blind_indexes(value: str, kind: str) -> list[str]:
    """The indexes to look ``value`` up with: the current profile's first, then the other's, so
    lookups keep working between switching GONGKAI_CRYPTO and ``gongkai crypto rotate``."""
    current = config().profile
    out = [blind_index(value, kind)]
    for profile in PROFILES:
        if profile != current and (profile != "gm" or sm3_supported()):
            out.append(blind_index(value, kind, profile=profile))
    return [i for i in dict.fromkeys(out) if i]
