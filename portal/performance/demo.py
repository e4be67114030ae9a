"""Demo data of kinerja: the IKU of the PTSP office and SKPs cascading from its head down three
levels (Kepala -> Sekretaris/Kepala Bidang -> Kepala Subbagian/Seksi -> staff), one returned with
a note and a few staff without an SKP; the same cascade in the demo atasan's office, where the
demo pegawai's SKP waits for the demo atasan. Everything goes through the services, so the demo
obeys the rules the pages enforce."""

from __future__ import annotations

from decimal import Decimal

from portal.org.models import Employee, Unit
from portal.performance import lifecycle, planning
from portal.performance.evaluation import demo as evaluation_demo
from portal.performance.models import Rhk

IKU_PTSP = [
    (
        "Penerima Layanan",
        "Meningkatnya kepuasan masyarakat terhadap pelayanan perizinan",
        "Indeks Kepuasan Masyarakat",
        "85",
    ),
    (
        "Proses Bisnis",
        "Meningkatnya ketepatan waktu penerbitan perizinan berusaha",
        "Persentase izin terbit tepat waktu",
        "95%",
    ),
    (
        "Penguatan Internal",
        "Meningkatnya akuntabilitas kinerja perangkat daerah",
        "Nilai SAKIP",
        "BB",
    ),
    (
        "Anggaran",
        "Meningkatnya realisasi anggaran yang akuntabel",
        "Persentase serapan anggaran",
        "95%",
    ),
]

IKU_GENERIC = [
    (
        "Penerima Layanan",
        "Meningkatnya kepuasan masyarakat terhadap layanan {unit}",
        "Indeks Kepuasan Masyarakat",
        "82",
    ),
    (
        "Proses Bisnis",
        "Meningkatnya mutu penyelenggaraan urusan {unit}",
        "Persentase target program tercapai",
        "90%",
    ),
    (
        "Anggaran",
        "Meningkatnya realisasi anggaran yang akuntabel",
        "Persentase serapan anggaran",
        "95%",
    ),
]

GENERIC_BY_LEVEL = {
    1: [
        "Meningkatnya mutu program bidang",
        "Tersusunnya dokumen perencanaan dan laporan kinerja",
        "Terkelolanya administrasi umum dan keuangan secara akuntabel",
    ],
    2: [
        "Terlaksananya pembinaan dan pemantauan program",
        "Tersusunnya laporan evaluasi program bulanan",
        "Tertatanya penatausahaan keuangan",
    ],
    3: [
        "Terlaksananya tugas pelayanan harian",
        "Terinputnya data program ke aplikasi",
        "Terarsipnya dokumen kegiatan",
        "Tersusunnya rekap kegiatan mingguan",
    ],
}

RHK_BY_LEVEL = {
    1: [
        "Meningkatnya kualitas layanan perizinan berusaha",
        "Terselesaikannya permohonan izin sesuai standar pelayanan",
        "Tersusunnya dokumen perencanaan dan laporan kinerja",
        "Terkelolanya administrasi umum dan keuangan secara akuntabel",
    ],
    2: [
        "Terverifikasinya berkas permohonan izin secara tepat waktu",
        "Tertanganinya pengaduan layanan perizinan",
        "Tersusunnya laporan evaluasi pelayanan bulanan",
        "Terlaksananya survei kepuasan masyarakat",
        "Tertatanya penatausahaan keuangan",
    ],
    3: [
        "Terlayaninya konsultasi pemohon izin",
        "Terinputnya data permohonan ke aplikasi perizinan",
        "Terarsipnya dokumen izin yang terbit",
        "Terolahnya data survei kepuasan masyarakat",
        "Tersusunnya rekap pengaduan mingguan",
        "Terdokumentasinya surat masuk dan keluar",
    ],
}
SATUAN = ["dokumen", "berkas", "laporan", "kegiatan", "izin", "data"]
RETURN_NOTE = "Target kuantitas belum terukur; tambahkan indikator waktu penyelesaian."


def _levels(head: Employee, unit: Unit) -> list[list[Employee]]:
    """[[head], [their subordinates], [the next], [the next]] within the unit's tree."""
    people = list(Employee.in_units([unit]).where(Employee.active == True))  # noqa: E712
    levels = [[head]]
    for _depth in range(3):
        above = {e.id for e in levels[-1]}
        below = sorted((e for e in people if e.supervisor_id in above), key=lambda e: e.id)
        if not below:
            break
        levels.append(below)
    return levels


def _indicators(rng, owner, skp, rhk, kuantitatif):
    planning.add_indicator(
        owner,
        skp,
        rhk.id,
        planning.IndicatorInput(
            aspek="kuantitas",
            uraian=f"Jumlah {rng.choice(SATUAN)} yang diselesaikan",
            target_angka=Decimal(rng.choice([12, 24, 48, 120, 250])),
            satuan=rng.choice(SATUAN),
        ),
    )
    if kuantitatif:
        planning.add_indicator(
            owner,
            skp,
            rhk.id,
            planning.IndicatorInput(
                aspek="waktu",
                uraian="Waktu penyelesaian",
                target_angka=Decimal(rng.choice([3, 5, 14])),
                satuan="hari",
            ),
        )
    else:
        planning.add_indicator(
            owner,
            skp,
            rhk.id,
            planning.IndicatorInput(
                aspek="kualitatif",
                uraian="Kualitas hasil kerja",
                target_uraian="Hasil kerja sesuai standar tanpa revisi berulang",
            ),
        )


def _draft(rng, owner, tahun, parents, level, pool):
    skp = lifecycle.create_skp(owner, owner, tahun)
    texts = rng.sample(pool[level], k=2)
    for text in texts:
        parent = rng.choice(parents) if parents else None
        rhk = planning.add_rhk(
            owner, skp, planning.RhkInput(uraian=text, intervenes_id=parent.id if parent else None)
        )
        _indicators(rng, owner, skp, rhk, skp.pendekatan == "kuantitatif")
    if rng.random() < 0.4:
        rhk = planning.add_rhk(
            owner,
            skp,
            planning.RhkInput(jenis="tambahan", uraian="Menjadi narasumber sosialisasi layanan"),
        )
        _indicators(rng, owner, skp, rhk, False)
    planning.update_lampiran(
        owner,
        skp,
        planning.LampiranInput(
            "Aplikasi perizinan, ruang layanan dan anggaran DPA",
            "Laporan bulanan kepada atasan langsung",
            "Sesuai ketentuan disiplin PNS (PP 94/2021)",
        ),
    )
    return skp


def _head_skp(head, admin, unit, tahun, rng):
    ikus = [
        planning.save_iku(admin, unit, planning.IkuInput(tahun, p, s.format(unit=unit.nama), i, t))
        for p, s, i, t in (IKU_PTSP if unit.kode == "DPMPTSP" else IKU_GENERIC)
    ]
    skp = lifecycle.create_skp(head, head, tahun)
    for iku in ikus:
        rhk = planning.add_rhk(head, skp, planning.RhkInput(uraian=iku.sasaran, iku_id=iku.id))
        _indicators(rng, head, skp, rhk, True)
    lifecycle.submit_skp(head, skp)
    approver = Employee.get_by_id(head.supervisor_id) if head.supervisor_id else admin
    lifecycle.approve_skp(approver, skp)
    return skp


def cascade(rng, admin, unit, tahun, returned=0, missing=0, waiting=None):
    """SKPs from the unit's head down three levels; `returned` staff get theirs returned,
    `missing` staff have none, `waiting` (a pegawai) keeps theirs submitted."""
    head = (
        Employee.select()
        .where(Employee.unit == unit.id, Employee.jenis_jabatan == "JPT", Employee.active == True)  # noqa: E712
        .first()
    )
    if head is None:
        return
    levels = _levels(head, unit)
    pool = RHK_BY_LEVEL if unit.kode == "DPMPTSP" else GENERIC_BY_LEVEL
    rhk_of = {
        head.id: list(Rhk.select().where(Rhk.skp == _head_skp(head, admin, unit, tahun, rng).id))
    }
    for depth, people in enumerate(levels[1:], start=1):
        last = depth == len(levels) - 1
        for index, person in enumerate(people):
            if last and index < missing:
                continue
            parents = rhk_of.get(person.supervisor_id or 0, [])
            if not parents:
                continue  # the atasan has no approved SKP: nothing to intervene
            skp = _draft(rng, person, tahun, parents, min(depth, 3), pool)
            atasan = Employee.get_by_id(person.supervisor_id)
            planning.set_expectations(
                atasan,
                skp,
                {
                    "BO": "Menjawab setiap pertanyaan pemohon paling lambat satu hari kerja",
                    "KL": "Aktif berbagi informasi dengan tim lintas bidang",
                },
            )
            lifecycle.submit_skp(person, skp)
            if waiting is not None and person.id == waiting.id:
                continue
            if last and missing <= index < missing + returned:
                lifecycle.return_skp(atasan, skp, RETURN_NOTE)
                continue
            lifecycle.approve_skp(atasan, skp)
            rhk_of[person.id] = list(Rhk.select().where(Rhk.skp == skp.id))


def seed(rng, context):
    admin = context.get("admin")
    today = context["today"]
    if admin is None:
        return
    ptsp = Unit.get_or_none(Unit.kode == "DPMPTSP")
    if ptsp is not None:
        cascade(rng, admin, ptsp, today.year, returned=1, missing=3)
    atasan, pegawai = context.get("atasan"), context.get("pegawai")
    if atasan is not None:
        office = atasan.unit
        while office.parent_id:
            office = office.parent
        if office.id != getattr(ptsp, "id", None):
            cascade(rng, admin, office, today.year, waiting=pegawai)
    evaluation_demo.seed(rng, context)
