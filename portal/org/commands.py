"""Flask command of the organisation: import-pegawai (the same rules as the admin's import)."""

import time
from pathlib import Path

import click
from flask import current_app

from portal.db import db
from portal.org import import_file, importer


@click.command("import-pegawai")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Only validate and report.")
def import_pegawai_command(path, dry_run):
    """Import pegawai from a CSV or XLSX file (validated first; idempotent, by NIP)."""
    db.connect(reuse_if_open=True)
    started = time.perf_counter()
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if Path(path).stat().st_size > limit:
        raise click.ClickException(
            f"Berkas terlalu besar ({Path(path).stat().st_size // (1024 * 1024)} MB); "
            f"batasnya {limit // (1024 * 1024)} MB, sama seperti unggahan di /admin/impor. "
            "Bagi berkas menjadi beberapa bagian."
        )
    with open(path, "rb") as handle:
        try:
            rows = import_file.read_rows(handle, Path(path).name)
        except import_file.ImportFileError as error:
            raise click.ClickException(str(error)) from None
    with click.progressbar(length=max(1, len(rows)), label="Memeriksa") as bar:
        plan = importer.validate(rows, progress=bar.update)
    if plan.errors:
        click.echo(f"{len(plan.errors)} baris bermasalah; tidak ada yang diimpor:", err=True)
        for row_error in plan.errors[:200]:
            where = f"baris {row_error.line}: {row_error.nip or '-'}"
            click.echo(f"  {where}: {row_error.message}", err=True)
        raise SystemExit(1)
    if dry_run:
        click.echo(f"Berkas bersih: {plan.summary()}")
        return
    with click.progressbar(length=max(1, len(plan.rows)), label="Mengimpor") as bar:
        result = importer.apply(plan, actor=None, progress=bar.update)
    click.echo(f"Selesai dalam {time.perf_counter() - started:.1f} s: {result.summary()}")


COMMANDS = [import_pegawai_command]
