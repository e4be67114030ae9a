"""Admin area rules: who may open it, the settings page, the pegawai list, the audit log and
the import runs. Unit/pegawai/role changes themselves live in portal.org.services."""

from __future__ import annotations

import json
import re
import secrets
import shutil
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, BinaryIO

import peewee as pw
from flask import current_app
from flask_babel import gettext as _

from portal import clock, settings
from portal.admin.models import ImportJob
from portal.audit.models import AuditLog
from portal.audit.services import record
from portal.clock import timezone
from portal.db import kept, write_transaction
from portal.errors import Forbidden, NotFound
from portal.org import import_file, importer
from portal.org.models import Employee, RoleAssignment, Unit
from portal.org.services import (
    admin_units,
    can_admin_unit,
    can_manage_employee,
    is_admin,
    is_any_admin,
)
from portal.settings.models import Setting
from portal.web import pagination

PAGE_SIZE = 25


def can_open_admin(actor: Employee | None) -> bool:
    """Admin and admin OPD open /admin."""
    return is_any_admin(actor)


def can_edit_settings(actor: Employee | None) -> bool:
    """Only the admin of the whole pemda changes the settings."""
    return is_admin(actor)


def can_browse_audit(actor: Employee | None) -> bool:
    """The admin browses the whole audit log; an admin OPD the rows about the pegawai and
    units of their subtree."""
    return is_any_admin(actor)


# --- pagination -----------------------------------------------------------------------------


def paginate(
    query: pw.ModelSelect,
    number: int,
    args: dict[str, Any],
    size: int = PAGE_SIZE,
    count_query: pw.ModelSelect | None = None,
) -> pagination.Page:
    return pagination.paginate(query, number, args, size, count_query)


# --- pegawai list ---------------------------------------------------------------------------


def employee_page(
    actor: Employee,
    text: str,
    unit_id: int | None,
    show_inactive: bool,
    number: int,
    args: dict[str, Any],
) -> pagination.Page:
    """One page of the pegawai `actor` may manage: the count and the page, each statement
    compiled once per key (`portal.db.kept`: the actor's reach, the filters, the unit's path)."""
    unit = Unit.get_or_none(Unit.id == unit_id) if unit_id else None
    reach = None if is_admin(actor) else tuple(u.path for u in admin_units(actor))
    key = ("admin.employees", reach, text, unit.path if unit else None, show_inactive)
    return pagination.paginate(
        employee_query(actor, text, unit, show_inactive),
        number,
        args,
        PAGE_SIZE,
        employee_query(actor, text, unit, show_inactive, for_count=True),
        key,
    )


def employee_query(
    actor: Employee,
    text: str = "",
    unit: Unit | None = None,
    show_inactive: bool = False,
    for_count: bool = False,
) -> pw.ModelSelect[Employee]:
    """Pegawai the actor may manage, with unit and atasan joined (one query per page);
    `for_count` leaves out the atasan join and the ordering (the count needs neither)."""
    if for_count:
        query = Employee.select(Employee.id).join(Unit, on=(Employee.unit == Unit.id))
    else:
        Supervisor = Employee.alias()
        # A LEFT join (every pegawai has a unit: the same rows) keeps the pegawai first in the
        # plan, read in name order from the (active, nama) index up to the page's end; as an
        # inner join MariaDB started from the units and sorted every pegawai (16.6 ms -> 0.8 ms
        # at 2,000 pegawai).
        # Only the list's columns: converting every column of three models was most of the
        # page's time (about 75 values a row).
        query = (
            Employee.select(
                Employee.id,
                Employee.nama,
                Employee.nip,
                Employee.jabatan,
                Employee.golongan,
                Employee.active,
                Employee.unit,
                Employee.supervisor,
                Unit.id,
                Unit.nama,
                Supervisor.id,
                Supervisor.nama,
            )
            .join(Unit, pw.JOIN.LEFT_OUTER, on=(Employee.unit == Unit.id))
            .switch(Employee)
            .join(Supervisor, pw.JOIN.LEFT_OUTER, on=(Employee.supervisor == Supervisor.id))
            .order_by(Employee.nama, Employee.id)
        )
    if not is_admin(actor):
        query = query.where(Unit.path_within(admin_units(actor)))
    text = (text or "").strip()
    if text:
        digits = text.replace(" ", "")
        if digits.isdigit():
            query = query.where(Employee.nip.startswith(digits))
        else:
            query = query.where(Employee.nama.contains(text) | Employee.email.contains(text))
    if unit is not None:
        query = query.where(Unit.path.startswith(unit.path))
    if not show_inactive:
        query = query.where(Employee.active == True)  # noqa: E712
    return query


def roles_by_employee(employees: Iterable[Employee]) -> dict[int, list[RoleAssignment]]:
    """{employee id: [RoleAssignment]} for a page of pegawai (one query)."""
    ids = [employee.id for employee in employees]
    result: dict[int, list[RoleAssignment]] = {pk: [] for pk in ids}
    if ids:
        query = RoleAssignment.select().where(RoleAssignment.employee.in_(ids))
        for row in kept(query, "admin.roles_by_employee", *ids):
            result[row.employee_id].append(row)
    return result


def role_assignments(actor: Employee) -> list[RoleAssignment]:
    """The roles the actor may see on the roles page: of pegawai they manage, in units they
    administer (admin: all), by role and name, with pegawai and unit joined."""
    query = (
        RoleAssignment.select(RoleAssignment, Employee, Unit)
        .join(Employee, on=(RoleAssignment.employee == Employee.id))
        .switch(RoleAssignment)
        .join(Unit, pw.JOIN.LEFT_OUTER, on=(RoleAssignment.unit == Unit.id))
        .order_by(RoleAssignment.role, Employee.nama)
    )
    return [
        row
        for row in query
        if can_manage_employee(actor, row.employee)
        and (row.unit_id is None or can_admin_unit(actor, row.unit))
    ]


# --- settings -------------------------------------------------------------------------------


def grouped_definitions() -> list[tuple[str, list[settings.Definition]]]:
    """[(group label, [Definition])] in the order the domains defined them."""
    groups: dict[str, list[settings.Definition]] = {}
    for definition in settings.DEFINITIONS.values():
        groups.setdefault(str(definition.group or _("General")), []).append(definition)
    return list(groups.items())


def save_settings(actor: Employee, form_values: Mapping[str, Any]) -> dict[str, str]:
    """Validate every submitted setting (type, minimum, maximum), then store the changed ones
    with one audit row each. Returns {key: error message}; nothing is stored when any fails."""
    if not can_edit_settings(actor):
        raise Forbidden(_("Only the admin may change the settings."))
    errors, wanted = {}, {}
    current = settings.get_many(list(settings.DEFINITIONS))
    for key, definition in settings.DEFINITIONS.items():
        if definition.kind is bool:
            # The page sends a hidden "0" and, when ticked, the checkbox's "1" under one name.
            sent = (
                form_values.getlist(key)
                if hasattr(form_values, "getlist")
                else [form_values.get(key)]
            )
            value = any(item in ("1", "on", "true", "ya") for item in sent)
        else:
            raw = (form_values.get(key) or "").strip()
            if raw == "":
                errors[key] = _("Fill in a value.")
                continue
            try:
                value = definition.kind(raw)
            except (TypeError, ValueError):
                errors[key] = _("Enter a whole number.")
                continue
            if definition.minimum is not None and value < definition.minimum:
                errors[key] = _("At least %(num)s.", num=definition.minimum)
                continue
            if definition.maximum is not None and value > definition.maximum:
                errors[key] = _("At most %(num)s.", num=definition.maximum)
                continue
        if value != current[key]:
            wanted[key] = value
    if errors:
        return errors
    errors = settings.check_all({**current, **wanted})
    if errors:
        return errors
    with write_transaction():
        for key, value in wanted.items():
            settings.put(key, value)
            record(
                actor,
                "setting.update",
                key,
                before={key: current[key]},
                after={key: value},
                object_type="Setting",
            )
    return {}


# --- audit log ------------------------------------------------------------------------------


def _subtree_condition(actor):
    """Rows about pegawai or units in the admin OPD's subtree (text ids meet integer ids)."""
    roots = admin_units(actor)
    if not roots:
        return AuditLog.id == 0
    employees = Employee.in_units(roots).select(Employee.id)
    units = Unit.select(Unit.id).where(Unit.path_within(roots))
    return ((AuditLog.object_type == "Employee") & AuditLog.object_id.in_(employees)) | (
        (AuditLog.object_type == "Unit") & AuditLog.object_id.in_(units)
    )


def audit_query(
    actor: Employee,
    action: str = "",
    actor_text: str = "",
    object_text: str = "",
    since: date | None = None,
    until: date | None = None,
) -> pw.ModelSelect[AuditLog]:
    """The audit log the actor may read, newest first, filtered (one query per page)."""
    query = AuditLog.select().order_by(AuditLog.id.desc())
    if not is_admin(actor):
        query = query.where(_subtree_condition(actor))
    if action:
        query = query.where(AuditLog.action.startswith(action))
    if actor_text:
        query = query.where(AuditLog.actor_label.contains(actor_text))
    if object_text:
        query = query.where(
            AuditLog.object_id
            == object_text
            | AuditLog.before.contains(object_text)
            | AuditLog.after.contains(object_text)
        )
    if since:
        query = query.where(AuditLog.created_at >= _utc_midnight(since))
    if until:
        query = query.where(AuditLog.created_at < _utc_midnight(until + timedelta(days=1)))
    return query


def _utc_midnight(day):
    local = datetime.combine(day, time.min, tzinfo=timezone())
    return local.astimezone(UTC).replace(tzinfo=None)


def audit_actions() -> list[str]:
    return [
        row.action for row in AuditLog.select(AuditLog.action).distinct().order_by(AuditLog.action)
    ]


def pretty(value: str | None) -> str:
    """A stored JSON before/after as 'key: value' lines."""
    if not value:
        return ""
    try:
        data = json.loads(value)
    except ValueError:
        return value
    if isinstance(data, dict):
        return "; ".join(f"{key}: {val}" for key, val in data.items())
    return str(data)


# --- import runs ----------------------------------------------------------------------------


RUNNING_PHASES = ("membaca", "memeriksa", "menyimpan")  # "membaca" also while still queued
FINISHED_PHASES = ("selesai", "gagal")


def _progress(job):
    def step(count):
        job.done += count
        ImportJob.update(done=job.done).where(ImportJob.id == job.id).execute()

    return step


MAPPING_KEY = "admin.import_mapping"  # a Setting row not on the settings page (a JSON map)
UPLOAD_TOKEN = re.compile(r"[A-Za-z0-9_-]{8,64}")


def remembered_mapping() -> dict[str, str]:
    """The column mapping chosen for the last export (shared by every admin)."""
    row = Setting.get_or_none(Setting.key == MAPPING_KEY)
    try:
        value = json.loads(row.value) if row else {}
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def remember_mapping(mapping: Mapping[str, str]) -> None:
    text = json.dumps(dict(mapping), sort_keys=True)
    if not Setting.update(value=text).where(Setting.key == MAPPING_KEY).execute():
        Setting.create(key=MAPPING_KEY, value=text)


def _upload_dir() -> Path:
    path = Path(current_app.instance_path) / "import-uploads"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def keep_upload(actor: Employee, token: str, stream: BinaryIO, filename: str) -> str:
    """Keep an uploaded export until its columns are mapped; returns the upload's name
    (<actor id>-<token>.<ext>: one admin cannot use another's upload). Older ones are
    removed after a day."""
    if not can_open_admin(actor):
        raise Forbidden(_("You do not have access to this page."))
    if not UPLOAD_TOKEN.fullmatch(token or ""):
        raise import_file.ImportFileError(_("Upload the file again."))
    extension = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    name = f"{actor.id}-{token}{extension}"
    folder = _upload_dir()
    cutoff = clock.epoch_seconds() - 86400
    for old in folder.iterdir():
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    with open(folder / name, "wb") as handle:
        shutil.copyfileobj(stream, handle)
    return name


def kept_upload(actor: Employee, name: str) -> Path:
    """The path of an upload kept by keep_upload() for this actor; ImportFileError if gone."""
    match = re.fullmatch(r"(\d+)-([A-Za-z0-9_-]{8,64})\.(csv|xlsx)", name or "")
    path = _upload_dir() / (name or "-")
    if not match or int(match.group(1)) != actor.id or not path.is_file():
        raise import_file.ImportFileError(_("Upload the file again."))
    return path


def start_import(
    actor: Employee, upload_name: str, filename: str, mapping: dict[str, str] | None = None
) -> ImportJob:
    """Queue the import of an upload kept by keep_upload() (read, validate every row, write a
    clean file: importer rules) as a background job; the progress page polls its row."""
    path = kept_upload(actor, upload_name)
    job = ImportJob.create(
        token=secrets.token_urlsafe(24),
        actor=actor.id,
        filename=(filename or path.name)[-200:],
        phase="membaca",
    )
    # The task module imports this one: queue through it (a real cycle otherwise).
    from portal.admin.tasks import import_task

    import_task(job.id, path.name, dict(mapping) if mapping else None)
    return ImportJob.get_by_id(job.id)


def run_import(job_id: int, upload_name: str, mapping: dict[str, str] | None = None) -> None:
    """The queued import of job `job_id`: its phase and counts move as it goes; the outcome
    (the counts, or every bad row, or why the file cannot be read) is kept on the job."""
    job = ImportJob.get_or_none(ImportJob.id == job_id)
    if job is None or job.actor_id is None:
        return
    path = _upload_dir() / Path(upload_name).name
    actor = Employee.get_by_id(job.actor_id)

    def phase(name, outcome=None, **extra):
        if outcome is not None:
            extra["summary"] = json.dumps(outcome)
        extra["updated_at"] = clock.utcnow()  # when it finished, for purge_import_jobs()
        ImportJob.update(phase=name, **extra).where(ImportJob.id == job.id).execute()
        job.done = extra.get("done", job.done)

    try:
        if not can_open_admin(actor) or not path.is_file():
            raise import_file.ImportFileError(_("Upload the file again."))
        with open(path, "rb") as handle:
            rows = import_file.read_rows(handle, path.name, mapping)
        phase("memeriksa", total=len(rows), done=0)
        plan = importer.validate(rows, actor=actor, progress=_progress(job))
        if plan.errors:
            errors = [[error.line, error.nip, error.message] for error in plan.errors]
            phase("gagal", {"errors": errors})
            return
        phase("menyimpan", done=0)
        importer.apply(plan, actor=actor)
        counts = {
            "rows": len(plan.rows),
            "created": plan.created,
            "updated": plan.updated,
            "unchanged": plan.unchanged,
        }
        phase("selesai", counts, done=len(rows))
    except import_file.ImportFileError as error:
        phase("gagal", {"error": str(error)})
    except Exception:
        # Nothing was written (one transaction); the page stops polling and says so.
        phase("gagal", {"error": _("The import failed. Try again, or tell the admin.")})
        raise
    finally:
        path.unlink(missing_ok=True)


def job_for(actor: Employee, token: str) -> ImportJob:
    """The import job with this token, only for the admin who started it (404 otherwise)."""
    job = ImportJob.get_or_none(ImportJob.token == (token or "")[:64])
    if job is None or job.actor_id != getattr(actor, "id", None) or not can_open_admin(actor):
        raise NotFound(_("The page does not exist."))
    return job


def outcome_of(job: ImportJob) -> dict[str, Any]:
    """{} while running; else {"error": text} | {"errors": [[line, nip, text]...]} | counts."""
    if job.phase in RUNNING_PHASES or not job.summary:
        return {}
    try:
        value = json.loads(job.summary)
    except ValueError:
        return {"error": job.summary}
    return value if isinstance(value, dict) else {}


def purge_import_jobs() -> int:
    """Delete the import runs that finished (selesai or gagal) longer ago than the setting
    `admin.import_jobs_keep_days`; a queued or running one is never deleted, whatever its age.
    One DELETE statement; returns how many rows went. No file goes with them: a run deletes
    its upload when it ends, and keep_upload() sweeps uploads left older than a day."""
    days = settings.get("admin.import_jobs_keep_days")
    cutoff = clock.utcnow() - timedelta(days=days)
    return (
        ImportJob.delete()
        .where(ImportJob.phase.in_(FINISHED_PHASES), ImportJob.updated_at < cutoff)
        .execute()
    )
