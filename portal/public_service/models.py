"""Pengaduan (citizens' complaints) and their public history.

States of a complaint: Diterima -> Diverifikasi -> Diproses -> Selesai, or Ditolak (with a
reason) from any open state. Every transition lives in portal.public_service.lifecycle, the only
writer of a complaint's status (module map: docs/modules/public_service.md).

Personal data (name, contact, photo) stays on the complaint row and is never read by a public
page: the public sees only what a moderator publishes (`public_summary`, `answer`) and only with
the citizen's consent (`consent_publish`).
"""

from typing import TYPE_CHECKING

import peewee as pw

from portal.db import BaseModel
from portal.org.models import Employee, Unit
from portal.performance.models import Rhk

RECEIVED = "diterima"
VERIFIED = "diverifikasi"
IN_PROGRESS = "diproses"
DONE = "selesai"
REJECTED = "ditolak"
STATUSES = [RECEIVED, VERIFIED, IN_PROGRESS, DONE, REJECTED]
OPEN_STATUSES = (RECEIVED, VERIFIED, IN_PROGRESS)
CLOSED_STATUSES = (DONE, REJECTED)

# Stored as the Indonesian terms themselves (like the dialogs' topics).
CATEGORIES = [
    "Perizinan",
    "Administrasi Kependudukan",
    "Kesehatan",
    "Pendidikan",
    "Jalan dan Infrastruktur",
    "Kebersihan dan Lingkungan",
    "Air Bersih dan Drainase",
    "Ketertiban Umum",
    "Sikap Petugas",
    "Lainnya",
]


class Complaint(BaseModel):
    id = pw.AutoField()
    if TYPE_CHECKING:  # what peewee adds at runtime: the foreign keys' ids
        unit_id: int | None
        assignee_id: int | None
        answered_by_id: int | None
        escalated_to_id: int | None

    kode = pw.CharField(max_length=16, unique=True)
    kategori = pw.CharField(max_length=60)
    unit = pw.ForeignKeyField(Unit, null=True, on_delete="RESTRICT")  # None: "tidak tahu"
    teks = pw.TextField()
    # personal data: for the reply only, never on a public page
    nama = pw.CharField(max_length=150, default="")
    kontak = pw.CharField(max_length=254)
    foto_stored = pw.CharField(max_length=64, default="")
    foto_name = pw.CharField(max_length=200, default="")
    foto_kind = pw.CharField(max_length=8, default="")
    consent_publish = pw.BooleanField(default=False)
    # the handling
    status = pw.CharField(max_length=16, default=RECEIVED)
    filed_on = pw.DateField()  # local date: the deadline counts working days from it
    due_date = pw.DateField()
    reason = pw.TextField(default="")  # why it was rejected (shown to the citizen)
    assignee = pw.ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    answer = pw.TextField(default="")
    answered_at = pw.DateTimeField(null=True)
    answered_by = pw.ForeignKeyField(
        Employee, null=True, on_delete="SET NULL", backref="answered_complaints"
    )
    closed_on = pw.DateField(null=True)  # local date of the answer or the rejection
    response_days = pw.SmallIntegerField(null=True)  # working days from filing to closing
    reminded_on = pw.DateField(null=True)
    escalated_at = pw.DateTimeField(null=True)
    escalated_to = pw.ForeignKeyField(
        Employee, null=True, on_delete="SET NULL", backref="escalated_complaints"
    )
    activity_id = pw.IntegerField(null=True)  # the daily entry the handler logged for it
    # what becomes public (moderated, only with consent)
    published = pw.BooleanField(default=False)
    public_summary = pw.TextField(default="")
    published_at = pw.DateTimeField(null=True)
    # the citizen's rating of the answer (1-5)
    rating = pw.SmallIntegerField(null=True)
    rating_note = pw.TextField(default="")
    version = pw.IntegerField(default=1)

    class Meta:
        table_name = "complaint"
        indexes = (
            (("unit", "status"), False),
            (("assignee", "status"), False),
            (("status", "due_date"), False),
            (("published", "published_at"), False),
        )


class ComplaintEvent(BaseModel):
    """One step of a complaint's history, as the citizen's tracking page shows it (no names)."""

    id = pw.AutoField()
    if TYPE_CHECKING:
        complaint_id: int
        actor_id: int | None

    complaint = pw.ForeignKeyField(Complaint, backref="events", on_delete="CASCADE")
    status = pw.CharField(max_length=16)
    note = pw.TextField(default="")  # shown to the citizen (the rejection reason)
    actor = pw.ForeignKeyField(Employee, null=True, on_delete="SET NULL")

    class Meta:
        table_name = "complaint_event"
        indexes = ((("complaint", "id"), False),)


# --- service indicators ----------------------------------------------------------------------

HIGHER = "naik"  # higher is better
LOWER = "turun"  # lower is better
DIRECTIONS = (HIGHER, LOWER)
MANUAL = "manual"  # realisasi entered or imported by the unit's admin
RESPONSE_DAYS = "waktu_respons"  # computed: mean working days to answer a complaint
COMPLETION = "penyelesaian"  # computed: answered complaints of those filed, in percent
IKM = "ikm"  # computed: the IKM of the unit's SKM answers of the month
SOURCES = (MANUAL, RESPONSE_DAYS, COMPLETION, IKM)


class ServiceIndicator(BaseModel):
    """A service indicator of a unit (e.g. the PTSP's permit time), published on /layanan."""

    id = pw.AutoField()
    if TYPE_CHECKING:
        unit_id: int
        rhk_id: int | None

    unit = pw.ForeignKeyField(Unit, on_delete="RESTRICT")
    nama = pw.CharField(max_length=200)
    satuan = pw.CharField(max_length=50)
    direction = pw.CharField(max_length=8, default=HIGHER)
    source = pw.CharField(max_length=16, default=MANUAL)
    active = pw.BooleanField(default=True)
    # the RHK of the unit head's SKP this indicator serves (optional)
    rhk = pw.ForeignKeyField(Rhk, null=True, on_delete="SET NULL")

    class Meta:
        table_name = "service_indicator"
        indexes = ((("unit", "active"), False),)


class IndicatorTarget(BaseModel):
    """The target of an indicator for one year."""

    id = pw.AutoField()
    if TYPE_CHECKING:
        indicator_id: int

    indicator = pw.ForeignKeyField(ServiceIndicator, backref="targets", on_delete="CASCADE")
    year = pw.SmallIntegerField()
    target = pw.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        table_name = "service_indicator_target"
        indexes = ((("indicator", "year"), True),)


class IndicatorValue(BaseModel):
    """The realisasi of a manual indicator for one month."""

    id = pw.AutoField()
    if TYPE_CHECKING:
        indicator_id: int

    indicator = pw.ForeignKeyField(ServiceIndicator, backref="values", on_delete="CASCADE")
    year = pw.SmallIntegerField()
    month = pw.SmallIntegerField()
    value = pw.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        table_name = "service_indicator_value"
        indexes = ((("indicator", "year", "month"), True),)


# --- the satisfaction survey (SKM) per unit and period ---------------------------------------

AGE_BANDS = ["<20", "20-29", "30-39", "40-49", "50-59", "60+"]
SEXES = ["L", "P"]
EDUCATIONS = ["SD", "SMP", "SMA", "D1-D3", "D4/S1", "S2/S3"]
JOBS = ["PNS", "TNI/Polri", "Swasta", "Wirausaha", "Pelajar/Mahasiswa", "Lainnya"]


class SkmService(BaseModel):
    """A service of a unit surveyed with the SKM; `populasi`: its users a period (for the
    minimum sample)."""

    id = pw.AutoField()
    if TYPE_CHECKING:
        unit_id: int

    unit = pw.ForeignKeyField(Unit, on_delete="RESTRICT")
    nama = pw.CharField(max_length=200)
    populasi = pw.IntegerField(default=0)
    active = pw.BooleanField(default=True)

    class Meta:
        table_name = "skm_service"
        indexes = ((("unit", "active"), False),)


class SkmResponse(BaseModel):
    """One respondent's answers for a service and period (e.g. '2026-S2'): the nine unsur 1-4
    and the profile. `respondent` is the id inside the portal-signed token: one answer each."""

    id = pw.AutoField()
    if TYPE_CHECKING:
        service_id: int

    service = pw.ForeignKeyField(SkmService, backref="responses", on_delete="CASCADE")
    period = pw.CharField(max_length=8)
    respondent = pw.CharField(max_length=64)
    u1 = pw.SmallIntegerField()
    u2 = pw.SmallIntegerField()
    u3 = pw.SmallIntegerField()
    u4 = pw.SmallIntegerField()
    u5 = pw.SmallIntegerField()
    u6 = pw.SmallIntegerField()
    u7 = pw.SmallIntegerField()
    u8 = pw.SmallIntegerField()
    u9 = pw.SmallIntegerField()
    usia = pw.CharField(max_length=8)
    jenis_kelamin = pw.CharField(max_length=1)
    pendidikan = pw.CharField(max_length=8)
    pekerjaan = pw.CharField(max_length=20)
    saran = pw.TextField(default="")

    class Meta:
        table_name = "skm_response"
        indexes = (
            (("service", "period", "respondent"), True),
            (("service", "period"), False),
        )


MODELS = [
    Complaint,
    ComplaintEvent,
    ServiceIndicator,
    IndicatorTarget,
    IndicatorValue,
    SkmService,
    SkmResponse,
]
