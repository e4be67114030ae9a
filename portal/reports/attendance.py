"""The kehadiran import: a CSV or XLSX export of the attendance system with the columns
nip, tahun, bulan, kehadiran (a percentage, "97,5" or "97.5").

Like the personnel import: `validate` reads every row and reports every bad one (unknown NIP,
a pegawai outside the importer's units, a month in the future or already closed, a percentage
outside 0..100, a row twice); `apply` writes only a clean file, all rows in one transaction
(a pegawai's month imported again is replaced). Audited as one action.
"""

from __future__ import annotations

import json
import secrets
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, BinaryIO, cast

from flask_babel import gettext as _

from portal import settings
from portal.audit.services import record
from portal.clock import local_today, utcnow
from portal.db import write_transaction
from portal.errors import NotFound
from portal.org import import_file
from portal.org.models import Employee, Unit
from portal.org.services import can_admin_unit
from portal.reports.exports import export_dir
from portal.reports.models import (
    CLOSED,
    FAILED,
    FINISHED,
    IMPORT_KIND,
    QUEUED,
    RUNNING,
    Attendance,
    ExportJob,
    MonthClosure,
    RecapSnapshot,
)
from portal.reports.scope import can_import_attendance

COLUMNS = ["nip", "tahun", "bulan", "kehadiran"]
MAX_ROWS = 100_000
CHUNK = 500


@dataclass
class Plan:
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    imported: int = 0


def read(stream: BinaryIO, filename: str | None) -> list[dict[str, Any]]:
    """[{nip, tahun, bulan, kehadiran, line}] (raises ImportFileError for an unreadable file)."""
    table = import_file._open_table(stream, filename)  # the personnel import's reader
    try:
        header = [str(cell or "").strip().lower() for cell in next(table)]
    except StopIteration:
        raise import_file.ImportFileError(_("The file is empty.")) from None
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise import_file.ImportFileError(
            _("Required columns are missing: %(columns)s.", columns=", ".join(missing))
        )
    index = {column: header.index(column) for column in COLUMNS}
    rows = []
    for line, cells in enumerate(table, start=2):
        values = [import_file._text(cell) for cell in cells]
        if not any(values):
            continue
        row: dict[str, Any] = {
            column: values[position] if position < len(values) else ""
            for column, position in index.items()
        }
        row["line"] = line
        rows.append(row)
        if len(rows) > MAX_ROWS:
            raise import_file.ImportFileError(_("The file has too many rows."))
    return rows


def _percent(text: str) -> int | None:
    """'97,5' -> 9750 basis points; None when not a number in 0..100 with 2 decimals at most."""
    try:
        value = Decimal(text.replace(",", ".").rstrip("%").strip())
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value > 100 or value != round(value, 2):
        return None
    return int(value * 100)


def validate(actor: Any, rows: list[dict[str, Any]]) -> Plan:
    """Check every row (a fixed number of queries); the plan lists every problem."""
    plan = Plan()
    nips = {row["nip"] for row in rows if row["nip"]}
    employees = {
        employee.nip: employee
        for employee in Employee.select(Employee, Unit)
        .join(Unit, on=(Employee.unit == Unit.id))
        .where(Employee.nip.in_(list(nips) or [""]))
    }
    snapshot_keys = (
        RecapSnapshot.select(RecapSnapshot.employee, RecapSnapshot.tahun, RecapSnapshot.bulan)
        .join(MonthClosure)
        .where(
            MonthClosure.status == CLOSED,
            RecapSnapshot.employee.in_([e.id for e in employees.values()] or [0]),
        )
        .tuples()
    )
    closed = set(cast(Iterable[tuple[int, int, int]], snapshot_keys))
    today = local_today()
    seen: set[tuple[int, int, int]] = set()
    for row in rows:
        line = row["line"]
        employee = employees.get(row["nip"])
        if employee is None or not can_admin_unit(actor, employee.unit):
            plan.errors.append((line, _("No pegawai with this NIP in the units you manage.")))
            continue
        try:
            tahun, bulan = int(row["tahun"]), int(row["bulan"])
        except ValueError:
            plan.errors.append((line, _("Tahun and bulan must be numbers.")))
            continue
        if not (2000 <= tahun <= 2100 and 1 <= bulan <= 12):
            plan.errors.append((line, _("Tahun and bulan must be a real month.")))
            continue
        if (tahun, bulan) > (today.year, today.month):
            plan.errors.append((line, _("The month may not be in the future.")))
            continue
        points = _percent(row["kehadiran"])
        if points is None:
            plan.errors.append((line, _("Kehadiran must be a percentage from 0 to 100.")))
            continue
        key = (employee.id, tahun, bulan)
        if key in seen:
            plan.errors.append((line, _("This pegawai and month appear twice in the file.")))
            continue
        seen.add(key)
        if key in closed:
            plan.errors.append((line, _("This month is closed for the pegawai's unit.")))
            continue
        plan.rows.append({"employee": employee.id, "tahun": tahun, "bulan": bulan, "bp": points})
    return plan


def apply(actor: Any, plan: Plan, filename: str = "") -> Plan:
    """Write a clean plan (nothing when it has errors), all rows or none."""
    if plan.errors or not plan.rows:
        return plan
    months: dict[tuple[int, int], list[int]] = {}
    for row in plan.rows:
        months.setdefault((row["tahun"], row["bulan"]), []).append(row["employee"])
    with write_transaction():
        for (tahun, bulan), ids in months.items():
            for start in range(0, len(ids), CHUNK):
                Attendance.delete().where(
                    Attendance.employee.in_(ids[start : start + CHUNK]),
                    Attendance.tahun == tahun,
                    Attendance.bulan == bulan,
                ).execute()
        fresh = [
            {
                "employee": row["employee"],
                "tahun": row["tahun"],
                "bulan": row["bulan"],
                "basis_points": row["bp"],
                "imported_by": actor.id,
            }
            for row in plan.rows
        ]
        for start in range(0, len(fresh), CHUNK):
            Attendance.insert_many(fresh[start : start + CHUNK]).execute()
        record(
            actor,
            "attendance.imported",
            filename or "kehadiran",
            after={"rows": len(plan.rows)},
            object_type="Attendance",
        )
    plan.imported = len(plan.rows)
    return plan


def import_attendance(actor: Any, stream: BinaryIO, filename: str | None) -> Plan:
    """Read, validate every row, and import only a clean file (at once, in the caller)."""
    if not can_import_attendance(actor):
        raise NotFound(_("The page does not exist."))
    rows = read(stream, filename)
    if not rows:
        raise import_file.ImportFileError(_("The file has no rows."))
    return apply(actor, validate(actor, rows), filename or "")


# --- as a background job --------------------------------------------------------------------


def _upload_path(job: ExportJob) -> Path:
    suffix = ".xlsx" if job.filename.lower().endswith(".xlsx") else ".csv"
    return export_dir() / f"{job.token}.upload{suffix}"


def start_import(actor: Any, stream: BinaryIO, filename: str | None) -> ExportJob:
    """Keep the uploaded file and queue its import; the page polls the job."""
    if not can_import_attendance(actor):
        raise NotFound(_("The page does not exist."))
    name = (filename or "").strip()
    if not name.lower().endswith((".csv", ".xlsx")):
        raise import_file.ImportFileError(_("Upload a CSV or XLSX file."))
    job = ExportJob.create(
        token=secrets.token_urlsafe(24),
        owner=actor.id,
        kind=IMPORT_KIND,
        filename=name[-200:],
        status=QUEUED,
    )
    with open(_upload_path(job), "wb") as handle:
        shutil.copyfileobj(stream, handle)
    # The task module imports this one: queue through it (a real cycle otherwise).
    from portal.reports.tasks import import_task

    import_task(job.id)
    return ExportJob.get_by_id(job.id)


def run_import(job_id: int) -> None:
    """The queued import: read, validate (progress on the job), apply a clean file; the
    outcome (rows imported, every bad row) is kept on the job for its page."""
    claimed = (
        ExportJob.update(status=RUNNING, updated_at=utcnow())
        .where(ExportJob.id == job_id, ExportJob.status == QUEUED)
        .execute()
    )
    if not claimed:
        return
    job = ExportJob.get_by_id(job_id)
    path = _upload_path(job)
    try:
        actor = Employee.get_by_id(job.owner_id)
        with open(path, "rb") as handle:
            rows = read(handle, job.filename)
        if not rows:
            raise import_file.ImportFileError(_("The file has no rows."))
        ExportJob.update(total=len(rows)).where(ExportJob.id == job.id).execute()
        plan = apply(actor, validate(actor, rows), job.filename)
        outcome = {"imported": plan.imported, "errors": plan.errors}
        ExportJob.update(
            status=FINISHED,
            done=len(rows),
            result=json.dumps(outcome),
            expires_at=_expiry(),
            updated_at=utcnow(),
        ).where(ExportJob.id == job.id).execute()
    except import_file.ImportFileError as error:
        ExportJob.update(
            status=FAILED, error=str(error), expires_at=_expiry(), updated_at=utcnow()
        ).where(ExportJob.id == job.id).execute()
    finally:
        path.unlink(missing_ok=True)


def _expiry() -> Any:
    return utcnow() + timedelta(hours=settings.get("reports.export_keep_hours"))


def outcome_of(job: ExportJob) -> dict[str, Any] | None:
    """{"imported": n, "errors": [[line, message], ...]} of a finished import, else None."""
    if job.status != FINISHED or not job.result:
        return None
    return json.loads(job.result)
