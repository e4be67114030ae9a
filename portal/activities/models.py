"""Laporan kegiatan harian: entries, their history, and their evidence (bukti dukung).

States: Draf -> Diajukan -> Disetujui (locked) | Perlu Revisi (note) -> Diajukan | Ditolak
(note, final). Only Draf and Perlu Revisi can be edited or deleted. `version` grows with every
change, so a decision and an edit that race end with exactly one winner (conditional UPDATE).
"""

from typing import TYPE_CHECKING

import peewee as pw

from portal.db import BaseModel
from portal.org.models import Employee
from portal.performance.models import Rhk

DRAFT = "draf"
SUBMITTED = "diajukan"
APPROVED = "disetujui"
NEEDS_REVISION = "perlu_revisi"
REJECTED = "ditolak"
STATUSES = [DRAFT, SUBMITTED, APPROVED, NEEDS_REVISION, REJECTED]
EDITABLE = (DRAFT, NEEDS_REVISION)

LOCATIONS = ["WFO", "WFH", "DL"]  # DL = Dinas Luar


class Activity(BaseModel):
    if TYPE_CHECKING:  # peewee's implicit id and foreign-key ids, for the type checker
        id: pw.AutoField[int]
        employee_id: int
        rhk_id: int | None
        decided_by_id: int | None
        decided_as_id: int | None

    employee = pw.ForeignKeyField(Employee, backref="activities", on_delete="RESTRICT")
    tanggal = pw.DateField()  # the local work date
    jam_mulai = pw.TimeField()
    jam_selesai = pw.TimeField()
    minutes = pw.IntegerField()  # derived from the times, stored for sums
    uraian = pw.TextField()
    volume = pw.IntegerField(default=1)
    satuan = pw.CharField(max_length=50, default="kegiatan")
    lokasi = pw.CharField(max_length=5, default="WFO")
    # An RHK of the pegawai's SKP effective on `tanggal` (checked by entries.check_rhk).
    rhk = pw.ForeignKeyField(Rhk, null=True, backref="activities", on_delete="SET NULL")
    status = pw.CharField(max_length=16, default=DRAFT)
    version = pw.IntegerField(default=1)
    submitted_at = pw.DateTimeField(null=True)
    # The verifier's decision (reviews domain).
    menit_diakui = pw.IntegerField(null=True)
    decided_by = pw.ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    decided_as = pw.ForeignKeyField(Employee, null=True, on_delete="SET NULL")  # Plt/Plh of
    decided_at = pw.DateTimeField(null=True)
    decision_note = pw.TextField(null=True)
    deleted_at = pw.DateTimeField(null=True)  # soft delete for entries with history

    class Meta:
        indexes = (
            (("employee", "tanggal"), False),
            (("status", "submitted_at"), False),
            # a team's waiting entries (the queue, its badge): per pegawai, only those waiting
            (("employee", "status"), False),
        )


class MonthTotal(BaseModel):
    """One pegawai's month of entries, summed: what the recap and the leaders' dashboard read
    instead of a whole city's entries (kept by portal.activities.month_totals)."""

    employee = pw.ForeignKeyField(Employee, on_delete="CASCADE")
    tahun = pw.SmallIntegerField()
    bulan = pw.SmallIntegerField()
    minutes_submitted = pw.IntegerField(default=0)  # Diajukan or Disetujui
    minutes_approved = pw.IntegerField(default=0)  # menit diakui of Disetujui
    waiting = pw.IntegerField(default=0)  # entries Diajukan
    returned = pw.IntegerField(default=0)  # entries Perlu Revisi
    day_mask = pw.BigIntegerField(default=0)  # bit d-1: a live entry not Ditolak on day d
    decisions = pw.TextField(default="")  # "days:entries ...": days from submission to decision

    class Meta:
        # the second covers the dashboard's trend (approved minutes per month, of a scope)
        indexes = (
            (("employee", "tahun", "bulan"), True),
            (("tahun", "bulan", "employee", "minutes_approved"), False),
        )


class MonthTotalStale(BaseModel):
    """A pegawai's month whose MonthTotal is out of date: written in the transaction that
    changes an entry (its version grows with each change), removed by the refresh that
    recomputed it at that version."""

    if TYPE_CHECKING:
        id: pw.AutoField[int]

    employee = pw.ForeignKeyField(Employee, on_delete="CASCADE")
    tahun = pw.SmallIntegerField()
    bulan = pw.SmallIntegerField()
    version = pw.IntegerField(default=1)

    class Meta:
        indexes = ((("employee", "tahun", "bulan"), True), (("tahun", "bulan"), False))


class ActivityEvent(BaseModel):
    """The history of an entry: created, edited, submitted, returned, approved, ..."""

    if TYPE_CHECKING:  # peewee's implicit id and foreign-key ids, for the type checker
        id: pw.AutoField[int]
        activity_id: int
        actor_id: int | None
        acting_for_id: int | None

    activity = pw.ForeignKeyField(Activity, backref="events", on_delete="CASCADE")
    actor = pw.ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    acting_for = pw.ForeignKeyField(Employee, null=True, on_delete="SET NULL")  # "sebagai Plh Y"
    action = pw.CharField(max_length=32)
    from_status = pw.CharField(max_length=16, null=True)
    to_status = pw.CharField(max_length=16, null=True)
    note = pw.TextField(null=True)

    class Meta:
        indexes = ((("activity", "created_at"), False),)


HOLIDAY_KINDS = ["libur_nasional", "cuti_bersama"]
EVIDENCE_LINK = "link"
MAX_EVIDENCE = 5


class Holiday(BaseModel):
    """A national holiday or cuti bersama: not a working day for any unit."""

    if TYPE_CHECKING:  # peewee's implicit id and foreign-key ids, for the type checker
        id: pw.AutoField[int]

    tanggal = pw.DateField(unique=True)
    jenis = pw.CharField(max_length=20, default="libur_nasional")
    keterangan = pw.CharField(max_length=200)


class Evidence(BaseModel):
    """Bukti dukung of an entry: an uploaded file (random stored name) or an http(s) link."""

    if TYPE_CHECKING:  # peewee's implicit id and foreign-key ids, for the type checker
        id: pw.AutoField[int]
        activity_id: int

    activity = pw.ForeignKeyField(Activity, backref="evidence", on_delete="CASCADE")
    kind = pw.CharField(max_length=8)  # pdf, jpg, png, docx, xlsx or "link"
    stored_name = pw.CharField(max_length=64, null=True)
    original_name = pw.CharField(max_length=200)
    size = pw.IntegerField(default=0)
    url = pw.CharField(max_length=500, null=True)


class ActivityTemplate(BaseModel):
    """A routine activity (kegiatan rutin) a pegawai saved to fill the form in one click."""

    if TYPE_CHECKING:  # peewee's implicit id and foreign-key ids, for the type checker
        id: pw.AutoField[int]
        employee_id: int

    employee = pw.ForeignKeyField(Employee, backref="activity_templates", on_delete="CASCADE")
    uraian = pw.TextField()
    volume = pw.IntegerField(default=1)
    satuan = pw.CharField(max_length=50, default="kegiatan")
    lokasi = pw.CharField(max_length=5, default="WFO")
    minutes = pw.IntegerField(default=60)


class DateUnlock(BaseModel):
    """An admin reopened a pegawai's past date after the input deadline (with a reason)."""

    if TYPE_CHECKING:  # peewee's implicit id and foreign-key ids, for the type checker
        id: pw.AutoField[int]
        employee_id: int
        granted_by_id: int | None

    employee = pw.ForeignKeyField(Employee, backref="date_unlocks", on_delete="CASCADE")
    tanggal = pw.DateField()
    reason = pw.TextField()
    granted_by = pw.ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    valid_until = pw.DateField()

    class Meta:
        indexes = ((("employee", "tanggal"), False),)


MODELS = [
    Activity,
    ActivityEvent,
    Holiday,
    Evidence,
    ActivityTemplate,
    DateUnlock,
    MonthTotal,
    MonthTotalStale,
]
