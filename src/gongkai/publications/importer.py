"""Bulk import of already-published items from an old website export (JSON Lines).

One JSON object per line::

    {"type": "规范性文件", "title": "...", "document_number": "松政办发〔2019〕3号",
     "issuer": "松阳县人民政府办公室", "made_on": "2019-03-01", "published_on": "2019-03-05",
     "effective_from": "2019-04-01", "expires_on": "2024-03-31", "topic": "综合政务",
     "body": "<p>...</p>", "url": "http://www.songyang.gov.cn/art/2019/3/5/art_1_1.html",
     "attachments": ["files/附件1.pdf", "http://www.songyang.gov.cn/module/download/a.docx",
                     {"name": "附件2.xlsx", "path": "files/2.xlsx"}]}

Rules:
- every row is validated on its own; a bad row is reported with its line number and
  reason and skipped, the others are imported (row-level error report);
- original dates are kept (成文日期, 发布日期, 施行日期); the 索引号 is allocated from the
  unit's sequence for the *publication year* of each item;
- local attachment paths (relative to the JSONL file) are checked like uploads (type
  sniffed, size limit, virus-scan hook, text extracted); URLs are recorded as external
  links and never fetched;
- rows already imported before (same original URL, or same title + 发文字号 + 发布日期 in
  the unit) are skipped, so an import can be re-run after fixing errors;
- items are written with ``bulk_create`` in batches, each batch in one transaction with
  one audit event listing the ids; search indexing runs once per import through the
  search backend's bulk path (not one task per row).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import audit, workdays
from gongkai.core import html as text
from gongkai.core import uploads as att
from gongkai.core.models import Organisation

from . import numbering
from .audit import AuditAction
from .links import link_label
from .models import (
    NORMATIVE_TYPES,
    Attachment,
    DocType,
    Publication,
    Source,
    State,
    Step,
    Topic,
    Transition,
    attachment_path,
)


def _msgid(label) -> str:
    """The Simplified Chinese source text of a lazy label, whatever language is active."""
    from django.utils import translation

    with translation.override(None):
        return str(label)


TYPE_ALIASES = {
    **{t.value: t.value for t in DocType},
    **{_msgid(t.label): t.value for t in DocType},
    "规范性文件": DocType.NORMATIVE,
    "政府规章": DocType.REGULATION,
    "政策": DocType.POLICY,
    "解读": DocType.INTERPRETATION,
    "通知": DocType.NOTICE,
    "公告": DocType.NOTICE,
    "预算": DocType.BUDGET,
    "决算": DocType.BUDGET,
    "预决算": DocType.BUDGET,
    "决策草案": DocType.DRAFT_DECISION,
    "其他": DocType.GENERAL,
}
TOPIC_ALIASES = {**{t.value: t.value for t in Topic}, **{_msgid(t.label): t.value for t in Topic}}
KNOWN_KEYS = {
    "type",
    "title",
    "document_number",
    "issuer",
    "made_on",
    "published_on",
    "effective_from",
    "expires_on",
    "body",
    "attachments",
    "topic",
    "url",
    "original_url",
    "id",
}
_DATE_CN = re.compile(r"^\s*(\d{4})\s*[年/.\-]\s*(\d{1,2})\s*[月/.\-]\s*(\d{1,2})\s*日?\s*$")


@dataclass
class RowError:
    line: int
    message: str
    title: str = ""


@dataclass
class ImportReport:
    total: int = 0
    imported: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)
    indexed: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_date(value, name: str, *, required: bool = False) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise ValueError(_("缺少%(field)s") % {"field": name})
        return None
    if not isinstance(value, str):
        raise ValueError(_("%(field)s格式不正确：%(value)r（应为 YYYY-MM-DD）") % {"field": name, "value": value})
    match = _DATE_CN.match(value)
    if not match:
        raise ValueError(
            _("%(field)s格式不正确：%(value)r（应为 YYYY-MM-DD 或 YYYY年M月D日）") % {"field": name, "value": value}
        )
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise ValueError(_("%(field)s不是有效日期：%(value)r") % {"field": name, "value": value}) from None


@dataclass
class _Row:
    line: int
    pub: Publication
    files: list[att.CheckedFile]
    links: list[tuple[str, str]]


class Importer:
    def __init__(self, *, unit: Organisation, base_dir: Path | None = None, actor=None, batch_size: int = 2000):
        self.unit = unit
        self.base_dir = Path(base_dir or ".")
        self.actor = actor
        self.batch_size = batch_size
        self.today = timezone.localdate()
        self.calendar = workdays.current_calendar()
        self.report = ImportReport()
        self.seen: set[tuple] = set()
        self.seen_urls: set[str] = set()
        for title, number, published_on, url in Publication.objects.filter(unit=unit).values_list(
            "title", "document_number", "published_on", "original_url"
        ):
            self.seen.add((title, number, published_on))
            if url:
                self.seen_urls.add(url)

    # --- one row ------------------------------------------------------------------
    def parse(self, line_no: int, raw: str) -> _Row | None:
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ValueError(
                _("不是有效的 JSON：%(msg)s（第 %(col)s 列）") % {"msg": exc.msg, "col": exc.colno}
            ) from None
        if not isinstance(data, dict):
            raise ValueError(_("每行应为一个 JSON 对象"))
        unknown = set(data) - KNOWN_KEYS
        if unknown:
            raise ValueError(_("未知字段：%(fields)s") % {"fields": "、".join(sorted(unknown))})
        doc_type = TYPE_ALIASES.get(str(data.get("type", "")).strip())
        if doc_type is None:
            raise ValueError(_("未知的信息类型：%(value)r") % {"value": data.get("type")})
        title = text.clean_title(str(data.get("title") or ""))
        if not title:
            raise ValueError(_("缺少标题"))
        if len(title) > 300:
            raise ValueError(_("标题超过300字"))
        made_on = parse_date(data.get("made_on"), _("成文日期"))
        published_on = parse_date(data.get("published_on"), _("发布日期"), required=True)
        effective_from = parse_date(data.get("effective_from"), _("施行日期"))
        expires_on = parse_date(data.get("expires_on"), _("失效日期"))
        if published_on > self.today:
            raise ValueError(_("发布日期晚于今天"))
        if made_on and made_on > published_on:
            raise ValueError(_("成文日期晚于发布日期"))
        if effective_from and expires_on and expires_on <= effective_from:
            raise ValueError(_("失效日期应晚于施行日期"))
        topic = TOPIC_ALIASES.get(str(data.get("topic") or "其他").strip())
        if topic is None:
            raise ValueError(_("未知的主题分类：%(value)r") % {"value": data.get("topic")})
        number = text.clean_title(str(data.get("document_number") or ""))[:100]
        issuer = text.clean_title(str(data.get("issuer") or "")) or self.unit.name
        url = str(data.get("url") or data.get("original_url") or "").strip()
        if url and not _is_url(url):
            raise ValueError(_("原网址不是 http(s) 地址：%(url)r") % {"url": url})
        if (url and url in self.seen_urls) or (title, number, published_on) in self.seen:
            return None  # already imported
        body = text.sanitize_html(str(data.get("body") or ""))
        files, links = self._attachments(data.get("attachments") or [], title=title)
        pub = Publication(
            unit=self.unit,
            doc_type=doc_type,
            title=title,
            body=body,
            plain_text=text.plain_text(body),
            topic=topic,
            issuer=issuer[:200],
            document_number=number,
            made_on=made_on,
            published_on=published_on,
            published_at=timezone.make_aware(dt.datetime.combine(published_on, dt.time(9, 0))),
            effective_from=effective_from if doc_type in NORMATIVE_TYPES else None,
            expires_on=expires_on if doc_type in NORMATIVE_TYPES else None,
            state=State.PUBLISHED,
            source=Source.IMPORT,
            original_url=url[:500],
            created_by=self.actor if getattr(self.actor, "pk", None) else None,
        )
        pub.due_on = pub.compute_due_on(calendar=self.calendar)  # the one computation of 应公开日期
        pub.is_late = pub.compute_is_late()
        self.seen.add((title, number, published_on))
        if url:
            self.seen_urls.add(url)
        return _Row(line_no, pub, files, links)

    def _attachments(self, items, *, title: str = "") -> tuple[list[att.CheckedFile], list[tuple[str, str]]]:
        if not isinstance(items, list):
            raise ValueError(_("attachments 应为列表"))
        files, links = [], []
        for item in items:
            if isinstance(item, str):
                name, ref = "", item.strip()
            elif isinstance(item, dict):
                name = str(item.get("name") or "")
                ref = str(item.get("url") or item.get("path") or "").strip()
            else:
                raise ValueError(_("附件应为路径、网址或 {name, path|url} 对象"))
            if not ref:
                raise ValueError(_("附件缺少路径或网址"))
            if _is_url(ref):
                links.append((link_label(ref, name=name, title=title, n=len(files) + len(links) + 1), ref[:1000]))
                continue
            path = (self.base_dir / ref).resolve()
            if not path.is_file():
                raise ValueError(_("附件文件不存在：%(path)s") % {"path": ref})
            size = path.stat().st_size
            if size > att.max_bytes():
                raise ValueError(
                    _("附件“%(name)s”过大（上限 %(mb)s MB）")
                    % {"name": path.name, "mb": att.max_bytes() // 1024 // 1024}
                )
            try:
                files.append(att.check_file(name or path.name, path.read_bytes()))
            except ValidationError as exc:
                raise ValueError("；".join(exc.messages)) from None
        return files, links

    # --- batches ------------------------------------------------------------------
    def run(self, lines: Iterable[str]) -> ImportReport:
        batch: list[_Row] = []
        for line_no, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            self.report.total += 1
            try:
                row = self.parse(line_no, raw)
            except ValueError as exc:
                title = _title_hint(raw)
                self.report.errors.append(RowError(line_no, str(exc), title))
                continue
            if row is None:
                self.report.skipped += 1
                continue
            batch.append(row)
            if len(batch) >= self.batch_size:
                self._write(batch)
                batch = []
        if batch:
            self._write(batch)
        return self.report

    @transaction.atomic
    def _write(self, rows: list[_Row]) -> None:
        groups: dict[tuple[str, int], list[Publication]] = defaultdict(list)
        for row in rows:
            groups[(numbering.category_for(row.pub.doc_type), row.pub.published_on.year)].append(row.pub)
        for (category, year), pubs in groups.items():
            numbers = numbering.reserve_index_numbers(
                unit_code=self.unit.code, category=category, year=year, count=len(pubs)
            )
            for pub, number in zip(pubs, numbers, strict=True):
                pub.index_number = number
        created = Publication.objects.bulk_create([r.pub for r in rows])
        if any(p.pk is None for p in created):  # backends without RETURNING: look the ids up
            by_number = dict(
                Publication.objects.filter(index_number__in=[p.index_number for p in created]).values_list(
                    "index_number", "pk"
                )
            )
            for p in created:
                p.pk = p.id = by_number[p.index_number]
        attachments, trail = [], []
        for row in rows:
            for order, checked in enumerate(row.files):
                a = Attachment(
                    publication=row.pub,
                    name=checked.name,
                    content_type=checked.content_type,
                    extension=checked.extension,
                    size=checked.size,
                    sha256=checked.sha256,
                    text=checked.text,
                    sort_order=order,
                )
                name = attachment_path(a, checked.name)
                storage = Attachment._meta.get_field("file").storage  # private: drafts not reachable by path
                if not storage.exists(name):
                    name = storage.save(name, ContentFile(checked.data))
                a.file.name = name
                attachments.append(a)
            for order, (label, url) in enumerate(row.links, start=len(row.files)):
                attachments.append(Attachment(publication=row.pub, name=label, external_url=url, sort_order=order))
            trail.append(
                Transition(
                    publication=row.pub,
                    step=Step.IMPORT,
                    from_state="",
                    to_state=State.PUBLISHED,
                    actor=None,
                    actor_name="历史数据导入",
                )
            )
        Attachment.objects.bulk_create(attachments, batch_size=1000)
        Transition.objects.bulk_create(trail, batch_size=1000)
        ids = [p.pk for p in created]
        audit.record(
            actor=self.actor if getattr(self.actor, "pk", None) else None,
            action=AuditAction.IMPORT,
            object_type="publications.publication",
            object_id=f"{ids[0]}-{ids[-1]}",
            object_repr=_("导入 %(n)s 条历史公开信息") % {"n": len(ids)},
            unit=self.unit,
            after={"count": len(ids), "ids": ids, "lines": [r.line for r in rows]},
        )
        self.report.imported += len(ids)
        self.report.ids.extend(ids)


def _is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def _title_hint(raw: str) -> str:
    try:
        data = json.loads(raw)
        return str(data.get("title", ""))[:60] if isinstance(data, dict) else ""
    except ValueError:
        return ""


def import_file(
    path: Path, *, unit: Organisation, actor=None, batch_size: int = 2000, index: bool = True
) -> ImportReport:
    """Import a JSONL file; then index the new items through the search backend's bulk path."""
    from . import indexing

    importer = Importer(unit=unit, base_dir=path.parent, actor=actor, batch_size=batch_size)
    with path.open(encoding="utf-8-sig") as handle:
        report = importer.run(_lines(handle))
    if index and report.ids:
        report.indexed = indexing.index_batch(report.ids)
    return report


def _lines(handle) -> Iterator[str]:
    yield from handle
