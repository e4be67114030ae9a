"""`flask purge-import-jobs`: delete the finished pegawai import runs past their keeping time
(also the nightly periodic job's body: portal/admin/tasks.py)."""

import click

from portal.admin import services


@click.command("purge-import-jobs")
def purge_import_jobs_command():
    """Delete finished pegawai import runs older than the setting (never running ones)."""
    click.echo(f"Riwayat impor dihapus: {services.purge_import_jobs()}")


COMMANDS = [purge_import_jobs_command]
