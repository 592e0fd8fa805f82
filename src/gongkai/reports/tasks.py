"""Background generation of every reporting unit's draft for a year, in parallel (Celery group + chord)."""

from __future__ import annotations

import logging

from celery import chord, shared_task
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from gongkai.core.models import Organisation

from . import engine, services
from .models import GenerationJob, JobStatus

log = logging.getLogger(__name__)


def start_generation(*, actor, root: Organisation, year: int) -> GenerationJob:
    """Create the job row and fan out one task per reporting unit; the chord's callback closes the job.

    Progress (done/failed out of total) is kept on the job row, which the workbench polls (htmx)."""
    from .models import AnnualReport, ReportStatus

    all_ids = list(engine.reporting_units(root).values_list("pk", flat=True))
    this_year = AnnualReport.objects.filter(unit_id__in=all_ids, year=year)
    drafts = set(this_year.filter(status=ReportStatus.DRAFT).values_list("unit_id", flat=True))
    # published and no correction draft under way: nothing to generate
    published = set(this_year.filter(status=ReportStatus.PUBLISHED).values_list("unit_id", flat=True)) - drafts
    unit_ids = [u for u in all_ids if u not in published]
    with transaction.atomic():
        job = GenerationJob.objects.create(
            root=root, year=year, total=len(unit_ids), skipped=len(published), requested_by=actor
        )
        from gongkai.core import audit

        audit.record(
            actor=actor,
            action="reports.job.start",
            obj=job,
            object_repr=f"{root.name} {year}年度报告批量生成",
            unit=root,
            after={"year": year, "units": len(unit_ids)},
        )
    header = [generate_unit_draft.s(str(job.pk), uid, year) for uid in unit_ids]
    if header:
        transaction.on_commit(lambda: chord(header)(finish_generation.si(str(job.pk))))
    else:
        transaction.on_commit(lambda: finish_generation.delay(str(job.pk)))
    return job


@shared_task(acks_late=True)
def generate_unit_draft(job_id: str, unit_id: int, year: int) -> bool:
    ok = True
    try:
        unit = Organisation.objects.get(pk=unit_id)
        services.report_generate(actor=None, unit=unit, year=year)
    except Exception as exc:  # one unit's failure (e.g. already published) must not stop the others
        ok = False
        log.info("draft for unit %s not generated: %s", unit_id, exc)
        msg = "；".join(getattr(exc, "messages", [str(exc)]))
        GenerationJob.objects.filter(pk=job_id).update(failed=F("failed") + 1)
        with transaction.atomic():
            job = GenerationJob.objects.select_for_update().get(pk=job_id)
            job.errors = (job.errors or []) + [{"unit": unit_id, "error": msg[:300]}]
            job.save(update_fields=["errors"])
    if ok:
        GenerationJob.objects.filter(pk=job_id).update(done=F("done") + 1)
    return ok


@shared_task
def finish_generation(job_id: str) -> None:
    job = GenerationJob.objects.get(pk=job_id)
    job.status = JobStatus.DONE if not job.failed else JobStatus.FAILED
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "finished_at"])
