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


MODELS = [Iku, Skp, Rhk, Indicator, BehaviourExpectation]
