"""The admin area's background tasks: a pegawai import (read, check every row, write), and the
nightly purge of finished import runs (also `flask --app portal purge-import-jobs`)."""

from portal.admin import services
from portal.jobs import at_local, periodic, request_scope, task


@task()
def import_task(job_id: int, upload_name: str, mapping: dict[str, str] | None = None) -> None:
    """Import the upload kept for job `job_id` (its phase, counts and outcome are on its row)."""
    with request_scope():
        services.run_import(job_id, upload_name, mapping)


@periodic(at_local(2, 0))
def purge_import_jobs() -> int:
    """Each night, after the backup: finished import runs older than the setting
    `admin.import_jobs_keep_days` are deleted (never a queued or running one)."""
    return services.purge_import_jobs()
