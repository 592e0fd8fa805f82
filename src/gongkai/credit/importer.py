"""CSV/XLSX import of licences and penalties in the national template (row-level errors,
all-or-nothing by default) and the CSV export in the same column order.

The import streams: rows are validated with :func:`gongkai.credit.validation.clean` (the same
check as the form and the API; no query per row: duplicates within the file are found in a set,
existing numbers with one query per chunk, derived dates come from per-import caches) and
written in chunks inside one transaction: with ``COPY … FROM STDIN`` on PostgreSQL (keys taken
from the table's sequence first, so the import knows them), with ``bulk_create`` elsewhere. One
audit event records the file with its counts; search indexing runs after the commit as
background tasks in batches of :data:`INDEX_BATCH`. In the default all-or-nothing mode any error rolls the whole file back and the
report lists every bad row (up to :data:`MAX_ERRORS`); ``partial=True`` keeps the good rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import JSONField
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import audit, uploads, workdays
from gongkai.core.models import Organisation

from . import services, template, validation
from .models import Severity, State

log = logging.getLogger(__name__)

CHUNK = 2000
MAX_ERRORS = 1000
MAX_CSV_BYTES = 512 * 1024 * 1024


@dataclass
class RowError:
    row: int  # spreadsheet row number (1 = first line of the file)
    column: str  # template header, or "" for the whole row
    message: str

    def __str__(self) -> str:
        where = _("第%(row)s行") % {"row": self.row}
        return f"{where}{('“' + self.column + '”') if self.column else ''}：{self.message}"


@dataclass
class ImportResult:
    kind: str
    total: int = 0
    created: int = 0
    published: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    committed: bool = False
    ids: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error_count == 0


class ImportAborted(Exception):
    """Raised inside the import transaction to roll it back (all-or-nothing)."""


# --- reading files ----------------------------------------------------------------------


def _encoding(data: bytes) -> str:
    """UTF-8 (with or without BOM) or GB18030 (GBK), judged on the first megabyte."""
    head = data[: 1 << 20]
    if len(data) > len(head):
        head = head[: head.rfind(b"\n") + 1] or head
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    raise ValidationError(_("无法识别文件编码，请以 UTF-8 或 GBK 编码保存 CSV 文件"))


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    """Rows streamed from the bytes (no second copy of a large file as one string)."""
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=_encoding(data), newline="")
    try:
        yield from csv.reader(stream)
    except UnicodeDecodeError as exc:
        raise ValidationError(_("文件编码不一致，请以 UTF-8 或 GBK 编码重新保存 CSV 文件")) from exc


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def read_rows(name: str, data: bytes) -> Iterator[list[Any]]:
    """Rows of a CSV or XLSX file (type sniffed from the content, not the name)."""
    if data[:4] == b"PK\x03\x04":
        uploads.check_file(
            name if name.lower().endswith(".xlsx") else name + ".xlsx", data, allowed={"xlsx"}, extract=False
        )
        import openpyxl

        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            for row in sheet.iter_rows(values_only=True):
                yield [_cell(v) for v in row]
        finally:
            workbook.close()
        return
    if len(data) > MAX_CSV_BYTES:
        raise ValidationError(_("文件过大"))
    if b"\x00" in data[:4096]:
        raise ValidationError(_("“%(name)s”不是 CSV 或 XLSX 文件") % {"name": name})
    uploads.check_text_file(name, data, limit=MAX_CSV_BYTES)
    yield from _csv_rows(data)


def _header_map(kind: str, row: list[Any]) -> dict[int, template.Column] | None:
    cells = [str(c or "").strip() for c in row]
    if "行政相对人名称" not in cells:
        return None
    by_alias = {}
    for column in template.columns(kind, with_severity=True):
        for alias in template.header_aliases(column.header):
            by_alias[alias] = column
    return {i: by_alias[c] for i, c in enumerate(cells) if c in by_alias}


# --- the import -----------------------------------------------------------------------------


class Importer:
    """``Importer(actor=, unit=, kind=).run(name, data)``: one file for one deciding unit."""

    def __init__(
        self,
        *,
        actor,
        unit: Organisation,
        kind: str,
        publish: bool = True,
        partial: bool = False,
        dry_run: bool = False,
        source: str = "import",
        index: bool = True,
    ):
        services.model_for(kind)
        services.require_editor(actor, unit)
        self.actor, self.unit, self.kind = actor, unit, kind
        self.model = services.model_for(kind)
        self.publish, self.partial, self.dry_run = publish, partial, dry_run
        self.source, self.index = source, index
        self.today = timezone.localdate()
        self.calendar = workdays.current_calendar()
        self._due_cache: dict[dt.date, dt.date | None] = {}
        self._display_cache: dict[tuple[dt.date, str], dt.date | None] = {}
        self._plan = None

    def run(self, name: str, data: bytes) -> ImportResult:
        result = ImportResult(kind=self.kind)
        try:
            with transaction.atomic():
                self._import(read_rows(name, data), result)
                if result.error_count and not self.partial:
                    raise ImportAborted
                if self.dry_run:
                    raise ImportAborted
                audit.record(
                    actor=self.actor,
                    action=services.CreditAudit.IMPORT,
                    object_type=self.model._meta.label_lower,
                    object_repr=name[:200],
                    unit=self.unit,
                    after={
                        "file": name,
                        "kind": self.kind,
                        "rows": result.total,
                        "created": result.created,
                        "published": result.published,
                        "errors": result.error_count,
                        "first_id": min(result.ids) if result.ids else None,
                        "last_id": max(result.ids) if result.ids else None,
                    },
                )
                result.committed = True
                if self.index and result.published:
                    ids = list(result.ids)
                    transaction.on_commit(lambda: _index_later(self.kind, ids))
        except ImportAborted:
            result.committed = False
        except IntegrityError as exc:  # another import or entry wrote the same decision number meanwhile
            raise ValidationError(
                _("导入期间另有记录使用了相同的文号，本次导入未保存任何记录，请重新导入以查看重复的行")
            ) from exc
        if not result.committed:
            result.created = result.published = 0
            result.ids = []
        return result

    # -- rows --

    def _error(self, result: ImportResult, row: int, column: str, message: str) -> None:
        result.error_count += 1
        if len(result.errors) < MAX_ERRORS:
            result.errors.append(RowError(row, column, message))

    def _import(self, rows: Iterable[list[Any]], result: ImportResult) -> None:
        header: dict[int, template.Column] | None = None
        seen: dict[str, int] = {}
        chunk: list[tuple[int, Any]] = []
        headers_by_field = {c.field: c.header for c in template.columns(self.kind, with_severity=True)}
        for number, row in enumerate(rows, start=1):
            if header is None:
                header = _header_map(self.kind, row)
                if header is not None:
                    missing = [
                        c.header
                        for c in template.COLUMNS[self.kind]
                        if c.required and c.field not in template.DEFAULTED and c not in header.values()
                    ]
                    if missing:
                        self._error(result, number, "", _("缺少必填列：%(cols)s") % {"cols": "、".join(missing)})
                        return
                continue
            if not any(str(v or "").strip() for v in row):
                continue
            result.total += 1
            raw = {col.field: row[i] if i < len(row) else None for i, col in header.items()}
            try:
                values = validation.clean(self.kind, raw, today=self.today)
            except ValidationError as exc:
                for fname, messages in exc.message_dict.items():
                    for message in messages:
                        self._error(result, number, headers_by_field.get(fname, ""), message)
                continue
            dup = seen.get(values["decision_number"])
            if dup:
                self._error(
                    result, number, headers_by_field["decision_number"], _("与第%(row)s行文号重复") % {"row": dup}
                )
                continue
            seen[values["decision_number"]] = number
            chunk.append((number, values))
            if len(chunk) >= CHUNK:
                self._flush(chunk, result)
                chunk = []
        if header is None:
            self._error(result, 1, "", _("未找到表头行（第一列应为“行政相对人名称”），请使用国家双公示数据模板"))
            return
        if chunk:
            self._flush(chunk, result)

    def _due(self, decided_on: dt.date):
        if decided_on not in self._due_cache:
            self._due_cache[decided_on] = services.safe_publication_due(decided_on, self.calendar)
        return self._due_cache[decided_on]

    def _display_until(self, values: dict):
        """The default 公示截止期 (one deadline computation per decision date and severity)."""
        if values.get("display_until") or values.get("severity") == Severity.MINOR:
            return values.get("display_until")
        key = (values["decided_on"], values.get("severity") or Severity.ORDINARY)
        if key not in self._display_cache:
            self._display_cache[key] = services.default_display_until(values)
        return self._display_cache[key]

    def _flush(self, chunk: list[tuple[int, dict]], result: ImportResult) -> None:
        numbers = [v["decision_number"] for _n, v in chunk]
        existing = set(
            self.model.objects.filter(unit=self.unit, decision_number__in=numbers).values_list(
                "decision_number", flat=True
            )
        )
        header = dict((c.field, c.header) for c in template.COLUMNS[self.kind])["decision_number"]
        rows = []
        for number, values in chunk:
            if values["decision_number"] in existing:
                self._error(result, number, header, _("本单位已有该文号的记录"))
                continue
            values = self._derive(values)
            publish = self.publish and self._may_publish(values)
            rows.append((values, publish))
            result.published += int(publish)
        if result.error_count and not self.partial:
            return  # the file will be rolled back: validate the rest, write nothing more
        ids = self._write(rows)
        result.created += len(rows)
        result.ids.extend(ids)

    # -- writing --

    def _write(self, rows: list[tuple[dict, bool]]) -> list[int]:
        """Insert the rows; returns their primary keys. PostgreSQL: ``COPY`` with keys taken
        from the table's sequence beforehand; other databases: ``bulk_create``."""
        if not rows:
            return []
        if connection.vendor == "postgresql":
            return self._copy(rows)
        return self._bulk_create(rows)

    def _bulk_create(self, rows: list[tuple[dict, bool]]) -> list[int]:
        now = timezone.now()
        objs = [
            self.model(
                unit=self.unit,
                source=self.source,
                created_by=services._user(self.actor),
                state=State.PUBLISHED if publish else State.DRAFT,
                published_at=now if publish else None,
                **values,
            )
            for values, publish in rows
        ]
        self.model.objects.bulk_create(objs, batch_size=CHUNK)
        return [o.pk for o in objs if o.pk is not None]

    def _copy_plan(self):
        """(column names, per field: where its value comes from) for COPY, built once."""
        if self._plan is None:
            now = timezone.now()
            user = services._user(self.actor)
            fixed = {
                "unit_id": self.unit.pk,
                "source": self.source,
                "created_by_id": user.pk if user else None,
                "created_at": now,
                "updated_at": now,
            }
            fields = [f for f in self.model._meta.concrete_fields if not f.primary_key]
            plan = []
            for f in fields:
                if f.attname in ("state", "published_at"):
                    plan.append((f.attname, "lifecycle", None))
                elif f.attname in fixed:
                    plan.append((f.attname, "fixed", fixed[f.attname]))
                elif isinstance(f, JSONField):
                    plan.append((f.attname, "json", f))
                else:
                    plan.append((f.attname, "value", f.get_default()))
            pk = self.model._meta.pk
            columns = [pk.column, *(f.column for f in fields)]
            self._plan = (columns, plan, now)
        return self._plan

    def _copy(self, rows: list[tuple[dict, bool]]) -> list[int]:
        columns, plan, now = self._copy_plan()
        known = {name for name, _how, _x in plan}
        table = self.model._meta.db_table
        quote = connection.ops.quote_name
        # wrap_database_errors: psycopg's own errors (a concurrent duplicate number) become Django's
        with connection.cursor() as cursor, connection.wrap_database_errors:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, self.model._meta.pk.column, len(rows)],
            )
            ids = [r[0] for r in cursor.fetchall()]
            sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for pk, (values, publish) in zip(ids, rows, strict=True):
                    unknown = values.keys() - known
                    if unknown:
                        raise ValueError(f"not a {self.kind} field: {sorted(unknown)}")
                    out = [pk]
                    for name, how, extra in plan:
                        if how == "value":
                            out.append(values.get(name, extra))
                        elif how == "fixed":
                            out.append(extra)
                        elif how == "json":
                            value = values[name] if name in values else extra.get_default()
                            out.append(json.dumps(value, cls=extra.encoder))
                        elif name == "state":
                            out.append(State.PUBLISHED.value if publish else State.DRAFT.value)
                        else:  # published_at
                            out.append(now if publish else None)
                    copy.write_row(out)
        return ids

    def _derive(self, values: dict) -> dict:
        values = dict(values)
        values["authority_name"] = values.get("authority_name") or self.unit.name
        values["authority_code"] = values.get("authority_code") or self.unit.credit_code
        values["source_unit_name"] = values.get("source_unit_name") or self.unit.name
        values["source_unit_code"] = values.get("source_unit_code") or self.unit.credit_code
        values["publication_due"] = self._due(values["decided_on"])
        if self.kind == "penalty":
            values["display_until"] = self._display_until(values)
        else:
            values.pop("severity", None)
            values.pop("display_until", None)
        return values

    def _may_publish(self, values: dict) -> bool:
        """The publish transition's conditions, checked for a row created as published."""
        if values["decided_on"] > self.today:
            return False
        return not (
            self.kind == "penalty" and values.get("severity") == Severity.MINOR and not values.get("display_until")
        )


INDEX_BATCH = 5000


def _index_later(kind: str, ids: list[int]) -> None:
    """Hand the imported records to the search index in batches, as background tasks (run
    in-process when Celery is eager, i.e. the embedded install). Never raises: a record left
    out is repaired by ``gongkai reindex --kind credit``."""
    from . import tasks

    for i in range(0, len(ids), INDEX_BATCH):
        batch = ids[i : i + INDEX_BATCH]
        try:
            if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
                tasks.index_imported.apply(args=[kind, batch], throw=False)
            else:
                tasks.index_imported.delay(kind, batch)
        except Exception:  # broker down
            log.exception("credit: could not queue the indexing of %d imported records", len(batch))


# --- export -----------------------------------------------------------------------------------


def export_value(record, column: template.Column) -> str:
    value = getattr(record, column.field)
    if value in (None, ""):
        return ""
    if column.kind == "date":
        return value.isoformat()
    if column.kind == "money":
        return format(value.normalize(), "f") if value else "0"
    if column.kind == "multi":
        return ";".join(template.LABELS["penalty_types"].get(v, v) for v in value)
    if column.kind == "choice":
        return str(template.LABELS.get(column.field, {}).get(value, value))
    return str(value)


def export_csv(kind: str, records: Iterable, out) -> int:
    """Write ``records`` as CSV in the national template's column order (UTF-8 with BOM, which
    Excel and the provincial platforms read). Returns the number of rows."""
    columns = template.COLUMNS[kind]
    writer = csv.writer(out)
    writer.writerow([c.header for c in columns])
    n = 0
    for record in records:
        writer.writerow([export_value(record, c) for c in columns])
        n += 1
    return n


def template_xlsx(kind: str) -> bytes:
    """An empty XLSX in the template's column order (header row), for units to fill in."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = str(template.KIND_LABELS[kind])
    sheet.append([c.header for c in template.columns(kind, with_severity=True)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
