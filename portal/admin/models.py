"""Admin area: the progress of a pegawai import, polled by the import page."""

import peewee as pw

from portal.db import BaseModel
from portal.org.models import Employee

PHASES = ["membaca", "memeriksa", "menyimpan", "selesai", "gagal"]


class ImportJob(BaseModel):
    """One import run: the page polls its phase and counts while the upload is processed."""

    id = pw.AutoField()
    actor_id: int | None
    token = pw.CharField(max_length=64, unique=True)
    actor = pw.ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    filename = pw.CharField(max_length=200, default="")
    phase = pw.CharField(max_length=16, default="membaca")
    total = pw.IntegerField(default=0)
    done = pw.IntegerField(default=0)
    summary = pw.TextField(null=True)


MODELS = [ImportJob]
