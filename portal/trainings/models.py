"""Trainings, their sessions, sign-ups (registrations), attendance, external JP records.

Training states: Draf -> Dibuka -> Ditutup -> Selesai, or Dibatalkan.
Registration states: menunggu_atasan -> terdaftar | daftar_tunggu -> ditawarkan -> terdaftar;
dibatalkan, ditolak (final). A seat is held by `terdaftar` and `ditawarkan` (an offer from the
waiting list that waits for its confirmation). One registration per (training, pegawai).
"""

from typing import TYPE_CHECKING

import peewee as pw

from portal.db import BaseModel
from portal.org.models import Employee, Unit

DRAFT = "draf"
OPEN = "dibuka"
CLOSED = "ditutup"
DONE = "selesai"
CANCELLED = "dibatalkan"
TRAINING_STATUSES = [DRAFT, OPEN, CLOSED, DONE, CANCELLED]

AWAITING_APPROVAL = "menunggu_atasan"
REGISTERED = "terdaftar"
WAITING = "daftar_tunggu"
OFFERED = "ditawarkan"
WITHDRAWN = "dibatalkan"
REJECTED = "ditolak"
SEAT_HOLDING = (REGISTERED, OFFERED)
ACTIVE = (AWAITING_APPROVAL, REGISTERED, WAITING, OFFERED)

KLASIKAL = ["pelatihan", "workshop", "bimtek", "seminar", "kursus"]
NONKLASIKAL = ["e-learning", "coaching", "mentoring", "magang", "webinar", "benchmarking"]
JENIS = KLASIKAL + NONKLASIKAL

RECORD_SUBMITTED = "diajukan"
RECORD_VERIFIED = "diverifikasi"
RECORD_REJECTED = "ditolak"


class Training(BaseModel):
    id = pw.AutoField()
    if TYPE_CHECKING:  # what peewee adds at runtime: foreign key ids, backrefs
        unit_id: int
        created_by_id: int | None
        sessions: "pw.ModelSelect[TrainingSession]"
        registrations: "pw.ModelSelect[Registration]"

    judul = pw.CharField(max_length=200)
    deskripsi = pw.TextField(default="")
    jenis = pw.CharField(max_length=20, default="pelatihan")
    unit = pw.ForeignKeyField(Unit, backref="trainings", on_delete="RESTRICT")
    penyelenggara = pw.CharField(max_length=200, default="")
    narasumber = pw.CharField(max_length=300, default="")
    tempat = pw.CharField(max_length=200, default="")
    link_daring = pw.CharField(max_length=500, default="")
    jp = pw.IntegerField(default=1)
    kuota = pw.IntegerField(default=30)
    registration_opens_at = pw.DateTimeField()  # UTC
    registration_closes_at = pw.DateTimeField()  # UTC
    target_units = pw.CharField(max_length=500, default="")  # "3,7" unit ids (with subtree)
    target_jabatan = pw.CharField(max_length=300, default="")  # "Pelaksana,Pengawas"
    needs_approval = pw.BooleanField(default=False)
    status = pw.CharField(max_length=12, default=DRAFT, index=True)
    starts_at = pw.DateTimeField(null=True, index=True)  # first session (UTC), for sorting
    ends_at = pw.DateTimeField(null=True)  # last session end (UTC)
    cancel_reason = pw.TextField(null=True)
    created_by = pw.ForeignKeyField(Employee, null=True, on_delete="SET NULL")

    @property
    def klasikal(self):
        return self.jenis in KLASIKAL

    def target_unit_ids(self):
        return [int(x) for x in self.target_units.split(",") if x.strip().isdigit()]

    def target_jabatan_list(self):
        return [x for x in self.target_jabatan.split(",") if x.strip()]


class TrainingSession(BaseModel):
    id = pw.AutoField()
    if TYPE_CHECKING:  # what peewee adds at runtime: foreign key ids, backrefs
        training_id: int
        attendance: "pw.ModelSelect[Attendance]"

    training = pw.ForeignKeyField(Training, backref="sessions", on_delete="CASCADE")
    starts_at = pw.DateTimeField()  # UTC
    ends_at = pw.DateTimeField()  # UTC
    topik = pw.CharField(max_length=200, default="")

    class Meta:
        table_name = "training_session"
        indexes = ((("training", "starts_at"), False),)


class Registration(BaseModel):
    id = pw.AutoField()
    if TYPE_CHECKING:  # what peewee adds at runtime: foreign key ids, backrefs
        training_id: int
        employee_id: int
        decided_by_id: int | None
        attendance: "pw.ModelSelect[Attendance]"

    training = pw.ForeignKeyField(Training, backref="registrations", on_delete="CASCADE")
    employee = pw.ForeignKeyField(Employee, backref="training_registrations", on_delete="CASCADE")
    status = pw.CharField(max_length=16)
    queued_at = pw.DateTimeField(null=True)  # place in the waiting list
    offer_expires_at = pw.DateTimeField(null=True)
    decided_by = pw.ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    completed = pw.BooleanField(default=False)
    jp_credited = pw.IntegerField(default=0)
    certificate_number = pw.CharField(max_length=40, null=True, unique=True)
    verification_code = pw.CharField(max_length=32, null=True, unique=True)
    certificate_issued_at = pw.DateTimeField(null=True)
    rating = pw.SmallIntegerField(null=True)
    comment = pw.TextField(null=True)
    reminded_at = pw.DateTimeField(null=True)

    class Meta:
        table_name = "training_registration"
        indexes = (
            (("training", "employee"), True),
            (("training", "status", "queued_at"), False),
            (("employee", "status"), False),
            (("status", "offer_expires_at"), False),
        )


class Attendance(BaseModel):
    id = pw.AutoField()
    if TYPE_CHECKING:  # what peewee adds at runtime: foreign key ids, backrefs
        registration_id: int
        session_id: int
        marked_by_id: int | None

    registration = pw.ForeignKeyField(Registration, backref="attendance", on_delete="CASCADE")
    session = pw.ForeignKeyField(TrainingSession, backref="attendance", on_delete="CASCADE")
    present = pw.BooleanField()
    marked_by = pw.ForeignKeyField(Employee, null=True, on_delete="SET NULL")

    class Meta:
        table_name = "training_attendance"
        indexes = ((("registration", "session"), True),)


class ExternalRecord(BaseModel):
    """JP earned elsewhere (a diklat at BPSDM, an e-learning at ASN Corpu), with a certificate."""

    id = pw.AutoField()
    if TYPE_CHECKING:  # what peewee adds at runtime: foreign key ids, backrefs
        employee_id: int
        verified_by_id: int | None

    employee = pw.ForeignKeyField(Employee, backref="external_jp", on_delete="CASCADE")
    judul = pw.CharField(max_length=200)
    penyelenggara = pw.CharField(max_length=200)
    tanggal = pw.DateField()
    jp = pw.IntegerField()
    stored_name = pw.CharField(max_length=64)
    original_name = pw.CharField(max_length=200)
    kind = pw.CharField(max_length=8)
    status = pw.CharField(max_length=12, default=RECORD_SUBMITTED)
    verified_by = pw.ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    verified_at = pw.DateTimeField(null=True)
    note = pw.TextField(null=True)

    class Meta:
        table_name = "training_external_record"
        indexes = ((("employee", "tanggal"), False), (("status",), False))


class CalendarToken(BaseModel):
    """The secret of a pegawai's personal calendar feed (subscribed to by calendar apps)."""

    id = pw.AutoField()
    if TYPE_CHECKING:  # what peewee adds at runtime: foreign key ids, backrefs
        employee_id: int

    employee = pw.ForeignKeyField(Employee, unique=True, on_delete="CASCADE")
    token = pw.CharField(max_length=64, unique=True)

    class Meta:
        table_name = "training_calendar_token"


MODELS = [Training, TrainingSession, Registration, Attendance, ExternalRecord, CalendarToken]
