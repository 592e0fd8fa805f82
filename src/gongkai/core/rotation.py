"""Re-encryption of personal data at rest: ``gongkai crypto rotate`` and ``gongkai crypto status``.

A row is rotated when one of its encrypted columns is plaintext (written before encryption was
switched on) or carries another header than the current one (another key id or algorithm, e.g.
after ``GONGKAI_CRYPTO`` changed). Rotation reads the plaintext (any listed key decrypts), writes it
back under the current key and recomputes the row's blind indexes and registered keyed digests.

Batches of rows are locked (``select_for_update``), rewritten and committed one by one, so a run can
be interrupted and started again: rows already under the current header are not selected again. A
concurrent edit of a row waits for its batch, never overwrites or is overwritten with stale data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models, transaction
from django.db.models import Q, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from . import audit, crypto
from .fields import BlindIndexField, EncryptedTextField


@audit.register_actions
class CryptoAuditAction(models.TextChoices):
    ROTATE = "crypto.rotate", _("个人信息加密轮换")


# Extra keyed digests a model keeps beside its blind index fields (e.g. a duplicate-detection hash
# over several columns): model label -> function(row) -> {field: value}. Filled from AppConfig.ready().
REFRESHERS: dict[str, Callable[[models.Model], dict]] = {}


def register_refresh(model: type[models.Model], refresh: Callable[[models.Model], dict]) -> None:
    REFRESHERS[model._meta.label_lower] = refresh


@dataclass
class Counts:
    model: str
    rows: int = 0  # rows in the table
    encrypted: int = 0  # rows whose every non-empty encrypted value has the current header
    stale: int = 0  # rows with a value under another key or algorithm
    plaintext: int = 0  # rows with a value not encrypted yet
    rewritten: int = 0  # rows rewritten by this run
    by_header: dict[str, int] = field(default_factory=dict)  # "ALG:kid" -> values


def encrypted_models() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models()
        if any(isinstance(f, EncryptedTextField) for f in m._meta.concrete_fields) and not m._meta.proxy
    ]


def _fields(model):
    enc = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
    bidx = [f for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)]
    return enc, bidx


def _raw(model):
    """Annotations giving the stored text of each encrypted column (not decrypted)."""
    enc, _bidx = _fields(model)
    return {f"_raw_{f.name}": Cast(f.name, models.TextField()) for f in enc}


def _needs_rotation(model, header: str) -> Q:
    enc, _bidx = _fields(model)
    q = Q(pk__in=[])
    for f in enc:
        raw = f"_raw_{f.name}"
        q |= Q(**{f"{raw}__isnull": False}) & ~Q(**{raw: ""}) & ~Q(**{f"{raw}__startswith": header})
    return q


def status(model) -> Counts:
    """Counts of rows by state (reads the stored headers only; decrypts nothing)."""
    enc, _bidx = _fields(model)
    header = crypto.config().header
    counts = Counts(model._meta.label_lower)
    for row in model._base_manager.annotate(**_raw(model)).values(*[f"_raw_{f.name}" for f in enc]).iterator():
        values = [v for v in row.values() if v]
        counts.rows += 1
        if any(not crypto.is_encrypted(v) for v in values):
            counts.plaintext += 1
        elif any(not v.startswith(header) for v in values):
            counts.stale += 1
        else:
            counts.encrypted += 1
        for v in values:
            key = ":".join(crypto.header_of(v)) if crypto.is_encrypted(v) else "plaintext"
            counts.by_header[key] = counts.by_header.get(key, 0) + 1
    return counts


def verify(model) -> list[str]:
    """Decrypt every value and recompute every blind index and registered digest: the problems
    found (empty = every value decrypts and every index matches)."""
    enc, bidx = _fields(model)
    label = model._meta.label_lower
    problems: list[str] = []
    refresh = REFRESHERS.get(label)
    manager = model._base_manager

    def check(row) -> None:
        for b in bidx:
            if getattr(row, b.attname) not in [*crypto.blind_indexes(getattr(row, b.source) or "", b.kind), ""]:
                problems.append(f"{label} #{row.pk}: {b.name} does not match")
        if refresh:
            # digests written before a GONGKAI_CRYPTO switch are still found (crypto.blind_indexes)
            expected: dict[str, set] = {}
            for profile in crypto.PROFILES:
                with crypto.hashing_profile(profile):
                    for name, value in refresh(row).items():
                        expected.setdefault(name, set()).add(value)
            for name, values in expected.items():
                if getattr(row, name) not in values:
                    problems.append(f"{label} #{row.pk}: {name} is stale")

    ids = list(manager.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        try:
            rows = list(manager.filter(pk__in=chunk).order_by("pk"))
        except crypto.CryptoError:
            rows = []
            for pk in chunk:  # find the rows that fail
                try:
                    rows.append(manager.get(pk=pk))
                except crypto.CryptoError as exc:
                    problems.append(f"{label} #{pk}: {exc}")
        for row in rows:
            check(row)
    return problems


def rotate_model(
    model,
    *,
    batch_size: int = 500,
    reindex: bool = False,
    refresh: Callable[[models.Model], dict] | None = None,
    limit: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> Counts:
    """Re-encrypt ``model``'s rows that are plaintext or under another key/algorithm; with
    ``reindex`` every row's blind indexes are recomputed too (after changing GONGKAI_BLIND_INDEX_KEY).

    Works on historical models as well (data migrations). ``limit`` stops after that many rows
    (for tests of an interrupted run). Returns the counts of this run."""
    enc, bidx = _fields(model)
    refresh = refresh or REFRESHERS.get(model._meta.label_lower)
    header = crypto.config().header
    manager = model._base_manager
    counts = Counts(model._meta.label_lower)
    selection = manager.annotate(**_raw(model))
    if not reindex:
        selection = selection.filter(_needs_rotation(model, header))
    last = None
    while True:
        page = selection.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        ids = list(page.values_list("pk", flat=True)[:batch_size])
        if limit is not None:
            ids = ids[: max(0, limit - counts.rewritten)]
        if not ids:
            break
        with transaction.atomic():
            for row in manager.select_for_update().filter(pk__in=ids).annotate(**_raw(model)).order_by("pk"):
                values = {f.name: getattr(row, f.name) for f in enc}
                for b in bidx:
                    values[b.attname] = crypto.blind_index(getattr(row, b.source) or "", b.kind)
                if refresh:
                    values.update(refresh(row))
                raws = [getattr(row, f"_raw_{f.name}") for f in enc]
                if any(r and not crypto.is_encrypted(r) for r in raws):
                    counts.plaintext += 1
                elif any(r and not r.startswith(header) for r in raws):
                    counts.stale += 1
                manager.filter(pk=row.pk).update(**values)
                counts.rewritten += 1
        last = ids[-1]
        if progress:
            progress(f"{counts.model}: {counts.rewritten} rows rewritten (last id {last})")
    return counts


def decrypt_model(model, *, batch_size: int = 500) -> int:
    """Write every encrypted value back as plaintext (the reverse of the data migrations that
    switched encryption on, before the columns become plain text columns again)."""
    enc, _bidx = _fields(model)
    manager = model._base_manager
    done = 0
    ids = list(manager.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        with transaction.atomic():
            for row in manager.select_for_update().filter(pk__in=ids[start : start + batch_size]):
                plain = {f.name: Value(getattr(row, f.name) or "", output_field=models.TextField()) for f in enc}
                manager.filter(pk=row.pk).update(**plain)
                done += 1
    return done


def rotate_all(*, batch_size: int = 500, reindex: bool = False, progress=None) -> list[Counts]:
    """``rotate_model`` over every model with encrypted fields; one audit event with the counts."""
    results = [rotate_model(m, batch_size=batch_size, reindex=reindex, progress=progress) for m in encrypted_models()]
    cfg = crypto.config()
    with transaction.atomic():
        audit.record(
            actor=None,
            action=CryptoAuditAction.ROTATE,
            object_type="crypto",
            object_repr=cfg.header,
            after={
                "profile": cfg.profile,
                "algorithm": cfg.algorithm,
                "key_id": cfg.current,
                "reindex": reindex,
                "rows": {
                    c.model: {"rewritten": c.rewritten, "plaintext": c.plaintext, "stale": c.stale} for c in results
                },
            },
        )
    return results
