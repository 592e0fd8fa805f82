"""Search storage: the PostgreSQL full-text table and the anonymous search-term log."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    """One indexed document for the PostgreSQL backend (``GONGKAI_SEARCH_BACKEND=postgres``).

    ``tsv`` = setweight(to_tsvector('simple', <title tokens>), 'A') ||
    setweight(to_tsvector('simple', <body tokens>), 'D'), where tokens are the CJK
    bigrams/unigrams of ``gongkai.search.analysis``; ``py`` holds pinyin keys of the title
    for suggestions. The GIN indexes are created on PostgreSQL only (see the migration).
    """

    doc_id = models.CharField(_("文档标识"), max_length=200, unique=True)
    kind = models.CharField(_("来源"), max_length=50, db_index=True)
    title = models.TextField(_("标题"))
    body = models.TextField(_("正文"), blank=True)
    url = models.CharField(_("地址"), max_length=500, blank=True)
    unit_id = models.BigIntegerField(_("单位"), null=True, blank=True)
    unit_name = models.CharField(_("单位名称"), max_length=200, blank=True)
    doc_type = models.CharField(_("类型"), max_length=50, blank=True)
    domain = models.CharField(_("领域"), max_length=100, blank=True)
    year = models.IntegerField(_("年份"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=20, blank=True)
    published_on = models.DateField(_("发布日期"), null=True, blank=True, db_index=True)
    index_number = models.CharField(_("索引号"), max_length=100, blank=True)
    document_number = models.CharField(_("发文字号"), max_length=200, blank=True)
    extra = models.JSONField(default=dict, blank=True)
    tsv = SearchVectorField(null=True)
    title_tsv = SearchVectorField(null=True)  # the title's tokens alone: cheap title candidates
    title_len = models.PositiveIntegerField(default=0)  # tokens, for BM25 length normalisation
    body_len = models.PositiveIntegerField(default=0)
    py = SearchVectorField(null=True)
    # Title and body as indexed, normalised (NFKC, 繁→简, lower case) once when indexing: the
    # ranking counts needles in them without normalising candidates at query time.
    rank_title = models.TextField(blank=True, default="")
    rank_body = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = _("检索条目")
        verbose_name_plural = _("检索条目")
        # Title candidates of a query with very many matches: shortest titles first.
        indexes = [models.Index(fields=["title_len", "id"], name="search_entry_title_len")]

    def __str__(self) -> str:
        return f"{self.doc_id} {self.title}"


class ReplicaDocument(models.Model):
    """An indexed document of the replicated backend (``GONGKAI_SEARCH_BACKEND=replicated``):
    the source of truth every app server's local index is built from (``backends/replicated.py``)."""

    doc_id = models.CharField(_("文档标识"), max_length=200, unique=True)
    kind = models.CharField(_("来源"), max_length=50, db_index=True)
    payload = models.JSONField()  # SearchDocument.to_dict()
    seq = models.BigIntegerField(default=0)  # journal number of its last change

    class Meta:
        verbose_name = _("检索副本文档")
        verbose_name_plural = _("检索副本文档")

    def __str__(self) -> str:
        return self.doc_id


class ReplicaChange(models.Model):
    """The append-only change journal of the replicated backend: entry ``seq`` says that
    document ``doc_id`` was indexed or removed (``*``: everything, a clear). Gapless, in commit
    order; compacted by ``search.compact_journal``."""

    seq = models.BigIntegerField(primary_key=True)
    doc_id = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("检索变更记录")
        verbose_name_plural = _("检索变更记录")

    def __str__(self) -> str:
        return f"{self.seq} {self.doc_id}"


class ReplicaState(models.Model):
    """One row: the journal's last number, the compaction horizon (entries up to it deleted)
    and the epoch (a new database starts a new one, so local indexes built from another rebuild)."""

    epoch = models.CharField(max_length=32)
    seq = models.BigIntegerField(default=0)
    horizon = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("检索副本状态")
        verbose_name_plural = _("检索副本状态")

    def __str__(self) -> str:
        return f"{self.epoch} {self.seq}"


class SearchLog(models.Model):
    """How often a normalised query was searched on a day (searches with results). No user, IP
    or session is stored; whether the term may be shown publicly is :class:`SearchTerm`'s."""

    day = models.DateField(_("日期"))
    query = models.CharField(_("检索词"), max_length=100)
    count = models.PositiveIntegerField(_("次数"), default=0)

    class Meta:
        verbose_name = _("检索词统计")
        verbose_name_plural = _("检索词统计")
        constraints = [models.UniqueConstraint(fields=["day", "query"], name="search_log_day_query")]
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.query} ×{self.count}"


class SearchTerm(models.Model):
    """A normalised search term and the evidence that many people searched it.

    A term becomes public (热门检索, autocomplete, statistics) only when it is *qualified* —
    searched by at least ``GONGKAI_SEARCH_TERM_MIN_VISITORS`` visitor-days (distinct daily
    visitor hashes, summed over days) on at least ``GONGKAI_SEARCH_TERM_MIN_DAYS`` different
    days, each search having returned results — passes the personal-data and sensitive-word
    screening when shown, and is not hidden by staff (see ``gongkai.search.services``).
    Qualification is kept once reached; hiding is the staff's answer to a bad term.
    """

    query = models.CharField(_("检索词"), max_length=100, unique=True)
    visitor_days = models.PositiveIntegerField(_("访客人次（按日去重）"), default=0)
    days = models.PositiveIntegerField(_("检索天数"), default=0)
    first_day = models.DateField(_("首次检索"), null=True, blank=True)
    last_day = models.DateField(_("最近检索"), null=True, blank=True)
    qualified_on = models.DateField(_("达到公开门槛日期"), null=True, blank=True, db_index=True)
    hidden_at = models.DateTimeField(_("隐藏时间"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("隐藏人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    hidden_reason = models.CharField(_("隐藏理由"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("检索词")
        verbose_name_plural = _("检索词")

    def __str__(self) -> str:
        return self.query


class SearchVisit(models.Model):
    """That one visitor (a keyed hash of the address, valid for one day only:
    ``gongkai.core.privacy.visitor_hash``) searched a term on a day — only to count distinct
    visitors. Rows older than two days are deleted (``search.prune_visits``); no raw address is
    ever stored."""

    day = models.DateField(_("日期"))
    query = models.CharField(_("检索词"), max_length=100)
    visitor = models.CharField(_("访客标识（当日密钥散列）"), max_length=32)

    class Meta:
        verbose_name = _("检索访客记录")
        verbose_name_plural = _("检索访客记录")
        constraints = [
            models.UniqueConstraint(fields=["day", "query", "visitor"], name="search_visit_day_query_visitor")
        ]
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.query}"


class IndexFailure(models.Model):
    """An index update that still failed after its retries; ``retry_failed_updates`` (every
    few minutes, Celery beat) tries it again, so nothing stays out of the index for long."""

    doc_id = models.CharField(_("文档标识"), max_length=200, unique=True)
    operation = models.CharField(_("操作"), max_length=10, choices=[("index", _("索引")), ("remove", _("移除"))])
    error = models.TextField(_("错误"), blank=True)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=1)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("索引失败记录")
        verbose_name_plural = _("索引失败记录")

    def __str__(self) -> str:
        return f"{self.operation} {self.doc_id}"


class NamePair(models.Model):
    """One everyday ↔ official name pair (准生证 ↔ 生育服务证) of the shared dictionary.

    Used by the query expansion of 一网通查 (``gongkai.search.analysis``) and by the FAQ
    suggester. Seeded from ``data/name_pairs.tsv`` by a migration; the 政务公开办 adds, edits
    and disables pairs in the workbench through ``services.name_pair_*`` (audited).
    """

    everyday = models.CharField(_("日常说法"), max_length=60)
    official = models.CharField(_("规范名称"), max_length=120)
    source = models.CharField(_("来源"), max_length=300, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("日常说法与规范名称")
        verbose_name_plural = _("日常说法与规范名称")
        ordering = ["everyday", "official"]
        constraints = [models.UniqueConstraint(fields=["everyday", "official"], name="search_namepair_unique")]

    def __str__(self) -> str:
        return f"{self.everyday} ↔ {self.official}"


class TextEmbedding(models.Model):
    """A stored sentence embedding (optional extra ``semantic``, ``gongkai.search.semantic``):
    one per entry of a namespace (``faq`` …), recomputed when the text's digest changes."""

    namespace = models.CharField(_("类别"), max_length=40)
    key = models.CharField(_("条目"), max_length=64)
    digest = models.CharField(max_length=64)
    vector = models.BinaryField()
    model = models.CharField(max_length=60)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("语义向量")
        verbose_name_plural = _("语义向量")
        constraints = [models.UniqueConstraint(fields=["namespace", "key"], name="search_embedding_unique")]

    def __str__(self) -> str:
        return f"{self.namespace}:{self.key}"
