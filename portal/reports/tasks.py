"""The reports' background tasks: building an export, and deleting expired export files."""

from huey import crontab

from portal.jobs import periodic, request_scope, task
from portal.reports import attendance, exports


@task()
def export_task(job_id: int) -> None:
    """Build the export file of job `job_id` (its progress is on its row)."""
    with request_scope():
        exports.run_export(job_id)


@task()
def import_task(job_id: int) -> None:
    """Import the kehadiran file kept for job `job_id` (its outcome is on its row)."""
    with request_scope():
        attendance.run_import(job_id)


@periodic(crontab(minute="15"))
def delete_expired_exports() -> int:
    """Every hour: exported files past their keeping time are deleted."""
    return exports.delete_expired()
