"""Helpers shared by the interaction services (input checks, duplicate detection, mail after commit)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.core import crypto
from gongkai.core.chinese import normalise

TITLE_MAX = 100
CONTENT_MAX = 5000
COMMENT_MAX = 3000
ANSWER_MAX = 10000


def check_text(value: str, field: str, label, max_len: int) -> str:
    """Stripped, non-empty text of at most ``max_len`` characters; errors are keyed by ``field``."""
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: _("请填写%(label)s") % {"label": label}}, code="required")
    if len(value) > max_len:
        raise ValidationError(
            {field: _("%(label)s不能超过%(max)s字（当前%(n)s字）") % {"label": label, "max": max_len, "n": len(value)}},
            code="max_length",
        )
    return value


def _joined(parts) -> str:
    return "\x1f".join(normalise(p or "").replace(" ", "") for p in parts)


def content_hash(*parts: str) -> str:
    """Duplicate-detection digest of a submission (text and contact data): keyed
    (GONGKAI_BLIND_INDEX_KEY), so the contact data cannot be guessed back from it."""
    return crypto.blind_index(_joined(parts), "content")


def content_hashes(*parts: str) -> list[str]:
    """content_hash under every profile, to look duplicates up with (crypto.blind_indexes)."""
    return crypto.blind_indexes(_joined(parts), "content")


def appeal_digests(appeal) -> dict[str, str]:
    """An appeal's keyed duplicate digest from its (decrypted) fields (``crypto rotate``, migration)."""
    return {"content_hash": content_hash(appeal.title, appeal.content, appeal.phone, appeal.email)}


def comment_digests(comment) -> dict[str, str]:
    return {"content_hash": content_hash(comment.content, comment.contact, str(comment.consultation_id))}


def serialise_on(digest: str) -> None:
    """Make identical submissions arriving in parallel wait for each other (duplicate check + insert).

    PostgreSQL: a transaction-scoped advisory lock on the content hash. SQLite runs
    write transactions one at a time (IMMEDIATE mode), which serialises them already.
    """
    conn = transaction.get_connection()
    if conn.vendor == "postgresql":
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(digest[:15], 16)])


def mail_after_commit(subject: str, body: str, recipients: list[str]) -> None:
    """Send a mail once the transaction has committed (never for a rolled-back change)."""
    if not recipients:
        return
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=True))
