"""Reports: a closed month (with the snapshot of its recap), the imported kehadiran, and the
export jobs.

A month of a unit (its whole subtree) is Ditutup by an admin OPD: the recap rows of its pegawai
are copied into RecapSnapshot, and the recap of that month shows the copy from then on, whatever
happens to the entries. Reopening (with a reason) deletes the copy; both steps are audited, and
the MonthClosure row stays with its history (status `dibuka`, reopened_by, reason).
"""

from typing import TYPE_CHECKING

import peewee as pw

from portal.db import BaseModel
from portal.org.models import Employee, Unit

CLOSED = "ditutup"
REOPENED = "dibuka"

QUEUED = "antri"
RUNNING = "berjalan"
FINISHED = "selesai"
FAILED = "gagal"
EXPORT_KINDS = ("xlsx", "csv", "pdf")
IMPORT_KIND = "kehadiran"


class MonthClosure(BaseModel):
    """One closing of a unit's month; at most one closed row per unit and month (`live_key`)."""

    if TYPE_CHECKING:
        id: pw.AutoField[int]
        unit_id: int
        closed_by_id: int | None
        reopened_by_id: int | None

    unit = pw.ForeignKeyField(Unit, on_delete="RESTRICT")
    tahun = pw.SmallIntegerField()
    bulan = pw.SmallIntegerField()
    status = pw.CharField(max_length=10, default=CLOSED)
    # "unit:year:month" while closed, NULL once reopened: the unique index keeps one live row.
    live_key = pw.CharField(max_length=40, null=True, unique=True)
    closed_by = pw.ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    closed_at = pw.DateTimeField(null=True)
    reopened_by = pw.ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    reopened_at = pw.DateTimeField(null=True)
    reopen_reason = pw.TextField(null=True)

    class Meta:
        indexes = ((("tahun", "bulan", "status"), False),)


class RecapSnapshot(BaseModel):
    """A pegawai's recap row of a closed month, as it was at closing."""

    if TYPE_CHECKING:
        id: pw.AutoField[int]
        closure_id: int
        employee_id: int

    closure = pw.ForeignKeyField(MonthClosure, backref="rows", on_delete="CASCADE")
    employee = pw.ForeignKeyField(Employee, on_delete="RESTRICT")
    tahun = pw.SmallIntegerField()
    bulan = pw.SmallIntegerField()
    working_days = pw.SmallIntegerField(default=0)
    days_with_entries = pw.SmallIntegerField(default=0)
    minutes_submitted = pw.IntegerField(default=0)
    minutes_approved = pw.IntegerField(default=0)
    target = pw.IntegerField(default=0)
    waiting = pw.IntegerField(default=0)
    returned = pw.IntegerField(default=0)

    class Meta:
        indexes = ((("employee", "tahun", "bulan"), True), (("tahun", "bulan"), False))


class Attendance(BaseModel):
    """Kehadiran of a pegawai in a month, in basis points (9750 = 97,50%), imported from the
    attendance system."""

    if TYPE_CHECKING:
        id: pw.AutoField[int]
        employee_id: int
        imported_by_id: int | None

    employee = pw.ForeignKeyField(Employee, on_delete="CASCADE")
    tahun = pw.SmallIntegerField()
    bulan = pw.SmallIntegerField()
    basis_points = pw.IntegerField()
    imported_by = pw.ForeignKeyField(Employee, null=True, on_delete="SET NULL")

    class Meta:
        indexes = ((("employee", "tahun", "bulan"), True), (("tahun", "bulan"), False))


class ExportJob(BaseModel):
    """A background job of the reports (an export, or a kehadiran import: kind "kehadiran")
    asked for by one pegawai: the page polls `status`, `done` of `total`; the file
    (instance/exports/<token>.<kind>) is served only to `owner` until `expires_at`."""

    if TYPE_CHECKING:
        id: pw.AutoField[int]
        owner_id: int

    token = pw.CharField(max_length=64, unique=True)
    owner = pw.ForeignKeyField(Employee, on_delete="CASCADE")
    kind = pw.CharField(max_length=16)
    params = pw.TextField(default="{}")
    status = pw.CharField(max_length=10, default=QUEUED)
    total = pw.IntegerField(default=0)
    done = pw.IntegerField(default=0)
    filename = pw.CharField(max_length=200, default="")
    error = pw.TextField(null=True)
    result = pw.TextField(null=True)  # an import's outcome (JSON: rows imported, bad rows)
    expires_at = pw.DateTimeField(null=True)

    class Meta:
        indexes = ((("owner", "created_at"), False),)


MODELS = [MonthClosure, RecapSnapshot, Attendance, ExportJob]
