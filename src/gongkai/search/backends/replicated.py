"""Replicated embedded backend (``GONGKAI_SEARCH_BACKEND=replicated``) for several app servers.

PostgreSQL (the project's database) holds the source of truth: every indexed document
(``ReplicaDocument``, the ``SearchDocument`` as JSON) and an append-only change journal
(``ReplicaChange``: a gapless sequence number and the id of the document that changed, ``*``
for "everything": a clear). ``ReplicaState`` (one row) holds the last sequence number, the
horizon below which the journal has been compacted away and an epoch (a new database starts a
new epoch). Writes (``index``, ``delete``, ``delete_kind``, ``clear``) change the documents and
append to the journal in one transaction; the state row is locked by the increment, so sequence
numbers are handed out in commit order and a reader never sees a later number before an
earlier one.

Every app server keeps its own tantivy index (``GONGKAI_SEARCH_INDEX_DIR``, local disk) — the
embedded backend, unchanged (this class subclasses it) — plus a file ``replica-seq`` with the
epoch and sequence number it has applied. Before a search it reads the state row (one query by
primary key); when the database is ahead it takes the host's ``.replica.lock`` (one process per
host applies, the others wait for it, then reload their reader) and applies the newer entries:
the documents they name are read as they are now (so applying is idempotent and order does not
matter) and re-indexed or removed in one tantivy commit. A host with an empty index, another
epoch, a journal entry ``*``, or a gap reaching below the compaction horizon rebuilds from the
documents table. Searches then run on the local index exactly as the embedded backend does.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import os
import time
import uuid
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from ..types import SearchDocument, SearchQuery, SearchResults
from .tantivy import TantivyBackend

log = logging.getLogger(__name__)

ALL = "*"  # journal entry: every document may have changed (a clear): rebuild
WRITE_BATCH = 500  # documents per write transaction
APPLY_PAGE = 1000  # journal entries read per query while catching up
REBUILD_PAGE = 2000  # documents read per query while rebuilding
SEQ_FILE = "replica-seq"
LOCK_FILE = ".replica.lock"


def _in_real_atomic_block() -> bool:
    """Inside a transaction of the application (not a test case's wrapper): what it wrote is
    not committed yet and may still roll back, so it must not reach the local index."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


class ReplicatedBackend(TantivyBackend):
    name = "replicated"

    def __init__(self, path, *, sync_wait: float | None = None, sync_after_write: bool = True):
        super().__init__(path)
        # False for a process that only writes (a bulk loader): its host's index catches up on
        # its next search instead of after every write.
        self.sync_after_write = sync_after_write
        self.rebuild_heap = 256_000_000  # bytes of tantivy writer memory while rebuilding
        self.sync_wait = (
            float(getattr(settings, "GONGKAI_SEARCH_SYNC_WAIT", 5.0)) if sync_wait is None else float(sync_wait)
        )
        self.last_sync: dict = {}

    # --- the journal (database side) -------------------------------------------

    @staticmethod
    def _models():
        from ..models import ReplicaChange, ReplicaDocument, ReplicaState

        return ReplicaDocument, ReplicaChange, ReplicaState

    def state(self) -> tuple[str, int, int]:
        """(epoch, last sequence number, compaction horizon) of the database's journal."""
        _doc, _change, State = self._models()
        row = State.objects.filter(pk=1).values_list("epoch", "seq", "horizon").first()
        return row or ("", 0, 0)

    def _reserve(self, n: int) -> int:
        """Hand out ``n`` sequence numbers (inside the caller's transaction; the row lock taken
        by the increment serialises writers until commit). Returns the last one."""
        _doc, _change, State = self._models()
        for _attempt in range(3):
            if State.objects.filter(pk=1).update(seq=F("seq") + n):
                return State.objects.filter(pk=1).values_list("seq", flat=True).get()
            try:
                with transaction.atomic():
                    State.objects.create(pk=1, epoch=uuid.uuid4().hex, seq=n, horizon=0)
                return n
            except IntegrityError:  # another writer created it first
                continue
        raise RuntimeError("search: could not reserve journal sequence numbers")

    def _journal(self, ids: list[str], docs: dict[str, SearchDocument] | None = None) -> int:
        Doc, Change, _state = self._models()
        last = self._reserve(len(ids))
        first = last - len(ids) + 1
        seqs = dict(zip(ids, range(first, last + 1), strict=True))
        if docs:
            Doc.objects.bulk_create(
                [Doc(doc_id=i, kind=d.kind, payload=d.to_dict(), seq=seqs[i]) for i, d in docs.items()],
                update_conflicts=True,
                unique_fields=["doc_id"],
                update_fields=["kind", "payload", "seq"],
            )
        Change.objects.bulk_create([Change(seq=s, doc_id=i) for i, s in seqs.items()])
        return last

    def _after_write(self) -> None:
        """Bring this host's index up to date once the write is committed (never raises)."""
        if not self.sync_after_write:
            return

        def run():
            try:
                self.sync()
            except Exception:
                log.exception("search: local index not brought up to date; the next search retries")

        if _in_real_atomic_block():
            transaction.on_commit(run)
        else:
            run()

    def index(self, docs: Iterable[SearchDocument], *, progress=None, **_ignored) -> int:
        n = 0
        batch: dict[str, SearchDocument] = {}

        def flush():
            with transaction.atomic():
                self._journal(list(batch), batch)
            batch.clear()

        for doc in docs:
            batch.pop(doc.id, None)
            batch[doc.id] = doc  # a repeated id in one batch: the last version wins
            n += 1
            if len(batch) >= WRITE_BATCH:
                flush()
            if progress and n % 1000 == 0:
                progress(n)
        if batch:
            flush()
        if n:
            self._after_write()
        return n

    def delete(self, ids: Iterable[str]) -> None:
        Doc, _change, _state = self._models()
        ids = list(dict.fromkeys(ids))
        if not ids:
            return
        for start in range(0, len(ids), WRITE_BATCH):
            chunk = ids[start : start + WRITE_BATCH]
            with transaction.atomic():
                Doc.objects.filter(doc_id__in=chunk).delete()
                self._journal(chunk)
        self._after_write()

    def delete_kind(self, kind: str) -> None:
        Doc, _change, _state = self._models()
        ids = list(Doc.objects.filter(kind=kind).values_list("doc_id", flat=True))
        self.delete(ids)

    def clear(self) -> None:
        Doc, _change, _state = self._models()
        with transaction.atomic():
            Doc.objects.all().delete()
            self._journal([ALL])
        self._after_write()

    def compact(self, keep: int = 100_000) -> int:
        """Delete journal entries but the newest ``keep``; a host that had not applied them
        rebuilds from the documents table. Returns how many were deleted."""
        _doc, Change, State = self._models()
        with transaction.atomic():
            row = State.objects.select_for_update().filter(pk=1).first()
            if row is None:
                return 0
            horizon = max(row.horizon, row.seq - max(keep, 0))
            deleted, _ = Change.objects.filter(seq__lte=horizon).delete()
            State.objects.filter(pk=1).update(horizon=horizon)
        return deleted

    # --- the local replica -----------------------------------------------------

    def applied(self) -> tuple[str, int]:
        """(epoch, sequence number) this host's index has applied."""
        try:
            epoch, seq = (self.path / SEQ_FILE).read_text().split()
            return epoch, int(seq)
        except (FileNotFoundError, ValueError):
            return "", 0

    def _set_applied(self, epoch: str, seq: int) -> None:
        tmp = self.path / f"{SEQ_FILE}.{os.getpid()}.tmp"
        tmp.write_text(f"{epoch} {seq}\n")
        os.replace(tmp, self.path / SEQ_FILE)

    @contextlib.contextmanager
    def _replica_lock(self, wait: float) -> Iterator[bool]:
        """The host's apply lock; yields False when another process held it for ``wait`` s."""
        self.path.mkdir(parents=True, exist_ok=True)
        with open(self.path / LOCK_FILE, "a+") as fh:
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EAGAIN, errno.EACCES):
                        raise
                    if time.monotonic() >= deadline:
                        yield False
                        return
                    time.sleep(0.02)
            try:
                yield True
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def sync(self, *, wait: float | None = None, rebuild: bool = False) -> dict:
        """Apply the journal entries this host lacks (or rebuild). Returns what was done:
        ``{"action": "none"|"applied"|"rebuilt"|"busy"|"skipped", "entries", "docs", "seq"}``."""
        if _in_real_atomic_block():  # uncommitted changes must not reach the index
            return {"action": "skipped", "entries": 0, "docs": 0, "seq": self.applied()[1]}
        epoch, seq, horizon = self.state()
        if not rebuild and self.applied() == (epoch, seq) and (seq or self.path.joinpath("meta.json").exists()):
            return {"action": "none", "entries": 0, "docs": 0, "seq": seq}
        with self._replica_lock(self.sync_wait if wait is None else wait) as locked:
            if not locked:  # another process of this host is applying (a long rebuild): serve what we have
                log.warning("search: local index is being updated by another process; answering from it as it is")
                return {"action": "busy", "entries": 0, "docs": 0, "seq": self.applied()[1]}
            epoch, seq, horizon = self.state()
            local_epoch, local_seq = self.applied()
            if not rebuild and (local_epoch, local_seq) == (epoch, seq) and self.path.joinpath("meta.json").exists():
                return {"action": "none", "entries": 0, "docs": 0, "seq": seq}
            if (
                rebuild
                or local_epoch != epoch
                or local_seq < horizon
                or local_seq > seq
                or local_seq == 0
                or self._cleared_since(local_seq, seq)
            ):
                result = self._rebuild(epoch, seq)
            else:
                result = self._apply(epoch, local_seq, seq)
            self.last_sync = result
            return result

    def _cleared_since(self, since: int, until: int) -> bool:
        _doc, Change, _state = self._models()
        return Change.objects.filter(seq__gt=since, seq__lte=until, doc_id=ALL).exists()

    def _apply(self, epoch: str, since: int, until: int) -> dict:
        Doc, Change, _state = self._models()
        entries = docs = 0
        with self._writer() as writer:
            cursor = since
            while cursor < until:
                ids = list(
                    Change.objects.filter(seq__gt=cursor, seq__lte=until)
                    .order_by("seq")
                    .values_list("seq", "doc_id")[:APPLY_PAGE]
                )
                if not ids:
                    break
                cursor = ids[-1][0]
                entries += len(ids)
                touched = list(dict.fromkeys(doc_id for _seq, doc_id in ids))
                current = dict(Doc.objects.filter(doc_id__in=touched).values_list("doc_id", "payload"))
                for doc_id in touched:
                    writer.delete_documents_by_term("id", doc_id)
                    if doc_id in current:
                        writer.add_document(self._document(SearchDocument.from_dict(current[doc_id])))
                        docs += 1
        self._set_applied(epoch, until)
        return {"action": "applied", "entries": entries, "docs": docs, "seq": until}

    def _rebuild(self, epoch: str, seq: int) -> dict:
        """Replace the local index with the documents table as it is now (at least as new as
        ``seq``: later entries are applied again by the next sync, which is harmless)."""
        Doc, _change, _state = self._models()
        n = 0
        with self._writer(heap=self.rebuild_heap) as writer:
            writer.delete_all_documents()
            last = 0
            while True:
                rows = list(Doc.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "payload")[:REBUILD_PAGE])
                if not rows:
                    break
                last = rows[-1][0]
                for _pk, payload in rows:
                    writer.add_document(self._document(SearchDocument.from_dict(payload)))
                    n += 1
        self._set_applied(epoch, seq)
        log.info("search: local index rebuilt from the documents table (%d documents, journal at %d)", n, seq)
        return {"action": "rebuilt", "entries": 0, "docs": n, "seq": seq}

    def _sync_quietly(self) -> None:
        try:
            self.sync()
        except Exception:  # database unreachable: answer from the local index as it is
            log.exception("search: could not check the journal; answering from the local index")

    # --- reading: the embedded backend, after catching up ---------------------

    def search(self, q: SearchQuery, parsed=None) -> SearchResults:
        self._sync_quietly()
        return super().search(q, parsed)

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        self._sync_quietly()
        return super().suggest(prefix, limit)

    def count(self) -> int:
        self._sync_quietly()
        return super().count()
