"""SKP (Sasaran Kinerja Pegawai), its RHK with indicators, perilaku kerja and lampiran, and the
unit's IKU (PermenPANRB 6/2022).

SKP states (owned by portal/performance/lifecycle.py, every change a guarded conditional UPDATE
on `status` and `revision`):

    draf -> diajukan -> disetujui
                     -> dikembalikan (note required) -> diajukan -> ...

A change after approval makes a new version: a copy with `version_no` + 1 and `previous` set,
in draf; the approved one stays readable and effective until the new one is approved, when it
gets `superseded_at`. `latest` marks the newest version of a chain (one per employee and
`start_date`, backed by the unique `live_key`); `(employee, start_date, version_no)` is unique,
so two racing "new version" clicks make one.

Each RHK of a non-JPT intervenes (`intervenes`) one RHK of the atasan's approved SKP: the
cascade (pohon kinerja). `lineage` is the id of the first RHK of a version chain (an RHK copied
into a new version keeps it), so links made to an older version still hang under the newer one.
"""

from typing import TYPE_CHECKING

import peewee as pw

from portal.db import BaseModel
from portal.org.models import Employee, Unit

DRAFT = "draf"
SUBMITTED = "diajukan"
APPROVED = "disetujui"
RETURNED = "dikembalikan"
STATUSES = [DRAFT, SUBMITTED, APPROVED, RETURNED]
EDITABLE = (DRAFT, RETURNED)

KUALITATIF = "kualitatif"
KUANTITATIF = "kuantitatif"
PENDEKATAN = [KUALITATIF, KUANTITATIF]

UTAMA = "utama"
TAMBAHAN = "tambahan"
JENIS_RHK = [UTAMA, TAMBAHAN]

PERSPEKTIF = ["Penerima Layanan", "Proses Bisnis", "Penguatan Internal", "Anggaran"]

ASPEK_KUANTITATIF = ["kuantitas", "kualitas", "waktu", "biaya"]
ASPEK_KUALITATIF = "kualitatif"
ASPEK = [*ASPEK_KUANTITATIF, ASPEK_KUALITATIF]


class Iku(BaseModel):
    """An indikator kinerja utama of a unit for a year (Renstra / Perjanjian Kinerja), kept by
    the admin OPD; a JPT's RHK are drawn from these, grouped by perspektif."""

    if TYPE_CHECKING:
        id: pw.AutoField[int]
        unit_id: int

    unit = pw.ForeignKeyField(Unit, backref="iku", on_delete="CASCADE")
    tahun = pw.SmallIntegerField()
    perspektif = pw.CharField(max_length=32)
    sasaran = pw.CharField(max_length=500)
    indikator = pw.CharField(max_length=500, default="")
    target = pw.CharField(max_length=100, default="")
    active = pw.BooleanField(default=True)

    class Meta:
        indexes = ((("unit", "tahun", "active"), False),)


class Skp(BaseModel):
    """One version of a pegawai's SKP for a period (within one year)."""

    if TYPE_CHECKING:
        id: pw.AutoField[int]
        employee_id: int
        penilai_id: int | None
        unit_id: int
        previous_id: int | None
        decided_by_id: int | None
        decided_for_id: int | None
        rhk: "pw.ModelSelect[Rhk]"
        expectations: "pw.ModelSelect[BehaviourExpectation]"

    employee = pw.ForeignKeyField(Employee, backref="skp", on_delete="RESTRICT")
    # Snapshots at creation: the pejabat penilai (atasan langsung), unit and jabatan.
    penilai = pw.ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    unit = pw.ForeignKeyField(Unit, on_delete="RESTRICT")
    jabatan = pw.CharField(max_length=200, default="")
    jpt = pw.BooleanField(default=False)
    tahun = pw.SmallIntegerField()
    start_date = pw.DateField()
    end_date = pw.DateField()
    pendekatan = pw.CharField(max_length=12, default=KUALITATIF)
    status = pw.CharField(max_length=12, default=DRAFT)
    revision = pw.IntegerField(default=1)  # bumped by every change: the guard of the UPDATEs
    version_no = pw.SmallIntegerField(default=1)
    previous = pw.ForeignKeyField("self", null=True, backref="next_versions", on_delete="SET NULL")
    latest = pw.BooleanField(default=True)
    live_key = pw.CharField(max_length=40, null=True, unique=True)  # set while `latest`
    superseded_at = pw.DateTimeField(null=True)
    submitted_at = pw.DateTimeField(null=True)
    decided_at = pw.DateTimeField(null=True)
    decided_by = pw.ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    decided_for = pw.ForeignKeyField(Employee, null=True, on_delete="SET NULL")  # Plt/Plh of
    return_note = pw.TextField(default="")
    # Lampiran
    dukungan_sumber_daya = pw.TextField(default="")
    skema_pertanggungjawaban = pw.TextField(default="")
    konsekuensi = pw.TextField(default="")

    class Meta:
        indexes = (
            (("employee", "start_date", "version_no"), True),
            (("employee", "tahun", "latest"), False),
            (("penilai", "status"), False),
            (("unit", "tahun", "latest"), False),
            (("tahun", "status", "latest"), False),
        )

    @staticmethod
    def key_for(employee_id: int, start_date) -> str:
        return f"{employee_id}:{start_date.isoformat()}"

    @property
    def editable(self) -> bool:
        return self.latest and self.status in EDITABLE

    @property
    def effective(self) -> bool:
        """Approved and not replaced by a newer approved version."""
        return self.status == APPROVED and self.superseded_at is None

    @classmethod
    def effective_on(cls, day):
        return cls.select().where(
            cls.status == APPROVED,
            cls.superseded_at.is_null(),
            cls.start_date <= day,
            cls.end_date >= day,
        )


class Rhk(BaseModel):
    """A Rencana Hasil Kerja of one SKP version."""

    if TYPE_CHECKING:
        id: pw.AutoField[int]
        skp_id: int
        intervenes_id: int | None
        iku_id: int | None
        indicators: "pw.ModelSelect[Indicator]"

    skp = pw.ForeignKeyField(Skp, backref="rhk", on_delete="CASCADE")
    jenis = pw.CharField(max_length=10, default=UTAMA)
    uraian = pw.TextField()
    urutan = pw.SmallIntegerField(default=0)
    # The atasan's RHK this one serves (non-JPT); the IKU / perspektif it comes from (JPT).
    intervenes = pw.ForeignKeyField(
        "self", null=True, backref="interventions", on_delete="SET NULL"
    )
    iku = pw.ForeignKeyField(Iku, null=True, on_delete="SET NULL")
    perspektif = pw.CharField(max_length=32, default="")
    lineage = pw.IntegerField(null=True, index=True)  # the id of the first RHK of the chain

    class Meta:
        indexes = ((("skp", "urutan"), False),)

    @property
    def order(self) -> tuple[bool, int, int]:
        """Where the RHK stands in its SKP's list: utama first, then by urutan (a few rows of
        one SKP, sorted in Python: MariaDB would sort them in a temporary table)."""
        return (self.jenis != UTAMA, self.urutan, self.id)


class Indicator(BaseModel):
    """An indikator kinerja individu of an RHK with its target: kuantitatif aspects carry a
    number and a satuan, a kualitatif one a statement."""

    if TYPE_CHECKING:
        id: pw.AutoField[int]
        rhk_id: int

    rhk = pw.ForeignKeyField(Rhk, backref="indicators", on_delete="CASCADE")
    aspek = pw.CharField(max_length=12, default=ASPEK_KUALITATIF)
    uraian = pw.TextField()
    target_angka = pw.DecimalField(max_digits=16, decimal_places=2, null=True)
    satuan = pw.CharField(max_length=50, default="")
    target_uraian = pw.TextField(default="")
    urutan = pw.SmallIntegerField(default=0)

    class Meta:
        indexes = ((("rhk", "urutan"), False),)


class BehaviourExpectation(BaseModel):
    """The atasan's ekspektasi khusus for one BerAKHLAK value (kode: BO, AK, ...) of an SKP."""

    if TYPE_CHECKING:
        id: pw.AutoField[int]
        skp_id: int
        author_id: int | None

    skp = pw.ForeignKeyField(Skp, backref="expectations", on_delete="CASCADE")
    kode = pw.CharField(max_length=2)
    ekspektasi = pw.TextField(default="")
    author = pw.ForeignKeyField(Employee, null=True, on_delete="SET NULL")

    class Meta:
        indexes = ((("skp", "kode"), True),)


# --- evaluation (penilaian kinerja) ------------------------------------------------------------
#
# Evaluation states (owned by portal/performance/evaluation/lifecycle.py, every change a guarded
# conditional UPDATE on `status` and `revision`):
#
#     draf (the pegawai writes realisasi) -> diajukan (realisasi sent to the penilai)
#     draf | diajukan -> ditetapkan (the penilai's "Tetapkan": ratings and predikat final)
#
# The penilai saves ratings (hasil, perilaku, and the predikat the matrix gives) before the
# Tetapkan; afterwards the predikat changes only through a keberatan decided by the atasan
# pejabat penilai, or a calibration of an annual evaluation (with a reason) before it is final.

PERIODIC = "periodik"
ANNUAL = "tahunan"

EV_DRAFT = "draf"
EV_SUBMITTED = "diajukan"
EV_FINAL = "ditetapkan"
EV_OPEN = (EV_DRAFT, EV_SUBMITTED)

DI_ATAS = "di_atas"
SESUAI = "sesuai"
DI_BAWAH = "di_bawah"
RATINGS = [DI_ATAS, SESUAI, DI_BAWAH]

SANGAT_BAIK = "sangat_baik"
BAIK = "baik"
BUTUH_PERBAIKAN = "butuh_perbaikan"
KURANG = "kurang"
SANGAT_KURANG = "sangat_kurang"
PREDIKAT = [SANGAT_BAIK, BAIK, BUTUH_PERBAIKAN, KURANG, SANGAT_KURANG]

OBJ_FILED = "diajukan"
OBJ_REFUSED = "ditolak"
OBJ_ACCEPTED = "diterima"


class EvaluationPeriod(BaseModel):
    """A period of the evaluation calendar of a year: periodik (number 1..12/months) or the
    tahunan evaluation (number 0), with the dates its input window opens and closes."""

    if TYPE_CHECKING:
        id: pw.AutoField[int]

    tahun = pw.SmallIntegerField()
    jenis = pw.CharField(max_length=10, default=PERIODIC)
    nomor = pw.SmallIntegerField(default=1)
    months = pw.SmallIntegerField(default=3)
    start_date = pw.DateField()
    end_date = pw.DateField()
    opens_on = pw.DateField()
    closes_on = pw.DateField()

    class Meta:
        indexes = (
            (("tahun", "jenis", "nomor"), True),
            (("start_date", "end_date"), False),
        )


class Evaluation(BaseModel):
    """The evaluation of one SKP in one period: realisasi, feedback, ratings, predikat."""

    if TYPE_CHECKING:
        id: pw.AutoField[int]
        period_id: int
        skp_id: int
        employee_id: int
        penilai_id: int | None
        unit_id: int
        rated_by_id: int | None
        finalized_by_id: int | None

    period = pw.ForeignKeyField(EvaluationPeriod, backref="evaluations", on_delete="RESTRICT")
    skp = pw.ForeignKeyField(Skp, backref="evaluations", on_delete="RESTRICT")
    employee = pw.ForeignKeyField(Employee, backref="evaluations", on_delete="RESTRICT")
    penilai = pw.ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    unit = pw.ForeignKeyField(Unit, on_delete="RESTRICT")
    status = pw.CharField(max_length=12, default=EV_DRAFT)
    revision = pw.IntegerField(default=1)
    hasil = pw.CharField(max_length=10, null=True)
    perilaku = pw.CharField(max_length=10, null=True)
    predikat = pw.CharField(max_length=16, null=True)
    self_note = pw.TextField(default="")
    submitted_at = pw.DateTimeField(null=True)
    rated_at = pw.DateTimeField(null=True)
    rated_by = pw.ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    finalized_at = pw.DateTimeField(null=True)
    finalized_by = pw.ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    calibration_note = pw.TextField(default="")

    class Meta:
        indexes = (
            (("period", "skp"), True),
            (("penilai", "period"), False),
            (("unit", "period"), False),
            (("employee", "status", "finalized_at"), False),
        )


class Realisasi(BaseModel):
    """What the pegawai reports for one indicator in one evaluation, with evidence links."""

    if TYPE_CHECKING:
        id: pw.AutoField[int]
        evaluation_id: int
        indicator_id: int

    evaluation = pw.ForeignKeyField(Evaluation, backref="realisasi", on_delete="CASCADE")
    indicator = pw.ForeignKeyField(Indicator, on_delete="CASCADE")
    angka = pw.DecimalField(max_digits=16, decimal_places=2, null=True)
    uraian = pw.TextField(default="")
    bukti = pw.TextField(default="")  # evidence links, one a line

    class Meta:
        indexes = ((("evaluation", "indicator"), True),)


class Feedback(BaseModel):
    """The penilai's umpan balik on one RHK (`key` "rhk:<lineage>") or one BerAKHLAK value
    (`key` "nilai:<kode>") of an evaluation."""

    if TYPE_CHECKING:
        id: pw.AutoField[int]
        evaluation_id: int

    evaluation = pw.ForeignKeyField(Evaluation, backref="feedback", on_delete="CASCADE")
    key = pw.CharField(max_length=24)
    umpan_balik = pw.TextField(default="")

    class Meta:
        indexes = ((("evaluation", "key"), True),)


class Objection(BaseModel):
    """A keberatan of the pegawai against a final predikat, decided once by the atasan pejabat
    penilai (`decider`, named at filing; an admin names one when there is none)."""

    if TYPE_CHECKING:
        id: pw.AutoField[int]
        evaluation_id: int
        employee_id: int
        decider_id: int | None
        decided_by_id: int | None

    evaluation = pw.ForeignKeyField(
        Evaluation, backref="objections", unique=True, on_delete="CASCADE"
    )
    employee = pw.ForeignKeyField(Employee, on_delete="RESTRICT")
    decider = pw.ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    alasan = pw.TextField()
    status = pw.CharField(max_length=10, default=OBJ_FILED)
    old_predikat = pw.CharField(max_length=16)
    new_predikat = pw.CharField(max_length=16, null=True)
    decision_note = pw.TextField(default="")
    decided_by = pw.ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    decided_at = pw.DateTimeField(null=True)

    class Meta:
        indexes = ((("decider", "status"), False),)


class UnitPredikat(BaseModel):
    """The organisation's predikat of a unit for a year (set by the admin): the curve its
    pegawai's annual predikat are checked against."""

    if TYPE_CHECKING:
        id: pw.AutoField[int]
        unit_id: int

    unit = pw.ForeignKeyField(Unit, on_delete="CASCADE")
    tahun = pw.SmallIntegerField()
    predikat = pw.CharField(max_length=16)

    class Meta:
        indexes = ((("unit", "tahun"), True),)


REWARDS = ["piagam", "pengembangan_kompetensi", "tpp_tambahan", "lainnya"]
PEMBINAAN = ["pembinaan", "pelatihan", "disiplin"]
FOLLOW_UPS = [*REWARDS, *PEMBINAAN]


class FollowUp(BaseModel):
    """A tindak lanjut recorded after a final evaluation: a reward (piagam, priority for
    competence development, additional TPP, what the pemda adds) or pembinaan / discipline,
    with its document number and date. The portal records decisions; it does not take them."""

    if TYPE_CHECKING:
        id: pw.AutoField[int]
        evaluation_id: int
        employee_id: int
        recorded_by_id: int | None

    evaluation = pw.ForeignKeyField(Evaluation, backref="follow_ups", on_delete="CASCADE")
    employee = pw.ForeignKeyField(Employee, on_delete="RESTRICT")
    jenis = pw.CharField(max_length=24)
    uraian = pw.TextField(default="")
    nomor_dokumen = pw.CharField(max_length=100)
    tanggal_dokumen = pw.DateField()
    recorded_by = pw.ForeignKeyField(Employee, null=True, on_delete="SET NULL")

    class Meta:
        indexes = ((("employee", "tanggal_dokumen"), False),)


class PeerRequest(BaseModel):
    """The penilai asks a rekan kerja for advisory input on the BerAKHLAK values of an
    evaluation; the rekan sees only this form."""

    if TYPE_CHECKING:
        id: pw.AutoField[int]
        evaluation_id: int
        peer_id: int
        requested_by_id: int | None

    evaluation = pw.ForeignKeyField(Evaluation, backref="peer_requests", on_delete="CASCADE")
    peer = pw.ForeignKeyField(Employee, on_delete="CASCADE")
    requested_by = pw.ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    submitted_at = pw.DateTimeField(null=True)

    class Meta:
        indexes = ((("evaluation", "peer"), True), (("peer", "submitted_at"), False))


class PeerInput(BaseModel):
    """A rekan kerja's advisory note on one BerAKHLAK value (`kode`)."""

    if TYPE_CHECKING:
        id: pw.AutoField[int]
        request_id: int

    request = pw.ForeignKeyField(PeerRequest, backref="inputs", on_delete="CASCADE")
    kode = pw.CharField(max_length=2)
    catatan = pw.TextField(default="")

    class Meta:
        indexes = ((("request", "kode"), True),)


MODELS = [
    Iku,
    Skp,
    Rhk,
    Indicator,
    BehaviourExpectation,
    EvaluationPeriod,
    Evaluation,
    Realisasi,
    Feedback,
    Objection,
    UnitPredikat,
    FollowUp,
    PeerRequest,
    PeerInput,
]
