"""Dialog publik (Forum Konsultasi Publik): the dialog, its attachments, citizens' registrations,
questions and supports, and the follow-up commitments (tindak lanjut) published afterwards.

States of a dialog: Draf -> Diumumkan -> Pendaftaran Ditutup -> Selesai -> Hasil Dipublikasikan,
or Dibatalkan / Ditunda (with a notice). The transitions live in portal.dialogs.organising
(module map: docs/modules/dialogs.md).
"""

from typing import TYPE_CHECKING

import peewee as pw

from portal.db import BaseModel
from portal.org.models import Employee, Unit

DRAFT = "draf"
ANNOUNCED = "diumumkan"
CLOSED = "pendaftaran_ditutup"
DONE = "selesai"
RESULTS = "hasil_dipublikasikan"
CANCELLED = "dibatalkan"
POSTPONED = "ditunda"
STATUSES = [DRAFT, ANNOUNCED, CLOSED, DONE, RESULTS, CANCELLED, POSTPONED]
# What the public may see (a cancelled dialog only when it had been announced).
PUBLIC_STATUSES = (ANNOUNCED, CLOSED, DONE, RESULTS, POSTPONED, CANCELLED)

TOPICS = [
    "Perizinan",
    "Kependudukan",
    "Kesehatan",
    "Pendidikan",
    "Infrastruktur",
    "Lingkungan Hidup",
    "Sosial",
    "Perhubungan",
    "Ekonomi dan UMKM",
    "Keuangan Daerah",
    "Pelayanan Publik",
]

# Registrations
REG_ACTIVE = "terdaftar"
REG_CANCELLED = "dibatalkan"

# Questions
Q_PENDING = "menunggu"
Q_APPROVED = "disetujui"
Q_REJECTED = "ditolak"
Q_MERGED = "digabung"

# Follow-ups (tindak lanjut)
FU_PLANNED = "direncanakan"
FU_IN_PROGRESS = "dalam_proses"
FU_DONE = "selesai"
FOLLOW_UP_STATUSES = [FU_PLANNED, FU_IN_PROGRESS, FU_DONE]


class Dialog(BaseModel):
    id = pw.AutoField()
    if TYPE_CHECKING:  # what peewee adds at runtime: the foreign keys' ids
        unit_id: int
        created_by_id: int | None

    judul = pw.CharField(max_length=200)
    topik = pw.CharField(max_length=60, index=True)
    layanan = pw.CharField(max_length=200, default="")  # the service or policy discussed
    deskripsi = pw.TextField(default="")
    unit = pw.ForeignKeyField(Unit, backref="dialogs", on_delete="RESTRICT")
    tempat = pw.CharField(max_length=200, default="")
    alamat = pw.CharField(max_length=300, default="")
    online_url = pw.CharField(max_length=300, default="")
    starts_at = pw.DateTimeField()  # UTC
    ends_at = pw.DateTimeField()  # UTC
    registration_closes_at = pw.DateTimeField(null=True)  # UTC; default: the start
    kuota = pw.IntegerField(null=True)  # None: no limit
    unsur_peserta = pw.TextField(default="")
    status = pw.CharField(max_length=24, default=DRAFT)
    notice = pw.TextField(default="")  # why cancelled / postponed
    registered_count = pw.IntegerField(default=0)
    announced_at = pw.DateTimeField(null=True)
    results_published_at = pw.DateTimeField(null=True)
    notulen = pw.TextField(default="")
    hadir_total = pw.IntegerField(null=True)
    hadir_masyarakat = pw.IntegerField(null=True)
    created_by = pw.ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    version = pw.IntegerField(default=1)

    class Meta:
        indexes = (
            (("status", "starts_at"), False),
            (("unit", "starts_at"), False),
        )

    def __str__(self):
        return self.judul

    @property
    def is_public(self):
        if self.status == CANCELLED:
            return self.announced_at is not None
        return self.status in PUBLIC_STATUSES

    @property
    def seats_left(self):
        if self.kuota is None:
            return None
        return max(self.kuota - self.registered_count, 0)


class DialogAttachment(BaseModel):
    id = pw.AutoField()
    if TYPE_CHECKING:  # what peewee adds at runtime: the foreign keys' ids
        dialog_id: int
        uploaded_by_id: int | None

    dialog = pw.ForeignKeyField(Dialog, backref="attachments", on_delete="CASCADE")
    label = pw.CharField(max_length=150, default="")
    stored_name = pw.CharField(max_length=64)
    original_name = pw.CharField(max_length=200)
    kind = pw.CharField(max_length=8)
    size = pw.IntegerField(default=0)
    uploaded_by = pw.ForeignKeyField(Employee, null=True, on_delete="SET NULL")


class Registration(BaseModel):
    id = pw.AutoField()
    if TYPE_CHECKING:  # what peewee adds at runtime: the foreign keys' ids
        dialog_id: int

    dialog = pw.ForeignKeyField(Dialog, backref="registrations", on_delete="CASCADE")
    nama = pw.CharField(max_length=120)
    organisasi = pw.CharField(max_length=150, default="")
    kontak = pw.CharField(max_length=120)  # as typed
    kontak_normal = pw.CharField(max_length=120)  # lower-case e-mail or 62xxxx phone number
    code = pw.CharField(max_length=16, unique=True)
    status = pw.CharField(max_length=16, default=REG_ACTIVE)
    consent_at = pw.DateTimeField()
    cancelled_at = pw.DateTimeField(null=True)

    class Meta:
        table_name = "dialog_registration"
        indexes = ((("dialog", "kontak_normal"), True), (("dialog", "status"), False))


class Question(BaseModel):
    id = pw.AutoField()
    if TYPE_CHECKING:  # what peewee adds at runtime: the foreign keys' ids
        dialog_id: int
        merged_into_id: int | None
        moderated_by_id: int | None

    dialog = pw.ForeignKeyField(Dialog, backref="questions", on_delete="CASCADE")
    nama = pw.CharField(max_length=120, default="")
    anonim = pw.BooleanField(default=False)
    teks = pw.TextField()
    status = pw.CharField(max_length=16, default=Q_PENDING)
    merged_into = pw.ForeignKeyField("self", null=True, backref="merged", on_delete="SET NULL")
    reject_reason = pw.CharField(max_length=300, default="")
    moderated_by = pw.ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    moderated_at = pw.DateTimeField(null=True)
    support_count = pw.IntegerField(default=0)

    class Meta:
        table_name = "dialog_question"
        indexes = ((("dialog", "status"), False),)

    @property
    def display_name(self):
        return "" if self.anonim else self.nama


class QuestionSupport(BaseModel):
    """One support per browser (a random cookie id), without an account."""

    id = pw.AutoField()
    if TYPE_CHECKING:  # what peewee adds at runtime: the foreign keys' ids
        question_id: int

    question = pw.ForeignKeyField(Question, backref="supports", on_delete="CASCADE")
    voter = pw.CharField(max_length=64)

    class Meta:
        table_name = "dialog_question_support"
        indexes = ((("question", "voter"), True),)


class FollowUp(BaseModel):
    """A follow-up commitment (tindak lanjut) of a dialog; its owner unit updates the status."""

    id = pw.AutoField()
    if TYPE_CHECKING:  # what peewee adds at runtime: the foreign keys' ids
        dialog_id: int
        owner_unit_id: int
        updated_by_id: int | None

    dialog = pw.ForeignKeyField(Dialog, backref="follow_ups", on_delete="CASCADE")
    uraian = pw.TextField()
    owner_unit = pw.ForeignKeyField(Unit, backref="dialog_follow_ups", on_delete="RESTRICT")
    due_date = pw.DateField()
    status = pw.CharField(max_length=16, default=FU_PLANNED)
    progress_note = pw.TextField(default="")
    updated_by = pw.ForeignKeyField(Employee, null=True, on_delete="SET NULL")

    class Meta:
        table_name = "dialog_follow_up"
        indexes = ((("owner_unit", "status"), False),)


class SurveyResponse(BaseModel):
    """A citizen's satisfaction survey (SKM, PermenPANRB 14/2017) after the dialog: the nine
    unsur on a 1-4 scale, one response per browser (a random cookie id)."""

    id = pw.AutoField()
    if TYPE_CHECKING:  # what peewee adds at runtime: the foreign keys' ids
        dialog_id: int

    dialog = pw.ForeignKeyField(Dialog, backref="survey_responses", on_delete="CASCADE")
    voter = pw.CharField(max_length=64)
    u1 = pw.SmallIntegerField()
    u2 = pw.SmallIntegerField()
    u3 = pw.SmallIntegerField()
    u4 = pw.SmallIntegerField()
    u5 = pw.SmallIntegerField()
    u6 = pw.SmallIntegerField()
    u7 = pw.SmallIntegerField()
    u8 = pw.SmallIntegerField()
    u9 = pw.SmallIntegerField()
    saran = pw.TextField(default="")

    class Meta:
        table_name = "dialog_survey_response"
        indexes = ((("dialog", "voter"), True),)


SURVEY_FIELDS = ["u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9"]

MODELS = [
    Dialog,
    DialogAttachment,
    Registration,
    Question,
    QuestionSupport,
    FollowUp,
    SurveyResponse,
]
