"""Exports of the monthly recap (XLSX, CSV, PDF) as background jobs.

    start_export(actor, kind, month, args) -> ExportJob (queued; the job runs `run_export`)
    run_export(job_id)                     -> writes instance/exports/<token>.<kind>
    job_for(actor, token)                  -> the owner's job, else 404
    export_path(actor, token)              -> the finished, unexpired file of its owner, else 404

The job rebuilds the owner's scope (an export shows exactly what the owner's recap page shows)
and writes the file as it goes: XLSX with openpyxl's write-only workbook and CSV row by row, in
constant memory; PDF from templates/reports/document.html, the print page's template. Text
cells starting with =, +, -, @, a tab or a carriage return (after trimming) get a leading
apostrophe, so no spreadsheet runs them as formulas. Files expire after a setting.
"""

from __future__ import annotations

import csv
import json
import logging
import secrets
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import current_app, render_template
from flask_babel import gettext as _
from openpyxl import Workbook
from weasyprint import CSS, HTML

from portal import settings
from portal.clock import utcnow
from portal.errors import Invalid, NotFound
from portal.org.models import Employee, Unit
from portal.reports.models import (
    EXPORT_KINDS,
    FAILED,
    FINISHED,
    QUEUED,
    RUNNING,
    ExportJob,
)
from portal.reports.recap import (
    Filters,
    Month,
    Recap,
    clean_filters,
    employees_in,
    month_recap,
    parse_month,
)
from portal.reports.scope import Scope, require_recap, scope_for
from portal.web.formatting import angka

log = logging.getLogger("portal.reports")
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
PROGRESS_EVERY = 500
STYLESHEET = "css/recap-print.css"
MIMETYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "pdf": "application/pdf",
}


def neutralise(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str):
        trimmed = value.strip()
        if trimmed.startswith(DANGEROUS) or value.startswith(DANGEROUS):
            return "'" + trimmed
        return trimmed
    return value


def export_dir() -> Path:
    configured = current_app.config.get("EXPORT_DIR")
    path = Path(configured) if configured else Path(current_app.instance_path) / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _file(job: ExportJob) -> Path:
    return export_dir() / f"{job.token}.{job.kind}"


# A printed recap (the print page, the PDF) holds at most this many pegawai: a city's 20,000
# rows are hundreds of pages and 13 MB of HTML; XLSX and CSV hold any number.
PRINT_LIMIT = 2000


def too_many_to_print(scope: Scope, filters: Filters) -> int | None:
    """How many pegawai the recap of `filters` holds when that is more than PRINT_LIMIT, else
    None (one COUNT; a capaian filter only shortens the list)."""
    count = int(employees_in(scope, filters.unit, filters.jabatan).count())
    return count if count > PRINT_LIMIT else None


def start_export(actor: Any, kind: str, month: Month, args: dict[str, str]) -> ExportJob:
    """Queue an export of the recap `actor` sees for `month` with the filters `args`."""
    scope = require_recap(actor)
    if kind not in EXPORT_KINDS:
        raise Invalid(_("Choose XLSX, CSV or PDF."), "format")
    if kind == "pdf":
        count = too_many_to_print(scope, _filters_of(args, scope)[1])
        if count:
            raise Invalid(too_many_message(count), "format")
    job = ExportJob.create(
        token=secrets.token_urlsafe(24),
        owner=actor.id,
        kind=kind,
        params=json.dumps({"bulan": month.key, **args}),
        status=QUEUED,
    )
    # The task module imports this one: queue through it (a real cycle otherwise).
    from portal.reports.tasks import export_task

    export_task(job.id)
    return ExportJob.get_by_id(job.id)


def too_many_message(count: int) -> str:
    return _(
        "This recap holds %(count)s pegawai, too many to print (at most %(limit)s). Choose a "
        "unit, or download it as XLSX or CSV.",
        count=angka(count),
        limit=angka(PRINT_LIMIT),
    )


def job_for(actor: Any, token: str) -> ExportJob:
    """The job with this token, only for the one who asked (404 for anyone else)."""
    job = ExportJob.get_or_none(ExportJob.token == (token or "")[:64])
    if job is None or job.owner_id != getattr(actor, "id", None):
        raise NotFound(_("The export was not found."))
    return job


def export_path(actor: Any, token: str) -> tuple[ExportJob, Path]:
    job = job_for(actor, token)
    path = _file(job)
    if job.status != FINISHED or not path.is_file() or (job.expires_at or utcnow()) < utcnow():
        raise NotFound(_("The export was not found."))
    return job, path


def _filters_of(params: dict[str, Any], scope: Any) -> tuple[Month, Filters]:
    month = parse_month(params.get("bulan"))
    unit = None
    if params.get("unit"):
        unit = Unit.get_or_none(Unit.id == int(params["unit"]))
        if unit is not None and not scope.may_open_unit(unit):
            unit = None
    cleaned = clean_filters(
        params.get("jabatan", ""),
        params.get("capaian", ""),
        params.get("urut", "nama"),
        params.get("arah", "naik"),
    )
    return month, Filters(unit=unit, **cleaned)


def run_export(job_id: int) -> None:
    """Build the file of a queued job, updating its progress; a failure marks it failed."""
    claimed = (
        ExportJob.update(status=RUNNING, updated_at=utcnow())
        .where(ExportJob.id == job_id, ExportJob.status == QUEUED)
        .execute()
    )
    if not claimed:
        return
    job = ExportJob.get_by_id(job_id)
    try:
        owner = Employee.get_by_id(job.owner_id)
        scope = scope_for(owner)
        month, filters = _filters_of(json.loads(job.params), scope)
        recap = month_recap(scope, month, filters)
        ExportJob.update(total=len(recap.rows)).where(ExportJob.id == job.id).execute()
        target = _file(job)
        partial = target.with_suffix(target.suffix + ".part")
        WRITERS[job.kind](recap, partial, job)
        partial.replace(target)
        hours = settings.get("reports.export_keep_hours")
        ExportJob.update(
            status=FINISHED,
            done=len(recap.rows),
            filename=file_name(recap, job.kind),
            expires_at=utcnow() + timedelta(hours=hours),
            updated_at=utcnow(),
        ).where(ExportJob.id == job.id).execute()
    except Exception as error:  # a failed export is shown on its page, never lost silently
        log.exception("export %s failed", job.id)
        ExportJob.update(status=FAILED, error=str(error)[:500], updated_at=utcnow()).where(
            ExportJob.id == job.id
        ).execute()


def file_name(recap: Recap, kind: str) -> str:
    unit = recap.filters.unit
    where = unit.kode if unit is not None else "semua"
    return f"rekap-{recap.month.key}-{where}.{kind}"


def headers() -> list[str]:
    return [
        _("NIP"),
        _("Name"),
        _("Unit"),
        _("Jabatan"),
        _("Working days"),
        _("Days with entries"),
        _("Minutes submitted"),
        _("Minutes approved"),
        _("Target"),
        _("Capaian (%)"),
        _("Waiting"),
        _("Returned"),
        _("JP this year"),
        _("Predikat"),
        _("Kehadiran (%)"),
        _("TPP kinerja (%)"),
        _("TPP kehadiran (%)"),
        _("TPP total (%)"),
        _("Closed"),
    ]


def _cells(recap: Recap, job: ExportJob) -> Iterator[list[Any]]:
    yes, no = _("yes"), _("no")
    for index, row in enumerate(recap.rows, start=1):
        employee = row.employee
        yield [
            neutralise(value)
            for value in (
                employee.nip,
                employee.nama,
                employee.unit.nama,
                employee.jabatan or employee.jenis_jabatan,
                row.working_days,
                row.days_with_entries,
                row.minutes_submitted,
                row.minutes_approved,
                row.target,
                row.capaian,
                row.waiting,
                row.returned,
                row.jp,
                row.predikat,
                None if row.kehadiran is None else row.kehadiran / 100,
                row.tpp_kinerja,
                row.tpp_kehadiran,
                row.tpp_total,
                yes if row.closed else no,
            )
        ]
        if index % PROGRESS_EVERY == 0:
            ExportJob.update(done=index).where(ExportJob.id == job.id).execute()


def write_xlsx(recap: Recap, path: Path, job: ExportJob) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Recap %(month)s", month=recap.month.key))
    sheet.append(headers())
    for cells in _cells(recap, job):
        sheet.append(cells)
    workbook.save(str(path))


def write_csv(recap: Recap, path: Path, job: ExportJob) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers())
        for cells in _cells(recap, job):
            writer.writerow(["" if cell is None else cell for cell in cells])


def _refuse(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError(f"the recap document fetches nothing ({url[:60]})")


def render_document(recap: Recap, pdf: bool = False) -> str:
    return render_template("reports/document.html", recap=recap, pdf=pdf)


def write_pdf(recap: Recap, path: Path, job: ExportJob) -> None:
    stylesheet = Path(current_app.static_folder or "static") / STYLESHEET
    html = render_document(recap, pdf=True)
    HTML(string=html, url_fetcher=_refuse).write_pdf(
        str(path), stylesheets=[CSS(filename=str(stylesheet))]
    )


WRITERS = {"xlsx": write_xlsx, "csv": write_csv, "pdf": write_pdf}


def delete_expired() -> int:
    """Delete the files (and rows) of exports past their expiry; returns how many."""
    now = utcnow()
    gone = 0
    for job in ExportJob.select().where(ExportJob.expires_at < now):
        for path in (_file(job), _file(job).with_suffix(f".{job.kind}.part")):
            path.unlink(missing_ok=True)
        job.delete_instance()
        gone += 1
    return gone
