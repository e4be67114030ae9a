"""The admin area's background task: a pegawai import (read, check every row, write)."""

from portal.admin import services
from portal.jobs import request_scope, task


@task()
def import_task(job_id: int, upload_name: str, mapping: dict[str, str] | None = None) -> None:
    """Import the upload kept for job `job_id` (its phase, counts and outcome are on its row)."""
    with request_scope():
        services.run_import(job_id, upload_name, mapping)
